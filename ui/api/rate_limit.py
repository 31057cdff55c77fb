"""Requests per client on the API: 429 in the one error shape, with Retry-After, over the limit.

A pure ASGI middleware over the `limits` package (the engine slowapi uses). slowapi itself does
not fit: its ASGI middleware sends the response start again with every body chunk, which breaks
Server-Sent Events (laurentS/slowapi#249, #260, open), and its other middleware is a
BaseHTTPMiddleware, which FastAPI's own docs steer away from for streaming.

Counted: the API routes (paths under /v1/), per client address as the server sees it. Behind a
reverse proxy on this machine, uvicorn puts the forwarded client address there (it trusts
X-Forwarded-For from 127.0.0.1 by default), so each client is counted, not the proxy. Not counted:
/healthz (load balancers poll it), /docs and the web UI (Gradio's queue bounds its work).
"""

from __future__ import annotations

import math
import time
from typing import Any

from fastapi.responses import JSONResponse
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from ui.api.errors import error_body

LIMITED_PREFIX = "/v1/"


class RateLimit:
    """Refuse a client's request over any of `limits` (e.g. "60/minute") with 429 before the app
    reads it; every counted response says the limit and what remains (X-RateLimit-* headers).

    Raises ValueError for limits that cannot be read (Settings validates them first).
    """

    def __init__(self, app: Any, *, limits: str, prefix: str = LIMITED_PREFIX) -> None:
        self.app = app
        self.items: list[RateLimitItem] = parse_many(limits)
        self.prefix = prefix
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.described = limits

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        for item in self.items:
            if not self.limiter.hit(item, client):
                await self._refuse(send, item, client)
                return
        headers = self._headers(client)

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, client: str) -> list[tuple[bytes, bytes]]:
        """X-RateLimit-Limit and -Remaining of the tightest limit for this client."""
        remaining = [(self.limiter.get_window_stats(i, client).remaining, i) for i in self.items]
        left, item = min(remaining, key=lambda pair: pair[0])
        return [
            (b"x-ratelimit-limit", str(item.amount).encode()),
            (b"x-ratelimit-remaining", str(max(left, 0)).encode()),
        ]

    async def _refuse(self, send: Any, item: RateLimitItem, client: str) -> None:
        reset = self.limiter.get_window_stats(item, client).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        response = JSONResponse(
            error_body(
                "too_many_requests",
                f"rate limit exceeded: at most {item.amount} requests per {item.multiples} "
                f"{item.GRANULARITY.name} from one client ({self.described}); retry after {wait} s",
            ),
            status_code=429,
            headers={
                "Retry-After": str(wait),
                "X-RateLimit-Limit": str(item.amount),
                "X-RateLimit-Remaining": "0",
            },
        )
        await response({"type": "http"}, None, send)  # type: ignore[arg-type]
