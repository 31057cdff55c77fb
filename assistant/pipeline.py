"""The one ask pipeline: question (+ history) -> the practices in focus -> a route -> the engine of
that route -> a cited answer, or "the documents do not say".

The CLI, the HTTP API, the web UI and the evaluation all call `Assistant.stream` (or `ask`, which
drains it) and read the same typed events: `TextDelta`s, then one `Completed` with the Answer.
A question is validated once and analysed once, here, and handed down as a `Question`.

`Assistant(retriever, answerer)` answers every question with the lookup engine (retrieve ->
expand -> Answerer). Given a practice index, a router and engines per route (the factory builds
them from settings), it routes each question; a route without an engine, or an engine that
declines a question, falls back to lookup. `Answer.route` says which engine answered.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.base import Answerer, Draft
from assistant.conversation import condense, validate_history, validate_question
from assistant.engines.base import Asked, Engine
from assistant.engines.focus import Focus, asks_its_own, focus_of, new_scope, the_other_way
from assistant.engines.index import PracticeIndex, Snapshot
from assistant.engines.lookup import LookupEngine
from assistant.engines.names import restated, without_names
from assistant.question import Question
from assistant.retrieval.base import Retriever, validate_filters, validate_k
from assistant.routing import LOOKUP, Route, Router, Signals
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
    index: PracticeIndex | None = None  # the practices, for conversation focus and routing
    router: Router | None = None
    engines: Mapping[str, Engine] = field(default_factory=dict)  # route -> engine (lookup is built in)

    def __post_init__(self) -> None:
        self.lookup = LookupEngine(self.retriever, self.answerer, self.min_relevance)

    def prepare(
        self,
        question: Any,
        *,
        history: Sequence[Message | dict[str, Any]] | None = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Question:
        """The question validated and analysed. Raises InvalidQuestion naming what is wrong."""
        return self._asked(question, history=history, k=k, filters=filters).question

    def _asked(
        self,
        question: Any,
        *,
        history: Sequence[Message | dict[str, Any]] | None,
        k: int | None,
        filters: dict[str, str] | None,
    ) -> Asked:
        text = validate_question(question)
        turns = validate_history(history)
        k = validate_k(self.k if k is None else k)
        filters = validate_filters(filters)
        if self.index is None:
            return Asked(Question.analysed(text, turns, condense(text, turns), k=k, filters=filters))
        snapshot = self.index.snapshot()
        turned = the_other_way(text, turns)
        if turned is not None:  # "And the smallest?": the last ranking, asked the other way round
            text, turns = turned
        focus = focus_of(text, turns, snapshot)
        query, scoped = follow_up_query(text, focus, snapshot)
        if scoped and "practice_id" not in filters:
            filters = {**filters, "practice_id": scoped}
        said = routed = text
        if focus.elliptic and focus.named and focus.previous and not asks_its_own(text):
            # "And the Aragon cluster?": the previous question, asked of the practice it names, is
            # what the engines read (its kind of answer, its parts)
            before = focus.history[-1].practices if focus.history else ()
            said = query = restated(focus.previous, focus.named, snapshot, before)
        elif (
            focus.elliptic
            and not focus.carried
            and focus.previous
            and new_scope(text)
            and not asks_its_own(text)
        ):
            # "What about the one in Ireland?": read and routed with the previous question's ask
            said = routed = query
        asked = Question.analysed(said, turns, query, k=k, filters=filters)
        route = Route(LOOKUP, 1.0, by="default")
        if self.router is not None:
            route = self.router.route(routed, Signals(len(focus.named), len(focus.carried)))
        return Asked(asked, focus, route)

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

        timings_ms: "retrieve" (routing and finding what to read), "answer" and, for generated
        answers, "first_token" (from the question to the model's first token)."""
        started = time.perf_counter()
        asked = self._asked(question, history=history, k=k, filters=filters)
        return self._run(asked, started)

    def _engine(self, route: str) -> Engine:
        return self.engines.get(route) or self.lookup

    def _run(self, asked: Asked, started: float) -> Iterator[Event]:
        routed = time.perf_counter()
        route = asked.route.name if asked.route.name in self.engines else LOOKUP
        holder: list[Draft] = []
        yield from _said(self._engine(route).stream(asked), holder)
        result = holder[0]
        if result.declined:  # an engine declines before it says anything
            route = LOOKUP
            holder.clear()
            yield from _said(self.lookup.stream(asked), holder)
            result = holder[0]
        finished = time.perf_counter()
        passages = result.passages or []
        retrieve_ms = (routed - started) * 1000 + (result.retrieve_ms or 0.0)
        timings = {"retrieve": retrieve_ms, "answer": (finished - started) * 1000 - retrieve_ms}
        if result.first_token_at is not None:
            timings["first_token"] = (result.first_token_at - started) * 1000
        if result.abstained and not result.text:
            text = abstention(asked.text, passages)
            yield TextDelta(text)
            answer = Answer(text, [], list(passages), True, timings, route=route)
        else:
            answer = Answer(
                result.text, result.citations, list(passages), result.abstained, timings, route=route
            )
        answer.prompt_tokens, answer.fallback = result.prompt_tokens, result.fallback
        yield Completed(answer)

    def search(self, asked: Question) -> list[ScoredChunk]:
        """The passages nearest to a prepared question, best first, without an answer."""
        return self.retriever.retrieve(asked.text, k=asked.k, filters=asked.filters, intent=asked.intent)

    def covers(self, passages: Sequence[ScoredChunk]) -> bool:
        """Whether retrieval found the corpus relevant enough to answer at all."""
        return self.lookup.covers(passages)

    def warm_up(self) -> None:
        """Load what the first answer would otherwise wait for (a language model, the router's
        examples, the practice index)."""
        self.answerer.warm_up()
        if self.index is not None:
            self.index.snapshot()
        if self.router is not None:
            self.router.warm_up()
        for engine in self.engines.values():
            engine.warm_up()
        settle_heap()


def settle_heap() -> None:
    """Leave what is loaded now (the models, the practice index and its caches) out of the garbage
    collector's full scans, which otherwise visit every object of it: at 10,000 practices one such
    scan took 0.75 s, paid by whichever question set it off. Objects no longer used are still freed
    (the practice index is, by its reference counts, when a new one replaces it)."""
    gc.collect()
    gc.freeze()


def _said(items: Iterator[TextDelta | Draft], holder: list[Draft]) -> Iterator[TextDelta]:
    """The engine's deltas as they come; its Draft (an abstention if it gave none) into holder."""
    for item in items:
        if isinstance(item, Draft):
            holder.append(item)
        else:
            yield item
    if not holder:
        holder.append(Draft("", abstained=True))


def follow_up_query(text: str, focus: Focus, snapshot: Snapshot) -> tuple[str, str | None]:
    """The standalone retrieval query of a question in its conversation, and the one practice
    retrieval keeps to (a follow-up about one practice in focus), if any.

    A question that starts fresh is its own query (nothing leaks in from earlier turns). A
    follow-up takes the titles of the practices in focus; "what about X?" takes the previous
    question's ask, without the practices it named."""
    if focus.carried:
        titles = [e.title for e in snapshot.ordered(focus.carried)]
        scoped = focus.carried[0] if len(focus.carried) == 1 else None
        ask = _without_names(focus.previous, snapshot) if focus.elliptic and focus.previous else ""
        return " ".join(p for p in (text, ask, *titles) if p), scoped
    if focus.elliptic and focus.previous:
        return f"{text} {_without_names(focus.previous, snapshot)}", None
    return text, None


def _without_names(question: str, snapshot: Snapshot) -> str:
    return " ".join(without_names(question, snapshot).split())


def abstention(question: str, passages: Sequence[ScoredChunk]) -> str:
    """The "documents do not say" answer, with the nearest practices as pointers."""
    text = f"The documents do not say: {question.rstrip('?')}?"
    nearest: list[str] = []
    for passage in passages:
        if passage.chunk.title not in nearest:
            nearest.append(passage.chunk.title)
        if len(nearest) == NEAREST_PRACTICES:
            break
    if nearest and passages and passages[0].score >= NEAREST_MIN_SCORE:
        text += " The nearest practices are: " + "; ".join(nearest) + "."
    return text
