"""Retrievers: `retrieve(query, *, k, filters) -> list[ScoredChunk]`, and the LangChain adapter."""

from __future__ import annotations

from typing import Any, Protocol

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from assistant.errors import InvalidQuestion
from assistant.store import ChromaStore, where_clause
from assistant.types import ScoredChunk

MAX_K = 50
FILTER_KEYS = ("country", "theme", "section", "region", "practice_id")


class Retriever(Protocol):
    def retrieve(
        self, query: str, *, k: int, filters: dict[str, str] | None = None
    ) -> list[ScoredChunk]: ...


def validate_k(k: int) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise InvalidQuestion(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return k


def validate_filters(filters: dict[str, str] | None) -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, value in (filters or {}).items():
        if key not in FILTER_KEYS:
            raise InvalidQuestion(
                f"unknown filter {key!r}; use one of {', '.join(FILTER_KEYS)}"
            )
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > 200:
            raise InvalidQuestion(f"filter {key!r} must be a text of at most 200 characters")
        clean[key] = value
    return clean


class DenseRetriever:
    """Nearest chunks by embedding similarity, straight from the store."""

    def __init__(self, store: ChromaStore, embeddings: Embeddings) -> None:
        self.store = store
        self.embeddings = embeddings

    def retrieve(
        self, query: str, *, k: int, filters: dict[str, str] | None = None
    ) -> list[ScoredChunk]:
        validate_k(k)
        where = where_clause(validate_filters(filters))
        vector = self.embeddings.embed_query(query)
        return self.store.query(vector, k=k, where=where)


def to_document(passage: ScoredChunk) -> Document:
    chunk = passage.chunk
    return Document(
        page_content=chunk.text,
        id=chunk.id,
        metadata={
            "practice_id": chunk.practice_id,
            "title": chunk.title,
            "section": chunk.section,
            "source": chunk.source,
            "start": chunk.start,
            "end": chunk.end,
            "score": passage.score,
            **chunk.metadata,
        },
    )


class PraxisRetriever(BaseRetriever):
    """Praxis retrieval as a LangChain BaseRetriever, for composing into users' own chains."""

    retriever: Any
    k: int = 5
    filters: dict[str, str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [to_document(p) for p in self.retriever.retrieve(query, k=self.k, filters=self.filters)]
