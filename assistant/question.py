"""What a question asks for, from its words alone: the facts wanted, the sections that usually hold
them, whether it spans several practices. Retrieval (section boosts, diversity) and the extractive
answerer (which sentence answers) both read this analysis.

Everything here is general English (plus the "how many / how much" words of the languages users
write in); nothing is tuned to particular questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.types import Message
from assistant.vocabulary import QUESTION_WORDS, STOPWORDS, content_terms, fold, stem, words

RESOURCES = "Resources needed"
EVIDENCE = "Evidence of success"
TRANSFER = "Potential for learning or transfer"

# Concept classes: a question word in one class is answered by a sentence using any word of it.
_CONCEPT_GROUPS = {
    "staff": "staff staffed employ employs employed employee employees people person persons personnel "
    "worker workers fte full-time part-time expert experts manager managers job jobs team teams",
    "cost": "cost costs costing budget budgets spend spent spending price funding fund funded financing "
    "finance financed invest investment invested eur euro euros gbp dkk czk million money grant grants "
    "paid pay put value worth amount subsidy aid contribution contributed shares loan capital",
    "start": "found founded establish established set setup launched launch created start started began "
    "since inception",
    "member": "member members membership company companies firm firms organisation organisations "
    "organization organizations partner partners enterprise enterprises sme smes",
    "result": "result results outcome outcomes impact impacts achieve achieved achievement success "
    "successful evidence effect effects",
    "transfer": "transfer transferable transferability replicate replicated replication learning "
    "adopt adapt copy lesson lessons suited suitable fit",
    "duration": "duration long months month years period lasted lasting",
    "capacity": "capacity output produce produces produced production generate generates generated "
    "mw gwh kw mwh power",
    "speed": "fast quick quickly days weeks decide decision decides",
    "usage": "passenger passengers trip trips journey journeys user users usage ridership carried",
    "saving": "saving savings save saved avoid avoided reduce reduced reduction",
    "home": "home homes household households foyer foyers",
    "vehicle": "automotive car cars vehicle vehicles automobile automobiles",
    "group": "cluster clusters association associations network networks group groups consortium "
    "consortiums consortia",
    "country": "country countries nation nations",
    "place": "municipality municipalities town towns village villages city cities urban",
    "mobility": "mobility transport transportation transit traffic commute commuting",
    "label": "label labels award awards certificate certificates certification",
    "unit": "per each every individual apiece",
}
CONCEPTS: dict[str, frozenset[str]] = {
    name: frozenset(stem(w) for w in group.split()) for name, group in _CONCEPT_GROUPS.items()
}
_TERM_CONCEPTS: dict[str, list[frozenset[str]]] = {}
for _concept in CONCEPTS.values():
    for _term in _concept:
        _TERM_CONCEPTS.setdefault(_term, []).append(_concept)


def expand(term: str) -> frozenset[str]:
    """The term and every term sharing a concept class with it."""
    classes = _TERM_CONCEPTS.get(term)
    if not classes:
        return frozenset((term,))
    out: set[str] = {term}
    for concept in classes:
        out |= concept
    return frozenset(out)


def covers(term: str, terms: set[str]) -> bool:
    """A text with these terms mentions `term` or a word of its concept class."""
    return term in terms or not expand(term).isdisjoint(terms)


_SECTION_CUES = {
    RESOURCES: CONCEPTS["staff"]
    | CONCEPTS["cost"]
    | {stem(w) for w in "resource resources need needs required take".split()},
    EVIDENCE: CONCEPTS["result"] | CONCEPTS["saving"],
    TRANSFER: CONCEPTS["transfer"],
}

# "how many" / "how much" in the languages users write in
_QUANTITY = re.compile(
    r"\b(how (many|much|big|large|long|fast|often|high)|"
    r"what (is|was|are|were) the (\w+ )?(number|amount|size|value|budget|cost|score|capacity|share|"
    r"percentage)|percentage|(\w+ )?(figures|statistics)|amounts?|maximum|numbers? of|"
    r"kiek|kiekis|wie (viele|viel|hoch|"
    r"gro(ss|ß))|combien|cu[aá]nt[oa]s?|ile|ilu|quant[oiae]|hoeveel)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"\b(when|since when|which year|what year|in what year|kada|wann|quand|cu[aá]ndo|kiedy)\b", re.IGNORECASE
)
_HOW_MANY = re.compile(r"\bhow many ([^?.,;]+)", re.IGNORECASE)
# words that end the noun phrase after "how many"
_PHRASE_END = set(
    """do does did are is was were have has had can could will would should got get gets in of by for at
    from to on with since during per that which who ended end make made run runs there""".split()
)
_MULTI = re.compile(
    r"\b(which|what) (\w+[ -]){0,3}(practices|schemes|initiatives|clusters|programmes|programs|projects|"
    r"cooperatives|networks|regions|cities|ones|examples|measures|instruments|models|vouchers)\b|"
    r"\b(compare|comparison|differ|differs|difference|differences|versus|vs|each of|"
    r"in the collection|across (the )?(collection|practices|documents)|similar practices|other practices)\b",
    re.IGNORECASE,
)
# "Which (of the) community energy initiatives ...": a question (part) that picks practices
_SELECTS = re.compile(
    r"^\s*(which|what)\s+(of\s+the\s+)?([\w-]+\s+){0,4}(practices|schemes|initiatives|clusters|programmes|"
    r"programs|projects|cooperatives|networks|regions|cities|ones|examples|measures|instruments|models|"
    r"vouchers)\b",
    re.IGNORECASE,
)
_KINDS = re.compile(
    r"\b(practices?|schemes?|initiatives?|programmes?|programs?|projects?|measures?|instruments?|models?|"
    r"examples?|ones)\b"
)
_AGGREGATE = re.compile(
    r"\b(total|overall|altogether|in all|across all|combined|all together)\b", re.IGNORECASE
)


# Country adjectives, so "German companies" can be checked against "Germany" or a country field.
DEMONYMS = {
    "austrian": "austria",
    "belgian": "belgium",
    "british": "britain",
    "bulgarian": "bulgaria",
    "croatian": "croatia",
    "czech": "czechia",
    "danish": "denmark",
    "dutch": "netherlands",
    "english": "england",
    "estonian": "estonia",
    "finnish": "finland",
    "french": "france",
    "german": "germany",
    "greek": "greece",
    "hungarian": "hungary",
    "irish": "ireland",
    "italian": "italy",
    "latvian": "latvia",
    "lithuanian": "lithuania",
    "norwegian": "norway",
    "polish": "poland",
    "portuguese": "portugal",
    "romanian": "romania",
    "scottish": "scotland",
    "slovak": "slovakia",
    "slovenian": "slovenia",
    "spanish": "spain",
    "swedish": "sweden",
    "swiss": "switzerland",
    "welsh": "wales",
}
_RAW_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Requirement:
    """Something an answer must name: in the sentence itself (the counted thing of "how many X"),
    or anywhere in the practice (a proper-name qualifier such as "German" in "how many German
    companies")."""

    terms: frozenset[str]
    in_sentence: bool


@dataclass(frozen=True)
class Intent:
    """What one question asks for."""

    terms: tuple[str, ...]  # content terms, stemmed, in order
    quantity: bool  # asks for a number
    year: bool  # asks for a date
    needs: tuple[Requirement, ...] = ()
    sections: frozenset[str] = field(default_factory=frozenset)  # sections that usually answer it
    multi: bool = False  # about several practices (comparison, "which practices ...")
    aggregate: bool = False  # asks for a total, not a per-unit figure
    foreign: bool = False  # not written in English: word matching cannot judge it
    current: bool = False  # asks how things are now ("today", "currently"): the latest figure


_UNCOUNTED_PLURALS = {"staff", "people", "personnel", "children", "women", "men"}


def _countable(word: str) -> bool:
    return word in _UNCOUNTED_PLURALS or (word.endswith("s") and not word.endswith("ss") and len(word) > 3)


def _needs(question: str) -> tuple[Requirement, ...]:
    needs: list[Requirement] = []
    for match in _HOW_MANY.finditer(question):
        phrase: list[str] = []
        for raw in _RAW_WORD.findall(match.group(1)):
            if fold(raw) in _PHRASE_END:
                break
            phrase.append(raw)
        parts: list[list[str]] = [[]]
        for raw in phrase:
            if fold(raw) in ("and", "or"):
                parts.append([])
            else:
                parts[-1].append(raw)
        for part in parts:
            kept = [w for w in part if fold(w) not in STOPWORDS and fold(w) not in QUESTION_WORDS]
            if not kept:
                continue
            # the counted thing: the first plural ("forest owners own ..."), else the last word
            index = next((i for i, w in enumerate(kept) if _countable(fold(w))), len(kept) - 1)
            needs.append(Requirement(expand(stem(fold(kept[index]))), True))
            for raw in kept[:index]:
                if raw[:1].isupper():  # a proper-name qualifier: "German companies"
                    word = fold(raw)
                    names = {stem(word), word}
                    if word in DEMONYMS:
                        names.add(DEMONYMS[word])
                    needs.append(Requirement(frozenset(names), False))
    return tuple(needs)


MEASURES = ("cost", "staff", "capacity", "usage", "saving", "home", "speed", "member", "duration")
COUNTRY_WORDS = frozenset(
    stem(w) for w in [*DEMONYMS, *DEMONYMS.values(), "lithuania", "uk", "kingdom", "czech", "republic"]
)


def _measure_needs(terms: tuple[str, ...], quantity: bool, counted: bool) -> tuple[Requirement, ...]:
    """'How much does it cost / spend': the sentence must name the measured thing (a cost, staff,
    a capacity, ...), not just any number. 'Which countries': it must name a country."""
    needs: list[Requirement] = []
    term_set = set(terms)
    if quantity and not counted:
        # the first measured thing the question names: "spend per year" measures a cost
        for name in MEASURES:
            if not CONCEPTS[name].isdisjoint(term_set):
                needs.append(Requirement(CONCEPTS[name], True))
                break
    if {stem("country"), stem("countries")} & term_set:
        needs.append(Requirement(COUNTRY_WORDS, True))
    return tuple(needs)


# Words about the collection or the comparison, not about what the practices did.
META = frozenset(
    stem(w)
    for w in """practice practices good collection compare compared comparison
    differ differs difference differences mention mentions mentioned report reports reported
    documents document figure figures statistic statistics""".split()
)


def analyse(question: str) -> Intent:
    """The Intent of a question (any language; the cues are richest for English)."""
    terms = tuple(t for t in content_terms(question) if t not in META)
    term_set = set(terms)
    sections = frozenset(name for name, cues in _SECTION_CUES.items() if not cues.isdisjoint(term_set))
    folded = fold(question)
    quantity = bool(_QUANTITY.search(folded))
    if re.search(
        r"\b(would|could|can)\b.{0,80}\b(work|fit|be (copied|transferred|applied|replicated|"
        r"financed|adapted))\b|\b(our|we|us)\b",
        folded,
    ):
        sections |= {TRANSFER}
    return Intent(
        terms=terms,
        quantity=quantity,
        year=bool(_YEAR.search(folded)),
        needs=(needs := _needs(question)) + _measure_needs(terms, quantity, bool(needs)),
        sections=sections,
        multi=bool(_MULTI.search(folded)),
        aggregate=bool(_AGGREGATE.search(folded)),
        foreign=is_foreign(question),
        current=bool(re.search(r"\b(now|today|currently|at present|these days|latest)\b", folded)),
    )


@dataclass(frozen=True)
class Question:
    """A question as retrieval and the answerers receive it: validated and analysed once, at the
    Assistant's boundary."""

    text: str
    history: tuple[Message, ...]
    query: str  # the standalone retrieval query: the text, or a follow-up with what it refers to
    intent: Intent  # what the text asks for
    query_intent: Intent  # what the query asks for (the same object when query == text)
    k: int
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def about(self) -> str | None:
        """The standalone query of a follow-up, None for a question that stands on its own."""
        return self.query if self.query != self.text else None

    @classmethod
    def analysed(
        cls, text: str, history: Sequence[Message], query: str, *, k: int, filters: dict[str, str]
    ) -> Question:
        intent = analyse(text)
        return cls(
            text, tuple(history), query, intent, intent if query == text else analyse(query), k, dict(filters)
        )


def is_foreign(question: str) -> bool:
    """Hardly any English function words: the question is in another language."""
    tokens = words(question)
    if len(tokens) < 3:
        return False
    english = sum(1 for t in tokens if t in STOPWORDS or t in QUESTION_WORDS)
    return english / len(tokens) < 0.2


def parts(question: str) -> list[str]:
    """The sub-questions of a compound question: "How many people work there, and how many
    members does it have?" -> two parts. A simple question is one part."""
    pieces = re.split(
        r"(?:,\s*|\s+)and\s+(?=(?:how|what|when|which|who|where|why|is|are|does|do|did|since|over)\b)"
        r"|;\s+|\?\s+(?=\S)",
        question.strip(),
        flags=re.IGNORECASE,
    )
    return [p for p in (piece.strip() for piece in pieces) if p]


def selects_practices(part: str) -> bool:
    """Whether a (part of a) question picks practices ("Which practices are voucher schemes") rather
    than asking something about them."""
    return bool(_SELECTS.match(fold(part)))


def kind_terms(part: str) -> frozenset[str]:
    """The generic kind words a selecting question uses for practices ("schemes", "initiatives",
    "practices"): they say what a practice is called, not what it is about."""
    return frozenset(stem(m.group(0)) for m in _KINDS.finditer(fold(part)))
