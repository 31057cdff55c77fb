"""A region profile from a chat question: "We are a rural region in Poland with about EUR 300,000
a year; our fishing towns are losing their young people. Which practice fits us?"

General patterns of English only: country names and adjectives, the words for kinds of region,
amounts with a currency and a period, "about 250,000 inhabitants", "we have ...", "our ... sector".
What the parser does not take apart stays in the challenge, which is matched by meaning.
"""

from __future__ import annotations

import re

from assistant.transfer.money import find_money
from assistant.transfer.places import REGION_TYPE_ALIASES, REGION_TYPES, countries_in, region_types_in
from assistant.transfer.profile import MAX_ASSETS, RegionProfile
from assistant.vocabulary import content_terms

_NUM = r"\d{1,3}(?:[ ,.\u00a0]\d{3})+|\d+(?:[.,]\d+)?"
_APPROX = r"(?:about|around|some|roughly|approximately|nearly|almost|over|more than|close to|just under)"
POPULATION = re.compile(
    rf"(?:\b{_APPROX}\s+)?(?P<num>{_NUM})\s*(?P<mult>million|thousand|k|m)?\s+"
    r"(?:permanent\s+|registered\s+)?(?:inhabitants|residents|people|citizens|souls|population)\b"
    rf"|\bpopulation\s+(?:of\s+)?(?:{_APPROX}\s+)?(?P<num2>{_NUM})\s*(?P<mult2>million|thousand|k|m)?\b"
    rf"|\b(?P<half>half a million)\s+(?:inhabitants|residents|people|citizens)\b",
    re.IGNORECASE,
)
_TYPE_NOUNS = (
    r"region|area|county|district|municipality|community|province|territory|city|town|island|zone|"
    r"valley|village|borough|department|state|country"
)
SELF_TYPE = re.compile(
    r"\b(?P<type>rural|urban|mixed|island|insular|mountain|mountainous|alpine|cross-border|cross border|"
    r"border|metropolitan|sparsely populated)\s+(?:\w+\s+){0,2}(?:" + _TYPE_NOUNS + r")\b",
    re.IGNORECASE,
)
_ASSET_LEAD = re.compile(
    r"\b(?:we\s+(?:already\s+)?(?:have|host|own|run)|we've\s+got|there\s+(?:is|are)\s+(?:already\s+)?|"
    r"(?:our|the)\s+(?:region|city|area|island|county|district|town|community)\s+(?:already\s+)?(?:has|hosts)|"
    r"we\s+can\s+(?:build|count)\s+on|(?:it\s+is\s+)?home\s+to|with)\s+",
    re.IGNORECASE,
)
# a "with ..." phrase names something the region has when it starts like "a university", "two ports"
_QUANTIFIED = re.compile(
    r"(?:a|an|one|two|three|four|five|six|several|many|some|strong|good|our|its|existing)\s",
    re.IGNORECASE,
)
# an item that starts like a verb phrase is not something the region has ("want to ...")
_NOT_A_THING = re.compile(
    r"(?:want|wants|need|needs|would|will|are|is|was|were|to|can|could|should|must|hope|plan|plans|"
    r"lack|lacks|do|does|did)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(
    r"[.;:?!]|\s+(?:but|which|who|that|so|because|while|although|whose|where)\b|,\s+(?:and\s+)?(?:we|our|it|they)\b",
    re.IGNORECASE,
)
# words that make a "with ..." phrase a problem, not something the region has
_PROBLEM = re.compile(
    r"\b(ageing|aging|losing|lack|lacks|declining|decline|few|no|shortage|unemploy\w*|problems?|"
    r"poor|weak|little|without|difficult\w*|empty|abandoned|leaving|low|far)\b",
    re.IGNORECASE,
)
SECTOR = re.compile(
    r"\b(?:in|for)\s+the\s+(?P<a>[\w-]+(?:\s+[\w-]+){0,2}?)\s+(?:sector|industry|field)\b"
    r"|\bour\s+(?P<b>(?!small\b|local\b|young\b|many\b|own\b)[a-z][\w-]+(?:\s+[a-z][\w-]+)?)\s+"
    r"(?:sector|industry|companies|firms|businesses|producers|suppliers|start-ups|startups|smes)\b"
    r"|\bsector\s*:\s*(?P<c>[^,.;]+)",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"\b(which|what|any|recommend|suggest)\b.*\b(practices?|fit|fits|suit|suits|match|matches|"
    r"look at|copy|transfer|adopt|learn from|would work|should we)\b",
    re.IGNORECASE,
)
# the request part of a question: "which practice fits us", "what should we ask its owner"
_REQUEST_CLAUSE = re.compile(
    r"(?:^|(?<=[,;:]))\s*(?:and\s+|so\s+)?(?:which|what)\b[^,;:.?!]*?"
    r"\b(?:practices?|fits?|suits?|need|ask|take|do|recommend|look at|copy|learn)\b[^,;:.?!]*",
    re.IGNORECASE,
)
_SELF = re.compile(
    r"\b(we\s+are|we're|our\s+(?:region|city|area|island|county|municipality|town|district|community|agency)|"
    r"my\s+(?:region|city|area|municipality|town)|i\s+(?:am|work)\s+(?:from|for|in)|"
    r"we\s+(?:have|can spend|can afford))\b",
    re.IGNORECASE,
)
_FIT_WORDS = re.compile(
    r"\b(fits?|suits?|matche?s?|transfer\w*|adopt|copy|import|replicate|recommend\w*|work for us|"
    r"learn from|what would (?:it|we) (?:take|need))\b",
    re.IGNORECASE,
)


def is_transfer_question(text: str) -> bool:
    """True for a question that asks which practice fits a region described in it ("We are a
    rural region with ... which practice fits us?"): the chat can route it to the transfer advisor."""
    if not isinstance(text, str) or not text.strip():
        return False
    describes_region = _SELF.search(text) is not None
    asks_fit = (
        _FIT_WORDS.search(text) is not None and re.search(r"\b(?:practices?|fits?|suits?)\b", text, re.I)
    ) or (re.search(r"\b(?:which|what)\b[^.?!]*\b(?:practices?|examples?)\b", text, re.IGNORECASE))
    return bool(describes_region and asks_fit)


def _population(text: str, taken: list[tuple[int, int]]) -> tuple[int | None, tuple[int, int] | None]:
    for match in POPULATION.finditer(text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        if match.group("half"):
            return 500_000, match.span()
        raw = match.group("num") or match.group("num2")
        mult = (match.group("mult") or match.group("mult2") or "").lower()
        cleaned = re.sub(r"(?<=\d)[ ,.\u00a0](?=\d{3}\b)", "", raw).replace(",", ".")
        try:
            value = float(cleaned) * {"million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}.get(mult, 1)
        except ValueError:
            continue
        if value >= 1:
            return int(round(value)), match.span()
    return None, None


def _region_type(text: str) -> str | None:
    match = SELF_TYPE.search(text)
    if match:
        word = match.group("type").lower()
        if word == "sparsely populated":
            return "rural"
        if word == "metropolitan":
            return "urban"
        return word if word in REGION_TYPES else REGION_TYPE_ALIASES.get(word)
    found = region_types_in(text)
    kinds = [kind for kind, _, _ in found]
    if "mixed" in kinds:
        return "mixed"
    return kinds[0] if kinds else None


def _assets(text: str, taken: list[tuple[int, int]]) -> list[str]:
    assets: list[str] = []
    for lead in _ASSET_LEAD.finditer(text):
        start = lead.end()
        end_match = _CLAUSE_END.search(text, start)
        end = end_match.start() if end_match else len(text)
        is_with = lead.group(0).strip().lower() == "with"
        for item in re.split(r",\s*|\s+and\s+|\s+as well as\s+", text[start:end]):
            piece = item.strip(" .")
            offset = text.find(piece, start, end) if piece else -1
            if not piece or len(piece) < 3 or len(piece) > 120:
                continue
            if offset >= 0 and any(a < offset + len(piece) and offset < b for a, b in taken):
                continue  # the budget or the population
            if re.search(r"\d", piece) and not re.search(r"[a-z]{3,}", piece, re.IGNORECASE):
                continue
            if is_with and (_PROBLEM.search(piece) or not _QUANTIFIED.match(piece)):
                continue
            if not content_terms(piece) or _NOT_A_THING.match(piece):
                continue
            if piece not in assets:
                assets.append(piece)
    # "a university with an engineering faculty" and "an engineering faculty": keep the longer
    assets = [a for a in assets if not any(a != b and a in b for b in assets)]
    return assets[:MAX_ASSETS]


def _sector(text: str) -> str | None:
    match = SECTOR.search(text)
    if not match:
        return None
    value = (match.group("a") or match.group("b") or match.group("c") or "").strip()
    return value or None


_SELF_WORDS = frozenset(
    """we our us region area county district municipality community province territory city town
    island zone valley village borough department state country here inhabitants residents people
    population national regional local small large medium sized""".split()
)


def _describes_only(sentence: str) -> bool:
    """True for a sentence that only says who the region is (country, kind of place, size)."""
    if not (_SELF.search(sentence) or re.match(r"\s*(?:our|my)\b", sentence, re.IGNORECASE)):
        return False
    rest = _SELF.sub(" ", sentence)
    for _, a, b in sorted(countries_in(rest), key=lambda m: -m[1]):
        rest = rest[:a] + " " + rest[b:]
    for _, a, b in sorted(region_types_in(rest), key=lambda m: -m[1]):
        rest = rest[:a] + " " + rest[b:]
    return not [t for t in content_terms(rest) if t not in _SELF_WORDS and not t.isdigit()]


def _challenge(text: str, taken: list[tuple[int, int]]) -> str | None:
    kept = []
    for a, b in sorted(taken, reverse=True):
        text = text[:a] + text[b:]
    for sentence in re.split(r"(?<=[.?!])\s+", text):
        if _REQUEST.search(sentence) and len(content_terms(_REQUEST.sub(" ", sentence))) < 4:
            continue
        if _describes_only(sentence):
            continue  # "We are a rural Polish district": already in the profile's fields
        kept.append(_REQUEST_CLAUSE.sub("", sentence))
    challenge = " ".join(" ".join(kept).split())
    challenge = re.sub(r"\s+([,.;?!])", r"\1", challenge)
    # the words that introduced a removed amount: "a region of [250,000 people] with [EUR ...]."
    for _ in range(2):
        challenge = re.sub(
            r"\s*\b(?:of|with|has|have|spend|afford|about|and)\s*(?=[,.;:!?]|$)", "", challenge
        )
        challenge = re.sub(r"\b(of|with|have|has)\s+and\s+", r"\1 ", challenge)
        challenge = re.sub(r"\b(?:of|with)\s+(?=and\b|with\b)", "", challenge)
    challenge = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", challenge)
    challenge = re.sub(r"[,;:]\s*(?=[.?!])", "", challenge)
    return challenge.strip(" ,;:") or None


def profile_from_question(question: str) -> RegionProfile:
    """The region profile a chat question describes; keys it does not state stay empty.

    The challenge is the question without the budget, the population and the request itself
    ("which practice fits us?"), so that what the region wants is matched by meaning.
    """
    text = " ".join(question.split())
    money = find_money(text)
    budget = next((m for m in money), None)
    taken = [(m.start, m.end) for m in money]
    population, span = _population(text, taken)
    if span:
        taken.append(span)
    countries = countries_in(text)
    return RegionProfile(
        country=countries[0][0] if countries else None,
        region_type=_region_type(text),
        population=population,
        budget=budget.money if budget else None,
        sector=_sector(text),
        assets=tuple(_assets(text, taken)),
        challenge=_challenge(text, taken),
    )
