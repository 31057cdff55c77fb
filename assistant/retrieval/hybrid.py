"""Hybrid retrieval: dense and BM25 candidates fused by reciprocal rank."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.question import Intent, analyse
from assistant.retrieval.base import MAX_K, keyword_terms, matches_filters
from assistant.retrieval.bm25 import KeywordIndex
from assistant.store.chroma import ChromaStore, where_clause
from assistant.types import Chunk, ScoredChunk

log = logging.getLogger(__name__)


@dataclass
class HybridRetriever:
    """Dense and BM25 candidates fused by reciprocal rank, with soft section boosts and, for
    questions about several practices, one passage per practice first.

    The BM25 index (assistant.retrieval.bm25) persists beside the store and follows it practice by
    practice: a start reads only the store's document records, a re-ingest re-reads only the
    practices it changed.
    Passage scores fall with rank, on the cosine scale: the first gets the best cosine of the
    chosen passages, the others that scaled by their fused score.
    """

    store: ChromaStore
    embeddings: Embeddings
    candidates: int = 40  # taken from each of dense and BM25 before fusion
    rrf_k: int = 60
    section_boost: float = 0.35  # in units of a first-place RRF vote
    keyword_path: Path | None = None  # the BM25 index file (None: in memory, built per process)
    small_store: int = 500  # documents up to which every query rechecks the document versions
    recheck_seconds: float = 10.0
    multi_practices: int = 6  # practices whose whole text a question about several practices reads
    _index: KeywordIndex | None = field(default=None, init=False, repr=False)
    _checked: float = field(default=-1e9, init=False, repr=False)
    _version: Any = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def keyword_index(self) -> KeywordIndex:
        """The BM25 index, brought up to date with the store's committed documents.

        Each query reads the store's counts and write generation (small requests); the document
        versions are read only when those changed (or, for a store without a generation, on every
        query while it is small and at most every `recheck_seconds` when it is large), and only
        the changed practices are then re-read."""
        with self._lock:
            if self._index is None:
                self._index = KeywordIndex(self.keyword_path, keyword_terms)
            version = (*self.store.content_version(), self.store.generation())
            now = time.monotonic()
            if version == self._version and (
                version[-1] is not None
                or (version[2] > self.small_store and now - self._checked < self.recheck_seconds)
            ):
                return self._index
            self._checked, self._version = now, version
            # sync() compares with what it indexed, so only changed practices are read
            self._index.sync(self.store, {pid: h for pid, (h, _) in self.store.document_hashes().items()})
            self._index.scorer()  # loaded, or built and saved for the other processes
            return self._index

    def invalidate(self) -> None:
        """Recheck the store before the next search (it changed under the index)."""
        with self._lock:
            self._version = None

    def retrieve(
        self,
        query: str,
        *,
        k: int,
        filters: dict[str, str] | None = None,
        intent: Intent | None = None,
        _retry: bool = False,
    ) -> list[ScoredChunk]:
        filters = filters or {}
        intent = intent or analyse(query)
        n = max(self.candidates, 4 * k)
        vector = self.embeddings.embed_query(query)
        dense = self.store.query(vector, k=n, where=where_clause(filters))
        index = self.keyword_index()
        terms = keyword_terms(query)
        keyword = index.search(terms, n=n, filters=filters)
        # a question in a language the documents are not written in: BM25 sees only its names
        keyword_weight = index.coverage(terms)

        fused: dict[str, float] = {}
        chunks: dict[str, Chunk] = {}
        similarity: dict[str, float] = {}
        for rank, passage in enumerate(dense):
            cid = passage.chunk.id
            chunks[cid] = passage.chunk
            similarity[cid] = passage.score
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        for rank, (_row, chunk, _score) in enumerate(keyword):
            cid = chunk.id
            chunks.setdefault(cid, chunk)
            fused[cid] = fused.get(cid, 0.0) + keyword_weight / (self.rrf_k + rank + 1)
        if intent.sections:
            bonus = self.section_boost / (self.rrf_k + 1)
            for cid, chunk in chunks.items():
                if chunk.section in intent.sections:
                    fused[cid] += bonus

        ranked = sorted(fused, key=lambda cid: fused[cid], reverse=True)
        chosen = _diverse(ranked, chunks, k) if intent.multi else ranked[:k]
        missing = [cid for cid in chosen if cid not in similarity]
        if missing:
            row_of = {chunk.id: row for row, chunk, _ in keyword}
            rows = self.store.chunks_by_id([row_of[cid] for cid in missing if cid in row_of])
            found = {chunk.id: (chunk, stored) for chunk, stored in rows.values()}
            if len(found) < len(missing):  # the store changed under the keyword index (another
                self.invalidate()  # process wrote): rebuild it and search again, once
                if not _retry:
                    return self.retrieve(query, k=k, filters=filters, intent=intent, _retry=True)
                chosen = [cid for cid in chosen if cid in similarity or cid in found]
            for cid, (chunk, stored) in found.items():
                chunks[cid] = chunk
                similarity[cid] = float(np.dot(vector, stored))
        # Best first by fused rank. The score is on the cosine scale (what relevance floors are
        # set in): the best passage gets the highest cosine of the chosen ones, the others that
        # times their fused score relative to the best, so scores fall as ranks do.
        if not chosen:
            return []
        top = max(similarity[cid] for cid in chosen)
        best = fused[chosen[0]] or 1.0
        return [ScoredChunk(chunks[cid], top * fused[cid] / best) for cid in chosen]

    def expand(
        self,
        query: str,
        passages: Sequence[ScoredChunk],
        *,
        filters: dict[str, str] | None = None,
        intent: Intent | None = None,
    ) -> list[ScoredChunk]:
        """What the answerer reads: the passages, then the rest of the top practice (a fact often
        sits one chunk away from the one that matched). Questions about several practices keep
        just the passages. Added chunks come after the passages, with the lowest passage score."""
        if not passages:
            return []
        filters = filters or {}
        intent = intent or analyse(query)
        if intent.multi:
            # more practices, so that "which practices ..." can list them all, and the whole text
            # of each practice found (up to `multi_practices`): the passage that matched a practice
            # is often its introduction, while the figure the question compares sits in another
            have = {p.chunk.id for p in passages}
            floor = min(p.score for p in passages)
            extra: list[ScoredChunk] = []
            found = list(dict.fromkeys(p.chunk.practice_id for p in passages))
            for practice in found[: self.multi_practices]:
                for chunk in self.store.chunks_of(practice):
                    if chunk.id not in have and matches_filters(chunk, filters):
                        extra.append(ScoredChunk(chunk, floor))
                        have.add(chunk.id)
            deeper = self.retrieve(query, k=min(MAX_K, 4 * len(passages)), filters=filters, intent=intent)
            return [*passages, *extra, *(p for p in deeper if p.chunk.id not in have)]
        have = {p.chunk.id for p in passages}
        floor = min(p.score for p in passages)
        extra = [
            ScoredChunk(chunk, floor)
            for chunk in self.store.chunks_of(passages[0].chunk.practice_id)
            if chunk.id not in have and matches_filters(chunk, filters)
        ]
        return [*passages, *extra]


def _diverse(ranked: Sequence[str], chunks: dict[str, Chunk], k: int) -> list[str]:
    """The best chunk of each practice in rank order, then the rest by rank, k in all."""
    seen: set[str] = set()
    first: list[str] = []
    rest: list[str] = []
    for cid in ranked:
        practice = chunks[cid].practice_id
        (rest if practice in seen else first).append(cid)
        seen.add(practice)
    return (first + rest)[:k]
