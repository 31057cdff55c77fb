"""The transfer engine: "We are a rural region of 40,000 with a wasted-heat problem: which practice
fits us?" The region profile is read from the question (assistant.transfer.chat), the practices are
ranked by the transfer advisor, and the answer lists the best few with each criterion's verdict and
the sentence that supports it, cited. Nothing is said that a cited sentence does not state; a
criterion the practice is silent on is marked "not stated"."""

from __future__ import annotations

import time
from collections.abc import Iterator

from assistant.answering.base import Draft
from assistant.engines.base import Asked, declined
from assistant.errors import InvalidQuestion
from assistant.transfer.chat import profile_from_question
from assistant.transfer.fit import FitResult, TransferAdvisor
from assistant.types import Chunk, ScoredChunk, TextDelta

SHOWN = 3  # practices an answer in the chat proposes (the API and CLI take any k)


class TransferEngine:
    """Ranks the practices for the region a question describes (see module docstring)."""

    def __init__(self, advisor: TransferAdvisor, *, shown: int = SHOWN) -> None:
        self.advisor = advisor
        self.shown = shown

    def stream(self, asked: Asked) -> Iterator[TextDelta | Draft]:
        started = time.perf_counter()
        profile = profile_from_question(asked.text)
        if profile.empty:  # nothing about the region: a question about a practice's transferability
            yield declined()
            return
        try:
            result = self.advisor.rank(profile, k=self.shown)
        except InvalidQuestion:
            yield declined()
            return
        elapsed = (time.perf_counter() - started) * 1000
        if not result.practices:
            yield Draft("", abstained=True, passages=[], retrieve_ms=elapsed)
            return
        text = render(result)
        yield TextDelta(text)
        yield Draft(text, list(result.citations), passages=passages_of(result), retrieve_ms=elapsed)

    def warm_up(self) -> None:
        self.advisor.readings()


def passages_of(result: FitResult) -> list[ScoredChunk]:
    """What the answer read: the cited sentences, in the order of the ranking (best practice first)."""
    rank = {fit.practice_id: n for n, fit in enumerate(result.practices)}
    cited = sorted(result.citations, key=lambda c: (rank.get(c.practice_id, len(rank)), c.n))
    return [
        ScoredChunk(
            Chunk(c.practice_id, c.title, c.section, 0, c.text, c.start, c.end, c.source),
            1.0 / (1 + rank.get(c.practice_id, len(rank))),
        )
        for c in cited
    ]


def render(result: FitResult) -> str:
    """The ranked practices as Markdown: one numbered entry per practice, one line per criterion."""
    described = "; ".join(f"{label}: {value}" for label, value in result.profile.describe())
    lines = [f"The practices that fit best the region you describe ({described}), best first:", ""]
    for rank, fit in enumerate(result.practices, 1):
        place = ", ".join(p for p in (fit.region, fit.country) if p)
        lines.append(f"{rank}. **{fit.title}**" + (f" ({place})" if place else ""))
        for reason in fit.reasons:
            marker = f" [{reason.citation.n}]" if reason.citation else ""
            lines.append(f"   - {reason.label}: {reason.verdict}. {reason.text}{marker}")
    lines += ["", f"Ranked over {result.considered} practices."]
    return "\n".join(lines)
