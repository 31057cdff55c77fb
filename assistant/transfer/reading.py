"""What a practice's document says that matters for a transfer, sentence by sentence.

From the template's sections and the key facts: what it costs (per year or in total), what a
region must have (conditions in "Potential for learning or transfer" and "Resources needed"),
how large the place was (inhabitants), how strong its evidence is (measured figures vs
statements), which kinds of place it names (rural, urban, island...), what the documents say
they do not state, and what went wrong. Every item keeps its offsets in `Practice.text`, so
it can be cited. Patterns of English and of the template only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.practices.facts.model import Fact
from assistant.transfer.places import region_types_in
from assistant.types import Practice
from assistant.vocabulary import NUMBER_WORDS, content_terms, sentence_spans

ABOUT = "About this good practice"
RESOURCES = "Resources needed"
EVIDENCE = "Evidence of success"
TRANSFER = "Potential for learning or transfer"
OWNER = "Good practice owner"
FURTHER = "Further information"
NOT_CONTENT = {FURTHER.lower(), OWNER.lower()}

Span = tuple[int, int]


@dataclass(frozen=True)
class Sentence:
    section: str
    start: int
    end: int


@dataclass(frozen=True)
class Cost:
    """A budget or grant fact, with the period it covers as the sentence states it."""

    fact: Fact
    sentence: Sentence
    per_year: bool | None  # True: a yearly amount; False: a total; None: the text does not say
    years: float | None  # the length a total covers, when stated
    year: int | None  # the year the figure refers to (for the exchange rate), when stated
    period_text: str | None  # the words that state the period, as written

    @property
    def grant(self) -> bool:
        return self.fact.kind == "grant"


@dataclass(frozen=True)
class Condition:
    """A sentence that says what a region must have, and its condition phrases."""

    sentence: Sentence
    items: tuple[Span, ...]  # the condition phrases (absolute offsets)
    region_types: tuple[tuple[str, int, int], ...]  # kinds of place it names


@dataclass(frozen=True)
class Figure:
    """A measured figure in a sentence: the number and the words that say what it counts."""

    start: int
    end: int


@dataclass
class EvidenceReading:
    present: bool = False
    figures: list[tuple[Sentence, list[Figure]]] = field(default_factory=list)
    statements: list[Sentence] = field(default_factory=list)
    evaluations: list[Sentence] = field(default_factory=list)  # "an impact assessment found..."
    negatives: list[tuple[Sentence, Span]] = field(default_factory=list)  # "no formal impact evaluation"


@dataclass
class PracticeReading:
    practice: Practice
    facts: list[Fact]
    sentences: list[Sentence]
    costs: list[Cost]
    conditions: list[Condition]
    populations: list[tuple[Sentence, int, Span]]  # (sentence, inhabitants, span of the figure)
    evidence: EvidenceReading
    places: list[tuple[str, Sentence, Span]]  # (region type, sentence, span of the word)
    gaps: list[tuple[Sentence, str]]  # sentences saying what the source does not give, and what
    risks: list[Sentence]

    def in_section(self, name: str) -> list[Sentence]:
        return [s for s in self.sentences if s.section.lower() == name.lower()]

    def text(self, span: Sentence | Span) -> str:
        start, end = (span.start, span.end) if isinstance(span, Sentence) else span
        return self.practice.text[start:end]

    def sentence_at(self, offset: int) -> Sentence | None:
        return next((s for s in self.sentences if s.start <= offset < s.end), None)


# -- patterns -------------------------------------------------------------------------------------

_YEAR = r"(?:19|20)\d\d"
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"spring|summer|autumn|winter)"
)
_COUNT = r"\d{1,2}|" + "|".join(w for w, n in NUMBER_WORDS.items() if 2 <= n <= 50 and " " not in w)
_PER_YEAR = re.compile(
    r"\b(?:per\s+year|a\s+year|per\s+annum|annual|annually|yearly|each\s+year|every\s+year)\b", re.IGNORECASE
)
_OVER_YEARS = re.compile(
    rf"\b(?:over|in|for|lasting|during|across)\s+(?:a\s+project\s+lasting\s+)?(?:the\s+(?:first|next|last)\s+)?"
    rf"(?P<n>{_COUNT})[\s-]+years?\b|\b(?P<n2>{_COUNT})-year\b",
    re.IGNORECASE,
)
_DATE_RANGE = re.compile(
    rf"(?:(?P<m1>{_MONTH})\s+)?(?P<y1>{_YEAR})\s*(?:-|–|to|until)\s*(?:(?P<m2>{_MONTH})\s+)?(?P<y2>{_YEAR})\b",
    re.IGNORECASE,
)
_EDITION = re.compile(
    rf"\b(?:for|in)\s+the\s+{_YEAR}\s+(?:edition|annuity|call|round|budget|season)\b|"
    rf"\bthe\s+{_YEAR}\s+(?:edition|annuity)\b",
    re.IGNORECASE,
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
} | {"spring": 4, "summer": 7, "autumn": 10, "winter": 1}

# a sentence that says what a region must have or be (its cue, then the conditions)
_CONDITION_CUE = re.compile(
    r"\b(?:(?:main\s+)?transferable\s+(?:lessons|elements|features)\s+are|key\s+features?,?|requires?|required|requirements?\s+(?:are|is)|needs?|needed|must\s+(?:have|be|provide|find)|"
    r"key\s+conditions?\s+(?:are|is)|conditions?\s+(?:are|is)|provided\s+that|depends?\s+on|"
    r"relies\s+on|relied\s+on|prerequisites?\s+(?:are|is)|is\s+essential|were\s+essential|"
    r"the\s+key\s+is|is\s+the\s+key|works\s+best|suits?|relevant\s+for|useful\s+for|a\s+reference\s+for|"
    r"transferable\s+to|(?:can|could)\s+be\s+copied\s+(?:by|in)|easy\s+to\s+transfer\s+to|"
    r"(?:if|when)\s+it\s+builds\s+on|builds?\s+on|(?:a\s+)?good\s+practice\s+for|"
    r"for\s+(?:any\s+)?(?:regions?|areas?|cities|city-regions|destinations|municipalities)\s+(?:with|where|whose|that))\b",
    re.IGNORECASE,
)
_ITEM_SPLIT = re.compile(
    r"\s*(?:(?:[;:]|,(?!\d{3}))\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+as\s+well\s+as\s+|\s+plus\s+)"
)
_ITEM_LEAD = re.compile(
    r"^(?:(?:a|an|the|that|which|with|of|for|to|on|in|by|both|either|also|only|any|other|"
    r"regions?|areas?|cities|places|destinations|municipalities|where|whose|there\s+is|there\s+are)\s+)+",
    re.IGNORECASE,
)
_ITEM_STOP = re.compile(
    r"\s+(?:so\s+that|because|which|that|who|although|while|rather\s+than|instead\s+of|since)\b",
    re.IGNORECASE,
)
# "rural regions with large forests" -> the condition is "large forests"
_PLACE_WITH = re.compile(
    r"^(?:[\w-]+,?\s+){0,3}(?:regions?|areas?|cities|places|destinations|municipalities|towns|islands)\s+"
    r"(?:with|where|whose|that\s+have|that\s+has)\s+",
    re.IGNORECASE,
)
_POPULATION = re.compile(
    r"(?:about|around|some|roughly|approximately|nearly|almost|over|more\s+than)?\s*"
    r"(?P<num>\d{1,3}(?:[ ,\u00a0]\d{3})+|\d+(?:\.\d+)?)\s*(?P<mult>million|thousand)?\s+"
    r"(?:permanent\s+|registered\s+)?(?:inhabitants|residents)\b"
    r"|\bpopulation\s+of\s+(?:about\s+|around\s+|some\s+)?(?P<num2>\d{1,3}(?:[ ,\u00a0]\d{3})+|\d+(?:\.\d+)?)"
    r"\s*(?P<mult2>million|thousand)?",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"(?:EUR|GBP|USD|CZK|DKK|SEK|NOK|PLN|HUF|RON|€|£|\$)?\s?"
    r"(?<![\w.])(?P<num>\d{1,3}(?:[ ,\u00a0]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w])"
    r"(?:\s?(?:%|per\s?cent|percent|million|billion|thousand|km|kw|mw|gwh|mwh|tonnes|m2|m3|fold)\b|\s?%)?"
    r"(?:\s+(?!(?:of|the|a|an|in|and|to|for|on|at|by|with|from|or|is|are|was|were)\b)[A-Za-z][\w-]*)?",
    re.IGNORECASE,
)
_EVALUATION = re.compile(
    r"\b(?:evaluat\w+|impact\s+(?:study|assessment|analysis|evaluation)|survey\w*|audit\w*|"
    r"(?:an\s+)?analysis\s+by|study\s+(?:for|by|found)|independent\s+experts?|quantified|measured)\b",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:no\s+(?:formal\s+)?(?:impact\s+)?(?:evaluation|data|figures?|results?)(?:\s+data)?|"
    r"(?:does|do)\s+not\s+give|not\s+(?:given|stated|available|published))\b",
    re.IGNORECASE,
)
_GAP = re.compile(
    r"\b(?:(?:does|do)\s+not\s+(?:give|state|publish|include)|(?:is|are)\s+not\s+(?:given|stated|published|"
    r"available|known)|not\s+given\s+in|no\s+(?:formal\s+)?[\w\s]{0,40}?(?:is|are)\s+(?:published|available|given)|"
    r"no\s+(?:annual\s+)?(?:budget|staff|figures?|data)\b)",
    re.IGNORECASE,
)
GAP_TOPICS: dict[str, re.Pattern[str]] = {
    "budget": re.compile(r"\b(budget|cost|costs|funding|money|financ\w+|figures?|amount|value)\b", re.I),
    "staff": re.compile(r"\b(staff|employees|team|people|person|headcount)\b", re.I),
    "results": re.compile(r"\b(number|results?|evaluation|impact|grants?|vouchers?|awarded)\b", re.I),
}
_RISK = re.compile(
    r"\b(?:difficult\w*|obstacles?|risks?|barriers?|however|although|problems?|delay\w*|suspicious|"
    r"not\s+enough|too\s+small|weakness\w*|took\s+more\s+than|relied\s+on|must\s+find|moratorium|"
    r"withdrew|not\s+very\s+motivated|only\s+about\s+half|strict)\b",
    re.IGNORECASE,
)


# -- reading ------------------------------------------------------------------------------------


def read_practice(practice: Practice, facts: Sequence[Fact]) -> PracticeReading:
    """Everything the fit and the briefing need from one practice, with offsets."""
    sentences = [
        Sentence(section.name, a, b)
        for section in practice.sections
        for a, b in sentence_spans(practice.text, section.start, section.end)
    ]
    reading = PracticeReading(
        practice=practice,
        facts=list(facts),
        sentences=sentences,
        costs=[],
        conditions=[],
        populations=[],
        evidence=EvidenceReading(),
        places=[],
        gaps=[],
        risks=[],
    )
    reading.costs = _costs(reading)
    reading.conditions = _conditions(reading)
    reading.populations = _populations(reading)
    reading.evidence = _evidence(reading)
    reading.places = _places(reading)
    reading.gaps = _gaps(reading)
    reading.risks = [
        s
        for s in sentences
        if s.section.lower() not in NOT_CONTENT and _RISK.search(practice.text, s.start, s.end)
    ]
    return reading


def _years_between(match: re.Match[str]) -> float:
    y1, y2 = int(match.group("y1")), int(match.group("y2"))
    m1 = _MONTHS.get((match.group("m1") or "").lower())
    m2 = _MONTHS.get((match.group("m2") or "").lower())
    if m1 and m2:
        return max(1.0, round((y2 - y1) + (m2 - m1 + 1) / 12, 1))
    return float(max(1, y2 - y1 + (1 if y2 - y1 <= 1 else 0)))


def _count(raw: str) -> float:
    return float(raw) if raw.isdigit() else float(NUMBER_WORDS[raw.lower()])


def cost_period(text: str, sentence: Sentence, fact: Fact) -> tuple[bool | None, float | None, str | None]:
    """(per_year, years, the words that say so) for a money fact, from its period and the words
    around it in its sentence (nearest first)."""
    period = (fact.period or "").lower()
    if period:
        years = _OVER_YEARS.search(period)
        n = (years.group("n") or years.group("n2")) if years else None
        if re.search(r"\bper year\b|\ba year\b|annual", period):
            return True, _count(n) if n else None, fact.period
        if n:
            return False, _count(n), fact.period
    lo = fact.match_start if fact.match_start is not None else sentence.start
    hi = fact.match_end if fact.match_end is not None else sentence.end
    after = text[hi : min(sentence.end, hi + 60)]
    before = text[max(sentence.start, lo - 50) : lo]
    for window in (after, before):
        # a sentence break inside the window (e.g. after ')') is not ours
        per_year = _PER_YEAR.search(window)
        if per_year and not re.search(r"\b(?:turnover|sales|revenue)\b", window, re.IGNORECASE):
            return True, None, per_year.group(0)
    whole = text[sentence.start : sentence.end]
    edition = _EDITION.search(whole)
    if edition:
        return True, None, edition.group(0)
    for window in (after, before, whole):
        years = _OVER_YEARS.search(window)
        if years:
            return False, _count(years.group("n") or years.group("n2")), years.group(0)
        dates = _DATE_RANGE.search(window)
        if dates:
            return False, _years_between(dates), dates.group(0)
    return None, None, None


def _costs(reading: PracticeReading) -> list[Cost]:
    text = reading.practice.text
    costs: list[Cost] = []
    for fact in reading.facts:
        if fact.kind not in ("budget", "grant") or fact.origin != "text" or fact.start is None:
            continue
        sentence = reading.sentence_at(fact.match_start if fact.match_start is not None else fact.start)
        if sentence is None:
            continue
        per_year, years, words = cost_period(text, sentence, fact)
        stated_year = re.findall(rf"\b({_YEAR})\b", text[sentence.start : sentence.end])
        costs.append(
            Cost(fact, sentence, per_year, years, int(stated_year[-1]) if stated_year else None, words)
        )
    return costs


def _items(text: str, start: int, end: int) -> list[Span]:
    """Condition phrases in text[start:end]: split at commas and 'and'/'or', function words off."""
    tail = text[start:end]
    stop = _ITEM_STOP.search(tail)
    if stop:
        tail = tail[: stop.start()]
    items: list[Span] = []
    position = 0
    for piece in _ITEM_SPLIT.split(tail):
        offset = tail.find(piece, position)
        position = offset + len(piece)
        stripped = piece.lstrip(" (")
        offset, piece = offset + len(piece) - len(stripped), stripped
        for pattern in (_ITEM_LEAD, _PLACE_WITH, _ITEM_LEAD):
            lead = pattern.match(piece)
            if lead:
                offset, piece = offset + lead.end(), piece[lead.end() :]
        if piece.count("(") > piece.count(")"):
            piece = piece[: piece.index("(")]  # "policy support (grid access" -> "policy support"
        piece = piece.rstrip(" .;:)(")
        words = piece.split()
        if len(words) > 10:
            piece = " ".join(words[:10])
        if not piece or not content_terms(piece):
            continue
        items.append((start + offset, start + offset + len(piece)))
    return items


def _conditions(reading: PracticeReading) -> list[Condition]:
    text = reading.practice.text
    found: list[Condition] = []
    for sentence in reading.sentences:
        if sentence.section.lower() not in (TRANSFER.lower(), RESOURCES.lower()):
            continue
        cue = _CONDITION_CUE.search(text, sentence.start, sentence.end)
        if cue is None:
            continue
        items = _items(text, cue.end(), sentence.end)
        if not items:
            continue
        places = tuple(
            (kind, cue.end() + a, cue.end() + b)
            for kind, a, b in region_types_in(text[cue.end() : sentence.end])
        )
        found.append(Condition(sentence, tuple(items), places))
    return found


def _populations(reading: PracticeReading) -> list[tuple[Sentence, int, Span]]:
    text = reading.practice.text
    found = []
    for sentence in reading.in_section(ABOUT):  # the place the practice comes from, not its results
        for match in _POPULATION.finditer(text, sentence.start, sentence.end):
            if re.search(r"\bper\s*$", text[max(sentence.start, match.start() - 5) : match.start()]):
                continue
            raw = match.group("num") or match.group("num2")
            mult = (match.group("mult") or match.group("mult2") or "").lower()
            value = float(re.sub(r"[ ,\u00a0]", "", raw)) * {"million": 1e6, "thousand": 1e3}.get(mult, 1)
            if value >= 50:
                span = (match.start() + len(match.group(0)) - len(match.group(0).lstrip()), match.end())
                found.append((sentence, int(value), span))
    return found


def figures_in(text: str, start: int, end: int) -> list[Figure]:
    """Measured figures in text[start:end]: numbers with what they count, not years or dates."""
    figures = []
    for match in _FIGURE.finditer(text, start, end):
        raw = match.group("num")
        after = text[match.end("num") : match.end("num") + 12]
        before = text[max(start, match.start("num") - 12) : match.start("num")]
        if re.fullmatch(_YEAR, raw) and not re.match(r"\s?(?:%|people|members|companies)", after):
            continue  # a year
        if re.match(rf"\s?{_MONTH}\b", after, re.IGNORECASE) or re.search(rf"{_MONTH}\s?$", before, re.I):
            continue  # a date
        if re.match(r"(?:st|nd|rd|th)\b", after):
            continue
        figures.append(Figure(match.start(), match.end()))
    return figures


def _evidence(reading: PracticeReading) -> EvidenceReading:
    text = reading.practice.text
    section = reading.practice.section(EVIDENCE)
    result = EvidenceReading(present=section is not None and bool(section.text.strip()))
    for sentence in reading.in_section(EVIDENCE):
        negative = _NEGATIVE.search(text, sentence.start, sentence.end)
        if negative:
            result.negatives.append((sentence, negative.span()))
        figures = figures_in(text, sentence.start, sentence.end)
        if figures and not negative:
            result.figures.append((sentence, figures))
        elif not negative:
            result.statements.append(sentence)
        if _EVALUATION.search(text, sentence.start, sentence.end) and not negative:
            result.evaluations.append(sentence)
    return result


def _places(reading: PracticeReading) -> list[tuple[str, Sentence, Span]]:
    text = reading.practice.text
    found = []
    for sentence in reading.sentences:
        if sentence.section.lower() in NOT_CONTENT:
            continue
        for kind, a, b in region_types_in(text[sentence.start : sentence.end]):
            found.append((kind, sentence, (sentence.start + a, sentence.start + b)))
    return found


def _gaps(reading: PracticeReading) -> list[tuple[Sentence, str]]:
    text = reading.practice.text
    found = []
    for sentence in reading.sentences:
        if sentence.section.lower() in NOT_CONTENT:
            continue
        words = text[sentence.start : sentence.end]
        if not _GAP.search(words):
            continue
        for topic, pattern in GAP_TOPICS.items():
            if pattern.search(words):
                found.append((sentence, topic))
    return found
