"""Request and response models of the Praxis routes, and how core objects map onto them.

The OpenAI wire format lives in `ui.api.openai_models`; the error shape in `ui.api.errors`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from assistant.config import ANSWER_BACKENDS
from assistant.conversation import MAX_HISTORY_CHARS, MAX_HISTORY_TURNS, MAX_QUESTION_CHARS
from assistant.practices.facts.filters import FilterMatch
from assistant.practices.facts.model import Fact
from assistant.retrieval.base import MAX_K
from assistant.types import Practice, ScoredChunk
from ingest.ingestor import IngestReport

MAX_FILTER_CHARS = 200

PracticeId = Annotated[
    str, PathParam(pattern=r"^[a-z0-9-]+$", max_length=200, description="a practice id, e.g. cluj-it-cluster")
]


# -- asking --------------------------------------------------------------------------------------


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: str | None = Field(default=None, max_length=MAX_FILTER_CHARS, examples=["Lithuania"])
    theme: str | None = Field(default=None, max_length=MAX_FILTER_CHARS, examples=["innovation vouchers"])
    section: str | None = Field(default=None, max_length=MAX_FILTER_CHARS, examples=["Resources needed"])

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v}


def filters_of(filters: Filters | None) -> dict[str, str] | None:
    return filters.as_dict() if filters else None


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_HISTORY_CHARS)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        examples=["How many people work in the Buurtzorg neighbourhood care teams?"],
    )
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_TURNS,
        description=f"earlier turns, oldest first (at most {MAX_HISTORY_TURNS}, "
        f"{MAX_HISTORY_CHARS} characters in all)",
    )
    filters: Filters | None = None
    k: StrictInt | None = Field(default=None, ge=1, le=MAX_K, description="passages to retrieve")
    backend: str | None = Field(
        default=None,
        max_length=64,
        description=f"answer backend, one of {', '.join(ANSWER_BACKENDS)}; default: PRAXIS_ANSWER__BACKEND",
    )

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value and value not in ANSWER_BACKENDS:
            raise ValueError(f"unknown answer backend {value!r}; use one of {', '.join(ANSWER_BACKENDS)}")
        return value

    def history_turns(self) -> list[dict[str, Any]]:
        return [t.model_dump() for t in self.history]


class CitationOut(BaseModel):
    n: int
    practice_id: str
    title: str
    section: str
    source: str
    text: str = Field(description="the exact cited text, == practice text[start:end]")
    start: int
    end: int


class AnswerOut(BaseModel):
    """The `praxis ask --json` schema."""

    answer: str
    abstained: bool = Field(description="true when the documents do not answer the question")
    citations: list[CitationOut]
    timings_ms: dict[str, float]


class PassageOut(BaseModel):
    practice_id: str
    title: str
    section: str
    source: str
    text: str
    start: int
    end: int
    score: float = Field(description="cosine similarity, higher is better")
    country: str | None = None
    region: str | None = None
    theme: str | None = None

    @classmethod
    def of(cls, passage: ScoredChunk) -> PassageOut:
        chunk = passage.chunk
        return cls(
            practice_id=chunk.practice_id,
            title=chunk.title,
            section=chunk.section,
            source=chunk.source,
            text=chunk.text,
            start=chunk.start,
            end=chunk.end,
            score=round(float(passage.score), 6),
            country=chunk.metadata.get("country"),
            region=chunk.metadata.get("region"),
            theme=chunk.metadata.get("theme"),
        )


class SearchOut(BaseModel):
    query: str
    results: list[PassageOut]


# -- practices, key facts, compare, similar ------------------------------------------------------


class FactOut(BaseModel):
    kind: str
    label: str
    display: str = Field(description="human rendering, e.g. 'about EUR 250,000 per year'")
    value: float | int | str
    value_max: float | None = None
    currency: str | None = Field(default=None, description="ISO code, only when the document states one")
    period: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    text: str = Field(description="the matched words")
    section: str
    start: int | None = Field(
        description="evidence sentence offsets in the practice text; null if from metadata"
    )
    end: int | None
    match_start: int | None = None
    match_end: int | None = None
    origin: Literal["text", "metadata"]
    practice_id: str
    source: str
    evidence: str | None = Field(description="the sentence the fact came from")

    @classmethod
    def of(cls, fact: Fact, practice: Practice) -> FactOut:
        return cls(**fact.cited(practice))


class PracticeSummary(BaseModel):
    id: str
    title: str
    source: str
    country: str | None = None
    region: str | None = None
    theme: str | None = None
    url: str | None = None
    sections: list[str]
    matched_facts: list[FactOut] | None = Field(
        default=None, description="with fact filters: the facts that decided the match"
    )
    budget_converted: float | None = Field(
        default=None, description="with a budget filter: the budget that decided it, in budget_currency"
    )
    budget_currency: str | None = Field(default=None, description="the currency of the budget filter")
    rate_date: dt.date | None = Field(
        default=None,
        description="the day of the ECB reference rate budget_converted was converted at; "
        "null when the document states the budget in budget_currency (nothing converted)",
    )

    @classmethod
    def of(cls, practice: Practice, match: FilterMatch | None = None) -> PracticeSummary:
        meta = practice.metadata
        budget = match.budget if match else None
        return cls(
            id=practice.id,
            title=practice.title,
            source=practice.source,
            country=meta.get("country"),
            region=meta.get("region"),
            theme=meta.get("theme"),
            url=meta.get("url"),
            sections=[s.name for s in practice.sections],
            matched_facts=None if match is None else [FactOut.of(f, practice) for f in match.evidence],
            budget_converted=None if budget is None else round(budget.value, 2),
            budget_currency=None if budget is None else budget.currency,
            rate_date=None if budget is None else budget.rate_date,
        )


class PracticeList(BaseModel):
    count: int
    practices: list[PracticeSummary]


class SectionOut(BaseModel):
    name: str
    text: str
    start: int = Field(description="offset of the section text in the practice text")
    end: int


class PracticeOut(BaseModel):
    id: str
    title: str
    source: str
    metadata: dict[str, str]
    text: str = Field(description="the full text every citation offset refers to")
    sections: list[SectionOut]

    @classmethod
    def of(cls, practice: Practice) -> PracticeOut:
        return cls(
            id=practice.id,
            title=practice.title,
            source=practice.source,
            metadata={k: str(v) for k, v in practice.metadata.items()},
            text=practice.text,
            sections=[
                SectionOut(name=s.name, text=s.text, start=s.start, end=s.end) for s in practice.sections
            ],
        )


class FactsOut(BaseModel):
    practice_id: str
    title: str
    facts: list[FactOut]


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    practices: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=2, max_length=5, description="2 to 5 practice ids or unambiguous title fragments"
    )
    max_chars: int = Field(default=400, ge=50, le=5000, description="how much of each section to show")


class CompareCell(BaseModel):
    practice_id: str
    text: str = Field(description="cell text with [n] markers pointing at `citations`")
    citations: list[CitationOut]
    missing: bool
    from_metadata: bool
    truncated: bool


class CompareRow(BaseModel):
    key: str
    label: str
    cells: list[CompareCell]


class ComparedPractice(BaseModel):
    id: str
    title: str
    country: str | None = None
    region: str | None = None
    source: str


class CompareOut(BaseModel):
    practices: list[ComparedPractice]
    rows: list[CompareRow]
    citations: list[CitationOut]


class SimilarItem(BaseModel):
    practice_id: str
    title: str
    country: str | None = None
    region: str | None = None
    score: float


class SimilarOut(BaseModel):
    practice_id: str
    similar: list[SimilarItem]


# -- meta and admin ------------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(
        description="ok; degraded: questions are answered but uploads are refused (disk nearly full)"
    )
    practices: int
    chunks: int
    collection: str
    store: str
    embedding_model: str
    answer_backend: str
    writable: bool = Field(description="whether the store has room for writes (embedded store)")
    free_mb: float | None = Field(default=None, description="free space on the store's disk (embedded store)")


class IngestFailure(BaseModel):
    file: str
    reason: str


class IngestOut(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    failed: list[IngestFailure]
    warnings: list[str]
    chunks_written: int
    seconds: float

    @classmethod
    def of(cls, report: IngestReport, folder: Path) -> IngestOut:
        """The report of an ingest of folder, file names without the folder (a server path)."""
        prefix = f"{folder}/"
        return cls(
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            failed=[IngestFailure(file=Path(f).name, reason=r.replace(prefix, "")) for f, r in report.failed],
            warnings=[w.replace(prefix, "") for w in report.warnings],
            chunks_written=report.chunks_written,
            seconds=round(report.seconds, 3),
        )

    @property
    def nothing_ingested(self) -> bool:
        return bool(self.failed) and not (self.added or self.updated or self.unchanged)


class DeleteOut(BaseModel):
    deleted: str
    chunks_removed: int
