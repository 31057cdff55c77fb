"""OpenAI-compatible routes: POST /v1/chat/completions, GET /v1/models."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ui.api.deps import AssistantDep
from ui.api.errors import ERRORS, ErrorResponse, NotFound
from ui.api.openai_models import (
    MODEL_ID,
    SSE_CHUNK,
    ChatCompletion,
    ChatRequest,
    Completion,
    ModelList,
    ModelOut,
)
from ui.api.schemas import filters_of
from ui.api.streaming import event_stream, primed

router = APIRouter(prefix="/v1", tags=["openai"])

CHAT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "a chat.completion, or with stream=true Server-Sent Events of "
        "chat.completion.chunk ending in `data: [DONE]`; the last chunk carries `citations`.",
        "content": {"text/event-stream": {"schema": SSE_CHUNK}},
    },
    404: {"model": ErrorResponse, "description": "unknown model"},
    **ERRORS,
}


@router.get("/models", response_model=ModelList)
def models() -> ModelList:
    """The one model the chat completions route serves (for OpenAI clients that list models)."""
    return ModelList(data=[ModelOut(id=MODEL_ID, created=0, owned_by="praxis")])


@router.post("/chat/completions", response_model=ChatCompletion, responses=CHAT_RESPONSES)
def chat_completions(body: ChatRequest, assistant: AssistantDep) -> Any:
    """OpenAI-compatible chat: the last user message is the question, earlier ones the history.

    Extras: `citations` (what each [n] cites) and `abstained` on the completion, or on the last
    chunk when streaming; request fields `filters` and `k`.
    """
    if body.model != MODEL_ID:
        raise NotFound(f"model {body.model!r} does not exist; use model {MODEL_ID!r}")
    question, history = body.arguments()
    completion = Completion.for_prompt(question, history)
    filters = filters_of(body.filters)
    if not body.stream:
        return completion.reply(assistant.ask(question, history=history, k=body.k, filters=filters))
    events = assistant.stream(question, history=history, k=body.k, filters=filters)
    return event_stream(completion.chunks(primed(events)))
