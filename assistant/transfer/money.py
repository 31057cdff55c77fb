"""Money as a region states it: an amount, a currency, and the period it covers.

"EUR 200000 per year", "PLN 1 million in total", "about €50,000 a year", "SEK 2 million over three
years": `parse_money` reads such text into `Money`. Conversion to EUR, at the European Central
Bank's reference rate of a stated day, is the core's (assistant.practices.currency); comparisons
are made per year, in EUR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.practices.currency import reference_rates
from assistant.vocabulary import NUMBER_WORDS

# Currency words and symbols a person writes; ISO codes are accepted as such.
CURRENCY_WORDS: dict[str, str] = {
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "zł": "PLN",
    "zloty": "PLN",
    "zlotys": "PLN",
    "złoty": "PLN",
    "złotych": "PLN",
    "kč": "CZK",
    "koruna": "CZK",
    "korunas": "CZK",
    "forint": "HUF",
    "forints": "HUF",
    "ft": "HUF",
    "lei": "RON",
    "leu": "RON",
    "lev": "BGN",
    "leva": "BGN",
    "franc": "CHF",
    "francs": "CHF",
}
AMBIGUOUS_WORDS = {"kr", "krona", "kronor", "krone", "kroner", "crowns", "crown"}
MULTIPLIERS: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "bn": 1e9,
    "billion": 1e9,
}
PERIODS = ("per year", "total")
MAX_YEARS = 50

_SYMBOL = r"€|£|\$|zł|Kč"
_CODE = r"(?-i:[A-Z]{3})"  # an ISO code is written in capitals
_WORD_CURRENCY = (
    r"euros?|pounds?|sterling|dollars?|zlotys?|złoty|złotych|koruna|korunas|forints?|Ft|"
    r"lei|leu|leva|lev|francs?"
)
_AMBIGUOUS = r"kr|kron(?:a|or|e|er)|crowns?"
_NUM = r"\d{1,3}(?:[ ,.\u00a0\u202f']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MULT = r"k|thousand|m|mn|mln|millions?|bn|billion"
# the money expression: [currency] number [multiplier] [currency]
MONEY = re.compile(
    rf"(?:(?P<c1>{_SYMBOL}|\b{_CODE}\b|\b(?:{_AMBIGUOUS})\b)\s?)?"
    rf"(?<![\w.,])(?P<num>{_NUM})(?![\d])\s?(?P<mult>(?:{_MULT})\b)?"
    rf"(?:\s?(?P<c2>{_SYMBOL}|\b{_CODE}\b|\b(?:{_WORD_CURRENCY}|{_AMBIGUOUS})\b))?",
    re.IGNORECASE,
)
_YEAR_COUNT = r"\d{1,2}|" + "|".join(w for w, n in NUMBER_WORDS.items() if 2 <= n <= 50 and " " not in w)
# "over three years", "for 3 years", "across two years", "during 5 years", "for a 3-year period"
_SPAN = re.compile(
    r"\b(?:over|for|across|during|within|in|spread over|lasting)\s+"
    r"(?:the\s+next\s+|a\s+period\s+of\s+|a\s+)?"
    rf"(?P<years>{_YEAR_COUNT})[\s-]+years?\b(?:\s+period)?"
    rf"|\b(?P<years2>{_YEAR_COUNT})[\s-]year\s+(?:budget|period|programme|program|total)\b",
    re.IGNORECASE,
)
_PER_YEAR = re.compile(
    r"(?:\bper\s+(?:year|annum)\b|\ba\s+year\b|/\s?(?:year|yr|y|annum)\b|\bp\.?\s?a\.?(?!\w)|"
    r"\bannual(?:ly)?\b|\byearly\b|\beach\s+year\b|\bevery\s+year\b|\ba\s+twelvemonth\b)",
    re.IGNORECASE,
)
_PER_MONTH = re.compile(r"\b(?:per|a|each|every)\s+month\b|/\s?month\b|\bmonthly\b", re.IGNORECASE)
_TOTAL = re.compile(
    r"\b(?:in\s+total|total|overall|altogether|one-off|one\s+off|all\s+told|lump\s+sum)\b", re.IGNORECASE
)
_QUALIFIER = re.compile(
    r"\b(about|around|approximately|approx\.?|roughly|some|nearly|almost|up\s+to|at\s+most|"
    r"at\s+least|more\s+than|over|less\s+than|under|circa|ca\.)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """An amount of money and the period it covers.

    per_year: the amount is for one year. Otherwise it is a total, over `years` years when stated.
    assumptions: what was assumed because the text did not say it (shown to the user).
    """

    amount: float
    currency: str
    per_year: bool
    years: float | None = None
    text: str = ""
    qualifier: str | None = None
    assumptions: tuple[str, ...] = ()

    @property
    def period(self) -> str:
        if self.per_year:
            return "per year"
        if self.years:
            return f"over {self.years:g} years"
        return "total"

    def yearly_amount(self) -> float | None:
        """The amount per year, in its own currency; None for a total of unstated length."""
        if self.per_year:
            return self.amount
        if self.years:
            return self.amount / self.years
        return None

    def total_amount(self) -> float | None:
        """The whole amount, in its own currency; None when only a yearly figure is known."""
        return None if self.per_year else self.amount

    def display(self) -> str:
        return f"{self.currency} {format_amount(self.amount)} {self.period}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "amount": self.amount,
            "currency": self.currency,
            "period": self.period,
            "years": self.years,
            "assumptions": list(self.assumptions),
        }


def format_amount(value: float) -> str:
    """12000000 -> '12 million', 250000 -> '250,000', 1234.5 -> '1,234.5'."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.2f}".rstrip("0").rstrip(".") + f" {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _number(raw: str) -> float:
    """'200 000', '200,000', '1.5', '1,5', '2.000.000' -> float."""
    cleaned = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("'", " ")
    if re.fullmatch(r"\d{1,3}(?:[ ,.]\d{3})+", cleaned) and not re.fullmatch(r"\d{1,3}[.,]\d{3}", cleaned):
        return float(re.sub(r"[ ,.]", "", cleaned))  # digit groups: 1,000,000 / 1.000.000 / 1 000 000
    if re.fullmatch(r"\d{1,3}(?:[ ,.]\d{3})+[.,]\d+", cleaned):  # 1,234.50 / 1.234,50
        whole, decimals = re.split(r"[.,](?=\d+$)", cleaned)
        return float(re.sub(r"[ ,.]", "", whole) + "." + decimals)
    if re.fullmatch(r"\d{1,3}[.,]\d{3}", cleaned):
        # "1,000" is one thousand; "1.000" too (a European group separator), never 1.0
        return float(cleaned.replace(",", "").replace(".", ""))
    return float(cleaned.replace(",", ".").replace(" ", ""))


def _currency(raw: str | None, known: frozenset[str]) -> tuple[str | None, str | None]:
    """(ISO code, problem) of a written currency."""
    if not raw:
        return None, None
    lowered = raw.lower()
    if lowered in AMBIGUOUS_WORDS:
        return None, f"{raw!r} can be Swedish, Danish or Norwegian crowns; write SEK, DKK or NOK"
    if lowered in CURRENCY_WORDS:
        return CURRENCY_WORDS[lowered], None
    if raw.isalpha() and len(raw) == 3:
        code = raw.upper()
        if code in known:
            return code, None
        return None, f"unknown currency {raw!r}; use an ISO code such as {', '.join(sorted(known))}"
    return None, f"unknown currency {raw!r}"


@dataclass(frozen=True)
class MoneyMention:
    """Money found in free text: the Money, where it was, and the span of text it takes."""

    money: Money
    start: int
    end: int


def find_money(text: str, known: frozenset[str] | None = None) -> list[MoneyMention]:
    """Amounts with a stated currency in free text ("about EUR 300,000 a year"), in order.

    Numbers without a currency are not money here. The period is read from the words right after
    the amount; a currency that cannot be told apart (kr, crowns) is skipped.
    """
    known = known if known is not None else reference_rates().currencies
    found: list[MoneyMention] = []
    for match in MONEY.finditer(text):
        c1, c2 = match.group("c1"), match.group("c2")
        if bool(c1) == bool(c2):
            continue  # no currency, or two of them
        code, problem = _currency(c1 or c2, known)
        if code is None or problem:
            continue
        tail_end = _period_end(text, match.end())
        start = match.start()
        before = text[max(0, start - 30) : start]
        qualifier = _QUALIFIER.search(before)
        if qualifier:
            start -= len(before) - qualifier.start()
        annual = re.search(r"\b(?:annual|yearly)\b[\w\s]{0,20}$", before, re.IGNORECASE)
        words = ("annual " if annual else "") + text[match.end() : tail_end]
        money = _money_from_match(match, code, words, text[start:tail_end].strip())
        if money is not None:
            found.append(MoneyMention(money, start, tail_end))
    return found


_TAIL = re.compile(
    r"^(?:\s*(?:of\s+(?:funding|budget|money)|in\s+(?:funding|public\s+money|budget))?)"
    r"(?:\s*(?:,\s*)?(?:(?:per|a|/|each|every)\s*(?:year|annum|yr|month)\b|p\.?\s?a\.?(?!\w)|annually|yearly|monthly|"
    r"in\s+total|total|overall|altogether|one-off|"
    r"(?:over|for|across|during|within|in|spread\s+over|lasting)\s+(?:the\s+next\s+|a\s+period\s+of\s+)?"
    r"\w+[\s-]+years?(?:\s+period)?))*",
    re.IGNORECASE,
)


def _period_end(text: str, end: int) -> int:
    tail = _TAIL.match(text[end : end + 80])
    return end + (len(tail.group(0).rstrip()) if tail else 0)


def _money_from_match(match: re.Match[str], code: str, tail: str, whole: str) -> Money | None:
    try:
        value = _number(match.group("num"))
    except ValueError:
        return None
    mult = (match.group("mult") or "").lower()
    if mult == "m" and match.group("c2") and match.group("c2").lower() == "m":
        mult = ""
    value *= MULTIPLIERS.get(mult, 1.0)
    return _with_period(value, code, tail, whole)


def _with_period(value: float, code: str, words: str, whole: str) -> Money:
    assumptions: list[str] = []
    years: float | None = None
    span = _SPAN.search(words)
    if span:
        raw = span.group("years") or span.group("years2")
        years = float(raw) if raw.isdigit() else float(NUMBER_WORDS[raw.lower()])
        if not 1 <= years <= MAX_YEARS:
            raise InvalidQuestion(
                f"budget: a period of {years:g} years is not plausible; give 1 to {MAX_YEARS}"
            )
    if _PER_MONTH.search(words) and not span:
        return Money(value * 12, code, True, None, whole, assumptions=("per month, times 12",))
    if span and _PER_YEAR.search(words) and not _TOTAL.search(words):
        return Money(value, code, True, years, whole)  # "EUR 100,000 a year for three years"
    if span:
        return Money(value, code, False, years, whole)
    if _PER_YEAR.search(words):
        return Money(value, code, True, None, whole)
    if _TOTAL.search(words):
        return Money(value, code, False, None, whole)
    assumptions.append("no period given: taken as per year")
    return Money(value, code, True, None, whole, assumptions=tuple(assumptions))


def parse_money(text: str, *, key: str = "budget", known: frozenset[str] | None = None) -> Money:
    """Money from a short text such as 'PLN 1 million in total' or 'about €50,000 a year'.

    A missing currency is taken as EUR and a missing period as per year; both are recorded in
    `assumptions`. Raises InvalidQuestion naming `key` and what is accepted.
    """
    known = known if known is not None else reference_rates().currencies
    if not isinstance(text, str) or not text.strip():
        raise InvalidQuestion(f"{key}: give an amount such as 'EUR 200000 per year'")
    raw = " ".join(text.split())
    if len(raw) > 200:
        raise InvalidQuestion(f"{key}: at most 200 characters, e.g. 'EUR 200000 per year'")
    match = MONEY.search(raw)
    if match is None:
        raise InvalidQuestion(
            f"{key}: cannot read an amount in {text!r}; write e.g. 'EUR 200000 per year', "
            "'PLN 1 million in total' or 'SEK 2 million over three years'"
        )
    c1, c2 = match.group("c1"), match.group("c2")
    if c1 and c2:
        raise InvalidQuestion(f"{key}: {text!r} names two currencies; give one")
    code, problem = _currency(c1 or c2, known)
    if problem:
        raise InvalidQuestion(f"{key}: {problem}")
    words = raw[: match.start()] + " " + raw[match.end() :]
    rest = re.sub(r"\b(?:" + _WORD_CURRENCY + r")\b", " ", words, flags=re.IGNORECASE)
    for mention in re.finditer(r"\b[A-Za-z]{3}\b", rest):
        if mention.group(0).upper() in known and mention.group(0).isupper():
            code_problem = f"{text!r} names two currencies; give one"
            raise InvalidQuestion(f"{key}: {code_problem}")
    money = _money_from_match(match, code or "EUR", words, raw)
    if money is None:
        raise InvalidQuestion(f"{key}: cannot read the number in {text!r}")
    if money.amount <= 0:
        raise InvalidQuestion(f"{key}: the amount must be more than zero, got {text!r}")
    if code is None:
        money = Money(
            money.amount,
            "EUR",
            money.per_year,
            money.years,
            money.text,
            money.qualifier,
            ("no currency given: taken as EUR", *money.assumptions),
        )
    return money
