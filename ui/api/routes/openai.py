"""OpenAI-compatible routes: POST /v1/chat/completions, GET /v1/models, GET /v1/models/{model}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from assistant.instructions import shorten, shortened
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


MODEL = ModelOut(id=MODEL_ID, created=0, owned_by="praxis")


def unknown_model(model: str) -> NotFound:
    return NotFound(f"model {model!r} does not exist; use model {MODEL_ID!r} (GET /v1/models lists it)")


@router.get("/models", response_model=ModelList)
def models() -> ModelList:
    """The one model the chat completions route serves (for OpenAI clients that list models)."""
    return ModelList(data=[MODEL])


@router.get(
    "/models/{model}",
    response_model=ModelOut,
    responses={404: {"model": ErrorResponse, "description": "unknown model"}},
)
def get_model(model: str) -> ModelOut:
    """One model by id: `praxis` is the only one."""
    if model != MODEL_ID:
        raise unknown_model(model)
    return MODEL


@router.post("/chat/completions", response_model=ChatCompletion, responses=CHAT_RESPONSES)
def chat_completions(body: ChatRequest, assistant: AssistantDep) -> Any:
    """OpenAI-compatible chat: the last user message is the question, earlier ones the history.

    A sentence limit in a system message ("answer in one sentence") is honoured; the rest of a
    system message is ignored. Unsupported fields (n > 1, tools, response_format other than text,
    logprobs, stop, ...) get 400 naming the field. Extras: `citations` (what each [n] cites) and
    `abstained` on the completion, or on the last chunk when streaming; request fields `filters`
    and `k`.
    """
    body.refuse_unsupported()
    if body.model != MODEL_ID:
        raise unknown_model(body.model)
    question, history = body.arguments()
    completion = Completion(body.prompt_tokens(), include_usage=body.include_usage)
    filters = filters_of(body.filters)
    limit = body.max_sentences()
    if not body.stream:
        answer = assistant.ask(question, history=history, k=body.k, filters=filters)
        return completion.reply(answer if limit is None else shorten(answer, limit))
    events = primed(assistant.stream(question, history=history, k=body.k, filters=filters))
    return event_stream(completion.chunks(events if limit is None else shortened(events, limit)))
