import os
from pathlib import Path

import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.errors import ModelMismatchError
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from assistant.store.records import row_id
from ingest.chunk import chunk_practice
from ingest.ingestor import Ingestor
from ingest.parse import load_practice

LAUGEA_NAME = "laugea-lithuanian-automotive-export-association.txt"


def chunk_ids(store: ChromaStore) -> dict[str, set[str]]:
    by_source: dict[str, set[str]] = {}
    for chunk in store.all_chunks():
        by_source.setdefault(chunk.source, set()).add(chunk.id)
    return by_source


def test_first_ingest_stores_every_practice_with_metadata(store: ChromaStore, corpus_copy: Path) -> None:
    report = Ingestor(store, store.embeddings).run([corpus_copy])
    assert report.ok and len(report.added) == 42 and report.chunks_written == store.count_chunks()
    laugea = store.get_practice("laugea-lithuanian-automotive-export-association")
    assert laugea is not None
    assert laugea.metadata["country"] == "Lithuania"
    assert laugea.metadata["url"].startswith("https://")
    assert laugea.source == LAUGEA_NAME


class CountingEmbeddings(HashingEmbeddings):
    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def test_reingest_of_unchanged_files_embeds_and_writes_nothing(tmp_path: Path, corpus_copy: Path) -> None:
    embeddings = CountingEmbeddings()
    store = ChromaStore(open_client(tmp_path / "data"), embeddings, name="t")
    Ingestor(store, embeddings).run([corpus_copy])
    before = chunk_ids(store)
    embeddings.embedded = 0
    report = Ingestor(store, embeddings).run([corpus_copy])
    assert report.chunks_written == 0 and embeddings.embedded == 0
    assert len(report.unchanged) == 42 and not report.added and not report.updated
    assert "nothing changed" in report.summary()
    assert chunk_ids(store) == before


def test_an_edited_file_replaces_exactly_its_own_chunks(store: ChromaStore, corpus_copy: Path) -> None:
    Ingestor(store, store.embeddings).run([corpus_copy])
    before = chunk_ids(store)
    path = corpus_copy / LAUGEA_NAME
    path.write_text(path.read_text(encoding="utf-8").replace("21 members", "23 members"), encoding="utf-8")
    report = Ingestor(store, store.embeddings).run([corpus_copy])
    assert report.updated == [LAUGEA_NAME] and len(report.unchanged) == 41
    after = chunk_ids(store)
    assert {s for s in after if after[s] != before[s]} == {LAUGEA_NAME}
    practice, _ = load_practice(path)
    assert after[LAUGEA_NAME] == {c.id for c in chunk_practice(practice)}
    texts = " ".join(c.text for c in store.all_chunks() if c.source == LAUGEA_NAME)
    assert "23 members" in texts and "21 members" not in texts


def test_prune_removes_practices_whose_files_are_gone(store: ChromaStore, corpus_copy: Path) -> None:
    Ingestor(store, store.embeddings).run([corpus_copy])
    (corpus_copy / LAUGEA_NAME).unlink()
    kept = Ingestor(store, store.embeddings).run([corpus_copy])
    assert not kept.pruned and store.get_practice("laugea-lithuanian-automotive-export-association")
    pruned = Ingestor(store, store.embeddings).run([corpus_copy], prune=True)
    assert pruned.pruned == [LAUGEA_NAME]
    assert store.get_practice("laugea-lithuanian-automotive-export-association") is None
    assert LAUGEA_NAME not in chunk_ids(store)
    assert len(chunk_ids(store)) == 41


def test_prune_keeps_a_file_that_is_present_but_failed(store: ChromaStore, corpus_copy: Path) -> None:
    Ingestor(store, store.embeddings).run([corpus_copy])
    (corpus_copy / LAUGEA_NAME).write_bytes(b"\xff\xfe broken")
    report = Ingestor(store, store.embeddings).run([corpus_copy], prune=True)
    assert [name for name, _ in report.failed] == [str(corpus_copy / LAUGEA_NAME)]
    assert not report.pruned
    assert LAUGEA_NAME in chunk_ids(store)  # the last good version is kept


def test_another_embedding_model_is_refused_and_nothing_is_touched(tmp_path: Path, corpus_copy: Path) -> None:
    client = open_client(tmp_path / "data")
    first = ChromaStore(client, HashingEmbeddings(256), name="t")
    Ingestor(first, first.embeddings).run([corpus_copy])
    before = chunk_ids(first)
    other = ChromaStore(client, HashingEmbeddings(128), name="t")
    with pytest.raises(ModelMismatchError, match="hashing-256.*hashing-128.*--rebuild"):
        Ingestor(other, other.embeddings).run([corpus_copy])
    assert chunk_ids(ChromaStore(client, HashingEmbeddings(256), name="t")) == before
    rebuilt = Ingestor(other, other.embeddings).run([corpus_copy], rebuild=True)
    assert rebuilt.ok and len(rebuilt.added) == 42
    assert other.recorded_model() == ("hashing-128", 128)


def test_bad_files_fail_alone_and_the_others_are_ingested(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Good one\nAbout this good practice\nIt works.\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (folder / "latin.txt").write_bytes("R\u00e9gion\n".encode("latin-1"))
    os.symlink("/proc/self/mem", folder / "unreadable.txt")  # reading it fails with an I/O error
    report = Ingestor(store, store.embeddings).run([folder, tmp_path / "missing"])
    assert report.added == ["good.txt"]
    reasons = dict(report.failed)
    assert not report.ok and len(reasons) == 5
    assert "empty" in reasons[str(folder / "empty.txt")]
    assert "binary" in reasons[str(folder / "binary.txt")]
    assert "not valid UTF-8" in reasons[str(folder / "latin.txt")]
    assert "cannot be read" in reasons[str(folder / "unreadable.txt")]
    assert "no such file or folder" in reasons[str(tmp_path / "missing")]


class FailingEmbeddings(HashingEmbeddings):
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise RuntimeError("embedder crashed")


def test_a_failed_embedding_leaves_the_stored_version_whole(store: ChromaStore, corpus_copy: Path) -> None:
    Ingestor(store, store.embeddings).run([corpus_copy])
    before = chunk_ids(store)
    path = corpus_copy / LAUGEA_NAME
    path.write_text(path.read_text(encoding="utf-8") + "\nNew line.\n", encoding="utf-8")
    broken = ChromaStore(store.client, FailingEmbeddings(), name=store.name)
    with pytest.raises(RuntimeError):
        Ingestor(broken, broken.embeddings).run([corpus_copy])
    assert chunk_ids(store) == before


def test_reconcile_removes_chunks_of_an_interrupted_write(store: ChromaStore, corpus_copy: Path) -> None:
    Ingestor(store, store.embeddings).run([corpus_copy])
    before = chunk_ids(store)
    practice, _ = load_practice(corpus_copy / LAUGEA_NAME)
    practice.text += "\nA sentence that was being written.\n"
    practice.content_hash = "interrupted"
    chunks = chunk_practice(practice)
    # the chunks were written, then the process died before the document record was committed
    store._begin_writes()  # noqa: SLF001 - what write_documents does first
    store._chunks.upsert(  # noqa: SLF001 - simulating a crash inside replace_document
        ids=[row_id(c, "interrupted") for c in chunks],
        documents=[c.text for c in chunks],
        embeddings=store.embeddings.embed_documents([c.text for c in chunks]),
        metadatas=[
            {
                "practice_id": c.practice_id,
                "title": c.title,
                "section": c.section,
                "ordinal": c.ordinal,
                "start": c.start,
                "end": c.end,
                "source": c.source,
                "doc_hash": "interrupted",
            }
            for c in chunks
        ],
    )
    assert store.count_chunks() == sum(len(v) for v in before.values()) + len(chunks)
    assert store.reconcile() == len(chunks)
    assert chunk_ids(store) == before
