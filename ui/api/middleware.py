"""ASGI middleware around the whole app (API and the mounted web UI).

- `RefuseRoutes`: routes the web UI's framework brings but Praxis does not use answer 404 in the
  one error shape: Gradio's file upload (`/gradio_api/upload`) would otherwise accept files from
  anyone and keep them in its temporary folder.
- `OneErrorShape`: error responses outside /v1 (the mounted UI's `{"detail": ...}`, unknown
  paths, wrong methods) are rewritten to `{"error": {"type", "message"}}`, the shape the API
  documents. The UI's own event protocol (queue, heartbeat) keeps its framework's shape, which
  its JavaScript reads.
"""

from __future__ import annotations

import json
from typing import Any

from ui.api.errors import error_body, http_type

REFUSED_PATHS = ("/gradio_api/upload", "/upload", "/gradio_api/upload_progress", "/upload_progress")
UI_PROTOCOL = ("/gradio_api/queue/", "/gradio_api/heartbeat/", "/queue/", "/heartbeat/")


class RefuseRoutes:
    """404 for paths Praxis does not serve, before the app sees them."""

    def __init__(self, app: Any, *, paths: tuple[str, ...] = REFUSED_PATHS) -> None:
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/") in self.paths:
            body = json.dumps(error_body("not_found", "Praxis accepts no uploads here; see /docs")).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 404,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", b"%d" % len(body)),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


class OneErrorShape:
    """Rewrite `{"detail": ...}` JSON error responses into the documented error shape."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope["type"] != "http" or path.startswith(("/v1/", *UI_PROTOCOL)):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] | None = None
        parts: list[bytes] = []

        async def rewriting(message: Any) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if message["status"] >= 400 and headers.get(b"content-type", b"").startswith(
                    b"application/json"
                ):
                    start = message  # held back until the body is known
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = _reshaped(start["status"], b"".join(parts))
            kept = [(k, v) for k, v in start.get("headers") or [] if k != b"content-length"]
            kept.append((b"content-length", b"%d" % len(body)))
            await send({**start, "headers": kept})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewriting)


def _reshaped(status: int, body: bytes) -> bytes:
    """The body in the one error shape (unchanged when it already is, or is not JSON)."""
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return body
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        return body
    detail = data.get("detail", data) if isinstance(data, dict) else data
    message = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    return json.dumps(error_body(http_type(status), message or "error"), ensure_ascii=False).encode()
