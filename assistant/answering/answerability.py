"""Whether a sentence can answer what a question asks for, and the near-miss reply when none can.

A question that asks for a number, a date, a person or organisation, or a place is answered only
by a sentence that states one of that kind ("how many" needs an amount, not a year; "when" needs a
date). A "how many X" is answered only by a number that counts X (in the words of the question, or
in a word the embedder finds very close: "staff" ~ "employees"). "In total" is not answered by a
per-unit figure. These are patterns of English and of how amounts and names are written, not words
of any document.

When the document is about the question but no sentence states the asked detail, the reply is a
near-miss: what the document does state, and that it does not state the detail, cited, and
counted as an abstention.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answering.sentences import BULLET, DATE, MONTH, Sentence, quantities
from assistant.practices.facts.counts import (
    AGENT_PLURAL,
    PEOPLE_NOUNS,
    STAFF_NOUNS,
    STAFF_SOFT_NOUNS,
    speaks_of_staff,
)
from assistant.question import (
    AGENT,
    COUNTRY_WORDS,
    DIGITS,
    NUMBER,
    ORGANISATION,
    PERIOD_WORDS,
    PERSON,
    PLACE,
    Intent,
    countable,
    given_number,
)
from assistant.question import DATE as DATE_KIND
from assistant.vocabulary import MONEY_RE, STOPWORDS, YEAR, content_terms, fold, normalise_numbers, stem

# A per-unit figure ("per cluster", "each"), which does not answer a question about a total.
PER_UNIT = re.compile(
    r"\b(per (?!cent\b|year\b|annum\b|month\b|day\b|week\b|hour\b)\w+|each)\b", re.IGNORECASE
)
# ... and a figure written per unit: per (or each, every) thing, an average, "a head"
_STATED_PER_UNIT = re.compile(
    r"\b(per|each|every|apiece|average|averages|averaged|mean|median|a head)\b|/\s?[a-z]", re.IGNORECASE
)
# general English nouns and company forms that name an organisation
_ORGANISATION_WORDS = re.compile(
    r"\b(ministry|ministries|agency|agencies|authority|authorities|council|councils|municipality|"
    r"municipalities|university|universities|institute|institutes|foundation|association|company|"
    r"companies|cooperative|co-operative|department|office|chamber|government|commission|bank|fund|"
    r"consortium|partnership|centre|center|society|trust|federation|union|board|committee|"
    r"organi[sz]ations?|enterprises?|firms?|operator|owner|owners|GmbH|Ltd|plc|AG|SA|Oy|AB)\b",
    re.IGNORECASE,
)
# ... and the general words that make a capitalised name a group's, not a person's
_GROUP_WORDS = re.compile(
    r"\b(network|cluster|group|alliance|programme|program|project|initiative|platform|scheme|"
    r"european|national|regional|international|city|region|county|state|republic)s?\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*\b")  # "EU", "ADEME", "SMEs"
_NAME_PAIR = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:of|for|de|du|la|van|von)?\s*[A-Z][\w'’-]+)+")
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Dr|Prof)\.?\s+[A-Z]")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")  # a name: a place may be any ("Betzdorf, Eisenberg")
_IN_PLACE = re.compile(r"\b(in|from|at|across|near|around)\s+(the\s+)?[A-Z][\w'’-]+")
_TOKEN = re.compile(r"\d[\d,.]*%?|[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# an amount of money as it is written: a currency code or symbol by a number, or a currency's name
MONEY = re.compile(
    r"\b[A-Z]{3}\s?\d|\d[\d.,]*\s?(million|billion|thousand|m|bn|k)?\s?[A-Z]{3}\b|[€$£¥]|"
    r"\b(euros?|dollars?|pounds?|francs?|kron(a|e|er|or)|z[lł]oty|forints?|lei|lev)\b"
)
# ... or a number in a sentence about money ("around 100 000 per cluster, including salaries")
MONEY_WORDS = re.compile(
    r"\b(cost|costs|budgets?|fees?|prices?|paid|pay|funding|funds?|financ\w*|invest\w*|worth|money|"
    r"grants?|salar(y|ies)|amount|subsid(y|ies)|spen[dt]\w*)\b",
    re.IGNORECASE,
)
# ... and money a practice or its members gained, not spent (English stems: "saved", "turnover")
_GAINED = re.compile(
    r"\b(sav(e|ed|es|ing|ings)|turnover|revenues?|sales|profits?|incomes?|earn\w*)\b", re.IGNORECASE
)
_GAINED_TERM = re.compile(r"(sav|turnov|revenu|sale|profit|incom|earn)")  # ... as stemmed terms
# money of a kind of its own (English stems of the question's terms), and the words that state it: a
# salary is stated as pay, a fee or a price as what is charged or paid, a rent as rent
_MONEY_KINDS = (
    (
        re.compile(r"(salar|wage|earn)"),
        re.compile(r"\b(salar(y|ies)|wages?|earn\w*|pay|paid|income)\b", re.I),
    ),
    (re.compile(r"(rent)$"), re.compile(r"\brents?\b", re.I)),
    (
        re.compile(r"(fee|price|fare|tariff|ticket)"),
        re.compile(r"\b(fees?|prices?|fares?|tariffs?|tickets?|charge\w*|pa(y|ys|id))\b", re.I),
    ),
)


def _other_money(terms: Sequence[str], text: str) -> bool:
    """The question asks for money of a kind of its own (a salary, a rent, a fee) and the text
    states none of that kind."""
    return any(
        any(asked.match(t) for t in terms) and not stated.search(text) for asked, stated in _MONEY_KINDS
    )


# a share as it is written: a percentage, or a fraction in words ("about half of")
SHARE_STATED = re.compile(
    r"\d\s?%|\b(per ?cent|percent|percentage|half|thirds?|quarters?|fifths?|tenths?)\b", re.IGNORECASE
)
_LOCATED = re.compile(r"\b(?:in|on|at|near|around)\s+([A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)*)(?!\s+[A-Z])")
# nouns for persons (general English: assistant.practices.facts.counts, with its plural nouns of
# people by what they do, AGENT_PLURAL: "technicians", "scientists")
PERSON_NOUNS = (PEOPLE_NOUNS | STAFF_NOUNS | STAFF_SOFT_NOUNS) - {"homes", "households"}
_RAW_NAME = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
COUNT_WINDOW = 4  # the counted word follows its number within this many words ("126 new member firms")

# what a near-miss reply says is missing, by the kind of answer asked for
_MISSING = {
    NUMBER: "the figure asked for",
    DATE_KIND: "the date asked for",
    AGENT: "who it was",
    PERSON: "the person asked for",
    ORGANISATION: "the organisation asked for",
    PLACE: "the place asked for",
}


def states(kind: str | None, text: str) -> bool:
    """Whether the text states something of the kind: an amount, a date, a name, a place."""
    match kind:
        case None:
            return True
        case "number":
            return bool(quantities(text))
        case "date":
            return bool(DATE.search(text))
        case "agent" | "organisation":
            body = text[1:]  # a capital that starts the sentence names nothing
            return bool(
                _ORGANISATION_WORDS.search(text)
                or _ACRONYM.search(body)
                or _NAME_PAIR.search(body)
                or _HONORIFIC.search(text)
            )
        case "person":  # a person's name: not an organisation's, not a place's
            return bool(_HONORIFIC.search(text)) or any(
                not _ORGANISATION_WORDS.search(name)
                and not _GROUP_WORDS.search(name)
                and not {stem(fold(w)) for w in name.split()} & COUNTRY_WORDS
                and not _ACRONYM.search(name)
                for name in _NAME_PAIR.findall(text[1:])
            )
        case "place":
            terms = {stem(w) for w in re.findall(r"[^\W\d_]+", fold(text))}
            return bool(terms & COUNTRY_WORDS or _IN_PLACE.search(text) or _CAPITALISED.search(text[1:]))
    return True


def counted_words(text: str, window: int = COUNT_WINDOW) -> list[list[str]]:
    """For each amount in the text, the words that follow it: '21 members, including 19
    companies' -> [['members', 'including'], ['companies']] (up to the next number)."""
    tokens = _TOKEN.findall(normalise_numbers(text))
    result = []
    for i, token in enumerate(tokens):
        if token[0].isdigit():
            after = []
            for word in tokens[i + 1 : i + 1 + window]:
                if word[0].isdigit():
                    break
                after.append(fold(word))
            result.append(after)
    return result


def counts(text: str, counted: Sequence[str], close: Callable[[str, str], bool] | None = None) -> bool:
    """A number in the text counts the thing: one of its words follows the number ('how many
    members' - '126 members', '160 to 165 member firms'), or, given `close(asked, word)` (the
    embedder's judgement), a word close to the counted noun ('staff' - '4 employees')."""
    if not counted:
        return True
    wanted = {stem(w) for w in counted}
    for after in counted_words(MONEY_RE.sub(" ", text)):  # an amount of money counts nothing
        # the number's own noun ends at its first plural: '22 shepherds with about goats' counts
        # shepherds
        end = next((i for i, w in enumerate(after) if countable(w)), len(after) - 1)
        after = after[: end + 1]
        if any(stem(w) in wanted for w in after):
            return True
        # a function word counts nothing, however close the embedder puts it ('450 professionals
        # working in them': "them" ~ "people" 0.91)
        if close is not None and any(
            close(counted[-1], w) for w in after if len(w) > 2 and w not in STOPWORDS
        ):
            return True
    return False


def counts_something_asked(text: str, counted: Sequence[str], terms: Sequence[str]) -> bool:
    """Whether a number of the text may count what "how many people" asks, said in other words
    ('2 full-time staff', '8,000 nurses'): only people asked without a qualifier (or staff, in a
    sentence about employing them: "employs 17 people") may be counted by another noun for
    persons ("how many young people have the centres helped": neither '30 centres' nor '450
    professionals working in them' counts them), never money, and never another thing the
    question names."""
    staff = bool(counted) and counted[-1] in STAFF_NOUNS and speaks_of_staff(text)
    if tuple(counted) not in (("people",), ("persons",)) and not staff:
        return False
    others = set(terms) - {stem(w) for w in counted}
    for after in counted_words(DATE.sub(" ", MONEY_RE.sub(" ", text))):
        # the counted noun: the words up to the first plural ('2 part-time staff run ...'); a
        # number with none ('about 40 at the beginning of') counts nothing that can be told
        end = next((i for i, w in enumerate(after) if countable(w)), None)
        if end is None or any(stem(w) in others for w in after[: end + 1]):
            continue
        if after[end] in PERSON_NOUNS or AGENT_PLURAL.fullmatch(after[end]):
            return True
    return False


def other_names(question: str, context: frozenset[str]) -> frozenset[str]:
    """The names a question gives besides its practice's own (title, place): "How much did the
    Alpha Foundation give to <practice>?" -> {"alpha", "foundat"}. Capitalised words after the
    first, and years. (Not for other languages, which capitalise other words.)"""
    # a name right after a preposition of place locates the practice ("the lab on Naxos"), and a
    # month is part of a date, checked by its year ("by June 2019")
    located = {m.group(1) for m in _LOCATED.finditer(question)}
    words = _RAW_NAME.findall(question)[1:]
    names = {
        stem(fold(w))
        for w in words
        if w[:1].isupper() and fold(w) not in STOPWORDS and not MONTH.fullmatch(w) and w not in located
    }
    names -= COUNTRY_WORDS  # "the Danish symbiosis": a place the practice has, said another way
    names |= set(YEAR.findall(question))
    return frozenset(names - context)


def answers(
    intent: Intent,
    sentence: Sentence,
    close: Callable[[str, str], bool] | None = None,
    names: frozenset[str] = frozenset(),
) -> bool:
    """Whether the sentence can answer the (part of the) question: it states the asked kind, a
    count of the counted thing, and not only a per-unit figure for a total. Asked for a kind, it
    must also name what the question names besides the practice ("the Alpha Foundation's grant",
    "in 2016"). A bullet list (one unit, cited whole) answers when one of its items does, read
    with the lead sentence before the bullets: the words of one item and the number of another
    answer nothing."""
    items = list_items(sentence)
    if len(items) > 1:
        return any(_answers(intent, item, close, names) for item in items)
    return _answers(intent, sentence, close, names)


def list_items(sentence: Sentence) -> list[Sentence]:
    """The items of a bullet list unit, each with the lead sentence before the bullets (the
    sentence itself when it holds fewer than two bullets)."""
    lines = [line.strip() for line in sentence.text.splitlines() if line.strip()]
    bullets = [line for line in lines if line[0] in BULLET]
    if len(bullets) < 2:
        return [sentence]
    lead = " ".join(line for line in lines[: lines.index(bullets[0])])
    # what the unit's terms hold beyond its words (its practice's title for an acronym, the year
    # "at that date" refers to) holds for each item
    extra = sentence.terms - _terms(sentence.text)
    items = []
    for line in bullets:
        text = f"{lead} {line.lstrip(BULLET + ' ')}".strip()
        items.append(replace(sentence, text=text, terms=_terms(text) | extra))
    return items


def _terms(text: str) -> frozenset[str]:
    return frozenset(content_terms(normalise_numbers(text)) + content_terms(text))


# a figure stated for a period of time: in the words a question asks it with, for one named year
# ("in 2019"), or per unit of time ("/year")
_STATED_PERIOD = {
    "year": re.compile(
        rf"\b({PERIOD_WORDS['year']})\b|\b(in|for|during) (19|20)\d\d\b|/\s?(year|yr)\b", re.IGNORECASE
    ),
    "month": re.compile(rf"\b({PERIOD_WORDS['month']})\b|/\s?month\b", re.IGNORECASE),
}


def without_given(intent: Intent, text: str) -> str:
    """The text without the numbers the question states itself: "of the roughly 4,600 animals,
    how many are goats?" is not answered by '4,600 goats and sheep'."""
    if not intent.given:
        return text
    given = set(intent.given)
    return DIGITS.sub(
        lambda m: " " if given_number(m.group(0)) in given else m.group(0), normalise_numbers(text)
    )


def _answers(
    intent: Intent,
    sentence: Sentence,
    close: Callable[[str, str], bool] | None = None,
    names: frozenset[str] = frozenset(),
) -> bool:
    if intent.kind == NUMBER and intent.given:
        sentence = replace(sentence, text=without_given(intent, sentence.text))
    if sentence.absence or not states(intent.kind, sentence.text):
        return False
    if intent.kind == NUMBER and intent.period and not _STATED_PERIOD[intent.period].search(sentence.text):
        return False  # "how much does a household spend per year": a one-off payment is no answer
    if intent.kind is not None and not names <= (sentence.terms | set(YEAR.findall(sentence.text))):
        return False
    if intent.kind == NUMBER and not counts(sentence.text, intent.counted, close):
        return False
    share = intent.share and bool(SHARE_STATED.search(sentence.text))
    if intent.kind == NUMBER and intent.share and not intent.money and not share:
        return False  # "what percentage of trips ...": '30 centres' is no share
    if (
        intent.kind == NUMBER
        and intent.money
        and not share  # "what share of the cost does it cover": '85%' (or "EUR 2 million of 4.3")
        and not (MONEY.search(sentence.text) or MONEY_WORDS.search(sentence.text))
    ):
        return False  # "what fee does it charge": '21 members' is no amount of money
    if intent.kind == NUMBER and intent.money and not share and _other_money(intent.terms, sentence.text):
        return False  # "what salary does a mediator earn": the network's cost is no salary
    if (
        intent.kind == NUMBER
        and intent.money
        and not share
        and _GAINED.search(sentence.text)
        and not MONEY_WORDS.search(sentence.text)
        and not any(_GAINED_TERM.match(term) for term in intent.terms)
    ):
        return False  # "how much did it cost": money saved or earned ('saved EUR 4.1 million') is no cost
    if intent.per_unit and intent.kind == NUMBER and not (share or _STATED_PER_UNIT.search(sentence.text)):
        return False  # "how much did each household pay": a total ('EUR 12 million') is no answer
    return not (intent.aggregate and intent.kind == NUMBER and PER_UNIT.search(sentence.text))


def names_qualifiers(intent: Intent, practice_terms: frozenset[str] | set[str]) -> bool:
    """'How many German companies': the practice must name Germany somewhere."""
    return all(not names.isdisjoint(practice_terms) for names in intent.qualifiers)


def missing(intent: Intent) -> str:
    """What a near-miss says the document does not state."""
    if intent.kind == NUMBER and intent.counted:
        return "the number asked for"
    return _MISSING.get(intent.kind or "", "the detail asked for")


def near_miss(title: str, intent: Intent, evidence: str, marker: int) -> str:
    """'The X document does not state the date asked for. What it states: <sentence> [1]'."""
    return f"The {title} document does not state {missing(intent)}. What it states: {evidence} [{marker}]"
