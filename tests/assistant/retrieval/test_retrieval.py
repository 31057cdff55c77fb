"""Hybrid retrieval over a real Chroma store (hashing embedder): keywords, fusion, filters,
section boosts, diversity, and a keyword index that follows the store's content."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import InvalidQuestion
from assistant.retrieval import bm25 as keywords
from assistant.retrieval.base import validate_filters
from assistant.retrieval.hybrid import HybridRetriever
from assistant.store.chroma import ChromaStore
from ingest.ingestor import Ingestor
from tests.conftest import CORPUS

FILES = [
    "laugea-lithuanian-automotive-export-association.txt",
    "baltic-automotive-components-cluster-bacc.txt",
    "inolink-fostering-innovative-networks.txt",
    "tampere-region-innovation-voucher.txt",
    "north-west-england-innovation-vouchers.txt",
    "centrope-innovation-voucher.txt",
    "eno-energy-cooperative.txt",
]


@pytest.fixture
def retriever(store: ChromaStore, tmp_path: Path) -> HybridRetriever:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in [*FILES, "metadata.jsonl"]:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    assert Ingestor(store, store.embeddings).run([folder]).ok
    return HybridRetriever(store, store.embeddings)


def sources(passages) -> list[str]:
    return [p.chunk.source for p in passages]


def test_finds_the_practice_by_its_words(retriever: HybridRetriever) -> None:
    passages = retriever.retrieve("When was the LAuGEA automotive export association founded?", k=5)
    assert passages[0].chunk.source == FILES[0]
    assert all(-1.0 <= p.score <= 1.0 for p in passages)


def test_cost_questions_lean_to_resources_needed(retriever: HybridRetriever) -> None:
    passages = retriever.retrieve("How much budget and staff does the Eno cooperative need?", k=3)
    assert passages[0].chunk.source == "eno-energy-cooperative.txt"
    assert passages[0].chunk.section == "Resources needed"


def test_comparison_questions_get_several_practices(retriever: HybridRetriever) -> None:
    question = "Which practices are innovation voucher schemes, and how do the amounts compare?"
    found = set(sources(retriever.retrieve(question, k=5)))
    assert {
        "tampere-region-innovation-voucher.txt",
        "north-west-england-innovation-vouchers.txt",
        "centrope-innovation-voucher.txt",
    } <= found


def test_filters_apply_to_both_keyword_and_dense_results(retriever: HybridRetriever) -> None:
    passages = retriever.retrieve("innovation voucher amount", k=5, filters={"country": "Finland"})
    assert passages and set(sources(passages)) <= {
        "tampere-region-innovation-voucher.txt",
        "eno-energy-cooperative.txt",
    }
    passages = retriever.retrieve("LAuGEA members", k=5, filters={"section": "Evidence of success"})
    assert passages and {p.chunk.section for p in passages} == {"Evidence of success"}
    with pytest.raises(InvalidQuestion, match="unknown filter 'colour'"):
        validate_filters(
            {"colour": "red"}
        )  # arguments are checked where they enter: Assistant, search, LangChain


def test_keyword_index_follows_added_changed_and_deleted_practices(
    retriever: HybridRetriever, store: ChromaStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[list[str]] = []
    original = store.committed_chunk_rows

    def recording(hashes, **kwargs):
        read.append(sorted(hashes))
        return original(hashes, **kwargs)

    monkeypatch.setattr(store, "committed_chunk_rows", recording)
    retriever.retrieve("LAuGEA", k=3)
    index = retriever.keyword_index()
    assert len(index.indexed()) == len(FILES) and len(read) == 1
    retriever.retrieve("Eno cooperative", k=3)
    assert len(read) == 1  # nothing re-read per query

    assert Ingestor(store, store.embeddings).run([CORPUS / "kalundborg-symbiosis.txt"]).ok
    passages = retriever.retrieve("Kalundborg industrial symbiosis", k=3)
    assert passages[0].chunk.source == "kalundborg-symbiosis.txt"
    assert read[-1] == ["kalundborg-symbiosis"]  # only the new practice was read

    # a changed practice: its new words are found, its old ones are gone
    changed = tmp_path / "eno-energy-cooperative.txt"
    text = (CORPUS / "eno-energy-cooperative.txt").read_text(encoding="utf-8")
    changed.write_text(text.replace("cooperative", "zyxwcoop", 1), encoding="utf-8")
    assert Ingestor(store, store.embeddings).run([changed]).ok
    hits = index.search(["zyxwcoop"], n=5)
    assert not hits  # not synced until the next search through the retriever
    retriever.retrieve("zyxwcoop", k=3)
    assert {chunk.practice_id for _, chunk, _ in index.search(["zyxwcoop"], n=5)} == {
        "eno-energy-cooperative"
    }
    assert read[-1] == ["eno-energy-cooperative"]

    store.delete_document("kalundborg-symbiosis")
    retriever.retrieve("Kalundborg", k=3)
    assert "kalundborg-symbiosis" not in index.indexed()
    assert not index.search(["kalundborg"], n=5)


def test_keyword_index_persists_and_a_restart_reads_no_chunks(
    retriever: HybridRetriever, store: ChromaStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keywords" / "praxis.sqlite3"
    first = HybridRetriever(store, store.embeddings, keyword_path=path)
    expected = sources(first.retrieve("LAuGEA automotive export association members", k=5))
    first.keyword_index().close()
    assert path.exists()

    def no_reads(*args, **kwargs):
        raise AssertionError("the restart re-read chunks from the store")

    monkeypatch.setattr(store, "committed_chunk_rows", no_reads)
    monkeypatch.setattr(keywords.Scorer, "build", no_reads)  # the saved BM25 scorer is loaded
    again = HybridRetriever(store, store.embeddings, keyword_path=path)
    assert sources(again.retrieve("LAuGEA automotive export association members", k=5)) == expected
    assert again.keyword_index().coverage(["laugea"]) == 1.0


def test_a_second_process_on_the_same_index_follows_the_first(
    retriever: HybridRetriever, store: ChromaStore, tmp_path: Path
) -> None:
    path = tmp_path / "praxis.sqlite3"
    serving = HybridRetriever(store, store.embeddings, keyword_path=path)
    serving.retrieve("LAuGEA", k=3)
    saved = tmp_path / "praxis.sqlite3.bm25"
    before = {p.name for p in saved.iterdir()}
    ingesting = HybridRetriever(store, store.embeddings, keyword_path=path)
    assert Ingestor(store, store.embeddings).run([CORPUS / "kalundborg-symbiosis.txt"]).ok
    ingesting.keyword_index()  # the ingest side syncs and saves the new scorer
    after = {p.name for p in saved.iterdir()}
    assert len(after) == 1 and after != before  # the older generation is removed
    passages = serving.retrieve("Kalundborg industrial symbiosis", k=3)
    assert passages[0].chunk.source == "kalundborg-symbiosis.txt"


def test_a_damaged_saved_scorer_is_rebuilt(
    retriever: HybridRetriever, store: ChromaStore, tmp_path: Path
) -> None:
    path = tmp_path / "praxis.sqlite3"
    first = HybridRetriever(store, store.embeddings, keyword_path=path)
    expected = sources(first.retrieve("Eno energy cooperative", k=3))
    for saved in (tmp_path / "praxis.sqlite3.bm25").rglob("*.npy"):
        saved.write_bytes(b"garbage")
    again = HybridRetriever(store, store.embeddings, keyword_path=path)
    assert sources(again.retrieve("Eno energy cooperative", k=3)) == expected


def test_an_unreadable_keyword_index_file_is_rebuilt_from_the_store(
    retriever: HybridRetriever, store: ChromaStore, tmp_path: Path
) -> None:
    path = tmp_path / "praxis.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    rebuilt = HybridRetriever(store, store.embeddings, keyword_path=path)
    passages = rebuilt.retrieve("LAuGEA", k=3)
    assert passages[0].chunk.source.startswith("laugea")
    assert len(rebuilt.keyword_index().indexed()) == len(FILES)
    assert store.count_documents() == len(FILES)  # the store itself is untouched


def test_leftover_rows_of_an_interrupted_write_are_not_indexed(
    retriever: HybridRetriever, store: ChromaStore
) -> None:
    committed = {pid: h for pid, (h, _) in store.document_hashes().items()}
    rows = store.committed_chunk_rows({"inolink-fostering-innovative-networks": "0" * 64})
    assert rows == {"inolink-fostering-innovative-networks": []}  # no rows of another version
    rows = store.committed_chunk_rows(committed, whole=True)
    assert all(rows[pid] for pid in committed)
    assert rows == store.committed_chunk_rows(committed)


def test_another_writers_change_is_seen_at_once_however_large_the_store(
    retriever: HybridRetriever, store: ChromaStore, tmp_path: Path
) -> None:
    retriever.small_store, retriever.recheck_seconds = 0, 1e9  # as for a store of 10,000 practices
    retriever.retrieve("Eno energy cooperative", k=3)
    other_process = ChromaStore(store.client, store.embeddings, name=store.name)
    changed = tmp_path / "eno-energy-cooperative.txt"
    text = (CORPUS / "eno-energy-cooperative.txt").read_text(encoding="utf-8")
    changed.write_text(text.replace("cooperative", "zyxwcoop", 1), encoding="utf-8")
    chunks = store.count_chunks()
    assert Ingestor(other_process, store.embeddings).run([changed]).ok
    assert store.count_chunks() == chunks  # the same counts: only the write generation tells
    retriever.retrieve("zyxwcoop", k=3)
    hits = retriever.keyword_index().search(["zyxwcoop"], n=3)
    assert hits and {chunk.practice_id for _, chunk, _ in hits} == {"eno-energy-cooperative"}


def test_an_unwritable_data_dir_keeps_the_keyword_index_in_memory(
    retriever: HybridRetriever, store: ChromaStore, tmp_path: Path
) -> None:
    blocked = tmp_path / "keywords"
    blocked.write_text("a file where the index folder should be")  # unwritable, even for root
    fallback = HybridRetriever(store, store.embeddings, keyword_path=blocked / "praxis.sqlite3")
    passages = fallback.retrieve("LAuGEA", k=3)
    assert passages[0].chunk.source.startswith("laugea")
    assert fallback.keyword_index().path is None  # in memory for this process, with a warning
    assert blocked.read_text() == "a file where the index folder should be"


def test_a_comparison_reads_every_practice_it_found_not_just_two(retriever: HybridRetriever) -> None:
    # the amount a comparison asks for often sits in another chunk than the one that matched
    question = "Which practices are innovation voucher schemes, and how do the amounts compare?"
    passages = retriever.retrieve(question, k=5)
    practices = list(dict.fromkeys(p.chunk.practice_id for p in passages))
    assert len(practices) >= 3
    read = retriever.expand(question, passages)
    store = retriever.store
    for practice in practices:
        whole = {c.id for c in store.chunks_of(practice)}
        assert whole <= {p.chunk.id for p in read}, practice
