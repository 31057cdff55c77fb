"""A live Praxis server (API + web UI, one uvicorn process) over the hashing-embedded corpus."""

from __future__ import annotations

import httpx
import pytest

from assistant.config import load_settings
from ui.api.app import create_app


@pytest.fixture(scope="session")
def live(serve, hashing_corpus, tmp_path_factory):
    """The app users run (`praxis serve`): API and UI, read-only tests share it."""
    _, store = hashing_corpus
    data_dir = tmp_path_factory.mktemp("live-data")  # where the UI writes feedback.jsonl
    settings = load_settings(data_dir=data_dir, embedding={"backend": "hashing"})
    server = serve(create_app(settings, store=store))
    server.data_dir = data_dir
    return server


@pytest.fixture
def http(live):
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client
