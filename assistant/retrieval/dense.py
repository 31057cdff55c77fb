"""Dense retrieval: the nearest chunks by embedding similarity, straight from the store."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.embeddings import Embeddings

from assistant.question import Intent
from assistant.store.chroma import ChromaStore, where_clause
from assistant.types import ScoredChunk


class DenseRetriever:
    """Nearest chunks by embedding similarity, straight from the store."""

    def __init__(self, store: ChromaStore, embeddings: Embeddings) -> None:
        self.store = store
        self.embeddings = embeddings

    def retrieve(
        self, query: str, *, k: int, filters: dict[str, str] | None = None, intent: Intent | None = None
    ) -> list[ScoredChunk]:
        vector = self.embeddings.embed_query(query)
        return self.store.query(vector, k=k, where=where_clause(filters))

    def expand(
        self,
        query: str,
        passages: Sequence[ScoredChunk],
        *,
        filters: dict[str, str] | None = None,
        intent: Intent | None = None,
    ) -> list[ScoredChunk]:
        """Just the passages: dense retrieval reads nothing more."""
        return list(passages)
