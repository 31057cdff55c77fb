"""Listing practices: one country rule, one currency rule, metadata and fact filters, on the
bundled corpus in a real Chroma store."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.errors import InvalidQuestion
from assistant.practices.catalog import Catalog
from assistant.practices.currency import reference_rates
from assistant.practices.listing import PracticeQuery, country_key, facet_values, list_practices
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from ingest.ingestor import Ingestor
from tests.conftest import CORPUS

FRIDAY = dt.date(2024, 6, 28)  # a day with ECB reference rates: results do not move with new rates
LAUGEA_ID = "laugea-lithuanian-automotive-export-association"
INOLINK_ID = "inolink-fostering-innovative-networks"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    embeddings = HashingEmbeddings()
    store = ChromaStore(open_client(tmp_path_factory.mktemp("listing")), embeddings, name="praxis")
    assert Ingestor(store, embeddings).run([CORPUS]).ok
    return Catalog(store)


def ids(catalog: Catalog, **query: object) -> list[str]:
    return [item.practice.id for item in list_practices(catalog, PracticeQuery(**query))]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ("Lithuanian", "Lithuania"),
        ("  lithuania ", "Lithuania"),
        ("Česko", "ČESKO"),
        ("czech", "Czech Republic"),
        ("Czechia", "Czech Republic"),
        ("British", "United Kingdom"),
        ("UK", "United Kingdom"),
        ("Dutch", "The Netherlands"),
    ],
)
def test_a_country_matches_by_name_other_name_or_demonym(typed: str, field: str) -> None:
    assert country_key(typed) == country_key(field)


@pytest.mark.parametrize(("typed", "field"), [("Austria", "Australia"), ("English", "United Kingdom")])
def test_different_countries_do_not_match(typed: str, field: str) -> None:
    assert country_key(typed) != country_key(field)


def test_no_condition_lists_every_practice_by_title(catalog: Catalog) -> None:
    listed = list_practices(catalog, PracticeQuery())
    titles = [item.practice.title for item in listed]
    assert len(listed) == 42 and titles == sorted(titles, key=str.lower)
    assert all(item.match is None for item in listed)
    assert listed[0].to_dict() == {
        "practice_id": listed[0].practice.id,
        "title": listed[0].practice.title,
        "evidence": [],
        "budget_converted": None,
        "budget_currency": None,
        "rate_date": None,
    }


def test_country_theme_and_region_filters(catalog: Catalog) -> None:
    lithuanian = ids(catalog, country="Lithuania")
    assert LAUGEA_ID in lithuanian and len(lithuanian) >= 3
    assert ids(catalog, country="LITHUANIAN") == ids(catalog, country="lithuánia") == lithuanian
    assert ids(catalog, country="Atlantis") == []
    practices = catalog.store.practices()
    laugea = next(p for p in practices if p.id == LAUGEA_ID)
    assert LAUGEA_ID in ids(catalog, theme=laugea.metadata["theme"].upper())
    in_region = ids(catalog, region=laugea.metadata["region"])
    assert LAUGEA_ID in in_region and set(in_region) <= set(lithuanian)
    assert ids(catalog, country="Lithuania", theme="no such theme") == []


def test_budget_below_and_started_after(catalog: Catalog) -> None:
    cheap = list_practices(catalog, PracticeQuery(budget_below="300000", rates_on=FRIDAY))
    cheap_ids = {item.practice.id for item in cheap}
    assert {"oldham-community-power", "centrope-innovation-voucher"} <= cheap_ids
    assert INOLINK_ID not in cheap_ids  # its 100 000 has no stated currency
    assert "pole-vehicule-du-futur-automotive-cluster" not in cheap_ids  # EUR 3.7 million
    for item in cheap:
        assert item.match is not None and item.match.budget_converted is not None
        assert item.match.budget_converted < 300_000
        assert item.match.evidence[0].kind == "budget" and item.match.evidence[0].currency
    recent = list_practices(catalog, PracticeQuery(started_after=2014))
    assert recent and all(item.match and int(item.match.evidence[0].value) > 2014 for item in recent)
    recent_ids = {item.practice.id for item in recent}
    assert LAUGEA_ID not in recent_ids
    assert (
        set(ids(catalog, budget_below="300000", started_after=2014, rates_on=FRIDAY))
        == cheap_ids & recent_ids
    )
    assert ids(catalog, started_after=2000, country="lithuania") == [LAUGEA_ID]


def test_budgets_in_other_currencies_name_the_day_of_their_rate(catalog: Catalog) -> None:
    listed = list_practices(catalog, PracticeQuery(budget_below="EUR 300000", rates_on=dt.date(2024, 6, 29)))
    rows = {item.practice.id: item.to_dict() for item in listed}
    oldham = rows["oldham-community-power"]  # GBP 250,000: converted at Friday's rate (no rates on Saturday)
    assert (oldham["budget_converted"], oldham["budget_currency"], oldham["rate_date"]) == (
        295_375.6,
        "EUR",
        "2024-06-28",
    )
    stated_in_euro = [row for row in rows.values() if row["evidence"][0]["currency"] == "EUR"]
    assert stated_in_euro and all(row["rate_date"] is None for row in stated_in_euro)
    latest = list_practices(catalog, PracticeQuery(budget_below="EUR 10 million"))
    assert {item.to_dict()["rate_date"] for item in latest} - {None} == {
        reference_rates().last_day.isoformat()
    }


def test_a_stated_currency_wins_over_the_currency_of_bare_amounts(catalog: Catalog) -> None:
    in_pounds = ids(catalog, budget_below="260000", currency="gbp")
    assert "oldham-community-power" in in_pounds
    assert ids(catalog, budget_below="GBP 260000") == in_pounds
    assert ids(catalog, budget_below="GBP 260000", currency="EUR") == in_pounds
    assert ids(catalog, budget_below="£260k", budget_above="10", currency="USD") == ids(
        catalog, budget_below="260000", budget_above="10", currency="GBP"
    )
    assert PracticeQuery(budget_above="EUR 5", currency="GBP").fact_filter().currency == "EUR"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (PracticeQuery(budget_below="GBP 1 million", budget_above="EUR 5"), "one currency"),
        (PracticeQuery(budget_below="cheap"), "cannot read the amount 'cheap'"),
        (PracticeQuery(budget_below="5", currency="XYZ"), "unknown currency"),
        (PracticeQuery(started_after=99), "must be a year"),
    ],
)
def test_unreadable_fact_conditions_say_what_to_type(
    catalog: Catalog, query: PracticeQuery, message: str
) -> None:
    with pytest.raises(InvalidQuestion, match=message):
        list_practices(catalog, query)


def test_facet_values_are_the_distinct_filter_choices(catalog: Catalog) -> None:
    countries = facet_values(catalog.store.practices(), "country")
    assert countries == sorted(set(countries)) and "Lithuania" in countries and "" not in countries
