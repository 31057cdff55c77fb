"""The number lexer: amounts, counts and years in a sentence, with their currency, multiplier,
range and qualifier ("about EUR 1.2 million", "between 11 and 20", "two to three"), before any
rule gives them a kind. Also `parse_amount` for amounts a user types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.errors import InvalidQuestion
from assistant.practices.currency import reference_rates
from assistant.vocabulary import NUMBER_WORDS, YEAR

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
# the currency codes and signs a figure may start with
CURRENCY_SIGNS = r"EUR|GBP|USD|CZK|DKK|SEK|NOK|PLN|HUF|RON|CHF|BGN|ISK|€|£|\$"
_CURRENCY_BEFORE = r"(?P<cur>" + CURRENCY_SIGNS + r")\s?"
_CURRENCY_AFTER = r"\s?(?P<cur2>EUR|euros?|Euros?|GBP|pounds|USD|dollars|CZK|DKK|SEK|NOK|PLN|HUF|RON|CHF)\b"
# digits of one figure: groups of three after a space, comma or no-break space, then a decimal
# part ("26,000", "1 200.5", "4.6"). Kept apart from assistant.vocabulary.numbers(), which
# normalises figures for comparison: the lexer needs each figure's exact extent and value, and a
# comma here only ever groups thousands.
_DIGITS = r"\d{1,3}(?:[ ,\u00a0]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# a decimal comma, as much of Europe writes it, before a multiplier: "1,5 million euros"
_DECIMAL_COMMA = r"\d{1,3},\d{1,2}(?=\s?(?:million|billion|thousand|mln|mn|bn|m)\b)"
# a multiplier after the figure: a word, or an abbreviation written against it ("€4.8m", "£80k")
_MULT = r"(?:\s?(?P<mult>million|billion|thousand|mln|mn|bn)\b|(?P<short>m|k|bn)\b)?"
MULTIPLIERS = {
    "million": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3, "mln": 1e6, "mn": 1e6, "m": 1e6, "k": 1e3,
}  # fmt: skip

# numbers written as one word; "zero" is never a count a fact states
WORD_NUMBERS = {w: n for w, n in NUMBER_WORDS.items() if n and " " not in w} | {"hundred": 100}
_WORD_NUMBER = r"\b(?P<word>" + "|".join(WORD_NUMBERS) + r")\b"

_NUMBER = re.compile(
    r"(?:"
    + _CURRENCY_BEFORE
    + r")?(?<![\w.,/-])(?P<num>"
    + _DECIMAL_COMMA
    + r"|"
    + _DIGITS
    + r")(?:(?![\w/])|(?=(?:m|k|bn)\b))"
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
    # set by the rules once they give the mention a kind: a later number of the same sentence
    # can take the role of an earlier one ("21 members, 19 of them companies")
    kind: str | None = None
    subject: str | None = None


def _parse_digits(raw: str, mult: str | None) -> float:
    if mult and re.fullmatch(r"\d{1,3},\d{1,2}", raw):  # a decimal comma: "1,5 million"
        raw = raw.replace(",", ".")
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


# How far before a number "between" may stand for "between 11 and 20" to be read as a range.
BETWEEN_REACH = 20


def _range_end(
    sentence: str, m: re.Match[str], value: float, is_word: bool
) -> tuple[float, float, int] | None:
    """(lower value, upper value, end) when the number at m starts a range: '7-10', '2 to 3 million',
    'between 11 and 20', 'two to three'; None otherwise (also when the second is not larger)."""
    tail = _RANGE_TAIL.match(sentence, m.end())
    if (
        tail is None
        and _BETWEEN.search(sentence[max(0, m.start() - BETWEEN_REACH) : m.start()])
        and not is_word
    ):
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
        first_is_year = m.group("mult") is None and YEAR.fullmatch(m.group("num")) is not None
        second_is_year = YEAR.fullmatch(tail.group("num")) is not None
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
            value = _parse_digits(m.group("num"), m.group("mult") or m.group("short"))
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
            and m.group("short") is None
            and YEAR.fullmatch(m.group("num") or "") is not None
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
        # a code the reference rates do not cover raises UnknownCurrency, naming those they do
        currency = reference_rates().require(CURRENCIES.get(raw_currency.lower(), raw_currency))
    return value, currency
