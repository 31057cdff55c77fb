"""`praxis serve` makes no network connection of its own while serving the UI and the API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

NETGUARD = Path(__file__).parent / "netguard"
ROOT = Path(__file__).resolve().parents[2]


def test_serve_opens_no_connection(tmp_path: Path) -> None:
    log = tmp_path / "attempts.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRAXIS_", "GRADIO_"))}
    env.update(
        PRAXIS_EMBEDDING__BACKEND="hashing",
        PYTHONPATH=os.pathsep.join([str(NETGUARD), str(ROOT)]),  # this checkout's code, guarded
        NETGUARD_LOG=str(log),
    )
    cli = [sys.executable, "-m", "ui.cli"]
    data = str(tmp_path / "data")
    subprocess.run(
        [*cli, "ingest", "-q", "--data-dir", data],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=300,
    )
    server = subprocess.Popen(
        [*cli, "serve", "--data-dir", data, "--port", "0"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = ""
        deadline = time.monotonic() + 120
        while "Praxis is serving" not in line and time.monotonic() < deadline:
            line = server.stdout.readline() or line
            assert server.poll() is None, server.stdout.read()
        url = line.split(" at ")[1].split()[0].rstrip("/")
        with httpx.Client(base_url=url, timeout=30) as http:
            assert http.get("/").status_code == 200
            assert http.get("/config").status_code == 200
            answer = http.post("/v1/ask", json={"question": "What does the Cluj IT cluster do?"}).json()
            assert answer["citations"]
            # usage is counted with tiktoken, whose encoding file must come from the install
            chat = {
                "model": "praxis",
                "messages": [{"role": "user", "content": "What does the Cluj IT cluster do?"}],
                "stream": True,
                "stream_options": {"include_usage": True},
            }
            chunks = http.post("/v1/chat/completions", json=chat).text.strip().split("\n\n")
            assert chunks[-1] == "data: [DONE]" and '"prompt_tokens": 16' in chunks[-2]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not log.exists(), log.read_text()
