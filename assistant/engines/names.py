"""Which practices a text names: by an acronym of the title ("LAuGEA", "PIMEX") or by most of the
words of the title's name part ("the Eno energy cooperative", "Poland's Aviation Valley"), or by the
title's first word when it is a name no other title has ("Ohjaamo", "Buurtzorg").

A word counts by its rarity among the titles, so "cluster" names little and "Kalundborg" much. A
name must be meant as one: at least one matched word is written as a proper name (capitalised
inside the sentence) or is the practice's place, so "Which energy cooperatives ..." names no
practice while "the Eno energy cooperative" does. A plural ("cooperatives") counts half: it names
a kind of practice rather than one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.relevance import english_words
from assistant.engines.index import Entry, Snapshot, term_of
from assistant.vocabulary import STOPWORDS, fold

MIN_SHARE = 0.6  # of the name part's weight, matched
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")


@dataclass(frozen=True)
class Mention:
    """A practice a text names, how fully (0-1), and where (offsets of the matched words)."""

    practice_id: str
    score: float
    start: int
    end: int
    by_acronym: bool = False
    spans: tuple[tuple[int, int], ...] = ()  # the words that name it


@dataclass(frozen=True)
class _Token:
    raw: str
    term: str
    start: int
    end: int
    proper: bool  # capitalised, and not the first word of a sentence
    plural: bool
    initial: bool = False  # capitalised as the first word of a sentence

    def names(self, entry: Entry) -> bool:
        """Written as a name of the practice: capitalised inside a sentence, or first in one, no
        English word, and written only as a name by its document ("Samsø or Eno: which ...", not
        "Valley farms: ...")."""
        return self.proper or (
            self.initial and self.term in entry.written_as_names() and self.raw.lower() not in english_words()
        )


def tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for match in _WORD.finditer(text):
        raw = match.group(0)
        before = text[: match.start()].rstrip()
        sentence_start = not before or before[-1] in ".?!:;\"'(¿¡"
        pieces = [(raw, match.start())]
        if re.search(r"[-'’.]", raw) and not raw.endswith(("'s", "’s")):
            offset = match.start()
            for part in re.split(r"([-'’.])", raw):
                if part and part not in "-'’.":
                    pieces.append((part, offset))
                offset += len(part)
        for piece, start in pieces:
            if fold(piece) in STOPWORDS or piece.isdigit():
                continue
            out.append(
                _Token(
                    piece,
                    term_of(piece),
                    start,
                    start + len(piece),
                    piece[:1].isupper() and not sentence_start,
                    fold(piece).endswith("s") and not fold(piece).endswith(("ss", "us", "is")),
                    piece[:1].isupper() and sentence_start,
                )
            )
    return out


def _acronym_hit(
    entry: Entry, toks: list[_Token], text: str, snapshot: Snapshot
) -> tuple[_Token, list[_Token]] | None:
    """The token that writes one of the practice's acronyms, with the words of its title written
    next to it; of several such tokens, the one written with more of its title's words: in "the
    JIC voucher or JIC Innovation Park", each JIC names its own practice."""
    hits = [
        (token, _said_with(token, toks, entry, text))
        for token in toks
        if any(
            token.raw == acronym
            or (sum(ch.isupper() for ch in token.raw) >= 2 and token.raw.upper() == acronym.upper())
            for acronym in entry.acronyms
        )
    ]
    if len(hits) < 2:
        return hits[0] if hits else None
    return max(hits, key=lambda hit: sum(snapshot.idf(t.term) for t in hit[1]))


def _said_with(hit: _Token, toks: list[_Token], entry: Entry, text: str) -> list[_Token]:
    """The acronym and the words of its title written next to it ("the JIC innovation voucher")."""
    at = toks.index(hit)
    lo = hi = at
    while (
        lo > 0
        and toks[lo - 1].term in entry.title_words
        and _adjacent(text, toks[lo - 1].end, toks[lo].start)
    ):
        lo -= 1
    while (
        hi + 1 < len(toks)
        and toks[hi + 1].term in entry.title_words
        and _adjacent(text, toks[hi].end, toks[hi + 1].start)
    ):
        hi += 1
    return toks[lo : hi + 1]


def _adjacent(text: str, end: int, start: int) -> bool:
    """Nothing but spaces or hyphens between two words of the text."""
    return not text[end:start].strip(" -")


def _share(
    entry: Entry, segment: frozenset[str], toks: list[_Token], snapshot: Snapshot
) -> tuple[float, list[_Token]]:
    """How much of one title segment the tokens cover (places of the practice adding half their
    weight once the name words cover half), and the tokens that cover it."""
    total = sum(snapshot.idf(w) for w in segment)
    if not total:
        return 0.0, []
    matched: list[_Token] = []
    weight = 0.0
    bonus = 0.0
    seen: set[str] = set()
    title = fold(entry.title)
    for token in toks:
        if token.term in seen:
            continue
        if token.term in segment:
            same_number = re.search(r"\b" + re.escape(fold(token.raw)) + r"\b", title)
            weight += (0.5 if token.plural and not same_number else 1.0) * snapshot.idf(token.term)
        elif token.term in entry.places:
            bonus += 0.5 * snapshot.idf(token.term)
        else:
            continue
        matched.append(token)
        seen.add(token.term)
    if weight / total < 0.5:
        return weight / total, [t for t in matched if t.term in segment]
    return min((weight + bonus) / total, 1.0), matched


def _nearest(matched: list[_Token], toks: list[_Token], counts: Counter[str]) -> list[_Token]:
    """Of a word the text repeats (`counts`: each word's occurrences in it), the occurrence next
    to the name's words it says once: in "Which voucher is worth more, the North West England
    innovation voucher or ...?" the second "voucher" is part of the name."""
    once = [t for t in matched if counts[t.term] == 1]
    if not once:
        return matched
    out = []
    for token in matched:
        if counts[token.term] > 1:
            same = [t for t in toks if t.term == token.term]
            token = min(same, key=lambda t: min(abs(t.start - o.start) for o in once))
        out.append(token)
    return out


def _unique_proper(entry: Entry, toks: list[_Token], snapshot: Snapshot) -> bool:
    """Two words of the title written as proper names that no other title has ("Széchenyi
    István", "Dolina Lotnicza"): a name, in any language around it."""
    unique = {
        t.term
        for t in toks
        if t.names(entry)
        and len(t.term) >= 3
        and t.term in entry.title_words
        and snapshot.title_df[t.term] == 1
        and t.term not in entry.places
    }
    return len(unique) >= 2


MIN_LEAD = 4  # a title's first word this long names its practice; a shorter one only when no English word


def _leading_name(entry: Entry, toks: list[_Token], snapshot: Snapshot) -> list[_Token]:
    """The title's first word written as a proper name, when no other title has it: the name a
    practice goes by ("Ohjaamo", "Buurtzorg"), enough on its own; with the title's words that
    follow it in the text ("Consolidation Plan")."""
    first = _WORD.search(entry.title)
    if first is None:
        return []
    lead = term_of(first.group(0))
    # a short lead is a name only when it is no English word ("Eno", not "New")
    short = len(lead) < MIN_LEAD and (len(lead) < 3 or first.group(0).lower() in english_words())
    if short or snapshot.title_df[lead] != 1:
        return []
    # a place that names the practice ("Kalundborg Symbiosis"), when no other practice is there
    if lead in entry.places and any(lead in e.places for e in snapshot.entries if e is not entry):
        return []
    at = next((i for i, t in enumerate(toks) if t.term == lead and t.names(entry)), None)
    if at is None:
        return []
    named = [toks[at]]
    for token in toks[at + 1 :]:
        if token.term not in entry.title_words:
            break
        named.append(token)
    return named


def mentions(text: str, snapshot: Snapshot, *, min_share: float = MIN_SHARE) -> list[Mention]:
    """The practices the text names, in order of where they are named. Where two practices
    claim the same words, the fuller match keeps them."""
    toks = tokens(text)
    if not toks:
        return []
    found: list[tuple[float, Mention, frozenset[int]]] = []
    terms = {t.term for t in toks}
    counts = Counter(t.term for t in toks)
    candidates: dict[str, Entry] = {}
    for token in toks:
        for entry in [*snapshot.by_term.get(token.term, ()), *snapshot.by_acronym.get(token.raw.upper(), ())]:
            candidates[entry.id] = entry
    for entry in candidates.values():
        best: tuple[float, list[_Token]] = (0.0, [])
        for segment in entry.segments:
            if segment.isdisjoint(terms):
                continue
            share, matched = _share(entry, segment, toks, snapshot)
            if share > best[0]:
                best = (share, matched)
            elif share and share == best[0]:  # two parts of the title said in full: both name it
                best = (share, best[1] + [t for t in matched if t not in best[1]])
        share, matched = best
        matched = _nearest(matched, toks, counts)
        acronym = _acronym_hit(entry, toks, text, snapshot)
        if acronym is not None:
            # two practices with one acronym ("JIC"): the one more of whose title is said keeps it
            hit, run = acronym
            mention = Mention(entry.id, 1.0, hit.start, hit.end, True, ((hit.start, hit.end),))
            found.append((2.0 + share, mention, frozenset(t.start for t in run)))
            continue
        if share < min_share and not _unique_proper(entry, toks, snapshot):
            lead = _leading_name(entry, toks, snapshot)
            if not lead:
                continue
            share, matched = min_share, lead
        if not any(t.names(entry) or t.term in entry.places for t in matched):
            continue
        named_by = [t for t in matched if t.term not in entry.places or t.term in entry.title_words]
        start, end = min(t.start for t in matched), max(t.end for t in matched)
        spans = tuple(sorted((t.start, t.end) for t in matched))
        found.append(
            (share, Mention(entry.id, share, start, end, False, spans), frozenset(t.start for t in named_by))
        )
    found.sort(key=lambda item: -item[0])
    kept: list[tuple[Mention, frozenset[int]]] = []
    for _, mention, claimed in found:
        # every word that names it already names a fuller match ("Innovation" and "voucher" in
        # "JIC Innovation Park and the JIC voucher" name no third practice)
        if claimed <= frozenset().union(*(other for _, other in kept)):
            continue
        kept.append((mention, claimed))
    return sorted((m for m, _ in kept), key=lambda m: m.start)


def without_names(text: str, snapshot: Snapshot) -> str:
    """The text with the words that name practices blanked out (to read what it asks of them):
    the words a mention matched and, where the text gives a named practice's full title (as a
    restated question does), the whole title ("Oldham Community Power (OCP)": not only "OCP")."""
    found = mentions(text, snapshot)
    spans = {span for m in found for span in m.spans}
    for entry in snapshot.ordered([m.practice_id for m in found]):
        at = text.find(entry.title)
        if at >= 0:
            spans.add((at, at + len(entry.title)))
    out = text
    for start, end in sorted(spans, reverse=True):
        out = out[:start] + " " * (end - start) + out[end:]
    return out


_PRONOUN = re.compile(
    r"\b(its|it|this practice|that practice|this one|that one|they|them|their|"
    r"the (?:first|second|third|fourth|fifth|last) (?:one|practice|of them))\b",
    re.IGNORECASE,
)


def restated(previous: str, subject: Sequence[str], snapshot: Snapshot, before: Sequence[str] = ()) -> str:
    """The previous question asked of another practice ("what about X?", "and X?"): the practices
    it named, or its first pronoun, give way to the new subject's titles ("How many members does
    LAuGEA have?" -> "How many members does Automotive and Mobility Cluster of Aragon (CAAR)
    have?"); a practice it described in words of its title (`before`: the practices the previous
    turn was about; "the Šibenik warehouse conversion") gives way too; with neither, the titles
    follow its ask."""
    titles = " and ".join(e.title for e in snapshot.ordered(subject))
    spans = sorted({span for m in mentions(previous, snapshot) for span in m.spans})
    if not spans:
        spans = _described_by(previous, snapshot.ordered(before))
    if spans:
        out = previous
        for start, end in reversed(spans):
            out = out[:start] + (titles if (start, end) == spans[0] else "") + out[end:]
        return " ".join(out.split())
    pronoun = _PRONOUN.search(previous)
    if pronoun:
        said = f"{titles}'s" if pronoun.group(0).lower() in ("its", "their") else titles
        return previous[: pronoun.start()] + said + previous[pronoun.end() :]
    return f"{previous.strip().rstrip('?')} ({titles})?"


def _described_by(text: str, entries: Sequence[Entry]) -> list[tuple[int, int]]:
    """The runs of words of the text that are words of the entries' titles or places ("Šibenik
    warehouse" for "Reuse of the Old Tobacco Warehouse in Šibenik ..."), each run one span."""
    words = set().union(*(e.title_words | e.places for e in entries)) if entries else set()
    spans: list[tuple[int, int]] = []
    for token in tokens(text):
        if token.term not in words:
            continue
        if spans and _adjacent(text, spans[-1][1], token.start):
            spans[-1] = (spans[-1][0], token.end)
        else:
            spans.append((token.start, token.end))
    return spans


def named(text: str, snapshot: Snapshot) -> list[str]:
    """The ids of the practices a text names, in order of mention."""
    return [m.practice_id for m in mentions(text, snapshot)]
