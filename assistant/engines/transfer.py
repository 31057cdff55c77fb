"""The transfer engine: "We are a rural region of 40,000 with a wasted-heat problem: which practice
fits us?" The region profile is read from the question (assistant.transfer.chat), the practices are
ranked by the transfer advisor, and the answer lists the best few with each criterion's verdict and
the sentence that supports it, cited. Nothing is said that a cited sentence does not state; a
criterion the practice is silent on is marked "not stated".

A question that asks more than which practice fits ("Which practice could help, and what would we
have to commit to?") has the rest of its last sentence answered about the best-fitting practice by
the lookup engine, cited in the same answer."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace

from assistant.answering.base import Draft
from assistant.engines.base import Asked, Engine, declined
from assistant.errors import InvalidQuestion
from assistant.question import Question, parts
from assistant.transfer.chat import profile_from_question
from assistant.transfer.fit import FitResult, TransferAdvisor
from assistant.types import Chunk, Citation, ScoredChunk, TextDelta
from assistant.vocabulary import MARKER, sentence_spans

# how parts() joins a further ask to the first: ", and ", "; ", "? "
_CONNECTOR = re.compile(r"(?:[\s,;?]|\band\b)*$", re.IGNORECASE)
PRACTICE_CHUNKS = 20  # what a further ask reads of the best practice: all of it, as practices go
SHOWN = 3  # practices an answer in the chat proposes (the API and CLI take any k)


class TransferEngine:
    """Ranks the practices for the region a question describes (see module docstring)."""

    def __init__(self, advisor: TransferAdvisor, lookup: Engine | None = None, *, shown: int = SHOWN) -> None:
        self.advisor = advisor
        self.lookup = lookup  # answers what else the question asks about the best practice
        self.shown = shown

    def stream(self, asked: Asked) -> Iterator[TextDelta | Draft]:
        started = time.perf_counter()
        asks = further_asks(asked.text)
        # the region is described before what else is asked about the best practice
        profile = profile_from_question(_without(asked.text, asks))
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
        citations, passages = list(result.citations), passages_of(result)
        for ask in asks:
            found = self._about_best(asked, result, ask, len(citations))
            if found is not None:
                text += "\n\n" + found.text
                citations += found.citations
                passages += found.passages or []
        yield TextDelta(text)
        yield Draft(text, citations, passages=passages, retrieve_ms=elapsed)

    def _about_best(self, asked: Asked, result: FitResult, ask: str, offset: int) -> Draft | None:
        """The lookup engine's answer to `ask` about the best-fitting practice, its markers
        numbered after the ranking's (None when it has nothing to say)."""
        if self.lookup is None:
            return None
        best = result.practices[0]
        # the whole practice is read (a fact may sit in any of its sections)
        question = Question.analysed(
            ask, (), f"{best.title}: {ask}", k=PRACTICE_CHUNKS, filters={"practice_id": best.practice_id}
        )
        draft = next(
            (
                d
                for d in self.lookup.stream(Asked(question, asked.focus, asked.route))
                if isinstance(d, Draft)
            ),
            None,
        )
        if draft is None or not draft.text or not draft.citations:
            return None
        cited = [replace(c, n=c.n + offset) for c in draft.citations]
        text = MARKER.sub(lambda m: f"[{int(m.group(1)) + offset}]", draft.text)
        return Draft(f"{_capitalised(ask)} {text}", cited, passages=[_read(c, 1.0) for c in cited])

    def warm_up(self) -> None:
        self.advisor.readings()


def passages_of(result: FitResult) -> list[ScoredChunk]:
    """What the answer read: the cited sentences, in the order of the ranking (best practice first)."""
    rank = {fit.practice_id: n for n, fit in enumerate(result.practices)}
    cited = sorted(result.citations, key=lambda c: (rank.get(c.practice_id, len(rank)), c.n))
    return [_read(c, 1.0 / (1 + rank.get(c.practice_id, len(rank)))) for c in cited]


def _read(citation: Citation, score: float) -> ScoredChunk:
    """A cited sentence as a passage the answer read."""
    c = citation
    return ScoredChunk(Chunk(c.practice_id, c.title, c.section, 0, c.text, c.start, c.end, c.source), score)


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


def further_asks(question: str) -> list[str]:
    """What the question asks besides which practice fits: "Which practice could help, and what
    would we have to commit to?" -> ["what would we have to commit to?"]; "Which one fits us? What
    does it cost?" -> ["What does it cost?"]."""
    spans = sentence_spans(question)
    if not spans:
        return []
    # the asking starts at the first sentence that is a question (or the last sentence)
    start = next((a for a, b in spans if question[a:b].endswith("?")), spans[-1][0])
    return [p if p.endswith("?") else p + "?" for p in parts(question[start:])[1:]]


def _without(question: str, asks: list[str]) -> str:
    """The question up to its further asks: "Which practice fits, and how does it ...?" -> "Which
    practice fits"."""
    if not asks:
        return question
    cut = question.rfind(asks[0].rstrip("?"))
    return _CONNECTOR.sub("", question[:cut]) + "?" if cut > 0 else question


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
