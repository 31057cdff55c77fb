"""Rate limiting per client over real HTTP: off on 127.0.0.1 by default, on when bound elsewhere,
429 with Retry-After in the one error shape, streaming untouched."""

from __future__ import annotations

import httpx
import openai
import pytest

from assistant.config import is_loopback, load_settings
from assistant.errors import ConfigError
from tests.ui.api import error_of
from ui.api.app import create_app

QUESTION = {"model": "praxis", "messages": [{"role": "user", "content": "What does the Cluj IT cluster do?"}]}


@pytest.fixture
def served(serve, hashing_corpus, tmp_path):
    """served(**server settings) -> base URL of an API over the hashing corpus (on 127.0.0.1)."""
    _, store = hashing_corpus

    def _served(**server) -> str:
        settings = load_settings(data_dir=tmp_path, embedding={"backend": "hashing"}, server=server)
        return serve(create_app(settings, store=store, ui=False)).url

    return _served


def test_off_by_default_on_localhost(http):
    replies = [http.get("/v1/models") for _ in range(70)]  # more than the default 60/minute
    assert all(r.status_code == 200 for r in replies)
    assert "x-ratelimit-limit" not in replies[-1].headers


def test_on_by_default_when_bound_beyond_this_machine(served):
    with httpx.Client(base_url=served(host="0.0.0.0", rate_limit="3/minute"), timeout=30) as http:
        replies = [http.get("/v1/models") for _ in range(3)]
        assert [r.headers["x-ratelimit-remaining"] for r in replies] == ["2", "1", "0"]
        assert {r.headers["x-ratelimit-limit"] for r in replies} == {"3"}
        refused = http.post("/v1/chat/completions", json=QUESTION)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        error = error_of(refused)
        assert error["type"] == "too_many_requests" and "3 requests per 1 minute" in error["message"]
        assert http.get("/healthz").status_code == 200  # health checks are never limited


def test_each_client_is_counted_apart_behind_a_proxy(served):
    # uvicorn takes the client address from X-Forwarded-For sent by a proxy on this machine
    with httpx.Client(base_url=served(host="0.0.0.0", rate_limit="2/minute"), timeout=30) as http:
        first = {"X-Forwarded-For": "192.0.2.10"}
        second = {"X-Forwarded-For": "192.0.2.20"}
        assert [http.get("/v1/models", headers=first).status_code for _ in range(3)] == [200, 200, 429]
        assert http.get("/v1/models", headers=second).status_code == 200


def test_the_setting_wins_over_the_address(served):
    with httpx.Client(
        base_url=served(host="0.0.0.0", rate_limit_enabled=False, rate_limit="1/minute")
    ) as http:
        assert [http.get("/v1/models").status_code for _ in range(3)] == [200, 200, 200]
    with httpx.Client(base_url=served(rate_limit_enabled=True, rate_limit="1/minute")) as http:
        assert [http.get("/v1/models").status_code for _ in range(2)] == [200, 429]


def test_streams_pass_whole_and_clients_see_a_rate_limit_error(served):
    url = served(host="0.0.0.0", rate_limit="2/minute")
    with openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=30) as client:
        chunks = list(client.chat.completions.create(**QUESTION, stream=True))
        assert chunks[-1].choices[0].finish_reason == "stop" and chunks[-1].model_extra["citations"]
        client.chat.completions.create(**QUESTION)
        with pytest.raises(openai.RateLimitError, match="rate limit exceeded"):
            client.chat.completions.create(**QUESTION)


def test_settings_read_the_limit_and_the_address() -> None:
    with pytest.raises(ConfigError, match="cannot read the rate limit 'lots'"):
        load_settings(server={"rate_limit": "lots"})
    assert (
        load_settings(server={"rate_limit": "10/second;300/hour"}).server.rate_limit == "10/second;300/hour"
    )
    assert not load_settings().server.rate_limited  # 127.0.0.1
    assert load_settings(server={"host": "0.0.0.0"}).server.rate_limited
    assert [is_loopback(h) for h in ("127.0.0.1", "127.0.1.1", "localhost", "::1", "[::1]")] == [True] * 5
    assert [is_loopback(h) for h in ("0.0.0.0", "::", "192.0.2.1", "praxis.example.org")] == [False] * 4
