"""A Chroma server that is killed, hung (SIGSTOP) and brought back, under a real `praxis serve`.

Before: a lost server gave 500 internal_error on ask, search, stream and practices; a hung one
made requests hang forever, and about 45 of them exhausted the worker threads until even
/v1/models stopped answering. Now every store-bound route answers 503 with Retry-After within
the store timeout, the circuit breaker refuses at once while the store is down, other routes
keep answering, and the server recovers by itself when Chroma is back.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.ops.conftest import CORPUS, ChromaServer, praxis, praxis_env, wait_until

pytestmark = pytest.mark.slow

TIMEOUT_S = 2.0
COOLDOWN_S = 3.0
QUESTION = {"question": "What does Kalundborg Symbiosis recycle every year?"}


def store_routes(client: httpx.Client) -> dict[str, httpx.Response]:
    """One request to every route that needs the store."""
    chat = {"model": "praxis", "messages": [{"role": "user", "content": QUESTION["question"]}]}
    return {
        "ask": client.post("/v1/ask", json=QUESTION),
        "stream": client.post("/v1/ask/stream", json=QUESTION),
        "search": client.get("/v1/search", params={"q": "industrial symbiosis"}),
        "practices": client.get("/v1/practices"),
        "practice": client.get("/v1/practices/kalundborg-symbiosis"),
        "chat": client.post("/v1/chat/completions", json=chat),
        "healthz": client.get("/healthz"),
    }


def assert_unavailable(replies: dict[str, httpx.Response]) -> None:
    for route, reply in replies.items():
        assert reply.status_code == 503, (route, reply.status_code, reply.text[:300])
        assert int(reply.headers["retry-after"]) >= 1, route
        error = reply.json()["error"]
        assert error["type"] == "store_unavailable" and error["message"], (route, error)


@pytest.fixture
def served(tmp_path: Path, chroma: ChromaServer, start_server):
    env = praxis_env(
        tmp_path / "local",
        store__chroma_url=chroma.url,
        store__timeout_s=str(TIMEOUT_S),
        store__breaker_cooldown_s=str(COOLDOWN_S),
    )
    assert praxis("ingest", "-q", str(CORPUS), env=env).returncode == 0
    server = start_server(env)
    assert server.client.post("/v1/ask", json=QUESTION).status_code == 200
    return server


def test_a_lost_chroma_server_gives_503_and_the_server_recovers(served, chroma: ChromaServer) -> None:
    client = served.client
    chroma.kill()
    started = time.monotonic()
    assert_unavailable(store_routes(client))
    assert time.monotonic() - started < 7 * TIMEOUT_S  # every route, none waiting for long
    assert client.get("/v1/models").status_code == 200  # what needs no store keeps working

    chroma.start()  # same port, same folder
    assert wait_until(lambda: client.get("/healthz").status_code == 200, timeout=COOLDOWN_S + 20)
    for route, reply in store_routes(client).items():
        assert reply.status_code == 200, (route, reply.text[:300])
    assert (
        client.post("/v1/ask", json=QUESTION).json()["citations"][0]["source"] == "kalundborg-symbiosis.txt"
    )
    assert "Traceback" not in served.log()


def test_a_hung_chroma_server_gives_503_in_bounded_time_and_never_fills_the_workers(
    served, chroma: ChromaServer
) -> None:
    client = served.client
    chroma.pause()  # alive, accepting connections, never answering
    try:
        started = time.monotonic()
        first = client.get("/v1/search", params={"q": "industrial symbiosis"})
        assert first.status_code == 503 and time.monotonic() - started < TIMEOUT_S + 3

        def search(n: int) -> tuple[int, float]:
            began = time.monotonic()
            with httpx.Client(base_url=served.url, timeout=60) as own:
                reply = own.get("/v1/search", params={"q": f"symbiosis {n}"})
            return reply.status_code, time.monotonic() - began

        with ThreadPoolExecutor(max_workers=60) as pool:
            flood = [pool.submit(search, n) for n in range(60)]
            time.sleep(0.5)
            began = time.monotonic()
            models = client.get("/v1/models")  # more requests than worker threads are in flight
            assert models.status_code == 200 and time.monotonic() - began < 2.0
            results = [future.result() for future in flood]
        assert {status for status, _ in results} == {503}
        assert max(seconds for _, seconds in results) < 2 * TIMEOUT_S + 3  # none hung
        replies = store_routes(client)
        assert_unavailable(replies)
    finally:
        chroma.resume()
    assert wait_until(lambda: client.get("/healthz").status_code == 200, timeout=COOLDOWN_S + 20)
    assert client.post("/v1/ask", json=QUESTION).status_code == 200
