"""Request body limits, enforced before a body is read: 413 in the one error shape."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ui.api.errors import error_body

MAX_BODY_BYTES = 1024 * 1024  # any request body but uploads (a 2,000-character question needs far less)
MAX_UPLOAD_FILES = 100
MAX_UPLOAD_BODY_BYTES = 100 * 1024 * 1024  # one upload request, all its files together (default)
UPLOAD_PATHS = ("/v1/ingest",)


class BodySizeLimit:
    """Refuse request bodies over a limit with 413 before they are read into memory.

    Pure ASGI so it also counts chunked bodies that announce no Content-Length.
    """

    def __init__(self, app: Any, *, default: int, upload: int, upload_paths: tuple[str, ...]) -> None:
        self.app = app
        self.default = default
        self.upload = upload
        self.upload_paths = upload_paths

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload if scope["path"] in self.upload_paths else self.default
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        if limit == self.upload:  # uploads stream through, counted (chunked ones announce no length)
            await self.app(scope, self._counted(receive, limit), send)
            return
        # small bodies are read here up to the limit (chunked ones too), then replayed
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # client went away; let the app see it
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                await self._refuse(send, limit)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _counted(receive: Any, limit: int) -> Any:
        """receive(), refusing with 413 once more than limit body bytes arrived."""
        size = 0

        async def counted() -> Any:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise HTTPException(413, f"the request body is larger than {limit} bytes; send less")
            return message

        return counted

    @staticmethod
    async def _refuse(send: Any, limit: int) -> None:
        response = JSONResponse(
            error_body("payload_too_large", f"the request body is larger than {limit} bytes; send less"),
            status_code=413,
        )
        await response({"type": "http"}, None, send)  # type: ignore[arg-type]
