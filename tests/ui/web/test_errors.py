"""The web UI never shows an anonymous user raw exception text or server paths: a store failure
becomes a plain sentence, and an unexpected error a generic one (its text stays in the log)."""

from __future__ import annotations

import chromadb.errors
import pytest
from gradio_client import Client

from assistant.config import load_settings
from ingest.ingestor import Ingestor
from tests.conftest import LAUGEA
from ui.api.app import create_app

SECRET_PATH = "/srv/praxis-private/data/chroma/chroma.sqlite3"


@pytest.fixture
def broken_ui(serve, store, tmp_path):
    """The web UI over a store whose queries fail with a server path in the exception text."""
    Ingestor(store, store.embeddings).run([LAUGEA])
    settings = load_settings(data_dir=tmp_path / "data", embedding={"backend": "hashing"})
    server = serve(create_app(settings, store=store))
    store._open(create=False)
    client = Client(f"{server.url}/", verbose=False)
    yield store, client
    client.close()


def test_a_store_failure_shows_a_plain_sentence(broken_ui) -> None:
    store, client = broken_ui

    def failing_query(**kwargs):
        raise chromadb.errors.InternalError(f"Error executing plan: disk I/O error at {SECRET_PATH}")

    store._chunks.query = failing_query
    shown = str(client.predict("How many members does LAuGEA have?", None, None, "en", api_name="/ask"))
    assert "not available right now" in shown or "disk" in shown
    assert SECRET_PATH not in shown and "InternalError" not in shown


def test_an_unexpected_error_shows_no_exception_text(broken_ui) -> None:
    store, client = broken_ui

    def crashing_query(**kwargs):
        raise RuntimeError(f"unexpected failure reading {SECRET_PATH}")

    store._chunks.query = crashing_query
    with pytest.raises(Exception) as raised:
        client.predict("How many members does LAuGEA have?", None, None, "en", api_name="/ask")
    assert SECRET_PATH not in str(raised.value) and "RuntimeError" not in str(raised.value)
