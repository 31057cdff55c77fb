"""The HTTP API: a FastAPI app over the same Assistant, store and Ingestor the CLI uses.

Routes (OpenAPI at /docs):
- POST /v1/ask, POST /v1/ask/stream (Server-Sent Events), POST /v1/chat/completions (OpenAI-compatible)
- GET /v1/search, GET /v1/practices, GET /v1/practices/{id}, GET /v1/models, GET /healthz
- admin, with the API key: POST /v1/ingest, DELETE /v1/practices/{id}

Every error answers {"error": {"type": ..., "message": ...}} from one exception handler.
"""

from __future__ import annotations

import hmac
import json
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.config import Settings
from assistant.conversation import MAX_HISTORY_CHARS, MAX_HISTORY_TURNS, MAX_QUESTION_CHARS
from assistant.errors import (
    BackendError,
    ConfigError,
    CorpusError,
    InvalidQuestion,
    ModelMismatchError,
    PraxisError,
    StoreError,
    UnknownPractice,
)
from assistant.pipeline import Assistant
from assistant.practices.catalog import Catalog
from assistant.practices.facts.filters import FactFilter
from assistant.practices.facts.numbers import parse_amount
from assistant.retrieval.base import MAX_K
from assistant.store.chroma import ChromaStore
from assistant.types import Answer, Event, Practice, ScoredChunk, TextDelta

log = logging.getLogger(__name__)

MODEL_ID = "praxis"
MAX_UPLOAD_FILES = 100
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # per file
MAX_BODY_BYTES = 1024 * 1024  # any other request body (a 2,000-character question needs far less)
UPLOAD_SUFFIXES = (".txt", ".md")
MAX_CHAT_MESSAGES = 200
MAX_FILTER_CHARS = 200


# -- errors ------------------------------------------------------------------------------------


class ApiError(PraxisError):
    """An error only the HTTP adapter raises; carries its status and type."""

    status = 400
    type = "bad_request"


class NotFound(ApiError):
    status = 404
    type = "not_found"


class Unauthorized(ApiError):
    status = 401
    type = "unauthorized"


class AdminDisabled(ApiError):
    status = 403
    type = "admin_disabled"


class InvalidRequest(ApiError):
    status = 422
    type = "invalid_request"


# most specific first: the first matching class decides status and type
ERROR_MAP: tuple[tuple[type[PraxisError], int, str], ...] = (
    (UnknownPractice, 404, "not_found"),
    (InvalidQuestion, 422, "invalid_question"),
    (CorpusError, 422, "invalid_document"),
    (ModelMismatchError, 503, "model_mismatch"),
    (StoreError, 503, "store_unavailable"),
    (BackendError, 502, "backend_error"),
    (ConfigError, 500, "config_error"),
    (PraxisError, 500, "praxis_error"),
)
_HTTP_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
}


def error_body(type_: str, message: str) -> dict[str, Any]:
    return {"error": {"type": type_, "message": message}}


def status_for(exc: PraxisError) -> tuple[int, str]:
    if isinstance(exc, ApiError):
        return exc.status, exc.type
    for cls, status, type_ in ERROR_MAP:
        if isinstance(exc, cls):
            return status, type_
    return 500, "praxis_error"  # pragma: no cover - PraxisError is the last entry


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid; see /docs for the schema"


def install_error_handlers(app: FastAPI) -> None:
    """One error shape for domain errors, validation errors, HTTP errors and crashes."""

    @app.exception_handler(PraxisError)
    async def _praxis(request: Request, exc: PraxisError) -> JSONResponse:
        status, type_ = status_for(exc)
        if status >= 500:
            log.error("request failed path=%s type=%s error=%s", request.url.path, type_, exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(type_, str(exc)), status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid_request", _validation_message(exc)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        type_ = _HTTP_TYPES.get(exc.status_code, "http_error")
        message = str(exc.detail)
        if exc.status_code == 400:
            message += "; send a UTF-8 JSON body with Content-Type: application/json (schema at /docs)"
        return JSONResponse(error_body(type_, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error path=%s", request.url.path)
        return JSONResponse(
            error_body("internal_error", "unexpected server error; the server log has the details"),
            status_code=500,
        )


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
        if limit == self.upload:  # large uploads stream through; Content-Length was checked
            await self.app(scope, receive, send)
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
    async def _refuse(send: Any, limit: int) -> None:
        response = JSONResponse(
            error_body("payload_too_large", f"the request body is larger than {limit} bytes; send less"),
            status_code=413,
        )
        await response({"type": "http"}, None, send)  # type: ignore[arg-type]


# -- schemas -----------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in (
        (400, "a body that cannot be parsed (send UTF-8 JSON)"),
        (413, "the request body is larger than the limit (1 MiB; uploads 500 MiB)"),
        (422, "invalid input, with a message saying what to change"),
        (503, "the store is unreachable or built with another model"),
    )
}


PracticeId = Annotated[
    str, PathParam(pattern=r"^[a-z0-9-]+$", max_length=200, description="a practice id, e.g. cluj-it-cluster")
]


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: str | None = Field(default=None, max_length=MAX_FILTER_CHARS, examples=["Lithuania"])
    theme: str | None = Field(default=None, max_length=MAX_FILTER_CHARS, examples=["innovation vouchers"])
    section: str | None = Field(default=None, max_length=MAX_FILTER_CHARS, examples=["Resources needed"])

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v}


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_HISTORY_CHARS)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        examples=["How many people work in the Buurtzorg neighbourhood care teams?"],
    )
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_TURNS,
        description=f"earlier turns, oldest first (at most {MAX_HISTORY_TURNS}, "
        f"{MAX_HISTORY_CHARS} characters in all)",
    )
    filters: Filters | None = None
    k: StrictInt | None = Field(default=None, ge=1, le=MAX_K, description="passages to retrieve")
    backend: str | None = Field(
        default=None, max_length=64, description="answer backend; default: PRAXIS_ANSWER__BACKEND"
    )


class CitationOut(BaseModel):
    n: int
    practice_id: str
    title: str
    section: str
    source: str
    text: str = Field(description="the exact cited text, == practice text[start:end]")
    start: int
    end: int


class AnswerOut(BaseModel):
    """The `praxis ask --json` schema."""

    answer: str
    abstained: bool = Field(description="true when the documents do not answer the question")
    citations: list[CitationOut]
    timings_ms: dict[str, float]


class PassageOut(BaseModel):
    practice_id: str
    title: str
    section: str
    source: str
    text: str
    start: int
    end: int
    score: float = Field(description="cosine similarity, higher is better")
    country: str | None = None
    region: str | None = None
    theme: str | None = None


class SearchOut(BaseModel):
    query: str
    results: list[PassageOut]


class PracticeSummary(BaseModel):
    id: str
    title: str
    source: str
    country: str | None = None
    region: str | None = None
    theme: str | None = None
    url: str | None = None
    sections: list[str]
    matched_facts: list[FactOut] | None = Field(
        default=None, description="with fact filters: the facts that decided the match"
    )


class PracticeList(BaseModel):
    count: int
    practices: list[PracticeSummary]


class SectionOut(BaseModel):
    name: str
    text: str
    start: int = Field(description="offset of the section text in the practice text")
    end: int


class PracticeOut(BaseModel):
    id: str
    title: str
    source: str
    metadata: dict[str, str]
    text: str = Field(description="the full text every citation offset refers to")
    sections: list[SectionOut]


class Health(BaseModel):
    status: Literal["ok"]
    practices: int
    chunks: int
    collection: str
    store: str
    embedding_model: str
    answer_backend: str


class IngestFailure(BaseModel):
    file: str
    reason: str


class IngestOut(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    failed: list[IngestFailure]
    warnings: list[str]
    chunks_written: int
    seconds: float


class DeleteOut(BaseModel):
    deleted: str
    chunks_removed: int


# OpenAI-compatible chat completions -----------------------------------------------------------


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


# -- helpers -----------------------------------------------------------------------------------


# -- key facts, compare, similar (assistant/catalog.py) -----------------------------------------


class FactOut(BaseModel):
    kind: str
    label: str
    display: str = Field(description="human rendering, e.g. 'about EUR 250,000 per year'")
    value: float | int | str
    value_max: float | None = None
    currency: str | None = Field(default=None, description="ISO code, only when the document states one")
    period: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    text: str = Field(description="the matched words")
    section: str
    start: int | None = Field(
        description="evidence sentence offsets in the practice text; null if from metadata"
    )
    end: int | None
    match_start: int | None = None
    match_end: int | None = None
    origin: Literal["text", "metadata"]
    practice_id: str
    source: str
    evidence: str | None = Field(description="the sentence the fact came from")


class FactsOut(BaseModel):
    practice_id: str
    title: str
    facts: list[FactOut]


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    practices: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=2, max_length=5, description="2 to 5 practice ids or unambiguous title fragments"
    )
    max_chars: int = Field(default=400, ge=50, le=5000, description="how much of each section to show")


class CompareCell(BaseModel):
    practice_id: str
    text: str = Field(description="cell text with [n] markers pointing at `citations`")
    citations: list[CitationOut]
    missing: bool
    from_metadata: bool
    truncated: bool


class CompareRow(BaseModel):
    key: str
    label: str
    cells: list[CompareCell]


class ComparedPractice(BaseModel):
    id: str
    title: str
    country: str | None = None
    region: str | None = None
    source: str


class CompareOut(BaseModel):
    practices: list[ComparedPractice]
    rows: list[CompareRow]
    citations: list[CitationOut]


class SimilarItem(BaseModel):
    practice_id: str
    title: str
    country: str | None = None
    region: str | None = None
    score: float


class SimilarOut(BaseModel):
    practice_id: str
    similar: list[SimilarItem]


def passage_out(passage: ScoredChunk) -> PassageOut:
    chunk = passage.chunk
    return PassageOut(
        practice_id=chunk.practice_id,
        title=chunk.title,
        section=chunk.section,
        source=chunk.source,
        text=chunk.text,
        start=chunk.start,
        end=chunk.end,
        score=round(float(passage.score), 6),
        country=chunk.metadata.get("country"),
        region=chunk.metadata.get("region"),
        theme=chunk.metadata.get("theme"),
    )


def practice_summary(practice: Practice) -> PracticeSummary:
    meta = practice.metadata
    return PracticeSummary(
        id=practice.id,
        title=practice.title,
        source=practice.source,
        country=meta.get("country"),
        region=meta.get("region"),
        theme=meta.get("theme"),
        url=meta.get("url"),
        sections=[s.name for s in practice.sections],
    )


def practice_out(practice: Practice) -> PracticeOut:
    return PracticeOut(
        id=practice.id,
        title=practice.title,
        source=practice.source,
        metadata={k: str(v) for k, v in practice.metadata.items()},
        text=practice.text,
        sections=[SectionOut(name=s.name, text=s.text, start=s.start, end=s.end) for s in practice.sections],
    )


# OpenAPI < 3.2: the schema of a text/event-stream response describes each event
SSE_EVENT = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["delta", "answer", "error"]},
        "data": {"type": "string", "description": "JSON: {text} | the /v1/ask answer | {error}"},
    },
}
SSE_CHUNK = {
    "type": "object",
    "required": ["data"],
    "properties": {"data": {"type": "string", "description": "a chat.completion.chunk as JSON, or [DONE]"}},
}


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _approx_tokens(text: str) -> int:
    return len(text.split())


def chat_arguments(request: ChatRequest) -> tuple[str, list[dict[str, str]]]:
    """(question, history) from OpenAI messages: the last message is the question; earlier user
    and assistant messages are the history, trimmed to the most recent that fit the limits."""
    last = request.messages[-1]
    if last.role != "user":
        raise InvalidRequest("the last message must have role 'user': it is the question to answer")
    history = [
        {"role": m.role, "content": m.text()}
        for m in request.messages[:-1]
        if m.role in ("user", "assistant") and m.text()
    ][-MAX_HISTORY_TURNS:]
    while history and sum(len(t["content"]) for t in history) > MAX_HISTORY_CHARS:
        history.pop(0)
    return last.text(), history


class Services:
    """What the routes share: settings, store, the assistants per answer backend, locks."""

    def __init__(self, settings: Settings, assistant: Assistant | None, store: ChromaStore | None) -> None:
        from assistant.factory import build_assistant, build_store

        self.settings = settings
        if store is None and assistant is not None:
            store = getattr(assistant.retriever, "store", None)
        self.store = store or build_store(settings)
        self.assistant = assistant or build_assistant(settings, store=self.store)
        self._assistants: dict[str, Assistant] = {settings.answer.backend: self.assistant}
        self._lock = threading.Lock()
        self.ingest_lock = threading.Lock()

    def assistant_for(self, backend: str | None) -> Assistant:
        """The Assistant for an answer backend, built once. Raises InvalidRequest for an unknown one."""
        if not backend:
            return self.assistant
        with self._lock:
            if backend not in self._assistants:
                from assistant.factory import build_assistant

                answer = self.settings.answer.model_copy(update={"backend": backend})
                try:
                    self._assistants[backend] = build_assistant(
                        self.settings.model_copy(update={"answer": answer}), store=self.store
                    )
                except ConfigError as exc:
                    raise InvalidRequest(
                        f"answer backend {backend!r} is not available ({exc}); "
                        f"leave `backend` out to use {self.settings.answer.backend!r}"
                    ) from exc
            return self._assistants[backend]


def _ask_kwargs(body: AskRequest) -> dict[str, Any]:
    return {
        "history": [t.model_dump() for t in body.history],
        "k": body.k,
        "filters": body.filters.as_dict() if body.filters else None,
    }


def _answer_out(answer: Answer) -> dict[str, Any]:
    return answer.to_dict()


# -- the app -----------------------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="the server's API key (PRAXIS_SERVER__API_KEY)")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the server's API key")


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
    catalog = Catalog(services.store)
    app = FastAPI(
        title="Praxis API",
        version="0.1.0",
        description=(
            "Ask Europe's regional good practices, with citations to the practice and section. "
            'Errors always answer `{"error": {"type", "message"}}`. Admin routes need the '
            "API key (`Authorization: Bearer KEY` or `X-API-Key: KEY`)."
        ),
    )
    app.state.services = services
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        default=MAX_BODY_BYTES,
        upload=MAX_UPLOAD_FILES * MAX_UPLOAD_BYTES,
        upload_paths=("/v1/ingest",),
    )
    if settings.server.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.server.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
        )

    def require_admin(
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        api_key: Annotated[str | None, Depends(_api_key_header)],
    ) -> None:
        configured = settings.server.api_key
        secret = configured.get_secret_value() if configured else ""
        if not secret:
            raise AdminDisabled(
                "admin routes are disabled because no API key is configured; set "
                "PRAXIS_SERVER__API_KEY to a long random secret, restart `praxis serve`, and send it "
                "as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
            )
        given = api_key or (bearer.credentials if bearer else "")
        if not given or not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
            raise Unauthorized(
                "missing or wrong API key; send the key from PRAXIS_SERVER__API_KEY as "
                "'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
            )

    admin = [Depends(require_admin)]
    admin_errors: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorResponse, "description": "missing or wrong API key"},
        403: {"model": ErrorResponse, "description": "no API key configured: admin routes are off"},
    }

    @app.get("/healthz", response_model=Health, tags=["meta"], responses=ERRORS)
    def healthz() -> Health:
        """Store reachable, number of practices and chunks, model names."""
        try:
            practices = services.store.count_documents()
            chunks = services.store.count_chunks()
        except PraxisError:
            raise
        except Exception as exc:  # chromadb raises plain exceptions when the store is unreachable
            raise StoreError(f"the store is not reachable: {exc}") from exc
        return Health(
            status="ok",
            practices=practices,
            chunks=chunks,
            collection=services.store.name,
            store=settings.store.chroma_url or "embedded",
            embedding_model=services.store.model_name,
            answer_backend=settings.answer.backend,
        )

    @app.post("/v1/ask", response_model=AnswerOut, tags=["ask"], responses=ERRORS)
    def ask(body: AskRequest) -> dict[str, Any]:
        """Answer a question with citations [n], or abstain when the documents do not say."""
        answer = services.assistant_for(body.backend).ask(body.question, **_ask_kwargs(body))
        return _answer_out(answer)

    @app.post(
        "/v1/ask/stream",
        tags=["ask"],
        response_class=StreamingResponse,
        responses={
            200: {
                "description": 'Server-Sent Events: `delta` events `{"text"}` with pieces of the '
                "answer, then one `answer` event carrying the /v1/ask JSON (or an `error` event).",
                "content": {"text/event-stream": {"schema": SSE_EVENT}},
            },
            **ERRORS,
        },
    )
    def ask_stream(body: AskRequest) -> StreamingResponse:
        """The answer as Server-Sent Events, pieces first, then the whole answer with citations."""
        events = services.assistant_for(body.backend).stream(body.question, **_ask_kwargs(body))
        first = next(events)  # validation errors surface here, as a 4xx, before streaming starts

        def body_events() -> Iterator[str]:
            event: Event | None = first
            try:
                while event is not None:
                    if isinstance(event, TextDelta):
                        yield sse("delta", {"text": event.text})
                    else:
                        yield sse("answer", _answer_out(event.answer))
                    event = next(events, None)
            except PraxisError as exc:
                yield sse("error", error_body(status_for(exc)[1], str(exc)))

        return StreamingResponse(
            body_events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @app.get("/v1/models", response_model=ModelList, tags=["openai"])
    def models() -> ModelList:
        """The one model the chat completions route serves (for OpenAI clients that list models)."""
        return ModelList(data=[ModelOut(id=MODEL_ID, created=0, owned_by="praxis")])

    @app.post(
        "/v1/chat/completions",
        response_model=ChatCompletion,
        tags=["openai"],
        responses={
            200: {
                "description": "a chat.completion, or with stream=true Server-Sent Events of "
                "chat.completion.chunk ending in `data: [DONE]`; the last chunk carries `citations`.",
                "content": {"text/event-stream": {"schema": SSE_CHUNK}},
            },
            404: {"model": ErrorResponse, "description": "unknown model"},
            **ERRORS,
        },
    )
    def chat_completions(body: ChatRequest) -> Any:
        """OpenAI-compatible chat: the last user message is the question, earlier ones the history.

        Extras: `citations` (what each [n] cites) and `abstained` on the completion, or on the last
        chunk when streaming; request fields `filters` and `k`.
        """
        if body.model != MODEL_ID:
            raise NotFound(f"model {body.model!r} does not exist; use model {MODEL_ID!r}")
        question, history = chat_arguments(body)
        filters = body.filters.as_dict() if body.filters else None
        kwargs = {"history": history, "k": body.k, "filters": filters}
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        prompt_tokens = _approx_tokens(question) + sum(_approx_tokens(t["content"]) for t in history)
        if not body.stream:
            answer = services.assistant.ask(question, **kwargs)
            completion_tokens = _approx_tokens(answer.text)
            return ChatCompletion(
                id=completion_id,
                created=created,
                model=MODEL_ID,
                choices=[
                    ChatChoice(index=0, message=ChatChoiceMessage(content=answer.text), finish_reason="stop")
                ],
                usage=Usage(
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                    total_tokens=prompt_tokens + completion_tokens,
                ),
                citations=[CitationOut(**c.to_dict()) for c in answer.citations],
                abstained=answer.abstained,
            )
        events = services.assistant.stream(question, **kwargs)
        first = next(events)

        def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            payload = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": MODEL_ID,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                **extra,
            }
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

        def body_chunks() -> Iterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            event: Event | None = first
            try:
                while event is not None:
                    if isinstance(event, TextDelta):
                        yield chunk({"content": event.text})
                    else:
                        answer = event.answer
                        yield chunk(
                            {},
                            "stop",
                            citations=[c.to_dict() for c in answer.citations],
                            abstained=answer.abstained,
                        )
                    event = next(events, None)
            except PraxisError as exc:
                yield f"data: {json.dumps(error_body(status_for(exc)[1], str(exc)))}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(
            body_chunks(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @app.get("/v1/search", response_model=SearchOut, tags=["documents"], responses=ERRORS)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="what to find")],
        k: Annotated[int | None, Query(ge=1, le=MAX_K)] = None,
        country: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
        theme: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
        section: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
    ) -> SearchOut:
        """The passages nearest to q, best first, with their scores."""
        filters = Filters(country=country, theme=theme, section=section).as_dict()
        asked = services.assistant.prepare(q, k=k, filters=filters)
        passages = services.assistant.search(asked)
        return SearchOut(query=asked.text, results=[passage_out(p) for p in passages])

    @app.get("/v1/practices", response_model=PracticeList, tags=["documents"], responses=ERRORS)
    def list_practices(
        country: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
        theme: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
        budget_below: Annotated[
            str | None, Query(max_length=40, description="e.g. 500000 or 'GBP 2 million'")
        ] = None,
        budget_above: Annotated[str | None, Query(max_length=40)] = None,
        currency: Annotated[str, Query(max_length=3, description="currency of a bare amount")] = "EUR",
        started_after: Annotated[int | None, Query(ge=1000, le=2200)] = None,
        started_before: Annotated[int | None, Query(ge=1000, le=2200)] = None,
    ) -> PracticeList:
        """Every stored practice with its metadata, optionally only one country or theme
        (case-insensitive), or only those whose key facts match: the largest budget with a stated
        currency below/above an amount (converted at fixed reference rates), started after/before
        a year. With fact filters each practice lists the facts that decided it."""
        below, cur_b = parse_amount(budget_below) if budget_below else (None, None)
        above, cur_a = parse_amount(budget_above) if budget_above else (None, None)
        condition = FactFilter(
            budget_below=below,
            budget_above=above,
            currency=(cur_b or cur_a or currency).upper(),
            started_after=started_after,
            started_before=started_before,
        )
        matched = {m.practice_id: m for m in catalog.filter(condition)} if condition.active else None
        found = []
        for p in services.store.practices():
            if (country and p.metadata.get("country", "").lower() != country.lower()) or (
                theme and p.metadata.get("theme", "").lower() != theme.lower()
            ):
                continue
            if matched is not None and p.id not in matched:
                continue
            summary = practice_summary(p)
            if matched is not None:
                summary.matched_facts = [FactOut(**f.cited(p)) for f in matched[p.id].evidence]
            found.append(summary)
        return PracticeList(count=len(found), practices=found)

    @app.get(
        "/v1/practices/{practice_id}",
        response_model=PracticeOut,
        tags=["documents"],
        responses={404: {"model": ErrorResponse, "description": "no such practice"}, **ERRORS},
    )
    def get_practice(practice_id: PracticeId) -> PracticeOut:
        """One practice: full text and its sections with offsets (citation start/end index the text)."""
        practice = services.store.get_practice(practice_id)
        if practice is None:
            raise NotFound(f"no practice with id {practice_id!r}; GET /v1/practices lists them")
        return practice_out(practice)

    not_found = {404: {"model": ErrorResponse, "description": "no such practice"}, **ERRORS}

    @app.get(
        "/v1/practices/{practice_id}/facts", response_model=FactsOut, tags=["documents"], responses=not_found
    )
    def practice_facts(practice_id: str) -> FactsOut:
        """Key facts of one practice (start year, money, staff, members, beneficiaries, duration,
        funding source, results, owner, country, region), each with the sentence it came from."""
        practice = services.store.get_practice(practice_id)
        if practice is None:
            raise NotFound(f"no practice with id {practice_id!r}; GET /v1/practices lists them")
        facts = [FactOut(**f.cited(practice)) for f in catalog.facts_of(practice)]
        return FactsOut(practice_id=practice.id, title=practice.title, facts=facts)

    @app.get(
        "/v1/practices/{practice_id}/similar",
        response_model=SimilarOut,
        tags=["documents"],
        responses=not_found,
    )
    def practice_similar(
        practice_id: str,
        k: Annotated[int, Query(ge=1, le=20)] = 5,
        per_country: Annotated[int, Query(ge=1, le=20)] = 2,
    ) -> SimilarOut:
        """Practices most like this one (mean chunk embeddings), at most per_country per country."""
        if services.store.get_practice(practice_id) is None:
            raise NotFound(f"no practice with id {practice_id!r}; GET /v1/practices lists them")
        found = catalog.similar(practice_id, k=k, per_country=per_country)
        return SimilarOut(practice_id=practice_id, similar=[SimilarItem(**s.to_dict()) for s in found])

    @app.post("/v1/compare", response_model=CompareOut, tags=["documents"], responses=not_found)
    def compare(body: CompareRequest) -> dict[str, Any]:
        """2 to 5 practices side by side: Resources needed, Evidence of success, Potential for
        learning or transfer and the key facts; every cell's [n] markers index `citations`."""
        return catalog.compare(body.practices, max_chars=body.max_chars).to_dict()

    @app.post(
        "/v1/ingest",
        response_model=IngestOut,
        tags=["admin"],
        dependencies=admin,
        responses={**admin_errors, **ERRORS},
    )
    def ingest(
        files: Annotated[list[UploadFile], File(description=".txt or .md good practices")],
    ) -> IngestOut:
        """Add or update practices from uploaded .txt/.md files (a metadata.jsonl may come along).
        Re-uploading an unchanged file changes nothing."""
        from ingest.ingestor import METADATA_FILE, Ingestor

        if len(files) > MAX_UPLOAD_FILES:
            raise InvalidRequest(f"{len(files)} files in one upload; send at most {MAX_UPLOAD_FILES}")
        with tempfile.TemporaryDirectory(prefix="praxis-upload-") as tmp:
            folder = Path(tmp)
            for upload in files:
                name = Path(upload.filename or "").name
                if name != METADATA_FILE and not name.lower().endswith(UPLOAD_SUFFIXES):
                    raise InvalidRequest(
                        f"{name or 'a file without a name'}: Praxis ingests .txt and .md files "
                        f"(and {METADATA_FILE}); convert it to text first"
                    )
                if (folder / name).exists():
                    raise InvalidRequest(f"{name}: uploaded twice; send each file once")
                data = upload.file.read(MAX_UPLOAD_BYTES + 1)
                if len(data) > MAX_UPLOAD_BYTES:
                    raise InvalidRequest(f"{name}: larger than {MAX_UPLOAD_BYTES} bytes; split it")
                (folder / name).write_bytes(data)
            if not any(p.suffix.lower() in UPLOAD_SUFFIXES for p in folder.iterdir()):
                raise InvalidRequest("no .txt or .md file in the upload")
            ingestor = Ingestor(
                services.store,
                services.store.embeddings,
                chunk_chars=settings.retrieval.chunk_chars,
                chunk_overlap=settings.retrieval.chunk_overlap,
            )
            with services.ingest_lock:
                report = ingestor.run([folder])
            prefix = f"{folder}/"
            failed = [
                IngestFailure(file=Path(f).name, reason=r.replace(prefix, "")) for f, r in report.failed
            ]
        if failed and not (report.added or report.updated or report.unchanged):
            raise CorpusError("nothing ingested: " + "; ".join(f.reason for f in failed))
        return IngestOut(
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            failed=failed,
            warnings=[w.replace(prefix, "") for w in report.warnings],
            chunks_written=report.chunks_written,
            seconds=round(report.seconds, 3),
        )

    @app.delete(
        "/v1/practices/{practice_id}",
        response_model=DeleteOut,
        tags=["admin"],
        dependencies=admin,
        responses={404: {"model": ErrorResponse, "description": "no such practice"}, **admin_errors},
    )
    def delete_practice(practice_id: PracticeId) -> DeleteOut:
        """Remove a practice and all its chunks from the store."""
        with services.ingest_lock:
            if services.store.get_practice(practice_id) is None:
                raise NotFound(f"no practice with id {practice_id!r}; GET /v1/practices lists them")
            removed = services.store.delete_document(practice_id)
        return DeleteOut(deleted=practice_id, chunks_removed=removed)

    @app.api_route(
        "/v1/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
    )
    def unknown_route(rest: str) -> None:
        raise NotFound(f"no API route /v1/{rest}; the routes are listed at /docs")

    if ui:
        from ui.web import mount_ui

        mount_ui(app, services)
    return app
