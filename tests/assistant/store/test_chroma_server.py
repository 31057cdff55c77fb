"""Client/server: a real `chroma run` server; Praxis ingests into it and answers from it, and several
Praxis processes (API replicas) share it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.factory import build_assistant, build_store
from ingest.ingestor import Ingestor
from tests.conftest import CORPUS
from ui.cli import main

QUESTION = "What does Kalundborg Symbiosis recycle every year?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`chroma run` (shipped with the chromadb package) on a free loopback port; yields its URL."""
    executable = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert executable, "the chroma CLI comes with the chromadb package; reinstall chromadb"
    folder = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [executable, "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start: {(folder / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def server_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, chroma_server: str, request) -> str:
    """Settings pointing at the server, a collection of this test's own, the hashing embedder."""
    monkeypatch.setenv("PRAXIS_STORE__CHROMA_URL", chroma_server)
    monkeypatch.setenv("PRAXIS_STORE__COLLECTION", f"t{abs(hash(request.node.name)) % 10**8}")
    monkeypatch.setenv("PRAXIS_EMBEDDING__BACKEND", "hashing")
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(tmp_path / "local-data"))
    return chroma_server


def test_ingest_and_ask_through_a_chroma_server(
    server_env: str, corpus_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(corpus_copy), "-q"]) == 0
    assert "added 42, updated 0, unchanged 0, failed 0" in capsys.readouterr().out

    assert main(["ask", QUESTION, "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert not answer["abstained"]
    assert answer["citations"][0]["source"] == "kalundborg-symbiosis.txt"

    assert main(["ingest", str(corpus_copy), "-q"]) == 0
    assert "unchanged 42" in capsys.readouterr().out
    assert not (tmp_path / "local-data" / "chroma").exists()  # nothing was written locally


def test_replicas_share_one_server_and_see_updates_and_rebuilds(server_env: str, corpus_copy: Path) -> None:
    """Two API processes over one server: what one ingest writes, both answer from, without restart."""
    settings = load_settings()
    writer = build_store(settings)
    assert Ingestor(writer, writer.embeddings).run([corpus_copy]).ok
    replica_a, replica_b = build_assistant(settings), build_assistant(load_settings())
    for replica in (replica_a, replica_b):
        assert replica.ask(QUESTION).citations[0].source == "kalundborg-symbiosis.txt"

    kalundborg = corpus_copy / "kalundborg-symbiosis.txt"
    kalundborg.write_text(kalundborg.read_text(encoding="utf-8").replace("62,000 tonnes", "71,500 tonnes"))
    report = Ingestor(writer, writer.embeddings).run([corpus_copy])
    assert report.updated == ["kalundborg-symbiosis.txt"]
    answer = replica_b.ask("How many tonnes of residual materials does Kalundborg recycle every year?")
    retrieved = " ".join(p.chunk.text for p in answer.passages)
    assert "71,500 tonnes" in retrieved and "62,000 tonnes" not in retrieved

    # an operator rebuilds the collections from another process: running replicas keep answering
    rebuilt = build_store(load_settings())
    assert Ingestor(rebuilt, rebuilt.embeddings).run([corpus_copy], rebuild=True).ok
    assert replica_a.ask(QUESTION).citations[0].source == "kalundborg-symbiosis.txt"


def test_an_unreachable_server_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("PRAXIS_STORE__CHROMA_URL", url)
    monkeypatch.setenv("PRAXIS_EMBEDDING__BACKEND", "hashing")
    assert main(["ingest", str(CORPUS), "-q"]) == 2
    assert f"cannot reach the Chroma server at {url}" in capsys.readouterr().err


def test_a_named_database_on_the_server(
    chroma_server: str, monkeypatch: pytest.MonkeyPatch, corpus_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tenant and database settings reach the server (as on a shared or hosted Chroma)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    monkeypatch.setenv("PRAXIS_STORE__CHROMA_URL", chroma_server)
    monkeypatch.setenv("PRAXIS_EMBEDDING__BACKEND", "hashing")
    monkeypatch.setenv("PRAXIS_STORE__CHROMA_DATABASE", "praxis_team_a")
    assert main(["ingest", str(corpus_copy), "-q"]) == 2
    assert "has no tenant 'default_tenant' with database 'praxis_team_a'" in capsys.readouterr().err

    host, port = chroma_server.rsplit(":", 1)
    admin = chromadb.AdminClient(
        ChromaSettings(
            chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host=host.split("//")[1],
            chroma_server_http_port=int(port),
            anonymized_telemetry=False,
        )
    )
    admin.create_database("praxis_team_a")
    assert main(["ingest", str(corpus_copy), "-q"]) == 0
    capsys.readouterr()
    team_a = chromadb.HttpClient(host=host.split("//")[1], port=int(port), database="praxis_team_a")
    assert {c.name for c in team_a.list_collections()} == {"praxis_chunks", "praxis_documents"}
    assert main(["ask", QUESTION, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["citations"][0]["source"] == "kalundborg-symbiosis.txt"
