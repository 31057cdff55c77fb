"""Figures of a practice for the measure a question asks about (assistant.engines.measures), and
where each practice's figure for it is said.

A practice's figures for a measure come
from its key facts (kind by kind) and, where no key fact gives it, from its sentences: money
with its currency and multiplier ("€1.2m", "EUR 1,5 million"), quantities with a unit (MW, GWh,
m2, hectares, km, tonnes, %), years after a start word, and counts of the asked thing ("3,010
business-to-business meetings"). Every figure keeps its sentence, to be cited.

Key facts are checked against their sentence before use: a price of one item ("per vehicle") is
not a budget, and a start year of operations ("started producing electricity") gives way to an
earlier year at which the initiative began.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.engines.index import Entry, Sentence
from assistant.engines.lexicon import CONCEPTS, expand
from assistant.engines.measures import (
    BASE_SCALE,
    BENEFICIARIES,
    COUNT,
    CURRENCY_WORDS,
    DURATION,
    MEASURE_WORDS,
    MEMBERS,
    MONEY,
    MONEY_RE,
    NUM,
    STAFF,
    YEAR,
    YEAR_RE,
    Measure,
    multiplier,
    parse_number,
)
from assistant.practices.facts.model import Fact
from assistant.practices.facts.numbers import CURRENCIES
from assistant.vocabulary import FAMILY_WORDS, NUMBER_WORDS, QUANTITY_RE, UNITS, has_prefix, stem, stems

_COUNT = re.compile(
    r"(?<![\w.,€£$-])(?P<num>" + NUM + r"|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?P<mult>\s(?:thousand|million))?\s+(?P<noun>(?:[\w'’&-]+\s+){0,4}[\w'’&-]+)",
    re.IGNORECASE,
)

_QUALIFIER = re.compile(
    r"(more than|over|above|in excess of|well over|almost|nearly|close to|approximately|around|about|"
    r"roughly|some|an estimated|up to|at most|a maximum of|at least|a minimum of|less than|fewer than|"
    r"under|below)\s+$",
    re.IGNORECASE,
)

_PER_UNIT = re.compile(
    r"^\s*(each|apiece|per (?!year|annum|month|day|week)\w+"
    r"|a (?!year|month)(company|firm|project|person|head)"
    r"|for each|to each)\b",
    re.IGNORECASE,
)

_START_CUE = re.compile(
    r"\b(founded|established|set up|created|launched|started|began|begun|introduced|incorporated|"
    r"inaugurated|initiated|commissioned|kicked off|was born|came into being|since|adopted|"
    r"developed|designed|conceived)\b"
    # a sentence that opens with the full date of what it says ("On 1 January 2013 Tallinn became
    # the first capital to offer free public transport")
    r"|^\W*on \d{1,2}(?:st|nd|rd|th)? (?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december) (?:19|20)\d\d\b",
    re.IGNORECASE,
)

_OPERATIONS = re.compile(
    r"\b(started|began|begun|start)\s+(producing|operating|operations|generating|running|to operate)\b"
    r"|\b(operating|operational|in operation) since\b|\bofficially opened\b",
    re.IGNORECASE,
)


# -- figures of a practice -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One practice's figure for a measure, and the sentence that states it."""

    practice_id: str
    value: float  # in the measure's base unit; money: in `currency`
    display: str  # as the document writes it ("about EUR 6.2 million", "4.6 MW")
    sentence: Sentence
    currency: str | None = None
    value_max: float | None = None
    qualifier: str | None = None  # "more than", "about", "up to"
    per_unit: bool = False
    kind: str | None = None  # the key fact kind it came from, if any
    relevance: float = 0.0  # how well its sentence matches the question's measure words
    derived: str = ""  # how it was computed ("11 x 1 MW"), when not stated as one figure


@dataclass
class Reading:
    """A practice's figures for a measure: the one that answers (or None: not stated), the others."""

    entry: Entry
    best: Figure | None
    others: list[Figure] = field(default_factory=list)


def _sentence_at(entry: Entry, start: int | None) -> Sentence | None:
    if start is None:
        return None
    for sentence in entry.sentences():
        if sentence.start <= start < sentence.end:
            return sentence
    return None


def _qualifier(sentence: Sentence, at: int) -> str | None:
    match = _QUALIFIER.search(sentence.text[max(0, at - 40) : at])
    if not match:
        return None
    word = match.group(1).lower()
    return {"over": "more than", "above": "more than", "around": "about", "roughly": "about",
            "approximately": "about", "almost": "nearly", "at most": "up to", "under": "less than",
            "below": "less than", "fewer than": "less than"}.get(word, word)  # fmt: skip


# the price of one thing, not what the practice costs: "The sixth vehicle, glazed for winter use,
# cost EUR 55,000", "each turbine costs ..."
_ITEM_PRICE = re.compile(
    r"\b(?:the (?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|new|latest|last)|"
    r"each|every|one|a single|a new)\s+(?:[\w-]+\s+){0,2}"
    r"(?:vehicle|car|bus|boat|bike|bicycle|turbine|unit|machine|van|"
    r"truck|tram|train|ship|shuttle|panel|device|house|flat|apartment|item|piece|station|charger)s?\b"
    r"[^.;]{0,80}\b(?:cost|costs|costing|priced|sells? for|worth)\s+(?:about |around |roughly )?$",
    re.IGNORECASE,
)


def money_in(entry: Entry, sentence: Sentence) -> list[Figure]:
    """Money amounts of a sentence with a stated currency ("€1.2m" is 1.2 million)."""
    out = []
    for match in MONEY_RE.finditer(sentence.text):
        num = match.group("num") or match.group("num2")
        mult = match.group("mult") or match.group("mult2")
        raw = match.group("cur") or match.group("cur2")
        if not num or not raw:
            continue
        if mult and mult.lower() == "m" and not match.group("cur"):
            continue  # "5 m EUR" is rare; "5 m" alone is metres
        currency = CURRENCIES.get(raw.lower()) or CURRENCY_WORDS.get(raw.lower()) or raw.upper()
        value = parse_number(num) * multiplier(mult)
        after = sentence.text[match.end() : match.end() + 30]
        price = bool(_ITEM_PRICE.search(sentence.text[: match.start()]))
        out.append(
            Figure(
                entry.id,
                value,
                match.group(0).strip(),
                sentence,
                currency=currency,
                qualifier=_qualifier(sentence, match.start()),
                per_unit=bool(_PER_UNIT.match(after)) or price,
                kind="price" if price else None,
            )
        )
    return out


def quantities_in(entry: Entry, sentence: Sentence, family: str) -> list[Figure]:
    """Quantities of one unit family ("4.6 MW", "15,400 MWh", "300,000 m2"), in the base unit;
    "11 turbines of 1 MW each" is also read as 11 MW in total."""
    out = []
    for match in QUANTITY_RE.finditer(sentence.text):
        unit = match.group("unit").lower()
        if unit not in UNITS[family]:
            continue
        value = parse_number(match.group("num")) * multiplier(match.group("mult")) * UNITS[family][unit]
        after = sentence.text[match.end() : match.end() + 20]
        per_unit = bool(_PER_UNIT.match(after))
        figure = Figure(
            entry.id,
            value / BASE_SCALE[family],
            match.group(0).strip(),
            sentence,
            qualifier=_qualifier(sentence, match.start()),
            per_unit=per_unit,
        )
        out.append(figure)
        if per_unit:  # "11 onshore wind turbines of 1 MW each"
            before = sentence.text[max(0, match.start() - 60) : match.start()]
            many = re.search(r"(?<![\w.,])(\d+|" + "|".join(NUMBER_WORDS)
                             + r")\s+(?:[\w-]+\s+){0,3}[\w-]+s\s+of\s+$",
                             before, re.IGNORECASE)  # fmt: skip
            if many:
                count = parse_number(many.group(1))
                total = figure.value * count
                out.append(
                    Figure(
                        entry.id, total, f"{many.group(0).strip()} {match.group(0).strip()} each", sentence,
                        qualifier=figure.qualifier, derived=f"{_plain(count)} x {match.group(0).strip()}",
                    )
                )  # fmt: skip
    return out


def _plain(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def counts_in(entry: Entry, sentence: Sentence, noun: frozenset[str]) -> list[Figure]:
    """Counts of the asked thing: a number followed, within four words, by one of `noun`. An
    amount of money ("EUR 3,000 per company") and a rate ("3 per company") count no companies."""
    out = []
    money = [m.span() for m in MONEY_RE.finditer(sentence.text)]
    for match in _COUNT.finditer(sentence.text):
        raw = match.group("num")
        if YEAR_RE.fullmatch(raw) and not match.group("mult"):
            continue
        if any(a <= match.start("num") < b for a, b in money):
            continue
        head = stems(match.group("noun"))
        hit = next((i for i, w in enumerate(head) if w in noun), None)
        if hit is None or any(w in ("per", "each") for w in match.group("noun").lower().split()[:hit]):
            continue
        value = parse_number(raw) * multiplier(match.group("mult"))
        words = match.group("noun").split()[: hit + 1]
        display = f"{raw}{match.group('mult') or ''} {' '.join(words)}".strip()
        out.append(Figure(entry.id, value, display, sentence, qualifier=_qualifier(sentence, match.start())))
    return out


def years_in(entry: Entry, sentence: Sentence) -> list[Figure]:
    """Years at which something began ("founded in 2006", "since 2015")."""
    if not _START_CUE.search(sentence.text):
        return []
    operations = bool(_OPERATIONS.search(sentence.text))
    out = []
    for match in YEAR_RE.finditer(sentence.text):
        out.append(
            Figure(
                entry.id,
                float(match.group(1)),
                match.group(1),
                sentence,
                kind="operations" if operations else None,
            )
        )
    return out


# "ran from 2009 to 2014", "between 2018 and 2020": a period of years (a programme's name with its
# period, "Interreg 2014-2020", dates the programme, not the practice)
_YEAR_SPAN = re.compile(
    r"\b(?:from|between)\s+(?:[A-Z][a-z]+\s+)?((?:19|20)\d\d)\s+(?:to|and|until|till)\s+(?:[A-Z][a-z]+\s+)?"
    r"((?:19|20)\d\d)\b"
)


def spans_in(entry: Entry, sentence: Sentence) -> list[Figure]:
    """How long a practice ran, from a period of years its sentence gives ("from 2009 to 2014":
    60 months)."""
    out = []
    for match in _YEAR_SPAN.finditer(sentence.text):
        first, last = int(match.group(1)), int(match.group(2))
        if last > first:
            out.append(
                Figure(entry.id, (last - first) * 12.0, match.group(0).strip(), sentence, kind="duration")
            )
    return out


def _fact_figures(entry: Entry, kinds: Sequence[str]) -> list[Figure]:
    out = []
    for fact in entry.facts:
        if fact.kind not in kinds or fact.start is None:
            continue
        sentence = _sentence_at(entry, fact.start)
        if sentence is None:
            continue
        out.append(_from_fact(entry, fact, sentence))
    return out


def _from_fact(entry: Entry, fact: Fact, sentence: Sentence) -> Figure:
    value = float(fact.value) if not isinstance(fact.value, str) else 0.0
    display = fact.display()
    return Figure(
        entry.id,
        value,
        display,
        sentence,
        currency=fact.currency,
        value_max=fact.value_max,
        qualifier=fact.qualifier,
        per_unit=bool(fact.period and re.match(r"per (?!year|annum|month)", fact.period)),
        kind=fact.kind,
    )


_FACT_KINDS = {
    MEMBERS: ("members",),
    STAFF: ("staff",),
    BENEFICIARIES: ("beneficiaries",),
    COUNT: ("members", "beneficiaries", "staff", "result"),
    DURATION: ("duration",),
}


# a number a rule asks for ("at least three companies are needed", "must have 20 SME members"):
# a condition of the practice, not a count of what it has or reached
_REQUIRED = re.compile(
    r"\b(must|needed|needs to|need to|required|requires?|eligible|eligibility|qualify|minimum|at most|"
    r"no more than|up to)\b",
    re.IGNORECASE,
)


def _required(figure: Figure) -> bool:
    """Whether the figure is a number a rule asks for: a requirement word in its own clause (the
    text between the punctuation marks around it), not anywhere in the sentence ("21 members, who
    must pay a fee" is a count)."""
    text = figure.sentence.text
    at = text.find(figure.display)
    if at < 0:
        return bool(_REQUIRED.search(text))
    start = max(text.rfind(mark, 0, at) for mark in ",;:") + 1
    ends = [i for i in (text.find(mark, at + len(figure.display)) for mark in ",;:") if i >= 0]
    return bool(_REQUIRED.search(text[start : min(ends, default=len(text))]))


# the words of a question about what a practice costs (stems)
_COSTS = frozenset({"budget", "cost", "costs", "spend", "spent", "expens", "cheap", "cheapest", "cheaper"})


def figures_of(entry: Entry, measure: Measure, *, scan: bool = True) -> list[Figure]:
    """Every figure of the practice for the measure, each scored by how well its sentence
    matches the question's measure words. Without `scan`, only what its key facts give (a
    question over thousands of practices does not read them all); what the sentences give is
    kept with the practice for the next question."""
    found: list[Figure] = entry.kept(
        ("figures", measure.dimension, measure.noun, scan), lambda: _unscored(entry, measure, scan)
    )
    return [_scored(f, measure, entry) for f in found]


def _unscored(entry: Entry, measure: Measure, scan: bool) -> list[Figure]:
    if not scan:
        fact_kinds = {MONEY: ("budget", "grant", "amount"), YEAR: ("start_year",)}.get(
            measure.dimension, _FACT_KINDS.get(measure.dimension, ())
        )
        facts = _fact_figures(entry, fact_kinds)
        if measure.dimension == YEAR:
            facts = [f for f in facts if not _OPERATIONS.search(f.sentence.text)]
        return [f for f in facts if not measure.noun or _subject_matches(f, measure.noun)]
    sentences = [s for s in entry.sentences() if s.section.lower() != "further information"]
    found: list[Figure] = []
    dimension = measure.dimension
    if dimension == MONEY:
        for sentence in sentences:
            found.extend(money_in(entry, sentence))
        kinds = {
            (f.start, round(float(f.value))): f.kind
            for f in entry.facts
            if f.kind in ("budget", "grant", "amount") and f.start is not None
        }
        found = [_with_kind(f, kinds) for f in found]
    elif dimension == YEAR:
        for sentence in sentences:
            if sentence.section.lower() in ("about this good practice", "resources needed", "document"):
                found.extend(years_in(entry, sentence))
        found.extend(
            f for f in _fact_figures(entry, ("start_year",)) if not _OPERATIONS.search(f.sentence.text)
        )
    elif dimension in UNITS:
        for sentence in sentences:
            found.extend(quantities_in(entry, sentence, dimension))
    elif dimension == DURATION:
        found.extend(_fact_figures(entry, ("duration",)))
        for sentence in sentences:
            if sentence.section.lower() in ("about this good practice", "resources needed", "document"):
                found.extend(spans_in(entry, sentence))
    else:
        facts = _fact_figures(entry, _FACT_KINDS.get(dimension, ()))
        if measure.noun:
            facts = [f for f in facts if _subject_matches(f, measure.noun)]
        found.extend(facts)
        if not facts or dimension == COUNT:  # the sentences, where no key fact gives it
            noun = measure.noun or _nouns_of(dimension)
            seen = {(f.sentence.start, f.value) for f in found}
            for sentence in sentences:
                if dimension == STAFF and not _OWN_TEAM.search(sentence.text):
                    continue
                for figure in counts_in(entry, sentence, noun):
                    if (sentence.start, figure.value) not in seen:
                        found.append(figure)
                        seen.add((sentence.start, figure.value))
    return found


# a sentence about the practice's own team (not the staff of its member companies)
_OWN_TEAM = re.compile(
    r"\b(team|staff|employs|employed by|management|secretariat|office)\b(?!.*\bcompan)", re.IGNORECASE
)


def _nouns_of(dimension: str) -> frozenset[str]:
    if dimension == MEMBERS:
        return frozenset({stem("member"), stem("members")})
    if dimension == STAFF:
        return CONCEPTS["staff"]
    return CONCEPTS["member"] | CONCEPTS["usage"]


def _subject_matches(figure: Figure, noun: frozenset[str]) -> bool:
    return bool(set(stems(figure.display)) & noun)


def _with_kind(figure: Figure, kinds: dict[tuple[int, int], str]) -> Figure:
    if figure.kind == "price":  # the price of one thing stays one, whatever the key facts say
        return figure
    for (start, value), kind in kinds.items():
        if start == figure.sentence.start and abs(value - figure.value) < 1:
            return Figure(**{**figure.__dict__, "kind": kind})
    return figure


def _scored(figure: Figure, measure: Measure, entry: Entry) -> Figure:
    terms = entry.terms(figure.sentence)
    asked = measure.words - {stem(w) for w in ("practice", "practices", "collection", "report", "reports")}
    hits = sum(1 for t in asked if not expand(t).isdisjoint(terms))
    return Figure(**{**figure.__dict__, "relevance": float(hits)})


_GENERIC = frozenset(
    stem(w)
    for w in """cost costs budget budgets money fund funds funding financing financed grant grants spend
    spent invest investment price amount amounts euro euros eur gbp usd sek dkk cheap cheaper cheapest
    expensive member members membership staff team people employ employees practice practices
    collection report reports reported state states say says scheme schemes initiative initiatives
    programme programmes project projects organisation organisations cluster clusters city cities
    largest biggest most highest lowest smallest least fewest more less fewer have has had behind which
    big large high low number figure figures total maximum minimum max min offer offers bigger larger
    smaller higher lower greater""".split()
)
_KIND_PRIORITY = {"budget": 0, "amount": 1, None: 2, "grant": 3}


def _from_kind(figure: Figure, measure: Measure) -> int:
    """1 when a key fact of the measure's own kind gives the figure (members, staff, ...)."""
    return int(figure.kind is not None and figure.kind == _FACT_KINDS.get(measure.dimension, ("",))[0])


def specific_words(measure: Measure) -> frozenset[str]:
    """The question's words that narrow the measure beyond its kind ("savings on energy bills"); the
    words that only name the kind ("generates electricity" for energy) do not."""
    own = FAMILY_WORDS.get(measure.dimension, ()) + MEASURE_WORDS.get(measure.dimension, ())
    # nor the threshold itself ("at least EUR 10,000 per company"): it is the measure, said
    stated = set(stems(measure.condition.text)) if measure.condition else set()
    return frozenset(
        w
        for w in measure.words
        if w not in _GENERIC and not w[:1].isdigit() and not has_prefix([w], own) and w not in stated
    )


def reading(
    entry: Entry,
    measure: Measure,
    base: Callable[[Figure], float] | None = None,
    judged: Mapping[tuple[str, int], float] | None = None,
    *,
    scan: bool = True,
) -> Reading:
    """The practice's figure for the measure (None: not stated), and its other figures.

    A figure must sit in a sentence that uses one of the question's specific words when it has
    any; per-unit amounts answer only a per-unit question; a start year of operations gives way
    to a year at which the initiative began. `base` puts a figure on one scale (money in one
    currency); by default its value. `judged` gives a learned relevance per sentence (practice id,
    sentence start), which then replaces the word count."""
    value_of = base or (lambda f: f.value)
    figures = figures_of(entry, measure, scan=scan)
    if judged:
        figures = [
            Figure(**{**f.__dict__, "relevance": judged.get((f.practice_id, f.sentence.start), f.relevance)})
            for f in figures
        ]
    specific = specific_words(measure)
    if measure.dimension in (MONEY, *UNITS) and len(specific) >= 2:

        def hits(f: Figure) -> bool:
            terms = entry.terms(f.sentence)
            return any(not expand(w).isdisjoint(terms) for w in specific)

        figures = [f for f in figures if hits(f)]
    if measure.dimension == MONEY:
        figures = [f for f in figures if f.currency]
        if measure.per_unit:
            # asked per company, a total is no answer: the practice does not state it
            figures = [f for f in figures if (f.per_unit and f.kind != "price") or f.kind == "grant"]
        else:  # a price per unit or a grant per firm is not what the practice costs or has
            figures = [f for f in figures if not f.per_unit and f.kind != "grant"]
            if _COSTS.intersection(measure.words):
                # nor, asked what it costs, money the key facts read as another amount (turnover of
                # its members, sales, savings, a price)
                figures = [f for f in figures if f.kind != "amount"]
    if measure.dimension in (COUNT, MEMBERS, STAFF, BENEFICIARIES):
        figures = [f for f in figures if not _required(f)]
    if measure.dimension in (MEMBERS, STAFF):
        # a count of "members" (or staff) itself, else what the key facts read as its members ("55
        # forest owners"); never a count of something else ("340,000 SMEs are eligible")
        named = [f for f in figures if _subject_matches(f, _nouns_of(measure.dimension))]
        figures = named or [f for f in figures if f.kind == measure.dimension]
    if not figures:
        return Reading(entry, None, [])
    if measure.dimension == YEAR:
        begun = [f for f in figures if f.kind != "operations"] or figures
        best = min(begun, key=lambda f: (f.value, -f.relevance))
    else:
        # a count of the very thing asked ("9 partners" for "more partners") before one of its kind;
        # asked for people reached, a count of people before one of villages
        asked = measure.words & measure.noun if measure.dimension == COUNT else frozenset()
        if measure.dimension == BENEFICIARIES and measure.noun:
            asked = measure.noun
        best = max(
            figures,
            key=lambda f: (
                bool(asked & set(stems(f.display))),
                _from_kind(f, measure),
                f.relevance,
                -_KIND_PRIORITY.get(f.kind, 2),
                value_of(f),
            ),
        )
    others = [f for f in figures if f is not best]
    return Reading(entry, best, others)
