"""The official `openai` client (sync and async) against /v1/chat/completions and /v1/models:
streaming, usage as OpenAI counts it, unsupported parameters, system messages."""

from __future__ import annotations

import openai
import pytest

from tests.conftest import run_async
from tests.ui.api import error_of

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


def test_models_lists_praxis_and_retrieves_it_by_id(client, http):
    assert [m.id for m in client.models.list()] == ["praxis"]
    model = client.models.retrieve("praxis")
    assert (model.id, model.object, model.owned_by) == ("praxis", "model", "praxis")
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        client.models.retrieve("gpt-4o")
    assert error_of(http.get("/v1/models/gpt-4o"))["type"] == "not_found"


# OpenAI's cookbook ("How to count tokens with tiktoken"): the API reports 129 prompt tokens for
# these messages with gpt-4 and gpt-3.5-turbo (cl100k_base)
COOKBOOK_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate jargon "
        "into plain English.",
    },
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Things working well together will increase revenue.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch base on opportunities for "
        "increased leverage.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Let's talk later when we're less busy about how to do better.",
    },
    {
        "role": "user",
        "content": "This late pivot means we don't have time to boil the ocean for the client deliverable.",
    },
]


def test_usage_counts_prompt_tokens_as_the_openai_api_does(client):
    completion = client.chat.completions.create(model="praxis", messages=COOKBOOK_MESSAGES)
    assert completion.usage.prompt_tokens == 129
    # "hello world" is 2 cl100k_base tokens; one user message adds 3, its role 1, the reply 3
    hello = client.chat.completions.create(
        model="praxis", messages=[{"role": "user", "content": "hello world"}]
    )
    assert hello.usage.prompt_tokens == 9
    assert hello.usage.completion_tokens < len(hello.choices[0].message.content)  # tokens, not characters
    assert hello.usage.completion_tokens > len(hello.choices[0].message.content.split()) // 2


def test_include_usage_sends_a_last_chunk_with_usage_and_no_choices(client):
    messages = [{"role": "user", "content": CLUJ}]
    plain = client.chat.completions.create(model="praxis", messages=messages)
    stream = client.chat.completions.create(
        model="praxis", messages=messages, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None
    assert last.usage.model_dump() == plain.usage.model_dump()
    assert all(c.usage is None and c.choices for c in chunks[:-1])
    assert "".join(c.choices[0].delta.content or "" for c in chunks[:-1]) == plain.choices[0].message.content
    without = list(client.chat.completions.create(model="praxis", messages=messages, stream=True))
    assert all(c.usage is None and c.choices for c in without)


def test_the_async_client_answers_and_streams_with_usage(live):
    async def run():
        async with openai.AsyncOpenAI(base_url=f"{live.url}/v1", api_key="unused", max_retries=0) as client:
            messages = [{"role": "user", "content": CLUJ}]
            plain = await client.chat.completions.create(model="praxis", messages=messages)
            stream = await client.chat.completions.create(
                model="praxis", messages=messages, stream=True, stream_options={"include_usage": True}
            )
            chunks = [chunk async for chunk in stream]
            model = await client.models.retrieve("praxis")
            return plain, chunks, model

    plain, chunks, model = run_async(run())
    assert model.id == "praxis"
    assert (
        "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        == plain.choices[0].message.content
    )
    assert chunks[-1].usage.total_tokens == plain.usage.total_tokens > 0
    assert plain.model_extra["citations"]


@pytest.mark.parametrize(
    ("arguments", "named", "why"),
    [
        ({"n": 2}, "n=2", "one answer per request"),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]},
            "tools",
            "calls no tools",
        ),
        ({"tool_choice": "required"}, "tool_choice", "calls no tools"),
        ({"functions": [{"name": "f", "parameters": {}}]}, "functions", "calls no functions"),
        ({"response_format": {"type": "json_object"}}, "response_format", "citations"),
        ({"logprobs": True}, "logprobs=true", "no token probabilities"),
        ({"stop": ["\n"]}, "stop", "not cut at stop sequences"),
        ({"extra_body": {"best_of": 3}}, "'best_of'", "unrecognized request argument"),
    ],
)
def test_unsupported_parameters_get_a_clear_400_naming_them(client, http, arguments, named, why):
    messages = [{"role": "user", "content": CLUJ}]
    with pytest.raises(openai.BadRequestError) as refused:
        client.chat.completions.create(model="praxis", messages=messages, **arguments)
    assert named in str(refused.value) and why in str(refused.value)
    body = {"model": "praxis", "messages": messages, **arguments.get("extra_body", arguments)}
    error = error_of(http.post("/v1/chat/completions", json=body))
    assert error["type"] == "unsupported_parameter" and named in error["message"]


def test_an_image_part_is_refused_not_dropped(client):
    content = [
        {"type": "text", "text": CLUJ},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
    ]
    with pytest.raises(openai.BadRequestError, match="'image_url' is not supported"):
        client.chat.completions.create(model="praxis", messages=[{"role": "user", "content": content}])


def test_the_parameters_clients_always_send_are_accepted_and_change_nothing(client):
    messages = [{"role": "user", "content": CLUJ}]
    plain = client.chat.completions.create(model="praxis", messages=messages)
    tuned = client.chat.completions.create(
        model="praxis",
        messages=messages,
        temperature=1.5,
        top_p=0.5,
        max_tokens=5,
        max_completion_tokens=5,
        seed=7,
        presence_penalty=1.0,
        frequency_penalty=1.0,
        user="analyst-7",
        n=1,
        logprobs=False,
        response_format={"type": "text"},
        tool_choice="none",
        metadata={"team": "policy"},
        store=False,
    )
    assert tuned.choices[0].message.content == plain.choices[0].message.content
    assert tuned.model_extra["citations"] == plain.model_extra["citations"]


def test_a_sentence_limit_in_the_system_message_is_honoured(client, http):
    full = http.post("/v1/ask", json={"question": CLUJ}).json()
    assert len(full["citations"]) >= 3  # the whole answer has several cited sentences
    messages = [{"role": "system", "content": "Answer in one sentence."}, {"role": "user", "content": CLUJ}]
    one = client.chat.completions.create(model="praxis", messages=messages)
    text = one.choices[0].message.content
    assert full["answer"].startswith(text) and text.endswith("[1]") and "[2]" not in text
    assert one.model_extra["citations"] == full["citations"][:1]
    streamed = list(client.chat.completions.create(model="praxis", messages=messages, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in streamed) == text
    assert streamed[-1].model_extra["citations"] == full["citations"][:1]
    two = client.chat.completions.create(
        model="praxis",
        messages=[{"role": "developer", "content": "Use no more than two sentences."}, messages[1]],
    )
    assert two.model_extra["citations"] == full["citations"][:2]
    persona = client.chat.completions.create(
        model="praxis",
        messages=[{"role": "system", "content": "You are a pirate. Be cheerful."}, messages[1]],
    )
    assert persona.choices[0].message.content == full["answer"]  # tone instructions are ignored
