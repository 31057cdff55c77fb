"""Conditions on key facts: a practice's headline budget and start year, compared in one currency.

`FactFilter` states the conditions, `match_filter` checks one practice's facts against them and
returns the facts that decided it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.practices.facts.model import Fact
from assistant.practices.facts.numbers import EUR_PER_UNIT
from assistant.types import Practice

# the years a start-year condition may name
EARLIEST_YEAR, LATEST_YEAR = 1000, 2200


def to_eur(value: float, currency: str | None) -> float | None:
    """value in EUR at the fixed reference rate, or None when the currency is unknown or unstated."""
    if not currency or currency not in EUR_PER_UNIT:
        return None
    return value * EUR_PER_UNIT[currency]


def headline_budget(facts: Sequence[Fact]) -> Fact | None:
    """The largest budget fact with a stated currency (compared in EUR), or None."""
    candidates = [f for f in facts if f.kind == "budget" and to_eur(float(f.value), f.currency) is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda f: to_eur(float(f.value), f.currency) or 0.0)


def start_year(facts: Sequence[Fact]) -> Fact | None:
    """The earliest start-year fact, or None."""
    years = [f for f in facts if f.kind == "start_year"]
    return min(years, key=lambda f: int(f.value)) if years else None


@dataclass(frozen=True)
class FactFilter:
    """Conditions on key facts. Unset conditions match everything.

    budget_below / budget_above: compared with the practice's largest budget figure whose
    currency the document states, converted to `currency` at fixed reference rates; a practice
    whose documents state no such budget does not match.
    started_after / started_before: strict comparisons with the start year.
    """

    budget_below: float | None = None
    budget_above: float | None = None
    currency: str = "EUR"
    started_after: int | None = None
    started_before: int | None = None

    def __post_init__(self) -> None:
        if self.currency not in EUR_PER_UNIT:
            raise InvalidQuestion(
                f"unknown currency {self.currency!r}; use one of {', '.join(sorted(EUR_PER_UNIT))}"
            )
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
    budget_converted: float | None = None  # the headline budget in the filter's currency

    def to_dict(self) -> dict[str, Any]:
        return {
            "practice_id": self.practice_id,
            "title": self.title,
            "evidence": [f.to_dict() for f in self.evidence],
            "budget_converted": None if self.budget_converted is None else round(self.budget_converted, 2),
        }


def match_filter(practice: Practice, facts: Sequence[Fact], condition: FactFilter) -> FilterMatch | None:
    """A FilterMatch when the practice meets every condition, else None."""
    evidence: list[Fact] = []
    converted = None
    if condition.budget_below is not None or condition.budget_above is not None:
        budget = headline_budget(facts)
        if budget is None:
            return None
        in_eur = to_eur(float(budget.value), budget.currency)
        assert in_eur is not None
        converted = in_eur / EUR_PER_UNIT[condition.currency]
        if condition.budget_below is not None and not converted < condition.budget_below:
            return None
        if condition.budget_above is not None and not converted > condition.budget_above:
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
