"""The OpenAI chat completions wire format: request, completion, chunks as Server-Sent Events.

Praxis extras: request fields `filters` and `k`; `citations` and `abstained` on the completion,
or on the last chunk when streaming. Request fields are of three kinds (README: "OpenAI
compatibility"): honoured (model, messages, stream, stream_options.include_usage, the sentence
limit of a system message), accepted and ignored (IGNORED_PARAMETERS: sampling and bookkeeping,
which change nothing in an answer quoted from the documents), and refused with 400 naming the field
(UNSUPPORTED_PARAMETERS at a value that would change the reply, and any field OpenAI does not
define either).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from assistant.conversation import MAX_HISTORY_CHARS, MAX_HISTORY_TURNS
from assistant.errors import PraxisError
from assistant.instructions import sentence_limit
from assistant.retrieval.base import MAX_K
from assistant.types import Answer, Event, TextDelta
from ui.api.errors import InvalidRequest, UnsupportedParameter, error_body, status_for
from ui.api.schemas import CitationOut, Filters
from ui.api.usage import prompt_tokens, text_tokens

MODEL_ID = "praxis"
MAX_CHAT_MESSAGES = 200

SSE_CHUNK = {
    "type": "object",
    "required": ["data"],
    "properties": {"data": {"type": "string", "description": "a chat.completion.chunk as JSON, or [DONE]"}},
}


# Accepted and ignored: sampling and bookkeeping. Answers quote the documents (nothing is sampled),
# and a generated-answer backend keeps the server's own settings (PRAXIS_LLM__*).
IGNORED_PARAMETERS = (
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "seed",
    "presence_penalty",
    "frequency_penalty",
    "user",
    "metadata",
    "store",
    "service_tier",
    "parallel_tool_calls",
    "reasoning_effort",
    "verbosity",
    "prompt_cache_key",
    "safety_identifier",
)


def _absent(value: Any) -> bool:
    return value is None or value == [] or value == {}


# Refused with 400 unless at the value that changes nothing: (is that value?, why not otherwise).
UNSUPPORTED_PARAMETERS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "n": (lambda v: v in (None, 1), "Praxis gives one answer per request; send n=1 or leave it out"),
    "tools": (_absent, "Praxis answers from its documents and calls no tools"),
    "tool_choice": (lambda v: v in (None, "none", "auto"), "Praxis calls no tools"),
    "functions": (_absent, "Praxis answers from its documents and calls no functions"),
    "function_call": (lambda v: v in (None, "none", "auto"), "Praxis calls no functions"),
    "response_format": (
        lambda v: v is None or (isinstance(v, dict) and v.get("type") == "text"),
        'answers are text with [n] citation markers; send {"type": "text"} or leave it out '
        "(the citations come as JSON in the `citations` field)",
    ),
    "logprobs": (
        lambda v: v in (None, False),
        "answers quote the documents: there are no token probabilities",
    ),
    "top_logprobs": (
        lambda v: v in (None, 0),
        "answers quote the documents: there are no token probabilities",
    ),
    "logit_bias": (_absent, "answers quote the documents: no token can be biased"),
    "stop": (_absent, "answers are whole cited sentences and are not cut at stop sequences"),
    "audio": (_absent, "Praxis answers in text only"),
    "modalities": (
        lambda v: v in (None, ["text"]),
        'Praxis answers in text only; send ["text"] or leave it out',
    ),
    "prediction": (_absent, "answers quote the documents: a predicted output cannot be used"),
    "web_search_options": (_absent, "Praxis answers from its own documents, never the web"),
}


class ContentPart(BaseModel):
    type: str
    text: str | None = Field(default=None, max_length=MAX_HISTORY_CHARS)


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = Field(default=None)
    name: str | None = Field(default=None, max_length=256)

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatRequest(BaseModel):
    """OpenAI's chat request. Honoured: model, messages, stream, stream_options.include_usage and
    a sentence limit in a system message. Ignored: IGNORED_PARAMETERS. Refused (400): n > 1,
    tools, functions, response_format other than text, logprobs, stop and the other
    UNSUPPORTED_PARAMETERS, and fields OpenAI does not define. Praxis extras: `filters` and `k`
    (with the openai client: `extra_body=`)."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(default=MODEL_ID, max_length=128, examples=[MODEL_ID])
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_CHAT_MESSAGES)
    stream: bool = False
    stream_options: StreamOptions | None = None
    filters: Filters | None = None
    k: StrictInt | None = Field(default=None, ge=1, le=MAX_K)

    def refuse_unsupported(self) -> None:
        """Raises UnsupportedParameter (400) naming the first field Praxis cannot honour."""
        for name, value in (self.model_extra or {}).items():
            if name in IGNORED_PARAMETERS:
                continue
            if name not in UNSUPPORTED_PARAMETERS:
                raise UnsupportedParameter(
                    f"unrecognized request argument {name!r}; the chat completions route takes "
                    "OpenAI's arguments and Praxis's `filters` and `k` (see /docs)"
                )
            harmless, why = UNSUPPORTED_PARAMETERS[name]
            if not harmless(value):
                raise UnsupportedParameter(f"{name}={json.dumps(value)[:80]} is not supported: {why}")
        for i, message in enumerate(self.messages):
            parts = message.content if isinstance(message.content, list) else []
            for part in parts:
                if part.type != "text":
                    raise UnsupportedParameter(
                        f"messages[{i}].content: a part of type {part.type!r} is not supported; "
                        "Praxis reads text parts only"
                    )

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)

    def max_sentences(self) -> int | None:
        """The sentence limit stated in the system (or developer) messages, or None."""
        limits = [sentence_limit(m.text()) for m in self.messages if m.role in ("system", "developer")]
        found = [n for n in limits if n is not None]
        return min(found) if found else None

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

    def prompt_tokens(self) -> int:
        """The tokens of the messages as sent, counted as the OpenAI API counts them (ui.api.usage)."""
        return prompt_tokens((m.role, m.text(), m.name) for m in self.messages)


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int
    message: ChatChoiceMessage
    finish_reason: Literal["stop"]


class Usage(BaseModel):
    """Tokens as the OpenAI API counts them (cl100k_base; see ui.api.usage)."""

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


@dataclass(frozen=True)
class Completion:
    """One completion's identity, shared by the plain reply and every chunk of a streamed one.

    include_usage: every chunk carries `usage: null` and a last chunk, with no choices, the usage
    (OpenAI's `stream_options.include_usage`).
    """

    prompt_tokens: int
    include_usage: bool = False
    id: str = field(default_factory=lambda: f"chatcmpl-{uuid.uuid4().hex}")
    created: int = field(default_factory=lambda: int(time.time()))

    def usage(self, answer: Answer) -> Usage:
        completion_tokens = text_tokens(answer.text)
        return Usage(
            prompt_tokens=self.prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=self.prompt_tokens + completion_tokens,
        )

    def reply(self, answer: Answer) -> ChatCompletion:
        """The whole answer as a chat.completion."""
        return ChatCompletion(
            id=self.id,
            created=self.created,
            model=MODEL_ID,
            choices=[
                ChatChoice(index=0, message=ChatChoiceMessage(content=answer.text), finish_reason="stop")
            ],
            usage=self.usage(answer),
            citations=[CitationOut(**c.to_dict()) for c in answer.citations],
            abstained=answer.abstained,
        )

    def chunk(self, delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> str:
        """One chat.completion.chunk as an SSE `data:` line; delta None: a chunk without choices."""
        choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
        payload = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": MODEL_ID,
            "choices": choices,
            **({"usage": None} if self.include_usage else {}),
            **extra,
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    def chunks(self, events: Iterable[Event]) -> Iterator[str]:
        """The role, each piece of the answer, a chunk with finish_reason, `citations` and
        `abstained`, with include_usage a last chunk with the usage and no choices, and
        `data: [DONE]`; a failure on the way is sent as an error in the one error shape."""
        yield self.chunk({"role": "assistant", "content": ""})
        try:
            for event in events:
                if isinstance(event, TextDelta):
                    yield self.chunk({"content": event.text})
                    continue
                answer = event.answer
                citations = [c.to_dict() for c in answer.citations]
                yield self.chunk({}, "stop", citations=citations, abstained=answer.abstained)
                if self.include_usage:
                    yield self.chunk(None, usage=self.usage(answer).model_dump())
        except PraxisError as exc:
            yield f"data: {json.dumps(error_body(status_for(exc)[1], str(exc)))}\n\n"
        yield "data: [DONE]\n\n"
