"""Evaluation: run a test set through an Assistant and score retrieval, answers and citations.

Test set rows are JSON lines, either Praxis style
``{"id", "question", "answer", "must_include", "sources", "type", "history"}`` or RAGAS style
``{"user_input", "reference", ...}`` (``user_input`` may also be a list of chat messages, the last
one being the question). Scores per row (None where a row cannot be scored on that metric):

- recall / hit / mrr: share of `sources` among the files of the top-k retrieved passages; any of
  them there; 1 / rank of the first retrieved passage from a `sources` file.
- accuracy: every `must_include` string is in the answer (case- and accent-insensitive, numbers
  normalised: "100 000" = "100,000" = "100000", "8" = "eight").
- abstention: rows that expect "the documents do not say": empty `sources` (unanswerable, out
  of scope) or an empty `must_include` with sources (a near-miss: the practice exists but does not
  state the asked detail; an answer that abstains while citing what the document does say counts);
  false_abstention: rows with sources and something to include.
- citation_precision: share of the cited files that are in `sources`.
- citation_support: share of cited claims whose numbers all appear in their cited text.
- latency_ms: wall time of the answer; with an asker that streams (the Assistant), also
  first_text_ms (the first text a user sees), first_token_ms (the model's first token, generated
  answers only) and prompt_tokens (the model's prompt).

Several backends in one run (`praxis eval --backend extractive,llamacpp`): each is run and
summarised on its own, then `format_side_by_side` compares them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from assistant.errors import PraxisError
from assistant.evaluation.metrics import RowResult, score_answer
from assistant.evaluation.testset import EvalRow
from assistant.types import Answer, Event, TextDelta


class Asker(Protocol):
    def ask(
        self,
        question: str,
        *,
        history: Any = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Answer: ...


def _streamed(stream: Callable[..., Iterable[Event]], row: EvalRow, k: int, started: float) -> RowResult:
    """Ask through the asker's event stream, timing the first text and reading the final answer."""
    answer: Answer | None = None
    first_text = None
    for event in stream(row.question, history=row.history, k=k, filters=row.filters or None):
        if isinstance(event, TextDelta):
            if first_text is None and event.text:
                first_text = (time.perf_counter() - started) * 1000
        else:
            answer = event.answer
    latency = (time.perf_counter() - started) * 1000
    result = RowResult(row, answer, latency, score_answer(row, answer, k))
    result.first_text_ms = first_text if first_text is not None else latency
    if answer is not None and "first_token" in answer.timings_ms:
        result.first_token_ms = answer.timings_ms["first_token"]
    if answer is not None:
        result.prompt_tokens = answer.prompt_tokens
    return result


def run(
    asker: Asker,
    rows: Sequence[EvalRow],
    *,
    k: int = 5,
    progress: Callable[[int, int], None] | None = None,
) -> list[RowResult]:
    """Ask every row (with its history and filters) and score it. A question the assistant
    refuses (InvalidQuestion and other PraxisErrors) is recorded as an abstention with its error.
    An asker with `stream()` (the Assistant) is asked through it, as streaming users get answers,
    so the time to the first text and to the model's first token are measured too."""
    results: list[RowResult] = []
    stream = getattr(asker, "stream", None)
    for i, row in enumerate(rows, 1):
        started = time.perf_counter()
        try:
            if stream is not None:
                results.append(_streamed(stream, row, k, started))
            else:
                answer = asker.ask(row.question, history=row.history, k=k, filters=row.filters or None)
                latency = (time.perf_counter() - started) * 1000
                results.append(RowResult(row, answer, latency, score_answer(row, answer, k)))
        except PraxisError as exc:
            latency = (time.perf_counter() - started) * 1000
            results.append(RowResult(row, None, latency, score_answer(row, None, k), str(exc)))
        if progress:
            progress(i, len(rows))
    return results


# -- summarising -------------------------------------------------------------------------------
