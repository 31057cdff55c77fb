"""Which stored practices fit a region best, and why: the transfer advisor.

`TransferAdvisor.rank(profile, k)` scores every stored practice on five criteria (challenge and
sector, budget, scale and preconditions, evidence strength, country and region type). Each
reason carries a verdict, the points it adds and the sentence it rests on; a practice's score
is the sum of its reasons' points, so a reader sees why one ranks above another.
The transfer-workshop briefing of one practice is built in briefing.py (`briefing(advisor,
profile, practice)`). The result objects' `to_dict()` is the JSON of `praxis transfer
--json` and `POST /v1/transfer`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.practices.catalog import Catalog, current_facts
from assistant.practices.currency import ReferenceRates, reference_rates
from assistant.retrieval.base import validate_k
from assistant.transfer.budget import BudgetInEur, budget_reasons
from assistant.transfer.criteria import evidence_reason, precondition_reasons, region_reasons, topic_reason
from assistant.transfer.profile import RegionProfile, parse_profile
from assistant.transfer.reading import PracticeReading, read_practice
from assistant.transfer.reasons import CRITERIA, NOT_STATED, Citations, Reason
from assistant.transfer.topic import TopicMatch, topic_matches
from assistant.types import Citation, Practice

log = logging.getLogger(__name__)

MAX_CACHED_QUERIES = 32
CONTEXT_FLOOR = 0.0
DEFAULT_K = 5


@dataclass
class PracticeFit:
    """One practice's fit: its score (the sum of its reasons' points) and the reasons."""

    practice_id: str
    title: str
    country: str | None
    region: str | None
    score: float
    reasons: list[Reason]
    similarity: float = 0.0  # closeness of the challenge (tie-breaker, shown for transparency)
    weight: float = 1.0  # how much the criteria other than the challenge count (see context_weight)

    def verdicts(self) -> dict[str, str]:
        """criterion -> the verdict of its first reason (the one that carries its points)."""
        summary: dict[str, str] = {}
        for reason in self.reasons:
            summary.setdefault(reason.criterion, reason.verdict)
        return summary

    def points_by_criterion(self) -> dict[str, float]:
        totals = dict.fromkeys(CRITERIA, 0.0)
        for reason in self.reasons:
            totals[reason.criterion] += reason.points
        return totals

    def to_dict(self) -> dict[str, Any]:
        return {
            "practice_id": self.practice_id,
            "title": self.title,
            "country": self.country,
            "region": self.region,
            "score": round(self.score, 3),
            "weight": round(self.weight, 3),
            "points": {k: round(v, 3) for k, v in self.points_by_criterion().items()},
            "verdicts": self.verdicts(),
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass
class FitResult:
    """Practices best first, for one profile."""

    profile: RegionProfile
    budget: BudgetInEur | None
    practices: list[PracticeFit]
    considered: int
    citations: list[Citation] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The `praxis transfer --json` / `POST /v1/transfer` schema."""
        return {
            "profile": self.profile.to_dict(),
            "budget": self.budget.to_dict() if self.budget else None,
            "criteria": [{"criterion": k, "label": v} for k, v in CRITERIA.items()],
            "considered": self.considered,
            "practices": [p.to_dict() for p in self.practices],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


def context_weight(relevance: float) -> float:
    """The share of their points that budget, preconditions, evidence and region count for a
    practice whose closeness to the challenge is `relevance` (0..1)."""
    return CONTEXT_FLOOR + (1 - CONTEXT_FLOOR) * relevance


class TransferAdvisor:
    """Ranks practices for a region and writes briefings, over one catalog (and its store).

    rates: the ECB reference rates (default: the one history of the process, read on first use).
    Readings of practices are cached per content hash, so a second question is fast.
    """

    def __init__(self, catalog: Catalog, rates: ReferenceRates | None = None) -> None:
        self.catalog = catalog
        self.store = catalog.store
        self.rates = rates if rates is not None else reference_rates()
        self._lock = threading.Lock()
        self._readings: dict[tuple[str, str], PracticeReading] = {}
        self._all: tuple[Any, list[PracticeReading]] | None = None  # (store content version, readings)
        self._vectors: dict[str, list[float]] = {}  # embedded challenges, most recent last

    # -- reading practices ------------------------------------------------------------------

    def reading(self, practice: Practice, facts: Any = None) -> PracticeReading:
        key = (practice.id, practice.content_hash or str(len(practice.text)))
        with self._lock:
            cached = self._readings.get(key)
        if cached is not None:
            return cached
        if facts is None:
            facts = self.catalog.facts_of(practice)
        reading = read_practice(practice, facts)
        with self._lock:
            self._readings = {k: v for k, v in self._readings.items() if k[0] != practice.id}
            self._readings[key] = reading
        return reading

    def readings(self) -> list[PracticeReading]:
        """Every stored practice, read (cached per content hash and store version)."""
        version = self.store.content_version()
        with self._lock:
            if self._all is not None and self._all[0] == version:
                return self._all[1]
        result = []
        for practice, stored in self.store.practices_with_facts():
            key = (practice.id, practice.content_hash or str(len(practice.text)))
            with self._lock:
                cached = self._readings.get(key)
            result.append(cached or self.reading(practice, current_facts(practice, stored)))
        with self._lock:
            self._all = (version, result)
        return result

    def topics(self, query: str, readings: list[PracticeReading]) -> dict[str, TopicMatch]:
        """How close each practice is to the query (the embedded query is kept for the next call,
        e.g. the briefing that follows a ranking)."""
        if not query:
            return {}
        with self._lock:
            vector = self._vectors.pop(query, None)
        if vector is None:
            vector = self.store.embeddings.embed_query(query)
        with self._lock:
            self._vectors[query] = vector
            while len(self._vectors) > MAX_CACHED_QUERIES:
                self._vectors.pop(next(iter(self._vectors)))
        return topic_matches(self.store, vector, [r.practice.id for r in readings])

    # -- ranking ------------------------------------------------------------------------------

    def budget_of(self, profile: RegionProfile) -> BudgetInEur | None:
        return BudgetInEur.of(profile.budget, self.rates) if profile.budget else None

    def assess(
        self,
        reading: PracticeReading,
        profile: RegionProfile,
        budget: BudgetInEur | None,
        match: TopicMatch | None,
        total: int,
        citations: Citations,
    ) -> PracticeFit:
        """One practice's reasons and score for a profile."""
        practice = reading.practice

        def cite(section: str, start: int, end: int) -> Citation:
            return citations.cite(practice, section, start, end)

        topic = topic_reason(reading, match, profile.topic_text(), total, cite)
        others = budget_reasons(reading, budget, self.rates, cite)
        others += precondition_reasons(reading, profile, cite)
        others.append(evidence_reason(reading, cite))
        others += region_reasons(reading, profile, cite)
        # the other criteria count as much as the practice is about the region's challenge: a
        # cheap, well-evidenced practice on another subject does not climb above a relevant one
        weight = context_weight(match.relevance) if match and profile.topic_text() else 1.0
        reasons = [topic] + [replace(r, points=r.points * weight) for r in others]
        return PracticeFit(
            practice.id,
            practice.title,
            practice.metadata.get("country"),
            practice.metadata.get("region"),
            sum(r.points for r in reasons),
            reasons,
            match.similarity if match else 0.0,
            weight,
        )

    def rank(self, profile: RegionProfile | Mapping[str, Any], *, k: int = DEFAULT_K) -> FitResult:
        """The k practices that fit the profile best, best first, each with its cited reasons.

        Raises InvalidQuestion (InvalidProfile) for a bad profile or k.
        """
        started = time.perf_counter()
        profile = parse_profile(profile)
        validate_k(k)
        readings = self.readings()
        read_ms = (time.perf_counter() - started) * 1000
        query = profile.topic_text()
        matches = self.topics(query, readings)
        topic_ms = (time.perf_counter() - started) * 1000 - read_ms
        budget = self.budget_of(profile)
        scratch = Citations()
        fits = [
            self.assess(r, profile, budget, matches.get(r.practice.id), len(readings), scratch)
            for r in readings
        ]
        fits.sort(key=lambda f: (-f.score, -f.similarity, f.title.lower()))
        best = fits[:k]
        # number the citations of the practices shown, in the order they are shown
        citations = Citations()
        by_id = {r.practice.id: r for r in readings}
        shown = [
            self.assess(
                by_id[f.practice_id], profile, budget, matches.get(f.practice_id), len(readings), citations
            )
            for f in best
        ]
        total_ms = (time.perf_counter() - started) * 1000
        log.info("transfer rank practices=%d k=%d ms=%.0f", len(readings), k, total_ms)
        return FitResult(
            profile,
            budget,
            shown,
            len(readings),
            citations.items,
            {"read": read_ms, "topic": topic_ms, "total": total_ms},
        )

    def fit_of(self, profile: RegionProfile, practice: Practice, citations: Citations) -> PracticeFit:
        """One practice's fit for the profile (the briefing's reasons)."""
        readings = self.readings()
        matches = self.topics(profile.topic_text(), readings)
        reading = self.reading(practice)
        return self.assess(
            reading, profile, self.budget_of(profile), matches.get(practice.id), len(readings), citations
        )


def not_stated(reason: Reason) -> bool:
    return reason.verdict == NOT_STATED
