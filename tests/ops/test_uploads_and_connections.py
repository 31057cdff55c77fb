"""Uploads and connections against a real `praxis serve`: a client that goes away cancels its
ingest, and a client that never finishes its request headers is disconnected.

Before: an upload could not be cancelled (it ran to the end, holding the embedder), and a
socket that sent part of its headers was kept open forever.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.ops.conftest import API_KEY, CORPUS, praxis, praxis_env, wait_until

pytestmark = pytest.mark.slow

KEY = {"X-API-Key": API_KEY}


def long_practice(n: int) -> bytes:
    sentences = " ".join(f"Hub {n} shares cold storage number {k} with farmers." for k in range(400))
    return f"Hub {n} Practice\n\nAbout this good practice\n{sentences}\n".encode()


def test_a_client_that_disconnects_cancels_its_upload(tmp_path: Path, start_server) -> None:
    env = praxis_env(tmp_path / "data", server__api_key=API_KEY, ingest__embed_batch="4")
    assert praxis("ingest", "-q", str(CORPUS), env=env).returncode == 0
    server = start_server(env)
    client = server.client
    files = [("files", (f"hub{n}.txt", long_practice(n), "text/plain")) for n in range(100)]
    with pytest.raises(httpx.ReadTimeout):  # the client gives up and closes its connection
        httpx.post(f"{server.url}/v1/ingest", files=files, headers=KEY, timeout=httpx.Timeout(60, read=2.0))

    def settled() -> bool:
        before = client.get("/healthz").json()["chunks"]
        time.sleep(1.0)
        return client.get("/healthz").json()["chunks"] == before

    assert wait_until(settled, timeout=20)
    practices = client.get("/healthz").json()["practices"]
    assert practices < 42 + 100, "the upload ran to the end after its client left"
    # the lease was given up: the next upload goes through at once, and re-sends finish the job
    again = client.post("/v1/ingest", files=files[:3], headers=KEY)
    assert again.status_code == 200, again.text
    assert "type=cancelled" in server.log()  # stopped by the cancellation, not by an error
    assert "Traceback" not in server.log()


def test_slow_header_sockets_are_closed(tmp_path: Path, start_server) -> None:
    env = praxis_env(tmp_path / "data", server__header_timeout_s="1.5")
    server = start_server(env)
    host, port = server.url.removeprefix("http://").split(":")

    def closed_after(send: bytes, drip: bytes = b"") -> float:
        with socket.create_connection((host, int(port))) as sock:
            sock.settimeout(10)
            sock.sendall(send)
            started = time.monotonic()
            while True:
                if drip:
                    try:
                        sock.sendall(drip)
                    except OSError:
                        return time.monotonic() - started
                try:
                    sock.settimeout(0.5 if drip else 10)
                    if sock.recv(1024) == b"":
                        return time.monotonic() - started
                except ConnectionResetError:
                    # closed with bytes of ours still unread: the kernel answers with a reset
                    # instead of a clean end of stream; the server closed it all the same
                    return time.monotonic() - started
                except TimeoutError:
                    if time.monotonic() - started > 15:
                        return float("inf")

    assert closed_after(b"GET /healthz HTTP/1.1\r\nHost: x\r\n") < 5  # headers never finished
    assert closed_after(b"") < 5  # connected, sent nothing
    assert closed_after(b"GET /healthz HTTP/1.1\r\n", drip=b"X") < 8  # one byte at a time
    with httpx.Client(base_url=server.url) as client:  # well-behaved clients, keep-alive included
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
            time.sleep(0.5)
