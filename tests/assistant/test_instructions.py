"""Sentence limits from a system message: read from English instructions, applied to an answer
and to an answer stream cut anywhere."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.instructions import sentence_limit, shorten, shortened
from assistant.types import Answer, Citation, Completed, TextDelta

ANSWER = (
    "Cluj IT Cluster: Cluj IT Cluster was founded in October 2012 by 2.5 dozen firms. [1] "
    'It calls itself "the first association of its kind". [2] It runs working groups [3] and '
    "events, e.g. Cluj Innovation Days. [4]\n- 8 public universities [5]\n- 30 companies [6]"
)


def citation(n: int) -> Citation:
    return Citation(n, "cluj-it-cluster", "Cluj IT Cluster", "About", "cluj.txt", f"text {n}", n, n + 1)


def answer(text: str = ANSWER, abstained: bool = False) -> Answer:
    return Answer(text, [citation(n) for n in range(1, 7)], [], abstained)


@pytest.mark.parametrize(
    ("instructions", "limit"),
    [
        ("Answer in one sentence.", 1),
        ("Keep it to a single sentence, please.", 1),
        ("Be brief: at most 3 sentences.", 3),
        ("Use no more than two sentences.", 2),
        ("not more than 4 sentences", 4),
        ("Write fewer than four sentences.", 3),
        ("Reply in one or two sentences.", 2),
        ("Use at most 3 sentences. Keep it to two sentences if you can.", 2),
        ("Never more than two sentences.", 2),
        ("You are a helpful assistant.", None),
        ("Write at least 3 sentences.", None),
        ("Use more than two sentences.", None),
        ("Each sentence must cite its source.", None),
        ("Answer in 100 sentences.", None),
    ],
)
def test_sentence_limits_are_read_from_english_instructions(instructions: str, limit: int | None) -> None:
    assert sentence_limit(instructions) == limit


@pytest.mark.parametrize(
    ("n", "ends_with", "markers"),
    [
        (1, "2.5 dozen firms. [1]", {1}),
        (2, 'of its kind". [2]', {1, 2}),
        (3, "Cluj Innovation Days. [4]", {1, 2, 3, 4}),
        (4, "8 public universities [5]", {1, 2, 3, 4, 5}),
    ],
)
def test_shorten_keeps_whole_sentences_and_only_their_citations(n: int, ends_with: str, markers: set) -> None:
    short = shorten(answer(), n)
    assert ANSWER.startswith(short.text) and short.text.endswith(ends_with)
    assert {c.n for c in short.citations} == markers


def test_an_answer_within_the_limit_and_an_abstention_stay_whole() -> None:
    assert shorten(answer(), 6) == answer()
    abstention = answer("The documents do not say: budget? The nearest practices are A and B.", True)
    assert shorten(abstention, 1) == abstention


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(ANSWER)), max_size=30), n=st.integers(1, 7))
def test_a_stream_cut_anywhere_sends_exactly_the_shortened_answer(cuts: list[int], n: int) -> None:
    bounds = sorted({0, len(ANSWER), *cuts})
    deltas = [TextDelta(ANSWER[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    events = list(shortened([*deltas, Completed(answer())], n))
    expected = shorten(answer(), n)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == expected.text
    assert events[-1] == Completed(expected)
