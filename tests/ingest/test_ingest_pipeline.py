"""The ingest pipeline at scale: unchanged files cost nothing, only changed records are embedded,
writes stay within Chroma's batch limit, and interrupted writes never leave a damaged practice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.errors import StoreError
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from benchmarks.synth_corpus import write_corpus
from ingest.ingestor import Ingestor
from ingest.parse import load_practices
from ingest.readers import FieldMap


class CountingEmbeddings(HashingEmbeddings):
    """The hashing fake, counting what it is asked to embed (and able to refuse)."""

    def __init__(self) -> None:
        super().__init__()
        self.model_name = "hashing-256"  # the same model as the `store` fixture's embedder
        self.texts: list[str] = []
        self.refuse = False

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.refuse:
            raise AssertionError("nothing should be embedded")
        self.texts.extend(texts)
        return super().embed_documents(texts)


@pytest.fixture
def counting() -> CountingEmbeddings:
    return CountingEmbeddings()


def test_synthetic_corpus_is_deterministic_and_in_the_template(tmp_path: Path) -> None:
    first = write_corpus(30, tmp_path / "a", seed=3)
    again = write_corpus(30, tmp_path / "b", seed=3)
    other = write_corpus(30, tmp_path / "c", seed=4)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    # the first practices of a bigger corpus are the same files
    assert [p.read_bytes() for p in write_corpus(40, tmp_path / "d", seed=3)[:30]] == [
        p.read_bytes() for p in first
    ]
    practices = [load_practices(p)[0][0] for p in first]
    assert len({p.title for p in practices}) == 30
    assert len({p.metadata.get("owner", "").rsplit(", ", 1)[-1] for p in practices}) >= 10  # countries
    for practice in practices:
        names = [s.name for s in practice.sections]
        assert names[0] == "About this good practice" and "Evidence of success" in names
        resources = practice.section("Resources needed")
        assert resources is not None and "EUR" in resources.text


def test_reingest_of_unchanged_files_embeds_and_writes_nothing(
    tmp_path: Path, counting: CountingEmbeddings
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(40, corpus, seed=1)
    write_corpus(25, tmp_path / "export", seed=2, fmt="jsonl")
    store = ChromaStore(open_client(tmp_path / "data"), counting, name="t")
    first = Ingestor(store, counting).run([corpus, tmp_path / "export"])
    assert first.ok and len(first.added) == 65
    assert len(counting.texts) == first.chunks_written == store.count_chunks()

    counting.refuse = True
    again = Ingestor(store, counting).run([corpus, tmp_path / "export"])
    assert again.ok and len(again.unchanged) == 65 and again.chunks_written == 0
    assert "nothing changed" in again.summary()


def test_one_changed_record_in_an_export_re_embeds_only_that_record(
    tmp_path: Path, counting: CountingEmbeddings
) -> None:
    (export,) = write_corpus(20, tmp_path / "export", seed=5, fmt="jsonl")
    store = ChromaStore(open_client(tmp_path / "data"), counting, name="t")
    assert Ingestor(store, counting).run([export.parent]).ok
    lines = export.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[7])
    record["sections"]["Resources needed"] = "The budget was EUR 1 and one volunteer ran it."
    lines[7] = json.dumps(record)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")

    counting.texts.clear()
    report = Ingestor(store, counting).run([export.parent])
    assert report.updated == [f"practices.jsonl#{record['id']}"] and len(report.unchanged) == 19
    assert counting.texts and all(record["title"] in text for text in counting.texts)
    practice = store.get_practice(f"practices-{record['id']}")
    assert practice is not None and "EUR 1 and one volunteer" in practice.text

    counting.refuse = True  # the export's new bytes were recorded: the next run reads nothing
    assert len(Ingestor(store, counting).run([export.parent]).unchanged) == 20


def test_changing_the_field_mapping_reads_an_export_again(
    tmp_path: Path, counting: CountingEmbeddings
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    rows = [{"id": 1, "name": "Bike Library", "title": "Old title", "about": "Lends bicycles to students."}]
    (folder / "x.json").write_text(json.dumps(rows), encoding="utf-8")
    store = ChromaStore(open_client(tmp_path / "data"), counting, name="t")
    assert Ingestor(store, counting).run([folder]).ok
    report = Ingestor(store, counting, fields=FieldMap.from_overrides({"title": "name"})).run([folder])
    assert report.updated == ["x.json#1"]
    practice = store.get_practice("x-1")
    assert practice is not None and practice.title == "Bike Library"


def test_writes_stay_within_the_store_batch_limit(tmp_path: Path, hashing: HashingEmbeddings) -> None:
    """Groups of hundreds of chunks go to Chroma in pieces it accepts."""

    class SmallBatchStore(ChromaStore):
        def _batch(self) -> int:
            return 7

    write_corpus(30, tmp_path / "corpus", seed=9)
    store = SmallBatchStore(open_client(tmp_path / "data"), hashing, name="t")
    store._open(create=True)
    real_upsert = store._chunks.upsert
    sizes: list[int] = []

    def upsert(**kwargs):  # the real upsert, recording the batch sizes
        sizes.append(len(kwargs["ids"]))
        return real_upsert(**kwargs)

    store._chunks.upsert = upsert
    report = Ingestor(store, hashing).run([tmp_path / "corpus"])
    assert report.ok and store.count_chunks() == report.chunks_written > 200
    assert max(sizes) == 7 and sum(sizes) == report.chunks_written


def test_an_interrupted_update_leaves_the_old_version_whole(
    tmp_path: Path, hashing: HashingEmbeddings
) -> None:
    """Crash after an update's chunks were written but before its record was committed: the old
    version must still be complete (its rows are not overwritten) and the next ingest, with the
    file back at the stored version, needs to embed nothing."""
    corpus = tmp_path / "corpus"
    (path,) = write_corpus(1, corpus, seed=11)
    store = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert Ingestor(store, hashing).run([corpus]).ok
    chunks_before = sorted((c.section, c.text) for c in store.all_chunks())

    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Resources needed\n", "Resources needed\nA new first sentence.\n"))
    (practice,), _, _ = load_practices(path)

    def crash(**kwargs):
        raise KeyboardInterrupt  # the process dies between the chunk writes and the commit

    from ingest.chunk import chunk_practice

    chunks = chunk_practice(practice)
    store._open(create=False)
    store._documents.upsert = crash
    with pytest.raises(KeyboardInterrupt):
        store.write_documents([(practice, chunks, hashing.embed_documents([c.text for c in chunks]))])

    path.write_text(original)  # the file goes back to the stored version
    store = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert store.writes_interrupted()
    report = Ingestor(store, hashing).run([corpus])
    assert report.unchanged == [path.name] and report.chunks_written == 0
    assert sorted((c.section, c.text) for c in store.all_chunks()) == chunks_before
    assert not store.writes_interrupted()


def test_prune_keeps_records_of_an_export_that_failed_to_read(
    tmp_path: Path, hashing: HashingEmbeddings
) -> None:
    folder = tmp_path / "export"
    (export,) = write_corpus(5, folder, seed=3, fmt="jsonl")
    store = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert Ingestor(store, hashing).run([folder]).ok
    export.write_bytes(b"\x00 damaged")
    report = Ingestor(store, hashing).run([folder], prune=True)
    assert not report.pruned and len(store.document_index()) == 5
    export.unlink()
    (folder / "other.jsonl").write_text(json.dumps({"title": "Other", "about": "Text."}) + "\n")
    report = Ingestor(store, hashing).run([folder], prune=True)
    assert len(report.pruned) == 5 and list(store.document_index()) == ["other-other"]


def test_an_interrupted_prune_leaves_no_orphan_chunks(tmp_path: Path, hashing: HashingEmbeddings) -> None:
    corpus = tmp_path / "corpus"
    paths = write_corpus(3, corpus, seed=13)
    store = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert Ingestor(store, hashing).run([corpus]).ok
    paths[0].unlink()

    def crash(**kwargs):
        raise KeyboardInterrupt  # dies after the record is gone, before its chunks are

    store._chunks.delete = crash
    with pytest.raises(KeyboardInterrupt):
        Ingestor(store, hashing).run([corpus], prune=True)

    store = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert store.writes_interrupted()
    report = Ingestor(store, hashing).run([corpus], prune=True)
    assert report.ok and len(report.unchanged) == 2
    remaining = {c.practice_id for c in store.all_chunks()}
    assert remaining == set(store.document_index()) and len(remaining) == 2
    assert not store.writes_interrupted()  # a finished run: the next one skips the scan


def test_a_second_writer_is_refused_while_the_first_holds_the_lease(
    tmp_path: Path, hashing: HashingEmbeddings
) -> None:
    """Two API replicas (or two `praxis ingest`) on one collection: the second waits its turn
    instead of reconciling away the first one's uncommitted rows."""
    corpus = tmp_path / "corpus"
    write_corpus(4, corpus, seed=17)
    first = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert Ingestor(first, hashing).run([corpus]).ok
    first._begin_writes()  # the first writer is at work (mid-ingest)

    second = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    (corpus / "late.txt").write_text("Late Practice\nAbout this good practice\nWritten later.\n")
    with pytest.raises(
        StoreError, match="another ingest .* is writing collection 't'; wait until it finishes"
    ):
        Ingestor(second, hashing).run([corpus])
    assert "late" not in second.document_index()

    first.end_writes()
    report = Ingestor(second, hashing).run([corpus])
    assert report.added == ["late.txt"] and len(report.unchanged) == 4


def test_the_lease_of_a_killed_writer_does_not_block(tmp_path: Path, hashing: HashingEmbeddings) -> None:
    import socket
    import time

    from assistant.store.chroma import WRITER, WRITER_UNTIL, WRITES_OPEN

    corpus = tmp_path / "corpus"
    write_corpus(2, corpus, seed=19)
    store = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert Ingestor(store, hashing).run([corpus]).ok
    documents = store._documents
    dead = f"{socket.gethostname()}:4194999:abcd"  # beyond any pid limit: no such process
    documents.modify(metadata={WRITES_OPEN: 1, WRITER: dead, WRITER_UNTIL: time.time() + 300})
    report = Ingestor(ChromaStore(open_client(tmp_path / "data"), hashing, name="t"), hashing).run([corpus])
    assert report.ok and len(report.unchanged) == 2

    elsewhere = "other-host:123:abcd"  # another machine: its lease is trusted until it runs out
    documents.modify(metadata={WRITES_OPEN: 1, WRITER: elsewhere, WRITER_UNTIL: time.time() + 300})
    with pytest.raises(StoreError, match="other-host:123:abcd"):
        Ingestor(ChromaStore(open_client(tmp_path / "data"), hashing, name="t"), hashing).run([corpus])
    documents.modify(metadata={WRITES_OPEN: 1, WRITER: elsewhere, WRITER_UNTIL: time.time() - 1})
    assert Ingestor(ChromaStore(open_client(tmp_path / "data"), hashing, name="t"), hashing).run([corpus]).ok


def test_a_lone_delete_releases_its_lease_and_keeps_earlier_leftovers_visible(
    tmp_path: Path, hashing: HashingEmbeddings
) -> None:
    """The API deletes a practice: another replica may ingest right after; and a delete does not
    mark a store clean that still holds an interrupted write's rows."""
    corpus = tmp_path / "corpus"
    paths = write_corpus(3, corpus, seed=23)
    api = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert Ingestor(api, hashing).run([corpus]).ok
    practice_id = paths[0].stem
    assert api.delete_document(practice_id) > 0
    other = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert not other.writes_interrupted()
    assert Ingestor(other, hashing).run([corpus]).added == [paths[0].name]  # not refused

    (practice,), _, _ = load_practices(paths[1])
    practice.content_hash = "half-written"
    from ingest.chunk import chunk_practice

    chunks = chunk_practice(practice)
    writer = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    writer._open(create=False)
    writer._documents.upsert = lambda **kwargs: (_ for _ in ()).throw(KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        writer.write_documents([(practice, chunks, hashing.embed_documents([c.text for c in chunks]))])
    fresh = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    fresh.delete_document(paths[2].stem)
    assert fresh.writes_interrupted()  # the half-written rows are still to be removed
    assert Ingestor(fresh, hashing).run([corpus]).ok
    assert {c.practice_id for c in fresh.all_chunks()} == set(fresh.document_index())
    assert not fresh.writes_interrupted()


def test_practice_centroids_come_from_the_records(tmp_path: Path, hashing: HashingEmbeddings) -> None:
    """ "Similar practices" reads one stored centroid per practice, equal to the mean of its chunk
    vectors; a record written before records carried it is computed from its chunks."""
    import numpy as np

    from assistant.practices.similar import centroids

    corpus = tmp_path / "corpus"
    write_corpus(6, corpus, seed=29)
    store = ChromaStore(open_client(tmp_path / "data"), hashing, name="t")
    assert Ingestor(store, hashing).run([corpus]).ok
    legacy = sorted(store.document_index())[0]
    store._documents.update(ids=[legacy], embeddings=[[1.0] + [0.0] * (hashing.dimension - 1)])
    expected = centroids(store.practice_vectors())
    stored = store.practice_centroids()
    assert set(stored) == set(expected) and len(stored) == 6
    for practice_id, vector in expected.items():
        assert np.allclose(stored[practice_id], vector, atol=1e-6), practice_id
