"""Compare 2 to 5 practices side by side: template sections and key facts, every cell cited.

The result is plain data (`Comparison.to_dict()`), so the CLI table, `POST /v1/compare` and the
web UI tab are thin renderings of one structure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.practices.facts.model import KIND_LABELS, Fact
from assistant.types import Citation, Practice
from assistant.vocabulary import sentence_spans

COMPARE_SECTIONS: tuple[str, ...] = (
    "Resources needed",
    "Evidence of success",
    "Potential for learning or transfer",
)
COMPARE_FACT_KINDS: tuple[str, ...] = (
    "start_year",
    "budget",
    "grant",
    "staff",
    "members",
    "beneficiaries",
    "duration",
    "funding_source",
    "result",
    "owner",
    "country",
    "region",
)
MIN_PRACTICES, MAX_PRACTICES = 2, 5
MAX_FACTS_PER_CELL = 5
NOT_STATED = "not stated in the document"


@dataclass
class Cell:
    """One practice's entry in one row. `text` carries [n] markers that point at `citations`."""

    practice_id: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    missing: bool = False  # the document says nothing on this row
    from_metadata: bool = False  # the value comes from metadata.jsonl, not from the text
    truncated: bool = False  # a section cell shows only its first sentences

    def to_dict(self) -> dict[str, Any]:
        return {
            "practice_id": self.practice_id,
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "missing": self.missing,
            "from_metadata": self.from_metadata,
            "truncated": self.truncated,
        }


@dataclass
class Row:
    key: str  # "section:Resources needed" or "fact:budget"
    label: str
    cells: list[Cell]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "cells": [c.to_dict() for c in self.cells]}


@dataclass
class Comparison:
    practices: list[Practice]
    rows: list[Row]
    citations: list[Citation]  # every citation once, in [n] order

    def to_dict(self) -> dict[str, Any]:
        """The `praxis compare --json` and `POST /v1/compare` schema."""
        return {
            "practices": [
                {
                    "id": p.id,
                    "title": p.title,
                    "country": p.metadata.get("country"),
                    "region": p.metadata.get("region"),
                    "source": p.source,
                }
                for p in self.practices
            ],
            "rows": [r.to_dict() for r in self.rows],
            "citations": [c.to_dict() for c in self.citations],
        }


class _Citations:
    """Numbers citations across the whole table; the same span cited twice keeps its number."""

    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._index: dict[tuple[str, int, int], Citation] = {}

    def cite(self, practice: Practice, section: str, start: int, end: int) -> Citation:
        key = (practice.id, start, end)
        if key not in self._index:
            citation = Citation(
                n=len(self.items) + 1,
                practice_id=practice.id,
                title=practice.title,
                section=section,
                source=practice.source,
                text=practice.text[start:end],
                start=start,
                end=end,
            )
            self.items.append(citation)
            self._index[key] = citation
        return self._index[key]


def _section_cell(practice: Practice, name: str, citations: _Citations, max_chars: int) -> Cell:
    section = practice.section(name)
    if section is None or not section.text.strip():
        return Cell(practice.id, NOT_STATED, missing=True)
    spans = sentence_spans(practice.text, section.start, section.end)
    chosen = [spans[0]]
    for span in spans[1:]:
        if span[1] - chosen[0][0] > max_chars:
            break
        chosen.append(span)
    start, end = chosen[0][0], chosen[-1][1]
    citation = citations.cite(practice, section.name, start, end)
    return Cell(
        practice.id,
        f"{practice.text[start:end]} [{citation.n}]",
        [citation],
        truncated=end < section.end,
    )


def _fact_cell(practice: Practice, facts: Sequence[Fact], kind: str, citations: _Citations) -> Cell:
    own = [f for f in facts if f.kind == kind]
    if not own:
        return Cell(practice.id, NOT_STATED, missing=True)
    if all(f.origin == "metadata" for f in own):
        return Cell(practice.id, "; ".join(f.display() for f in own), from_metadata=True)
    parts: list[str] = []
    used: list[Citation] = []
    for fact in own[:MAX_FACTS_PER_CELL]:
        if fact.start is None or fact.end is None:
            parts.append(f"{fact.display()} (metadata)")
            continue
        citation = citations.cite(practice, fact.section, fact.start, fact.end)
        if citation not in used:
            used.append(citation)
        parts.append(f"{fact.display()} [{citation.n}]")
    if len(own) > MAX_FACTS_PER_CELL:
        parts.append(f"(+{len(own) - MAX_FACTS_PER_CELL} more)")
    return Cell(practice.id, "; ".join(parts), used)


def build_comparison(
    practices: Sequence[Practice],
    facts: Sequence[Sequence[Fact]],
    *,
    max_chars: int = 400,
) -> Comparison:
    """The table for already resolved practices (validated by the caller) and their facts.

    Section rows are always present; a fact row only when at least one practice has that fact.
    Section cells show the first sentences of the section up to about max_chars.
    """
    citations = _Citations()
    rows: list[Row] = []
    for name in COMPARE_SECTIONS:
        rows.append(
            Row(f"section:{name}", name, [_section_cell(p, name, citations, max_chars) for p in practices])
        )
    for kind in COMPARE_FACT_KINDS:
        if not any(f.kind == kind for own in facts for f in own):
            continue
        rows.append(
            Row(
                f"fact:{kind}",
                KIND_LABELS[kind],
                [_fact_cell(p, own, kind, citations) for p, own in zip(practices, facts, strict=True)],
            )
        )
    return Comparison(list(practices), rows, citations.items)
