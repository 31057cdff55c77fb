"""Funding-source rules: who or what finances the practice, as the words of its sentence that
name it ("funded by the regional government", "EUR 2 million from the ERDF")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.practices.facts.model import Fact
from assistant.practices.facts.numbers import CURRENCY_SIGNS, Mention
from assistant.practices.facts.phrases import ADVERBS
from assistant.vocabulary import STOPWORDS

# a named source is at most this long (in characters; cut at a word) and at least this short
MAX_SOURCE_CHARS, MIN_SOURCE_CHARS = 120, 3
# the subject of "X funded ..." is a funder when it has at most this many words
MAX_FUNDER_WORDS = 6
# how much text after "X funded" is read to see what X funded (in characters)
FUNDED_OBJECT_REACH = 80

_FUNDING_BY = re.compile(
    r"\b(?:co-?financed|co-?funded|financed|funded|sponsored|paid for|supported financially|self-financ\w*|"
    r"(?:is|are|was|were)\s+(?:provided|covered))"
    r"(?:\s+(?:directly|mainly|mostly|largely|jointly|partly|entirely|fully|primarily))?\s+(?:by|from)\s+"
    r"(?P<source>[^.;:()]{1,200})",
    re.IGNORECASE,
)
_FUNDING_FROM = re.compile(
    r"\b(?:(?:funds?|funding|money|financing|co-financing|\d+\s?%|most|part|half|the rest|the remainder)"
    r"(?:\s+of\s+(?:it|this|them|the \w+))?\s+(?:(?:comes?|came|is provided|are provided|was provided)\s+)?"
    r"|support\s+(?:comes?|came|is provided|are provided|was provided)\s+)"
    r"from\s+(?P<source>[^.;:()]{1,200})",
    re.IGNORECASE,
)
# after a funding phrase, the sources coordinated with it: "funded by A (...) and by B", "comes from
# A, from B and from C"
_COORDINATED = re.compile(
    r"(?:,\s+|\s+and\s+)(?:also\s+)?(?:from|by)\s+(?P<source>(?:the|a|an|its|their|[A-Z])[^.;:()]{1,150})",
    re.IGNORECASE,
)
# a list of sources inside one phrase: "the City of Ghent, the regional call and an EU project"
_LIST_SPLIT = re.compile(r",\s+(?=(?:the|a|an|its|their)\s)|\s+and\s+(?=(?:the|a|an|its|their)\s)")
_MONEY_FROM = re.compile(r"^\s*(?:[^.;:,]{0,40}?)\bfrom\s+(?P<source>(?:the\s+)?[^.;:,]+)", re.IGNORECASE)
_TO_OR_BETWEEN = re.compile(r"^\s*(?:to|between)\b")
_FUNDER_VERB = re.compile(
    r"(?:^|,\s+|;\s+)(?P<source>(?:the\s+)?[A-Za-z][A-Za-z' -]{2,60}?)\s+(?:dedicated|spent|invested|"
    r"contributed|financed|funded|funds|finances|provided|pays into|pay into|pay)\b",
    re.IGNORECASE,
)
_PRONOUNS = frozenset({"it", "this", "which", "that"})
# what "X funded / provided" must be followed by for X to be a funder: an object or an amount
_FUNDED_OBJECT = re.compile(r"^\s*(?:the|about|around|" + CURRENCY_SIGNS + ")", re.IGNORECASE)
_SPENT_MONEY = re.compile(
    r"^\s*(?:(?:about|around|some|nearly|over|more than)\s+)?(?:" + CURRENCY_SIGNS + ")", re.IGNORECASE
)
# Sources named without "funded by" in a sentence about funding, by the form of their name:
# a capitalised name ending in "Fund(s)", with its acronym ("the Urban Energy Fund (UEF)") ...
_NAMED_FUND = re.compile(r"(?P<source>(?:(?!The\b)[A-Z][\w-]*\s+){1,5}Funds?\b(?:\s+\([A-Z][A-Z+]{1,7}\))?)")
# ... or a noun compound of a proper name (an acronym, a possessive, capitalised words) and a word
# for money, maybe through a period and two modifiers: "ABC 2021-2027 funds", "the Agency's
# money", "XYZ rural development funding" ("the Plan's budget" is what it has, not who pays)
_PROPER_NAME = r"(?:[A-Z]{2,}\+?|[A-Z][\w&-]*['’]s|[A-Z][\w&-]*(?:\s+(?:of\s+)?[A-Z][\w&-]*)+)"
_NOT_A_MODIFIER = r"(?:a|an|the|and|or|of|for|to|in|on|by|with|from|its|their|is|was|are|were|has|had|have)\b"
_MODIFIER = r"(?!" + _NOT_A_MODIFIER + r")[a-z][\w-]*"
_NAME_FUNDING = re.compile(
    r"\b(?P<source>" + _PROPER_NAME + r"(?:\s+(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?)?"
    r"(?:\s+" + _MODIFIER + r"){0,2}\s+(?:funds|funding|money|grants?|financing|co-financing))\b"
)
# ... or the members' own fees
_FEES = re.compile(r"\b(?P<source>(?:membership|member|members['’]) fees?)\b", re.IGNORECASE)
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


def funding_sources(
    text: str, section: str, s_start: int, s_end: int, mentions: Sequence[Mention]
) -> list[Fact]:
    """The funding sources named in the sentence text[s_start:s_end], in order, not overlapping;
    `mentions` are its numbers (a money figure "from X" names X)."""
    sentence = text[s_start:s_end]
    found: list[tuple[int, int]] = []
    for a, b in _pieces(sentence, _candidates(sentence, s_start, mentions)):
        raw = sentence[a:b]
        cleaned = _clean_source(raw)
        if not cleaned or len(cleaned) < MIN_SOURCE_CHARS:
            continue
        offset = raw.find(cleaned)
        a, b = a + offset, a + offset + len(cleaned)
        if not any(a < y and x < b for x, y in found):
            found.append((a, b))
    return [
        Fact(
            kind="funding_source",
            value=sentence[a:b],
            text=sentence[a:b],
            section=section,
            start=s_start,
            end=s_end,
            match_start=s_start + a,
            match_end=s_start + b,
        )
        for a, b in sorted(found)
    ]


def _candidates(sentence: str, s_start: int, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """(start, end) in sentence of every phrase that may name a source, strongest patterns first."""
    spans = []
    for pattern in (_FUNDING_BY, _FUNDING_FROM, _WHICH_FUNDING):
        spans += [(match.start("source"), match.end("source")) for match in pattern.finditer(sentence)]
    if spans:  # what is coordinated with the first funding phrase
        first = min(a for a, _ in spans)
        spans += [(m.start("source"), m.end("source")) for m in _COORDINATED.finditer(sentence, first)]
    for mention in mentions:
        if mention.currency is None:
            continue
        tail = _MONEY_FROM.match(mention.after)
        if tail and not _TO_OR_BETWEEN.match(mention.after):
            base = mention.end - s_start
            spans.append((base + tail.start("source"), base + tail.end("source")))
    spans += [(m.start("source"), m.end("source")) for m in _FUNDER_VERB.finditer(sentence) if _is_funder(m)]
    if _FUNDING_CONTEXT.search(sentence):
        for pattern in (_NAMED_FUND, _NAME_FUNDING, _FEES):
            spans += [_without_opening_word(match) for match in pattern.finditer(sentence)]
    return spans


def _pieces(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each span, and each source of a list in it ("the City, the regional call and an EU project")."""
    out = []
    for a, b in spans:
        out.append((a, b))
        cuts = [m for m in _LIST_SPLIT.finditer(sentence, a, b)]
        if cuts:
            starts = [a] + [m.end() for m in cuts]
            ends = [m.start() for m in cuts] + [b]
            out += list(zip(starts, ends, strict=True))
    return out


def _without_opening_word(match: re.Match[str]) -> tuple[int, int]:
    """The span of the source without a capitalised function word or adverb that only opens the
    sentence ("Later ABC funding" -> "ABC funding")."""
    start, end = match.start("source"), match.end("source")
    first = re.match(r"([A-Z]\w*)\s+(?=[A-Z])", match.string[start:end])
    if first and (first.group(1).lower() in STOPWORDS or first.group(1).lower() in ADVERBS):
        start += first.end()
    return start, end


def _is_funder(match: re.Match[str]) -> bool:
    """Whether the subject of 'X funded / spent / pays into ...' is who pays for the practice."""
    source = match.group("source").strip()
    if len(source.split()) > MAX_FUNDER_WORDS or not source or source.lower() in _PRONOUNS:
        return False
    sentence = match.string
    verb = sentence[match.end("source") : match.end()].strip().lower()
    if verb in ("pay", "pays into", "pay into") and "member" not in source.lower():
        return False
    rest = sentence[match.end() : match.end() + FUNDED_OBJECT_REACH]
    if verb in ("provided", "financed", "funded", "funds", "finances") and not _FUNDED_OBJECT.match(rest):
        return False
    return not (verb in ("dedicated", "spent", "invested", "contributed") and not _SPENT_MONEY.match(rest))


def _clean_source(raw: str) -> str:
    source = _SOURCE_CUT.sub("", raw).strip(" ,")
    source = re.sub(r"^(?:\w+ed\s+)+", "", source)  # "implemented national projects" -> "national projects"
    source = re.sub(r"\s+and\s+(?:" + CURRENCY_SIGNS + r"|\d).*$", "", source)
    while source.endswith(")") and source.count(")") > source.count("("):
        source = source[:-1].rstrip()
    if len(source) > MAX_SOURCE_CHARS:
        source = source[:MAX_SOURCE_CHARS].rsplit(" ", 1)[0]
    return source
