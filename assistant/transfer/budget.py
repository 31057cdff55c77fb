"""The budget criterion: does the practice's stated cost fit the money a region has, per year, in EUR?

The practice's cost comes from its key facts (budget and grant amounts with the sentence they
came from), preferably those of "Resources needed". A yearly figure is compared with the
region's yearly money; a total over N years is divided by N; a total of unstated length is
spread over `HORIZON_YEARS` (said so in the reason). A scheme that pays grants can run at a
smaller scale, so its verdict can rest on how many grants the region's money pays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.practices.currency import EURO, Converted, ReferenceRates
from assistant.transfer.money import Money, format_amount
from assistant.transfer.reading import EVIDENCE, RESOURCES, Cost, PracticeReading
from assistant.transfer.reasons import FITS, NO_FIT, NOT_STATED, PARTLY, Reason
from assistant.types import Citation

HORIZON_YEARS = 3  # a total whose length is not stated is spread over this many years
STRETCH = 2.0  # up to this many times the region's money: "partly" (a smaller version, co-funding)
MIN_GRANTS = 10  # a grant scheme "fits" when the money pays at least this many grants a year
POINTS = {FITS: 1.0, PARTLY: 0.4, NO_FIT: -1.0, NOT_STATED: 0.0}

Cite = Callable[[str, int, int], Citation]  # (section, start, end) -> Citation


@dataclass(frozen=True)
class BudgetInEur:
    """The region's money in EUR: per year and in total where they can be known."""

    money: Money
    per_year: float | None
    total: float | None
    conversion: Converted

    @classmethod
    def of(cls, money: Money, rates: ReferenceRates) -> BudgetInEur:
        """Raises UnknownCurrency (an InvalidQuestion) for a currency without reference rates."""
        conversion = rates.convert(money.amount, money.currency, EURO)
        yearly = money.yearly_amount()
        total = money.total_amount()
        per_year = conversion.value * yearly / money.amount if yearly is not None else None
        in_total = conversion.value * total / money.amount if total is not None else None
        if per_year is not None and money.years:
            in_total = per_year * money.years
        return cls(money, per_year, in_total, conversion)

    def display(self) -> str:
        if self.per_year is not None:
            return f"EUR {format_amount(round(self.per_year))} per year"
        assert self.total is not None
        return f"EUR {format_amount(round(self.total))} in total"

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.money.to_dict(),
            "per_year_eur": None if self.per_year is None else round(self.per_year, 2),
            "total_eur": None if self.total is None else round(self.total, 2),
            "conversion": conversion_dict(self.money.currency, self.conversion),
        }


def conversion_dict(currency: str, converted: Converted) -> dict[str, Any]:
    """The JSON of a conversion of an amount in `currency` to EUR (rate_date: None when the
    amount was in EUR already, so nothing was converted)."""
    return {
        "eur": round(converted.value, 2),
        "currency": currency,
        "eur_per_unit": round(converted.rate, 6),
        "rate_date": None if converted.rate_date is None else converted.rate_date.isoformat(),
    }


@dataclass(frozen=True)
class _Priced:
    cost: Cost
    eur: Converted
    yearly: float  # EUR per year, spread over HORIZON_YEARS when the length is unknown
    assumed_horizon: bool
    no_currency: bool


def _price(cost: Cost, rates: ReferenceRates) -> _Priced:
    fact = cost.fact
    value = float(fact.value_max if fact.value_max is not None else fact.value)
    currency = fact.currency or EURO
    on = date(cost.year, 7, 1) if cost.year else None
    first = rates.first_day(currency)
    if on is not None and first is not None and on < first:
        on = first  # a year before the currency's rate history: its first rate (the note names it)
    eur = rates.convert(value, currency, EURO, on)
    if cost.per_year:
        yearly, assumed = eur.value, False
    elif cost.years:
        yearly, assumed = eur.value / cost.years, False
    else:
        yearly, assumed = eur.value / HORIZON_YEARS, True
    return _Priced(cost, eur, yearly, assumed, fact.currency is None)


def _ratio(priced: _Priced, budget: BudgetInEur) -> float:
    if budget.per_year is not None:
        return priced.yearly / budget.per_year
    assert budget.total is not None
    if not priced.cost.per_year and not priced.assumed_horizon and priced.cost.years:
        return priced.eur.value / budget.total  # two totals
    if priced.assumed_horizon:
        return priced.eur.value / budget.total
    return priced.yearly * HORIZON_YEARS / budget.total


def _verdict(ratio: float) -> str:
    if ratio <= 1.0:
        return FITS
    return PARTLY if ratio <= STRETCH else NO_FIT


def _rate_note(priced: _Priced) -> str:
    if priced.eur.rate_date is None:  # stated in EUR: nothing converted
        return ""
    return f" (ECB rate of {priced.eur.rate_date.isoformat()})"


def _cost_words(priced: _Priced, practice_text: str) -> tuple[str, str]:
    """(the words as written, how they read per year in EUR)."""
    fact = priced.cost.fact
    start = fact.match_start if fact.match_start is not None else fact.start
    end = fact.match_end if fact.match_end is not None else fact.end
    written = practice_text[start:end]
    eur = f"EUR {format_amount(round(priced.eur.value))}{_rate_note(priced)}"
    if priced.no_currency:
        eur = f"{format_amount(round(priced.eur.value))} (no currency stated; read as EUR)"
    if priced.cost.per_year:
        return written, f"{eur} per year"
    if priced.cost.years:
        return (
            written,
            f"{eur} over {priced.cost.years:g} years, EUR {format_amount(round(priced.yearly))} a year",
        )
    return written, (
        f"{eur} with no period stated; spread over {HORIZON_YEARS} years, "
        f"EUR {format_amount(round(priced.yearly))} a year"
    )


def _budget_reason(priced: _Priced, budget: BudgetInEur, text: str, cite: Cite, *, points: bool) -> Reason:
    ratio = _ratio(priced, budget)
    verdict = _verdict(ratio)
    if priced.no_currency and verdict == FITS:
        verdict = PARTLY
    written, reads = _cost_words(priced, text)
    outcome = {
        FITS: "it fits",
        PARTLY: "a smaller version or co-funding would be needed"
        if ratio > 1
        else "it fits if the amount is in EUR",
        NO_FIT: f"about {ratio:.0f} times what you have",
    }[verdict]
    sentence = priced.cost.sentence
    return Reason(
        "budget",
        verdict,
        f"States {written!r}: {reads}; you have {budget.display()}: {outcome}.",
        (written,),
        cite(sentence.section, sentence.start, sentence.end),
        POINTS[verdict] if points else 0.0,
    )


def _grant_reason(priced: _Priced, budget: BudgetInEur, text: str, cite: Cite, *, points: bool) -> Reason:
    money = budget.per_year if budget.per_year is not None else (budget.total or 0) / HORIZON_YEARS
    count = money / priced.eur.value if priced.eur.value else 0.0
    verdict = FITS if count >= MIN_GRANTS else PARTLY if count >= 1 else NO_FIT
    written, _ = _cost_words(priced, text)
    sentence = priced.cost.sentence
    return Reason(
        "budget",
        verdict,
        f"One grant is {written!r} (EUR {format_amount(round(priced.eur.value))}{_rate_note(priced)}): "
        f"{budget.display()} pays about {count:,.0f} a year, so the scheme can run at your scale"
        if count >= 1
        else f"One grant is {written!r}: more than your {budget.display()}",
        (written,),
        cite(sentence.section, sentence.start, sentence.end),
        POINTS[verdict] if points else 0.0,
    )


def _preferred(costs: list[Cost]) -> list[Cost]:
    for keep in (
        lambda c: c.sentence.section == RESOURCES,
        lambda c: c.sentence.section != EVIDENCE,
        lambda c: True,
    ):
        chosen = [c for c in costs if keep(c)]
        if chosen:
            return chosen
    return []


def budget_reasons(
    reading: PracticeReading, budget: BudgetInEur | None, rates: ReferenceRates, cite: Cite
) -> list[Reason]:
    """The budget verdict (first reason, carrying the points) and, when it rests on a part of the
    practice or on its grants, the full cost as a second reason without points."""
    if budget is None:
        return [Reason("budget", NOT_STATED, "Your profile gives no budget to compare with.")]
    text = reading.practice.text
    budgets = [_price(c, rates) for c in _preferred([c for c in reading.costs if not c.grant])]
    # a grant ceiling describes a scheme only where the template lists what it needs
    grants = [_price(c, rates) for c in reading.costs if c.grant and c.sentence.section == RESOURCES]
    if not budgets and not grants:
        return [Reason("budget", NOT_STATED, "The documents state no cost or budget for the practice.")]
    if not budgets:
        return [_grant_reason(max(grants, key=lambda p: p.eur.value), budget, text, cite, points=True)]
    headline = max(budgets, key=lambda p: p.yearly)
    full = _budget_reason(headline, budget, text, cite, points=True)
    if full.verdict == FITS:
        return [full]
    if grants:
        grant = _grant_reason(max(grants, key=lambda p: p.eur.value), budget, text, cite, points=False)
        if grant.verdict == FITS:
            scaled = Reason("budget", PARTLY, grant.text, grant.stated, grant.citation, POINTS[PARTLY])
            return [scaled, _budget_reason(headline, budget, text, cite, points=False)]
    smallest = min(budgets, key=lambda p: p.yearly)
    if smallest is not headline and _verdict(_ratio(smallest, budget)) == FITS:
        part = _budget_reason(smallest, budget, text, cite, points=False)
        scaled = Reason(
            "budget",
            PARTLY,
            part.text.replace(": it fits.", ": this part of it fits."),
            part.stated,
            part.citation,
            POINTS[PARTLY],
        )
        return [scaled, _budget_reason(headline, budget, text, cite, points=False)]
    return [full]
