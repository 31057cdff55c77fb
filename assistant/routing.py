"""Which engine answers a question: a small learned router.

Each route has labelled example questions (assistant/data/route_examples.jsonl, in the languages
users write in; the practices they name are invented). A question goes to the route of its
nearest examples by the multilingual embedder, votes weighted by similarity. No keyword lists:
a new wording is routed by what it means, in any language the embedder knows.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from langchain_core.embeddings import Embeddings

LOOKUP = "lookup"  # one practice, one fact
CATALOG = "catalog"  # list, count, filter, rank practices
COMPARE = "compare"  # two or more named practices, with a verdict
SUMMARY = "summary"  # one practice in a few cited points
TRANSFER = "transfer"  # which practice fits a region, and what it would take
ROUTES = (LOOKUP, CATALOG, COMPARE, SUMMARY, TRANSFER)
NEIGHBOURS = 7  # examples that vote
EXAMPLES_FILE = "route_examples.jsonl"


@dataclass(frozen=True)
class Route:
    """The route of a question, how sure the router is (the winning share of the votes), and the
    votes of every route."""

    name: str
    confidence: float
    votes: dict[str, float] = field(default_factory=dict)


def load_examples() -> list[tuple[str, str]]:
    """The packaged (route, question) examples."""
    text = resources.files("assistant.data").joinpath(EXAMPLES_FILE).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(row["route"], row["question"]) for row in rows]


class Router:
    """Routes a question to the route of its nearest labelled examples."""

    def __init__(
        self,
        embeddings: Embeddings,
        examples: Sequence[tuple[str, str]] | None = None,
        *,
        neighbours: int = NEIGHBOURS,
    ) -> None:
        self.embeddings = embeddings
        self.examples = list(examples) if examples is not None else load_examples()
        unknown = {route for route, _ in self.examples} - set(ROUTES)
        if unknown:
            raise ValueError(f"unknown routes in the examples: {sorted(unknown)}; use {ROUTES}")
        self.neighbours = neighbours
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Embed the examples now rather than at the first question."""
        self._example_vectors()

    def _example_vectors(self) -> np.ndarray:
        with self._lock:
            if self._vectors is None:
                vectors = [self.embeddings.embed_query(q) for _, q in self.examples]
                matrix = np.asarray(vectors, dtype=np.float32)
                self._vectors = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
            return self._vectors

    def route(self, question: str) -> Route:
        """The route of a question (never raises for an odd question: lookup is the default)."""
        vectors = self._example_vectors()
        q = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        q /= max(float(np.linalg.norm(q)), 1e-9)
        similarity = vectors @ q
        nearest = np.argsort(-similarity)[: self.neighbours]
        votes = dict.fromkeys(ROUTES, 0.0)
        for i in nearest:
            votes[self.examples[i][0]] += float(similarity[i])
        total = sum(votes.values()) or 1.0
        name = max(votes, key=lambda r: votes[r])
        return Route(name, votes[name] / total, votes)
