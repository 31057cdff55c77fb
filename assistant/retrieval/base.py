"""What every retriever offers (the Retriever protocol) and the checks of its arguments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assistant.errors import InvalidQuestion
from assistant.question import Intent
from assistant.types import Chunk, ScoredChunk
from assistant.vocabulary import content_terms

MAX_K = 50
FILTER_KEYS = ("country", "theme", "section", "region", "practice_id")


class Retriever(Protocol):
    """Finds the passages of a question. Arguments are validated by the caller (`validate_k`,
    `validate_filters`): the Assistant, the search route, the LangChain adapter."""

    def retrieve(
        self, query: str, *, k: int, filters: dict[str, str] | None = None, intent: Intent | None = None
    ) -> list[ScoredChunk]:
        """The k best passages, best first (score: higher is better, on the cosine scale).
        `intent`: the query's analysis, when the caller has made it."""
        ...

    def expand(
        self,
        query: str,
        passages: Sequence[ScoredChunk],
        *,
        filters: dict[str, str] | None = None,
        intent: Intent | None = None,
    ) -> list[ScoredChunk]:
        """What an answerer reads: the passages first, then any others worth reading with them."""
        ...


def validate_k(k: int) -> int:
    """k itself. Raises InvalidQuestion unless it is a whole number from 1 to MAX_K."""
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise InvalidQuestion(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
    return k


def validate_filters(filters: dict[str, str] | None) -> dict[str, str]:
    """The filters without empty values. Raises InvalidQuestion for an unknown key or a bad value."""
    clean: dict[str, str] = {}
    for key, value in (filters or {}).items():
        if key not in FILTER_KEYS:
            raise InvalidQuestion(f"unknown filter {key!r}; use one of {', '.join(FILTER_KEYS)}")
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > 200:
            raise InvalidQuestion(f"filter {key!r} must be a text of at most 200 characters")
        clean[key] = value
    return clean


def keyword_terms(text: str) -> list[str]:
    """What BM25 indexes and matches: stemmed content words, numbers included."""
    return content_terms(text)


def matches_filters(chunk: Chunk, filters: dict[str, str]) -> bool:
    for key, value in filters.items():
        if key in ("section", "practice_id"):
            actual = getattr(chunk, key)
        else:
            actual = chunk.metadata.get(key, "")
        if actual != value:
            return False
    return True
