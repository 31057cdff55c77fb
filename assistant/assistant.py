"""The Assistant: question (+ history) -> retrieval -> answer with citations, or abstention.

The CLI, the HTTP API, the web UI and the evaluation all call this one class.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from assistant.citations import supported_only, verify
from assistant.errors import InvalidQuestion
from assistant.extractive import ExtractiveAnswerer
from assistant.generative import Generated, GenerativeAnswerer
from assistant.retrieval import Retriever, validate_filters, validate_k
from assistant.text import QUESTION_WORDS, STOPWORDS, content_terms
from assistant.types import Answer, Message, ScoredChunk

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 20
MAX_HISTORY_CHARS = 20_000
_FOLLOW_UP_WORDS = {"it", "its", "it's", "they", "them", "their", "this", "that", "these", "those",
                    "he", "she", "there", "one", "the scheme", "the practice"}


def validate_question(question: Any) -> str:
    if not isinstance(question, str):
        raise InvalidQuestion("the question must be text")
    cleaned = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
    if not cleaned:
        raise InvalidQuestion("the question is empty; type a question about the good practices")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(
            f"the question is {len(cleaned)} characters long; keep it under {MAX_QUESTION_CHARS}"
        )
    return cleaned


def validate_history(history: Sequence[Message | dict[str, Any]] | None) -> list[Message]:
    turns: list[Message] = []
    for turn in history or []:
        if isinstance(turn, Message):
            message = turn
        elif isinstance(turn, dict) and isinstance(turn.get("content"), str):
            message = Message(role=str(turn.get("role", "user")), content=turn["content"])
        else:
            raise InvalidQuestion('each history turn needs {"role": "user"|"assistant", "content": str}')
        if message.role not in ("user", "assistant"):
            raise InvalidQuestion(f"history role must be 'user' or 'assistant', got {message.role!r}")
        turns.append(message)
    if len(turns) > MAX_HISTORY_TURNS:
        raise InvalidQuestion(f"history has {len(turns)} turns; send at most the last {MAX_HISTORY_TURNS}")
    if sum(len(t.content) for t in turns) > MAX_HISTORY_CHARS:
        raise InvalidQuestion(f"history is longer than {MAX_HISTORY_CHARS} characters; send fewer turns")
    return turns


_NAME = re.compile(r"\b[A-Z][\w'’&-]*\w")


def condense(question: str, history: Sequence[Message]) -> str:
    """A standalone retrieval query for a follow-up: the question, the previous question and the
    names the last reply used ("And how many members does it have?" after a question about
    LAuGEA becomes a query that names LAuGEA). A question that stands on its own is kept as is."""
    if not history:
        return question
    lowered = f" {question.lower()} "
    refers_back = any(f" {w} " in lowered or f" {w}?" in lowered for w in _FOLLOW_UP_WORDS)
    short = len(content_terms(question)) <= 4
    if not (refers_back or short):
        return question
    previous = [t.content for t in history if t.role == "user"][-1:]
    reply = [t.content for t in history if t.role == "assistant"][-1:]
    names: list[str] = []
    for text in reply:
        for name in _NAME.findall(text[:600]):
            if name not in names and name.lower() not in STOPWORDS and name.lower() not in QUESTION_WORDS:
                names.append(name)
    return " ".join([question, *previous, *names[:8]])


@dataclass
class Assistant:
    """Answers questions from the store. Collaborators are passed in; nothing reads the env."""

    retriever: Retriever
    answerer: ExtractiveAnswerer | GenerativeAnswerer
    k: int = 5
    min_relevance: float = 0.25  # below this top score, the corpus does not cover the question

    def ask(
        self,
        question: str,
        *,
        history: Sequence[Message | dict[str, Any]] | None = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Answer:
        """Answer a question with cited sentences, or abstain. Raises InvalidQuestion."""
        if isinstance(self.answerer, GenerativeAnswerer):
            return _final_answer(self.stream(question, history=history, k=k, filters=filters))
        question = validate_question(question)
        turns = validate_history(history)
        k = validate_k(self.k if k is None else k)
        filters = validate_filters(filters)
        started = time.perf_counter()
        query = condense(question, turns)
        passages = self.retriever.retrieve(query, k=k, filters=filters)
        retrieved = time.perf_counter()
        reply = None
        if passages and max(p.score for p in passages) >= self.min_relevance:
            expand = getattr(self.retriever, "expand", None)
            found = len(passages)
            if expand is not None:  # read the rest of the top practice too
                passages = expand(query, passages, filters)
            about = query if query != question else None
            reply = self.answerer.reply(question, passages, k=found, about=about)
        finished = time.perf_counter()
        timings = {"retrieve": (retrieved - started) * 1000, "answer": (finished - retrieved) * 1000}
        if reply is None:
            return Answer(abstention(question, passages), [], list(passages), True, timings)
        text, citations = reply.text, reply.citations
        problems = verify(text, citations, passages)
        if problems:  # never show a claim its citation does not back
            log.warning("dropping unsupported claims problems=%s", problems)
            text, citations = supported_only(text, citations, passages)
            if not citations:
                return Answer(abstention(question, passages), [], list(passages), True, timings)
        return Answer(text, citations, list(passages), reply.abstained, timings)

    def stream(self, question: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Events for streaming adapters: {"type": "delta", "text"} ..., then {"type": "answer"}.

        The deltas joined are exactly the final answer's text. Raises InvalidQuestion, and
        BackendError when a generated-answer backend fails.
        """
        if isinstance(self.answerer, GenerativeAnswerer):
            yield from self._stream_generated(question, **kwargs)
            return
        answer = self.ask(question, **kwargs)
        for line in answer.text.splitlines(keepends=True):
            yield {"type": "delta", "text": line}
        yield {"type": "answer", "answer": answer}

    def covers(self, passages: Sequence[ScoredChunk]) -> bool:
        """Whether retrieval found the corpus relevant enough to answer at all."""
        return bool(passages) and passages[0].score >= self.min_relevance

    def _stream_generated(
        self,
        question: str,
        *,
        history: Sequence[Message | dict[str, Any]] | None = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Generated answers: guarded sentences as the model writes them, then the Answer.

        timings_ms gains "first_token": from the question to the model's first token.
        """
        assert isinstance(self.answerer, GenerativeAnswerer)
        question = validate_question(question)
        turns = validate_history(history)
        k = validate_k(self.k if k is None else k)
        filters = validate_filters(filters)
        started = time.perf_counter()
        query = condense(question, turns)
        passages = self.retriever.retrieve(query, k=k, filters=filters)
        retrieved = time.perf_counter()
        result: Generated | None = None
        if self.covers(passages):
            # the answerer reads what the extractive answer reads: the rest of the top practice too
            expand = getattr(self.retriever, "expand", None)
            found = len(passages)
            if expand is not None:
                passages = expand(query, passages, filters)
            for item in self.answerer.stream(question, passages, query=query, history=turns, found=found):
                if isinstance(item, Generated):
                    result = item
                else:
                    yield {"type": "delta", "text": item}
        finished = time.perf_counter()
        timings = {"retrieve": (retrieved - started) * 1000, "answer": (finished - retrieved) * 1000}
        if result is not None and result.first_token_at is not None:
            timings["first_token"] = (result.first_token_at - started) * 1000
        # what the generation did, for evaluation and logs (adapters read only "answer")
        generation = {
            "model_called": result is not None and result.first_token_at is not None,
            "prompt_tokens": result.prompt_tokens if result else None,
            "fallback": result.fallback if result else "retrieval found no relevant passage",
        }
        if result is None or result.abstained:
            text = abstention(question, passages)
            yield {"type": "delta", "text": text}
            answer = Answer(text, [], list(passages), True, timings)
            yield {"type": "answer", "answer": answer, "generation": generation}
            return
        answer = Answer(result.text, result.citations, list(passages), False, timings)
        yield {"type": "answer", "answer": answer, "generation": generation}

    def as_runnable(self) -> AssistantRunnable:
        """This assistant as a LangChain Runnable, to compose into users' own chains."""
        return AssistantRunnable(self)


def _runnable_args(value: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict) and "question" in value:
        return value["question"], {k: value[k] for k in ("history", "k", "filters") if k in value}
    raise InvalidQuestion('pass a question string or {"question": ..., "history": [...]}')


class AssistantRunnable(Runnable[Any, Any]):
    """invoke(question | {"question", "history", "k", "filters"}) -> the `ask --json` dict;
    stream(...) yields the answer text in pieces, then that dict."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:  # noqa: A002
        question, options = _runnable_args(input)
        return self.assistant.ask(question, **options).to_dict()

    def stream(  # type: ignore[override]
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any  # noqa: A002
    ) -> Iterator[Any]:
        question, options = _runnable_args(input)
        for event in self.assistant.stream(question, **options):
            yield event["text"] if event["type"] == "delta" else event["answer"].to_dict()


def _final_answer(events: Iterator[dict[str, Any]]) -> Answer:
    for event in events:
        if event["type"] == "answer":
            return event["answer"]  # type: ignore[no-any-return]
    raise RuntimeError("the answer stream ended without an answer")


def abstention(question: str, passages: Sequence[ScoredChunk]) -> str:
    """The "documents do not say" answer, with the nearest practices as pointers."""
    text = f"The documents do not say: {question.rstrip('?')}?"
    nearest: list[str] = []
    for passage in passages:
        if passage.chunk.title not in nearest:
            nearest.append(passage.chunk.title)
        if len(nearest) == 3:
            break
    if nearest and passages[0].score >= 0.2:
        text += " The nearest practices are: " + "; ".join(nearest) + "."
    return text
