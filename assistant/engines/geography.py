"""Places a question names: countries (by name or adjective, in the supported languages), country
groups ("the Baltic states") and national capitals. General geography, packaged as data
(assistant/data/geography.json); nothing here knows the corpus.

A word names a European country when it starts with one of the country's name roots: the
accent-folded name, less a common ending ("Latvija" -> "latvij" for "Latvijos", "Litauen" ->
"litau" for "litauische"), the rest of the word being an ending (a vowel first, or a genitive
"s": "franchise" is not France). English adjectives come from `question.DEMONYMS`. The other
countries are read by their whole English names ("Australia", "Australian"), so that no European
root claims them ("austr" of Austria).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.question import DEMONYMS
from assistant.vocabulary import fold

GEOGRAPHY_FILE = "geography.json"
MIN_ROOT = 4  # shorter roots ("pol", "est") match too many words
# a country's name in some language that is a common English word: not read as the country
# ("Island" is Iceland in German and the Nordic languages)
_ENGLISH_WORDS = frozenset({"island"})
# what may follow a whole name of a country outside Europe ("Australian", "Japanese", "Kenya's")
_NAME_ENDINGS = ("", "n", "an", "ian", "ese", "i", "s")
_ENDINGS = ("ija", "ien", "ia", "ie", "en", "land", "a", "e", "o", "y", "i")
_CAPITAL_WORDS = re.compile(
    r"\b(capital|capitals|capital cities|hauptstadt|hauptstadte|capitale|capitales|capitali|"
    r"stolica|stolice|stolic|sostine|sostines)\b"
)


@dataclass(frozen=True)
class Country:
    code: str
    name: str  # English
    names: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True)
class Places:
    """What a text names: countries (ISO codes, in order of mention), the group that named them
    (if any) and whether it asks about national capitals."""

    countries: tuple[str, ...] = ()
    group: str | None = None
    capitals: bool = False
    spans: tuple[tuple[int, int], ...] = ()  # where in the folded text the places were named

    def __bool__(self) -> bool:
        return bool(self.countries) or self.capitals


@dataclass(frozen=True)
class _Geography:
    countries: dict[str, Country]
    roots: tuple[tuple[str, str], ...]  # (root, code), longest first
    groups: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # name, codes, words
    by_name: dict[str, str]  # folded name -> code
    elsewhere: tuple[tuple[str, str], ...] = ()  # (folded whole name, code), longest first


def _roots(name: str) -> set[str]:
    folded = fold(name)
    out = {folded}
    for ending in _ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= MIN_ROOT:
            out.add(folded[: -len(ending)])
    return out


@lru_cache(maxsize=1)
def _geography() -> _Geography:
    data = json.loads(resources.files("assistant.data").joinpath(GEOGRAPHY_FILE).read_text("utf-8"))
    countries: dict[str, Country] = {}
    roots: set[tuple[str, str]] = set()
    by_name: dict[str, str] = {}
    for row in data["countries"]:
        country = Country(row["code"], row["name"], tuple(row["names"]), tuple(row["capitals"]))
        countries[country.code] = country
        for name in country.names:
            by_name[fold(name)] = country.code
            if " " not in name and "-" not in name:
                roots |= {(root, country.code) for root in _roots(name)}
            else:
                roots.add((fold(name), country.code))
    for adjective, country_name in DEMONYMS.items():
        code = by_name.get(country_name)
        if code:
            roots.add((adjective, code))
    groups = tuple(
        (g["name"], tuple(g["countries"]), tuple(fold(w) for w in g["words"])) for g in data["groups"]
    )
    roots = {(root, code) for root, code in roots if root not in _ENGLISH_WORDS}
    ordered = tuple(sorted(roots, key=lambda item: -len(item[0])))
    elsewhere: set[tuple[str, str]] = set()
    for row in data.get("elsewhere", ()):
        countries[row["code"]] = Country(row["code"], row["names"][0], tuple(row["names"]), ())
        for name in row["names"]:
            by_name[fold(name)] = row["code"]
            elsewhere.add((fold(name), row["code"]))
    far = tuple(sorted(elsewhere, key=lambda item: -len(item[0])))
    return _Geography(countries, ordered, groups, by_name, far)


def country(code: str) -> Country:
    return _geography().countries[code]


def country_code(name: str) -> str | None:
    """The ISO code of a country name as metadata writes it ("Czech Republic", "United Kingdom")."""
    return _geography().by_name.get(fold(name.strip()))


def fold_aligned(text: str) -> str:
    """`fold(text)` with one character per character of text, so offsets carry over."""
    return "".join((fold(ch) or " ")[0] for ch in text)


def _word_spans(folded: str) -> list[tuple[str, int, int]]:
    """Words, and the parts of words joined by hyphens or apostrophes ("dall'italia")."""
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[^\W_]+", folded)]


def places(text: str) -> Places:
    """The countries, country group and capitals a text names."""
    geo = _geography()
    folded = fold_aligned(text)
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    group_name = None
    for name, codes, group_words in geo.groups:
        for word in group_words:
            match = re.search(r"\b" + re.escape(word), folded)
            if match:
                group_name = name
                found.extend(c for c in codes if c not in found)
                spans.append((match.start(), match.end()))
                break
    tokens = _word_spans(folded)
    for name, code in geo.elsewhere:
        if " " in name or "-" in name:
            match = re.search(r"\b" + re.escape(name) + r"\b", folded)
            hits = [(match.start(), match.end())] if match else []
        else:
            hits = [
                (a, b)
                for token, a, b in tokens
                if token.startswith(name) and token[len(name) :] in _NAME_ENDINGS
            ]
        for start, end in hits[:1]:
            if code not in found and not any(a <= start < b for a, b in spans):
                found.append(code)
                spans.append((start, end))
    for root, code in geo.roots:
        if " " in root or "-" in root:
            match = re.search(r"\b" + re.escape(root) + r"\b", folded)
            if match and code not in found:
                found.append(code)
                spans.append((match.start(), match.end()))
            continue
        for token, start, end in tokens:
            rest = token[len(root) :]
            if token.startswith(root) and len(rest) <= 8 and code not in found:
                if any(a <= start < b for a, b in spans) or (
                    rest and rest[0] not in "aeiouy" and rest != "s"
                ):
                    continue
                found.append(code)
                spans.append((start, end))
    ordered = sorted(zip(spans[-len(found) :] if found else [], found, strict=True)) if not group_name else []
    if ordered:
        found = [code for _, code in ordered]
    return Places(tuple(found), group_name, bool(_CAPITAL_WORDS.search(folded)), tuple(spans))


def is_capital(region: str, code: str | None) -> bool:
    """Whether a region field names the national capital of its country."""
    if code is None or code not in _geography().countries:
        return False
    region_words = set(re.findall(r"[^\W_]+", fold(region)))
    folded = fold(region)
    for capital in _geography().countries[code].capitals:
        name = fold(capital)
        if (" " in name and name in folded) or name in region_words:
            return True
    return False
