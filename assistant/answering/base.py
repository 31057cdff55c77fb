"""What every answering engine offers: the Answerer protocol and the Draft it concludes with.

An engine reads the question (validated and analysed once, by the Assistant) and the passages
retrieval found, yields the answer's text as it becomes final (`TextDelta`s), then one `Draft`.
The Assistant turns the Draft into the Answer, writing the "documents do not say" reply when the
Draft abstains without text of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from assistant.question import Question
from assistant.types import Citation, ScoredChunk, TextDelta


@dataclass
class Draft:
    """What an answerer concluded. `text` joined from its deltas; empty when it abstains and leaves
    the wording of the abstention to the Assistant."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    prompt_tokens: int | None = None  # a model was called with a prompt of this many tokens
    fallback: str | None = None  # why a model's reply gave way to the quoted evidence
    first_token_at: float | None = None  # time.perf_counter() of a model's first token
    passages: list[ScoredChunk] | None = None  # what it read and cited (None: the passages it was given)
    declined: bool = False  # not a question this engine answers: the Assistant asks the lookup engine
    retrieve_ms: float | None = None  # of the engine's time, how much went to finding what to read


class Answerer(Protocol):
    """An answering engine."""

    def stream(
        self, question: Question, passages: Sequence[ScoredChunk], *, found: int
    ) -> Iterator[TextDelta | Draft]:
        """Text deltas, then one Draft. The first `found` passages are what retrieval found; any
        after them were read in for context (the rest of the top practice). Raises BackendError
        when a model backend fails."""
        ...

    def warm_up(self) -> None:
        """Load what the first answer would otherwise wait for (a language model)."""
        ...


def lines_of(text: str) -> Iterator[TextDelta]:
    """An answer that is final at once, streamed line by line."""
    for line in text.splitlines(keepends=True):
        yield TextDelta(line)
