"""POST /v1/ask, /v1/ask/stream and GET /v1/search over real HTTP: answers with exact citations,
follow-ups, filters, limits, streaming."""

from __future__ import annotations

import pytest

from assistant.conversation import MAX_HISTORY_TURNS, MAX_QUESTION_CHARS
from tests.ui.api import error_of, sse_events

CLUJ = "What does the Cluj IT cluster do?"


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
