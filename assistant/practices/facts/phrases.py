"""What a number counts: the noun phrase right after it ("19 automotive companies", "1 MW").

General English only: function words, common verbs and adverbs end a phrase; measurement units
are a phrase of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.practices.facts.numbers import WORD_NUMBERS

# the longest noun phrase read after a number
MAX_PHRASE_WORDS = 5
# quote marks around a word of a phrase ('27 "Partners"')
QUOTES = "\"'“”‘’"

# measurement units: "1 MW", "11 km" count the unit itself
UNITS = {
    "mw",
    "kw",
    "gw",
    "mwh",
    "kwh",
    "gwh",
    "twh",
    "km",
    "m",
    "m2",
    "m3",
    "ha",
    "hectares",
    "kg",
    "tonnes",
    "tons",
    "t",
    "litres",
    "liters",
    "mwp",
    "kwp",
}
_VERBS = frozenset(
    """set sets run runs make makes own owns use uses work works live lives say says come comes
    came get gets got go goes went took take takes give gives gave join joins became become becomes
    has had have is are was were produce produces provide provides receive receives offer offers
    help helps hold holds meet meets keep keeps show shows find finds share shares lead leads
    signed won run ran grew grow grows earn earns employ employs pay pays""".split()
)
# adverbs of time and sequence that are no part of a noun phrase
ADVERBS = frozenset("later then also now still thus so again soon already".split())
# common nouns that end like an adverb (-ly) or a past participle (-ed)
_LY_NOUNS = frozenset({"family", "supply", "assembly"})
_ED_NOUNS = frozenset({"need", "seed", "shed"})
_PHRASE_STOP = re.compile(
    r"^(in|of|for|with|from|to|who|that|which|were|was|is|are|had|has|have|by|on|at|per|across|"
    r"between|since|during|including|whose|would|will|could|can|each|as|than|and|or|but|into|"
    r"through|under|over|via|the|a|an|its|their|it|they|did|do|does|been|being|whom|where|when|"
    r"according|both|all|alone|more|less|them|this|these|those|so|such|out|about|around|while|worth|"
    r"later|then|also|now|still|already)$",
    re.IGNORECASE,
)
# a word of a phrase keeps inner full stops and ampersands ("R&D", "e.g."), unlike
# assistant.vocabulary.WORD; group 2 is punctuation, which ends the phrase
_WORD_TOKEN = re.compile(r"[" + QUOTES + r"]?([\w][\w&.'’-]*)[" + QUOTES + r"]?|([,;:.()!?•])")


def noun_phrase(after: str) -> list[str]:
    """Words of the noun phrase right after a number.

    Stops at punctuation, a function word, a verb-looking word (-ed, -ing) or after
    MAX_PHRASE_WORDS words; crosses "and" when the next word is not a number ("2 scientific and
    research institutions").
    """
    words: list[str] = []
    position = 0
    while len(words) < MAX_PHRASE_WORDS:
        match = _WORD_TOKEN.search(after, position)
        if not match or after[position : match.start()].strip():
            break
        position = match.end()
        if match.group(2):
            break
        word = match.group(1)
        sentence_end = word.endswith(".") and not re.fullmatch(r"(?:[A-Za-z]\.)+", word)
        word = word.rstrip(".") if sentence_end else word
        lower = word.lower()
        if lower == "and" and words:
            if _and_joins(_WORD_TOKEN.search(after, position)):
                words.append(word)
                continue
            break
        if _ends_phrase(word, words):
            break
        if not words and lower in UNITS:
            words.append(word)
            break  # "1 MW", "11 km": the unit is what is counted
        words.append(word)
        if sentence_end:
            break
    return words


def _and_joins(peek: re.Match[str] | None) -> bool:
    """Whether 'and' followed by this token joins two words of one noun phrase."""
    if peek is None or not peek.group(1):
        return False
    following = peek.group(1)
    lower = following.lower()
    return not (
        re.match(r"\d", following)
        or lower in WORD_NUMBERS
        or _PHRASE_STOP.match(following)
        or lower in _VERBS
        or lower.endswith(("ed", "ly"))
        or lower in ADVERBS
    )


def _ends_phrase(word: str, words: Sequence[str]) -> bool:
    """Whether this word ends the phrase before it is added to `words`."""
    lower = word.lower()
    if _PHRASE_STOP.match(lower) or lower in WORD_NUMBERS or re.match(r"\d", lower) or lower in _VERBS:
        return True
    if not words and lower.endswith("ly") and lower not in _LY_NOUNS and not word[:1].isupper():
        return True  # "about 5 directly": an adverb, no noun; a capitalised word is a name
    if not words:
        return lower not in UNITS and lower.endswith("ed") and lower not in _ED_NOUNS  # "26 joined"
    return lower.endswith("ed") or lower.endswith("ing")  # "3 companies based in ..."


def head(words: Sequence[str]) -> str:
    """The head noun of a phrase: its last word, lower-cased."""
    return words[-1].lower().strip(QUOTES + ".") if words else ""
