"""Evaluating a test set with one or several answer backends (`praxis eval` without the printing),
over a real Chroma store with the hashing embedder and a scripted model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import assistant.factory as factory
from assistant.errors import ConfigError, StoreError
from assistant.evaluation.backends import BackendRun, check_backends, evaluate
from assistant.evaluation.report import parse_threshold
from assistant.evaluation.testset import parse_row
from assistant.llm.backends import ScriptedGenerator
from assistant.store.chroma import ChromaStore
from ingest.ingestor import Ingestor
from tests.conftest import LAUGEA

ROWS = [
    parse_row(
        {
            "id": "founded",
            "question": "When was the Lithuanian Automotive Export Association LAuGEA founded?",
            "must_include": ["2014"],
            "sources": [LAUGEA.name],
        },
        1,
        "tiny.jsonl:1",
    ),
    parse_row(
        {"id": "cup", "question": "Who won the 2022 FIFA World Cup?", "must_include": [], "sources": []},
        2,
        "tiny.jsonl:2",
    ),
]


@pytest.fixture
def laugea_store(store: ChromaStore) -> ChromaStore:
    assert Ingestor(store, store.embeddings).run([LAUGEA]).ok
    return store


def test_one_backend_writes_its_reports_into_out(laugea_store, settings_for, tmp_path: Path) -> None:
    settings = settings_for(embedding={"backend": "hashing"}, retrieval={"mode": "dense"})
    steps: list[tuple[str, int, int]] = []
    finished: list[BackendRun] = []
    evaluation = evaluate(
        settings,
        laugea_store,
        ROWS,
        testset="tiny.jsonl",
        out=tmp_path / "run",
        thresholds=[parse_threshold("accuracy=1.01")],
        progress=lambda backend, done, total: steps.append((backend, done, total)),
        on_run=finished.append,
    )
    assert steps == [("extractive", 1, 2), ("extractive", 2, 2)]
    assert [run.backend for run in finished] == ["extractive"] and evaluation.runs == finished
    run = evaluation.runs[0]
    assert run.out == tmp_path / "run" and evaluation.side_by_side is None
    summary = json.loads((run.out / "summary.json").read_text())
    assert (
        summary == run.summary and summary["backend"] == "extractive" and summary["testset"] == "tiny.jsonl"
    )
    assert summary["overall"]["accuracy"] == 1.0 and summary["overall"]["abstention"] == 1.0
    assert [json.loads(line)["id"] for line in (run.out / "results.jsonl").read_text().splitlines()] == [
        "founded",
        "cup",
    ]
    assert evaluation.failures == ["accuracy >= 1.01: got 1.00"]  # no backend prefix with one backend


def test_several_backends_side_by_side(laugea_store, settings_for, tmp_path, monkeypatch) -> None:
    generator = ScriptedGenerator("LAuGEA was founded in 2014 [1].")
    monkeypatch.setattr(factory, "build_generator", lambda settings, progress=None: generator)
    settings = settings_for(embedding={"backend": "hashing"}, retrieval={"mode": "dense"})
    evaluation = evaluate(
        settings,
        laugea_store,
        ROWS,
        testset="tiny.jsonl",
        backends=["llamacpp", "extractive"],
        out=tmp_path / "both",
        thresholds=[parse_threshold("accuracy=1.01")],
    )
    assert [run.backend for run in evaluation.runs] == ["llamacpp", "extractive"]
    assert [run.out for run in evaluation.runs] == [
        tmp_path / "both" / "llamacpp",
        tmp_path / "both" / "extractive",
    ]
    assert evaluation.summaries["llamacpp"]["overall"]["model_calls"] == len(generator.prompts) >= 1
    assert evaluation.summaries["extractive"]["overall"]["model_calls"] == 0
    assert evaluation.side_by_side == tmp_path / "both" / "side_by_side.md"
    assert evaluation.side_by_side.read_text().startswith("| measure | llamacpp | extractive |")
    assert evaluation.failures == [
        "[llamacpp] accuracy >= 1.01: got 1.00",
        "[extractive] accuracy >= 1.01: got 1.00",
    ]


def test_an_empty_store_says_to_ingest(store, settings_for, tmp_path) -> None:
    settings = settings_for(embedding={"backend": "hashing"})
    with pytest.raises(StoreError, match="run `praxis ingest` first"):
        evaluate(settings, store, ROWS, testset="tiny.jsonl", out=tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_backend_names_are_checked() -> None:
    assert check_backends(["openai", "extractive"]) == ["openai", "extractive"]
    with pytest.raises(
        ConfigError, match="unknown answer backend 'gpt5' in --backend; use extractive, llamacpp"
    ):
        check_backends(["extractive", "gpt5"], flag="--backend")
    with pytest.raises(ConfigError, match="names a backend twice"):
        check_backends(["extractive", "extractive"])
