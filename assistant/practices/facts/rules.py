"""Key facts of a practice, extracted by rules and patterns (no model): start year, money, staff,
member and beneficiary counts, duration, funding source, results, owner, country and region.

`extract_facts` reads the practice sentence by sentence: the lexer (numbers.py) finds the
numbers, then each is given a kind here (years, durations), in money.py or in counts.py;
funding.py names the funding sources. The rules are deliberately conservative and were written
against the hand-labelled set in tests/assistant/practices/facts_gold.jsonl; `benchmarks/facts_eval.py`
measures them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.practices.facts.counts import read_count
from assistant.practices.facts.funding import funding_sources
from assistant.practices.facts.model import COUNT_KINDS, MONEY_KINDS, Fact
from assistant.practices.facts.money import is_money, read_money
from assistant.practices.facts.numbers import WINDOW, Mention, find_mentions
from assistant.types import Practice
from assistant.vocabulary import MONTHS, sentence_spans

# a start cue ("founded", "launched") this close to a year makes it the start year (in characters)
START_CUE_REACH = 70
# a year range ending before this is not a range of years ("2014-15" is read as 2014 to 15)
EARLIEST_RANGE_END = 1900
OWNER_SECTION = "Good practice owner"

_SKIP_SECTIONS = {"further information"}
_SKIP_LINES = ("source:", "organisation:", "organization:")
_OWNER_LINE = re.compile(
    r"^[ \t]*Organi[sz]ation[ \t]*:[ \t]*(?P<value>\S[^\n]*?)[ \t]*$", re.IGNORECASE | re.MULTILINE
)
_START_CUE = re.compile(
    r"\b(founded|established|set up|created|launched|started|began|begun|introduced|incorporated|"
    r"adopted|inaugurated|opened|opening|first presented|ran from|was born|kicked off|pilot phase|"
    r"since|formed|initiated|dates back|came into (being|force|operation))\b",
    re.IGNORECASE,
)
# words that make a number next to them part of a date ("March 2015", "mid 2016", "12 June")
_DATE_WORDS = (*MONTHS, "spring", "summer", "autumn", "winter", "mid")
_DATE_NEIGHBOUR = re.compile(r"^\s*(" + "|".join(_DATE_WORDS) + r")\b", re.IGNORECASE)
_DATE_BEFORE = re.compile(r"\b(" + "|".join(_DATE_WORDS) + r")\s*$", re.IGNORECASE)
_PERCENT = re.compile(r"^\s?(%|per ?cent|percent|percentage points)", re.IGNORECASE)
# a capitalised word right before a number names a thing ("Model 4", "FP6", "Horizon 2020") ...
_NAME_BEFORE = re.compile(r"[A-Za-z]\s?$")
# ... unless it is a capitalised function word that starts a sentence
_CAPITALISED_FUNCTION_WORD = re.compile(
    r"\b(In|By|From|To|Of|At|With|And|The|Some|About|Around|Over|Only|All|Than|Nearly|Almost)\s?$"
)
_NOT_A_COUNT_AFTER = re.compile(
    r"^\s?((?:st|nd|rd|th|am|pm)\b|:\d|x\b|/|\.\d|-year-old|years? old|hours?|minutes?|days?|"
    r"weeks?|months?|years?|km/h|decades?|centur)",
    re.IGNORECASE,
)
_DURATION = re.compile(r"^\s?-?\s?(?P<unit>years?|months?|weeks?|days?)\b", re.IGNORECASE)
MONTHS_PER_UNIT = {"year": 12, "month": 1, "week": 12 / 52, "day": 12 / 365}  # durations are in months
_DURATION_BEFORE = re.compile(
    r"\b(for|lasting|lasts|lasted|last|took|takes|spans|spanned|in|during)\s+"
    r"(up to\s+|a maximum of\s+|at least\s+)?$",
    re.IGNORECASE,
)
_DURATION_VETO_BEFORE = re.compile(
    r"\b(within|first|last|previous|past|next|valid for)\s+(\w+\s+)?$|"
    # "no traffic deaths for 13 years": how long something has not happened
    r"\b(no|not|never|without)\b[^.;,]*\bfor\s+$",
    re.IGNORECASE,
)
_DURATION_VETO_AFTER = re.compile(
    r"^\s?-?\s?(years?|months?)\s+(old|ago|later|earlier|before|after)\b", re.IGNORECASE
)


def extract_facts(practice: Practice) -> list[Fact]:
    """All key facts of a practice, in document order (metadata facts last). Never raises."""
    facts: list[Fact] = []
    text = practice.text
    start_years: list[Fact] = []
    for section, s_start, s_end in _sentences(practice):
        if section.lower() in _SKIP_SECTIONS:
            continue
        if text[s_start:s_end].lstrip().lower().startswith(_SKIP_LINES):
            continue
        mentions = find_mentions(text, s_start, s_end)
        where = _Sentence(text, section, s_start, s_end)
        previous_count: Mention | None = None
        previous_money: Mention | None = None
        for mention in mentions:
            fact = _classify(where, mention, previous_count, previous_money)
            if fact is None:
                continue
            if fact.kind in COUNT_KINDS:
                previous_count = mention
            if fact.kind in MONEY_KINDS:
                mention.kind = fact.kind
                previous_money = mention
            if fact.kind == "start_year":
                start_years.append(fact)
            else:
                facts.append(fact)
        facts.extend(funding_sources(text, section, s_start, s_end, mentions))
    if start_years:
        facts.append(min(start_years, key=lambda f: (int(f.value), f.start or 0)))
    facts.extend(_owner_facts(practice))
    facts.extend(_metadata_facts(practice))
    return _dedupe(facts)


@dataclass(frozen=True)
class _Sentence:
    """Where a number stands: the practice text, the section and the sentence's offsets."""

    text: str
    section: str
    start: int
    end: int


def _classify(
    where: _Sentence, m: Mention, previous: Mention | None, previous_money: Mention | None
) -> Fact | None:
    """The fact a number states, or None. `previous` / `previous_money`: the sentence's last count
    and last money figure, whose role a number restating them takes."""
    lo = max(where.start, m.start - WINDOW)  # the part of the sentence the rules look at
    sentence = where.text[lo : min(where.end, m.end + WINDOW)]
    if m.is_year:
        return _start_year(
            where, m, sentence[max(0, m.start - lo - START_CUE_REACH) : m.end - lo + START_CUE_REACH]
        )
    if is_money(m, sentence):
        money = read_money(m, where.section, previous_money)
        return _fact(where, m, money.kind, m.value, match_end=money.match_end, period=money.period)
    if _PERCENT.match(m.after) or _DATE_NEIGHBOUR.match(m.after) or _DATE_BEFORE.search(m.before):
        return None
    if _follows_a_name(m):
        return None
    if _DURATION.match(m.after):
        return _duration(where, m)
    if _NOT_A_COUNT_AFTER.match(m.after):
        return None
    count = read_count(where.section, sentence, lo, m, previous)
    if count is None:
        return None
    return _fact(where, m, count.kind, count.value, match_end=count.match_end, subject=count.subject)


def _fact(
    where: _Sentence,
    m: Mention,
    kind: str,
    value: float | int,
    *,
    match_end: int | None = None,
    value_max: float | None = None,
    **extra: Any,
) -> Fact:
    """A fact from a number: its words run from its qualifier ("about") to match_end."""
    q_start = m.qualifier_start if m.qualifier_start is not None else m.start
    end = match_end if match_end is not None else m.end
    return Fact(
        kind=kind,
        value=value,
        text=where.text[q_start:end],
        section=where.section,
        start=where.start,
        end=where.end,
        match_start=q_start,
        match_end=end,
        value_max=value_max if value_max is not None else m.value_max,
        currency=m.currency,
        qualifier=m.qualifier,
        **extra,
    )


def _start_year(where: _Sentence, m: Mention, window: str) -> Fact | None:
    """A year is the start year when a start cue is in `window` around it; never a count."""
    if m.value_max is not None and m.value_max < EARLIEST_RANGE_END:
        return None
    if _START_CUE.search(window):
        return _fact(where, m, "start_year", int(m.value))
    return None


def _follows_a_name(m: Mention) -> bool:
    """'Model 4', 'FP6', 'Horizon 2020': a digit number right after a capitalised word."""
    before = m.before
    return bool(
        _NAME_BEFORE.search(before)
        and before.rstrip().split(" ")[-1][:1].isupper()
        and not m.is_word
        and not _CAPITALISED_FUNCTION_WORD.search(before)
    )


def _duration(where: _Sentence, m: Mention) -> Fact | None:
    """'for 3 years', '6-month', 'two to three years': a length of time, in months."""
    unit = _DURATION.match(m.after)
    assert unit is not None
    if _DURATION_VETO_BEFORE.search(m.before) or _DURATION_VETO_AFTER.match(m.after):
        return None
    if not (_DURATION_BEFORE.search(m.before) or re.match(r"^-", m.after) or m.value_max is not None):
        return None
    months = MONTHS_PER_UNIT[unit.group("unit").lower().rstrip("s")]
    upper = round(m.value_max * months, 2) if m.value_max is not None else None
    return _fact(
        where, m, "duration", round(m.value * months, 2), match_end=m.end + unit.end(), value_max=upper
    )


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per (kind, value, currency, sentence); document order."""
    seen: set[tuple[Any, ...]] = set()
    result: list[Fact] = []
    for fact in sorted(
        facts, key=lambda f: (f.origin != "text", f.start if f.start is not None else 1 << 30)
    ):
        key = (fact.kind, fact.value, fact.currency, fact.start)
        if key in seen:
            continue
        seen.add(key)
        result.append(fact)
    return result


def _sentences(practice: Practice) -> Iterable[tuple[str, int, int]]:
    for section in practice.sections:
        for start, end in sentence_spans(practice.text, section.start, section.end):
            yield section.name, start, end


# -- owner, country and region -------------------------------------------------------------------


def _owner_facts(practice: Practice) -> list[Fact]:
    """The 'Organisation:' line, preferably the one under the owner section."""
    owner_section = practice.section(OWNER_SECTION)
    lo, hi = (owner_section.start, owner_section.end) if owner_section else (0, len(practice.text))
    match = _OWNER_LINE.search(practice.text, lo, hi) or _OWNER_LINE.search(practice.text)
    if not match:
        return []
    value = match.group("value")
    return [
        Fact(
            kind="owner",
            value=value,
            text=value,
            section=_section_at(practice, match.start()),
            start=match.start(),
            end=match.end(),
            match_start=match.start("value"),
            match_end=match.end("value"),
        )
    ]


def _section_at(practice: Practice, offset: int) -> str:
    for section in practice.sections:
        if section.start <= offset < section.end:
            return section.name
    return practice.sections[-1].name if practice.sections else ""


def _metadata_facts(practice: Practice) -> list[Fact]:
    """Country and region from metadata, pointed at a mention in the text when there is one."""
    facts = []
    for key in ("country", "region"):
        value = practice.metadata.get(key)
        if not value:
            continue
        where = _mention_of(practice, value)
        if where is None:
            facts.append(
                Fact(
                    kind=key,
                    value=value,
                    text=value,
                    section="metadata",
                    start=None,
                    end=None,
                    origin="metadata",
                )
            )
            continue
        sentence = next(((a, b) for a, b in sentence_spans(practice.text) if a <= where[0] < b), where)
        facts.append(
            Fact(
                kind=key,
                value=value,
                text=practice.text[where[0] : where[1]],
                section=_section_at(practice, where[0]),
                start=sentence[0],
                end=sentence[1],
                match_start=where[0],
                match_end=where[1],
            )
        )
    return facts


def _mention_of(practice: Practice, value: str) -> tuple[int, int] | None:
    """Where the text names a metadata value: in the owner line, else its first mention."""
    text = practice.text
    owner = _OWNER_LINE.search(text)
    if owner:
        index = text.find(value, owner.start("value"), owner.end("value"))
        if index >= 0:
            return index, index + len(value)
    first = practice.sections[0].start if practice.sections else 0
    found = re.compile(r"\b" + re.escape(value) + r"\b", re.IGNORECASE).search(text, first)
    return (found.start(), found.end()) if found else None
