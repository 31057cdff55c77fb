"""kill -9 during an ingest of 1,000 practices, then restart: the store is consistent (no partial
documents, no duplicates) and the ingest resumes and completes."""

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from assistant.embeddings import HashingEmbeddings
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from benchmarks.synth_corpus import write_corpus
from ingest.chunk import chunk_practice
from ingest.ingestor import load_metadata
from ingest.parse import load_practice

ROOT = Path(__file__).resolve().parents[2]


def ingest_process(corpus: Path, data: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(PRAXIS_DATA_DIR=str(data), PRAXIS_EMBEDDING__BACKEND="hashing", PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ingest", "-q", str(corpus)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def committed(data: Path) -> dict[str, str]:
    store = ChromaStore(open_client(data), HashingEmbeddings(), name="praxis")
    return {pid: h for pid, (h, _) in store.document_hashes().items()}


def test_kill_9_mid_ingest_then_restart(tmp_path: Path) -> None:
    corpus = tmp_path / "synth"
    write_corpus(1000, corpus)
    data = tmp_path / "data"

    process = ingest_process(corpus, data)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:  # wait until some are committed
        time.sleep(0.5)
        if (data / "chroma" / "chroma.sqlite3").exists() and len(committed(data)) >= 100:
            break
    assert process.poll() is None, "the ingest finished before it could be killed; use a larger corpus"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = committed(data)
    assert 0 < len(partial) < 1000

    resumed = ingest_process(corpus, data)
    out, err = resumed.communicate(timeout=900)
    assert resumed.returncode == 0, err
    assert "failed 0" in out
    added, unchanged = (int(out.split(f"{word} ")[1].split(",")[0]) for word in ("added", "unchanged"))
    assert unchanged >= len(partial) - 40 and added + unchanged == 1000  # committed ones are not redone

    store = ChromaStore(open_client(data), HashingEmbeddings(), name="praxis")
    hashes = {pid: h for pid, (h, _) in store.document_hashes().items()}
    assert len(hashes) == 1000
    chunks = store.all_chunks()
    by_practice = collections.Counter(c.practice_id for c in chunks)
    keys = [(c.practice_id, c.ordinal) for c in chunks]
    assert len(keys) == len(set(keys)), "duplicate chunks after the restart"
    metadata = load_metadata(corpus)
    for path in sorted(corpus.glob("*.txt"))[::97]:  # every document is whole: spot-check ten
        practice, _ = load_practice(path, metadata.get(path.name))
        expected = chunk_practice(practice)
        assert by_practice[practice.id] == len(expected), practice.id
        assert hashes[practice.id] == practice.content_hash
    assert store.reconcile() == 0
