"""The HTTP API over real HTTP: answers with exact citations, limits, errors, search, practices."""

from __future__ import annotations

import json

import httpx
import pytest

from assistant.conversation import MAX_HISTORY_TURNS, MAX_QUESTION_CHARS

CLUJ = "What does the Cluj IT cluster do?"


def error_of(response: httpx.Response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"type", "message"}, body
    assert body["error"]["message"]
    return body["error"]


def test_health_reports_store_counts_and_models(http):
    health = http.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["practices"] == 42
    assert health["chunks"] > 42
    assert health["embedding_model"] == "hashing-256"
    assert health["answer_backend"] == "extractive"


def test_ask_cites_the_exact_text_of_the_practice(http):
    response = http.post("/v1/ask", json={"question": CLUJ})
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"answer", "abstained", "citations", "timings_ms"}
    assert not answer["abstained"]
    assert answer["citations"], answer
    for citation in answer["citations"]:
        assert f"[{citation['n']}]" in answer["answer"]
        practice = http.get(f"/v1/practices/{citation['practice_id']}").json()
        assert practice["text"][citation["start"] : citation["end"]] == citation["text"]
        section = next(s for s in practice["sections"] if s["name"] == citation["section"])
        assert section["start"] <= citation["start"] < citation["end"] <= section["end"]


def test_ask_abstains_when_the_documents_do_not_say(http):
    answer = http.post("/v1/ask", json={"question": "Who won the 1966 football world cup final?"}).json()
    assert answer["abstained"] is True
    assert answer["citations"] == []
    assert "do not say" in answer["answer"]


def test_follow_up_uses_the_history(http):
    follow_up = "And what evidence of success does it have?"
    history = [
        {"role": "user", "content": CLUJ},
        {"role": "assistant", "content": http.post("/v1/ask", json={"question": CLUJ}).json()["answer"]},
    ]
    with_history = http.post("/v1/ask", json={"question": follow_up, "history": history}).json()
    assert {c["practice_id"] for c in with_history["citations"]} == {"cluj-it-cluster"}
    alone = http.post("/v1/ask", json={"question": follow_up}).json()
    assert {c["practice_id"] for c in alone["citations"]} != {"cluj-it-cluster"}


def test_filters_keep_answers_to_one_country(http):
    body = {"question": "automotive cluster export", "filters": {"country": "Lithuania"}, "k": 8}
    answer = http.post("/v1/ask", json=body).json()
    assert answer["citations"]
    listing = http.get("/v1/practices", params={"country": "Lithuania"}).json()
    lithuanian = {p["id"] for p in listing["practices"]}
    assert {c["practice_id"] for c in answer["citations"]} <= lithuanian


@pytest.mark.parametrize(
    ("body", "status", "type_", "says"),
    [
        ({"question": "x" * (MAX_QUESTION_CHARS + 1)}, 422, "invalid_request", str(MAX_QUESTION_CHARS)),
        ({"question": "   \n\t  "}, 422, "invalid_question", "empty"),
        ({"question": "cluster", "k": 0}, 422, "invalid_request", "k"),
        ({"question": "cluster", "k": 51}, 422, "invalid_request", "50"),
        (
            {"question": "cluster", "history": [{"role": "user", "content": "hi"}] * (MAX_HISTORY_TURNS + 1)},
            422,
            "invalid_request",
            str(MAX_HISTORY_TURNS),
        ),
        (
            {"question": "cluster", "history": [{"role": "system", "content": "hi"}]},
            422,
            "invalid_request",
            "role",
        ),
        ({"question": "cluster", "filters": {"city": "Riga"}}, 422, "invalid_request", "city"),
        ({"question": "cluster", "backend": "gpt-17"}, 422, "invalid_request", "gpt-17"),
        ({"k": 3}, 422, "invalid_request", "question"),
    ],
)
def test_bad_requests_get_a_clear_4xx(http, body, status, type_, says):
    response = http.post("/v1/ask", json=body)
    assert response.status_code == status
    error = error_of(response)
    assert error["type"] == type_
    assert says in error["message"]


def test_malformed_json_gets_the_same_error_shape(http):
    response = http.post("/v1/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert error_of(response)["type"] == "invalid_request"


def test_unknown_api_route_gets_the_error_shape_even_with_the_ui_mounted(http):
    response = http.get("/v1/nothing-here")
    assert response.status_code == 404
    assert error_of(response)["type"] == "not_found"


def sse_events(response: httpx.Response) -> list[tuple[str, dict]]:
    events = []
    for block in response.text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_ask_stream_sends_deltas_then_the_answer(http):
    with http.stream("POST", "/v1/ask/stream", json={"question": CLUJ}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        response.read()
    events = sse_events(response)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "answer" and set(kinds[:-1]) == {"delta"}
    final = events[-1][1]
    assert "".join(data["text"] for kind, data in events if kind == "delta") == final["answer"]
    assert final["citations"] == http.post("/v1/ask", json={"question": CLUJ}).json()["citations"]


def test_ask_stream_refuses_bad_input_before_streaming(http):
    response = http.post("/v1/ask/stream", json={"question": "  "})
    assert response.status_code == 422
    assert error_of(response)["type"] == "invalid_question"


def test_search_returns_scored_passages_best_first(http):
    results = http.get("/v1/search", params={"q": "innovation voucher", "k": 6}).json()["results"]
    assert len(results) == 6
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert any("voucher" in r["text"].lower() for r in results[:3])
    filtered = http.get("/v1/search", params={"q": "cluster", "country": "Lithuania", "k": 5}).json()
    assert filtered["results"] and {r["country"] for r in filtered["results"]} == {"Lithuania"}


def test_search_limits(http):
    assert error_of(http.get("/v1/search", params={"q": "x", "k": 500}))["type"] == "invalid_request"
    assert http.get("/v1/search").status_code == 422


def test_practices_list_and_filters(http):
    listing = http.get("/v1/practices").json()
    assert listing["count"] == 42 == len(listing["practices"])
    buurtzorg = next(p for p in listing["practices"] if p["id"] == "buurtzorg-neighbourhood-care")
    assert buurtzorg["country"] == "Netherlands" and "Resources needed" in buurtzorg["sections"]
    lithuania = http.get("/v1/practices", params={"country": "lithuania"}).json()
    assert lithuania["count"] >= 3 and {p["country"] for p in lithuania["practices"]} == {"Lithuania"}
    assert http.get("/v1/practices", params={"country": "Atlantis"}).json() == {"count": 0, "practices": []}


def test_practice_has_full_text_by_section(http):
    practice = http.get("/v1/practices/buurtzorg-neighbourhood-care").json()
    assert practice["title"] == "Buurtzorg Neighbourhood Care Model"
    assert practice["metadata"]["country"] == "Netherlands"
    for section in practice["sections"]:
        assert practice["text"][section["start"] : section["end"]] == section["text"]
    missing = http.get("/v1/practices/no-such-practice")
    assert missing.status_code == 404
    assert "GET /v1/practices" in error_of(missing)["message"]


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
    from ui.api import create_app

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
