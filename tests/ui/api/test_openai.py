"""The official `openai` client against /v1/chat/completions, streaming and not."""

from __future__ import annotations

import openai
import pytest

CLUJ = "What does the Cluj IT cluster do?"
FOLLOW_UP = "And what evidence of success does it have?"


@pytest.fixture
def client(live):
    with openai.OpenAI(base_url=f"{live.url}/v1", api_key="unused", max_retries=0, timeout=30) as client:
        yield client


def test_completion_carries_answer_and_citations(client, http):
    completion = client.chat.completions.create(model="praxis", messages=[{"role": "user", "content": CLUJ}])
    text = completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    assert completion.object == "chat.completion"
    expected = http.post("/v1/ask", json={"question": CLUJ}).json()
    assert text == expected["answer"]
    citations = completion.model_extra["citations"]
    assert citations == expected["citations"] and citations
    assert completion.model_extra["abstained"] is False
    usage = completion.usage
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens > 0


def test_streamed_completion_equals_the_plain_one(client):
    plain = client.chat.completions.create(model="praxis", messages=[{"role": "user", "content": CLUJ}])
    stream = client.chat.completions.create(
        model="praxis", messages=[{"role": "user", "content": CLUJ}], stream=True
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == plain.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"] == plain.model_extra["citations"]


def test_conversation_history_and_extras(client, http):
    first = client.chat.completions.create(model="praxis", messages=[{"role": "user", "content": CLUJ}])
    follow_up = client.chat.completions.create(
        model="praxis",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": CLUJ},
            {"role": "assistant", "content": first.choices[0].message.content},
            {"role": "user", "content": [{"type": "text", "text": FOLLOW_UP}]},
        ],
        temperature=0.2,
    )
    assert {c["practice_id"] for c in follow_up.model_extra["citations"]} == {"cluj-it-cluster"}
    filtered = client.chat.completions.create(
        model="praxis",
        messages=[{"role": "user", "content": "automotive cluster export"}],
        extra_body={"filters": {"country": "Lithuania"}, "k": 8},
    )
    cited = {c["practice_id"] for c in filtered.model_extra["citations"]}
    listing = http.get("/v1/practices", params={"country": "Lithuania"}).json()
    lithuanian = {p["id"] for p in listing["practices"]}
    assert cited and cited <= lithuanian


def test_errors_arrive_as_openai_exceptions(client):
    with pytest.raises(openai.NotFoundError, match="praxis"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": CLUJ}])
    with pytest.raises(openai.UnprocessableEntityError, match="last message"):
        client.chat.completions.create(model="praxis", messages=[{"role": "assistant", "content": "hi"}])
    with pytest.raises(openai.UnprocessableEntityError, match="empty"):
        client.chat.completions.create(model="praxis", messages=[{"role": "user", "content": " "}])


def test_models_lists_praxis(client):
    assert [m.id for m in client.models.list()] == ["praxis"]
