"""The Assistant as a LangChain Runnable, to compose into users' own chains."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from assistant.errors import InvalidQuestion
from assistant.pipeline import Assistant
from assistant.types import TextDelta


def _runnable_args(value: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict) and "question" in value:
        return value["question"], {k: value[k] for k in ("history", "k", "filters") if k in value}
    raise InvalidQuestion('pass a question string or {"question": ..., "history": [...]}')


class AssistantRunnable(Runnable[Any, Any]):
    """invoke(question | {"question", "history", "k", "filters"}) -> the `ask --json` dict;
    stream(...) yields the answer text in pieces, then that dict."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:  # noqa: A002
        question, options = _runnable_args(input)
        return self.assistant.ask(question, **options).to_dict()

    def stream(
        self,
        input: Any,
        config: RunnableConfig | None = None,
        **kwargs: Any,  # noqa: A002
    ) -> Iterator[Any]:
        question, options = _runnable_args(input)
        for event in self.assistant.stream(question, **options):
            yield event.text if isinstance(event, TextDelta) else event.answer.to_dict()
