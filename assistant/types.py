"""Plain dataclasses shared by ingest, retrieval, answering and the adapters.

No LangChain or Chroma type leaks through these: adapters convert at their edges.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

# The template headings, in their canonical spelling and usual order.
SECTION_NAMES: tuple[str, ...] = (
    "About this good practice",
    "Expert opinion",
    "Resources needed",
    "Evidence of success",
    "Potential for learning or transfer",
    "Further information",
    "Good practice owner",
)
DOCUMENT_SECTION = "Document"  # the one section of a file without the template


@dataclass(frozen=True)
class Section:
    """One section of a practice: its name, text and offsets into the source text."""

    name: str
    text: str
    start: int  # offset of text[0] in Practice.text
    end: int


@dataclass
class Practice:
    """One good-practice document, parsed."""

    id: str
    title: str
    text: str  # the normalised source text that every offset refers to
    sections: list[Section]
    source: str  # file name
    metadata: dict[str, str] = field(default_factory=dict)  # country, region, theme, url, owner
    content_hash: str = ""

    def section(self, name: str) -> Section | None:
        for section in self.sections:
            if section.name.lower() == name.lower():
                return section
        return None


@dataclass(frozen=True)
class Chunk:
    """A piece of one section, the unit that is embedded and retrieved."""

    practice_id: str
    title: str
    section: str
    ordinal: int  # position of the chunk within its practice
    text: str
    start: int  # offsets into Practice.text
    end: int
    source: str
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Content address: the same chunk always gets the same id, so re-ingest is an upsert."""
        key = "\x1f".join((self.practice_id, self.section, str(self.ordinal), self.text))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class ScoredChunk:
    """A retrieved chunk with its score (higher is better)."""

    chunk: Chunk
    score: float


@dataclass(frozen=True)
class Citation:
    """What marker [n] in an answer points at."""

    n: int
    practice_id: str
    title: str
    section: str
    source: str
    text: str  # the exact cited text, == Practice.text[start:end]
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """The result of asking a question."""

    text: str
    citations: list[Citation]
    passages: list[ScoredChunk]
    abstained: bool
    timings_ms: dict[str, float] = field(default_factory=dict)
    route: str = "lookup"  # the engine that answered
    prompt_tokens: int | None = None  # generated answers: the prompt the model read (None: no model call)
    fallback: str | None = None  # generated answers: why the model's reply gave way to quoted evidence

    def to_dict(self) -> dict[str, Any]:
        """The `praxis ask --json` schema, also used by the API and the evaluation."""
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class Message:
    """One conversation turn."""

    role: str  # "user" or "assistant"
    content: str


# -- what Assistant.stream() yields --------------------------------------------------------------


@dataclass(frozen=True)
class TextDelta:
    """The next piece of the answer's text. Joined in order, the deltas are the final answer text."""

    text: str


@dataclass(frozen=True)
class Completed:
    """The last event of a stream: the whole answer, with its citations and timings."""

    answer: Answer


Event = TextDelta | Completed
