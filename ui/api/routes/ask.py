"""Asking: POST /v1/ask, POST /v1/ask/stream (Server-Sent Events), GET /v1/search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from assistant.conversation import MAX_QUESTION_CHARS
from assistant.retrieval.base import MAX_K
from ui.api.deps import AssistantDep, ServicesDep
from ui.api.errors import ERRORS
from ui.api.schemas import MAX_FILTER_CHARS, AnswerOut, AskRequest, Filters, PassageOut, SearchOut, filters_of
from ui.api.streaming import SSE_EVENT, answer_events, event_stream, primed

router = APIRouter(prefix="/v1")

STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": 'Server-Sent Events: `delta` events `{"text"}` with pieces of the '
        "answer, then one `answer` event carrying the /v1/ask JSON (or an `error` event).",
        "content": {"text/event-stream": {"schema": SSE_EVENT}},
    },
    **ERRORS,
}
FilterQuery = Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)]


@router.post("/ask", response_model=AnswerOut, tags=["ask"], responses=ERRORS)
def ask(body: AskRequest, services: ServicesDep) -> dict[str, Any]:
    """Answer a question with citations [n], or abstain when the documents do not say."""
    answer = services.assistant_for(body.backend).ask(
        body.question, history=body.history_turns(), k=body.k, filters=filters_of(body.filters)
    )
    return answer.to_dict()


@router.post("/ask/stream", tags=["ask"], response_class=StreamingResponse, responses=STREAM_RESPONSES)
def ask_stream(body: AskRequest, services: ServicesDep) -> StreamingResponse:
    """The answer as Server-Sent Events, pieces first, then the whole answer with citations."""
    events = services.assistant_for(body.backend).stream(
        body.question, history=body.history_turns(), k=body.k, filters=filters_of(body.filters)
    )
    return event_stream(answer_events(primed(events)))


@router.get("/search", response_model=SearchOut, tags=["documents"], responses=ERRORS)
def search(
    assistant: AssistantDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="what to find")],
    k: Annotated[int | None, Query(ge=1, le=MAX_K)] = None,
    country: FilterQuery = None,
    theme: FilterQuery = None,
    section: FilterQuery = None,
) -> SearchOut:
    """The passages nearest to q, best first, with their scores."""
    filters = Filters(country=country, theme=theme, section=section).as_dict()
    asked = assistant.prepare(q, k=k, filters=filters)
    return SearchOut(query=asked.text, results=[PassageOut.of(p) for p in assistant.search(asked)])
