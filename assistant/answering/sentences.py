"""The sentences of retrieved passages, the units the extractive answerer chooses and cites.

A sentence ending in ':' keeps the bullet list after it (a list is one unit). Reference lines
("Source: ...", web addresses) and fragments of fewer than four words are not sentences here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.types import ScoredChunk
from assistant.vocabulary import YEAR, content_terms, normalise_numbers, numbers, sentence_spans, stem, words

# The document says it does not have the fact (general English).
ABSENCE = re.compile(
    r"\b(not (stated|given|specified|reported|available|known|published|disclosed|mentioned|provided|"
    r"quantified|documented)|(does|do|did) not (give|state|say|specify|report|mention|provide|quantify|"
    r"include|disclose)|no (formal )?(figures?|data|information|numbers?|details?)\b[^.]{0,40}\b("
    r"available|given|published|provided|reported)|(is|are) unknown)\b",
    re.IGNORECASE,
)
BULLET = "•-–*"
LIST_UNIT_CHARS = 900  # a lead sentence and its bullets, up to this long, are one unit
_REFERENCE = re.compile(
    r"^\s*(source|sources|see|website|web|url|link|organisation|contact)\s*:|https?://", re.IGNORECASE
)
# a sentence that dates itself by the one before ("By June 2019 ... At that date the society had")
_THAT_TIME = re.compile(
    r"^\W*((at|by|in|from|until|since) (that|this|the same) (date|time|point|year|moment)|by then|"
    r"at the time|that year|then)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]*[A-Z][A-Za-z]*)\)")  # "(ABC)", "(AbCD)" in a title
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
MONTH = re.compile(_MONTH, re.IGNORECASE)
_ENUMERATOR = re.compile(r"\(\d{1,2}\)|^\s*\d{1,2}[.)]\s")
DATE = re.compile(
    rf"\b\d{{1,2}}(st|nd|rd|th)? {_MONTH}\b|\b{_MONTH} \d{{1,2}}\b|\b(19|20)\d\d\b", re.IGNORECASE
)
_NOT_ONE = re.compile(r"\b(one|a)\b", re.IGNORECASE)  # "set one up" states no number


def quantities(text: str) -> set[str]:
    """The numbers of a text that are amounts, not dates or list markers: '55 owners since 1999'
    -> {'55'}; '(1) products' -> set()."""
    return numbers(normalise_numbers(_ENUMERATOR.sub(" ", DATE.sub(" ", _NOT_ONE.sub("", text)))))


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a lead sentence with its bullet list) of a retrieved passage."""

    passage: ScoredChunk
    rank: int  # of its passage in the retrieval order
    start: int  # absolute offsets in the practice text
    end: int
    text: str
    terms: frozenset[str]
    absence: bool  # says the document does not give a fact

    @property
    def practice(self) -> str:
        return self.passage.chunk.practice_id

    @property
    def section(self) -> str:
        return self.passage.chunk.section

    @property
    def title(self) -> str:
        return self.passage.chunk.title

    def overlaps(self, other: Sentence) -> bool:
        return self.practice == other.practice and self.start < other.end and other.start < self.end


def sentences(passages: Sequence[ScoredChunk]) -> list[Sentence]:
    """The sentences of the passages, in passage order; a text repeated by overlapping chunks of
    one practice is kept once."""
    out: list[Sentence] = []
    seen: set[tuple[str, int, int]] = set()
    title_terms: dict[str, tuple[str, frozenset[str]]] = {}
    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        if chunk.practice_id not in title_terms:
            acronym = _ACRONYM.search(chunk.title)
            title_terms[chunk.practice_id] = (
                stem(acronym.group(1).lower()) if acronym else "",
                frozenset(content_terms(chunk.title)),
            )
        acronym_term, title = title_terms[chunk.practice_id]
        before = ""  # the unit before, whose date "at that date" refers to
        for a, b in _units(chunk.text):
            text = chunk.text[a:b]
            prior, before = before, text
            key = (chunk.practice_id, chunk.start + a, chunk.start + b)
            if key in seen or len(words(text)) < 4 or _REFERENCE.match(text):
                continue
            seen.add(key)
            terms = set(content_terms(normalise_numbers(text)) + content_terms(text))
            if _THAT_TIME.match(text):  # "By June 2019 ... At that date the society had 77 members"
                terms |= set(YEAR.findall(prior))
            if acronym_term and acronym_term in terms:
                terms |= title  # "ABC receives" names the practice "Alpha Beta City (ABC)"
            out.append(
                Sentence(
                    passage,
                    rank,
                    chunk.start + a,
                    chunk.start + b,
                    text,
                    frozenset(terms),
                    bool(ABSENCE.search(text)),
                )
            )
    return out


def _units(text: str) -> list[tuple[int, int]]:
    """Sentence spans, a lead sentence ending in ':' joined with the bullets after it."""
    spans = sentence_spans(text)
    units = []
    i = 0
    while i < len(spans):
        a, b = spans[i]
        j = i + 1
        if text[a:b].rstrip().endswith(":") or text[a] in BULLET:
            while j < len(spans) and text[spans[j][0]] in BULLET and spans[j][1] - a < LIST_UNIT_CHARS:
                b = spans[j][1]
                j += 1
        units.append((a, b))
        i = j
    return units


def plain(sentence: Sentence) -> str:
    """The sentence as answer text: bullets joined into one line."""
    return " ".join(line.strip().lstrip(BULLET + " ") for line in sentence.text.splitlines()).rstrip()
