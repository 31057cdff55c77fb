"""Listing practices: one query and one set of matching rules for the CLI, the HTTP API and the web UI.

`list_practices(catalog, PracticeQuery(...))` returns the stored practices, by title, that match
every condition given:

- country: case- and accent-insensitive; a country name, a common other name of it ("Czechia",
  "UK") or its demonym ("Lithuanian") matches the practice's country field;
- theme, region: case- and accent-insensitive equality with the practice's field;
- budget_below / budget_above: amounts as people type them ("500000", "GBP 2 million"); a
  currency stated in either amount is the filter's currency, else `currency` (the currency of a
  bare amount); two amounts stating different currencies are refused; budgets stated in another
  currency are converted at the ECB reference rates of `rates_on` (default: the latest day of the
  packaged history), and each match names the day (`rate_date`);
- started_after / started_before: years, strict comparisons with the start year.

The fact conditions are those of `assistant.practices.facts.FactFilter`; with any of them set,
each listed practice carries the `FilterMatch` with the facts that decided it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.practices.catalog import Catalog, current_facts
from assistant.practices.facts.filters import FactFilter, FilterMatch, match_filter
from assistant.practices.facts.numbers import parse_amount
from assistant.question import DEMONYMS
from assistant.types import Practice
from assistant.vocabulary import fold

# Other names of a country in English, to the name used as the key: what a person may type for a
# country field that says the other. General usage, not names of any one corpus.
COUNTRY_ALIASES = {
    "czech republic": "czechia",
    "the czech republic": "czechia",
    "the netherlands": "netherlands",
    "holland": "netherlands",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "the united kingdom": "united kingdom",
    "great britain": "united kingdom",
    "britain": "united kingdom",
}


def country_key(name: str) -> str:
    """The comparable form of a country name or demonym: 'Lithuanian', 'LITHUANIA' -> 'lithuania';
    'Czech Republic', 'Czech', 'Czechia' -> 'czechia'."""
    folded = " ".join(fold(name).split())
    folded = DEMONYMS.get(folded, folded)
    return COUNTRY_ALIASES.get(folded, folded)


def _same(wanted: str | None, value: str | None) -> bool:
    return " ".join(fold(wanted or "").split()) == " ".join(fold(value or "").split())


@dataclass(frozen=True)
class PracticeQuery:
    """What to list; None (or "") means no condition. Amounts are text as typed, e.g. 'EUR 1.5 million'."""

    country: str | None = None
    theme: str | None = None
    region: str | None = None
    budget_below: str | None = None
    budget_above: str | None = None
    currency: str = "EUR"
    started_after: int | None = None
    started_before: int | None = None
    rates_on: dt.date | None = None

    def fact_filter(self) -> FactFilter:
        """The fact conditions, amounts read and converted to one currency.

        Raises InvalidQuestion for an amount that cannot be read, an unknown currency, a year out
        of range, or two amounts stating different currencies.
        """
        below, below_currency = parse_amount(self.budget_below) if self.budget_below else (None, None)
        above, above_currency = parse_amount(self.budget_above) if self.budget_above else (None, None)
        if below_currency and above_currency and below_currency != above_currency:
            raise InvalidQuestion(
                f"budget_below is in {below_currency} and budget_above in {above_currency}; "
                "give both amounts in one currency"
            )
        return FactFilter(
            budget_below=below,
            budget_above=above,
            currency=below_currency or above_currency or self.currency,
            started_after=self.started_after,
            started_before=self.started_before,
            rates_on=self.rates_on,
        )

    def matches_metadata(self, practice: Practice) -> bool:
        """Whether the practice's country, theme and region meet the query (facts aside)."""
        meta = practice.metadata
        if self.country and country_key(self.country) != country_key(meta.get("country", "")):
            return False
        if self.theme and not _same(self.theme, meta.get("theme")):
            return False
        return not (self.region and not _same(self.region, meta.get("region")))


@dataclass(frozen=True)
class ListedPractice:
    """A practice that met the query; `match` holds the facts that decided it (fact conditions only)."""

    practice: Practice
    match: FilterMatch | None = None

    def to_dict(self) -> dict[str, Any]:
        """{practice_id, title, evidence, budget_converted, budget_currency, rate_date}: the
        `praxis practices --json` row (see FilterMatch.to_dict)."""
        if self.match is not None:
            return self.match.to_dict()
        return FilterMatch(self.practice.id, self.practice.title, []).to_dict()


def list_practices(catalog: Catalog, query: PracticeQuery) -> list[ListedPractice]:
    """The stored practices meeting every condition of the query, by title.

    Raises InvalidQuestion for unreadable fact conditions (see PracticeQuery.fact_filter).
    """
    condition = query.fact_filter()
    listed: list[ListedPractice] = []
    for practice, stored in catalog.store.practices_with_facts():
        if not query.matches_metadata(practice):
            continue
        if not condition.active:
            listed.append(ListedPractice(practice))
            continue
        facts = current_facts(practice, stored)
        match = match_filter(practice, facts, condition)
        if match is not None:
            listed.append(ListedPractice(practice, match))
    return listed


def facet_values(practices: list[Practice], field: str) -> list[str]:
    """The distinct non-empty values of a metadata field, sorted: the choices of a filter."""
    return sorted({p.metadata[field] for p in practices if p.metadata.get(field)})
