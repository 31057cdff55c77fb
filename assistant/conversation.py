"""The conversation at the Assistant's boundary: checking a question and its history, and turning a
follow-up into a standalone retrieval query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.types import Message
from assistant.vocabulary import FOLLOW_UP_WORDS, NAME, QUESTION_WORDS, STOPWORDS, content_terms

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 20
MAX_HISTORY_CHARS = 20_000
SHORT_QUESTION_TERMS = 4  # a question naming this few things leans on the conversation
CONDENSED_NAMES = 8  # names of the last reply carried into a follow-up's query
REPLY_CHARS_READ = 600  # of the last reply, where those names are looked for


def validate_question(question: Any) -> str:
    """The question, printable and trimmed. Raises InvalidQuestion when empty or too long."""
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
    """Earlier turns as Messages. Raises InvalidQuestion for a bad turn or too long a history."""
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


def condense(question: str, history: Sequence[Message]) -> str:
    """A standalone retrieval query for a follow-up: the question, the previous question and the
    names the last reply used ("And how many members does it have?" after a question about a
    named cluster becomes a query that names it). A question that stands on its own is kept as is."""
    if not history:
        return question
    lowered = f" {question.lower()} "
    refers_back = any(f" {w} " in lowered or f" {w}?" in lowered for w in FOLLOW_UP_WORDS)
    short = len(content_terms(question)) <= SHORT_QUESTION_TERMS
    if not (refers_back or short):
        return question
    previous = [t.content for t in history if t.role == "user"][-1:]
    reply = [t.content for t in history if t.role == "assistant"][-1:]
    names: list[str] = []
    for text in reply:
        for name in NAME.findall(text[:REPLY_CHARS_READ]):
            if name not in names and name.lower() not in STOPWORDS and name.lower() not in QUESTION_WORDS:
                names.append(name)
    return " ".join([question, *previous, *names[:CONDENSED_NAMES]])
