"""A damaged chroma.sqlite3: every command says so in one line with what to do, and
`praxis ingest --rebuild` recreates the store from the source files.

Before: ask, serve, ingest and ingest --rebuild all crashed with a 30-line traceback, and
--rebuild could not repair it; only deleting the store by hand did, and nothing said so.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.ops.conftest import CORPUS, praxis, praxis_env

pytestmark = pytest.mark.slow

QUESTION = "What does Kalundborg Symbiosis recycle every year?"


def damage(database: Path, how: str) -> None:
    if how == "header":  # no longer an SQLite file at all
        with database.open("r+b") as handle:
            handle.write(b"garbage " * 64)
    else:  # pages in the middle overwritten: opens, then fails on a read
        size = database.stat().st_size
        with database.open("r+b") as handle:
            handle.seek(size // 2)
            handle.write(os.urandom(min(200_000, size // 3)))


@pytest.mark.parametrize("how", ["header", "pages"])
def test_a_damaged_store_is_reported_in_one_line_and_rebuilt(tmp_path: Path, how: str) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    data = tmp_path / "data"
    env = praxis_env(data)
    assert praxis("ingest", "-q", str(corpus), env=env).returncode == 0
    damage(data / "chroma" / "chroma.sqlite3", how)

    for args in (["ask", QUESTION], ["ingest", "-q", str(corpus)], ["serve", "--port", "0"]):
        done = praxis(*args, env=env, timeout=120)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        message = done.stderr.strip().splitlines()
        assert len(message) == 1 and message[0].startswith("error: "), (args, done.stderr)
        assert "damaged" in message[0] and "praxis ingest --rebuild" in message[0], message

    rebuilt = praxis("ingest", "-q", "--rebuild", str(corpus), env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "added 42" in rebuilt.stdout and "moved it to" in rebuilt.stderr
    assert list(data.glob("chroma.damaged-*"))  # kept for inspection, out of the way
    answer = praxis("ask", QUESTION, "--json", env=env)
    assert answer.returncode == 0 and "kalundborg-symbiosis.txt" in answer.stdout
