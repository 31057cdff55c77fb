"""Praxis retrieval as a LangChain BaseRetriever, for composing into users' own chains.

It follows LangChain's retriever conventions (and passes `langchain-tests`' standard retriever
suite): `k` and `filters` set at construction, overridden per call (`invoke(q, k=1)`) or through
`search_kwargs` (as `VectorStoreRetriever` takes them); invalid values are refused when the
retriever is built, not when it is first called.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, field_validator, model_validator

from assistant.retrieval.base import MAX_K, validate_filters, validate_k
from assistant.types import ScoredChunk

SEARCH_KWARGS = ("k", "filters")


def to_document(passage: ScoredChunk) -> Document:
    """A retrieved passage as a LangChain Document (offsets and score in its metadata)."""
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
    """A Praxis retriever (hybrid or dense, see assistant.factory) as a LangChain retriever.

    `k`: passages per query (1 to 50); `filters`: equality filters on country, theme, section,
    region or practice_id; `search_kwargs`: the same two keys, taking precedence over the fields.
    Raises InvalidQuestion for a bad k or filter, at construction or per call.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any = Field(description="a Praxis Retriever: retrieve(query, *, k, filters)")
    k: int = Field(default=5, description=f"passages per query, 1 to {MAX_K}")
    filters: dict[str, str] | None = None
    search_kwargs: dict[str, Any] = Field(default_factory=dict)

    @field_validator("k")
    @classmethod
    def _valid_k(cls, k: int) -> int:
        return validate_k(k)

    @field_validator("filters")
    @classmethod
    def _valid_filters(cls, filters: dict[str, str] | None) -> dict[str, str]:
        return validate_filters(filters)

    @model_validator(mode="after")
    def _valid_search_kwargs(self) -> PraxisRetriever:
        self._options(**self.search_kwargs)
        return self

    def _options(self, **overrides: Any) -> tuple[int, dict[str, str]]:
        unknown = set(overrides) - set(SEARCH_KWARGS)
        if unknown:
            raise TypeError(f"unknown search arguments {sorted(unknown)}; use {', '.join(SEARCH_KWARGS)}")
        k = overrides.get("k", self.search_kwargs.get("k", self.k))
        filters = overrides.get("filters", self.search_kwargs.get("filters", self.filters))
        return validate_k(k), validate_filters(filters)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        k, filters = self._options(**kwargs)
        return [to_document(p) for p in self.retriever.retrieve(query, k=k, filters=filters)]
