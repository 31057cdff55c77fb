"""Conditions on key facts: a practice's headline budget and start year, compared in one currency.

`FactFilter` states the conditions, `match_filter` checks one practice's facts against them and
returns the facts that decided it. Amounts in other currencies are compared at the ECB reference
rates of one day (`assistant.practices.currency`), and a match names that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.practices.currency import Converted, convert, known_currency, reference_rates, to_eur
from assistant.practices.facts.model import Fact
from assistant.types import Practice

# the years a start-year condition may name
EARLIEST_YEAR, LATEST_YEAR = 1000, 2200


def budget_in_eur(fact: Fact, on: dt.date | None = None) -> Converted | None:
    """A money fact in EUR at the ECB reference rate of `on` (default: the latest day), or None when
    its currency is unstated or has no reference rate."""
    if not known_currency(fact.currency):
        return None
    assert fact.currency is not None
    return to_eur(float(fact.value), fact.currency, on)


def headline_budget(facts: Sequence[Fact], on: dt.date | None = None) -> Fact | None:
    """The largest budget fact with a stated currency (compared in EUR at the rates of `on`), or None."""
    in_eur = [(f, budget_in_eur(f, on)) for f in facts if f.kind == "budget"]
    candidates = [(f, converted.value) for f, converted in in_eur if converted is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda pair: pair[1])[0]


def start_year(facts: Sequence[Fact]) -> Fact | None:
    """The earliest start-year fact, or None."""
    years = [f for f in facts if f.kind == "start_year"]
    return min(years, key=lambda f: int(f.value)) if years else None


@dataclass(frozen=True)
class FactFilter:
    """Conditions on key facts. Unset conditions match everything.

    budget_below / budget_above: compared with the practice's largest budget figure whose
    currency the document states, converted to `currency` at the ECB reference rates of day
    `rates_on` (default: the latest day of the packaged history); a practice whose documents state
    no such budget does not match.
    started_after / started_before: strict comparisons with the start year.
    Raises InvalidQuestion (UnknownCurrency for a currency without reference rates).
    """

    budget_below: float | None = None
    budget_above: float | None = None
    currency: str = "EUR"
    started_after: int | None = None
    started_before: int | None = None
    rates_on: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "currency", reference_rates().require(self.currency))
        for name in ("budget_below", "budget_above"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int | float) or isinstance(value, bool) or value < 0
            ):
                raise InvalidQuestion(f"{name} must be a non-negative number, got {value!r}")
        for name in ("started_after", "started_before"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not EARLIEST_YEAR <= value <= LATEST_YEAR
            ):
                raise InvalidQuestion(f"{name} must be a year such as 2015, got {value!r}")

    @property
    def active(self) -> bool:
        return any(
            v is not None
            for v in (self.budget_below, self.budget_above, self.started_after, self.started_before)
        )


@dataclass(frozen=True)
class FilterMatch:
    """A practice that passed a FactFilter, with the facts that decided it."""

    practice_id: str
    title: str
    evidence: list[Fact]
    budget: Converted | None = None  # with a budget condition: the headline budget in its currency

    @property
    def budget_converted(self) -> float | None:
        return None if self.budget is None else self.budget.value

    def to_dict(self) -> dict[str, Any]:
        """budget_converted is in budget_currency, at the ECB reference rate of rate_date (None when
        the budget was stated in that currency: nothing was converted)."""
        budget = self.budget
        return {
            "practice_id": self.practice_id,
            "title": self.title,
            "evidence": [f.to_dict() for f in self.evidence],
            "budget_converted": None if budget is None else round(budget.value, 2),
            "budget_currency": None if budget is None else budget.currency,
            "rate_date": None if budget is None or budget.rate_date is None else budget.rate_date.isoformat(),
        }


def match_filter(practice: Practice, facts: Sequence[Fact], condition: FactFilter) -> FilterMatch | None:
    """A FilterMatch when the practice meets every condition, else None."""
    evidence: list[Fact] = []
    converted = None
    if condition.budget_below is not None or condition.budget_above is not None:
        budget = headline_budget(facts, condition.rates_on)
        if budget is None or budget.currency is None:
            return None
        converted = convert(float(budget.value), budget.currency, condition.currency, condition.rates_on)
        if condition.budget_below is not None and not converted.value < condition.budget_below:
            return None
        if condition.budget_above is not None and not converted.value > condition.budget_above:
            return None
        evidence.append(budget)
    if condition.started_after is not None or condition.started_before is not None:
        year = start_year(facts)
        if year is None:
            return None
        if condition.started_after is not None and not int(year.value) > condition.started_after:
            return None
        if condition.started_before is not None and not int(year.value) < condition.started_before:
            return None
        evidence.append(year)
    return FilterMatch(practice.id, practice.title, evidence, converted)
