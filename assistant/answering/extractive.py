"""The offline default answerer: picks the sentences of the retrieved passages that answer the
question and cites each one. No language model; nothing is said that the documents do not say.

How the answer is chosen:
- The practice: the retrieved practice whose text (with its title and country) names most of the
  question, idf-weighted, a word's concept class counting too (staff ~ employees, cost ~ budget).
  When no practice names at least half of an English question, the documents do not cover it.
- The sentences: for each part of a compound question ("how many people work there, and how many
  members does it have?"), the sentence of that practice that names the part best, is closest to
  it by embedding similarity, and meets what it asks for: "how many X" needs a number and X,
  "how much does it cost" a number and a cost, "when" a year, "which countries" a country, and a
  qualifier such as "German" in "how many German companies" must appear in the practice.
- Absence: a sentence in which the document says it does not give a fact ("the source does not
  state the budget") answers nothing. When it names the question better than any answering
  sentence, the reply abstains and cites it.
- A question about several practices ("which practices ...", "how do A and B differ") gets the
  best sentence of each.
- Questions in other languages are matched by embedding similarity (names and numbers still help).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.base import Draft, lines_of
from assistant.answering.citations import cite, supported_only, verify
from assistant.question import (
    COUNTRY_WORDS,
    DEMONYMS,
    TRANSFER,
    Intent,
    Question,
    analyse,
    expand,
    kind_terms,
    parts,
    selects_practices,
)
from assistant.types import Citation, ScoredChunk, TextDelta
from assistant.vocabulary import content_terms, fold, normalise_numbers, numbers, sentence_spans, stem, words

log = logging.getLogger(__name__)

# The document says it does not have the fact.
ABSENCE = re.compile(
    r"\b(not (stated|given|specified|reported|available|known|published|disclosed|mentioned|provided|"
    r"quantified|documented)|(does|do|did) not (give|state|say|specify|report|mention|provide|quantify|"
    r"include|disclose)|no (formal )?(figures?|data|information|numbers?|details?)\b[^.]{0,40}\b("
    r"available|given|published|provided|reported)|(is|are) unknown)\b",
    re.IGNORECASE,
)
# A per-unit figure ("per cluster", "each"), which does not answer a question about a total.
PER_UNIT = re.compile(
    r"\b(per (?!cent\b|year\b|annum\b|month\b|day\b|week\b|hour\b)\w+|each)\b", re.IGNORECASE
)
YEAR = re.compile(r"\b(19|20)\d\d\b")
YEAR_FULL = re.compile(r"\b(?:19|20)\d\d\b")
BULLET = "•-–*"
CLASS_MATCH = 0.6  # a word of the concept class names the term less surely than the term itself
_REFERENCE = re.compile(
    r"^\s*(source|sources|see|website|web|url|link|organisation|contact)\s*:|https?://", re.IGNORECASE
)
REFERENCE_SECTIONS = ("Further information", "Good practice owner")
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]*[A-Z][A-Za-z]*)\)")  # "(BCBB)", "(LAuGEA)"
_CURRENT = re.compile(r"\b(now|today|currently|at present|latest|most recent)\b", re.IGNORECASE)
_REFERS_BACK = re.compile(r"\b(it|its|they|them|their|this|that|these|those|one|ones)\b", re.IGNORECASE)
_NOT_ONE = re.compile(r"\b(one|a)\b", re.IGNORECASE)  # "set one up" states no number
_RAW_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_DEMONYM_OF = {country: demonym for demonym, country in DEMONYMS.items()}


def match(term: str, terms: frozenset[str] | set[str]) -> float:
    if term in terms:
        return 1.0
    return CLASS_MATCH if not expand(term).isdisjoint(terms) else 0.0


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a lead sentence with its bullet list) of a retrieved passage."""

    passage: ScoredChunk
    rank: int  # of its passage in the retrieval order
    start: int  # absolute offsets in the practice text
    end: int
    text: str
    terms: frozenset[str]
    has_number: bool
    absence: bool

    @property
    def practice(self) -> str:
        return self.passage.chunk.practice_id


@dataclass(frozen=True)
class Reply:
    """What the answerer says: an answer, or an abstention (possibly citing the sentence in
    which the document says it does not give the fact)."""

    text: str
    citations: list[Citation]
    abstained: bool


@dataclass
class _VectorCache:
    """Sentence vectors by text (bounded, thread-safe): the same passages come back often."""

    size: int = 8192
    _items: OrderedDict[str, np.ndarray] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get_many(self, embeddings: Embeddings, texts: list[str]) -> list[np.ndarray]:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._items]
        if missing:
            vectors = embeddings.embed_documents(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._items[text] = np.asarray(vector, dtype=np.float32)
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
        with self._lock:
            out = []
            for text in texts:
                vector = self._items.get(text)
                if vector is None:  # evicted meanwhile by another thread
                    vector = np.asarray(embeddings.embed_documents([text])[0], dtype=np.float32)
                out.append(vector)
            return out


_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
_ENUMERATOR = re.compile(r"\(\d{1,2}\)|^\s*\d{1,2}[.)]\s")
_DATE = re.compile(
    rf"\b\d{{1,2}}(st|nd|rd|th)? {_MONTH}\b|\b{_MONTH} \d{{1,2}}\b|\b(19|20)\d\d\b", re.IGNORECASE
)


def quantities(text: str) -> set[str]:
    """The numbers of a text that are amounts, not dates or list markers: '55 owners since 1999'
    -> {'55'}; '(1) products' -> set()."""
    return numbers(normalise_numbers(_ENUMERATOR.sub(" ", _DATE.sub(" ", text))))


def sentences(passages: Sequence[ScoredChunk]) -> list[Sentence]:
    """The sentences of the passages; a sentence ending in ':' keeps the bullet list after it."""
    out: list[Sentence] = []
    acronym: dict[str, str] = {}
    title_terms: dict[str, set[str]] = {}
    for passage in passages:
        chunk = passage.chunk
        if chunk.practice_id not in acronym:
            match_ = _ACRONYM.search(chunk.title)
            acronym[chunk.practice_id] = stem(match_.group(1).lower()) if match_ else ""
            title_terms[chunk.practice_id] = set(content_terms(chunk.title))
    for rank, passage in enumerate(passages):
        chunk = passage.chunk
        spans = sentence_spans(chunk.text)
        i = 0
        while i < len(spans):
            a, b = spans[i]
            j = i + 1
            # a list is one unit: its lead sentence ("Funding came from:") and its bullets
            if chunk.text[a:b].rstrip().endswith(":") or chunk.text[a] in BULLET:
                while j < len(spans) and chunk.text[spans[j][0]] in BULLET and spans[j][1] - a < 900:
                    b = spans[j][1]
                    j += 1
            text = chunk.text[a:b]
            if len(words(text)) >= 4 and not _REFERENCE.match(text):
                normalised = normalise_numbers(text)
                terms = set(content_terms(normalised) + content_terms(text))
                if acronym.get(chunk.practice_id) and acronym[chunk.practice_id] in terms:
                    terms |= title_terms[chunk.practice_id]  # "BCBB receives" names Be Circular Be Brussels
                terms = frozenset(terms)
                has_number = bool(quantities(_NOT_ONE.sub("", text)))
                out.append(
                    Sentence(
                        passage,
                        rank,
                        chunk.start + a,
                        chunk.start + b,
                        text,
                        terms,
                        has_number,
                        bool(ABSENCE.search(text)),
                    )
                )
            i = j
    return out


@dataclass
class _Scored:
    sentence: Sentence
    lexical: float  # idf share of the (part of the) question named by the sentence
    meets: bool  # gives what the (part of the) question asks for
    score: float


class ExtractiveAnswerer:
    """Selects and cites sentences. `reply()` answers or abstains; `answer()` returns
    (text, citations), or None to abstain."""

    def __init__(
        self,
        embeddings: Embeddings | None = None,
        *,
        max_sentences: int = 4,
        max_practices: int = 6,
        min_coverage: float = 0.45,
        similarity_budget: int = 16,
    ) -> None:
        self.embeddings = embeddings
        self.max_sentences = max_sentences
        self.max_practices = max_practices
        self.min_coverage = min_coverage
        self.similarity_budget = similarity_budget
        self._cache = _VectorCache()

    # -- the reply -------------------------------------------------------------------------

    def stream(
        self, question: Question, passages: Sequence[ScoredChunk], *, found: int
    ) -> Iterator[TextDelta | Draft]:
        """The Answerer protocol: the reply line by line, then its Draft. A claim whose citation
        does not back it is dropped; with nothing left, the Draft abstains."""
        reply = self.reply(
            question.text,
            passages,
            k=found,
            about=question.about,
            intent=question.intent,
            about_intent=question.query_intent,
        )
        if reply is None:
            yield Draft("", abstained=True)
            return
        text, citations = reply.text, reply.citations
        problems = verify(text, citations, passages)
        if problems:  # never show a claim its citation does not back
            log.warning("dropping unsupported claims problems=%s", problems)
            text, citations = supported_only(text, citations, passages)
            if not citations:
                yield Draft("", abstained=True)
                return
        yield from lines_of(text)
        yield Draft(text, citations, reply.abstained)

    def warm_up(self) -> None:
        """Nothing to load: the embedder loads with the store."""

    def reply(
        self,
        question: str,
        passages: Sequence[ScoredChunk],
        k: int | None = None,
        about: str | None = None,
        *,
        intent: Intent | None = None,
        about_intent: Intent | None = None,
    ) -> Reply | None:
        """The answer, an abstention that cites what the document says it lacks, or None when
        nothing in the passages answers the question. The first k passages are what retrieval
        found (default: all); any after them were read in for context. `about` is the standalone
        query of a follow-up ("... it ..." plus what it refers to): it decides which practice.
        `intent` / `about_intent`: the analyses of question / about, when already made."""
        intent = intent or analyse(question)
        found = sentences(passages)
        q_terms = list(dict.fromkeys(intent.terms))
        if not found or not q_terms:
            return None
        n = len(found)
        idf = {t: math.log(1 + n / (1 + sum(1 for s in found if match(t, s.terms)))) for t in q_terms}
        practice_terms = self._practice_terms(passages, found)
        contexts = self._contexts(passages)
        coverage = {pid: _share(q_terms, idf, terms) for pid, terms in practice_terms.items()}
        first_rank = {}
        for s in found:
            first_rank.setdefault(s.practice, s.rank)
        whole: list[list[float]] = []

        def similarity() -> list[float]:  # embedded only when needed (compound comparisons are not)
            if not whole:
                whole.append(self._similarities(question, found, q_terms, idf, intent))
            return whole[0]

        about_terms = (
            [t for t in dict.fromkeys((about_intent or analyse(about)).terms) if t not in q_terms]
            if about
            else []
        )
        about_idf = {
            t: math.log(1 + n / (1 + sum(1 for s in found if match(t, s.terms)))) for t in about_terms
        }

        def focus_order() -> list[str]:
            if intent.foreign:  # words cannot tell: trust retrieval and similarity
                best_sim: dict[str, float] = {}
                for s, sim in zip(found, similarity(), strict=True):
                    best_sim[s.practice] = max(best_sim.get(s.practice, -1.0), sim)
                return sorted(
                    best_sim, key=lambda p: best_sim[p] + 0.3 / (1 + first_rank.get(p, n)), reverse=True
                )
            # the practice the question names (title, country) first, then the one that covers it
            named = {p: _share(q_terms, idf, contexts.get(p, frozenset())) for p in coverage}
            if about_terms:  # a follow-up names its practice only in the history
                named = {
                    p: max(named[p], _share(about_terms, about_idf, contexts.get(p, frozenset())))
                    for p in coverage
                }
            return sorted(
                coverage,
                key=lambda p: coverage[p] + named[p] + 0.1 / (1 + first_rank.get(p, n)),
                reverse=True,
            )

        order = focus_order()
        if intent.multi:
            chosen = self._per_practice(
                intent,
                q_terms,
                idf,
                found,
                similarity,
                order,
                coverage,
                practice_terms,
                contexts,
                len(passages) if k is None else k,
                question,
            )
            if len({s.practice for s in chosen}) >= 2:
                return self._render(chosen, abstained=False)
        focus = order[0]
        if not intent.foreign and coverage[focus] < self.required_coverage(len(q_terms)):
            return None
        own = [(s, sim) for s, sim in zip(found, similarity(), strict=True) if s.practice == focus]
        chosen, absent = [], []
        pieces = parts(question)
        for part in pieces:
            part_intent = analyse(part) if part != question else intent
            # "how big are they?" is about what the first part named
            about = part if part == pieces[0] or not _REFERS_BACK.search(part) else f"{part} {pieces[0]}"
            part_own = own if len(pieces) == 1 else self._part_similarity(about, own)
            part_terms = [t for t in dict.fromkeys(part_intent.terms) if t in idf] or q_terms
            scored = self._score(
                part_intent, part_terms, idf, part_own, practice_terms[focus], contexts[focus]
            )
            answering = [c for c in scored if c.meets and not c.sentence.absence]
            absences = [c for c in scored if c.sentence.absence and c.lexical > 0]
            best = answering[0] if answering else None
            if absences and (best is None or absences[0].lexical > best.lexical):
                absent.append(absences[0].sentence)
                continue
            if best is None or (not intent.foreign and best.lexical == 0):
                continue
            for c in answering:  # the best one not chosen yet
                if all(not _overlaps(c.sentence, x) for x in chosen):
                    chosen.append(c.sentence)
                    break
        if not chosen:
            if absent:
                return self._render(absent[:1], abstained=True)
            return None
        chosen = self._fill(intent, q_terms, idf, own, practice_terms[focus], contexts[focus], chosen)
        absent = [a for a in absent if all(not _overlaps(a, x) for x in chosen)]
        return self._render(chosen + absent[:1], abstained=False)

    def required_coverage(self, terms: int) -> float:
        """How much of the question a practice must name to be about it: half of a short
        question, about three and a half words' worth of a long, descriptive one."""
        return min(self.min_coverage, 3.2 / max(terms, 1))

    # -- scoring ---------------------------------------------------------------------------

    def _score(
        self,
        intent: Intent,
        terms: list[str],
        idf: dict[str, float],
        own: list[tuple[Sentence, float]],
        practice: set[str],
        context: frozenset[str] = frozenset(),
    ) -> list[_Scored]:
        # "now": the latest year the practice reports on (not that of a source note)
        years = [
            y.group(0)
            for s, _ in own
            if s.passage.chunk.section not in REFERENCE_SECTIONS
            for y in YEAR_FULL.finditer(s.text)
        ]
        latest = max(years) if years else ""
        # within one practice its own name tells the sentences apart least
        weights = {t: idf[t] * (0.3 if t in context else 1.0) for t in terms}
        result = []
        for s, sim in own:
            lexical = _share(terms, weights, s.terms)
            # "what evidence of success ...": the heading says it
            if s.passage.chunk.section in intent.sections:
                heading = s.terms | frozenset(content_terms(s.passage.chunk.section))
                lexical += 0.3 * (_share(terms, weights, heading) - lexical)
            meets = _meets(intent, s, practice)
            named = sum(
                min(3, len(need.terms & s.terms)) - 1
                for need in intent.needs
                if need.in_sentence and need.terms & s.terms
            )
            # "how many members": "grown to 165 members" counts them; "sales of member companies
            # reached USD 3 billion" only mentions them
            counts = (
                0.08
                if intent.quantity
                and any(need.in_sentence and _counts(s.text, need.terms) for need in intent.needs)
                else 0.0
            )
            recent = (
                0.05 if intent.current and (_CURRENT.search(s.text) or latest and latest in s.text) else 0.0
            )
            score = (
                recent
                + counts
                + 0.45 * sim
                + 0.40 * lexical
                + 0.10 / (1 + s.rank)
                + (0.05 if s.passage.chunk.section in intent.sections else 0.0)
                - (0.10 if s.passage.chunk.section in REFERENCE_SECTIONS else 0.0)
                + (0.10 if meets else 0.0)
                + 0.04 * named  # "which countries": the sentence naming three beats the one naming one
            )
            result.append(_Scored(s, lexical, meets, score))
        result.sort(key=lambda c: c.score, reverse=True)
        return result

    @staticmethod
    def _contexts(passages: Sequence[ScoredChunk]) -> dict[str, frozenset[str]]:
        """practice id -> the terms of its title, country and region (and country adjectives)."""
        contexts: dict[str, frozenset[str]] = {}
        for passage in passages:
            chunk = passage.chunk
            if chunk.practice_id in contexts:
                continue
            place = " ".join(chunk.metadata.get(key, "") for key in ("country", "region"))
            terms = set(content_terms(f"{chunk.title} {place}"))
            for word in words(place):
                if word in _DEMONYM_OF:
                    terms.add(stem(_DEMONYM_OF[word]))
            contexts[chunk.practice_id] = frozenset(terms)
        return contexts

    def _practice_terms(self, passages: Sequence[ScoredChunk], found: list[Sentence]) -> dict[str, set[str]]:
        """practice id -> the terms of its retrieved text, title, section names, country, region."""
        terms: dict[str, set[str]] = {pid: set(ctx) for pid, ctx in self._contexts(passages).items()}
        for passage in passages:
            terms[passage.chunk.practice_id].update(content_terms(passage.chunk.section))
        for s in found:
            terms[s.practice].update(s.terms)
        return terms

    def _similarities(
        self,
        question: str,
        found: list[Sentence],
        q_terms: list[str],
        idf: dict[str, float],
        intent: Intent,
        per_practice: bool = False,
        budget: int | None = None,
    ) -> list[float]:
        """Question-sentence cosine for the most promising sentences (the rest get 0): those
        naming the question and giving what it asks for (a number, the counted thing)."""
        if self.embeddings is None:
            return [0.0] * len(found)

        def promise(s: Sentence) -> float:
            value = 0.0 if intent.foreign else _share(q_terms, idf, s.terms)
            if intent.quantity and s.has_number:
                value += 0.2
            value += 0.2 * sum(
                1 for need in intent.needs if need.in_sentence and not need.terms.isdisjoint(s.terms)
            )
            return value - 0.02 * s.rank

        order = sorted(range(len(found)), key=lambda i: promise(found[i]), reverse=True)
        # every practice gets its share: a comparison must judge each practice's sentences
        practices = list(dict.fromkeys(s.practice for s in found))
        per_practice = per_practice or intent.multi
        budget = self.similarity_budget if budget is None else max(1, budget)
        share = max(5, budget // max(1, len(practices))) if per_practice else len(found)
        taken: dict[str, int] = {}
        chosen = []
        for i in order:  # one budget for every kind of question: answer time stays bounded
            if taken.get(found[i].practice, 0) < share and len(chosen) < budget:
                taken[found[i].practice] = taken.get(found[i].practice, 0) + 1
                chosen.append(i)
        q = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        vectors = self._cache.get_many(self.embeddings, [found[i].text for i in chosen])
        result = [0.0] * len(found)
        for i, vector in zip(chosen, vectors, strict=True):
            result[i] = float(np.dot(q, vector))
        return result

    def _part_similarity(self, part: str, own: list[tuple[Sentence, float]]) -> list[tuple[Sentence, float]]:
        """Similarity to one part of a compound question, blended with the whole question's."""
        if self.embeddings is None or not own:
            return own
        q = np.asarray(self.embeddings.embed_query(part), dtype=np.float32)
        scored = [(s, sim) for s, sim in own if sim != 0.0]
        vectors = self._cache.get_many(self.embeddings, [s.text for s, _ in scored])
        part_sim = {id(s): float(np.dot(q, v)) for (s, _), v in zip(scored, vectors, strict=True)}
        return [(s, 0.5 * sim + 0.5 * part_sim.get(id(s), sim)) for s, sim in own]

    # -- choosing --------------------------------------------------------------------------

    def _fill(
        self,
        intent: Intent,
        q_terms: list[str],
        idf: dict[str, float],
        own: list[tuple[Sentence, float]],
        practice: set[str],
        context: frozenset[str],
        chosen: list[Sentence],
    ) -> list[Sentence]:
        """More sentences of the practice that name what the chosen ones left out (explanatory
        questions, such as whether a practice would transfer, get a little more room)."""
        limit = self.max_sentences + (1 if TRANSFER in intent.sections and not intent.quantity else 0)
        named: set[str] = set().union(*(s.terms for s in chosen))
        scored = self._score(intent, q_terms, idf, own, practice, context)
        best = scored[0].score if scored else 0.0
        for c in scored:
            if len(chosen) >= limit:
                break
            s = c.sentence
            if s.absence or not c.meets or any(_overlaps(s, x) for x in chosen):
                continue
            new = sum(idf[t] for t in q_terms if match(t, s.terms) and not match(t, named))
            if new >= 0.1 * sum(idf.values()) or c.score >= 0.7 * best:
                chosen.append(s)
                named |= s.terms
        return chosen

    def _per_practice(
        self,
        intent: Intent,
        q_terms: list[str],
        idf: dict[str, float],
        found: list[Sentence],
        similarity: Callable[[], list[float]],
        order: list[str],
        coverage: dict[str, float],
        practice_terms: dict[str, set[str]],
        contexts: dict[str, frozenset[str]],
        k_first: int,
        question: str,
    ) -> list[Sentence]:
        """The best answering sentence of each practice that is about the question; for a compound
        question ("which practices are X, and how much do they pay?"), the best one for each part.

        A first part that only selects the practices ("which practices are voucher schemes") is
        answered by a sentence of its own only when no later part finds one. Within one practice,
        the names of the other practices do not count ("How do A and B differ": a sentence of B
        that mentions A tells nothing new about B)."""
        chosen: list[Sentence] = []
        floor = 0.0 if intent.foreign else 0.6 * self.required_coverage(len(q_terms))
        # practices found only by the deeper search need the evidence a single answer needs
        deeper = {s.practice for s in found if s.rank >= k_first} - {
            s.practice for s in found if s.rank < k_first
        }
        # "the two Lithuanian ... practices": a country the question names narrows the practices
        places = {t for t in q_terms if t in COUNTRY_WORDS}
        pieces = parts(question)
        # "which practices are innovation voucher schemes, and ...": a practice must be one
        kinds = kind_terms(pieces[0])  # "which ... schemes": any practice may call itself otherwise
        topic = [t for t in dict.fromkeys(analyse(pieces[0]).terms) if t in idf and t not in kinds] or q_terms
        # the topic's words weighed by how few of the practices name them: in "which practices are
        # innovation voucher schemes", "voucher" tells the practices apart, "innovation" hardly
        spread = {t: sum(1 for pid in order if match(t, practice_terms[pid])) for t in topic}
        topic_idf = {t: math.log(1 + len(order) / (1 + spread[t])) for t in topic}
        local = {pid for pid in order if places and not places.isdisjoint(contexts[pid])}
        questions = self._part_questions(pieces, intent, q_terms, idf, found, similarity)
        selector = len(questions) > 1 and selects_practices(pieces[0])
        asked = len(questions) - (1 if selector else 0)  # parts that ask something of each practice
        # how much of the question a practice names, not counting what practices are called
        named = [t for t in q_terms if t not in kind_terms(question)] or q_terms
        # "How do Aviation Valley and the Cluj IT Cluster compare ...": the practices a question
        # names, by a capitalised word of their title or place that at most two practices have
        capitalised = " ".join(w for w in _RAW_WORD.findall(question)[1:] if w[:1].isupper())
        capital_terms = set(content_terms(capitalised))
        titled = {t: sum(1 for pid in order if t in contexts[pid]) for t in capital_terms}
        names = {t for t, count in titled.items() if 1 <= count <= 2}
        by_name = [pid for pid in order if not names.isdisjoint(contexts[pid])]
        if selects_practices(pieces[0]) or len(by_name) < 2 or intent.foreign:
            by_name = []
        for pid in order:
            if by_name:  # those, and only those
                if pid not in by_name:
                    continue
            else:
                covered = _share(named, idf, practice_terms[pid])
                if covered < floor or (len(local) >= 2 and pid not in local):
                    continue
                if pid in deeper and not intent.foreign and covered < self.required_coverage(len(named)):
                    continue
                if not intent.foreign and _share(topic, topic_idf, practice_terms[pid]) < 0.5:
                    continue
            # the names of the other practices tell nothing about this one
            others = set().union(*(contexts[o] for o in order if o != pid)) - contexts[pid]
            if by_name:  # "compare in public money spent": the names tell no sentence apart, and
                # a common word of another title ("public") is still the question's
                others = {t for t in capital_terms if any(t in contexts[o] for o in by_name)}
            mine: list[Sentence] = []
            for index, (part_intent, part_terms, part_similarity) in enumerate(questions):
                if selector and index == 0:
                    continue
                terms = [t for t in part_terms if t not in others] or part_terms
                picked = self._best_of(
                    intent,
                    part_intent,
                    terms,
                    idf,
                    found,
                    part_similarity,
                    pid,
                    practice_terms[pid],
                    contexts[pid],
                    mine,
                    second=asked == 1,
                )
                mine.extend(picked)
            if not mine and selector:
                part_intent, part_terms, part_similarity = questions[0]
                terms = [t for t in part_terms if t not in others] or part_terms
                mine = self._best_of(
                    intent,
                    part_intent,
                    terms,
                    idf,
                    found,
                    part_similarity,
                    pid,
                    practice_terms[pid],
                    contexts[pid],
                    mine,
                )
            chosen.extend(mine)
            if len({s.practice for s in chosen}) >= self.max_practices:
                break
        return chosen

    def _part_questions(
        self,
        pieces: list[str],
        intent: Intent,
        q_terms: list[str],
        idf: dict[str, float],
        found: list[Sentence],
        similarity: Callable[[], list[float]],
    ) -> list[tuple[Intent, list[str], list[float]]]:
        """(intent, terms, sentence similarities) for each part of the question; the whole
        question's when it has one part. A part that refers back ("how big are they?") is read
        with the first part."""
        if len(pieces) == 1:
            return [(intent, q_terms, similarity())]
        result = []
        for part in pieces:
            # "..., and what are they?" asks about what the first part named
            about = part if part == pieces[0] or not _REFERS_BACK.search(part) else f"{part} {pieces[0]}"
            part_intent = analyse(about)
            terms = [t for t in dict.fromkeys(part_intent.terms) if t in idf] or q_terms
            # each part picks, in each practice, the sentences worth embedding for it
            # within the budget of a whole question: the parts share it
            result.append(
                (
                    part_intent,
                    terms,
                    self._similarities(
                        about,
                        found,
                        terms,
                        idf,
                        part_intent,
                        True,
                        budget=self.similarity_budget // len(pieces),
                    ),
                )
            )
        return result

    def _best_of(
        self,
        intent: Intent,
        part_intent: Intent,
        terms: list[str],
        idf: dict[str, float],
        found: list[Sentence],
        similarity: list[float],
        pid: str,
        practice: set[str],
        context: frozenset[str],
        taken: list[Sentence],
        *,
        second: bool = True,
    ) -> list[Sentence]:
        """One practice's answer to one (part of a) question: its best answering sentence (and a
        second when it names something new), or the sentence in which it says it lacks the fact."""
        own = [(s, sim) for s, sim in zip(found, similarity, strict=True) if s.practice == pid]
        # a sentence left unembedded (the budget went to likelier ones) is judged by its words, as
        # if it were as close to the question as the least close embedded one, not as unrelated
        embedded = [sim for _, sim in own if sim != 0.0]
        if embedded:
            own = [(s, sim if sim != 0.0 else min(embedded)) for s, sim in own]
        scored = [
            c
            for c in self._score(part_intent, terms, idf, own, practice, context)
            if (intent.foreign or c.lexical > 0) and all(not _overlaps(c.sentence, x) for x in taken)
        ]
        answering = [c for c in scored if c.meets and not c.sentence.absence]
        absences = [c for c in scored if c.sentence.absence]
        if absences and (not answering or absences[0].lexical > answering[0].lexical):
            return [absences[0].sentence]  # "the amount is not stated" is an answer here
        if not answering:
            return []
        best = answering[0]
        picked = [best.sentence]
        for c in answering[1:] if second else []:  # a second sentence when it names something new
            # names something the best one does not, or only by its class ("budget" vs "EUR")
            new = [t for t in terms if match(t, c.sentence.terms) > match(t, best.sentence.terms)]
            if (new or c.score >= 0.9 * best.score) and not _overlaps(c.sentence, best.sentence):
                picked.append(c.sentence)
                break
        return picked

    def _render(self, chosen: list[Sentence], *, abstained: bool) -> Reply:
        # practices in the order chosen; within one, document order
        order: dict[str, int] = {}
        for s in chosen:
            order.setdefault(s.practice, len(order))
        chosen = sorted(chosen, key=lambda s: (order[s.practice], s.start))
        citations: list[Citation] = []
        lines: list[str] = []
        current = None
        for n, s in enumerate(chosen, 1):
            citations.append(cite(n, s.passage, s.start, s.end))
            text = " ".join(line.strip().lstrip(BULLET + " ") for line in s.text.splitlines()).rstrip()
            if s.practice != current:
                current = s.practice
                lines.append(f"{s.passage.chunk.title}: {text} [{n}]")
            else:
                lines[-1] += f" {text} [{n}]"
        text = "\n".join(lines)
        if abstained:
            text = "The documents do not give this. " + text
        return Reply(text, citations, abstained)


def _share(terms: list[str], idf: dict[str, float], named: frozenset[str] | set[str]) -> float:
    total = sum(idf[t] for t in terms) or 1.0
    return sum(idf[t] * match(t, named) for t in terms) / total


def _meets(intent: Intent, s: Sentence, practice: set[str]) -> bool:
    if intent.quantity and not s.has_number:
        return False
    if intent.year and not intent.quantity and not YEAR.search(s.text):
        return False
    for need in intent.needs:
        if need.terms.isdisjoint(s.terms if need.in_sentence else practice):
            return False
    return not (intent.aggregate and intent.quantity and PER_UNIT.search(s.text))


_TOKEN = re.compile(r"\d[\d,.]*|[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _counts(text: str, terms: frozenset[str]) -> bool:
    """A number in the text counts one of these things: '126 members', '160 to 165 member firms'."""
    tokens = _TOKEN.findall(normalise_numbers(text))
    for i, token in enumerate(tokens):
        if token[0].isdigit() and any(stem(fold(t)) in terms for t in tokens[i + 1 : i + 4]):
            return True
    return False


def _overlaps(a: Sentence, b: Sentence) -> bool:
    return a.practice == b.practice and a.start < b.end and b.start < a.end
