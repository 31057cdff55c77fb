"""Shared fixtures: real Chroma in a temp folder, a hashing embedder by default, the real model
only for tests marked `model`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import assistant.embeddings as embeddings_module
import assistant.llm.backends as generation_module
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.config import load_settings
from assistant.embeddings import HashingEmbeddings, SentenceTransformerEmbeddings
from assistant.pipeline import Assistant
from assistant.retrieval.dense import DenseRetriever
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from ingest.ingestor import Ingestor

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
LAUGEA = CORPUS / "laugea-lithuanian-automotive-export-association.txt"
INOLINK = CORPUS / "inolink-fostering-innovative-networks.txt"


@pytest.fixture(autouse=True)
def _guard_model_loads(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests must not load real models by accident; `@pytest.mark.model` opts in."""
    allowed = request.node.get_closest_marker("model") is not None
    monkeypatch.setattr(embeddings_module, "ALLOW_MODEL_LOADS", allowed)
    monkeypatch.setattr(generation_module, "ALLOW_MODEL_LOADS", allowed)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No PRAXIS_* setting from the developer's shell leaks into a test."""
    import os

    for key in list(os.environ):
        if key.startswith("PRAXIS_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def hashing() -> HashingEmbeddings:
    return HashingEmbeddings()


@pytest.fixture(scope="session")
def real_embeddings() -> SentenceTransformerEmbeddings:
    """The packaged model, loaded once per session (tests using it are marked `model`)."""
    embeddings_module.ALLOW_MODEL_LOADS = True
    model = SentenceTransformerEmbeddings("all-MiniLM-L6-v2")
    _ = model.model
    return model


@pytest.fixture
def store(tmp_path: Path, hashing: HashingEmbeddings) -> ChromaStore:
    """A real embedded Chroma store in a fresh folder, with the hashing embedder."""
    return ChromaStore(open_client(tmp_path / "data"), hashing, name="test")


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def make_assistant(store: ChromaStore) -> Assistant:
    return Assistant(DenseRetriever(store, store.embeddings), ExtractiveAnswerer(store.embeddings))


@pytest.fixture(scope="session")
def real_corpus_store(
    tmp_path_factory: pytest.TempPathFactory, real_embeddings: SentenceTransformerEmbeddings
) -> ChromaStore:
    """The bundled corpus ingested once with the real model (for `model` tests)."""
    data = tmp_path_factory.mktemp("real-data")
    store = ChromaStore(open_client(data), real_embeddings, name="praxis")
    report = Ingestor(store, real_embeddings).run([CORPUS])
    assert report.ok, report.failed
    return store


@pytest.fixture
def settings_for(tmp_path: Path):
    def _make(**overrides):
        return load_settings(data_dir=tmp_path / "data", **overrides)

    return _make


# -- live HTTP servers (tests/ui, tests/e2e) -----------------------------------------------------


class LiveServer:
    """An ASGI app served by uvicorn in a thread, on a free 127.0.0.1 port bound before start."""

    def __init__(self, app) -> None:
        import socket
        import threading
        import time

        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()


@pytest.fixture(scope="session")
def serve():
    """serve(app) -> LiveServer with .url; every server is stopped at the end of the session."""
    servers: list[LiveServer] = []

    def _serve(app) -> LiveServer:
        servers.append(LiveServer(app))
        return servers[-1]

    yield _serve
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def hashing_corpus(tmp_path_factory: pytest.TempPathFactory):
    """(data dir, store): the bundled corpus ingested once with the hashing embedder."""
    data = tmp_path_factory.mktemp("hashing-corpus")
    store = ChromaStore(open_client(data), HashingEmbeddings(), name="praxis")
    report = Ingestor(store, store.embeddings).run([CORPUS])
    assert report.ok, report.failed
    return data, store


def run_async(coroutine):  # type: ignore[no-untyped-def]
    """Run a coroutine to its end in a thread of its own: a test may run after the browser tests,
    whose Playwright (sync API) keeps an event loop running in the main thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
