"""What the page remembers of one visitor's conversation: the turns, where the current topic
starts, and which practices it is about.

The practices a conversation is about are derived here from what the core gives: the practices
the latest answer of the topic cites, or, for a refusal, none. A refusal's nearest practices are
the retrieved practices whose titles the refusal names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.phrases import detect_language
from assistant.types import Answer

HISTORY_TURNS = 10  # exchanges handed to the Assistant as history
FOCUS_SHOWN = 5  # practices named in the focus bar


@dataclass(frozen=True)
class PracticeRef:
    """A practice as the page names it: id to open it, title to show."""

    id: str
    title: str


@dataclass
class Turn:
    """One question and its answer (Answer.to_dict()), with what the page adds to them."""

    question: str
    answer: dict[str, Any]
    lang: str = "en"  # the language the question is written in
    nearest: list[PracticeRef] = field(default_factory=list)  # a refusal's named practices
    filters: dict[str, str] = field(default_factory=dict)
    rating: str | None = None  # "up" or "down" once rated

    @classmethod
    def of(cls, question: str, answer: Answer, filters: dict[str, str], ui_lang: str) -> Turn:
        return cls(
            question=question,
            answer=answer.to_dict(),
            lang=detect_language(question, default=ui_lang),
            nearest=named_nearest(answer),
            filters=dict(filters),
        )

    @property
    def refused(self) -> bool:
        """Abstained without a cited word: the page words the refusal itself."""
        return bool(self.answer["abstained"]) and not self.answer["citations"]

    def citation(self, n: int) -> dict[str, Any] | None:
        return next((c for c in self.answer["citations"] if c["n"] == n), None)

    def practices(self) -> list[PracticeRef]:
        """The practices the answer cites, in order of first citation."""
        seen: dict[str, PracticeRef] = {}
        for c in self.answer["citations"]:
            seen.setdefault(c["practice_id"], PracticeRef(c["practice_id"], c["title"]))
        return list(seen.values())


@dataclass
class Chat:
    """The turns shown, and the first turn of the current topic (history starts there)."""

    turns: list[Turn] = field(default_factory=list)
    topic: int = 0

    def history(self, turns: int = HISTORY_TURNS) -> list[dict[str, str]]:
        """The current topic's last exchanges as Assistant history (user, assistant, ...)."""
        history: list[dict[str, str]] = []
        for turn in self.turns[self.topic :][-turns:]:
            history.append({"role": "user", "content": turn.question})
            history.append({"role": "assistant", "content": turn.answer["answer"]})
        return history

    def focus(self) -> list[PracticeRef]:
        """The practices the current topic is about: those its latest answer cites."""
        for turn in reversed(self.turns[self.topic :]):
            if turn.answer["citations"]:
                return turn.practices()
            if turn.refused:
                return []
        return []

    def added(self, turn: Turn) -> Chat:
        return Chat([*self.turns, turn], self.topic)

    def new_topic(self) -> Chat:
        """Earlier turns stay on screen; the next question is read without them."""
        return Chat(list(self.turns), len(self.turns))

    def turn(self, index: int | None) -> Turn | None:
        if index is None or not 0 <= index < len(self.turns):
            return None
        return self.turns[index]


def named_nearest(answer: Answer) -> list[PracticeRef]:
    """The retrieved practices whose titles a refusal names, in the order retrieved."""
    if not answer.abstained or answer.citations:
        return []
    named: dict[str, PracticeRef] = {}
    for passage in answer.passages:
        chunk = passage.chunk
        if chunk.title and chunk.title in answer.text:
            named.setdefault(chunk.practice_id, PracticeRef(chunk.practice_id, chunk.title))
    return list(named.values())
