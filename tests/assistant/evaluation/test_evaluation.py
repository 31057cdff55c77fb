"""The evaluation harness: reading test sets, matching answers, scoring, thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import TestsetError
from assistant.evaluation.metrics import contains, score_answer, summarise
from assistant.evaluation.report import check_thresholds, compare, parse_threshold
from assistant.evaluation.runner import run
from assistant.evaluation.testset import EvalRow, load_testset
from assistant.types import Answer, Chunk, Citation, ScoredChunk


@pytest.mark.parametrize(
    ("answer", "needle"),
    [
        ("about 100 000 per cluster", "100,000"),
        ("about 100,000 per cluster", "100 000"),
        ("about 100000 per cluster", "100 000"),
        ("Eight clusters got the label", "8"),
        ("8 clusters got the label", "eight"),
        ("teams of three to five students", "3 to 5"),
        ("in Göllheim", "gollheim"),
        ("DKK 8 million in 2013–2015", "2013-2015"),
        ("funded at 70 %", "70%"),
        ("THE GREEN DESTINATIONS STANDARD", "Green Destinations Standard"),
    ],
)
def test_contains_matches_equivalent_forms(answer: str, needle: str) -> None:
    assert contains(answer, needle)


@pytest.mark.parametrize(
    ("answer", "needle"),
    [("a score of 86%", "8"), ("in 2018", "8"), ("8.5 MW", "8"), ("21 members", "2"), ("1.25", "1.2")],
)
def test_contains_never_matches_a_number_inside_a_longer_one(answer: str, needle: str) -> None:
    assert not contains(answer, needle)


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_lines_name_the_line_and_the_problem(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "question": "q?", "sources": []})
    with pytest.raises(TestsetError, match=r"set.jsonl:3: not valid JSON"):
        load_testset(write(tmp_path, [good, "", "{oops"]))
    with pytest.raises(TestsetError, match=r":2: needs a non-empty 'question'"):
        load_testset(write(tmp_path, [good, json.dumps({"id": "b", "question": " "})]))
    with pytest.raises(TestsetError, match=r":1: 'sources' must be a list of strings"):
        load_testset(write(tmp_path, [json.dumps({"question": "q", "sources": "a.txt"})]))
    with pytest.raises(TestsetError, match=r":2: id 'a' already used on line 1"):
        load_testset(write(tmp_path, [good, good]))
    with pytest.raises(TestsetError, match="does not exist"):
        load_testset(tmp_path / "missing.jsonl")


def test_ragas_rows_are_read_including_multi_turn(tmp_path: Path) -> None:
    rows = load_testset(
        write(
            tmp_path,
            [
                json.dumps({"user_input": "When was LAuGEA founded?", "reference": "In 2014."}),
                json.dumps(
                    {
                        "user_input": [
                            {"type": "human", "content": "Tell me about LAuGEA."},
                            {"type": "ai", "content": "An automotive cluster."},
                            {"type": "human", "content": "How many members?"},
                        ],
                        "reference": "21",
                    }
                ),
            ],
        )
    )
    assert rows[0].question == "When was LAuGEA founded?" and rows[0].reference == "In 2014."
    assert rows[0].sources is None and rows[0].id == "line-1"
    assert rows[1].question == "How many members?"
    assert [t.role for t in rows[1].history] == ["user", "assistant"]


def _passage(source: str, text: str = "LAuGEA has 21 members.") -> ScoredChunk:
    return ScoredChunk(
        Chunk("p-" + source, "T " + source, "Evidence of success", 0, text, 0, len(text), source), 0.9
    )


def _citation(n: int, source: str, text: str) -> Citation:
    return Citation(n, "p-" + source, "T " + source, "Evidence of success", source, text, 0, len(text))


def test_scores_of_a_cited_answer() -> None:
    row = EvalRow(
        "r", "How many members?", "numeric", 1, must_include=["twenty-one"], sources=["a.txt", "b.txt"]
    )
    answer = Answer(
        "T a: It has 21 members [1] and 4 employees [2].",
        [_citation(1, "a.txt", "It has 21 members"), _citation(2, "c.txt", "It has 5 employees")],
        [_passage("c.txt"), _passage("a.txt"), _passage("d.txt")],
        False,
    )
    scores = score_answer(row, answer, k=5)
    assert scores["recall"] == 0.5 and scores["hit"] == 1.0 and scores["mrr"] == 0.5
    assert scores["accuracy"] == 1.0
    assert scores["citation_precision"] == 0.5  # c.txt is not a source
    assert scores["citation_support"] == 0.5  # "4" is not in citation 2's text
    assert scores["false_abstention"] == 0.0 and scores["abstention"] is None


def test_abstention_is_scored_on_unanswerable_rows_only() -> None:
    unanswerable = EvalRow("u", "Who won?", "out-of-scope", 1, must_include=[], sources=[])
    abstained = Answer("The documents do not say.", [], [_passage("a.txt")], True)
    assert score_answer(unanswerable, abstained, 5)["abstention"] == 1.0
    answered = Answer("T a: 21 [1]", [_citation(1, "a.txt", "21")], [_passage("a.txt")], False)
    scores = score_answer(unanswerable, answered, 5)
    assert scores["abstention"] == 0.0 and scores["false_abstention"] is None
    answerable = EvalRow("a", "How many?", "numeric", 2, must_include=["21"], sources=["a.txt"])
    scores = score_answer(answerable, abstained, 5)
    assert scores["false_abstention"] == 1.0 and scores["accuracy"] == 0.0


def test_a_near_miss_expects_an_abstention_and_still_scores_retrieval() -> None:
    # the practice exists (sources) but its document does not state the asked detail (no must_include)
    near_miss = EvalRow(
        "n", "How many kilometres of cable?", "near-miss", 1, must_include=[], sources=["a.txt"]
    )
    with_evidence = Answer(
        "The document does not state this. T a: 21 [1]",
        [_citation(1, "a.txt", "21")],
        [_passage("a.txt")],
        True,
    )
    scores = score_answer(near_miss, with_evidence, 5)
    assert scores["abstention"] == 1.0 and scores["false_abstention"] is None and scores["hit"] == 1.0
    guessed = Answer("T a: 21 [1]", [_citation(1, "a.txt", "21")], [_passage("a.txt")], False)
    assert score_answer(near_miss, guessed, 5)["abstention"] == 0.0


class ScriptedAsker:
    """Answers from a script, records what it was asked."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, int, list]] = []

    def ask(self, question, *, history=None, k=None, filters=None):
        self.calls.append((question, k, list(history or [])))
        return self.answers[question]


def test_summary_thresholds_and_compare() -> None:
    rows = [
        EvalRow("1", "q1", "numeric", 1, must_include=["21"], sources=["a.txt"]),
        EvalRow("2", "q2", "numeric", 2, must_include=["5"], sources=["b.txt"]),
        EvalRow("3", "q3", "out-of-scope", 3, must_include=[], sources=[]),
    ]
    asker = ScriptedAsker(
        {
            "q1": Answer("T a: 21 [1]", [_citation(1, "a.txt", "21 members")], [_passage("a.txt")], False),
            "q2": Answer("no", [], [_passage("c.txt")], True),
            "q3": Answer("no", [], [], True),
        }
    )
    results = run(asker, rows, k=3)
    assert [c[1] for c in asker.calls] == [3, 3, 3]
    summary = summarise(results, k=3)
    assert summary["by_type"]["numeric"]["accuracy"] == 0.5
    assert summary["by_type"]["numeric"]["false_abstention"] == 0.5
    assert summary["overall"]["abstention"] == 1.0
    assert summary["overall"]["recall"] == 0.5
    failures = check_thresholds(
        summary,
        [
            parse_threshold("recall=0.5"),
            parse_threshold("accuracy@numeric=0.9"),
            parse_threshold("false-abstention=0.05", minimum=False),
            parse_threshold("recall@multilingual=0.9"),
        ],
    )
    assert failures == [
        "accuracy@numeric >= 0.9: got 0.50",
        "false_abstention <= 0.05: got 0.50",
        "recall@multilingual >= 0.9: the test set has no questions of type 'multilingual'",
    ]
    better = json.loads(json.dumps(summary))
    better["overall"]["recall"] = 0.75
    table = compare(summary, better)
    assert "0.50 (-0.25 !)" in table


def test_malformed_thresholds_are_refused() -> None:
    with pytest.raises(TestsetError, match="unknown metric 'recal'"):
        parse_threshold("recal=0.9")
    with pytest.raises(TestsetError, match="is not METRIC=VALUE"):
        parse_threshold("recall>0.9")
