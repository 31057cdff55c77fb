"""The FastAPI app: middleware, the one error shape, the routers, and the web UI mounted at /.

Routes (OpenAPI at /docs):
- POST /v1/ask, POST /v1/ask/stream (Server-Sent Events), GET /v1/search      routes/ask.py
- POST /v1/chat/completions, GET /v1/models (OpenAI-compatible)                routes/openai.py
- GET /v1/practices[/{id}[/facts|/similar]], POST /v1/compare                  routes/practices.py
- POST /v1/transfer, POST /v1/transfer/briefing                               routes/transfer.py
- admin, with the API key: POST /v1/ingest, DELETE /v1/practices/{id}          routes/admin.py
- GET /healthz                                                                  routes/health.py
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from assistant.config import Settings
from assistant.pipeline import Assistant
from assistant.store.chroma import ChromaStore
from ui.api.errors import NotFound, install_error_handlers
from ui.api.limits import MAX_BODY_BYTES, UPLOAD_PATHS, BodySizeLimit
from ui.api.middleware import OneErrorShape, RefuseRoutes
from ui.api.rate_limit import RateLimit
from ui.api.routes import admin, ask, health, openai, practices, transfer
from ui.services import Services

DESCRIPTION = (
    "Ask Europe's regional good practices, with citations to the practice and section. "
    'Errors always answer `{"error": {"type", "message"}}`. Admin routes need the '
    "API key (`Authorization: Bearer KEY` or `X-API-Key: KEY`). When the server is reachable from "
    "other machines, /v1 routes are rate limited per client (PRAXIS_SERVER__RATE_LIMIT): 429 with "
    "Retry-After."
)


def unknown_route(rest: str) -> None:
    raise NotFound(f"no API route /v1/{rest}; the routes are listed at /docs")


def create_app(
    settings: Settings,
    assistant: Assistant | None = None,
    store: ChromaStore | None = None,
    *,
    ui: bool = True,
) -> FastAPI:
    """The API (and, with ui=True, the Gradio web UI mounted at /) over one Assistant.

    assistant/store default to the ones built from settings (assistant.factory).
    """
    services = Services(settings, assistant, store)
    app = FastAPI(title="Praxis API", version="0.1.0", description=DESCRIPTION)
    app.state.services = services
    install_error_handlers(app)
    upload_bytes = settings.server.max_upload_mb * 1024 * 1024
    app.add_middleware(BodySizeLimit, default=MAX_BODY_BYTES, upload=upload_bytes, upload_paths=UPLOAD_PATHS)
    if settings.server.rate_limited:  # outside the body limit: a refused client's body is not read
        app.add_middleware(RateLimit, limits=settings.server.rate_limit)
    if settings.server.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.server.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
        )
    for module in (health, ask, openai, practices, transfer, admin):
        app.include_router(module.router)
    # after every API route, before the UI: an unknown /v1 path answers in the one error shape
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    app.add_api_route("/v1/{rest:path}", unknown_route, methods=methods, include_in_schema=False)
    if ui:
        from ui.web import mount_ui  # gradio is imported only when the UI is served

        mount_ui(app, services)
    # outermost last: unused upload routes refused first, every error outside /v1 in one shape
    app.add_middleware(OneErrorShape)
    app.add_middleware(RefuseRoutes)
    return app
