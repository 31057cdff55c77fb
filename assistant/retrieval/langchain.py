"""Praxis retrieval as a LangChain BaseRetriever, for composing into users' own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.retrieval.base import validate_filters, validate_k
from assistant.types import ScoredChunk


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
        k, filters = validate_k(self.k), validate_filters(self.filters)
        return [to_document(p) for p in self.retriever.retrieve(query, k=k, filters=filters)]
