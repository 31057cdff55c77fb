"""Key facts of a practice, extracted by rules and patterns (no model): start year, money, staff,
member and beneficiary counts, duration, funding source, results, owner, country and region.

Every fact keeps where it came from: the section and the offsets of its sentence in
`Practice.text` (`start`, `end`) and of the matched words (`match_start`, `match_end`), so
`practice.text[fact.start:fact.end]` is the evidence to cite. Facts taken from the metadata file
(country, region) that the text does not mention have no offsets (`origin == "metadata"`).

The rules are deliberately conservative and were written against the hand-labelled set in
tests/assistant/facts_gold.jsonl; `benchmarks/facts_eval.py` measures them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.types import Practice
from assistant.vocabulary import sentence_spans

# Bump when the rules change: stored facts of an older version are re-extracted on read.
FACTS_VERSION = 1

FACT_KINDS: tuple[str, ...] = (
    "start_year",  # int year
    "budget",  # money the practice costs, spends, receives or distributes
    "grant",  # money one beneficiary can receive
    "amount",  # other money (prices, turnover, savings, thresholds); shown, never filtered on
    "staff",
    "members",
    "beneficiaries",
    "duration",  # months
    "funding_source",  # text
    "result",  # another counted outcome
    "owner",  # text
    "country",  # text, from metadata
    "region",  # text, from metadata
)
MONEY_KINDS = frozenset({"budget", "grant", "amount"})
COUNT_KINDS = frozenset({"staff", "members", "beneficiaries", "result"})
TEXT_KINDS = frozenset({"funding_source", "owner", "country", "region"})

# Human labels, in the order facts are shown.
KIND_LABELS: dict[str, str] = {
    "start_year": "Start year",
    "budget": "Budget / cost",
    "grant": "Grant per beneficiary",
    "staff": "Staff",
    "members": "Members",
    "beneficiaries": "Beneficiaries",
    "duration": "Duration",
    "funding_source": "Funding source",
    "result": "Results (figures)",
    "amount": "Other amounts",
    "owner": "Owner",
    "country": "Country",
    "region": "Region",
}


@dataclass(frozen=True)
class Fact:
    """One key fact and the sentence it came from."""

    kind: str
    value: float | int | str  # year, amount, count, months, or text
    text: str  # the matched words, e.g. "around 100 000 per cluster in 3 years"
    section: str
    start: int | None  # the evidence sentence: Practice.text[start:end]
    end: int | None
    match_start: int | None = None  # the matched words: Practice.text[match_start:match_end]
    match_end: int | None = None
    value_max: float | None = None  # upper end of a range ("7-10 person-years")
    currency: str | None = None  # ISO code when the document states one
    period: str | None = None  # "per year", "per cluster in 3 years"
    qualifier: str | None = None  # "about", "more than", "up to", "at least", ...
    subject: str | None = None  # what is counted: "automotive companies"
    origin: str = "text"  # "text" or "metadata"

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def display(self) -> str:
        """A short human rendering: 'about EUR 250,000 per year', 'more than 70 new members'."""
        if self.kind in TEXT_KINDS:
            return str(self.value)
        if self.kind == "start_year":
            return str(self.value)
        if self.kind == "duration":
            return self.text
        number = _format_number(float(self.value))
        if self.value_max is not None:
            number += f"-{_format_number(self.value_max)}"
        if self.kind in MONEY_KINDS:
            number = f"{self.currency} {number}" if self.currency else f"{number} (currency not stated)"
        parts = [p for p in (self.qualifier, number) if p]
        if self.subject and self.kind not in MONEY_KINDS:
            parts.append(self.subject)
        if self.period:
            parts.append(self.period)
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = self.label
        data["display"] = self.display()
        return data

    def cited(self, practice: Practice) -> dict[str, Any]:
        """to_dict() plus what a citation needs: the evidence sentence and the source file."""
        data = self.to_dict()
        data["practice_id"] = practice.id
        data["source"] = practice.source if self.origin == "text" else f"{practice.source} (metadata)"
        data["evidence"] = practice.text[self.start : self.end] if self.start is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def _format_number(value: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size and (value / size) * 100 == int((value / size) * 100):
            return f"{value / size:,.2f}".rstrip("0").rstrip(".") + f" {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# -- number recognition ----------------------------------------------------------------------

CURRENCIES = {
    "eur": "EUR",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "£": "GBP",
    "pounds": "GBP",
    "usd": "USD",
    "$": "USD",
    "dollars": "USD",
    "czk": "CZK",
    "dkk": "DKK",
    "sek": "SEK",
    "nok": "NOK",
    "pln": "PLN",
    "huf": "HUF",
    "ron": "RON",
    "chf": "CHF",
    "bgn": "BGN",
    "isk": "ISK",
}
_CURRENCY_BEFORE = r"(?P<cur>EUR|GBP|USD|CZK|DKK|SEK|NOK|PLN|HUF|RON|CHF|BGN|ISK|€|£|\$)\s?"
_CURRENCY_AFTER = r"\s?(?P<cur2>EUR|euros?|Euros?|GBP|pounds|USD|dollars|CZK|DKK|SEK|NOK|PLN|HUF|RON|CHF)\b"
_DIGITS = r"\d{1,3}(?:[ ,\u00a0]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:\s?(?P<mult>million|billion|thousand|bn)\b)?"
MULTIPLIERS = {"million": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3}

WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_WORD_NUMBER = r"\b(?P<word>" + "|".join(WORD_NUMBERS) + r")\b"

_NUMBER = re.compile(
    r"(?:"
    + _CURRENCY_BEFORE
    + r")?(?<![\w.,/-])(?P<num>"
    + _DIGITS
    + r")(?![\w/])"
    + _MULT
    + r"(?:"
    + _CURRENCY_AFTER
    + r")?"
    + r"|"
    + _WORD_NUMBER,
    re.IGNORECASE,
)
_RANGE_TAIL = re.compile(
    r"\s?(?:-|–|to)\s?(?:" + _CURRENCY_BEFORE + r")?(?P<num>" + _DIGITS + r")(?![\w/])"
    r"(?:\s?(?P<mult>million|billion|thousand)\b)?|\s?(?:-|–|to)\s?(?P<word>"
    + "|".join(WORD_NUMBERS)
    + r")\b",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"between\s+$", re.IGNORECASE)
_AND_NUMBER = re.compile(
    r"\s+and\s+(?:"
    + _CURRENCY_BEFORE
    + r")?(?P<num>"
    + _DIGITS
    + r")(?P<mult>\s?(?:million|billion|thousand))?\b",
    re.IGNORECASE,
)

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "spring",
    "summer",
    "autumn",
    "winter",
    "mid",
)
_QUALIFIERS = (
    ("more than", "more than"),
    ("well over", "more than"),
    ("over", "more than"),
    ("above", "more than"),
    ("in excess of", "more than"),
    ("almost", "nearly"),
    ("nearly", "nearly"),
    ("close to", "nearly"),
    ("approximately", "about"),
    ("around", "about"),
    ("about", "about"),
    ("roughly", "about"),
    ("some", "about"),
    ("an estimated", "about"),
    ("up to a maximum of", "up to"),
    ("a maximum of", "up to"),
    ("up to", "up to"),
    ("at most", "up to"),
    ("maximum", "up to"),
    ("at least", "at least"),
    ("a minimum of", "at least"),
    ("less than", "less than"),
    ("fewer than", "less than"),
    ("under", "less than"),
    ("below", "less than"),
    ("a total of", ""),
    ("the equivalent of", ""),
)


@dataclass
class Mention:
    """A number in a sentence, before it is given a kind."""

    value: float
    start: int  # absolute offsets of the whole mention in Practice.text
    end: int
    value_max: float | None = None
    currency: str | None = None
    is_word: bool = False
    is_year: bool = False
    qualifier: str | None = None
    qualifier_start: int | None = None
    after: str = ""  # the sentence text after the mention
    before: str = ""  # the sentence text before the mention
    kind: str | None = None
    subject: str | None = None
    period: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _parse_digits(raw: str, mult: str | None) -> float:
    value = float(re.sub(r"[ ,\u00a0]", "", raw))
    if mult:
        value *= MULTIPLIERS[mult.strip().lower()]
    return value


def _qualifier(before: str) -> tuple[str | None, int]:
    """The qualifier ending `before` and how many characters it takes."""
    lowered = before.lower()
    for phrase, normal in _QUALIFIERS:
        match = re.search(r"\b" + re.escape(phrase) + r"\s+$", lowered)
        if match:
            return (normal or None), len(before) - match.start()
    return None, 0


def _range_end(
    sentence: str, m: re.Match[str], value: float, is_word: bool
) -> tuple[float, float, int] | None:
    """(lower value, upper value, end) when the number at m starts a range: '7-10', '2 to 3 million',
    'between 11 and 20', 'two to three'; None otherwise (also when the second is not larger)."""
    tail = _RANGE_TAIL.match(sentence, m.end())
    if tail is None and _BETWEEN.search(sentence[max(0, m.start() - 20) : m.start()]) and not is_word:
        tail = _AND_NUMBER.match(sentence, m.end())
    if tail is None:
        return None
    if is_word:
        if not tail.groupdict().get("word"):
            return None
        second = float(WORD_NUMBERS[tail.group("word").lower()])
    else:
        if not tail.group("num"):
            return None
        first_is_year = m.group("mult") is None and re.fullmatch(r"(19|20)\d\d", m.group("num")) is not None
        second_is_year = re.fullmatch(r"(19|20)\d\d", tail.group("num")) is not None
        if first_is_year != second_is_year:
            return None
        if m.group("mult") and not tail.group("mult"):
            return None  # "EUR 1.2 million to 14 projects"
        if tail.group("mult") and not m.group("mult"):  # "2 to 3 million"
            value = _parse_digits(m.group("num"), tail.group("mult"))
        second = _parse_digits(tail.group("num"), tail.group("mult"))
    return (value, second, tail.end()) if second > value else None


# How much text around a number the rules look at: keeps a sentence without full stops (a long
# list, a table pasted as text) linear in its length.
WINDOW = 300


def find_mentions(text: str, start: int, end: int) -> list[Mention]:
    """Numbers in text[start:end] (one sentence), with currency, range and qualifier."""
    sentence = text[start:end]
    mentions: list[Mention] = []
    position = 0
    while True:
        m = _NUMBER.search(sentence, position)
        if m is None:
            break
        m_start, m_end = m.start(), m.end()
        value_max = None
        if m.group("word"):
            value = float(WORD_NUMBERS[m.group("word").lower()])
            currency = None
            is_word = True
        else:
            value = _parse_digits(m.group("num"), m.group("mult"))
            raw_currency = m.group("cur") or m.group("cur2")
            currency = CURRENCIES.get(raw_currency.lower()) if raw_currency else None
            is_word = False
        ranged = _range_end(sentence, m, value, is_word)
        if ranged is not None:
            value, value_max, m_end = ranged
        position = m_end
        before = sentence[max(0, m_start - WINDOW) : m_start]
        qualifier, q_len = _qualifier(before)
        between = _BETWEEN.search(before)
        if between and value_max is not None:
            q_len = len(before) - between.start()
        is_year = (
            not is_word
            and currency is None
            and m.group("mult") is None
            and re.fullmatch(r"(19|20)\d\d", m.group("num") or "") is not None
        )
        mentions.append(
            Mention(
                value=value,
                value_max=value_max,
                currency=currency,
                is_word=is_word,
                is_year=is_year,
                qualifier=qualifier,
                qualifier_start=start + m_start - q_len,
                start=start + m_start,
                end=start + m_end,
                before=before,
                after=sentence[m_end : m_end + WINDOW],
            )
        )
    return mentions


# -- classification --------------------------------------------------------------------------

_START_CUE = re.compile(
    r"\b(founded|established|set up|created|launched|started|began|begun|introduced|incorporated|"
    r"adopted|inaugurated|opened|opening|first presented|ran from|was born|kicked off|pilot phase)\b",
    re.IGNORECASE,
)
_DATE_NEIGHBOUR = re.compile(r"^\s*(" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
_DATE_BEFORE = re.compile(r"\b(" + "|".join(MONTHS) + r")\s*$", re.IGNORECASE)

_PERCENT = re.compile(r"^\s?(%|per ?cent|percent|percentage points)", re.IGNORECASE)
_NOT_A_COUNT_AFTER = re.compile(
    r"^\s?((?:st|nd|rd|th|am|pm)\b|:\d|x\b|/|\.\d|-year-old|years? old|hours?|minutes?|days?|"
    r"weeks?|months?|years?|km/h|decades?|centur)",
    re.IGNORECASE,
)
_DURATION = re.compile(r"^\s?-?\s?(?P<unit>years?|months?|weeks?|days?)\b", re.IGNORECASE)
_DURATION_BEFORE = re.compile(
    r"\b(for|lasting|in|during)\s+(up to\s+|a maximum of\s+|at least\s+)?$", re.IGNORECASE
)
_DURATION_VETO_BEFORE = re.compile(
    r"\b(within|first|last|previous|past|next|valid for)\s+(\w+\s+)?$", re.IGNORECASE
)
_DURATION_VETO_AFTER = re.compile(
    r"^\s?-?\s?(years?|months?)\s+(old|ago|later|earlier|before|after)\b", re.IGNORECASE
)

_MONEY_OTHER = re.compile(
    r"\b(turnover|revenues?|sales|exports?|saved?|savings|worth|attract(ed)?|balance sheet|"
    r"de minimis|limited to|must be at least|costs? between|price|costs? (?:gbp|eur|usd)|"
    r"each share|invests?|in public aid|per stay|charges?|fee of|value of the|market)\b",
    re.IGNORECASE,
)
_MONEY_BUDGET = re.compile(r"\b(budget|budgets)\b", re.IGNORECASE)
_MONEY_GRANT = re.compile(
    r"\b(up to|at most|maximum|ceiling|each|per (?:project|company|firm|sme|applicant|voucher)|"
    r"voucher|grant of|(?:can|could|may|to|each|will) receive|pays?|worth at most|funded with)\b",
    re.IGNORECASE,
)
_MONEY_BUDGET_WEAK = re.compile(
    r"\b(total|funding|financed|funds?|spent|spend|received|dedicated|contributed|invested|loan|"
    r"shares|subsid(y|ies)|granted|annual|a year|per year|annually|amount|costs?|support|"
    r"public money|programme|grant)\b",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"^\s?(?:\([^)]*\)\s*)?(?P<period>(?:a|per|each)\s+(?:year|month|week|day|stay|project|cluster|"
    r"company|firm|sme|voucher|person|participant|region|call|household|member|school|"
    r"inhabitant|applicant)(?:\s+(?:in|over|for)\s+(?:\d+|\w+)\s+years?)?|annually|"
    r"(?:in|over)\s+(?:\d+|\w+)\s+years|in\s+(?:19|20)\d\d)\b",
    re.IGNORECASE,
)

# what is counted (head noun of the phrase after a number)
UNITS = {
    "mw",
    "kw",
    "gw",
    "mwh",
    "kwh",
    "gwh",
    "twh",
    "km",
    "m",
    "m2",
    "m3",
    "ha",
    "hectares",
    "kg",
    "tonnes",
    "tons",
    "t",
    "litres",
    "liters",
    "mwp",
    "kwp",
}
STAFF_NOUNS = {
    "employee",
    "employees",
    "staff",
    "person-years",
    "fte",
    "ftes",
    "employees.",
    "workers",
    "full-time",
}
STAFF_SOFT_NOUNS = {
    "people",
    "persons",
    "experts",
    "nurses",
    "trainers",
    "advisers",
    "advisors",
    "consultants",
    "coaches",
    "officers",
}
MEMBER_NOUNS = {"member", "members", "founders", "shareholders", "partners", "stakeholders", "pearls"}
ORG_NOUNS = {
    "companies",
    "company",
    "firms",
    "smes",
    "enterprises",
    "organisations",
    "organizations",
    "institutions",
    "municipalities",
    "villages",
    "owners",
    "start-ups",
    "startups",
    "actors",
    "entities",
    "manufacturers",
    "universities",
    "associations",
    "clusters",
    "cooperatives",
    "businesses",
    "producers",
    "suppliers",
    "centres",
    "centers",
    "laboratories",
    "schools",
    "cities",
    "regions",
    "towns",
    "communes",
}
PEOPLE_NOUNS = {
    "people",
    "persons",
    "patients",
    "users",
    "participants",
    "citizens",
    "residents",
    "households",
    "farmers",
    "librarians",
    "students",
    "pupils",
    "entrepreneurs",
    "applicants",
    "visitors",
    "passengers",
    "families",
    "inhabitants",
    "children",
    "learners",
    "jobseekers",
    "clients",
    "customers",
    "consortia",
    "libraries",
    "homes",
    "young",
}
_MEMBER_CONTEXT = re.compile(
    r"\b(members?|membership|founders?|founding|founded|set up|joined|consists? of|owned by|"
    r"stakeholders|brings together|partners)\b",
    re.IGNORECASE,
)
_BENEFICIARY_CONTEXT = re.compile(
    r"\b(supported|benefited|benefit from|helped|served|reached|trained|cared for|used|"
    r"took part|take part|participated|assisted|equipped|started projects|awarded to|granted to|"
    r"registered|received (?:support|funding|a grant|grants|vouchers?|help|advice|training|aid)|"
    r"to receive|were offered|have been offered|would have been offered|involving|involved)\b",
    re.IGNORECASE,
)
_STAFF_CONTEXT = re.compile(
    r"\b(employs?|employed|employing|team|staff|relies on|workforce|"
    r"person-years|headcount)\b",
    re.IGNORECASE,
)
_STAFF_VETO = re.compile(
    r"\b(ecosystem|member companies|members|fewer than|less than|with more than|"
    r"companies with|firms with)\b",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(
    r"\b(must|need|needs|needed|required|requires|eligible|qualify|at least|"
    r"no more than|fewer than|less than|minimum|threshold)\b",
    re.IGNORECASE,
)
_RESULT_VERBS = re.compile(
    r"\b(brought|organised|organized|created|achieved|produced|delivered|completed|developed|"
    r"funded|supported|generated|carried|installed|trained|won|obtained|implemented|"
    r"participated|participate|took part|hosted|launched|signed|recorded|reached|attracted)\b",
    re.IGNORECASE,
)
_VERBS = frozenset(
    """set sets run runs make makes own owns use uses work works live lives say says come comes
    came get gets got go goes went took take takes give gives gave join joins became become becomes
    has had have is are was were produce produces provide provides receive receives offer offers
    help helps hold holds meet meets keep keeps show shows find finds share shares lead leads
    signed won run ran grew grow grows earn earns employ employs pay pays""".split()
)
_ADVERBS = frozenset("later then also now still thus so again soon already".split())
_PHRASE_STOP = re.compile(
    r"^(in|of|for|with|from|to|who|that|which|were|was|is|are|had|has|have|by|on|at|per|across|"
    r"between|since|during|including|whose|would|will|could|can|each|as|than|and|or|but|into|"
    r"through|under|over|via|the|a|an|its|their|it|they|did|do|does|been|being|whom|where|when|"
    r"according|both|all|alone|more|less|them|this|these|those|so|such|out|about|around|while|worth|"
    r"later|then|also|now|still|already)$",
    re.IGNORECASE,
)
_WORD_TOKEN = re.compile(r"[\"'“”‘’]?([\w][\w&.'’-]*)[\"'“”‘’]?|([,;:.()!?•])")


def _noun_phrase(after: str) -> tuple[list[str], bool]:
    """Words of the noun phrase right after a number, and whether it was cut by punctuation.

    Stops at punctuation, a function word, a verb-looking word (-ed, -ing) or after five words;
    crosses "and" when the next word is not a number ("2 scientific and research institutions").
    """
    words: list[str] = []
    position = 0
    while len(words) < 5:
        match = _WORD_TOKEN.search(after, position)
        if not match or after[position : match.start()].strip():
            break
        position = match.end()
        if match.group(2):
            break
        word = match.group(1)
        sentence_end = word.endswith(".") and not re.fullmatch(r"(?:[A-Za-z]\.)+", word)
        word = word.rstrip(".") if sentence_end else word
        lower = word.lower()
        if lower == "and" and words:
            peek = _WORD_TOKEN.search(after, position)
            if (
                peek
                and peek.group(1)
                and not re.match(r"\d", peek.group(1))
                and peek.group(1).lower() not in WORD_NUMBERS
                and not _PHRASE_STOP.match(peek.group(1))
                and peek.group(1).lower() not in _VERBS
                and not peek.group(1).lower().endswith(("ed", "ly"))
                and peek.group(1).lower() not in _ADVERBS
            ):
                words.append(word)
                continue
            break
        if _PHRASE_STOP.match(lower) or lower in WORD_NUMBERS or re.match(r"\d", lower) or lower in _VERBS:
            break
        if not words and lower.endswith("ly") and lower not in {"family", "supply", "italy"}:
            break  # "about 5 directly": an adverb, no noun
        if not words and lower in UNITS:
            words.append(word)
            break  # "1 MW", "11 km": the unit is what is counted
        if words and (lower.endswith("ed") or lower.endswith("ing")) and lower not in ORG_NOUNS:
            break
        if not words and (lower.endswith("ed") and lower not in {"need", "seed", "shed"}):
            break  # "26 joined": a verb, no noun
        words.append(word)
        if sentence_end:
            break
    return words, False


def _head(words: Sequence[str]) -> str:
    return words[-1].lower().strip("\"'“”‘’.") if words else ""


# -- the extractor ---------------------------------------------------------------------------

_SKIP_SECTIONS = {"further information"}
_OWNER_LINE = re.compile(
    r"^[ \t]*Organi[sz]ation[ \t]*:[ \t]*(?P<value>\S[^\n]*?)[ \t]*$", re.IGNORECASE | re.MULTILINE
)

_FUNDING_BY = re.compile(
    r"\b(?:co-?financed|co-?funded|financed|funded|sponsored|paid for|supported financially)"
    r"(?:\s+(?:directly|mainly|mostly|largely|jointly|partly|entirely|fully|primarily))?\s+(?:by|from)\s+"
    r"(?P<source>[^.;:()]{1,200})",
    re.IGNORECASE,
)
_FUNDING_FROM = re.compile(
    r"\b(?:funds?|funding|money|financing|co-financing|support)\s+(?:comes?|came|is provided|are provided)"
    r"\s+from\s+(?P<source>[^.;:()]{1,200})",
    re.IGNORECASE,
)
_MONEY_FROM = re.compile(r"^\s*(?:[^.;:,]{0,40}?)\bfrom\s+(?P<source>(?:the\s+)?[^.;:,]+)", re.IGNORECASE)
_FUNDER_VERB = re.compile(
    r"(?:^|,\s+|;\s+)(?P<source>(?:the\s+)?[A-Za-z][A-Za-z' -]{2,60}?)\s+(?:dedicated|spent|invested|"
    r"contributed|financed|funded|provided|pays into|pay into|pay)\b",
    re.IGNORECASE,
)
_FUNDS_NAMED = re.compile(
    r"\b(?P<source>(?:EU\s+)?Structural Funds|ERDF|European Regional Development Fund|ESF\+?|"
    r"European Social Fund|Cohesion Fund|EAFRD|LEADER|INTERREG\s+[IVX]+[A-C]?|Interreg\s+[IVX]+[A-C]?|"
    r"Horizon 2020|Horizon Europe|COSME|EU funds|national and EU funds|membership fees)\b"
)
_FUNDING_CONTEXT = re.compile(
    r"\b(fund\w*|financ\w*|co-financ\w*|support|grant|budget|paid|pay)\b", re.IGNORECASE
)
_WHICH_FUNDING = re.compile(
    r"(?P<source>(?:\w+(?:\s+and)?\s+){1,3}\w+),\s+which\s+provides?\s+(?:part of\s+|most of\s+|all of\s+)?"
    r"(?:the\s+|its\s+)?(?:\w+\s+)?funding",
    re.IGNORECASE,
)
_SOURCE_CUT = re.compile(
    r"\s+(?:as part of|under|in order|to|for|so that|while|which|who|because|since|and run|and is run|"
    r"and managed|and implemented|and operated|through which|with the aim|between|during|in \d{4}|"
    r"was|were|is|are|has|have)\b.*$",
    re.IGNORECASE,
)


def _clean_source(raw: str) -> str:
    source = _SOURCE_CUT.sub("", raw).strip(" ,")
    source = re.sub(r"^(?:\w+ed\s+)+", "", source)  # "implemented national projects" -> "national projects"
    source = re.sub(r"\s+and\s+(?:EUR|GBP|USD|CZK|DKK|SEK|PLN|€|£|\$|\d).*$", "", source)
    while source.endswith(")") and source.count(")") > source.count("("):
        source = source[:-1].rstrip()
    if len(source) > 120:
        source = source[:120].rsplit(" ", 1)[0]
    return source


def _section_spans(practice: Practice) -> list[tuple[str, int, int]]:
    return [(s.name, s.start, s.end) for s in practice.sections]


def _sentences(practice: Practice) -> Iterable[tuple[str, int, int]]:
    for name, s_start, s_end in _section_spans(practice):
        for start, end in sentence_spans(practice.text, s_start, s_end):
            yield name, start, end


def _locate(text: str, phrase: str, lo: int, hi: int) -> tuple[int, int] | None:
    index = text.find(phrase, lo, hi)
    if index < 0:
        return None
    return index, index + len(phrase)


def extract_facts(practice: Practice) -> list[Fact]:
    """All key facts of a practice, in document order (metadata facts last). Never raises."""
    facts: list[Fact] = []
    text = practice.text
    start_years: list[Fact] = []
    for section, s_start, s_end in _sentences(practice):
        if section.lower() in _SKIP_SECTIONS:
            continue
        sentence = text[s_start:s_end]
        if sentence.lstrip().lower().startswith(("source:", "organisation:", "organization:")):
            continue
        mentions = find_mentions(text, s_start, s_end)
        previous_count: Mention | None = None
        previous_money: Mention | None = None
        for mention in mentions:
            fact = _classify(practice, section, s_start, s_end, mention, previous_count, previous_money)
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
        facts.extend(_funding_sources(practice, section, s_start, s_end, mentions))
    if start_years:
        facts.append(min(start_years, key=lambda f: (int(f.value), f.start or 0)))
    facts.extend(_owner_facts(practice))
    facts.extend(_metadata_facts(practice))
    return _dedupe(facts)


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


def _classify(
    practice: Practice,
    section: str,
    s_start: int,
    s_end: int,
    m: Mention,
    previous: Mention | None,
    previous_money: Mention | None,
) -> Fact | None:
    text = practice.text
    lo = max(s_start, m.start - WINDOW)  # the part of the sentence the rules look at
    sentence = text[lo : min(s_end, m.end + WINDOW)]
    before, after = m.before, m.after

    def make(kind: str, value: float | int, *, match_end: int | None = None, **extra: Any) -> Fact:
        q_start = m.qualifier_start if m.qualifier_start is not None else m.start
        end = match_end if match_end is not None else m.end
        return Fact(
            kind=kind,
            value=value,
            text=text[q_start:end],
            section=section,
            start=s_start,
            end=s_end,
            match_start=q_start,
            match_end=end,
            value_max=m.value_max,
            currency=m.currency,
            qualifier=m.qualifier,
            **extra,
        )

    # years: a start year when a start cue is near, otherwise never a count
    if m.is_year:
        if m.value_max is not None and m.value_max < 1900:
            return None
        window = sentence[max(0, m.start - lo - 70) : m.end - lo + 70]
        cue = _START_CUE.search(window)
        if cue:
            return make("start_year", int(m.value))
        return None
    # money
    if m.currency is not None or _is_bare_money(m, sentence):
        if (
            previous_money is not None
            and previous_money.kind
            and re.search(r"(\(|\bincluding|\bof which|\bof this)\s*(?:\w+\s+){0,2}$", before)
            and previous_money.end >= m.start - 40
        ):
            kind = previous_money.kind  # "CZK 10 million (about EUR 400,000)": same role
        else:
            kind = _money_kind(section, before, after)
        period = _PERIOD.match(after)
        extra_end = None
        period_text = None
        if period:
            period_text = period.group("period")
            extra_end = m.end + period.end()
        if (
            re.search(r"\b(annual|annually|yearly)\b\s*(?:\w+\s+){0,3}$", before, re.IGNORECASE)
            and not period_text
        ):
            period_text = "per year"
        return make(kind, m.value, match_end=extra_end, period=_normal_period(period_text))
    if _PERCENT.match(after) or _DATE_NEIGHBOUR.match(after) or _DATE_BEFORE.search(before):
        return None
    if (
        re.search(r"[A-Za-z]\s?$", before)
        and before.rstrip().split(" ")[-1][:1].isupper()
        and not m.is_word
        and not re.search(
            r"\b(In|By|From|To|Of|At|With|And|The|Some|About|"
            r"Around|Over|Only|All|Than|Nearly|Almost)\s?$",
            before,
        )
    ):
        return None  # a name like "Kavalir 4", "FP6", "Horizon 2020"
    # durations
    unit = _DURATION.match(after)
    if unit:
        if _DURATION_VETO_BEFORE.search(before) or _DURATION_VETO_AFTER.match(after):
            return None
        if _DURATION_BEFORE.search(before) or re.match(r"^-", after) or m.value_max is not None:
            months = {"year": 12, "month": 1, "week": 12 / 52, "day": 12 / 365}[
                unit.group("unit").lower().rstrip("s")
            ]
            fact = make("duration", round(m.value * months, 2), match_end=m.end + unit.end())
            if m.value_max is not None:
                fact = Fact(**{**asdict(fact), "value_max": round(m.value_max * months, 2)})
            return fact
        return None
    if _NOT_A_COUNT_AFTER.match(after):
        return None
    words, _ = _noun_phrase(after)
    head = _head(words)
    subject = " ".join(w.strip("\"'“”‘’") for w in words).rstrip(".") or None
    phrase_end = m.end
    if words:
        last = after.find(words[-1])
        phrase_end = m.end + last + len(words[-1]) if last >= 0 else m.end
    of_them = re.match(r"^\s+of (them|which|these|those)\b", after)
    of_which = re.search(r"\b(of which|of whom|among them)\s+(\w+\s+){0,2}$", before)
    inherit = not words or of_them is not None or of_which is not None
    words2: list[str] = []
    if of_them:
        rest = after[of_them.end() :]
        words2, _ = _noun_phrase(rest)
        if words2:
            subject = " ".join(words2).rstrip(".")
            phrase_end = m.end + of_them.end() + rest.find(words2[-1]) + len(words2[-1])
    if inherit and previous is not None and previous.kind is not None:
        kind = previous.kind
        if not words or (of_them and subject == " ".join(w.strip("\"'“”‘’") for w in words)):
            subject = previous.subject if not (of_them and words2) else subject
    else:
        if not words:
            return None
        found = _count_kind(section, _clause(sentence, m.start - lo), before, head, m)
        if (
            previous is not None
            and previous.kind == "members"
            and head in ORG_NOUNS | PEOPLE_NOUNS
            and found in ("result", None)
        ):
            found = "members"  # "435 members: 222 SMEs, 160 large companies, ..."
        if found is None:
            return None
        kind = found
    m.kind, m.subject = kind, subject
    if (
        _THRESHOLD.search(before[-40:])
        and kind != "staff"
        and m.qualifier in ("at least", "less than", "up to")
    ):
        return None
    if _THRESHOLD.search(before[-40:]) and kind == "staff" and m.qualifier == "less than":
        return None
    return make(
        kind, int(m.value) if m.value == int(m.value) else m.value, match_end=phrase_end, subject=subject
    )


def _clause(sentence: str, offset: int) -> str:
    """The clause of sentence around offset: between ; : • or a bullet line."""
    lo = max(sentence.rfind(ch, 0, offset) for ch in ";:•")
    his = [i for i in (sentence.find(ch, offset) for ch in ";:•") if i >= 0]
    return sentence[lo + 1 : min(his) if his else len(sentence)]


def _is_bare_money(m: Mention, sentence: str) -> bool:
    """'total amount ... is around 100 000 per cluster': a money figure without a currency."""
    if m.is_word or m.value < 1000:
        return False
    if not re.search(r"\b(amount|budget|cost|costs|salary|salaries|financial)\b", sentence, re.IGNORECASE):
        return False
    words, _ = _noun_phrase(m.after)
    return not words or _head(words) in {"per"}


def _money_kind(section: str, before: str, after: str) -> str:
    clause_start = max(before.rfind(ch) for ch in ",;:(")
    clause = before[clause_start + 1 :] if clause_start >= 0 and len(before) - clause_start > 12 else before
    window_before = " ".join(clause.split()[-9:])
    window_after = " ".join(after.split()[:4])
    near = f"{window_before} # {window_after}"
    if re.search(r"\bworth\s+(?:at most|up to|a maximum of|maximum)\s*$", before, re.IGNORECASE):
        return "grant"
    if _MONEY_OTHER.search(window_before) or re.match(
        r"^\s?(in public aid|in r&d|a year in r&d)\b", after, re.IGNORECASE
    ):
        return "amount"
    if _MONEY_BUDGET.search(window_before):
        return "budget"
    if _MONEY_GRANT.search(" ".join(clause.split()[-5:])) or re.match(
        r"^\s?(each|per project|per company|per firm|per voucher|per applicant)\b", after, re.IGNORECASE
    ):
        return "grant"
    if _MONEY_BUDGET_WEAK.search(near) or section == "Resources needed":
        return "budget"
    return "amount"


def _normal_period(period: str | None) -> str | None:
    if not period:
        return None
    period = re.sub(r"\s+", " ", period.strip().lower())
    if period in ("a year", "annually", "each year"):
        return "per year"
    if period.startswith("a "):
        return "per " + period[2:]
    return period


def _count_kind(section: str, sentence: str, before: str, head: str, m: Mention) -> str | None:
    """members / staff / beneficiaries / result, or None when the number is not a key fact."""
    if not head or head in {"euros", "euro", "times", "percent", "cent", "fold"}:
        return None
    local = before[-60:]
    if head in STAFF_NOUNS or (head in STAFF_SOFT_NOUNS and _STAFF_CONTEXT.search(sentence)):
        if (
            _STAFF_VETO.search(local)
            or re.search(r"\b(ecosystem|employs about \d)", sentence[:30])
            or re.search(r"\becosystem\b", sentence, re.IGNORECASE)
        ):
            return None
        if head in STAFF_NOUNS or re.search(r"\b(employ\w*|team|relies on)\b", sentence, re.IGNORECASE):
            return "staff"
    if head in MEMBER_NOUNS:
        if (
            head == "partners"
            and not _MEMBER_CONTEXT.search(sentence.replace("partners", ""))
            and not re.search(r"\bwith\s+$", before)
        ):
            return "result" if section == "Evidence of success" else None
        return "members"
    if head in ORG_NOUNS or head in PEOPLE_NOUNS:
        if _MEMBER_CONTEXT.search(sentence) and not _BENEFICIARY_CONTEXT.search(local + " " + m.after[:40]):
            return "members"
        if _BENEFICIARY_CONTEXT.search(sentence):
            return "beneficiaries"
        if m.is_word and (
            section != "Evidence of success"
            or re.search(r"\b(first|last|next|previous|past|other)\s+$", before, re.IGNORECASE)
        ):
            return None
        return "result" if _is_result_context(section, sentence) else None
    if m.is_word and section != "Evidence of success":
        return None
    if m.is_word and re.search(r"\b(first|last|next|previous|past|other)\s+$", before, re.IGNORECASE):
        return None
    if m.is_word and head in {
        "times",
        "levels",
        "areas",
        "types",
        "pillars",
        "aims",
        "sectors",
        "markets",
        "categories",
        "strands",
        "phases",
        "rounds",
        "steps",
    }:
        return None
    return "result" if _is_result_context(section, sentence) else None


def _is_result_context(section: str, sentence: str) -> bool:
    if section == "Evidence of success":
        return True
    return section == "About this good practice" and _RESULT_VERBS.search(sentence) is not None


def _funding_sources(
    practice: Practice, section: str, s_start: int, s_end: int, mentions: Sequence[Mention]
) -> list[Fact]:
    text = practice.text
    sentence = text[s_start:s_end]
    found: list[tuple[int, int]] = []

    def add(a: int, b: int) -> None:
        raw = sentence[a:b]
        cleaned = _clean_source(raw)
        if not cleaned or len(cleaned) < 3:
            return
        offset = raw.find(cleaned)
        a, b = a + offset, a + offset + len(cleaned)
        if any(a < y and x < b for x, y in found):
            return
        found.append((a, b))

    for pattern in (_FUNDING_BY, _FUNDING_FROM, _WHICH_FUNDING):
        for match in pattern.finditer(sentence):
            add(match.start("source"), match.end("source"))
    for mention in mentions:
        if mention.currency is None:
            continue
        tail = _MONEY_FROM.match(mention.after)
        if tail and not re.match(r"^\s*(?:to|between)\b", mention.after):
            base = mention.end - s_start
            add(base + tail.start("source"), base + tail.end("source"))
    for match in _FUNDER_VERB.finditer(sentence):
        source = match.group("source").strip()
        if len(source.split()) > 6 or not source or source.lower() in {"it", "this", "which", "that"}:
            continue
        verb = sentence[match.end("source") : match.end()].strip().lower()
        if verb in ("pay", "pays into", "pay into") and "member" not in source.lower():
            continue
        rest = sentence[match.end() : match.end() + 80]
        if verb in ("provided", "financed", "funded") and not re.match(
            r"^\s*(?:the|about|around|eur|gbp|usd|dkk|czk)", rest, re.IGNORECASE
        ):
            continue
        if verb in ("dedicated", "spent", "invested", "contributed") and not re.match(
            r"^\s*(?:(?:about|around|some|nearly|over|more than)\s+)?(?:EUR|GBP|USD|DKK|CZK|SEK|PLN|€|£|\$)",
            rest,
            re.IGNORECASE,
        ):
            continue
        add(match.start("source"), match.end("source"))
    if _FUNDING_CONTEXT.search(sentence):
        for match in _FUNDS_NAMED.finditer(sentence):
            add(match.start("source"), match.end("source"))
    facts = []
    for a, b in sorted(found):
        value = sentence[a:b]
        facts.append(
            Fact(
                kind="funding_source",
                value=value,
                text=value,
                section=section,
                start=s_start,
                end=s_end,
                match_start=s_start + a,
                match_end=s_start + b,
            )
        )
    return facts


def _owner_facts(practice: Practice) -> list[Fact]:
    owner_section = practice.section("Good practice owner")
    lo, hi = (owner_section.start, owner_section.end) if owner_section else (0, len(practice.text))
    match = _OWNER_LINE.search(practice.text, lo, hi) or _OWNER_LINE.search(practice.text)
    if not match:
        return []
    section = _section_at(practice, match.start())
    value = match.group("value")
    return [
        Fact(
            kind="owner",
            value=value,
            text=value,
            section=section,
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
    owner = _OWNER_LINE.search(practice.text)
    for key in ("country", "region"):
        value = practice.metadata.get(key)
        if not value:
            continue
        where = None
        if owner:
            where = _locate(practice.text, value, owner.start("value"), owner.end("value"))
        if where is None:
            first = practice.sections[0].start if practice.sections else 0
            found = re.compile(r"\b" + re.escape(value) + r"\b", re.IGNORECASE).search(practice.text, first)
            where = (found.start(), found.end()) if found else None
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


# -- summaries and filters -------------------------------------------------------------------

# Approximate reference rates (EUR per unit), used only to compare amounts whose currency the
# document states; amounts without a currency are never converted.
EUR_PER_UNIT: dict[str, float] = {
    "EUR": 1.0,
    "GBP": 1.17,
    "USD": 0.92,
    "CHF": 1.04,
    "CZK": 0.040,
    "DKK": 0.134,
    "SEK": 0.088,
    "NOK": 0.086,
    "PLN": 0.23,
    "HUF": 0.0025,
    "RON": 0.20,
    "BGN": 0.51,
    "ISK": 0.0066,
}


def to_eur(value: float, currency: str | None) -> float | None:
    """value in EUR at the fixed reference rate, or None when the currency is unknown or unstated."""
    if not currency or currency not in EUR_PER_UNIT:
        return None
    return value * EUR_PER_UNIT[currency]


def headline_budget(facts: Sequence[Fact]) -> Fact | None:
    """The largest budget fact with a stated currency (compared in EUR), or None."""
    candidates = [f for f in facts if f.kind == "budget" and to_eur(float(f.value), f.currency) is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda f: to_eur(float(f.value), f.currency) or 0.0)


def start_year(facts: Sequence[Fact]) -> Fact | None:
    years = [f for f in facts if f.kind == "start_year"]
    return min(years, key=lambda f: int(f.value)) if years else None


@dataclass(frozen=True)
class FactFilter:
    """Conditions on key facts. Unset conditions match everything.

    budget_below / budget_above: compared with the practice's largest budget figure whose
    currency the document states, converted to `currency` at fixed reference rates; a practice
    whose documents state no such budget does not match.
    started_after / started_before: strict comparisons with the start year.
    """

    budget_below: float | None = None
    budget_above: float | None = None
    currency: str = "EUR"
    started_after: int | None = None
    started_before: int | None = None

    def __post_init__(self) -> None:
        if self.currency not in EUR_PER_UNIT:
            raise InvalidQuestion(
                f"unknown currency {self.currency!r}; use one of {', '.join(sorted(EUR_PER_UNIT))}"
            )
        for name in ("budget_below", "budget_above"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int | float) or isinstance(value, bool) or value < 0
            ):
                raise InvalidQuestion(f"{name} must be a non-negative number, got {value!r}")
        for name in ("started_after", "started_before"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or not 1000 <= value <= 2200
            ):
                raise InvalidQuestion(f"{name} must be a year such as 2015, got {value!r}")

    @property
    def active(self) -> bool:
        return any(
            v is not None
            for v in (self.budget_below, self.budget_above, self.started_after, self.started_before)
        )


def parse_amount(raw: str) -> tuple[float, str | None]:
    """'50000', '50 000 EUR', 'EUR 1.5 million', '€200k' -> (value, currency or None).

    Raises InvalidQuestion saying what to type.
    """
    cleaned = raw.strip()
    match = re.fullmatch(
        r"(?P<c1>[A-Za-z]{3}|€|£|\$)?\s*(?P<num>\d[\d ,\u00a0]*(?:\.\d+)?)\s*"
        r"(?P<mult>k|m|million|bn|billion|thousand)?"
        r"\s*(?P<c2>[A-Za-z]{3}|€|£|\$)?",
        cleaned,
        re.IGNORECASE,
    )
    if not match or (match.group("c1") and match.group("c2")):
        raise InvalidQuestion(
            f"cannot read the amount {raw!r}; write e.g. 50000, 'EUR 50000' or '1.5 million EUR'"
        )
    value = float(re.sub(r"[ ,\u00a0]", "", match.group("num")))
    mult = (match.group("mult") or "").lower()
    value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}.get(mult, 1.0)
    raw_currency = match.group("c1") or match.group("c2")
    currency = None
    if raw_currency:
        currency = CURRENCIES.get(raw_currency.lower(), raw_currency.upper())
        if currency not in EUR_PER_UNIT:
            raise InvalidQuestion(
                f"unknown currency {raw_currency!r}; use one of {', '.join(sorted(EUR_PER_UNIT))}"
            )
    return value, currency


@dataclass(frozen=True)
class FilterMatch:
    """A practice that passed a FactFilter, with the facts that decided it."""

    practice_id: str
    title: str
    evidence: list[Fact]
    budget_converted: float | None = None  # the headline budget in the filter's currency

    def to_dict(self) -> dict[str, Any]:
        return {
            "practice_id": self.practice_id,
            "title": self.title,
            "evidence": [f.to_dict() for f in self.evidence],
            "budget_converted": None if self.budget_converted is None else round(self.budget_converted, 2),
        }


def match_filter(practice: Practice, facts: Sequence[Fact], condition: FactFilter) -> FilterMatch | None:
    """A FilterMatch when the practice meets every condition, else None."""
    evidence: list[Fact] = []
    converted = None
    if condition.budget_below is not None or condition.budget_above is not None:
        budget = headline_budget(facts)
        if budget is None:
            return None
        in_eur = to_eur(float(budget.value), budget.currency)
        assert in_eur is not None
        converted = in_eur / EUR_PER_UNIT[condition.currency]
        if condition.budget_below is not None and not converted < condition.budget_below:
            return None
        if condition.budget_above is not None and not converted > condition.budget_above:
            return None
        evidence.append(budget)
    if condition.started_after is not None or condition.started_before is not None:
        year = start_year(facts)
        if year is None:
            return None
        if condition.started_after is not None and not int(year.value) > condition.started_after:
            return None
        if condition.started_before is not None and not int(year.value) < condition.started_before:
            return None
        evidence.append(year)
    return FilterMatch(practice.id, practice.title, evidence, converted)
