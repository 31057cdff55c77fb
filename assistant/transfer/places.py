"""Words for places: countries with their adjectives, and the kinds of region a text describes.

General geography and English only (nothing taken from a corpus): countries of Europe and its
neighbours, the words people use for rural, urban, island, mountain and cross-border areas.
"""

from __future__ import annotations

import re

from assistant.vocabulary import fold

# country -> adjectives / other names (first: the name used in answers)
COUNTRIES: dict[str, tuple[str, ...]] = {
    "Albania": ("Albanian",),
    "Andorra": ("Andorran",),
    "Armenia": ("Armenian",),
    "Austria": ("Austrian",),
    "Azerbaijan": ("Azerbaijani",),
    "Belarus": ("Belarusian",),
    "Belgium": ("Belgian",),
    "Bosnia and Herzegovina": ("Bosnian", "Bosnia"),
    "Bulgaria": ("Bulgarian",),
    "Croatia": ("Croatian",),
    "Cyprus": ("Cypriot",),
    "Czech Republic": ("Czech", "Czechia"),
    "Denmark": ("Danish",),
    "Estonia": ("Estonian",),
    "Finland": ("Finnish",),
    "France": ("French",),
    "Georgia": ("Georgian",),
    "Germany": ("German",),
    "Greece": ("Greek",),
    "Hungary": ("Hungarian",),
    "Iceland": ("Icelandic",),
    "Ireland": ("Irish",),
    "Italy": ("Italian",),
    "Kosovo": ("Kosovar",),
    "Latvia": ("Latvian",),
    "Liechtenstein": (),
    "Lithuania": ("Lithuanian",),
    "Luxembourg": ("Luxembourgish",),
    "Malta": ("Maltese",),
    "Moldova": ("Moldovan",),
    "Monaco": ("Monegasque",),
    "Montenegro": ("Montenegrin",),
    "Netherlands": ("Dutch", "The Netherlands", "Holland"),
    "North Macedonia": ("Macedonian",),
    "Norway": ("Norwegian",),
    "Poland": ("Polish",),
    "Portugal": ("Portuguese",),
    "Romania": ("Romanian",),
    "San Marino": ("Sammarinese",),
    "Serbia": ("Serbian",),
    "Slovakia": ("Slovak", "Slovakian"),
    "Slovenia": ("Slovenian", "Slovene"),
    "Spain": ("Spanish",),
    "Sweden": ("Swedish",),
    "Switzerland": ("Swiss",),
    "Turkey": ("Turkish", "Türkiye"),
    "Ukraine": ("Ukrainian",),
    "United Kingdom": ("British", "UK", "Britain", "Great Britain", "England", "English", "Scotland",
                       "Scottish", "Wales", "Welsh", "Northern Ireland"),
}  # fmt: skip

_BY_NAME: dict[str, str] = {}
for _country, _others in COUNTRIES.items():
    _BY_NAME[fold(_country)] = _country
    for _other in _others:
        _BY_NAME[fold(_other)] = _country


def canonical_country(name: str) -> str | None:
    """'polish' / 'Poland' -> 'Poland'; None for a name not in the list."""
    return _BY_NAME.get(" ".join(fold(name).split()))


# names are matched with their capital letter ("Polish", not "polish" the verb)
_NAMES = sorted({*COUNTRIES, *(o for others in COUNTRIES.values() for o in others)}, key=len, reverse=True)
COUNTRY_MENTION = re.compile(r"\b(" + "|".join(re.escape(n) for n in _NAMES) + r")\b")


def countries_in(text: str) -> list[tuple[str, int, int]]:
    """(country, start, end) of each country name or adjective written in text."""
    return [(_BY_NAME[fold(m.group(1))], m.start(), m.end()) for m in COUNTRY_MENTION.finditer(text)]


REGION_TYPES: tuple[str, ...] = ("rural", "urban", "mixed", "island", "mountain", "cross-border")
# other ways of writing a region type in a profile
REGION_TYPE_ALIASES: dict[str, str] = {
    "countryside": "rural",
    "city": "urban",
    "metropolitan": "urban",
    "intermediate": "mixed",
    "rural-urban": "mixed",
    "urban-rural": "mixed",
    "islands": "island",
    "insular": "island",
    "mountains": "mountain",
    "mountainous": "mountain",
    "alpine": "mountain",
    "cross border": "cross-border",
    "crossborder": "cross-border",
    "border": "cross-border",
}

# words by which a text describes a kind of place (matched on folded text)
REGION_TYPE_WORDS: dict[str, re.Pattern[str]] = {
    "rural": re.compile(
        r"\b(rural|countryside|villages?|sparsely populated|thinly populated|remote areas?|farming)\b",
        re.IGNORECASE,
    ),
    "urban": re.compile(
        r"\b(urban|city|cities|city-regions?|metropolitan|capital city|town centres?|city centres?|"
        r"borough)\b",
        re.IGNORECASE,
    ),
    "island": re.compile(r"\b(islands?|insular|archipelago)\b", re.IGNORECASE),
    "mountain": re.compile(r"\b(mountains?|mountainous|alpine|alps)\b", re.IGNORECASE),
    "cross-border": re.compile(
        r"\b(cross-border|border regions?|border areas?|transnational|across the border|border)\b",
        re.IGNORECASE,
    ),
}
MIXED = re.compile(r"\b(urban and rural|rural and urban|both urban|both rural)\b", re.IGNORECASE)


def region_types_in(text: str) -> list[tuple[str, int, int]]:
    """(region type, start, end) of each word that names a kind of place in text."""
    found = [("mixed", m.start(), m.end()) for m in MIXED.finditer(text)]
    for kind, pattern in REGION_TYPE_WORDS.items():
        found.extend((kind, m.start(), m.end()) for m in pattern.finditer(text))
    return sorted(found, key=lambda item: item[1])
