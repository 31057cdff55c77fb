"""Key-fact extraction on the bundled corpus: the figures a policymaker would quote, each
pointing at the sentence it came from."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.errors import InvalidQuestion
from assistant.practices.facts.filters import FactFilter, headline_budget, match_filter, start_year
from assistant.practices.facts.numbers import parse_amount
from assistant.practices.facts.rules import extract_facts
from ingest.ingestor import load_metadata
from ingest.parse import load_practice, parse_practice
from tests.conftest import CORPUS, INOLINK, LAUGEA

GOLD = Path(__file__).parent / "facts_gold.jsonl"


def _load(path: Path):
    practice, _ = load_practice(path, load_metadata(path.parent).get(path.name))
    return practice


def _facts(path: Path, kind: str):
    return [f for f in extract_facts(_load(path)) if f.kind == kind]


def test_laugea_founding_year_members_and_staff() -> None:
    practice = _load(LAUGEA)
    facts = extract_facts(practice)
    year = start_year(facts)
    assert year is not None and year.value == 2014
    assert "founded in 2014" in practice.text[year.start : year.end]
    assert year.section == "About this good practice"

    members = {f.value: f for f in facts if f.kind == "members"}
    assert members[21].subject == "members"
    assert members[19].subject == "automotive companies"
    assert members[21].section == "Evidence of success"
    staff = [f for f in facts if f.kind == "staff"]
    assert [f.value for f in staff] == [4]
    assert practice.text[staff[0].start : staff[0].end] == "Cluster employs 4 employees."


def test_inolink_cost_per_cluster_members_and_partnerships() -> None:
    practice = _load(INOLINK)
    facts = extract_facts(practice)
    budget = [f for f in facts if f.kind == "budget"]
    assert len(budget) == 1
    cost = budget[0]
    assert cost.value == 100_000 and cost.currency is None  # the document names no currency
    assert cost.qualifier == "about"
    assert cost.period is not None and "per cluster" in cost.period and "3 years" in cost.period
    assert cost.section == "Resources needed"
    assert "100 000 per cluster in 3 years" in practice.text[cost.match_start : cost.match_end]

    new_members = next(f for f in facts if f.kind == "members" and f.value == 70)
    assert new_members.qualifier == "more than"
    partnerships = next(f for f in facts if f.value == 90)
    assert partnerships.kind == "result" and partnerships.qualifier == "more than"
    assert partnerships.subject is not None and partnerships.subject.endswith("partnerships")
    assert {f.value for f in facts if f.kind == "duration"} == {24, 36}


def test_every_fact_points_into_its_section_on_the_whole_corpus() -> None:
    metadata = load_metadata(CORPUS)
    total = 0
    for path in sorted(CORPUS.glob("*.txt")):
        practice, _ = load_practice(path, metadata.get(path.name))
        sections = {s.name: s for s in practice.sections}
        for fact in extract_facts(practice):
            total += 1
            if fact.origin == "metadata":
                assert fact.start is None and fact.kind in ("country", "region")
                continue
            assert fact.start is not None and fact.end is not None
            assert fact.match_start is not None and fact.match_end is not None
            assert fact.start <= fact.match_start < fact.match_end <= fact.end, (path.name, fact)
            assert practice.text[fact.match_start : fact.match_end] == fact.text
            section = sections[fact.section]
            assert section.start <= fact.start and fact.end <= section.end, (path.name, fact)
    assert total > 300


def test_money_with_currency_ranges_and_metadata_country() -> None:
    text = (
        "Test Scheme\nAbout this good practice\nThe scheme was launched in 2019.\n"
        "Resources needed\nThe programme has a budget of EUR 2.5 million a year. "
        "Each company can receive up to GBP 8,000. The team has between 3 and 5 staff.\n"
        "Evidence of success\nMore than 1,200 SMEs were supported.\n"
    )
    practice, _ = parse_practice(text, source="t.txt", practice_id="t", metadata={"country": "Ireland"})
    facts = extract_facts(practice)
    by_kind = {f.kind: f for f in facts}
    assert by_kind["start_year"].value == 2019
    assert (by_kind["budget"].value, by_kind["budget"].currency, by_kind["budget"].period) == (
        2_500_000,
        "EUR",
        "per year",
    )
    assert (by_kind["grant"].value, by_kind["grant"].currency, by_kind["grant"].qualifier) == (
        8000,
        "GBP",
        "up to",
    )
    assert (by_kind["staff"].value, by_kind["staff"].value_max) == (3, 5)
    assert (by_kind["beneficiaries"].value, by_kind["beneficiaries"].qualifier) == (1200, "more than")
    assert by_kind["country"].origin == "metadata" and by_kind["country"].start is None
    assert by_kind["budget"].display() == "EUR 2.5 million per year"


def test_filters_compare_only_stated_currencies() -> None:
    laugea, inolink = _load(LAUGEA), _load(INOLINK)
    oldham = _load(CORPUS / "oldham-community-power.txt")
    # InoLink's "100 000" has no currency: it never passes a budget condition
    assert match_filter(inolink, extract_facts(inolink), FactFilter(budget_below=10**9)) is None
    assert headline_budget(extract_facts(inolink)) is None
    # Oldham: GBP 250,000 is its largest stated budget; EUR 295,376 at the ECB rate of 2024-06-28,
    # EUR 371,195 at that of 2007-01-02
    facts = extract_facts(oldham)
    assert headline_budget(facts).value == 250_000  # type: ignore[union-attr]
    friday = dt.date(2024, 6, 28)
    below = match_filter(oldham, facts, FactFilter(budget_below=300_000, rates_on=friday))
    assert below is not None and below.evidence[0].currency == "GBP"
    assert below.budget is not None and below.budget.rate_date == friday
    assert below.to_dict()["budget_converted"] == 295_375.6
    assert below.to_dict()["rate_date"] == "2024-06-28" and below.to_dict()["budget_currency"] == "EUR"
    in_2007 = FactFilter(budget_below=300_000, rates_on=dt.date(2007, 1, 2))
    assert match_filter(oldham, facts, in_2007) is None
    in_pounds = match_filter(oldham, facts, FactFilter(budget_below=260_000, currency="GBP"))
    assert in_pounds is not None and in_pounds.to_dict()["rate_date"] is None  # nothing converted
    assert match_filter(oldham, facts, FactFilter(budget_below=280_000, rates_on=friday)) is None
    # years are strict
    assert match_filter(laugea, extract_facts(laugea), FactFilter(started_after=2013)) is not None
    assert match_filter(laugea, extract_facts(laugea), FactFilter(started_after=2014)) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("50000", (50_000, None)),
        ("EUR 1.5 million", (1_500_000, "EUR")),
        ("€200k", (200_000, "EUR")),
        ("100 000 czk", (100_000, "CZK")),
        ("2,5", (25, None)),
    ],
)
def test_parse_amount(raw: str, expected: tuple[float, str | None]) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["cheap", "EUR 5 GBP", "5 XYZ", ""])
def test_parse_amount_says_what_to_type(raw: str) -> None:
    with pytest.raises(InvalidQuestion, match=r"e\.g\.|unknown currency"):
        parse_amount(raw)


@pytest.mark.parametrize(
    "kwargs", [{"currency": "XYZ"}, {"budget_below": -1}, {"started_after": 99}, {"started_after": "2015"}]
)
def test_fact_filter_rejects_bad_values(kwargs: dict) -> None:
    with pytest.raises(InvalidQuestion):
        FactFilter(**kwargs)


# -- the hand-labelled set and the measured floor ---------------------------------------------


def _benchmark():
    from benchmarks import facts_eval

    return facts_eval


def test_gold_set_is_real_text_from_at_least_ten_practices() -> None:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 10
    for row in rows:
        text = (CORPUS / f"{row['practice_id']}.txt").read_text(encoding="utf-8")
        for fact in row["facts"]:
            assert fact["quote"] in text, (row["practice_id"], fact["quote"])


def test_extraction_precision_and_recall_floor() -> None:
    """Floors a little under what benchmarks/facts_eval.py measures, on the tuned practices
    (dev + heldout), on the fresh ones (never tuned on) and on all of them."""
    evaluate = _benchmark().evaluate
    tuned = evaluate("tuned")
    assert tuned.total.tp + tuned.total.fn >= 150
    assert tuned.total.precision >= 0.90, tuned.total
    assert tuned.total.recall >= 0.93, tuned.total
    for kind, score in tuned.per_kind.items():
        assert score.f1 >= 0.8, (kind, score)
    fresh = evaluate("fresh").total
    assert fresh.precision >= 0.75 and fresh.recall >= 0.6, fresh
    overall = evaluate("all").total
    assert overall.precision >= 0.88 and overall.recall >= 0.86, overall
