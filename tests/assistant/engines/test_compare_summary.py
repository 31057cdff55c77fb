"""Comparisons with a verdict and summaries in points, on the invented practices."""

from __future__ import annotations

import re

from assistant.pipeline import Assistant


def test_a_comparison_says_which_and_why_with_both_figures_cited(routed: Assistant) -> None:
    answer = routed.ask("Which is older, the Greenfield Wind Cooperative or the Valley Craft Voucher?")
    assert answer.route == "compare"
    verdict = answer.text.splitlines()[0]
    assert verdict.startswith("**Greenfield Wind Cooperative** is older")
    assert re.search(r"2004 \[\d\]", verdict) and re.search(r"2016 \[\d\]", verdict)
    assert {c.practice_id for c in answer.citations} == {
        "greenfield-wind-cooperative",
        "valley-craft-voucher",
    }


def test_a_comparison_of_money_converts_the_other_currency(routed: Assistant) -> None:
    answer = routed.ask("Which costs more, the Harbour Heat Network or the Greenfield Wind Cooperative?")
    assert answer.route == "compare"
    assert answer.text.startswith("**Greenfield Wind Cooperative** has more money")
    assert "DKK 30 million" in answer.text and re.search(
        r"ECB euro reference rate of \d{4}-\d\d-\d\d", answer.text
    )


def test_the_words_that_describe_the_practices_do_not_choose_the_figure(routed: Assistant) -> None:
    answer = routed.ask(
        "Which costs more: the Harbour Heat Network of the old port district or the Greenfield Wind "
        "Cooperative of the upland farmers?"
    )
    assert answer.route == "compare" and not answer.abstained
    assert answer.text.startswith("**Greenfield Wind Cooperative** has more money")


def test_no_verdict_when_a_document_does_not_state_the_measure_is_an_abstention(routed: Assistant) -> None:
    # the hub states its staff, the cooperative does not: what is stated is cited, no verdict
    answer = routed.ask(
        "Which has more staff, the Riverside Start-up Hub or the Greenfield Wind Cooperative?"
    )
    assert answer.route == "compare"
    assert answer.abstained
    assert answer.text.startswith("No verdict on staff") and "Greenfield Wind Cooperative" in answer.text
    assert {c.practice_id for c in answer.citations} == {"riverside-startup-hub"}
    older = routed.ask("Which is older, the Riverside Start-up Hub or the Greenfield Wind Cooperative?")
    assert older.route == "compare" and not older.abstained


def test_which_one_compares_the_practices_the_conversation_named(routed: Assistant) -> None:
    history = [
        {"role": "user", "content": "How many practices come from Austria?"},
        {
            "role": "assistant",
            "content": "2 practices come from Austria:\n- **Valley Craft Voucher** [1]\n"
            "- **Mountain Bus Alliance** [2]",
        },
    ]
    answer = routed.ask("Which one started earlier?", history=history)
    assert answer.route == "compare"
    assert answer.text.startswith("**Mountain Bus Alliance** is older")
    assert {c.practice_id for c in answer.citations} == {"valley-craft-voucher", "mountain-bus-alliance"}


def test_a_summary_has_the_asked_number_of_cited_points(routed: Assistant) -> None:
    answer = routed.ask("Summarise the Greenfield Wind Cooperative in three points.")
    assert answer.route == "summary"
    points = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(points) == 3
    assert all(re.search(r"\[\d+\]$", p) for p in points)
    assert "2004" in points[0] and "EUR 4.5 million" in points[1] and "120 members" in answer.text
    assert {c.section for c in answer.citations} >= {"About this good practice", "Evidence of success"}
    # "three key things" ask for three points too
    things = routed.ask("Three key things about the Greenfield Wind Cooperative?")
    assert things.route == "summary"
    assert len([line for line in things.text.splitlines() if line.startswith("- ")]) == 3
    # "a two-point summary" asks for two points
    two = routed.ask("Give me a two-point summary of the Greenfield Wind Cooperative.")
    assert len([line for line in two.text.splitlines() if line.startswith("- ")]) == 2


def test_a_described_practice_is_summarised_only_when_one_of_its_sentences_is_on_the_question(
    invented,  # type: ignore[no-untyped-def]
) -> None:
    from assistant.engines.base import Asked
    from assistant.engines.index import PracticeIndex
    from assistant.engines.relevance import WordRelevance
    from assistant.engines.summary import SummaryEngine
    from assistant.question import Question
    from assistant.types import ScoredChunk

    _, store = invented
    greenfield = [ScoredChunk(c, 0.9) for c in store.chunks_of("greenfield-wind-cooperative")]

    class Finds:  # retrieval always finds some practice, here the cooperative, however far off
        def retrieve(self, query, k=5, **_):  # type: ignore[no-untyped-def]
            return greenfield[:k]

    engine = SummaryEngine(PracticeIndex(store), Finds(), WordRelevance())  # type: ignore[arg-type]

    def summary(question: str) -> str | None:
        drafts = list(engine.stream(Asked(Question.analysed(question, (), question, k=5, filters={}))))
        return None if drafts[-1].declined else drafts[-1].text

    described = summary("Give me an overview of the parish cooperative that sells electricity to the grid.")
    assert described is not None and described.startswith("**Greenfield Wind Cooperative**")
    assert summary("Summarise the latest Harry Potter book.") is None  # left to the lookup: not stated


def test_a_summary_asked_in_german_in_two_points(routed: Assistant) -> None:
    answer = routed.ask("Fassen Sie das Harbour Heat Network in zwei Punkten zusammen.")
    assert answer.route == "summary"
    assert len([line for line in answer.text.splitlines() if line.startswith("- ")]) == 2


def test_a_sentence_that_says_what_the_source_lacks_is_never_a_point() -> None:
    from assistant.engines.summary import _SILENT

    for silent in (
        "No formal impact evaluation data are available.",
        "The source does not give the budget.",
        "There is no data on jobs.",
    ):
        assert _SILENT.search(silent), silent
    for stated in ("The scheme has no staff of its own.", "It gave no cash to firms, only advice."):
        assert not _SILENT.search(stated), stated


def test_a_point_holds_the_best_sentences_that_fit_in_it() -> None:
    from assistant.engines.index import Sentence
    from assistant.engines.summary import POINT_CHARS, _point

    short = [
        Sentence("Evidence of success", i * 100, i * 100 + 60, f"Result {i}: " + "x" * 50) for i in range(4)
    ]
    assert _point(short) == short[:3]  # three short results make one point
    long = [
        Sentence("Evidence of success", i * 1000, i * 1000 + 300, "y" * (POINT_CHARS // 2 + 10))
        for i in range(3)
    ]
    assert _point(long) == long[:1]  # a second long one would not fit
