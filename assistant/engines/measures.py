"""What a question measures practices by: a threshold with its unit ("more than 1 MW", "under
EUR 250,000", "before 2010", "ten people or fewer") or the measure words of a ranking or
comparison ("the most members", "cheaper", "older", "the largest area"), in the supported
languages; and how numbers and money are read (shared with assistant.engines.figures). Amounts
with a unit, and the words that ask for each unit family, are in assistant.vocabulary (the lookup
answerer reads them too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.engines import forms
from assistant.engines.lexicon import CONCEPTS, expand
from assistant.practices.facts.counts import PEOPLE_NOUNS
from assistant.practices.facts.numbers import CURRENCIES
from assistant.practices.facts.rules import MONTHS_PER_UNIT
from assistant.vocabulary import (
    CURRENCY_CODES,
    FAMILY_WORDS,
    MONEY_RE,
    NUM,
    NUMBER_WORDS,
    QUANTITY_RE,
    QUESTION_WORDS,
    STOPWORDS,
    UNIT_WORDS,
    UNITS,
    content_terms,
    fold,
    has_prefix,
    stem,
    stems,
)

MONEY = "money"
YEAR = "year"
MEMBERS = "members"
STAFF = "staff"
BENEFICIARIES = "beneficiaries"
COUNT = "count"  # a count of a named thing ("business-to-business meetings")
DURATION = "duration"  # how long a practice runs or lasts, in months (facts.rules.MONTHS_PER_UNIT)

BASE_UNIT = {"power": "MW", "energy": "GWh", "area": "m2", "length": "km", "mass": "tonnes", "percent": "%"}
BASE_SCALE = {"power": 1e6, "energy": 1e9, "area": 1, "length": 1e3, "mass": 1e3, "percent": 1}
_MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mio": 1e6, "mn": 1e6,
    "billion": 1e9, "bn": 1e9, "mrd": 1e9,
}  # fmt: skip
YEAR_RE = re.compile(r"(?<![\w.,-])((?:19|20)\d\d)(?![\w.,]\d)")
CURRENCY_WORDS = {
    "euro": "EUR", "euros": "EUR", "pounds": "GBP", "dollars": "USD", "kronor": "SEK", "kroner": "DKK",
    "zloty": "PLN",
}  # fmt: skip


def parse_number(raw: str) -> float:
    """'26,000' -> 26000, '1,5' -> 1.5, '4.6' -> 4.6, '100 000' -> 100000, 'ten' -> 10."""
    raw = raw.strip()
    if fold(raw) in NUMBER_WORDS:
        return float(NUMBER_WORDS[fold(raw)])
    grouped = re.fullmatch(r"(\d{1,3}(?:[ ,\u00a0\u202f]\d{3})+)(?:[.,](\d+))?", raw)
    if grouped:
        whole = re.sub(r"[ ,\u00a0\u202f]", "", grouped.group(1))
        return float(whole + ("." + grouped.group(2) if grouped.group(2) else ""))
    plain = re.fullmatch(r"(\d+)(?:[.,](\d+))?", raw)
    if plain:
        return float(plain.group(1) + ("." + plain.group(2) if plain.group(2) else ""))
    raise ValueError(f"not a number: {raw!r}")


def multiplier(raw: str | None) -> float:
    return _MULTIPLIERS.get((raw or "").strip().lower(), 1.0)


# -- measures ------------------------------------------------------------------------------------

# measure words in the supported languages (accent-folded stems), beyond the English concept classes
MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    MEMBERS: ("member", "membership", "mitglied", "membre", "miembro", "membri", "czlonk", "nari", "nariu"),
    STAFF: (
        "staff",
        "employ",
        "team",
        "personnel",
        "worker",
        "mitarbeiter",
        "personal",
        "salarie",
        "empleado",
        "dipendent",
        "pracownik",
        "darbuotoj",
    ),
    MONEY: (
        "cost",
        "budget",
        "money",
        "fund",
        "financ",
        "grant",
        "spend",
        "spent",
        "invest",
        "price",
        "cheap",
        "expensive",
        "euro",
        "saving",
        "saved",
        "worth",
        "subsid",
        "aid",
        "kost",
        "geld",
        "billig",
        "teuer",
        "cout",
        "argent",
        "cher",
        "coste",
        "dinero",
        "barat",
        "caro",
        "cost",
        "denaro",
        "economic",
        "kosz",
        "pieniadz",
        "tani",
        "drog",
        "kain",
        "pinig",
        "biudzet",
        "pigesn",
        "brang",
    ),
    BENEFICIARIES: (
        "beneficiar",
        "benefici",
        "participant",
        "user",
        "helped",
        "supported",
        "reached",
        "served",
    ),
}
# nouns that count practices themselves, not something the practices did
_SET_NOUNS = frozenset(
    stem(w)
    for w in """practices schemes initiatives programmes programs projects examples clusters
    cooperatives networks organisations organizations cities regions countries ones""".split()
)
_PEOPLE = {"people", "person", "persons", "staff", "employee", "employees", "worker", "workers", "team"}
_KIND_BY_NOUN = {
    "member": MEMBERS,
    "people": STAFF,
    "person": STAFF,
    "staff": STAFF,
    "employee": STAFF,
    "worker": STAFF,
}


@dataclass(frozen=True)
class Condition:
    """A threshold: op is one of < <= > >=; value in the measure's base unit (money: in
    `currency`)."""

    op: str
    value: float
    currency: str | None = None
    text: str = ""  # as the question wrote it


@dataclass(frozen=True)
class Measure:
    """What a question measures practices by."""

    dimension: str  # money, year, members, staff, beneficiaries, count, or a unit family
    words: frozenset[str] = frozenset()  # the question's words that describe it (stems)
    noun: frozenset[str] = frozenset()  # count: the counted thing (stems, with its concept class)
    per_unit: bool = False  # asks for an amount per beneficiary ("per company", "per voucher")
    condition: Condition | None = None
    low: bool = False  # a ranking or verdict wants the lowest value (cheapest, fewest, oldest)

    @property
    def label(self) -> str:
        labels = {MONEY: "Amount", YEAR: "Start year", MEMBERS: "Members", STAFF: "Staff",
                  BENEFICIARIES: "Reached", COUNT: "Figure", DURATION: "Duration"}  # fmt: skip
        return labels.get(self.dimension) or f"{self.dimension.capitalize()} ({BASE_UNIT[self.dimension]})"


_THRESHOLD = re.compile(
    r"(?P<op>more than|greater than|larger than|bigger than|higher than|over|above|exceeding|in excess of|"
    r"at least|a minimum of|less than|fewer than|smaller than|lower than|under|below|at most|up to|"
    r"no more than|"
    r"before|after|since|earlier than|later than|prior to|mehr als|uber|weniger als|unter|vor|nach|plus de|"
    r"moins de|avant|apres|mas de|menos de|antes de|despues de|piu di|meno di|prima del|dopo il|wiecej niz|"
    r"ponad|mniej niz|przed|daugiau nei|daugiau kaip|maziau nei|maziau kaip|iki|po)\s+"
    r"(?P<what>(?:[a-z]+\s+){0,2}?(?:" + CURRENCY_CODES.lower() + r"|€|£|\$)?\s?(?:" + NUM + r"|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s?(?:thousand|million|billion|bn|m|k)\b)?"
    r"(?:\s?(?:" + "|".join(re.escape(u) for u in UNIT_WORDS) + r"|" + CURRENCY_CODES.lower()
    + r"|euros?)(?![\w²]))?(?:\s+[\w'’-]+){0,3})"
    r"|(?P<what2>(?:" + NUM + r"|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?:\s+[\w'’-]+){0,2})\s+(?P<op2>or more|or fewer|or less|or over|or under|and more|and fewer)",
)  # fmt: skip
_OPS = {
    "more than": ">", "greater than": ">", "larger than": ">", "bigger than": ">", "higher than": ">",
    "over": ">", "above": ">", "exceeding": ">", "in excess of": ">", "at least": ">=", "a minimum of": ">=",
    "less than": "<", "fewer than": "<", "smaller than": "<", "lower than": "<", "under": "<", "below": "<",
    "at most": "<=", "up to": "<=", "no more than": "<=", "before": "<", "prior to": "<", "after": ">",
    "since": ">=", "earlier than": "<", "later than": ">", "or more": ">=", "or over": ">=",
    "and more": ">=", "or fewer": "<=", "or less": "<=", "or under": "<=", "and fewer": "<=",
    "mehr als": ">", "uber": ">", "weniger als": "<", "unter": "<", "vor": "<", "nach": ">",
    "plus de": ">", "moins de": "<", "avant": "<", "apres": ">", "mas de": ">", "menos de": "<",
    "antes de": "<", "despues de": ">", "piu di": ">", "meno di": "<", "prima del": "<", "dopo il": ">",
    "wiecej niz": ">", "ponad": ">", "mniej niz": "<", "przed": "<", "daugiau nei": ">", "daugiau kaip": ">",
    "maziau nei": "<", "maziau kaip": "<", "iki": "<", "po": ">",
}  # fmt: skip


_TEMPORAL = {
    "before", "prior to", "after", "since", "earlier than", "later than", "vor", "nach", "avant", "apres",
    "antes de", "despues de", "prima del", "dopo il", "przed", "po", "iki",
}  # fmt: skip


def _threshold(question: str) -> tuple[Condition, str, str] | None:
    """The question's threshold: the condition, its dimension, and the words after the number."""
    folded = " ".join(fold(question).split())
    # "half a million", "a million": a number in words before its multiplier, read as digits (and
    # shown as the question wrote it)
    digits = _A_MILLION.sub(r"1 \1", _HALF_A.sub(r"0.5 \1", folded))
    found = _read_threshold(digits)
    if found is None or digits == folded:
        return found
    condition, dimension, after = found
    said = condition.text
    for written in (*_HALF_A.finditer(folded), *_A_MILLION.finditer(folded)):
        said = said.replace(
            _A_MILLION.sub(r"1 \1", _HALF_A.sub(r"0.5 \1", written.group(0))), written.group(0)
        )
    return replace(condition, text=said), dimension, after


_HALF_A = re.compile(r"\bhalf an? (thousand|million|billion)\b")
_A_MILLION = re.compile(r"(?<![\w.,])an? (million|billion)\b")


def _read_threshold(folded: str) -> tuple[Condition, str, str] | None:
    for match in _THRESHOLD.finditer(folded):
        op = _OPS[match.group("op") or match.group("op2")]
        what = match.group("what") or match.group("what2")
        money = MONEY_RE.search(what)
        quantity = QUANTITY_RE.search(what)
        first = what.split()[0] if what.split() else ""
        # a year: of the last two centuries, or any four-digit number after a word of time
        # ("started before 1850")
        year = YEAR_RE.fullmatch(first) or (
            re.fullmatch(r"(1\d\d\d)", first) if (match.group("op") or "") in _TEMPORAL else None
        )
        if money and money.group("cur" if money.group("num") else "cur2"):
            num = money.group("num") or money.group("num2")
            mult = money.group("mult") or money.group("mult2")
            raw = money.group("cur") or money.group("cur2")
            currency = CURRENCIES.get(raw.lower(), CURRENCY_WORDS.get(raw.lower(), raw.upper()))
            return Condition(op, parse_number(num) * multiplier(mult), currency, match.group(0)), MONEY, ""
        if quantity:
            unit = quantity.group("unit").lower()
            family = next(f for f, units in UNITS.items() if unit in units)
            value = parse_number(quantity.group("num")) * multiplier(quantity.group("mult"))
            value *= UNITS[family][unit]
            return Condition(op, value / BASE_SCALE[family], None, match.group(0)), family, ""
        if year and op in "<><=>=":
            return Condition(op, float(year.group(1)), None, match.group(0)), YEAR, ""
        count = re.match(
            r"(?:[a-z]+\s+){0,2}?("
            + NUM
            + r"|"
            + "|".join(NUMBER_WORDS)
            + r")(?:\s?(thousand|million))?\s*(.*)$",
            what,
        )
        if count:
            value = parse_number(count.group(1)) * multiplier(count.group(2))
            # an amount written in words ("less than one million euros")
            currency = re.match(
                r"(" + CURRENCY_CODES.lower() + r"|" + "|".join(CURRENCY_WORDS) + r")\b", count.group(3)
            )
            if currency:
                raw = currency.group(1)
                code = CURRENCY_WORDS.get(raw, CURRENCIES.get(raw, raw.upper()))
                shown = match.group(0)[: len(match.group(0)) - len(count.group(3)) + currency.end()]
                return Condition(op, value, code, shown.strip()), MONEY, ""
            # "run for more than three years": a length of time, not a count ("firms less than two
            # years old" are firms of an age)
            unit = re.match(r"(year|month|week|day)s?\b(?!\s+old)", count.group(3))
            if unit and op in ("<", "<=", ">", ">="):
                shown = match.group(0)[: len(match.group(0)) - len(count.group(3))] + unit.group(0)
                return (
                    Condition(op, value * MONTHS_PER_UNIT[unit.group(1)], None, shown.strip()),
                    DURATION,
                    "",
                )
            shown = match.group(0)
            if match.group("what"):
                shown = shown[: len(shown) - len(count.group(3))].strip()
                noun = count.group(3).split()[:1]
                shown = " ".join([shown, *noun])
            return Condition(op, value, None, shown), COUNT, count.group(3)
    return None


_OBJECT = re.compile(
    r"\b(?:most|more|largest|biggest|highest|greatest|least|less|fewer|fewest|lowest|smallest|"
    r"mehr|weniger|plus de|moins de|mas|menos|piu|meno|wiecej|mniej|daugiau|maziau)\s+((?:[\w'’-]+\s*){1,2})"
)


def _superlative_object(question: str) -> str | None:
    """The dimension of what a superlative or comparative applies to: 'the most funding' -> money,
    'more members' -> members (before other measure words of the question)."""
    match = _OBJECT.search(fold(question))
    if not match:
        return None
    words = stems(match.group(1))[:2]
    if words and words[0] in ("number", "amount"):
        return None
    for dimension in (MEMBERS, STAFF, MONEY):
        if has_prefix(words[:1], MEASURE_WORDS[dimension]):
            return dimension
    for family, cues in FAMILY_WORDS.items():
        if has_prefix(words[:1], cues):
            return family
    return None


# how long a practice runs ("lasts the longest", "which runs longer", "how long"); "the longest
# track record", "longest-running" ask its age, a length in km a distance
_DURATION_ASKED = re.compile(
    r"\b(how long|duration|lasts|lasted|lasting|last (for|longer|the longest)|"
    r"runs? (for )?(longer|the longest|shorter|the shortest)|"
    r"(longest|shortest|longer|shorter) (programmes?|projects?|schemes?|initiatives?|period|time|duration))\b"
    r"(?! track record| ?-?running)"
)
# "which has been running (around, in operation) the longest": how long ago it started
_AGE_BY_LENGTH = re.compile(
    r"\b(running|around|going|operating|operated|existed|existing|in existence|in operation|active)\b"
    r"(?: \w+){0,3}? (the )?(longest|longer)\b"
)
_LENGTH_ASKED = re.compile(r"\b(km|kilomet\w*|length|network|route|line|stretch|road|track record|running)\b")


def measure_of(question: str) -> Measure | None:
    """What the question measures practices by, or None when it names no measure."""
    words = stems(question)
    folded = fold(question)
    low = forms.wants_low(question)
    found = _threshold(question)
    per_unit = bool(re.search(r"\bgrants?\b|\bvouchers? ((is|are|was|were) )?(worth|values?|amounts?)\b"
                              r"|\b(largest|biggest|smallest|highest|lowest|larger|bigger|smaller)"
                              r" vouchers?\b"
                              r"|\b(per|each|a single|one)[\s-]+"
                              r"(company|firm|sme|project|voucher|beneficiar\w*|"
                              r"cluster|applicant|participant|business)\b", folded))  # fmt: skip
    words_set = frozenset(content_terms(question))
    if found is not None:
        condition, dimension, after = found
        if dimension == COUNT:
            noun = stems(after)[:3]
            dimension = next((_KIND_BY_NOUN[n] for n in noun if n in _KIND_BY_NOUN), COUNT)
            if dimension == COUNT and has_prefix(words, MEASURE_WORDS[STAFF]) and set(noun) & _PEOPLE:
                dimension = STAFF
            if dimension == STAFF and noun[:1] in (["people"], ["person"]) and not _asks_staff(words):
                # "reached more than 1,000 people": people the practice reached, not its staff
                return Measure(BENEFICIARIES, words_set, _PEOPLE_STEMS, per_unit, condition, low)
            if dimension == COUNT and has_prefix(words, MEASURE_WORDS[MEMBERS]):
                dimension = MEMBERS
            nouns = frozenset().union(*(expand(n) for n in noun[:1])) if noun else frozenset()
            return Measure(dimension, words_set, nouns, per_unit, condition, low)
        return Measure(dimension, words_set, frozenset(), per_unit, condition, low)
    if per_unit and not has_prefix(words, MEASURE_WORDS[MEMBERS] + MEASURE_WORDS[STAFF]):
        return Measure(MONEY, words_set, per_unit=True, low=low)
    target = _superlative_object(question)
    if target is not None:
        return Measure(target, words_set, per_unit=per_unit, low=low)
    if _AGE_BY_LENGTH.search(folded):  # "running the longest": the oldest
        return Measure(YEAR, words_set, low=True)
    if _DURATION_ASKED.search(folded) and not _LENGTH_ASKED.search(folded):
        return Measure(DURATION, words_set, low=bool(re.search(r"\bshort(er|est)\b", folded)))
    if forms.asks_age(question):
        return Measure(
            YEAR,
            words_set,
            low=low
            or bool(
                re.search(
                    r"\b(older|oldest|earlier|earliest|first|"
                    r"track record|longer|longest)\b",
                    folded,
                )
            ),
        )
    for family, cues in FAMILY_WORDS.items():
        if has_prefix(words, cues):
            return Measure(family, words_set, low=low)
    counted = re.search(r"\b(?:number of|most|more|fewest|fewer|how many)\s+((?:[\w'’-]+\s*){1,4})", folded)
    if counted:
        phrase = []
        for word in counted.group(1).split():
            if word in STOPWORDS or word in QUESTION_WORDS:
                break
            phrase.append(word)
        counted = (
            counted if phrase and phrase[-1].endswith("s") and stem(phrase[-1]) not in _SET_NOUNS else None
        )
        head_word = phrase[-1] if phrase else ""
    if has_prefix(words, MEASURE_WORDS[MEMBERS]):
        return Measure(MEMBERS, words_set, low=low)
    if _asks_staff(words):
        return Measure(STAFF, words_set, low=low)
    if counted and not has_prefix(stems(head_word), MEASURE_WORDS[MONEY]):
        return Measure(COUNT, words_set, expand(stem(head_word)), per_unit, None, low)
    if has_prefix(words, MEASURE_WORDS[MONEY]) or not CONCEPTS["cost"].isdisjoint(words_set):
        return Measure(MONEY, words_set, per_unit=per_unit, low=low)
    if has_prefix(words, MEASURE_WORDS[BENEFICIARIES]) or _PEOPLE_COUNTED.search(folded):
        # "reaches more people": a count of people before one of villages
        people = _PEOPLE_STEMS if re.search(r"\b" + _PEOPLE_WORD, folded) else frozenset()
        return Measure(BENEFICIARIES, words_set, noun=people, low=low)
    return None


_PEOPLE_STEMS = frozenset(stem(w) for w in PEOPLE_NOUNS)


def _asks_staff(words: Sequence[str]) -> bool:
    """The question's words ask for the practice's own people ("employ", "staff", "people work")."""
    return has_prefix(words, MEASURE_WORDS[STAFF]) or {"people", "work"} <= set(words)


# "which has trained more people": people the practice reached (its staff were asked above)
_PEOPLE_WORD = r"(people|persons|individuals)\b"
_PEOPLE_COUNTED = re.compile(r"\b(more|most|fewer|fewest|how many|number of) " + _PEOPLE_WORD)
