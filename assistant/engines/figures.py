"""Figures of a practice for the measure a question asks about: what is measured, and where each
practice's figure for it is said.

A `Measure` is read from the question: a threshold with its unit ("more than 1 MW", "under EUR
250,000", "before 2010", "ten people or fewer") or the measure words of a ranking or comparison
("the most members", "cheaper", "older", "the largest area"). A practice's figures for it come
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.engines import forms
from assistant.engines.index import Entry, Sentence
from assistant.practices.facts import CURRENCIES, Fact
from assistant.question import CONCEPTS, expand
from assistant.vocabulary import NUMBER_WORDS, QUESTION_WORDS, STOPWORDS, content_terms, fold, stem

MONEY = "money"
YEAR = "year"
MEMBERS = "members"
STAFF = "staff"
BENEFICIARIES = "beneficiaries"
COUNT = "count"  # a count of a named thing ("business-to-business meetings")

UNITS: dict[str, dict[str, float]] = {
    "power": {"w": 1, "kw": 1e3, "kwp": 1e3, "mw": 1e6, "mwp": 1e6, "gw": 1e9},
    "energy": {"wh": 1, "kwh": 1e3, "mwh": 1e6, "gwh": 1e9, "twh": 1e12},
    "area": {
        "m2": 1, "m²": 1, "sq m": 1, "square metres": 1, "square meters": 1, "ha": 1e4, "hectares": 1e4,
        "hectare": 1e4, "km2": 1e6, "km²": 1e6, "square kilometres": 1e6, "square kilometers": 1e6,
    },
    "length": {"km": 1e3, "kilometres": 1e3, "kilometers": 1e3},
    "mass": {"tonnes": 1e3, "tonne": 1e3, "tons": 1e3, "t": 1e3, "kg": 1, "kilotonnes": 1e6},
    "percent": {"%": 1, "per cent": 1, "percent": 1},
}  # fmt: skip
BASE_UNIT = {"power": "MW", "energy": "GWh", "area": "m2", "length": "km", "mass": "tonnes", "percent": "%"}
BASE_SCALE = {"power": 1e6, "energy": 1e9, "area": 1, "length": 1e3, "mass": 1e3, "percent": 1}
_UNIT_WORDS = sorted({u for family in UNITS.values() for u in family}, key=len, reverse=True)
_MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mio": 1e6, "mn": 1e6,
    "billion": 1e9, "bn": 1e9, "mrd": 1e9,
}  # fmt: skip
_CURRENCY_CODES = r"EUR|GBP|USD|CZK|DKK|SEK|NOK|PLN|HUF|RON|CHF|BGN|ISK"
_NUM = r"\d{1,3}(?:[ ,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MULT = r"(?:\s?(?P<mult>thousand|millions?|billion|bn|mio|mrd|mn|m|k)\b)?"
_MONEY = re.compile(
    r"(?P<cur>" + _CURRENCY_CODES + r"|€|£|\$)\s?(?P<num>" + _NUM + r")" + _MULT
    + r"|(?<![\w.,])(?P<num2>" + _NUM + r")" + _MULT.replace("mult", "mult2")
    + r"\s?(?P<cur2>" + _CURRENCY_CODES + r"|euros?|pounds|dollars|kronor|kroner|zloty|€)\b",
    re.IGNORECASE,
)  # fmt: skip
_QUANTITY = re.compile(
    r"(?<![\w.,])(?P<num>" + _NUM + r")" + _MULT
    + r"\s?-?\s?(?P<unit>" + "|".join(re.escape(u) for u in _UNIT_WORDS) + r")(?![\w²])",
    re.IGNORECASE,
)  # fmt: skip
_COUNT = re.compile(
    r"(?<![\w.,€£$-])(?P<num>" + _NUM + r"|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?P<mult>\s(?:thousand|million))?\s+(?P<noun>(?:[\w'’&-]+\s+){0,4}[\w'’&-]+)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w.,-])((?:19|20)\d\d)(?![\w.,]\d)")
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
    r"developed|designed|conceived)\b",
    re.IGNORECASE,
)
_OPERATIONS = re.compile(
    r"\b(started|began|begun|start)\s+(producing|operating|operations|generating|running|to operate)\b"
    r"|\b(operating|operational|in operation) since\b|\bofficially opened\b",
    re.IGNORECASE,
)
_CURRENCY_WORDS = {
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


def _mult(raw: str | None) -> float:
    return _MULTIPLIERS.get((raw or "").strip().lower(), 1.0)


# -- measures ------------------------------------------------------------------------------------

# measure words in the supported languages (accent-folded stems), beyond the English concept classes
_MEASURE_WORDS: dict[str, tuple[str, ...]] = {
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
_FAMILY_WORDS: dict[str, tuple[str, ...]] = {
    "power": (
        "capacity",
        "mw",
        "kw",
        "gw",
        "power",
        "installed",
        "leistung",
        "puissance",
        "potencia",
        "potenza",
        "moc",
        "galia",
    ),
    "energy": ("gwh", "mwh", "kwh", "twh", "output", "electricity", "produce", "produc", "generat"),
    "area": (
        "area",
        "hectare",
        "m2",
        "square",
        "space",
        "flach",
        "surface",
        "superficie",
        "powierzchni",
        "plot",
    ),
    "length": ("kilometre", "kilometer", "km", "length", "long network"),
    "mass": ("tonne", "ton", "co2", "emission", "kg"),
    "percent": ("percent", "share", "%", "proportion", "rate"),
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
                  BENEFICIARIES: "Reached", COUNT: "Figure"}  # fmt: skip
        return labels.get(self.dimension) or f"{self.dimension.capitalize()} ({BASE_UNIT[self.dimension]})"


def _stems(text: str) -> list[str]:
    return [stem(w) for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", fold(text))]


def _has(stems: Iterable[str], prefixes: Iterable[str]) -> bool:
    """A word begins with one of the prefixes, or (stemmed short: 'memb') begins one of them."""
    return any(s.startswith(p) or (len(s) >= 4 and p.startswith(s)) for s in stems for p in prefixes)


_THRESHOLD = re.compile(
    r"(?P<op>more than|greater than|larger than|bigger than|higher than|over|above|exceeding|in excess of|"
    r"at least|a minimum of|less than|fewer than|smaller than|lower than|under|below|at most|up to|"
    r"no more than|"
    r"before|after|since|earlier than|later than|prior to|mehr als|uber|weniger als|unter|vor|nach|plus de|"
    r"moins de|avant|apres|mas de|menos de|antes de|despues de|piu di|meno di|prima del|dopo il|wiecej niz|"
    r"ponad|mniej niz|przed|daugiau nei|daugiau kaip|maziau nei|maziau kaip|iki|po)\s+"
    r"(?P<what>(?:[a-z]+\s+){0,2}?(?:" + _CURRENCY_CODES.lower() + r"|€|£|\$)?\s?(?:" + _NUM + r"|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s?(?:thousand|million|billion|bn|m|k)\b)?"
    r"(?:\s?(?:" + "|".join(re.escape(u) for u in _UNIT_WORDS) + r"|" + _CURRENCY_CODES.lower()
    + r"|euros?)(?![\w²]))?(?:\s+[\w'’-]+){0,3})"
    r"|(?P<what2>(?:" + _NUM + r"|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
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


def _threshold(question: str) -> tuple[Condition, str, str] | None:
    """The question's threshold: the condition, its dimension, and the words after the number."""
    folded = " ".join(fold(question).split())
    for match in _THRESHOLD.finditer(folded):
        op = _OPS[match.group("op") or match.group("op2")]
        what = match.group("what") or match.group("what2")
        money = _MONEY.search(what)
        quantity = _QUANTITY.search(what)
        year = _YEAR.fullmatch(what.split()[0]) if what.split() else None
        if money and money.group("cur" if money.group("num") else "cur2"):
            num = money.group("num") or money.group("num2")
            mult = money.group("mult") or money.group("mult2")
            raw = money.group("cur") or money.group("cur2")
            currency = CURRENCIES.get(raw.lower(), _CURRENCY_WORDS.get(raw.lower(), raw.upper()))
            return Condition(op, parse_number(num) * _mult(mult), currency, match.group(0)), MONEY, ""
        if quantity:
            unit = quantity.group("unit").lower()
            family = next(f for f, units in UNITS.items() if unit in units)
            value = parse_number(quantity.group("num")) * _mult(quantity.group("mult")) * UNITS[family][unit]
            return Condition(op, value / BASE_SCALE[family], None, match.group(0)), family, ""
        if year and op in "<><=>=":
            return Condition(op, float(year.group(1)), None, match.group(0)), YEAR, ""
        count = re.match(
            r"(?:[a-z]+\s+){0,2}?("
            + _NUM
            + r"|"
            + "|".join(NUMBER_WORDS)
            + r")(?:\s?(thousand|million))?\s*(.*)$",
            what,
        )
        if count:
            value = parse_number(count.group(1)) * _mult(count.group(2))
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
    words = _stems(match.group(1))[:2]
    if words and words[0] in ("number", "amount"):
        return None
    for dimension in (MEMBERS, STAFF, MONEY):
        if _has(words[:1], _MEASURE_WORDS[dimension]):
            return dimension
    for family, cues in _FAMILY_WORDS.items():
        if _has(words[:1], cues):
            return family
    return None


def measure_of(question: str) -> Measure | None:
    """What the question measures practices by, or None when it names no measure."""
    words = _stems(question)
    low = forms.wants_low(question)
    found = _threshold(question)
    per_unit = bool(re.search(r"\bgrants?\b|\bvouchers? (worth|values?|amounts?)\b"
                              r"|\b(per|each|a single|one)[\s-]+"
                              r"(company|firm|sme|project|voucher|beneficiar\w*|"
                              r"cluster|applicant|participant|business)\b", fold(question)))  # fmt: skip
    words_set = frozenset(content_terms(question))
    if found is not None:
        condition, dimension, after = found
        if dimension == COUNT:
            noun = _stems(after)[:3]
            dimension = next((_KIND_BY_NOUN[n] for n in noun if n in _KIND_BY_NOUN), COUNT)
            if dimension == COUNT and _has(words, _MEASURE_WORDS[STAFF]) and set(noun) & _PEOPLE:
                dimension = STAFF
            if dimension == COUNT and _has(words, _MEASURE_WORDS[MEMBERS]):
                dimension = MEMBERS
            nouns = frozenset().union(*(expand(n) for n in noun[:1])) if noun else frozenset()
            return Measure(dimension, words_set, nouns, per_unit, condition, low)
        return Measure(dimension, words_set, frozenset(), per_unit, condition, low)
    if per_unit and not _has(words, _MEASURE_WORDS[MEMBERS] + _MEASURE_WORDS[STAFF]):
        return Measure(MONEY, words_set, per_unit=True, low=low)
    target = _superlative_object(question)
    if target is not None:
        return Measure(target, words_set, per_unit=per_unit, low=low)
    if forms.asks_age(question):
        return Measure(
            YEAR,
            words_set,
            low=low
            or bool(
                re.search(
                    r"\b(older|oldest|earlier|earliest|first|"
                    r"track record|longer|longest)\b",
                    fold(question),
                )
            ),
        )
    for family, cues in _FAMILY_WORDS.items():
        if _has(words, cues):
            return Measure(family, words_set, low=low)
    counted = re.search(r"\b(?:number of|most|fewest|how many)\s+((?:[\w'’-]+\s*){1,4})", fold(question))
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
    if _has(words, _MEASURE_WORDS[MEMBERS]):
        return Measure(MEMBERS, words_set, low=low)
    if _has(words, _MEASURE_WORDS[STAFF]) or ({"people", "work"} <= set(words)):
        return Measure(STAFF, words_set, low=low)
    if counted and not _has(_stems(head_word), _MEASURE_WORDS[MONEY]):
        return Measure(COUNT, words_set, expand(stem(head_word)), per_unit, None, low)
    if _has(words, _MEASURE_WORDS[MONEY]) or not CONCEPTS["cost"].isdisjoint(words_set):
        return Measure(MONEY, words_set, per_unit=per_unit, low=low)
    if _has(words, _MEASURE_WORDS[BENEFICIARIES]):
        return Measure(BENEFICIARIES, words_set, low=low)
    return None


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


def money_in(entry: Entry, sentence: Sentence) -> list[Figure]:
    """Money amounts of a sentence with a stated currency ("€1.2m" is 1.2 million)."""
    out = []
    for match in _MONEY.finditer(sentence.text):
        num = match.group("num") or match.group("num2")
        mult = match.group("mult") or match.group("mult2")
        raw = match.group("cur") or match.group("cur2")
        if not num or not raw:
            continue
        if mult and mult.lower() == "m" and not match.group("cur"):
            continue  # "5 m EUR" is rare; "5 m" alone is metres
        currency = CURRENCIES.get(raw.lower()) or _CURRENCY_WORDS.get(raw.lower()) or raw.upper()
        value = parse_number(num) * _mult(mult)
        after = sentence.text[match.end() : match.end() + 30]
        out.append(
            Figure(
                entry.id,
                value,
                match.group(0).strip(),
                sentence,
                currency=currency,
                qualifier=_qualifier(sentence, match.start()),
                per_unit=bool(_PER_UNIT.match(after)),
            )
        )
    return out


def quantities_in(entry: Entry, sentence: Sentence, family: str) -> list[Figure]:
    """Quantities of one unit family ("4.6 MW", "15,400 MWh", "300,000 m2"), in the base unit;
    "11 turbines of 1 MW each" is also read as 11 MW in total."""
    out = []
    for match in _QUANTITY.finditer(sentence.text):
        unit = match.group("unit").lower()
        if unit not in UNITS[family]:
            continue
        value = parse_number(match.group("num")) * _mult(match.group("mult")) * UNITS[family][unit]
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
    """Counts of the asked thing: a number followed, within four words, by one of `noun`."""
    out = []
    for match in _COUNT.finditer(sentence.text):
        raw = match.group("num")
        if _YEAR.fullmatch(raw) and not match.group("mult"):
            continue
        head = _stems(match.group("noun"))
        hit = next((i for i, w in enumerate(head) if w in noun), None)
        if hit is None:
            continue
        value = parse_number(raw) * _mult(match.group("mult"))
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
    for match in _YEAR.finditer(sentence.text):
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
}


def figures_of(entry: Entry, measure: Measure) -> list[Figure]:
    """Every figure of the practice for the measure, each scored by how well its sentence
    matches the question's measure words."""
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
    return [_scored(f, measure) for f in found]


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
    return bool(set(_stems(figure.display)) & noun)


def _with_kind(figure: Figure, kinds: dict[tuple[int, int], str]) -> Figure:
    for (start, value), kind in kinds.items():
        if start == figure.sentence.start and abs(value - figure.value) < 1:
            return Figure(**{**figure.__dict__, "kind": kind})
    return figure


def _scored(figure: Figure, measure: Measure) -> Figure:
    terms = set(content_terms(figure.sentence.text))
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
    big large high low number figure figures total maximum minimum max min offer offers""".split()
)
_KIND_PRIORITY = {"budget": 0, "amount": 1, None: 2, "grant": 3}


def _from_kind(figure: Figure, measure: Measure) -> int:
    """1 when a key fact of the measure's own kind gives the figure (members, staff, ...)."""
    return int(figure.kind is not None and figure.kind == _FACT_KINDS.get(measure.dimension, ("",))[0])


def specific_words(measure: Measure) -> frozenset[str]:
    """The question's words that narrow the measure beyond its kind ("savings on energy bills")."""
    return frozenset(w for w in measure.words if w not in _GENERIC and not w[:1].isdigit())


def reading(
    entry: Entry,
    measure: Measure,
    base: Callable[[Figure], float] | None = None,
    judged: Mapping[tuple[str, int], float] | None = None,
) -> Reading:
    """The practice's figure for the measure (None: not stated), and its other figures.

    A figure must sit in a sentence that uses one of the question's specific words when it has
    any; per-unit amounts answer only a per-unit question; a start year of operations gives way
    to a year at which the initiative began. `base` puts a figure on one scale (money in one
    currency); by default its value. `judged` gives a learned relevance per sentence (practice id,
    sentence start), which then replaces the word count."""
    value_of = base or (lambda f: f.value)
    figures = figures_of(entry, measure)
    if judged:
        figures = [
            Figure(**{**f.__dict__, "relevance": judged.get((f.practice_id, f.sentence.start), f.relevance)})
            for f in figures
        ]
    specific = specific_words(measure)
    if measure.dimension in (MONEY, *UNITS) and len(specific) >= 2:

        def hits(f: Figure) -> bool:
            terms = set(content_terms(f.sentence.text))
            return any(not expand(w).isdisjoint(terms) for w in specific)

        figures = [f for f in figures if hits(f)]
    if measure.dimension == MONEY:
        figures = [f for f in figures if f.currency]
        if measure.per_unit:
            figures = [f for f in figures if f.per_unit or f.kind == "grant"] or figures
        else:
            totals = [f for f in figures if not f.per_unit and f.kind != "grant"]
            figures = totals or figures
    if measure.dimension in (MEMBERS, STAFF):  # a key fact's count of something else ("450 households")
        named = [f for f in figures if _subject_matches(f, _nouns_of(measure.dimension))]
        figures = named or figures
    if not figures:
        return Reading(entry, None, [])
    if measure.dimension == YEAR:
        begun = [f for f in figures if f.kind != "operations"] or figures
        best = min(begun, key=lambda f: (f.value, -f.relevance))
    else:
        best = max(
            figures,
            key=lambda f: (_from_kind(f, measure), f.relevance, -_KIND_PRIORITY.get(f.kind, 2), value_of(f)),
        )
    others = [f for f in figures if f is not best]
    return Reading(entry, best, others)
