"""What every engine behind the ask pipeline offers, and what it is handed.

An engine answers one kind of question (a fact of one practice, a list over the collection, a
comparison with a verdict, a summary). It receives the question as the Assistant prepared it
(validated, analysed, with the practices in focus) and yields the answer's text as it becomes
final (`TextDelta`s), then one `Draft` carrying the passages it read and cited. A Draft that
abstains without text leaves the "documents do not say" wording to the Assistant; a Draft that is
`declined` hands the question to the lookup engine (the question was not of its kind after all).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from assistant.answering.base import Draft
from assistant.engines.focus import Focus
from assistant.question import Question
from assistant.routing import LOOKUP, Route
from assistant.types import TextDelta


@dataclass(frozen=True)
class Asked:
    """A question as an engine receives it: the prepared Question, the practices in focus, and
    the route that chose the engine."""

    question: Question
    focus: Focus = field(default_factory=Focus)
    route: Route = field(default_factory=lambda: Route(LOOKUP, 1.0))

    @property
    def text(self) -> str:
        return self.question.text


class Engine(Protocol):
    """An answering engine behind the ask pipeline."""

    def stream(self, asked: Asked) -> Iterator[TextDelta | Draft]:
        """Text deltas, then one Draft (with the passages it read and cited). Raises BackendError
        when a model backend fails."""
        ...

    def warm_up(self) -> None:
        """Load what the first answer would otherwise wait for."""
        ...


def declined() -> Draft:
    """The Draft of an engine that leaves the question to the lookup engine."""
    return Draft("", declined=True)
