"""`praxis up` / `praxis serve` as a user runs them: a subprocess that prints its URL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(command: str, data_dir: Path, port: int) -> tuple[subprocess.Popen, list[str]]:
    env = {**os.environ, "PRAXIS_EMBEDDING__BACKEND": "hashing"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", command, "--data-dir", str(data_dir), "--port", str(port)],
        cwd=data_dir.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 120
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if "Praxis is serving" in line:
            return process, lines
    process.kill()
    pytest.fail("the server did not print its URL:\n" + "\n".join(lines))


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.slow
def test_up_ingests_once_then_serves_on_loopback(tmp_path):
    port = free_port()
    process, lines = start("up", tmp_path / "data", port)
    try:
        assert any("ingesting" in line for line in lines)
        assert f"at http://127.0.0.1:{port}/" in lines[-1]
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).json()
        assert health["practices"] == 42
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert page.status_code == 200 and "gradio" in page.text.lower()
    finally:
        stop(process)

    process, lines = start("serve", tmp_path / "data", port)  # same store: nothing to ingest
    try:
        assert not any("ingesting" in line for line in lines)
        assert "serving 42 practices" in lines[-1]
    finally:
        stop(process)


def test_serve_refuses_a_busy_port_with_a_clear_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "ui.cli", "serve", "--data-dir", str(tmp_path), "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PRAXIS_EMBEDDING__BACKEND": "hashing"},
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
