"""The Assistant as a LangChain Runnable: callbacks see the run, and both stream and astream
deliver the answer in pieces before the final JSON."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler

from assistant.runnable import AssistantRunnable
from tests.conftest import make_assistant

QUESTION = "How many members does the LAuGEA cluster consist of?"


class Recorder(BaseCallbackHandler):
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None:
        self.events.append(("start", inputs))

    def on_chain_end(self, outputs: Any, **kwargs: Any) -> None:
        self.events.append(("end", outputs))


@pytest.mark.model
def test_callbacks_trace_invoke_and_stream(real_corpus_store) -> None:
    runnable = AssistantRunnable(make_assistant(real_corpus_store))
    recorder = Recorder()
    result = runnable.invoke(QUESTION, config={"callbacks": [recorder]})
    assert "21" in result["answer"]
    assert recorder.events[0] == ("start", QUESTION) and recorder.events[-1][0] == "end"
    assert recorder.events[-1][1]["answer"] == result["answer"]

    streamed = Recorder()
    pieces = list(runnable.stream(QUESTION, config={"callbacks": [streamed]}))
    assert [kind for kind, _ in streamed.events] == ["start", "end"]
    assert "".join(p for p in pieces if isinstance(p, str)) == pieces[-1]["answer"]


@pytest.mark.model
def test_astream_yields_the_text_before_the_answer(real_corpus_store) -> None:
    runnable = AssistantRunnable(make_assistant(real_corpus_store))

    async def collect() -> list[Any]:
        return [piece async for piece in runnable.astream({"question": QUESTION, "k": 5})]

    pieces = asyncio.run(collect())
    assert len(pieces) >= 2 and all(isinstance(p, str) for p in pieces[:-1])
    assert isinstance(pieces[-1], dict) and "".join(pieces[:-1]) == pieces[-1]["answer"]
    assert asyncio.run(runnable.ainvoke(QUESTION))["answer"] == pieces[-1]["answer"]
