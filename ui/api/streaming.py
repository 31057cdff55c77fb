"""Server-Sent Events over the Assistant's event stream (TextDelta pieces, then Completed)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.responses import StreamingResponse

from assistant.errors import PraxisError
from assistant.types import Event, TextDelta
from ui.api.errors import error_body, status_for

# OpenAPI < 3.2: the schema of a text/event-stream response describes each event
SSE_EVENT = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["delta", "answer", "error"]},
        "data": {"type": "string", "description": "JSON: {text} | the /v1/ask answer | {error}"},
    },
}


def primed(events: Iterator[Event]) -> Iterator[Event]:
    """The same events, the first one already taken: an invalid question raises here, so it is
    answered with a 4xx before a 200 and the stream start."""
    first = next(events)
    return itertools.chain([first], events)


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(events: Iterable[Event]) -> Iterator[str]:
    """`delta` events {text}, then one `answer` event with the /v1/ask JSON; a failure on the way
    ends the stream with an `error` event in the one error shape."""
    try:
        for event in events:
            if isinstance(event, TextDelta):
                yield sse("delta", {"text": event.text})
            else:
                yield sse("answer", event.answer.to_dict())
    except PraxisError as exc:
        yield sse("error", error_body(status_for(exc)[1], str(exc)))


def event_stream(body: Iterator[str]) -> StreamingResponse:
    return StreamingResponse(
        body, media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
