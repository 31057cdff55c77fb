"""Hybrid retrieval over a real Chroma store (hashing embedder): keywords, fusion, filters,
section boosts, diversity, and a keyword index that follows the store's content."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import InvalidQuestion
from assistant.retrieval import HybridRetriever
from assistant.store import ChromaStore
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
        retriever.retrieve("x", k=5, filters={"colour": "red"})


def test_keyword_index_is_built_once_and_follows_new_documents(
    retriever: HybridRetriever, store: ChromaStore
) -> None:
    retriever.retrieve("LAuGEA", k=3)
    first = retriever.keyword_index()
    retriever.retrieve("Eno cooperative", k=3)
    assert retriever.keyword_index() is first  # not rebuilt per query
    assert Ingestor(store, store.embeddings).run([CORPUS / "kalundborg-symbiosis.txt"]).ok
    passages = retriever.retrieve("Kalundborg industrial symbiosis", k=3)
    assert passages[0].chunk.source == "kalundborg-symbiosis.txt"
    assert retriever.keyword_index() is not first
