"""The Assistant as a LangChain Runnable, to compose into users' own chains.

Callbacks see each call as one chain run (tracers, LangSmith, `config={"callbacks": [...]}`),
and `stream` / `astream` yield the answer text as it is written, then the `ask --json` dict.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from assistant.errors import InvalidQuestion
from assistant.pipeline import Assistant
from assistant.types import TextDelta

_DONE = object()


def _runnable_args(value: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict) and "question" in value:
        return value["question"], {k: value[k] for k in ("history", "k", "filters") if k in value}
    raise InvalidQuestion('pass a question string or {"question": ..., "history": [...]}')


class AssistantRunnable(Runnable[Any, Any]):
    """invoke(question | {"question", "history", "k", "filters"}) -> the `ask --json` dict;
    stream / astream yield the answer text in pieces, then that dict."""

    name: str | None = "praxis"

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def _ask(self, value: Any) -> dict[str, Any]:
        question, options = _runnable_args(value)
        return self.assistant.ask(question, **options).to_dict()

    def _pieces(self, values: Iterator[Any]) -> Iterator[Any]:
        for value in values:
            question, options = _runnable_args(value)
            for event in self.assistant.stream(question, **options):
                yield event.text if isinstance(event, TextDelta) else event.answer.to_dict()

    async def _apieces(self, values: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for value in values:
            pieces = self._pieces(iter([value]))
            while (piece := await asyncio.to_thread(next, pieces, _DONE)) is not _DONE:
                yield piece

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:  # noqa: A002
        return self._call_with_config(self._ask, input, config)

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:  # noqa: A002
        return await asyncio.to_thread(self.invoke, input, config)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[Any]:  # noqa: A002
        yield from self._transform_stream_with_config(iter([input]), self._pieces, config)

    async def astream(
        self,
        input: Any,  # noqa: A002
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Any]:
        async def values() -> AsyncIterator[Any]:
            yield input

        async for piece in self._atransform_stream_with_config(values(), self._apieces, config):
            yield piece
