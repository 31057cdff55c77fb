"""Errors an embedded store raises while another process rewrites it are read again, not failed."""

from __future__ import annotations

from assistant.store.guard import StaleRead, classify


def test_a_vector_index_not_yet_on_disk_is_a_stale_read() -> None:
    # what chromadb raises while `praxis ingest --rebuild` in another process has recreated the
    # collections and not yet written their vector index
    error = RuntimeError(
        "Error executing plan: Internal error: Error creating hnsw segment reader: Nothing found on disk"
    )
    assert isinstance(classify(error), StaleRead)
    assert not isinstance(classify(RuntimeError("something else broke")), StaleRead)
