"""The app as a whole: health, the one error shape for unparseable bodies and unknown routes,
CORS, the OpenAPI document."""

from __future__ import annotations

import httpx
import pytest

from tests.ui.api import error_of


def test_health_reports_store_counts_and_models(http):
    health = http.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["practices"] == 42
    assert health["chunks"] > 42
    assert health["embedding_model"] == "hashing-256"
    assert health["answer_backend"] == "extractive"


JSON_ROUTES = ("/v1/ask", "/v1/ask/stream", "/v1/chat/completions", "/v1/compare")
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("route", JSON_ROUTES)
@pytest.mark.parametrize(
    ("body", "headers", "says"),
    [
        (b"{not json", JSON, "not valid JSON: Expecting property name"),
        (b'{"question": "unterminated', JSON, "not valid JSON: Unterminated string"),
        (b'{"question": "\xff\xfe caf\xe9"}', JSON, "UTF-8 JSON"),
        (b"", JSON, "no body"),
        (
            b"question=hi",
            {"Content-Type": "text/plain"},
            "Content-Type: text/plain, so it was not read as JSON",
        ),
        (b'{"question": "hi"}', {}, "without a Content-Type"),
    ],
)
def test_a_body_that_is_not_json_gets_400_on_every_route(http, route, body, headers, says):
    response = http.post(route, content=body, headers=headers)
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["type"] == "invalid_json" and says in error["message"]
    assert "Content-Type: application/json" in error["message"]


@pytest.mark.parametrize("route", JSON_ROUTES)
@pytest.mark.parametrize("body", [b"[1, 2, 3]", b'"a question"', b"42"])
def test_json_of_the_wrong_type_stays_422(http, route, body):
    response = http.post(route, content=body, headers=JSON)
    assert response.status_code == 422
    assert error_of(response)["type"] == "invalid_request"


def test_unknown_api_route_gets_the_error_shape_even_with_the_ui_mounted(http):
    response = http.get("/v1/nothing-here")
    assert response.status_code == 404
    assert error_of(response)["type"] == "not_found"


def test_cors_is_off_by_default(http):
    preflight = http.options(
        "/v1/ask",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    response = http.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_openapi_documents_the_routes(http):
    paths = http.get("/openapi.json").json()["paths"]
    for route in (
        "/v1/ask",
        "/v1/ask/stream",
        "/v1/chat/completions",
        "/v1/search",
        "/v1/practices",
        "/v1/practices/{practice_id}",
        "/v1/ingest",
        "/healthz",
    ):
        assert route in paths
    assert http.get("/docs").status_code == 200


def test_cors_allows_only_the_configured_origins(serve, store, tmp_path):
    from assistant.config import load_settings
    from ui.api.app import create_app

    settings = load_settings(
        data_dir=tmp_path / "data",
        embedding={"backend": "hashing"},
        server={"cors_origins": ["https://praxis.example"]},
    )
    server = serve(create_app(settings, store=store, ui=False))
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = httpx.options(f"{server.url}/v1/ask", headers={"Origin": "https://praxis.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://praxis.example"
    other = httpx.options(f"{server.url}/v1/ask", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers
