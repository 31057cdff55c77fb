"""The data dir on a small file system (a loop-mounted ext4 image, else a size-limited tmpfs)
that fills up or turns read-only under a real `praxis serve`.

Before: after the first failed write the whole process froze in 2 of 3 runs (every route,
/healthz included; SIGTERM ignored): a write stuck inside Chroma's embedded engine, which holds
Python's interpreter lock. Now writes are refused before the engine runs out of space (503
storage_full, for one file or many), questions keep being answered, SIGTERM stops the server
within seconds, and uploads work again as soon as space returns. Should the engine itself still
get stuck (another program filling the disk mid-write), the watchdog ends the process instead
of leaving it frozen.
"""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.ops.conftest import API_KEY, CORPUS, SmallDisk, praxis, praxis_env, wait_until

pytestmark = pytest.mark.slow

KEY = {"X-API-Key": API_KEY}
RESERVE_MB = 4


def practice(name: str, words: int = 60) -> bytes:
    body = " ".join(
        f"{name} supports {n} local food producers with shared cold storage." for n in range(words)
    )
    text = f"{name} Food Hub\n\nAbout this good practice\n{body}\n\nResources needed\nIt costs EUR 40,000.\n"
    return text.encode()


def upload(client: httpx.Client, *names: str) -> httpx.Response:
    files = [("files", (f"{name.lower()}.txt", practice(name), "text/plain")) for name in names]
    return client.post("/v1/ingest", files=files, headers=KEY)


@pytest.fixture
def full_disk_server(tmp_path: Path, small_disk: SmallDisk, start_server):
    env = praxis_env(small_disk.path / "data", store__min_free_mb=str(RESERVE_MB), server__api_key=API_KEY)
    assert praxis("ingest", "-q", str(CORPUS), env=env).returncode == 0
    server = start_server(env)
    assert upload(server.client, "Alder").status_code == 200  # room: uploads work
    return server, env


def test_a_full_disk_refuses_writes_with_503_and_recovers(full_disk_server, small_disk: SmallDisk, tmp_path):
    server, env = full_disk_server
    client = server.client
    filler = small_disk.fill(leave=(RESERVE_MB // 2) * 1024 * 1024)

    for names in (("Birch",), ("Cedar", "Damson")):  # one file or several: the same answer
        started = time.monotonic()
        reply = upload(client, *names)
        assert reply.status_code == 503, reply.text
        assert reply.json()["error"]["type"] == "storage_full" and "free" in reply.json()["error"]["message"]
        assert int(reply.headers["retry-after"]) >= 1 and time.monotonic() - started < 10

    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert health.json()["writable"] is False
    assert client.get("/v1/search", params={"q": "Alder food hub"}).status_code == 200  # reads go on
    assert client.post("/v1/ask", json={"question": "What does the Alder Food Hub cost?"}).status_code == 200

    new = tmp_path / "new"
    new.mkdir()
    (new / "elm.txt").write_bytes(practice("Elm"))
    cli = praxis("ingest", "-q", str(new), env=env)
    assert cli.returncode == 2 and "Traceback" not in cli.stderr
    assert cli.stderr.startswith("error: the disk holding the store has") and cli.stderr.count("\n") == 1

    filler.unlink()  # space returns: writes resume without a restart
    assert wait_until(lambda: client.get("/healthz").json()["writable"], timeout=10)
    reply = upload(client, "Birch", "Cedar")
    assert reply.status_code == 200 and sorted(reply.json()["added"]) == ["birch.txt", "cedar.txt"]
    assert client.get("/v1/practices/birch").status_code == 200
    assert praxis("ingest", "-q", str(new), env=env).returncode == 0
    assert server.stop() < 8  # SIGTERM stops it within seconds


def test_a_disk_filled_behind_praxis_never_freezes_the_server(
    tmp_path: Path, small_disk: SmallDisk, start_server
):
    """No reserve: the engine itself runs out of space mid-write. Either the write fails with a
    503 and the server goes on, or (Chroma's engine stuck holding the interpreter lock) the
    watchdog ends the process within its timeout; never a process that answers nothing."""
    watchdog_s = 6
    env = praxis_env(
        small_disk.path / "data",
        store__min_free_mb="0",
        server__api_key=API_KEY,
        server__watchdog_s=str(watchdog_s),
    )
    assert praxis("ingest", "-q", str(CORPUS), env=env).returncode == 0
    server = start_server(env)
    small_disk.fill(leave=64 * 1024)
    client = httpx.Client(base_url=server.url, timeout=watchdog_s + 10)
    outcomes: list[int | str] = []
    for round_ in range(3):
        try:
            reply = upload(client, *(f"Fill{round_}x{n}" for n in range(5)))
            outcomes.append(reply.status_code)
            assert reply.status_code in (200, 503), reply.text
            if reply.status_code == 503:
                assert reply.json()["error"]["type"] in ("storage_full", "storage_unavailable")
            assert client.get("/healthz", timeout=watchdog_s + 10).status_code in (200, 503)
        except httpx.HTTPError:
            outcomes.append("exited")
            break
    if outcomes[-1] == "exited":  # stuck inside the engine: the watchdog must have ended it
        assert wait_until(lambda: server.process.poll() is not None, timeout=watchdog_s + 10), outcomes
        assert "Thread" in server.log()  # with every thread's traceback, for the operator
    else:
        assert 503 in outcomes, outcomes
        assert server.stop() < 10
    # the store is readable again once space returns
    (small_disk.path / "filler").unlink()
    restarted = start_server(env)
    assert restarted.client.get("/healthz").status_code == 200
    assert restarted.client.get("/v1/search", params={"q": "Kalundborg symbiosis"}).status_code == 200


def test_a_data_dir_turned_read_only_refuses_writes_with_503(full_disk_server, small_disk: SmallDisk) -> None:
    server, env = full_disk_server
    client = server.client
    small_disk.fail_to_read_only()  # the kernel's answer to an I/O error
    for names in (("Fir",), ("Fir", "Gum")):
        reply = upload(client, *names)
        assert reply.status_code == 503, reply.text
        assert reply.json()["error"]["type"] == "storage_unavailable"
        assert "writable" in reply.json()["error"]["message"]
    assert client.get("/v1/search", params={"q": "Alder food hub"}).status_code == 200  # reads go on
    assert client.get("/healthz").status_code == 200
    assert server.stop() < 8
    restart = praxis("ask", "What does the Alder Food Hub cost?", env=env)  # a restart on it: one line
    assert restart.returncode in (0, 2) and "Traceback" not in restart.stderr, restart.stderr


def test_sigterm_stops_the_server_within_seconds_during_an_upload(tmp_path: Path, start_server) -> None:
    env = praxis_env(tmp_path / "data", server__api_key=API_KEY, ingest__embed_batch="1")
    assert praxis("ingest", "-q", str(CORPUS), env=env).returncode == 0
    server = start_server(env)
    files = [("files", (f"big{n}.txt", practice(f"Big{n}", words=400), "text/plain")) for n in range(60)]
    import threading

    thread = threading.Thread(
        target=lambda: httpx.post(f"{server.url}/v1/ingest", files=files, headers=KEY, timeout=120),
        daemon=True,
    )
    thread.start()
    assert wait_until(lambda: server.client.get("/healthz").json()["chunks"] > 341, timeout=60)
    assert server.stop(signal.SIGTERM) < 10
    shutil.rmtree(tmp_path / "data" / "keywords", ignore_errors=True)
