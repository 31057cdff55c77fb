"""A reason: one criterion's verdict on a practice for a region, with the sentence it rests on.

The citation is the same `Citation` object `praxis ask --json` returns, built with
`assistant.answering.citations.cite`; `stated` holds the figure or condition the reason states,
word for word as the cited sentence has it (`supports` checks that).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.answering.citations import cite
from assistant.types import Chunk, Citation, Practice, ScoredChunk
from assistant.vocabulary import numbers

CRITERIA: dict[str, str] = {
    "topic": "Challenge and sector",
    "budget": "Budget",
    "preconditions": "Scale and preconditions",
    "evidence": "Evidence strength",
    "region": "Country and region type",
}
FITS, PARTLY, NO_FIT, NOT_STATED = "fits", "partly", "does not fit", "not stated"
VERDICTS: tuple[str, ...] = (FITS, PARTLY, NO_FIT, NOT_STATED)


@dataclass(frozen=True)
class Reason:
    """One criterion's verdict. `points` is what it adds to the practice's score (may be negative)."""

    criterion: str
    verdict: str
    text: str
    stated: tuple[str, ...] = ()  # figures or conditions, verbatim from the cited sentence
    citation: Citation | None = None
    points: float = 0.0

    def __post_init__(self) -> None:
        if self.criterion not in CRITERIA:
            raise ValueError(f"unknown criterion {self.criterion!r}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")
        if self.verdict != NOT_STATED and self.citation is None:
            raise ValueError(f"a {self.verdict!r} reason needs a citation: {self.text!r}")

    @property
    def label(self) -> str:
        return CRITERIA[self.criterion]

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "label": self.label,
            "verdict": self.verdict,
            "text": self.text,
            "stated": list(self.stated),
            "points": round(self.points, 3),
            "citation": self.citation.to_dict() if self.citation else None,
        }


def supports(reason: Reason) -> bool:
    """True when the cited sentence contains every figure or condition the reason states (and
    every number in them). A "not stated" reason needs no citation and passes."""
    if reason.verdict == NOT_STATED:
        return True
    if reason.citation is None or not reason.stated:
        return False
    cited = " ".join(reason.citation.text.split())
    for stated in reason.stated:
        if " ".join(stated.split()) not in cited:
            return False
        if not numbers(stated) <= numbers(cited):
            return False
    return True


class Citations:
    """Numbers the citations of one result: the same sentence cited twice keeps its number."""

    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._index: dict[tuple[str, int, int], Citation] = {}

    def cite(self, practice: Practice, section_name: str, start: int, end: int) -> Citation:
        """Citation of practice.text[start:end], inside the named section. Raises ValueError if
        the span lies outside it."""
        key = (practice.id, start, end)
        if key in self._index:
            return self._index[key]
        section = practice.section(section_name)
        if section is None:
            raise ValueError(f"{practice.id} has no section {section_name!r}")
        chunk = Chunk(
            practice_id=practice.id,
            title=practice.title,
            section=section.name,
            ordinal=0,
            text=practice.text[section.start : section.end],
            start=section.start,
            end=section.end,
            source=practice.source,
            metadata=dict(practice.metadata),
        )
        citation = cite(len(self.items) + 1, ScoredChunk(chunk, 1.0), start, end)
        self.items.append(citation)
        self._index[key] = citation
        return citation
