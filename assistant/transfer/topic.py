"""How close each stored practice is to what a region wants (its challenge and sector), by meaning.

Uses the embedder the store was built with (multilingual-e5 by default), so a challenge written in
any of its languages finds practices in any other. A practice's closeness blends its best chunk
(a passage that speaks to the challenge) with its centroid (the practice as a whole); sections
that only list links or the owner are left out. `relevance` rescales the closeness within the
collection, because e5's cosines sit in a narrow band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.store.chroma import ChromaStore
from assistant.types import Chunk

SKIP_SECTIONS = frozenset({"further information", "good practice owner"})
CHUNK_WEIGHT = 0.5  # best passage vs whole practice
MAX_CHUNKS = 2000  # nearest chunks read per question; the rest of the collection uses centroids


@dataclass(frozen=True)
class TopicMatch:
    practice_id: str
    similarity: float  # blended cosine
    relevance: float  # 0..1 within this collection for this question
    rank: int  # 1 = closest
    chunk: Chunk | None  # the passage closest to the challenge


def topic_matches(
    store: ChromaStore, query_vector: Sequence[float], practice_ids: Sequence[str]
) -> dict[str, TopicMatch]:
    """practice id -> its TopicMatch for the embedded query, for every id given that has vectors."""
    vector = np.asarray(query_vector, dtype=np.float64)
    centroids = store.practice_centroids()
    wanted = set(practice_ids)
    k = min(MAX_CHUNKS, max(1, store.count_chunks()))
    best: dict[str, tuple[float, Chunk]] = {}
    for scored in store.query(list(vector), k=k):
        chunk = scored.chunk
        if chunk.practice_id not in wanted or chunk.section.lower() in SKIP_SECTIONS:
            continue
        if chunk.practice_id not in best or scored.score > best[chunk.practice_id][0]:
            best[chunk.practice_id] = (scored.score, chunk)
    blended: dict[str, tuple[float, Chunk | None]] = {}
    for pid in wanted:
        centroid = centroids.get(pid)
        whole = float(centroid @ vector) if centroid is not None else None
        passage = best.get(pid)
        if whole is None and passage is None:
            continue
        part = passage[0] if passage else whole
        total = whole if whole is not None else part
        assert part is not None and total is not None
        blended[pid] = (CHUNK_WEIGHT * part + (1 - CHUNK_WEIGHT) * total, passage[1] if passage else None)
    return _rescale(blended)


def _rescale(blended: dict[str, tuple[float, Chunk | None]]) -> dict[str, TopicMatch]:
    if not blended:
        return {}
    values = np.asarray([v for v, _ in blended.values()])
    top = float(values.max())
    floor = float(np.median(values))
    spread = max(top - floor, 1e-6)
    ranked = sorted(blended, key=lambda pid: -blended[pid][0])
    return {
        pid: TopicMatch(
            pid,
            blended[pid][0],
            float(min(1.0, max(0.0, (blended[pid][0] - floor) / spread))),
            i + 1,
            blended[pid][1],
        )
        for i, pid in enumerate(ranked)
    }
