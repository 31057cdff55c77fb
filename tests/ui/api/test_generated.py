"""Generated answers through the HTTP API: streamed sentence by sentence, guarded, and a model that
fails mid-answer reported as an error event (scripted generator, real server)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import httpx
import pytest

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.generated import GenerativeAnswerer
from assistant.config import load_settings
from assistant.embeddings import HashingEmbeddings
from assistant.errors import BackendError
from assistant.llm.backends import ScriptedGenerator
from assistant.pipeline import Assistant
from assistant.types import Message
from tests.assistant.answering.test_generative import MEMBERS, FixedRetriever, passages, practices  # noqa: F401
from tests.ui.api import error_of, sse_events
from ui.api.app import create_app


class FailingGenerator:
    """Writes one good sentence, then the model server goes away."""

    def load(self) -> None:
        """Nothing to load."""

    def count_tokens(self, messages) -> int | None:
        return None

    def complete(self, messages: Sequence[Message]) -> str:
        raise BackendError("the chat server at http://127.0.0.1:9/v1 failed (APIConnectionError)")

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        yield "The cluster consists of 21 members [1]. "
        yield "It also "
        raise BackendError("the chat server at http://127.0.0.1:9/v1 failed (APIConnectionError)")


@pytest.fixture
def server_with(serve, store, tmp_path, passages):  # noqa: F811
    def _make(generator) -> str:
        embeddings = HashingEmbeddings()
        answerer = GenerativeAnswerer(generator, ExtractiveAnswerer(embeddings))
        assistant = Assistant(FixedRetriever(passages), answerer)
        settings = load_settings(data_dir=tmp_path / "data", embedding={"backend": "hashing"})
        return serve(create_app(settings, assistant=assistant, store=store, ui=False)).url

    return _make


def test_a_generated_answer_streams_guarded_sentences_over_sse(server_with):
    url = server_with(
        ScriptedGenerator(
            "The cluster consists of 21 members [1]. Its budget is EUR 7 million [1]. "
            "They include 19 automotive companies [5]."
        )
    )
    with httpx.stream("POST", f"{url}/v1/ask/stream", json={"question": MEMBERS}, timeout=30) as response:
        assert response.status_code == 200
        response.read()
    events = sse_events(response)
    assert [kind for kind, _ in events] == ["delta", "delta", "answer"]
    final = events[-1][1]
    assert "".join(data["text"] for kind, data in events if kind == "delta") == final["answer"]
    # the invented budget is gone, the marker [5] of 3 passages is mapped to the passage that says it
    assert final["answer"] == (
        "The cluster consists of 21 members. [1] They include 19 automotive companies. [1]"
    )
    assert [c["source"] for c in final["citations"]] == [
        "laugea-lithuanian-automotive-export-association.txt"
    ]
    assert final["timings_ms"]["first_token"] > 0


def test_a_model_failing_mid_answer_ends_the_stream_with_an_error_event(server_with):
    url = server_with(FailingGenerator())
    with httpx.stream("POST", f"{url}/v1/ask/stream", json={"question": MEMBERS}, timeout=30) as response:
        response.read()
    events = sse_events(response)
    assert events[-1][0] == "error" and "127.0.0.1:9" in events[-1][1]["error"]["message"]
    assert all(kind == "delta" for kind, _ in events[:-1])
    ask = httpx.post(f"{url}/v1/ask", json={"question": MEMBERS}, timeout=30)
    assert ask.status_code == 502 and "chat server" in error_of(ask)["message"]
