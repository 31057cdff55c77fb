"""The one ask pipeline: question (+ history) -> retrieval -> an answering engine -> a cited answer,
or "the documents do not say".

The CLI, the HTTP API, the web UI and the evaluation all call `Assistant.stream` (or `ask`, which
drains it) and read the same typed events: `TextDelta`s, then one `Completed` with the Answer.
A question is validated once and analysed once, here, and handed down as a `Question`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.answering.base import Answerer, Draft
from assistant.conversation import condense, validate_history, validate_question
from assistant.question import Question
from assistant.retrieval.base import Retriever, validate_filters, validate_k
from assistant.types import Answer, Completed, Event, Message, ScoredChunk, TextDelta

NEAREST_PRACTICES = 3  # named in an abstention, as pointers
NEAREST_MIN_SCORE = 0.2  # ... when the best passage is at least this close to the question


@dataclass
class Assistant:
    """Answers questions from the store. Collaborators are passed in; nothing reads the env."""

    retriever: Retriever
    answerer: Answerer
    k: int = 5
    min_relevance: float = 0.25  # below this top score, the corpus does not cover the question

    def prepare(
        self,
        question: Any,
        *,
        history: Sequence[Message | dict[str, Any]] | None = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Question:
        """The question validated and analysed. Raises InvalidQuestion naming what is wrong."""
        text = validate_question(question)
        turns = validate_history(history)
        return Question.analysed(
            text,
            turns,
            condense(text, turns),
            k=validate_k(self.k if k is None else k),
            filters=validate_filters(filters),
        )

    def ask(
        self,
        question: str,
        *,
        history: Sequence[Message | dict[str, Any]] | None = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Answer:
        """Answer a question with cited sentences, or abstain. Raises InvalidQuestion, and
        BackendError when a generated-answer backend fails."""
        for event in self.stream(question, history=history, k=k, filters=filters):
            if isinstance(event, Completed):
                return event.answer
        raise RuntimeError("the answer stream ended without an answer")

    def stream(
        self,
        question: str,
        *,
        history: Sequence[Message | dict[str, Any]] | None = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Iterator[Event]:
        """TextDeltas as the answer becomes final, then one Completed. The deltas joined are
        exactly the answer's text. Raises as `ask` does (before the first event for a bad question).

        timings_ms: "retrieve", "answer" and, for generated answers, "first_token" (from the
        question to the model's first token)."""
        asked = self.prepare(question, history=history, k=k, filters=filters)
        return self._run(asked)

    def _run(self, asked: Question) -> Iterator[Event]:
        started = time.perf_counter()
        passages = self.retriever.retrieve(
            asked.query, k=asked.k, filters=asked.filters, intent=asked.query_intent
        )
        retrieved = time.perf_counter()
        draft: Draft | None = None
        if self.covers(passages):
            found = len(passages)
            # the answerer reads the rest of the top practice too: a fact often sits one chunk away
            passages = self.retriever.expand(
                asked.query, passages, filters=asked.filters, intent=asked.query_intent
            )
            for item in self.answerer.stream(asked, passages, found=found):
                if isinstance(item, Draft):
                    draft = item
                else:
                    yield item
        finished = time.perf_counter()
        timings = {"retrieve": (retrieved - started) * 1000, "answer": (finished - retrieved) * 1000}
        if draft is not None and draft.first_token_at is not None:
            timings["first_token"] = (draft.first_token_at - started) * 1000
        if draft is None or (draft.abstained and not draft.text):
            text = abstention(asked.text, passages)
            yield TextDelta(text)
            answer = Answer(text, [], list(passages), True, timings)
        else:
            answer = Answer(draft.text, draft.citations, list(passages), draft.abstained, timings)
        if draft is not None:
            answer.prompt_tokens, answer.fallback = draft.prompt_tokens, draft.fallback
        yield Completed(answer)

    def search(self, asked: Question) -> list[ScoredChunk]:
        """The passages nearest to a prepared question, best first, without an answer."""
        return self.retriever.retrieve(asked.text, k=asked.k, filters=asked.filters, intent=asked.intent)

    def covers(self, passages: Sequence[ScoredChunk]) -> bool:
        """Whether retrieval found the corpus relevant enough to answer at all."""
        return bool(passages) and passages[0].score >= self.min_relevance

    def warm_up(self) -> None:
        """Load what the first answer would otherwise wait for (a language model)."""
        self.answerer.warm_up()


def abstention(question: str, passages: Sequence[ScoredChunk]) -> str:
    """The "documents do not say" answer, with the nearest practices as pointers."""
    text = f"The documents do not say: {question.rstrip('?')}?"
    nearest: list[str] = []
    for passage in passages:
        if passage.chunk.title not in nearest:
            nearest.append(passage.chunk.title)
        if len(nearest) == NEAREST_PRACTICES:
            break
    if nearest and passages[0].score >= NEAREST_MIN_SCORE:
        text += " The nearest practices are: " + "; ".join(nearest) + "."
    return text
