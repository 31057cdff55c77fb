"""LangChain's `ChatOpenAI` (langchain-openai, in the llm and openai extras) pointed at a served
Praxis: invoke, stream with usage, system messages, a chain, and clear errors for what Praxis
cannot do."""

from __future__ import annotations

import openai
import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

from tests.conftest import run_async

pytestmark = pytest.mark.llm

CLUJ = "What does the Cluj IT cluster do?"


@pytest.fixture
def chat(live):
    return ChatOpenAI(model="praxis", base_url=f"{live.url}/v1", api_key="unused", max_retries=0, timeout=30)


def test_invoke_returns_the_cited_answer_with_token_usage(chat, http):
    expected = http.post("/v1/ask", json={"question": CLUJ}).json()
    reply = chat.invoke(CLUJ)
    assert reply.content == expected["answer"]
    usage = reply.usage_metadata
    assert (
        usage is not None and usage["input_tokens"] == 3 + 1 + 9 + 3
    )  # message, role, 9 question tokens, reply
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert reply.response_metadata["model_name"] == "praxis"


def test_streaming_with_usage_joins_to_the_same_answer(live, chat):
    streaming = ChatOpenAI(
        model="praxis", base_url=f"{live.url}/v1", api_key="unused", max_retries=0, stream_usage=True
    )
    plain = chat.invoke(CLUJ)
    pieces = list(streaming.stream(CLUJ))
    assert len(pieces) > 2
    joined = pieces[0]
    for piece in pieces[1:]:
        joined += piece
    assert joined.content == plain.content
    assert joined.usage_metadata == plain.usage_metadata

    async def astream() -> str:
        return "".join([str(p.content) async for p in streaming.astream(CLUJ)])

    assert run_async(astream()) == plain.content


def test_a_system_message_limits_the_sentences_in_a_chain(chat, http):
    full = http.post("/v1/ask", json={"question": CLUJ}).json()
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Answer in {count} sentences at most."), ("human", "{question}")]
    )
    chain = prompt | chat | StrOutputParser()
    two = chain.invoke({"count": "two", "question": CLUJ})
    assert full["answer"].startswith(two) and "[2]" in two and "[3]" not in two
    one = chat.invoke([SystemMessage("Reply in a single sentence."), HumanMessage(CLUJ)])
    assert one.content == two[: len(one.content)] and "[2]" not in one.content


def test_what_praxis_cannot_do_fails_clearly(live, chat):
    @tool
    def lookup(place: str) -> str:
        """Look a place up."""
        return place

    with pytest.raises(openai.BadRequestError, match="tools.*calls no tools"):
        chat.bind_tools([lookup]).invoke(CLUJ)
    several = ChatOpenAI(model="praxis", base_url=f"{live.url}/v1", api_key="unused", max_retries=0, n=2)
    with pytest.raises(openai.BadRequestError, match="n=2"):
        several.invoke(CLUJ)
    other = ChatOpenAI(model="gpt-4o", base_url=f"{live.url}/v1", api_key="unused", max_retries=0)
    with pytest.raises(openai.NotFoundError, match="use model 'praxis'"):
        other.invoke(CLUJ)
