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
from assistant.vocabulary import (
    QUESTION_WORDS,
    STOPWORDS,
    content_terms,
    fold,
    normalise_numbers,
    stem,
    words,
)

RESOURCES = "Resources needed"
EVIDENCE = "Evidence of success"
TRANSFER = "Potential for learning or transfer"

# The template's sections, and the general words by which a question asks for what each holds,
# from the template's own description of it ("the financial and human resources needed",
# "evidence of success: the results achieved", "potential for learning or transfer"), in English
# and in the languages users write in (as the "how many" words below).
_SECTION_CUES = {
    RESOURCES: frozenset(
        stem(fold(w))
        for w in """resource resources need needed financial finance financed funding funded budget cost
        costs spend spent money human staff personnel ressources ressourcen recursos zasoby ištekliai
        risorse finanzierung financement financiación finanziamento finansowanie finansavimas
        benötigt braucht kosten besoin besoins coût necesita necesitan coste presupuesto servono
        costo potrzebne koszt budżet išteklių išteklius reikia reikalingi kaina biudžetas
        finansavimo""".split()
    ),
    EVIDENCE: frozenset(
        stem(fold(w))
        for w in """evidence success successful result results outcome outcomes impact achieve achieved
        résultats ergebnisse erfolg resultados éxito risultati successo rezultaty wyniki sukces
        rezultatai résultat succès logros logrado efekty rezultatų sėkmė pasiekė pasiekimai""".split()
    ),
    TRANSFER: frozenset(
        stem(fold(w))
        for w in """transfer transferable learning learn lesson lessons replicate adopt adapt copy
        transfert übertragung transferencia trasferimento trasferibilità transferowanie perkėlimas
        lernen übertragen übertragbar apprendre transférer reproduire aprender transferir replicar
        imparare trasferire replicare nauczyć uczyć przenieść mokytis pasimokyti išmokti perkelti
        perkėlimo""".split()
    ),
}

# "how many" / "how much" in the languages users write in
_QUANTITY = re.compile(
    r"\b(how (many|much|big|large|long|fast|often|high)|"
    r"what (is|was|are|were) the (\w+ )?(number|amount|size|value|budget|cost|score|capacity|share|"
    r"percentage|age|rate)|percentage|(\w+ )?(figures|statistics)|amounts?|maximum|numbers? of|fees?|prices?|"
    r"average|median|compensation|salar(y|ies)|wages?|rents?|tariffs?|"
    r"per (hectare|head|capita|inhabitant|household|person|pupil|student|member|unit)|"
    r"kiek|kiekis|wie (viele|viel|hoch|"
    r"gro(ss|ß))|combien|cu[aá]nt[oa]s?|ile|ilu|quant[oiae]|hoeveel)\b",
    re.IGNORECASE,
)
# "when" / "where" / "who" ask only at the start of a (part of a) question: "a city where ..." asks
# for no place
_YEAR = re.compile(
    r"^\W*(\w+\W+){0,2}(when|since when)\b|\b(which year|what year|in what year|kada|wann|quand|cu[aá]ndo|"
    r"kiedy)\b",
    re.IGNORECASE,
)
_HOW_MANY = re.compile(r"\bhow many ([^?.,;]+)", re.IGNORECASE)
_COUNTED_AFTER_VERB = re.compile(r"^(?:of (?:them|these|those) )?(?:are|were) ", re.IGNORECASE)
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
# general English words by which a question asks for an amount of money
_MONEY = re.compile(
    r"\b(cost|costs|costing|spend|spends|spent|spending|budgets?|fees?|prices?|paid|pay|pays|funding|"
    r"invest|invests|invested|investment|worth|money|grants?|euros?|subsid(y|ies)|compensation|rents?|"
    r"salar(y|ies)|wages?)\b",
    re.IGNORECASE,
)
# "what percentage / share of ...": the number asked for is a share (in the languages users write in)
_SHARE = re.compile(
    r"\b((what|which|by what|how large an?|how big an?) ((is|was|are|were) (the|its|their) )?(\w+ )?"
    r"(percentage|share|proportion|fraction|per ?cent)|how many (percent|per cent)|"
    r"wie viel prozent|welche[nrs]? anteil|quel(le)? (pourcentage|part|proportion)|"
    r"qu[eé] (porcentaje|proporci[oó]n)|jaki (procent|odsetek)|quale percentuale|kiek procent\w*)\b",
    re.IGNORECASE,
)
# a question about a figure per unit: per (or each, every) thing that is not a span of time, or an
# average ("how much did each household pay", "the cost per hectare", "the average age")
_PER_UNIT = re.compile(
    r"\b((per|each|every) (?!(\w+ )?(years?|annum|months?|weeks?|days?|hours?|time|cent)\b)\w+|"
    r"average|on average)\b",
    re.IGNORECASE,
)
# a figure for a period of time: "per year", "a year", "annually", "yearly", "monthly" (the words
# a question asks it with; answerability also reads them in the sentence that states it)
PERIOD_WORDS = {
    "year": r"(per|a|each|every) (year|annum)|annual|annually|yearly",
    "month": r"(per|a|each|every) month|monthly",
}
_PERIODS = tuple((name, re.compile(rf"\b({words})\b")) for name, words in PERIOD_WORDS.items())
# a number written in digits ("4,600", "21", "1.5"); a year among them is a date, not a figure
DIGITS = re.compile(r"(?<![\w.,])\d[\d,.]*(?![\w])")
_YEAR_FIRST = re.compile(r"(?:19|20)\d\d\b")


def given_number(raw: str) -> str:
    """A number as written ("4,600") in the one form questions and sentences are compared in."""
    return normalise_numbers(raw).rstrip(".,")


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

# The kinds of answer a question can ask for (Intent.kind).
NUMBER = "number"  # how many / how much / what share
DATE = "date"  # when / which year
AGENT = "agent"  # who: a person or an organisation
ORGANISATION = "organisation"  # which organisation / company / institution
PLACE = "place"  # where / which country / city / region
PERSON = "person"  # who holds a role: "who is the president", "the name of its director"
_AGENT = re.compile(
    r"^\W*(\w+\W+){0,2}(who|whom)\b|\b(by whom|kas|wer|qui|qui[eé]n(es)?|kto)\b", re.IGNORECASE
)
# a role only a person holds, asked by "who is ..." or "the name of ..." (general English nouns)
_PERSON = re.compile(
    r"\b(who (is|was|are|were|has been)|names? of) (the |its |their |his |her )?([\w'’-]+ ){0,4}?"
    r"(president|director|chair|chairman|chairwoman|chairperson|mayor|manager|head|leader|coordinator|"
    r"ceo|founder|minister|secretary|spokesperson|author|initiator|governor|rector|dean)s?\b",
    re.IGNORECASE,
)
_ORGANISATION = re.compile(
    r"\b(which|what) (\w+ )?(organi[sz]ations?|compan(y|ies)|institutions?|agenc(y|ies)|bod(y|ies)|"
    r"ministr(y|ies)|authorit(y|ies)|universit(y|ies)|firms?|partners?|operators?|owners?|funders?)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"^\W*(\w+\W+){0,2}where\b|\b(kur|wo|o[uù]|d[oó]nde|gdzie|(which|what|in which) (\w+ )?"
    r"(countr(y|ies)|cit(y|ies)|regions?|towns?|municipalit(y|ies)|places?|locations?))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Intent:
    """What one question asks for."""

    terms: tuple[str, ...]  # content terms, stemmed, in order
    kind: str | None = None  # the kind of answer asked for: NUMBER, DATE, AGENT, PERSON, ORGANISATION, PLACE
    counted: tuple[str, ...] = ()  # "how many young people": the words of what is counted
    qualifiers: tuple[frozenset[str], ...] = ()  # "how many German firms": a name the practice must use
    sections: frozenset[str] = field(default_factory=frozenset)  # sections that usually answer it
    multi: bool = False  # about several practices (comparison, "which practices ...")
    aggregate: bool = False  # asks for a total, not a per-unit figure
    per_unit: bool = False  # asks for a figure per unit ("how much did each household pay")
    money: bool = False  # the number asked for is an amount of money (a cost, a fee, a budget)
    share: bool = False  # the number asked for is a share ("what percentage of ...")
    foreign: bool = False  # not written in English: word matching cannot judge it
    period: str | None = None  # a figure asked per "year" or per "month" ("how much ... per year")
    given: tuple[str, ...] = ()  # the numbers the question states itself ("of the 4,600 animals")

    @property
    def quantity(self) -> bool:
        return self.kind == NUMBER

    @property
    def year(self) -> bool:
        return self.kind == DATE


_UNCOUNTED_PLURALS = {"staff", "people", "personnel", "children", "women", "men"}


def countable(word: str) -> bool:
    """A word that names counted things: a plural, or a noun counted without one ('staff')."""
    return word in _UNCOUNTED_PLURALS or (word.endswith("s") and not word.endswith("ss") and len(word) > 3)


def counted(question: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
    """What "how many X" counts (the words of X, lower case) and the proper-name qualifiers before the counted
    word ("German" in "how many German companies": the practice must name Germany)."""
    things: list[str] = []
    qualifiers: list[frozenset[str]] = []
    for match in _HOW_MANY.finditer(question):
        phrase: list[str] = []
        # "how many (of them) are goats": the thing counted follows the verb (when what follows is
        # a plural noun: in "how many were given out" it is not)
        asked = _COUNTED_AFTER_VERB.sub("", match.group(1))
        head = _RAW_WORD.findall(asked)[:1]
        if asked != match.group(1) and not (head and countable(fold(head[0]))):
            asked = match.group(1)
        for raw in _RAW_WORD.findall(asked):
            if fold(raw) in _PHRASE_END or fold(raw) in ("and", "or"):
                break
            phrase.append(raw)
        kept = [w for w in phrase if fold(w) not in STOPWORDS and fold(w) not in QUESTION_WORDS]
        if not kept:
            continue
        # the counted thing ends at the first plural ("forest owners own ..."), else the last word
        index = next((i for i, w in enumerate(kept) if countable(fold(w))), len(kept) - 1)
        things.extend(fold(w) for w in kept[: index + 1])
        for raw in kept[:index]:
            if raw[:1].isupper():  # a proper-name qualifier: "German companies"
                word = fold(raw)
                names = {stem(word), word}
                if word in DEMONYMS:
                    names.add(DEMONYMS[word])
                qualifiers.append(frozenset(names))
    return tuple(dict.fromkeys(things)), tuple(qualifiers)


COUNTRY_WORDS = frozenset(
    stem(w) for w in [*DEMONYMS, *DEMONYMS.values(), "lithuania", "uk", "kingdom", "czech", "republic"]
)


def answer_kind(question: str) -> str | None:
    """The kind of answer asked for, by the first cue in the question: "When was it founded and
    how many members has it?" asks for a DATE (its parts are analysed one by one)."""
    folded = fold(question)
    found = []
    for kind, pattern in (
        (NUMBER, _QUANTITY),
        (NUMBER, _SHARE),
        (DATE, _YEAR),
        (ORGANISATION, _ORGANISATION),
        (PLACE, _PLACE),
    ):
        match = pattern.search(folded)
        if match:
            found.append((match.start(), kind))
    person = _PERSON.search(folded)
    if person:
        found.append((person.start(), PERSON))
    agent = _AGENT.search(folded)
    if agent and not any(kind in (ORGANISATION, PERSON) for _, kind in found):
        found.append((agent.start(), AGENT))
    return min(found)[1] if found else None


# Words about the collection or the comparison, not about what the practices did.
META = frozenset(
    stem(w)
    for w in """practice practices good collection compare compared comparison
    differ differs difference differences mention mentions mentioned report reports reported
    documents document figure figures statistic statistics""".split()
)
_FITS = re.compile(
    r"\b(would|could|can)\b.{0,80}\b(work|fit|be (copied|transferred|applied|replicated|"
    r"financed|adapted))\b|\b(our|we|us)\b"
)


def analyse(question: str) -> Intent:
    """The Intent of a question (any language; the cues are richest for English)."""
    terms = tuple(t for t in content_terms(question) if t not in META)
    term_set = set(terms)
    sections = frozenset(name for name, cues in _SECTION_CUES.items() if not cues.isdisjoint(term_set))
    folded = fold(question)
    if _FITS.search(folded):  # "would it work for us": the practice's own view on transfer
        sections |= {TRANSFER}
    things, qualifiers = counted(question)
    return Intent(
        terms=terms,
        kind=answer_kind(question),
        counted=things,
        qualifiers=qualifiers,
        sections=sections,
        multi=bool(_MULTI.search(folded)),
        aggregate=bool(_AGGREGATE.search(folded)),
        per_unit=bool(_PER_UNIT.search(folded)),
        money=bool(_MONEY.search(folded)),
        share=bool(_SHARE.search(folded)),
        foreign=is_foreign(question),
        period=next((name for name, pattern in _PERIODS if pattern.search(folded)), None),
        given=tuple(given_number(n) for n in DIGITS.findall(question) if not _YEAR_FIRST.match(n)),
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


# function words of the other languages users write in (German, French, Spanish, Italian,
# Portuguese, Dutch, Polish, Lithuanian), folded; none is also a common English word
FOREIGN_FUNCTION_WORDS = frozenset(
    """der das und ist sind wie viele welche welcher wer wann wo mit von fur zu im auf ein eine einen
    nicht dem des le la les et est sont du une un quels quelle quelles combien qui quand ou avec pour
    dans pas sur au aux el los las y es que cual cuales cuantos cuantas quien cuando donde con para
    por del una il gli sono quale quali quanti quante chi dove nel della delle degli os e sao quantos
    qual quais quem onde com da dos das uma het een en zijn hoeveel welke wanneer waar voor van w z
    na jest sa jak ile ktore ktory kto kiedy gdzie dla sie nie czy ir yra kiek kokie kuris kas kada
    kur su kaip ar kann konnen man vom zum zur hat haben wird werden auch aus bei nach uber sich gibt
    peut peuvent ce ces des qu quoi tiene tienen hay se lo cuanto cuanta ha hanno di che si cosa
    quanto quanta ma maja co jakie jaki jaka turi koks kokia kokiu ka""".split()
)


def is_foreign(question: str) -> bool:
    """Hardly any English function words, and either some of another language's or no English
    one at all: the question is in another language ("Summarise the latest Harry Potter book" has
    one English function word in six and none of another language: English)."""
    tokens = words(question)
    if len(tokens) < 3:
        return False
    english = sum(1 for t in tokens if t in STOPWORDS or t in QUESTION_WORDS)
    other = sum(1 for t in tokens if t in FOREIGN_FUNCTION_WORDS)
    # "Was kostet das Projekt?": "was" is German too; more of another language's words decide
    return (english / len(tokens) < 0.2 and (other > 0 or english == 0)) or (other > 0 and other >= english)


def parts(question: str) -> list[str]:
    """The sub-questions of a compound question: "How many people work there, and how many
    members does it have?" -> two parts. A simple question is one part."""
    pieces = re.split(
        r"(?:,\s*|\s+)and\s+(?=(?:how|what|when|which|who|whom|where|why|is|are|does|do|did|since|over|"
        r"(?:by|from|with|for) (?:whom|which|what))\b)"
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
