"""Word-level text analysis shared by retrieval scoring and the extractive answerer."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
NUMBER = re.compile(r"\d[\d\s,.]*\d|\d")

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
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A light suffix stripper: enough to match member/members/membership, fund/funded/funding."""
    for suffix in ("ships", "ship", "ations", "ation", "ings", "ing", "ies", "ied", "ers", "er",
                   "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry meaning (no stopwords, no question words)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and w not in QUESTION_WORDS]


def numbers(text: str) -> set[str]:
    """Numbers in text, normalised: '100 000', '100,000' and '100000' are all '100000'."""
    found = set()
    for match in NUMBER.finditer(text):
        raw = match.group(0).strip(" ,.")
        digits = re.sub(r"(?<=\d)[\s,](?=\d{3}\b)", "", raw)
        found.add(digits)
    return found


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
