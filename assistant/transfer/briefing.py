"""The transfer-workshop briefing: one practice, read for one importing region.

Sections: the importing region (as given); how the practice fits it (the ranking's reasons); the
practice in brief; what it needs (money, staff, partners, time); its evidence; conditions and
risks for transfer; questions to ask its owner (from what the documents do not state); the
owner to contact; similar practices elsewhere. Every statement taken from the documents is
quoted with its citation; the profile (the user's own words) and the questions (derived from
gaps) are marked as not quoted. Renderings: render.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from assistant.transfer.profile import RegionProfile, parse_profile
from assistant.transfer.reading import ABOUT, OWNER, RESOURCES, TRANSFER, PracticeReading, Sentence
from assistant.transfer.reasons import FITS, NO_FIT, NOT_STATED, Citations, Reason
from assistant.types import Citation, Practice

if TYPE_CHECKING:
    from assistant.transfer.fit import PracticeFit, TransferAdvisor

MAX_PER_NEED = 3
MAX_SIMILAR = 3
MAX_CONDITION_QUESTIONS = 2

_STAFF = re.compile(
    r"\b(staff|team|employ\w*|person-years|experts?|mentors?|coordinators?|nurses|doctors|trainers|"
    r"volunteers?|human resources|full-time|FTE|managers?|advisers|consultants)\b",
    re.IGNORECASE,
)
_PARTNERS = re.compile(
    r"\b(partners?|partnerships?|cooperat\w+|together with|agreements?|stakeholders|run by|managed by|"
    r"financed by|funded by|co-financed|co-funded|supported by|works with|with the)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(years?|months?|weeks?|phases?|since|from \d{4}|until|took|delayed|launched|started|founded|"
    r"established|set up|pilot)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Statement:
    """One line of a briefing. `quoted`: the text is the documents' own (and then cited)."""

    text: str
    citations: tuple[Citation, ...] = ()
    label: str | None = None  # "Money", "Staff", a verdict...
    quoted: bool = True

    def markers(self) -> str:
        return "".join(f"[{c.n}]" for c in self.citations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "text": self.text,
            "quoted": self.quoted,
            "citations": [c.n for c in self.citations],
        }


@dataclass
class BriefingSection:
    key: str
    title: str
    statements: list[Statement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "statements": [s.to_dict() for s in self.statements]}


@dataclass
class Briefing:
    practice_id: str
    title: str
    country: str | None
    region: str | None
    source: str
    profile: RegionProfile
    fit: PracticeFit
    sections: list[BriefingSection]
    references: list[Citation]
    generated: date = field(default_factory=date.today)

    def to_dict(self) -> dict[str, Any]:
        return {
            "practice_id": self.practice_id,
            "title": self.title,
            "country": self.country,
            "region": self.region,
            "source": self.source,
            "generated": self.generated.isoformat(),
            "profile": self.profile.to_dict(),
            "fit": self.fit.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "references": [c.to_dict() for c in self.references],
        }


class _Writer:
    """Adds cited sentences of one practice without repeating a sentence."""

    def __init__(self, reading: PracticeReading, citations: Citations) -> None:
        self.reading = reading
        self.citations = citations
        self.used: set[tuple[str, int]] = set()

    def quote(self, sentence: Sentence, label: str | None = None, *, again: bool = False) -> Statement | None:
        key = (self.reading.practice.id, sentence.start)
        if key in self.used and not again:
            return None
        self.used.add(key)
        citation = self.citations.cite(self.reading.practice, sentence.section, sentence.start, sentence.end)
        return Statement(self.reading.text(sentence), (citation,), label)

    def quotes(self, sentences: list[Sentence], label: str | None, limit: int) -> list[Statement]:
        out: list[Statement] = []
        for sentence in sentences:
            statement = self.quote(sentence, label)
            if statement:
                out.append(statement)
            if len(out) >= limit:
                break
        return out


def _reason_statement(reason: Reason) -> Statement:
    label = f"{reason.label}: {reason.verdict}"
    if reason.citation is None:
        return Statement(reason.text, (), label, quoted=False)
    return Statement(reason.text, (reason.citation,), label, quoted=True)


def _fact_sentences(reading: PracticeReading, kinds: set[str]) -> list[Sentence]:
    found = []
    for fact in reading.facts:
        if fact.kind in kinds and fact.start is not None and fact.origin == "text":
            sentence = reading.sentence_at(fact.start)
            if sentence and sentence not in found:
                found.append(sentence)
    return found


def _matching(
    reading: PracticeReading, pattern: re.Pattern[str], sections: tuple[str, ...]
) -> list[Sentence]:
    text = reading.practice.text
    return [
        s
        for name in sections
        for s in reading.in_section(name)
        if pattern.search(text, s.start, s.end) and not s.section.lower().startswith("good practice owner")
    ]


def _needs(writer: _Writer, reading: PracticeReading) -> tuple[BriefingSection, dict[str, bool]]:
    section = BriefingSection("needs", "What it needs")
    found: dict[str, bool] = {}
    cost_sentences = [c.sentence for c in reading.costs]
    groups = {
        "Money": sorted(set(cost_sentences), key=lambda s: (s.section != RESOURCES, s.start)),
        "Staff": _fact_sentences(reading, {"staff"}) + _matching(reading, _STAFF, (RESOURCES,)),
        "Partners": _fact_sentences(reading, {"funding_source"})
        + _matching(reading, _PARTNERS, (RESOURCES, ABOUT)),
        "Time": _fact_sentences(reading, {"duration", "start_year"})
        + _matching(reading, _TIME, (RESOURCES,)),
    }
    for label, sentences in groups.items():
        quotes = writer.quotes(sentences, label, MAX_PER_NEED)
        found[label] = bool(quotes) or any((reading.practice.id, s.start) in writer.used for s in sentences)
        if quotes:
            section.statements += quotes
        elif not found[label]:
            section.statements.append(Statement("Not stated in the documents.", (), label, quoted=False))
    return section, found


def _questions(
    reading: PracticeReading,
    fit: PracticeFit,
    profile: RegionProfile,
    found: dict[str, bool],
    citations: Citations,
) -> BriefingSection:
    """Questions for the owner, from what the documents leave open."""
    section = BriefingSection("questions", "Questions to ask the owner")
    practice = reading.practice

    def ask(text: str, sentence: Sentence | None = None) -> None:
        cited = (
            (citations.cite(practice, sentence.section, sentence.start, sentence.end),) if sentence else ()
        )
        section.statements.append(Statement(text, cited, None, quoted=False))

    gaps = {topic: sentence for sentence, topic in reversed(reading.gaps)}
    if not reading.costs:
        ask("What did it cost per year to run, and who paid for it?", gaps.get("budget"))
    else:
        for cost in reading.costs:
            if cost.fact.currency is None:
                ask(f"In which currency is {cost.fact.text!r}, and what does it cover?", cost.sentence)
                break
        if not any(c.per_year or c.years for c in reading.costs if not c.grant):
            first = next((c for c in reading.costs if not c.grant), reading.costs[0])
            fact = first.fact
            start = fact.match_start if fact.match_start is not None else fact.start
            end = fact.match_end if fact.match_end is not None else fact.end
            written = practice.text[start:end] if start is not None and end is not None else fact.text
            ask(f"Is {written!r} a yearly amount or a total, and over how many years?", first.sentence)
    if not found.get("Staff"):
        ask("How many staff (full-time equivalents) run it, and with which skills?", gaps.get("staff"))
    if not found.get("Time"):
        ask("How long did it take from the decision to the first results?")
    evidence = next((r for r in fit.reasons if r.criterion == "evidence"), None)
    if evidence is None or evidence.verdict != FITS:
        negative = reading.evidence.negatives[0][0] if reading.evidence.negatives else gaps.get("results")
        ask("Which measured results (figures, evaluations) show that it works?", negative)
    asked = 0
    for reason in fit.reasons:
        if reason.criterion == "preconditions" and reason.citation and "not in your profile" in reason.text:
            missing = [s for s in reason.stated if f"{s!r} (not in your profile)" in reason.text][:1]
            sentence = reading.sentence_at(reason.citation.start)
            for item in missing[: MAX_CONDITION_QUESTIONS - asked]:
                ask(f"Could it work without {item!r}, and what could replace it?", sentence)
                asked += 1
    place = next(
        (r for r in fit.reasons if r.criterion == "region" and r.verdict in (NO_FIT, NOT_STATED)), None
    )
    if profile.region_type and place is not None:
        ask(f"Has it been tried in a {profile.region_type} region, and what had to change there?")
    country = practice.metadata.get("country")
    if profile.country and country and country != profile.country:
        ask(f"Which national rules or funding in {country} did it depend on?")
    ask("What would you do differently if you started again?")
    return section


def _owner(writer: _Writer, reading: PracticeReading) -> BriefingSection:
    section = BriefingSection("owner", "The owner to contact")
    owner = next((f for f in reading.facts if f.kind == "owner" and f.start is not None), None)
    sentences = [s for s in reading.in_section(OWNER) if not re.match(r"You can contact", reading.text(s))]
    if owner is not None:
        sentence = reading.sentence_at(owner.start or 0)
        if sentence and sentence not in sentences:
            sentences.insert(0, sentence)
    section.statements += writer.quotes(sentences, None, 3)
    if not section.statements:
        section.statements.append(
            Statement("The documents name no owner or contact.", (), None, quoted=False)
        )
    return section


def _similar(advisor: TransferAdvisor, practice: Practice, citations: Citations) -> BriefingSection:
    section = BriefingSection("similar", "Similar practices elsewhere")
    for similar in advisor.catalog.similar(practice.id, k=MAX_SIMILAR, per_country=1):
        other = advisor.store.get_practice(similar.practice_id)
        if other is None:
            continue
        reading = advisor.reading(other)
        first = next(iter(reading.in_section(ABOUT)), None) or next(iter(reading.sentences), None)
        if first is None:
            continue
        citation = citations.cite(other, first.section, first.start, first.end)
        where = ", ".join(x for x in (similar.country, similar.region) if x)
        section.statements.append(
            Statement(reading.text(first), (citation,), f"{similar.title}" + (f" ({where})" if where else ""))
        )
    if not section.statements:
        section.statements.append(Statement("No similar practice is stored.", (), None, quoted=False))
    return section


def _profile_section(profile: RegionProfile, advisor: TransferAdvisor) -> BriefingSection:
    section = BriefingSection("profile", "The importing region")
    for label, value in profile.describe():
        section.statements.append(Statement(value, (), label, quoted=False))
    budget = advisor.budget_of(profile)
    if budget is not None and budget.conversion.rate_date is not None:
        section.statements.append(
            Statement(
                f"{budget.display()} at the ECB reference rate of {budget.conversion.rate_date.isoformat()}",
                (),
                "Budget in EUR",
                quoted=False,
            )
        )
    if not section.statements:
        section.statements.append(Statement("No profile was given.", (), None, quoted=False))
    return section


def briefing(
    advisor: TransferAdvisor, profile: RegionProfile | Mapping[str, Any], practice_ref: str
) -> Briefing:
    """The transfer-workshop briefing of one practice (by id or title fragment) for a profile.

    Raises InvalidQuestion / UnknownPractice.
    """
    return build_briefing(advisor, parse_profile(profile), advisor.catalog.resolve(practice_ref))


def build_briefing(advisor: TransferAdvisor, profile: RegionProfile, practice: Practice) -> Briefing:
    """The briefing of one practice for one profile; its citations numbered in reading order."""
    citations = Citations()
    reading = advisor.reading(practice)
    sections = [_profile_section(profile, advisor)]
    # the fit reasons come first in the numbering, as the reader meets them first
    fit = advisor.fit_of(profile, practice, citations)
    sections.append(
        BriefingSection(
            "fit",
            f"How it fits your region (score {fit.score:.2f})",
            [_reason_statement(r) for r in fit.reasons],
        )
    )
    writer = _Writer(reading, citations)
    brief = BriefingSection("practice", "The practice in brief")
    brief.statements += writer.quotes(reading.in_section(ABOUT)[:2], None, 2)
    brief.statements += writer.quotes(_fact_sentences(reading, {"start_year"}), "Started", 1)
    sections.append(brief)
    needs, found = _needs(writer, reading)
    sections.append(needs)
    evidence = BriefingSection("evidence", "Its evidence")
    evidence.statements += writer.quotes([s for s, _ in reading.evidence.figures], "Measured", 4)
    evidence.statements += writer.quotes(reading.evidence.evaluations, "Evaluated", 2)
    evidence.statements += writer.quotes([s for s, _ in reading.evidence.negatives], "Gap", 1)
    if not evidence.statements:
        evidence.statements += writer.quotes(reading.evidence.statements, None, 2) or [
            Statement("The documents give no evidence of success.", (), None, quoted=False)
        ]
    sections.append(evidence)
    conditions = BriefingSection("conditions", "Conditions and risks for transfer")
    ordered = sorted(reading.conditions, key=lambda c: (c.sentence.section != TRANSFER, c.sentence.start))
    conditions.statements += writer.quotes([c.sentence for c in ordered], "Condition", 4)
    conditions.statements += writer.quotes(reading.risks, "Risk", 4)
    if not conditions.statements:
        conditions.statements.append(
            Statement("The documents state no condition or risk for transfer.", (), None, quoted=False)
        )
    sections.append(conditions)
    sections.append(_questions(reading, fit, profile, found, citations))
    sections.append(_owner(writer, reading))
    sections.append(_similar(advisor, practice, citations))
    return Briefing(
        practice.id,
        practice.title,
        practice.metadata.get("country"),
        practice.metadata.get("region"),
        practice.source,
        profile,
        fit,
        sections,
        citations.items,
    )
