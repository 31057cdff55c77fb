"""`praxis ingest` beside a running `praxis serve` on the same embedded store: the server serves
the new state (or, for a moment, the old one) without a restart and without a single 5xx.

Before the fix every /v1/ask and /v1/search answered 500 after an ingest that updated practices
('NoneType' object is not subscriptable: the server's cached vector index named rows another
process had deleted), and search 500 "Error finding id" after one that added a practice.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.ops.conftest import CORPUS, praxis, praxis_env, wait_until

pytestmark = pytest.mark.slow

KALUNDBORG = "kalundborg-symbiosis.txt"


class Load:
    """Clients asking and searching in a loop; every status code is counted."""

    def __init__(self, url: str, clients: int = 3) -> None:
        self.url = url
        self.statuses: Counter[int] = Counter()
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(clients)]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self, n: int) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while not self._stop.is_set():
                for reply in (
                    client.get(
                        "/v1/search", params={"q": "industrial symbiosis surplus heat tonnes", "k": 8}
                    ),
                    client.post("/v1/ask", json={"question": "How many tonnes does Kalundborg recycle?"}),
                    client.get("/healthz"),
                ):
                    self.statuses[reply.status_code] += 1
                    if reply.status_code >= 500:
                        self.errors.append(f"{reply.request.url.path} {reply.status_code} {reply.text[:200]}")


def search_texts(client: httpx.Client, query: str) -> str:
    reply = client.get("/v1/search", params={"q": query, "k": 10})
    assert reply.status_code == 200, reply.text
    return " ".join(r["text"] for r in reply.json()["results"])


def test_a_cli_ingest_beside_a_running_server(tmp_path: Path, start_server) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    env = praxis_env(tmp_path / "data")
    assert praxis("ingest", "-q", str(corpus), env=env).returncode == 0
    server = start_server(env)
    client = server.client
    assert "62,000 tonnes" in search_texts(client, "Kalundborg tonnes residual materials")

    with Load(server.url) as load:
        time.sleep(1)
        # an update: the practice's old chunks are deleted by another process
        path = corpus / KALUNDBORG
        path.write_text(path.read_text(encoding="utf-8").replace("62,000 tonnes", "71,500 tonnes"))
        done = praxis("ingest", "-q", str(corpus), env=env)
        assert done.returncode == 0 and "updated 1" in done.stdout, done.stderr
        assert wait_until(lambda: "71,500 tonnes" in search_texts(client, "Kalundborg tonnes residual"), 10)
        assert "62,000 tonnes" not in search_texts(client, "Kalundborg tonnes residual materials")

        # an addition: a practice the server has never seen
        extra = tmp_path / "extra"
        extra.mkdir()
        text = (corpus / KALUNDBORG).read_text(encoding="utf-8").replace("Kalundborg", "Vesthavn")
        (extra / "vesthavn-symbiosis.txt").write_text(text, encoding="utf-8")
        assert praxis("ingest", "-q", str(extra), env=env).returncode == 0
        assert wait_until(lambda: "Vesthavn" in search_texts(client, "Vesthavn symbiosis tonnes"), 10)

        # a removal: --prune drops the practices whose files are gone
        (corpus / KALUNDBORG).unlink()
        assert praxis("ingest", "-q", "--prune", str(corpus), env=env).returncode == 0
        assert wait_until(lambda: client.get("/v1/practices/kalundborg-symbiosis").status_code == 404, 10)
        assert "Kalundborg Symbiosis" not in search_texts(client, "Kalundborg symbiosis tonnes")

        # several ingests in a row while the clients keep asking
        for round_ in range(3):
            (extra / "vesthavn-symbiosis.txt").write_text(text.replace("71,500", f"7{round_},000"))
            assert praxis("ingest", "-q", str(extra), env=env).returncode == 0
        time.sleep(1)

    assert not load.errors, load.errors[:5]
    assert load.statuses[200] > 30 and set(load.statuses) == {200}, load.statuses
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["practices"] == 42  # 41 + Vesthavn
    assert "Traceback" not in server.log()


def test_a_rebuild_beside_a_running_server(tmp_path: Path, start_server) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    env = praxis_env(tmp_path / "data")
    assert praxis("ingest", "-q", str(corpus), env=env).returncode == 0
    server = start_server(env)
    with Load(server.url, clients=2) as load:
        time.sleep(0.5)
        rebuilt = praxis("ingest", "-q", "--rebuild", str(corpus), env=env)
        assert rebuilt.returncode == 0, rebuilt.stderr
        time.sleep(1)
    assert not load.errors, load.errors[:5]
    assert "62,000 tonnes" in search_texts(server.client, "Kalundborg tonnes residual materials")
    assert server.client.get("/healthz").json()["practices"] == 42
