"""The OpenAI chat completions wire format: request, completion, chunks as Server-Sent Events.

Praxis extras: request fields `filters` and `k`; `citations` and `abstained` on the completion,
or on the last chunk when streaming.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from assistant.conversation import MAX_HISTORY_CHARS, MAX_HISTORY_TURNS
from assistant.errors import PraxisError
from assistant.retrieval.base import MAX_K
from assistant.types import Answer, Event, TextDelta
from ui.api.errors import InvalidRequest, error_body, status_for
from ui.api.schemas import CitationOut, Filters

MODEL_ID = "praxis"
MAX_CHAT_MESSAGES = 200

SSE_CHUNK = {
    "type": "object",
    "required": ["data"],
    "properties": {"data": {"type": "string", "description": "a chat.completion.chunk as JSON, or [DONE]"}},
}


class ContentPart(BaseModel):
    type: str
    text: str | None = Field(default=None, max_length=MAX_HISTORY_CHARS)


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = Field(default=None)

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class ChatRequest(BaseModel):
    """OpenAI's chat request; sampling options (temperature, max_tokens, ...) are accepted and
    ignored. Praxis extras: `filters` and `k` (with the openai client: `extra_body=`)."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(default=MODEL_ID, max_length=128, examples=[MODEL_ID])
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_CHAT_MESSAGES)
    stream: bool = False
    filters: Filters | None = None
    k: StrictInt | None = Field(default=None, ge=1, le=MAX_K)

    def arguments(self) -> tuple[str, list[dict[str, str]]]:
        """(question, history): the last message is the question; earlier user and assistant
        messages are the history, trimmed to the most recent that fit the limits.
        Raises InvalidRequest when the last message is not the user's."""
        last = self.messages[-1]
        if last.role != "user":
            raise InvalidRequest("the last message must have role 'user': it is the question to answer")
        history = [
            {"role": m.role, "content": m.text()}
            for m in self.messages[:-1]
            if m.role in ("user", "assistant") and m.text()
        ][-MAX_HISTORY_TURNS:]
        while history and sum(len(t["content"]) for t in history) > MAX_HISTORY_CHARS:
            history.pop(0)
        return last.text(), history


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int
    message: ChatChoiceMessage
    finish_reason: Literal["stop"]


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """OpenAI's chat.completion plus `citations` and `abstained` (Praxis extras)."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage
    citations: list[CitationOut] = Field(description="what each [n] marker in the answer cites")
    abstained: bool


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


def approx_tokens(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Completion:
    """One completion's identity, shared by the plain reply and every chunk of a streamed one."""

    prompt_tokens: int
    id: str = field(default_factory=lambda: f"chatcmpl-{uuid.uuid4().hex}")
    created: int = field(default_factory=lambda: int(time.time()))

    @classmethod
    def for_prompt(cls, question: str, history: list[dict[str, str]]) -> Completion:
        return cls(approx_tokens(question) + sum(approx_tokens(t["content"]) for t in history))

    def reply(self, answer: Answer) -> ChatCompletion:
        """The whole answer as a chat.completion."""
        completion_tokens = approx_tokens(answer.text)
        return ChatCompletion(
            id=self.id,
            created=self.created,
            model=MODEL_ID,
            choices=[
                ChatChoice(index=0, message=ChatChoiceMessage(content=answer.text), finish_reason="stop")
            ],
            usage=Usage(
                prompt_tokens=self.prompt_tokens,
                completion_tokens=completion_tokens,
                total_tokens=self.prompt_tokens + completion_tokens,
            ),
            citations=[CitationOut(**c.to_dict()) for c in answer.citations],
            abstained=answer.abstained,
        )

    def chunk(self, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        """One chat.completion.chunk as an SSE `data:` line."""
        payload = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    def chunks(self, events: Iterable[Event]) -> Iterator[str]:
        """The role, each piece of the answer, a last chunk with `citations` and `abstained`, and
        `data: [DONE]`; a failure on the way is sent as an error in the one error shape."""
        yield self.chunk({"role": "assistant", "content": ""})
        try:
            for event in events:
                if isinstance(event, TextDelta):
                    yield self.chunk({"content": event.text})
                else:
                    answer = event.answer
                    citations = [c.to_dict() for c in answer.citations]
                    yield self.chunk({}, "stop", citations=citations, abstained=answer.abstained)
        except PraxisError as exc:
            yield f"data: {json.dumps(error_body(status_for(exc)[1], str(exc)))}\n\n"
        yield "data: [DONE]\n\n"
