"""Practices similar to a given one, from the stored chunk embeddings, spread across countries.

A practice is represented by the normalised mean of its chunk vectors. Candidates are picked by
maximal marginal relevance (similar to the practice, not too similar to those already picked)
with at most `per_country` practices from any one country, the practice's own included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from assistant.errors import InvalidQuestion

MAX_SIMILAR = 20


@dataclass(frozen=True)
class SimilarPractice:
    practice_id: str
    title: str
    country: str | None
    region: str | None
    score: float  # cosine similarity to the practice asked about, -1..1

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = round(self.score, 4)
        return data


def validate_similar_args(k: int, per_country: int) -> None:
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_SIMILAR:
        raise InvalidQuestion(f"k must be a whole number from 1 to {MAX_SIMILAR}, got {k!r}")
    if not isinstance(per_country, int) or isinstance(per_country, bool) or per_country < 1:
        raise InvalidQuestion(f"per_country must be a whole number of at least 1, got {per_country!r}")


def centroids(vectors: Mapping[str, Sequence[Sequence[float]]]) -> dict[str, np.ndarray]:
    """practice id -> unit-length mean of its chunk vectors (practices without chunks left out)."""
    result: dict[str, np.ndarray] = {}
    for practice_id, rows in vectors.items():
        if not rows:
            continue
        mean = np.asarray(rows, dtype=np.float64).mean(axis=0)
        norm = float(np.linalg.norm(mean))
        if norm > 0:
            result[practice_id] = mean / norm
    return result


def rank_similar(
    practice_id: str,
    vectors: Mapping[str, np.ndarray],
    countries: Mapping[str, str | None],
    *,
    k: int = 5,
    per_country: int = 2,
    diversity: float = 0.1,
) -> list[tuple[str, float]]:
    """(practice id, similarity) of up to k others, at most per_country per country, most similar
    first. The set is chosen by MMR; the country cap does most of the spreading.

    diversity: weight of the penalty for resembling an already chosen practice (0 = plain ranking).
    """
    validate_similar_args(k, per_country)
    if practice_id not in vectors:
        return []
    query = vectors[practice_id]
    others = [pid for pid in vectors if pid != practice_id]
    if not others:
        return []
    matrix = np.stack([vectors[pid] for pid in others])
    relevance = matrix @ query
    used: dict[str, int] = {}
    own_country = countries.get(practice_id)
    if own_country:
        used[own_country] = 1
    chosen: list[int] = []
    remaining = set(range(len(others)))
    while remaining and len(chosen) < k:
        best, best_score = None, -np.inf
        for i in remaining:
            country = countries.get(others[i])
            if country and used.get(country, 0) >= per_country:
                continue
            redundancy = max((float(matrix[i] @ matrix[j]) for j in chosen), default=0.0)
            score = (1 - diversity) * float(relevance[i]) - diversity * redundancy
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
        remaining.discard(best)
        country = countries.get(others[best])
        if country:
            used[country] = used.get(country, 0) + 1
    return sorted(((others[i], float(relevance[i])) for i in chosen), key=lambda pair: -pair[1])
