"""Practices as documents: list and filter, one in full, its key facts, similar ones, a comparison."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from assistant.practices import listing
from ui.api.deps import CatalogDep, StoreDep
from ui.api.errors import ERRORS, NOT_FOUND, practice_not_found
from ui.api.schemas import (
    MAX_FILTER_CHARS,
    CompareOut,
    CompareRequest,
    FactOut,
    FactsOut,
    PracticeId,
    PracticeList,
    PracticeOut,
    PracticeSummary,
    SimilarItem,
    SimilarOut,
)

router = APIRouter(prefix="/v1", tags=["documents"])

FilterQuery = Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)]
Year = Annotated[int | None, Query(ge=1000, le=2200)]


@router.get("/practices", response_model=PracticeList, responses=ERRORS)
def list_practices(
    catalog: CatalogDep,
    country: Annotated[
        str | None,
        Query(max_length=MAX_FILTER_CHARS, description="a country or its demonym, e.g. Lithuanian"),
    ] = None,
    theme: FilterQuery = None,
    region: FilterQuery = None,
    budget_below: Annotated[
        str | None, Query(max_length=40, description="e.g. 500000 or 'GBP 2 million'")
    ] = None,
    budget_above: Annotated[str | None, Query(max_length=40)] = None,
    currency: Annotated[str, Query(max_length=3, description="currency of a bare amount")] = "EUR",
    started_after: Year = None,
    started_before: Year = None,
    rates_on: Annotated[
        dt.date | None,
        Query(description="the day of the ECB reference rates budgets are converted at; default: the latest"),
    ] = None,
) -> PracticeList:
    """Every stored practice with its metadata, optionally only one country, theme or region
    (case- and accent-insensitive), or only those whose key facts match: the largest budget with a
    stated currency below/above an amount (converted at the ECB reference rates of `rates_on`,
    named in `rate_date`), started after/before a year. With fact filters each practice lists the
    facts that decided it."""
    query = listing.PracticeQuery(
        country, theme, region, budget_below, budget_above, currency, started_after, started_before, rates_on
    )
    found = [PracticeSummary.of(p.practice, p.match) for p in listing.list_practices(catalog, query)]
    return PracticeList(count=len(found), practices=found)


@router.get("/practices/{practice_id}", response_model=PracticeOut, responses=NOT_FOUND)
def get_practice(practice_id: PracticeId, store: StoreDep) -> PracticeOut:
    """One practice: full text and its sections with offsets (citation start/end index the text)."""
    found = store.get_practice(practice_id)
    if found is None:
        raise practice_not_found(practice_id)
    return PracticeOut.of(found)


@router.get("/practices/{practice_id}/facts", response_model=FactsOut, responses=NOT_FOUND)
def practice_facts(practice_id: str, store: StoreDep, catalog: CatalogDep) -> FactsOut:
    """Key facts of one practice (start year, money, staff, members, beneficiaries, duration,
    funding source, results, owner, country, region), each with the sentence it came from."""
    found = store.get_practice(practice_id)
    if found is None:
        raise practice_not_found(practice_id)
    facts = [FactOut.of(f, found) for f in catalog.facts_of(found)]
    return FactsOut(practice_id=found.id, title=found.title, facts=facts)


@router.get("/practices/{practice_id}/similar", response_model=SimilarOut, responses=NOT_FOUND)
def practice_similar(
    practice_id: str,
    store: StoreDep,
    catalog: CatalogDep,
    k: Annotated[int, Query(ge=1, le=20)] = 5,
    per_country: Annotated[int, Query(ge=1, le=20)] = 2,
) -> SimilarOut:
    """Practices most like this one (mean chunk embeddings), at most per_country per country."""
    if store.get_practice(practice_id) is None:
        raise practice_not_found(practice_id)
    found = catalog.similar(practice_id, k=k, per_country=per_country)
    return SimilarOut(practice_id=practice_id, similar=[SimilarItem(**s.to_dict()) for s in found])


@router.post("/compare", response_model=CompareOut, responses=NOT_FOUND)
def compare(body: CompareRequest, catalog: CatalogDep) -> dict[str, Any]:
    """2 to 5 practices side by side: Resources needed, Evidence of success, Potential for
    learning or transfer and the key facts; every cell's [n] markers index `citations`."""
    return catalog.compare(body.practices, max_chars=body.max_chars).to_dict()
