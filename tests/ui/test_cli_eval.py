"""`praxis eval` end to end: a tiny test set over a real Chroma store with the hashing embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import INOLINK, LAUGEA
from ui.cli import main

ROWS = [
    {
        "id": "t1",
        "question": "When was the Lithuanian Automotive Export Association LAuGEA founded?",
        "must_include": ["2014"],
        "sources": [LAUGEA.name],
        "type": "fact",
    },
    {
        "id": "t2",
        "question": "And how many members does it have?",
        "must_include": ["21"],
        "sources": [LAUGEA.name],
        "type": "follow-up",
        "history": [
            {"role": "user", "content": "Tell me about the LAuGEA automotive export association."},
            {"role": "assistant", "content": "LAuGEA was founded in 2014."},
        ],
    },
    {
        "id": "t3",
        "question": "Who won the 2022 FIFA World Cup?",
        "must_include": [],
        "sources": [],
        "type": "out-of-scope",
    },
    {
        "user_input": "How many new members did the clusters supported by InoLink recruit?",
        "reference": "More than 70.",
    },
]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PRAXIS_EMBEDDING__BACKEND", "hashing")
    data = tmp_path / "data"
    assert main(["ingest", "--data-dir", str(data), "-q", str(LAUGEA), str(INOLINK)]) == 0
    return data


def write_testset(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_writes_results_summary_and_report(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run1"
    code = main(
        ["eval", str(write_testset(tmp_path, ROWS)), "--data-dir", str(data_dir), "--out", str(out), "-q"]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "recall@k" in printed and "overall" in printed and "follow-up" in printed

    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in results] == ["t1", "t2", "t3", "line-4"]
    first = results[0]
    assert set(first) >= {
        "id",
        "question",
        "type",
        "answer",
        "abstained",
        "citations",
        "retrieved",
        "scores",
        "latency_ms",
    }
    assert first["retrieved"][0]["source"] == LAUGEA.name
    assert set(first["retrieved"][0]) == {"source", "section", "score"}
    assert first["scores"]["hit"] == 1.0 and "2014" in first["answer"]
    assert first["citations"] and set(first["citations"][0]) >= {"n", "title", "section", "source", "text"}
    assert results[1]["scores"]["recall"] == 1.0  # the follow-up found LAuGEA through its history
    assert results[2]["abstained"] and results[2]["scores"]["abstention"] == 1.0
    assert results[3]["type"] == "unlabelled" and results[3]["scores"]["recall"] is None

    summary = json.loads((out / "summary.json").read_text())
    assert summary["overall"]["n"] == 4 and summary["k"] == 5
    assert summary["by_type"]["out-of-scope"]["abstention"] == 1.0
    assert summary["overall"]["latency_p95"] >= summary["overall"]["latency_p50"] > 0

    report = (out / "report.html").read_text()
    assert report.count("<svg") == len(summary["by_type"]) + 1  # a chart per type, and overall
    assert "http" not in report.split("<body>")[0]  # nothing to fetch

    # a second run compared with the first; a threshold it cannot meet fails the run
    code = main(
        [
            "eval",
            str(write_testset(tmp_path, ROWS)),
            "--data-dir",
            str(data_dir),
            "--out",
            str(tmp_path / "run2"),
            "-q",
            "--compare",
            str(out / "summary.json"),
            "--fail-under",
            "recall=1.01",
            "--fail-over",
            "false_abstention=0.5",
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "compared with" in captured.out and "(+0.00)" in captured.out
    assert "FAILED recall >= 1.01: got 1.00" in captured.err


def test_eval_refuses_a_bad_testset_line(data_dir: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n" + '{"id": "x", "question": 42}\n', encoding="utf-8")
    assert main(["eval", str(path), "--data-dir", str(data_dir)]) == 2
    assert "bad.jsonl:2: needs a non-empty 'question'" in capsys.readouterr().err


def test_eval_on_an_empty_store_says_to_ingest(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PRAXIS_EMBEDDING__BACKEND", "hashing")
    code = main(["eval", str(write_testset(tmp_path, ROWS)), "--data-dir", str(tmp_path / "empty")])
    assert code == 2
    assert "run `praxis ingest` first" in capsys.readouterr().err


class KeyedGenerator:
    """A scripted model for the eval: replies by what the question asks, records every prompt,
    and counts prompt tokens as whitespace-separated words (a stand-in tokenizer)."""

    model_name = "keyed"

    def load(self) -> None:
        """Nothing to load."""

    def __init__(self) -> None:
        self.prompts: list[list] = []

    def count_tokens(self, messages) -> int:
        return sum(len(m.content.split()) for m in messages)

    def complete(self, messages) -> str:
        return "".join(self.stream(messages))

    def stream(self, messages):
        self.prompts.append(list(messages))
        question = messages[-1].content.rsplit("Question:", 1)[-1].lower()
        if "founded" in question:
            reply = "LAuGEA was founded in 2014 [1]."
        elif "members" in question and "inolink" not in question:
            reply = "The cluster consists of 21 members [1]."
        else:
            reply = "NOT IN DOCUMENTS"
        for word in reply.split(" "):
            yield word + " "


def test_eval_runs_several_backends_side_by_side(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import assistant.factory as factory

    generator = KeyedGenerator()
    monkeypatch.setattr(factory, "build_generator", lambda settings, progress=None: generator)
    out = tmp_path / "both"
    testset = str(write_testset(tmp_path, ROWS))
    code = main(
        [
            "eval",
            testset,
            "--data-dir",
            str(data_dir),
            "--out",
            str(out),
            "-q",
            "--backend",
            "extractive,llamacpp",
            "--fail-under",
            "accuracy=1.01",
        ]
    )
    printed = capsys.readouterr()
    assert code == 1  # thresholds apply to each backend; each failure names its backend
    assert "FAILED [extractive] accuracy >= 1.01: got 1.00" in printed.err
    assert "FAILED [llamacpp] accuracy >= 1.01: got 1.00" in printed.err

    # one table per backend, then the comparison with one column per backend
    text = printed.out
    assert text.index("== extractive") < text.index("== llamacpp") < text.index("== side by side")
    side = text[text.index("== side by side") :].splitlines()
    assert side[1].split() == ["measure", "extractive", "llamacpp"]
    row = {label: line for label, line in ((line.split("  ")[0], line) for line in side)}
    assert [
        label
        for label in row
        if label
        in (
            "must_include accuracy",
            "abstention (unanswerable)",
            "false abstention (answerable)",
            "citation precision",
            "time to first token p50",
            "total latency p50",
        )
    ] == [
        "must_include accuracy",
        "abstention (unanswerable)",
        "false abstention (answerable)",
        "citation precision",
        "time to first token p50",
        "total latency p50",
    ]
    assert row["must_include accuracy"].split()[-4:] == ["1.00", "(2/2)", "1.00", "(2/2)"]
    assert "model calls" in row["time to first token p50"]  # the model's first token, for llamacpp
    assert (out / "side_by_side.md").read_text().startswith("| measure | extractive | llamacpp |")

    # each backend wrote its own results and summary; every question went through both
    summaries = {b: json.loads((out / b / "summary.json").read_text()) for b in ("extractive", "llamacpp")}
    assert [s["backend"] for s in summaries.values()] == ["extractive", "llamacpp"]
    results = {
        b: [json.loads(line) for line in (out / b / "results.jsonl").read_text().splitlines()]
        for b in summaries
    }
    assert (
        [r["id"] for r in results["extractive"]]
        == [r["id"] for r in results["llamacpp"]]
        == ["t1", "t2", "t3", "line-4"]
    )
    generated = {r["id"]: r for r in results["llamacpp"]}
    first = generated["t1"]
    assert first["answer"] == "LAuGEA was founded in 2014. [1]" and first["scores"]["accuracy"] == 1
    assert first["first_token_ms"] <= first["first_text_ms"] <= first["latency_ms"]
    assert generated["t1"]["prompt_tokens"] == sum(len(m.content.split()) for m in generator.prompts[0])
    assert generated["t3"]["abstained"] and "first_token_ms" not in generated["t3"]  # no model call
    assert all("first_token_ms" not in r for r in results["extractive"])
    assert all(r["first_text_ms"] <= r["latency_ms"] for r in results["extractive"])
    overall = summaries["llamacpp"]["overall"]
    assert overall["model_calls"] == len(generator.prompts) >= 2
    assert overall["first_token_p50"] > 0 and overall["prompt_tokens_max"] >= overall["prompt_tokens_p50"] > 0
    assert summaries["extractive"]["overall"]["model_calls"] == 0


def test_eval_backends_may_be_repeated_but_must_exist(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import assistant.factory as factory

    monkeypatch.setattr(factory, "build_generator", lambda settings, progress=None: KeyedGenerator())
    testset = str(write_testset(tmp_path, ROWS[:1]))
    out = tmp_path / "repeated"
    assert (
        main(
            [
                "eval",
                testset,
                "--data-dir",
                str(data_dir),
                "--out",
                str(out),
                "-q",
                "--backend",
                "llamacpp",
                "--backend",
                "extractive",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.index("== llamacpp") >= 0
    assert sorted(p.name for p in out.iterdir()) == ["extractive", "llamacpp", "side_by_side.md"]

    assert main(["eval", testset, "--data-dir", str(data_dir), "--backend", "extractive,gpt5"]) == 2
    error = capsys.readouterr().err
    assert "unknown answer backend 'gpt5' in --backend; use extractive, llamacpp, openai" in error
    assert main(["eval", testset, "--data-dir", str(data_dir), "--backend", "extractive,extractive"]) == 2
    assert "names a backend twice" in capsys.readouterr().err
