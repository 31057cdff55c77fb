"""Writing the engines' answers: citations numbered across one answer, Markdown tables and lists.

Every figure an answer states is cited to its sentence with `assistant.answering.citations.cite`;
the passage cited is the sentence's section of the practice (so the citation checks of the
pipeline and the evaluation read it like any retrieved passage).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.citations import cite
from assistant.engines.index import Entry, Sentence
from assistant.types import Chunk, Citation, ScoredChunk

EVIDENCE_CHARS = 220  # of a cited sentence shown beside a figure


class Citer:
    """Numbers citations in order of first use; the same sentence cited twice keeps its number.
    Collects the passages (sections) the answer read and cited, in order."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._by_span: dict[tuple[str, int, int], Citation] = {}
        self._passages: dict[tuple[str, int], ScoredChunk] = {}

    def passage(self, entry: Entry, sentence: Sentence, score: float = 1.0) -> ScoredChunk:
        """The sentence as a passage of the answer (cheap at thousands of rows)."""
        key = (entry.id, sentence.start)
        if key not in self._passages:
            practice = entry.practice
            chunk = Chunk(
                practice_id=practice.id,
                title=practice.title,
                section=sentence.section,
                ordinal=sentence.start,
                text=sentence.text,
                start=sentence.start,
                end=sentence.end,
                source=practice.source,
                metadata=practice.metadata,
            )
            self._passages[key] = ScoredChunk(chunk, score)
        return self._passages[key]

    def read(self, entry: Entry, score: float = 1.0) -> None:
        """Record a practice as read (its first sentence becomes one of the answer's passages)
        without citing it."""
        sentences = entry.sentences()
        if sentences:
            self.passage(entry, sentences[0], score)

    def cite(self, entry: Entry, sentence: Sentence) -> int:
        """The marker number of the sentence, citing it on first use."""
        key = (entry.id, sentence.start, sentence.end)
        if key not in self._by_span:
            citation = cite(
                len(self.citations) + 1, self.passage(entry, sentence), sentence.start, sentence.end
            )
            self.citations.append(citation)
            self._by_span[key] = citation
        return self._by_span[key].n

    @property
    def passages(self) -> list[ScoredChunk]:
        return list(self._passages.values())


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "/").split())


def excerpt(sentence: Sentence, around: str | None = None, limit: int = EVIDENCE_CHARS) -> str:
    """The sentence, or a window of it around the given words when it is long."""
    text = " ".join(sentence.text.split())
    if len(text) <= limit:
        return text
    at = text.find(around) if around else -1
    if at < 0:
        return text[: limit - 1].rsplit(" ", 1)[0] + " …"
    start = max(0, at - limit // 3)
    end = min(len(text), start + limit)
    start = max(0, end - limit)
    piece = text[start:end]
    if start > 0:
        piece = "… " + piece.split(" ", 1)[-1]
    if end < len(text):
        piece = piece.rsplit(" ", 1)[0] + " …"
    return piece


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def place_of(entry: Entry) -> str:
    country, region = entry.meta("country"), entry.meta("region")
    if region and country and country.lower() not in region.lower():
        return f"{country}, {region}"
    return region or country


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s" if not word.endswith("y") else f"{n} {word[:-1]}ies"


def join_names(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def short_title(title: str) -> str:
    """The title without a trailing description after ' - ' (kept when it is the name)."""
    head = re.split(r"\s[-–]\s", title)[0]
    return head if len(head) >= 4 else title
