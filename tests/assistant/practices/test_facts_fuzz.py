"""Fact extraction never crashes and never points outside the text, whatever the document says."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import CorpusError
from assistant.practices.facts.rules import extract_facts
from assistant.types import SECTION_NAMES
from ingest.parse import parse_practice

FRAGMENTS = [
    *SECTION_NAMES,
    "Organisation: X, Y",
    "EUR 1.5 million",
    "€200",
    "GBP 20,000 a year",
    "CZK 4 million (about EUR",
    "between 11 and 20 staff",
    "7-10 person-years",
    "2- 3 years",
    "founded in 2014",
    "in 2016-2020",
    "more than 70 new members",
    "of which 26 joined",
    "42 of them start-ups",
    "financed by the ERDF",
    "funds come from",
    "which provides part of the funding",
    "up to",
    "per cluster in 3 years",
    "(",
    ")",
    "one",
    "twenty",
    "-",
    "–",
    " to ",
    " and ",
    ", ",
    "; ",
    ": ",
    ". ",
    "\n",
    "•",
    "100 000",
    "1,200,000",
    "9" * 30,
    "2014",
    "%",
    "Horizon 2020",
    "km",
    "MW",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), min_size=1, max_size=60))
def test_any_text_gives_consistent_facts(parts: list[str]) -> None:
    text = "Title\n" + " ".join(parts)
    try:
        practice, _ = parse_practice(text, source="f.txt", practice_id="f", metadata={"country": "X"})
    except CorpusError:
        return  # the parser refuses it (e.g. headings without text); nothing to extract from
    for fact in extract_facts(practice):
        assert fact.kind
        if fact.start is None:
            continue
        assert 0 <= fact.start <= fact.end <= len(practice.text)  # type: ignore[operator]
        assert fact.match_start is not None and fact.match_end is not None
        assert practice.text[fact.match_start : fact.match_end] == fact.text


def test_long_number_soup_is_fast() -> None:
    """No pathological backtracking: a page of digits, separators and currencies is quick."""
    soup = " ".join(["EUR 1 000 000,", "2-3", "between 4 and 5", "100 000 000 000"] * 500)
    practice, _ = parse_practice("T\nResources needed\n" + soup, source="s.txt", practice_id="s")
    started = time.perf_counter()
    extract_facts(practice)
    assert time.perf_counter() - started < 10
