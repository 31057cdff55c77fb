"""Every practice of the store, held once per store version: metadata, key facts and the words that
name it, for the engines that answer about many practices.

One pass over the store's document records builds a `Snapshot` (no chunk is read); it is rebuilt
only when the store's content version changes, so a question costs no store read at all. The
full text stays with each practice for citing; sentences are split lazily, per practice, and kept.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.engines.geography import country_code
from assistant.errors import ModelMismatchError, StorageUnavailable, StoreCorrupt, StoreUnavailable
from assistant.practices.catalog import current_facts
from assistant.practices.facts.model import Fact
from assistant.question import DEMONYMS
from assistant.store.records import StoredFacts
from assistant.types import Practice, Section
from assistant.vocabulary import STOPWORDS, content_terms, fold, sentence_spans, stem

RECHECK_SECONDS = 2.0  # a large store's version is read at most this often
LOCK_WAIT_S = 0.5  # a question waits this long for another one's read of the practices
log = logging.getLogger(__name__)


class PracticeSource(Protocol):
    """What the index reads from a store (ChromaStore has it)."""

    def practices_with_facts(self) -> list[tuple[Practice, StoredFacts | None]]: ...

    def content_version(self) -> tuple[int, int, int]: ...


_TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Za-z0-9.-]{2,}$")  # LAuGEA, BACC, ESCP-4i, KMU.DIGITAL


def term_of(raw: str) -> str:
    """The matching form of a word: folded, an adjective of a country as the country, stemmed."""
    word = fold(raw)
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    return stem(DEMONYMS.get(word, word))


def name_terms(text: str) -> list[str]:
    """Matching forms of the words of a name, without stopwords; hyphenated words give their
    parts too."""
    out: list[str] = []
    for raw in _TOKEN.findall(fold(text)):
        parts = [raw, *re.split(r"[-'’.]", raw)] if re.search(r"[-'’.]", raw) else [raw]
        for part in parts:
            if part and part not in STOPWORDS and not part.isdigit():
                out.append(term_of(part))
    return out


@dataclass(frozen=True)
class Sentence:
    """One sentence of a practice: its section and offsets in Practice.text."""

    section: str
    start: int
    end: int
    text: str


@dataclass
class Entry:
    """One practice with its key facts and its naming words."""

    practice: Practice
    facts: list[Fact]
    segments: tuple[frozenset[str], ...]  # the title's parts (split at " - ", ":", brackets), not places
    title_words: frozenset[str]  # every word of the title
    acronyms: frozenset[str]  # as written: LAuGEA, PIMEX, ESCP-4i
    places: frozenset[str]  # words of the country and region fields
    country_code: str | None
    _sentences: list[Sentence] | None = field(default=None, repr=False)
    _kept: dict[Any, Any] = field(default_factory=dict, repr=False)  # what engines derived from it

    @property
    def id(self) -> str:
        return self.practice.id

    @property
    def title(self) -> str:
        return self.practice.title

    def meta(self, key: str) -> str:
        return self.practice.metadata.get(key, "") or ""

    def sentences(self) -> list[Sentence]:
        """The practice's sentences, section by section (the "Further information" and owner
        sections too: the owner line is cited for "who runs it")."""
        if self._sentences is None:
            text = self.practice.text
            found: list[Sentence] = []
            for section in self.practice.sections:
                for start, end in sentence_spans(text, section.start, section.end):
                    found.append(Sentence(section.name, start, end, text[start:end]))
            self._sentences = found
        return self._sentences

    def terms(self, sentence: Sentence) -> frozenset[str]:
        """The content words of one of its sentences (kept: every question reads them)."""
        key = ("terms", sentence.start)
        if key not in self._kept:
            self._kept[key] = frozenset(content_terms(sentence.text))
        terms: frozenset[str] = self._kept[key]
        return terms

    def kept(self, key: Any, build: Callable[[], Any]) -> Any:
        """What `build` derives from this practice, derived once (figures, sentence words)."""
        if key not in self._kept:
            self._kept[key] = build()
        return self._kept[key]

    def section(self, name: str) -> Section | None:
        return self.practice.section(name)

    def written_as_names(self) -> frozenset[str]:
        """The title's words that its document writes only capitalised ("Samsø", "Eno", not
        "Free" or "Digital"): names, even where a question starts with one."""

        def build() -> frozenset[str]:
            text = self.practice.text
            words = set(_TOKEN.findall(self.title))
            return frozenset(
                term_of(w)
                for w in words
                if w[:1].isupper()
                and not re.search(r"(?<![\w-])" + re.escape(w[:1].lower() + w[1:]) + r"(?![\w-])", text)
            )

        names: frozenset[str] = self.kept("written as names", build)
        return names


def _entry(practice: Practice, facts: list[Fact]) -> Entry:
    title = practice.title
    bracketed = re.findall(r"\(([^)]*)\)", title)
    plain = re.sub(r"\([^)]*\)", " ", title)
    place_text = " ".join(practice.metadata.get(k, "") or "" for k in ("country", "region"))
    places = frozenset(name_terms(place_text))
    parts = [*re.split(r"\s[-–:]\s|:\s", plain), *(a for b in bracketed for a in b.split(","))]
    segments = []
    for part in parts:
        terms = frozenset(name_terms(part))
        if terms and not terms <= places and terms not in segments:
            segments.append(terms)
    acronyms = {
        word
        for word in re.findall(r"[\w.-]+", title)
        if _ACRONYM.match(word) and not word.isdigit() and len(word.strip(".-")) >= 2
    }
    for inside in bracketed:  # "(Pôle Véhicule du Futur, PVF)": each part is another name
        for alias in inside.split(","):
            if _ACRONYM.match(alias.strip()):
                acronyms.add(alias.strip())
    return Entry(
        practice,
        facts,
        tuple(segments),
        frozenset(name_terms(title)),
        frozenset(acronyms),
        places,
        country_code(practice.metadata.get("country", "") or ""),
    )


@dataclass
class Snapshot:
    """The practices of one store version."""

    entries: list[Entry]
    version: Any = None
    by_id: dict[str, Entry] = field(init=False)
    title_df: Counter[str] = field(init=False)
    by_term: dict[str, list[Entry]] = field(init=False)  # a title word -> the practices it is in
    by_acronym: dict[str, list[Entry]] = field(init=False)  # upper-cased acronym -> practices
    _memo: dict[str, Any] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entries}
        self.title_df = Counter(w for e in self.entries for w in e.title_words)
        self.by_term = {}
        self.by_acronym = {}
        for entry in self.entries:
            for word in set().union(*entry.segments) if entry.segments else set():
                self.by_term.setdefault(word, []).append(entry)
            for acronym in entry.acronyms:
                self.by_acronym.setdefault(acronym.upper(), []).append(entry)

    def idf(self, word: str) -> float:
        """Rarity of a word among the titles (1 + log N/df)."""
        n = max(len(self.entries), 1)
        return 1.0 + math.log((n + 1) / (self.title_df.get(word, 0) + 1))

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """What `build` makes from these practices, made once per snapshot (the engines' indexes
        of themes and regions)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def get(self, practice_id: str) -> Entry | None:
        return self.by_id.get(practice_id)

    def ordered(self, ids: Sequence[str]) -> list[Entry]:
        return [self.by_id[i] for i in ids if i in self.by_id]


class PracticeIndex:
    """The store's practices as a Snapshot, rebuilt when the store changes."""

    def __init__(self, store: PracticeSource, *, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.store = store
        self.recheck_seconds = recheck_seconds
        self._snapshot: Snapshot | None = None
        self._checked = -1e9
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """The current practices (one store read per store change; a version check at most every
        `recheck_seconds`)."""
        # a store that hangs must not hold every question here: a question that cannot read the
        # practices at once goes on with the last snapshot (retrieval then meets the store's guard)
        if not self._lock.acquire(timeout=LOCK_WAIT_S):
            return self._snapshot or Snapshot([], None)
        try:
            return self._refreshed()
        finally:
            self._lock.release()

    def _refreshed(self) -> Snapshot:
        now = time.monotonic()
        if self._snapshot is not None and now - self._checked < self.recheck_seconds:
            return self._snapshot
        try:
            generation = getattr(self.store, "generation", None)
            version = (*self.store.content_version(), generation() if generation else None)
            if self._snapshot is None or self._snapshot.version != version:
                entries = [
                    _entry(practice, current_facts(practice, stored))
                    for practice, stored in self.store.practices_with_facts()
                ]
                self._snapshot = Snapshot(entries, version)
        except (StoreCorrupt, StorageUnavailable, ModelMismatchError):
            raise  # the store cannot serve: the caller says so (503, or one line in the CLI)
        except StoreUnavailable as exc:  # for a moment (another process is rewriting it, or down)
            if self._snapshot is None:
                raise
            log.warning("practice index not refreshed (%s); using the last one", exc)
            return self._snapshot
        except Exception as exc:  # noqa: BLE001 - the store's client raises its own kinds
            # another process rebuilt the collections under the store's handles: retrieval
            # reopens them; until then the practices read before serve (none: no names)
            log.warning("practice index not refreshed (%s); retrying at the next question", exc)
            return self._snapshot or Snapshot([], None)
        self._checked = now
        return self._snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._snapshot = None
