"""Hostile questions and requests get a clear 4xx in the one error shape: never a 500, never a crash."""

import httpx
import pytest


def assert_clear_4xx(reply: httpx.Response, status: int | tuple[int, ...] = (400, 413, 422)) -> None:
    statuses = (status,) if isinstance(status, int) else status
    assert reply.status_code in statuses, (reply.status_code, reply.text[:300])
    error = reply.json()["error"]
    assert error["type"] and len(error["message"]) > 10


def test_a_100_kb_question_is_refused(http: httpx.Client) -> None:
    assert_clear_4xx(http.post("/v1/ask", json={"question": "x" * 100_000}), 422)


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(http: httpx.Client) -> None:
    huge = b'{"question": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    reply = http.post("/v1/ask", content=huge, headers={"Content-Type": "application/json"})
    assert_clear_4xx(reply, 413)
    chunked = http.post(
        "/v1/ask",
        content=iter([huge[i : i + 65536] for i in range(0, len(huge), 65536)]),
        headers={"Content-Type": "application/json"},
    )
    assert_clear_4xx(chunked, 413)


@pytest.mark.parametrize("question", ["\x00\x01\x02\x07", "\u202e\u200b\x1b\x7f"])
def test_control_characters_only_are_refused(http: httpx.Client, question: str) -> None:
    assert_clear_4xx(http.post("/v1/ask", json={"question": question}), 422)


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert('x')</script> What does LAuGEA do?",
        "'; DROP TABLE practices; -- How many members does LAuGEA have?",
        "{{7*7}} ${jndi:ldap://x} budget of InoLink?",
        "What does\x00 LAuGEA\x1b do?",
    ],
)
def test_html_sql_and_template_text_in_questions_is_just_text(http: httpx.Client, question: str) -> None:
    reply = http.post("/v1/ask", json={"question": question})
    assert reply.status_code == 200
    body = reply.json()
    assert isinstance(body["answer"], str) and isinstance(body["abstained"], bool)
    assert http.get("/healthz").json()["practices"] == 42  # nothing was dropped


@pytest.mark.parametrize(
    "filters",
    [
        {"country": "<script>alert(1)</script>"},
        {"theme": "' OR 1=1 --"},
        {"section": {"$ne": "x"}},
        {"country": "x" * 10_000},
    ],
)
def test_hostile_filters(http: httpx.Client, filters: dict) -> None:
    reply = http.post("/v1/ask", json={"question": "How many members does LAuGEA have?", "filters": filters})
    if reply.status_code == 200:
        assert reply.json()["abstained"] is True  # nothing matches such a filter
    else:
        assert_clear_4xx(reply, 422)
    search = http.get("/v1/search", params={"q": "members", **{k: str(v) for k, v in filters.items()}})
    assert search.status_code in (200, 422)
    if search.status_code == 200:
        assert search.json()["results"] == []


def test_invalid_utf8_and_malformed_json_bodies(http: httpx.Client) -> None:
    headers = {"Content-Type": "application/json"}
    assert_clear_4xx(http.post("/v1/ask", content=b'{"question": "\xff\xfe caf\xe9"}', headers=headers))
    assert_clear_4xx(http.post("/v1/ask", content=b'{"question": "unterminated', headers=headers))
    assert_clear_4xx(http.post("/v1/ask", content=b"[1, 2, 3]", headers=headers))
    assert_clear_4xx(http.post("/v1/ask", content=b"question=hi", headers={"Content-Type": "text/plain"}))


def test_a_huge_history_and_k_of_a_billion(http: httpx.Client) -> None:
    history = [{"role": "user", "content": "tell me more " * 100}] * 500
    assert_clear_4xx(http.post("/v1/ask", json={"question": "And then?", "history": history}), (413, 422))
    assert_clear_4xx(http.post("/v1/ask", json={"question": "Budget?", "k": 10**9}), 422)
    assert_clear_4xx(http.get("/v1/search", params={"q": "budget", "k": 10**9}), 422)
    messages = [{"role": "user", "content": "x"}] * 10_000
    assert_clear_4xx(
        http.post("/v1/chat/completions", json={"model": "praxis", "messages": messages}), (413, 422)
    )
