"""The shared vocabulary: how words, numbers, amounts with their units, years, names and citation
markers are recognised.

Every module that reads words or numbers takes them from here, so that retrieval, answering,
facts and evaluation agree on what a word, a number or a marker is. General English and the
template's patterns only: nothing here names a practice, place or organisation of a corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# a word: letters and digits, with inner hyphens and apostrophes ("car-parts", "member's")
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
NUMBER = re.compile(r"\d[\d\s,.]*\d|\d")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # a four-digit year of the last two centuries
# a number as documents write it ("1,200", "26 000", "4.5", "3,5"), and an amount of money with its
# currency before or after it ("EUR 1.2 million", "€500", "20,000 euros"): one pattern for every
# part that reads amounts
CURRENCY_CODES = r"EUR|GBP|USD|CZK|DKK|SEK|NOK|PLN|HUF|RON|CHF|BGN|ISK"
NUM = r"\d{1,3}(?:[ ,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
MULT = r"(?:\s?(?P<mult>thousand|millions?|billion|bn|mio|mrd|mn|m|k)\b)?"
MONEY_RE = re.compile(
    r"(?P<cur>" + CURRENCY_CODES + r"|€|£|\$)\s?(?P<num>" + NUM + r")" + MULT
    + r"|(?<![\w.,])(?P<num2>" + NUM + r")" + MULT.replace("mult", "mult2")
    + r"\s?(?P<cur2>" + CURRENCY_CODES + r"|euros?|pounds|dollars|kronor|kroner|zloty|€)\b",
    re.IGNORECASE,
)  # fmt: skip
MONTHS = tuple(  # the month names, lower-case
    "january february march april may june july august september october november december".split()
)
NAME = re.compile(r"\b[A-Z][\w'’&-]*\w")  # a capitalised word: a proper name or a sentence start
# the [n] citation marker of an answer
MARKER = re.compile(r"\[(\d{1,3})\]")
# words by which a follow-up refers back to what the conversation was about
FOLLOW_UP_WORDS = frozenset(
    """it its it's they them their this that these those he she there one""".split()
) | {"the scheme", "the practice"}
REFERS_BACK = re.compile(r"\b(it|its|they|them|their|this|that|these|those|one|ones)\b", re.IGNORECASE)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves tell give
    get got many much one ones kind sort thing things please us let way ways""".split()
)

# Words that shape a question but say nothing about which fact is wanted.
QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how many much does did do is are was were can
    could would should roughly approximately exactly total overall currently now today""".split()
)


def fold(text: str) -> str:
    """Lower-case without accents: 'Göllheim' -> 'gollheim'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def stem(word: str) -> str:
    """A light suffix stripper: enough to match member/members/membership, fund/funded/funding."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    word = word.rstrip("'’")
    for suffix in ("ises", "ised", "ise", "izes", "ized", "ize"):  # pedestrianise -> pedestrian
        if word.endswith(suffix) and len(word) - len(suffix) >= 7:
            return word[: -len(suffix)]
    for suffix in (
        "ships",
        "ship",
        "ations",
        "ation",
        "ings",
        "ing",
        "ies",
        "ied",
        "ers",
        "er",
        "es",
        "ed",
        "ly",
        "s",
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break  # 'assess', 'campus', 'analysis' are not plurals
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry meaning (no stopwords, no question words). A hyphenated word
    gives itself and its parts: 'car-parts' -> 'car-part', 'car', 'part'."""
    out = []
    for w in words(text):
        if w in STOPWORDS or w in QUESTION_WORDS:
            continue
        stemmed = stem(w)
        if stemmed in STOPWORDS or stemmed in QUESTION_WORDS:  # "what's"
            continue
        out.append(stemmed)
        if "-" in w:
            out.extend(stem(p) for p in re.split(r"[-'’]", w) if p and p not in STOPWORDS)
    return out


# A number: digit groups of three after a space, comma or no-break space ("100 000", "26,000"),
# or digits with an optional decimal part ("4.6", "2014").
_GROUPED = re.compile(r"\d{1,3}(?:[ ,\u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?")
_GROUP_SEPARATOR = re.compile(r"(?<=\d)[ ,\u00a0\u202f](?=\d{3}(?!\d))")


def numbers(text: str) -> set[str]:
    """Numbers in text, normalised: '100 000', '100,000' and '100000' are all '100000'."""
    found = set()
    for match in _GROUPED.finditer(text):
        found.add(_GROUP_SEPARATOR.sub("", match.group(0)).rstrip(".,"))
    return found


_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({w: 10 * (i + 2) for i, w in enumerate(_TENS)})
NUMBER_WORDS.update({"a dozen": 12, "a hundred": 100, "one hundred": 100, "a thousand": 1000})
_NUMBER_WORD = re.compile(
    r"\b(?:("
    + "|".join(_TENS)
    + r")[-\s]("
    + "|".join(_UNITS[1:10])
    + r")|("
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r"))\b",
    re.IGNORECASE,
)


def number_words_to_digits(text: str) -> str:
    """'three to five' -> '3 to 5', 'twenty-one' -> '21'; other text unchanged."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return str(NUMBER_WORDS[match.group(1).lower()] + NUMBER_WORDS[match.group(2).lower()])
        return str(NUMBER_WORDS[match.group(3).lower()])

    return _NUMBER_WORD.sub(replace, text)


def normalise_numbers(text: str) -> str:
    """Text with number words as digits and digit-group separators removed ('100 000' -> '100000')."""
    return _GROUPED.sub(lambda m: _GROUP_SEPARATOR.sub("", m.group(0)), number_words_to_digits(text))


# A sentence ends after . ! ? followed by white space and a capital, digit or bullet; or at a line break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9•\-–])|\n+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text[start:end], whitespace trimmed.

    Splits after . ! ? followed by whitespace, and at line breaks; does not split inside
    numbers such as 1.2 or 26,000 (the full stop there is not followed by whitespace).
    """
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _SENTENCE_BREAK.finditer(text, start, stop):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, stop))
    trimmed = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


# -- quantities with a unit: how they are written, and the words by which a question asks for them --

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
UNIT_WORDS = sorted({u for family in UNITS.values() for u in family}, key=len, reverse=True)
QUANTITY_RE = re.compile(
    r"(?<![\w.,])(?P<num>" + NUM + r")" + MULT
    + r"\s?-?\s?(?P<unit>" + "|".join(re.escape(u) for u in UNIT_WORDS) + r")(?![\w²])",
    re.IGNORECASE,
)  # fmt: skip
FAMILY_WORDS: dict[str, tuple[str, ...]] = {
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


def stems(text: str) -> list[str]:
    return [stem(w) for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", fold(text))]


def unit_families(question: str) -> frozenset[str]:
    """The unit families a question names what it measures by: "capacity" -> power, "annual
    output" -> energy, "how large an area" -> area (a share is read by answerability)."""
    words = stems(question)
    return frozenset(f for f, cues in FAMILY_WORDS.items() if f != "percent" and has_prefix(words, cues))


def states_unit(text: str, family: str) -> bool:
    """The text states an amount in a unit of the family ("4.6 MW" for power)."""
    return any(m.group("unit").lower() in UNITS[family] for m in QUANTITY_RE.finditer(text))


def has_prefix(stems: Iterable[str], prefixes: Iterable[str]) -> bool:
    """A word begins with one of the prefixes, or (stemmed short: 'memb') begins one of them."""
    return any(s.startswith(p) or (len(s) >= 4 and p.startswith(s)) for s in stems for p in prefixes)
