"""The one error shape of the API, `{"error": {"type": ..., "message": ...}}`, and what maps to it.

Domain errors (PraxisError subclasses) map to a status and type in one table; validation errors,
HTTP errors and crashes answer the same shape from their own handlers. A body that is not JSON
(malformed, empty, another content type) is 400; JSON of the wrong shape or type is 422.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import (
    BackendError,
    ConfigError,
    CorpusError,
    IngestCancelled,
    InvalidQuestion,
    ModelMismatchError,
    PraxisError,
    StorageFull,
    StorageUnavailable,
    StoreCorrupt,
    StoreError,
    UnknownPractice,
)
from ui.services import UnavailableBackend

log = logging.getLogger(__name__)


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


class UnsupportedParameter(ApiError):
    """A request field Praxis understands but cannot honour (OpenAI's n > 1, tools, ...)."""

    status = 400
    type = "unsupported_parameter"


def practice_not_found(practice_id: str) -> NotFound:
    return NotFound(f"no practice with id {practice_id!r}; GET /v1/practices lists them")


# most specific first: the first matching class decides status and type
ERROR_MAP: tuple[tuple[type[PraxisError], int, str], ...] = (
    (UnknownPractice, 404, "not_found"),
    (UnavailableBackend, 422, "invalid_request"),
    (InvalidQuestion, 422, "invalid_question"),
    (CorpusError, 422, "invalid_document"),
    (ModelMismatchError, 503, "model_mismatch"),
    (StorageFull, 503, "storage_full"),
    (StorageUnavailable, 503, "storage_unavailable"),
    (StoreCorrupt, 503, "store_corrupt"),
    (StoreError, 503, "store_unavailable"),
    (IngestCancelled, 503, "cancelled"),
    (BackendError, 502, "backend_error"),
    (ConfigError, 500, "config_error"),
    (PraxisError, 500, "praxis_error"),
)
_HTTP_TYPES = {
    400: "invalid_json",  # FastAPI's own 400: a body it could not decode (not UTF-8)
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
}


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


# the errors every route may answer, for OpenAPI
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in (
        (
            400,
            "a body that is not JSON (malformed, empty, not UTF-8, or sent without "
            "Content-Type: application/json)",
        ),
        (413, "the request body is larger than the limit (1 MiB; uploads PRAXIS_SERVER__MAX_UPLOAD_MB)"),
        (422, "invalid input, with a message saying what to change"),
        (429, "too many requests from this client; retry after the Retry-After seconds"),
        (
            503,
            "the store is unreachable, hung, full, read-only, damaged or built with another model "
            "(type storage_full, storage_unavailable, store_corrupt, store_unavailable, "
            "model_mismatch); Retry-After says when to try again",
        ),
    )
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "no such practice"},
    **ERRORS,
}


def error_body(type_: str, message: str) -> dict[str, Any]:
    return {"error": {"type": type_, "message": message}}


def http_type(status: int) -> str:
    """The error type of a plain HTTP status (404 not_found, 405 method_not_allowed, ...)."""
    return _HTTP_TYPES.get(status, "internal_error" if status >= 500 else "http_error")


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


async def _praxis(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PraxisError)
    status, type_ = status_for(exc)
    if status >= 500:
        log.error("request failed path=%s type=%s error=%s", request.url.path, type_, exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    retry_after = getattr(exc, "retry_after", None)
    if status == 503 and retry_after:
        headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
    return JSONResponse(error_body(type_, str(exc)), status_code=status, headers=headers or None)


SEND_JSON = "send a JSON object with Content-Type: application/json (schema at /docs)"


def _not_json(request: Request, exc: RequestValidationError) -> str | None:
    """What is wrong when the body could not be read as JSON at all (malformed, empty, or sent with
    another content type), else None: JSON of the wrong shape is a validation error (422)."""
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        if not loc or loc[0] != "body":
            continue
        if err.get("type") == "json_invalid":
            where = f" (character {loc[1]})" if len(loc) > 1 else ""
            reason = (err.get("ctx") or {}).get("error", "JSON decode error")
            return f"the body is not valid JSON: {reason}{where}; {SEND_JSON}"
        if loc == ("body",) and err.get("type") == "missing":
            return f"the request has no body; {SEND_JSON}"
        if loc == ("body",) and isinstance(err.get("input"), bytes):  # not parsed: not sent as JSON
            sent = request.headers.get("content-type")
            how = f"with Content-Type: {sent}" if sent else "without a Content-Type"
            return f"the body was sent {how}, so it was not read as JSON; {SEND_JSON}"
    return None


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    not_json = _not_json(request, exc)
    if not_json is not None:
        return JSONResponse(error_body("invalid_json", not_json), status_code=400)
    return JSONResponse(error_body("invalid_request", _validation_message(exc)), status_code=422)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    type_ = http_type(exc.status_code)
    message = str(exc.detail)
    if exc.status_code == 400:
        message += "; send a UTF-8 JSON body with Content-Type: application/json (schema at /docs)"
    return JSONResponse(error_body(type_, message), status_code=exc.status_code, headers=exc.headers)


async def _crash(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error path=%s", request.url.path)
    return JSONResponse(
        error_body("internal_error", "unexpected server error; the server log has the details"),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    """One error shape for domain errors, validation errors, HTTP errors and crashes."""
    app.add_exception_handler(PraxisError, _praxis)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _crash)
