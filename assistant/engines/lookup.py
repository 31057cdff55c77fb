"""The lookup engine: one practice, one fact. Retrieval finds the passages, the rest of the top
practice is read in, and the Answerer (extractive or generated) writes the cited answer."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.answering.base import Answerer, Draft
from assistant.engines.base import Asked
from assistant.retrieval.base import Retriever
from assistant.types import ScoredChunk, TextDelta


@dataclass
class LookupEngine:
    """retrieve -> expand -> Answerer.stream. Abstains (a Draft without text) when retrieval finds
    nothing close enough."""

    retriever: Retriever
    answerer: Answerer
    min_relevance: float = 0.25  # below this top score, the corpus does not cover the question

    def stream(self, asked: Asked) -> Iterator[TextDelta | Draft]:
        question = asked.question
        started = time.perf_counter()
        passages = self.retriever.retrieve(
            question.query, k=question.k, filters=question.filters, intent=question.query_intent
        )
        retrieve_ms = (time.perf_counter() - started) * 1000
        if not self.covers(passages):
            yield Draft("", abstained=True, passages=list(passages), retrieve_ms=retrieve_ms)
            return
        found = len(passages)
        # the answerer reads the rest of the top practice too: a fact often sits one chunk away
        passages = self.retriever.expand(
            question.query, passages, filters=question.filters, intent=question.query_intent
        )
        draft: Draft | None = None
        for item in self.answerer.stream(question, passages, found=found):
            if isinstance(item, Draft):
                draft = item
            else:
                yield item
        if draft is None:
            draft = Draft("", abstained=True)
        if draft.passages is None:
            draft.passages = list(passages)
        draft.retrieve_ms = retrieve_ms
        yield draft

    def covers(self, passages: Sequence[ScoredChunk]) -> bool:
        """Whether retrieval found the corpus relevant enough to answer at all."""
        return bool(passages) and passages[0].score >= self.min_relevance

    def warm_up(self) -> None:
        self.answerer.warm_up()
