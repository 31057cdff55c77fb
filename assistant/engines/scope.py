"""Which practices a question about the collection is about: its scope.

Read from the question, in this order:
- places: countries and country groups ("Finnish", "the Baltic states"), national capitals;
- regions: words of the practices' region field the question uses ("Extremadura's", "Nyugat-Dunántúl");
- theme: the practices' theme field, by its facets ("clusters / automotive" has "clusters" and
  "automotive"): a facet matches when the question has its head word and no other theme word that
  the facet lacks ("circular economy" is not "green economy"; "community energy" is "energy
  communities");
- named practices (a ranking "among A, B and C" keeps to them);
- topic: the question's remaining content words ("involve district heating", "draw on the
  European Social Fund"), judged over the practices' sentences by the learned relevance signal.

Each part narrows the set; a topic that would leave no practice at all is taken as wording, not
as a condition (the other parts already say what the question means).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.engines import forms
from assistant.engines.geography import Places, country, is_capital, places
from assistant.engines.index import Entry, Snapshot, name_terms, term_of
from assistant.engines.lexicon import expand
from assistant.vocabulary import NUMBER_WORDS, QUESTION_WORDS, STOPWORDS, content_terms, fold, stem

GENERIC_SHARE = 0.25  # a region word in more than this share of practices says nothing ("national")

# words of how a question asks about practices, not what about (general English and the kind words)
FORM_WORDS = frozenset(
    stem(w)
    for w in """practice practices collection document documents list show give every all any one ones
    example examples involve involves involved mention mentions mentioned use uses used deal deals
    concern concerns relate related focus focuses mainly mostly primarily about say says state states
    report reports reported have has come comes from based locate located there which number many
    much total count rank ranking sort order compare please also kind type sort name names get got
    would could should like want need know find tell include includes included address addresses
    offer offers offered provide provides""".split()
)
KIND_WORDS = frozenset(
    stem(w)
    for w in """scheme schemes initiative initiatives programme programmes program programs project
    projects measure measures instrument instruments model models organisation organisations
    organization organizations one ones""".split()
)


def names_only_a_place(question: str) -> bool:
    """Says nothing but a place and how it asks ("How many come from Finland?", "What do you have
    from Denmark?", "Anything from Sweden?"): it asks for that place's practices."""
    found = places(question)
    if not found:
        return False
    rest = without_spans(question, found.spans)
    return all(t in FORM_WORDS or t in KIND_WORDS or t in _ANY for t in content_terms(rest))


def without_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text without these spans (the places a question names)."""
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " + text[b:]
    return " ".join(text.split())


_ANY = frozenset(stem(w) for w in "anything something everything else more".split())


FORM_NORMS = frozenset(_n[:-1] if _n.endswith(("y", "i")) and len(_n) > 4 else _n for _n in FORM_WORDS)
KIND_NORMS = frozenset(_n[:-1] if _n.endswith(("y", "i")) and len(_n) > 4 else _n for _n in KIND_WORDS)
# nouns that make the word before them a topic: "the energy field", "the health sector"
_FIELD_NORMS = frozenset(
    term_of(w)
    for w in "field fields sector sectors area areas domain domains theme themes topic topics".split()
)
# a topical condition, rather than wording, when the scope is already narrowed by place or theme
TOPICAL_CUES = re.compile(
    r"\b(involv\w*|mention\w*|use|uses|using|deal\w*|concern\w*|focus\w* on|draw\w* on|rel(y|ies) on|"
    r"financ\w*|fund(ed|s|ing)?|manag\w*|run by|owned|led by|coordinat\w*|target\w*|offer\w*|includ\w*|"
    r"address\w*|support\w*|provid\w*|work\w* (with|on)|about|with)\b"
)


@dataclass(frozen=True)
class Scope:
    """The practices a question is about, and why (for the answer's first sentence)."""

    entries: list[Entry]
    places: Places = field(default_factory=Places)
    regions: tuple[str, ...] = ()  # region words matched
    themes: tuple[str, ...] = ()  # theme facets matched
    named: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()  # content words left for the topical judgement
    consumed: frozenset[str] = frozenset()  # question words the scope used up

    def consumes(self, term: str) -> bool:
        """The scope used this word of the question up ("energy" of "energy communities")."""
        return term in self.consumed or _norm(term) in self.consumed

    @property
    def restricted(self) -> bool:
        return bool(self.places or self.regions or self.themes or self.named)

    def describe(self) -> str:
        """'from Lithuania', 'from the Baltic states (Estonia, Latvia, Lithuania)', 'on tourism'."""
        parts = []
        if self.places.group:
            names = ", ".join(country(c).name for c in self.places.countries)
            parts.append(f"from {self.places.group} ({names})")
        elif self.places.countries:
            parts.append("from " + _or([country(c).name for c in self.places.countries]))
        if self.places.capitals:
            parts.append("from a national capital")
        if self.regions:
            parts.append("from " + _or([r for r in self.regions]))
        if self.themes:
            parts.append("on " + _or(list(self.themes)))
        return " ".join(parts)


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _facets(theme: str) -> list[tuple[str, frozenset[str]]]:
    """'clusters / automotive' -> [('clusters', {cluster}), ('automotive', {automotive})];
    'health and ageing' -> health, ageing."""
    out = []
    for raw in re.split(r"[/;,]|\band\b", theme):
        text = raw.strip()
        terms = frozenset(name_terms(text))
        if terms:
            out.append((text, terms))
    return out


def _head(facet: str) -> str:
    """The facet's head noun: its last word, or the last before "of" ("inclusion" of "digital
    inclusion of older people")."""
    facet = re.split(r"\s+of\s+", fold(facet))[0]
    words = [w for w in re.findall(r"[^\W_]+", facet) if w not in STOPWORDS]
    return _norm(term_of(words[-1])) if words else ""


def _norm(term: str) -> str:
    """One form for 'community' and 'communities' (the light stemmer leaves them apart)."""
    return term[:-1] if term.endswith(("y", "i")) and len(term) > 4 else term


@dataclass(frozen=True)
class _Themes:
    """The theme facets of a snapshot, each with the practices that have it."""

    facets: dict[tuple[str, frozenset[str]], list[Entry]]
    vocabulary: frozenset[str]


def _themes(snapshot: Snapshot) -> _Themes:
    facets: dict[tuple[str, frozenset[str]], list[Entry]] = {}
    for entry in snapshot.entries:
        for text, terms in _facets(entry.meta("theme")):
            facets.setdefault((text, frozenset(_norm(t) for t in terms)), []).append(entry)
    vocabulary = frozenset().union(*(terms for _, terms in facets)) if facets else frozenset()
    return _Themes(facets, vocabulary)


def _question_words(question: str) -> list[str]:
    """The question's words in order, in their matching form."""
    return [_norm(term_of(w)) for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", question)]


def _facet_words(facet: str) -> list[str]:
    """The facet's words that stand alone, in order and matching form ("start-ups" has none)."""
    return [_norm(term_of(w)) for w in facet.split() if re.fullmatch(r"[^\W\d_]+", w)]


def _following(words: list[str]) -> dict[str, set[str]]:
    """Each word of the question -> the words that follow it."""
    out: dict[str, set[str]] = {}
    for i, word in enumerate(words):
        out.setdefault(word, set()).add(words[i + 1] if i + 1 < len(words) else "")
    return out


def _heads_phrase(head: str, terms: frozenset[str], words_after: dict[str, set[str]]) -> bool:
    """The question uses the facet's head word as the head of its phrase: "about tourism",
    "community energy projects", not "heat pumps" for "district heating"."""
    for after in words_after.get(head, {""}):
        if (
            not after
            or after in terms
            or after in KIND_NORMS
            or after in STOPWORDS
            or after in FORM_NORMS
            or after in _FIELD_NORMS
        ):
            return True
    return False


def _whole_words(facet: str) -> list[str]:
    """The facet's words that stand alone ("cluster" of "cluster development", not "start" of
    "start-ups"), without kind nouns."""
    return [w for w in _facet_words(facet) if w not in KIND_NORMS and w not in STOPWORDS]


def _says_phrase(facet: str, words: list[str]) -> bool:
    """The question (its words) says the facet's words of two or more in a row ("Which energy
    community produces ...?" for "energy communities"), whatever follows them."""
    wanted = _facet_words(facet)
    if len(wanted) < 2:
        return False
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def _names_topic(term: str, words: list[str]) -> bool:
    """The question (its words) makes the word its topic: before a kind or field noun ("cluster
    practices", "the energy field") or after "about" / "on" ("practices about clusters"); not a
    verb ("since they started")."""
    for i, word in enumerate(words):
        if word != term:
            continue
        after = words[i + 1] if i + 1 < len(words) else ""
        before = words[i - 1] if i > 0 else ""
        if after in _PRACTICE_NORMS or after in _FIELD_NORMS or before in _TOPIC_BEFORE:
            return True
    return False


_TOPIC_BEFORE = frozenset(term_of(w) for w in "about on regarding concerning in".split())
# the nouns of which the word before names the topic: "cluster practices", "energy projects" (not
# "cluster organisations": organisations that are clusters)
_PRACTICE_NORMS = frozenset(
    _norm(term_of(w))
    for w in """practice practices scheme schemes programme programmes program programs project projects
    initiative initiatives measure measures instrument instruments example examples""".split()
)


def theme_matches(
    question_terms: set[str], snapshot: Snapshot, question: str = ""
) -> tuple[list[Entry], list[str], set[str]]:
    """The practices whose theme the question names, the facets matched, the words used.

    A facet matches when the question has its head word and no theme word that belongs, with
    that head, to another facet ("circular" excludes "green economy")."""
    themes: _Themes = snapshot.memo("themes", lambda: _themes(snapshot))
    words = _question_words(question)
    words_after = _following(words)
    question_terms = {_norm(t) for t in question_terms}
    asked = question_terms & themes.vocabulary
    chosen: dict[str, Entry] = {}
    facets_hit: list[str] = []
    used: set[str] = set()
    every = [terms for _, terms in themes.facets]
    for (text, terms), entries in themes.facets.items():
        head = _head(text)
        if not _says_phrase(text, words) and (
            head not in question_terms or not _heads_phrase(head, terms, words_after)
        ):
            # a facet's other word that the question makes its topic: "cluster practices", "about
            # clusters" for "cluster development"; not "heat pumps" for "district heating"
            named = [t for t in _whole_words(text) if t in question_terms and _names_topic(t, words)]
            if not named:
                continue
            head = named[0]
        if head in KIND_NORMS and not terms <= question_terms:
            continue  # "cluster programmes" is not any "programmes"
        rivals = [g for g in every if g != terms and head in g]
        if any(w not in terms and any(w in g for g in rivals) for w in asked):
            continue
        for entry in entries:
            chosen.setdefault(entry.id, entry)
        if text not in facets_hit:
            facets_hit.append(text)
        used |= terms & question_terms
    order = {e.id: i for i, e in enumerate(snapshot.entries)}
    return sorted(chosen.values(), key=lambda e: order[e.id]), facets_hit, used


@dataclass(frozen=True)
class _Regions:
    """The words of the practices' region fields, with the practices that use each."""

    by_term: dict[str, list[Entry]]


def _regions(snapshot: Snapshot) -> _Regions:
    by_term: dict[str, list[Entry]] = {}
    for entry in snapshot.entries:
        for term in set(name_terms(entry.meta("region"))):
            by_term.setdefault(term, []).append(entry)
    return _Regions(by_term)


def warm_up(snapshot: Snapshot) -> None:
    """Read every practice's theme and region words now, so that no question waits for it (about
    0.8 s at 10,000 practices)."""
    snapshot.memo("themes", lambda: _themes(snapshot))
    snapshot.memo("regions", lambda: _regions(snapshot))


def region_matches(
    question: str, snapshot: Snapshot, exclude: set[str]
) -> tuple[list[Entry], list[str], set[str]]:
    """Practices whose region field has a (not generic) word the question uses as a name."""
    regions: _Regions = snapshot.memo("regions", lambda: _regions(snapshot))
    limit = max(2, GENERIC_SHARE * len(snapshot.entries))
    asked = set()
    for raw in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", question):
        term = term_of(raw)
        found = regions.by_term.get(term, ())
        if raw[:1].isupper() and found and len(found) <= limit and term not in exclude:
            asked.add(term)
    if not asked:
        return [], [], set()
    ids = {e.id for term in asked for e in regions.by_term[term]}
    chosen = [e for e in snapshot.entries if e.id in ids]
    words = [w for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", question) if term_of(w) in asked]
    return (
        chosen,
        list(dict.fromkeys(w.rstrip("'’s") if w.endswith(("'s", "’s")) else w for w in words)),
        asked,
    )


def kind_phrase(question: str) -> set[str]:
    """The words of the noun phrase that says which practices ("the industry cluster organisations")."""
    folded = " ".join(fold(question).split())
    match = re.search(
        r"\b(?:which|what|how many|list|show|welche|quelles?|que|quali|ktore|kurios)\s+"
        r"(?:of\s+(?:the|these)\s+)?"
        r"((?:[\w'’-]+\s+){0,5}?)(?:" + forms.KINDS + r")\b",
        folded,
    )
    return set(content_terms(match.group(1))) if match else set()


def select(
    question: str,
    snapshot: Snapshot,
    *,
    named: Sequence[str] = (),
    measure_words: frozenset[str] = frozenset(),
    counted: frozenset[str] = frozenset(),
) -> Scope:
    """The practices the question's places, regions, theme and names select (every practice when
    it names none of them), and the content words left for a topical judgement. `counted`: the
    words of what a count measures ("more than 1,000 people"), which choose no theme."""
    entries = list(snapshot.entries)
    found = places(question)
    consumed: set[str] = set(counted)  # what a count measures is no theme nor topic
    if found:
        codes = set(found.countries)
        if codes:
            entries = [e for e in entries if e.country_code in codes]
        if found.capitals:
            entries = [e for e in entries if is_capital(e.meta("region"), e.country_code)]
        for a, b in found.spans:
            consumed |= set(content_terms(question[a:b]))
        consumed |= {
            stem(w) for w in ("capital", "capitals", "city", "cities", "national", "country", "countries")
        }
    named_entries = snapshot.ordered(named)
    if len(named_entries) >= 2:  # "among A, B and C": the names carry their places
        entries = [e for e in snapshot.entries if e.id in set(named)]
        for entry in named_entries:
            consumed |= entry.title_words | entry.places
        found = Places()
    country_terms = {term_of(country(c).name) for c in found.countries} if found else set()
    in_region, region_words, region_terms = region_matches(question, snapshot, country_terms)
    if len(named_entries) >= 2:
        in_region, region_words = [], []
    if in_region:
        ids = {e.id for e in in_region}
        entries = [e for e in entries if e.id in ids]
        consumed |= region_terms
    terms = set(content_terms(question)) | {term_of(w) for w in re.findall(r"[^\W_]+", question)}
    in_theme, facets, theme_terms = theme_matches(terms - consumed, snapshot, question)
    before_theme = entries
    if in_theme:
        ids = {e.id for e in in_theme}
        entries = [e for e in entries if e.id in ids]
        consumed |= theme_terms | kind_phrase(question)
    topic = [
        t
        for t in dict.fromkeys(content_terms(question))
        if t not in consumed
        and t not in FORM_WORDS
        and t not in KIND_WORDS
        and t not in measure_words
        and t not in QUESTION_WORDS
        and not t[:1].isdigit()
        and fold(t) not in NUMBER_WORDS
        and not any(t in expand(m) for m in measure_words)
    ]
    if (found or in_region or in_theme) and not TOPICAL_CUES.search(fold(question)):
        topic = []  # "How many practices come from Hungary's West Transdanubia region?"
    if topic and in_theme:
        # "Which clusters mention ...": the topic decides, over every practice whose theme
        # uses the words that chose the theme ("cluster development" too)
        words = {_norm(t) for t in theme_terms}
        entries = [e for e in before_theme if words & {_norm(t) for t in name_terms(e.meta("theme"))}]
    return Scope(
        entries,
        found,
        tuple(region_words),
        tuple(facets),
        tuple(e.id for e in named_entries) if len(named_entries) >= 2 else (),
        tuple(topic),
        frozenset(consumed),
    )
