"""Ingest and ask work with every outbound connection blocked, and nothing even tries one."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.model
def test_ingest_and_ask_make_no_network_connection(tmp_path: Path) -> None:
    log = tmp_path / "attempts.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRAXIS_", "HF_", "TRANSFORMERS_"))}
    env.update(
        PRAXIS_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=os.pathsep.join([str(Path(__file__).parent / "netguard"), str(ROOT)]),
        NETGUARD_LOG=str(log),
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ui.cli", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )

    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0 and "blocked" in probe.stderr  # the guard is really active
    log.unlink()

    ingest = run("ingest", "-q")
    assert ingest.returncode == 0, ingest.stderr
    ask = run("ask", "How many members does LAuGEA have?", "--json")
    assert ask.returncode == 0, ask.stderr
    assert "21" in json.loads(ask.stdout)["answer"]
    assert not log.exists(), log.read_text()
