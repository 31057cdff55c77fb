"""The catalog engine: list, count, filter and rank practices.

The scope (assistant.engines.scope) gives the practices the question is about: by place, region,
theme, names, and by topic over every practice of that scope with the learned relevance signal
(`topical`). A measure (assistant.engines.figures), when the question asks one, gives each
practice's figure with its sentence; a practice whose documents give no figure is "not stated"
and never counted as a match. The answer is one short sentence and a Markdown list or table, one
row per practice (the complete set), every figure cited to its sentence; amounts in other
currencies are converted at dated reference rates and the answer says which date.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from assistant.answering.base import Draft
from assistant.engines import forms
from assistant.engines.base import Asked, declined
from assistant.engines.catalog_answers import (
    Match,
    by_country,
    filtered,
    listing,
    predicate_of,
    ranked,
    related,
    sentence_terms,
    weights_of,
)
from assistant.engines.figures import Figure, Reading, figures_of, reading
from assistant.engines.index import PracticeIndex, Sentence, Snapshot
from assistant.engines.measures import COUNT, MONEY, YEAR, Measure, measure_of
from assistant.engines.names import without_names
from assistant.engines.relevance import Relevance, WordRelevance
from assistant.engines.render import Citer
from assistant.engines.scope import FORM_WORDS, KIND_WORDS, Scope, select, without_spans
from assistant.engines.scope import warm_up as warm_scope
from assistant.practices.currency import DatedRates, UnknownCurrency
from assistant.question import is_foreign
from assistant.retrieval.base import Retriever
from assistant.types import ScoredChunk, TextDelta
from assistant.vocabulary import content_terms, fold

log = logging.getLogger(__name__)

TOPIC_FLOOR = -4.0  # relevance below which a practice does not match a topic (cross-encoder logits)
TOPIC_GAP = 6.0  # ... nor when this far below the best match
# the embedder's reading (assistant.answering.relevance.EmbedderRelevance, cosine on the logit
# scale), beside the cross-encoder, which misses a topic said in other words ("home care" for
# "health care"): a practice is on the topic too when its sentence reaches this...
MEANING_FLOOR = 0.5
MEANING_GAP = 2.0  # ... and is within this of the best practice's
# where the cross-encoder finds the topic nowhere, the embedder's best must reach this (topics
# the collection has scored 2.2-3.5 on its best sentence; topics it lacks 0.2-1.7: "fisheries",
# "nuclear power", "space research", "water management")
MEANING_ALONE = 2.0
TOPIC_SENTENCES = 4  # per practice, judged by the relevance signal
TOPIC_PRACTICES = 12  # practices judged per question (the best by their words)
RETRIEVAL_FILL = 4  # ... and at most this many more that retrieval finds by meaning
SCAN_LIMIT = 300  # practices in scope up to which every sentence is read; above, retrieval narrows
RETRIEVED = 40  # passages retrieval proposes when it narrows
DESCRIBE_SENTENCES = 3  # per practice, read by the relevance signal to describe it
SECOND_GAP = 2.0  # relevance within which a second describing sentence is shown
DESCRIBED = 8  # rows up to which a list shows the sentence that best answers the question
COUNTED = ("members", "staff", "beneficiaries")  # dimensions with a key fact kind of their own
JUDGED_SENTENCES = 40  # figure sentences up to which a ranking reads them with the relevance signal
_FIGURE_WORDS = re.compile(r"\b(figures?|numbers?|statistics|how (many|much|big|large)|amounts?|data)\b")
_ASKS_FIGURE = re.compile(
    r"\b(how (much|big|large|many)|what (is|are|was|were) (the|their|its) (\w+ )?(amounts?|budgets?|figures?|"
    r"numbers?|sizes?|values?|costs?)|and (what|how) (are|is|were|much|big|many)|how do the \w+ compare)\b"
)

# "how many practices ...": counts the practices, asks no figure of them ("How many practices are
# about nuclear power plants?" is no question about power in MW)
_COUNTS_PRACTICES = re.compile(r"\bhow many (?:[\w-]+ ){0,2}?(?:" + forms.KINDS + r")\b")


@dataclass
class CatalogEngine:
    """Answers questions about the collection as a whole."""

    index: PracticeIndex
    relevance: Relevance = field(default_factory=WordRelevance)
    retriever: Retriever | None = None  # narrows topical candidates in a large store
    rates: DatedRates = field(default_factory=DatedRates)
    topic_floor: float = TOPIC_FLOOR
    topic_gap: float = TOPIC_GAP
    meaning: Relevance | None = None  # the embedder's reading of the topic (English questions)

    def warm_up(self) -> None:
        """Read the store's practices, their theme and region words and the per-practice figures
        of the key facts (for a large store, what the first question would otherwise wait for)."""
        warm_scope(self.index.snapshot())
        self.rates.warm_up()
        for dimension in (MONEY, YEAR, *COUNTED):
            self._fact_readings(Measure(dimension))
        warm = getattr(self.relevance, "warm_up", None)
        if warm:
            warm()

    def stream(self, asked: Asked) -> Iterator[TextDelta | Draft]:
        started = time.perf_counter()
        snapshot = self.index.snapshot()
        question = asked.text
        named = list(asked.focus.named) or list(asked.focus.carried)
        plain = without_names(question, snapshot) if len(named) >= 2 else question
        # "which countries do they come from": the rest of the question says which practices
        countries = forms.asks_countries(question)
        asked_for = forms.without_countries_asked(question) if countries else question
        measure = measure_of(plain)
        if measure is not None and not (
            measure.condition
            or forms.superlative(plain)
            or forms.comparative(plain)
            or _ASKS_FIGURE.search(_COUNTS_PRACTICES.sub(" ", fold(plain)))
        ):
            measure = None
        scope = select(
            asked_for,
            snapshot,
            named=named,
            measure_words=measure.words if measure else frozenset(),
            counted=_counted_words(asked_for, measure),
        )
        if measure is not None:  # the words that chose the practices do not also choose their figures
            kept = frozenset(w for w in measure.words if not scope.consumes(w))
            measure = replace(measure, words=kept - FORM_WORDS - KIND_WORDS)
        citer = Citer()
        if not (scope.restricted or scope.topic or measure):
            if not (countries or forms.about_collection(question)):
                yield declined()
                return
            # the collection as a whole: how many practices, from which countries
            text = by_country(question, scope, [Match(e) for e in scope.entries], citer, whole=True)
            yield TextDelta(text)
            yield Draft(text, citer.citations, abstained=False, passages=citer.passages)
            return
        matches = [Match(e) for e in scope.entries]
        if scope.topic:
            matches = self.topical(asked_for, matches, scope, snapshot)
        selected = time.perf_counter()
        if measure is None:
            if len(matches) <= DESCRIBED and any(m.evidence is None for m in matches):
                self._describe(asked_for, matches, scope.consumed)
            if countries:
                text = by_country(asked_for, scope, matches, citer, whole=False)
            else:
                text = listing(question, scope, matches, citer, counting=forms.counts(question))
            said = bool(matches)
        else:
            text, said = self._measured(question, plain, scope, matches, measure, citer)
        yield TextDelta(text)
        # no practice matches, or none states the figure: the documents do not say (the answer
        # says which practices were read)
        yield Draft(
            text,
            citer.citations,
            abstained=not said,
            passages=citer.passages,
            retrieve_ms=(selected - started) * 1000,
        )

    # -- topic ---------------------------------------------------------------------------------

    def topical(self, question: str, matches: list[Match], scope: Scope, snapshot: Snapshot) -> list[Match]:
        """The practices whose sentences the relevance signal finds on the question's topic, each
        with its best sentence. In a small collection every practice's sentences are read, and
        retrieval is asked only when none is on the topic by its words (it finds practices by
        meaning: "shared bus lines" for "get around without a car"); in a large one retrieval
        proposes the practices to read. When no practice is on the topic: none, or, when a place or
        theme already narrowed the practices, every practice of that scope (the topic words were
        wording: "developed by a national capital for its own area")."""
        if is_foreign(question) or not matches:
            return self._by_retrieval(question, matches) or matches
        # the place already chose the practices; the relevance signal judges the rest of the
        # question (it scores any sentence that names the place as near "tourist attractions in
        # Estonia")
        question = without_spans(question, scope.places.spans)
        large = len(matches) > SCAN_LIMIT
        retrieved = self.retriever.retrieve(question, k=RETRIEVED) if large and self.retriever else []
        if large:
            found = {p.chunk.practice_id for p in retrieved}
            matches = [m for m in matches if m.entry.id in found]
        candidates = _by_words(list(scope.topic), matches)
        kept = self._judge_topic(question, candidates)
        # every practice in scope that says the topic (the candidates are the best few by words)
        stating = _stating(list(scope.topic), matches)
        if not kept or _INVOLVES.search(fold(question)):
            # "Which practices involve universities?": every practice that says so, however
            # briefly (the relevance signal keeps those near the best one)
            judged = {k.entry.id for k in kept}
            kept += [m for m in stating if m.entry.id not in judged]
        if not kept and not large and self.retriever is not None:
            taken = {match.entry.id for _, match, _ in candidates}
            retrieved = self.retriever.retrieve(question, k=RETRIEVED)
            kept = self._judge_topic(question, _by_meaning(retrieved, matches, taken))
        if not kept:  # on no practice's topic; unless place or theme already say what is meant
            return matches if scope.themes or scope.named else []
        return kept

    def _judge_topic(
        self, question: str, candidates: list[tuple[float, Match, list[Sentence]]]
    ) -> list[Match]:
        """The candidates the relevance signal finds on the topic, best first."""
        if not candidates:
            return []
        texts = [s.text for _, _, sentences in candidates for s in sentences]
        # the cross-encoder reads "Which practices are on an island?" as asking for practices, which
        # no sentence names (-9 for "Gotland, Sweden's largest island"); what is said of them
        # alone, "are on an island", it reads as the topic (-3): it reads that when there is one
        predicate = predicate_of(question)
        scores = self.relevance.score(predicate if predicate else question, texts)
        judged: list[Match] = []
        per_candidate = _split(scores, [sentences for _, _, sentences in candidates])
        for (_, match, sentences), own in zip(candidates, per_candidate, strict=True):
            best = max(range(len(own)), key=lambda i: own[i])
            judged.append(Match(match.entry, sentences[best], own[best]))
        top = max(m.score for m in judged)
        kept = [m for m in judged if m.score >= max(self.topic_floor, top - self.topic_gap)]
        kept += [m for m in self._by_meaning_of(question, candidates, judged, bool(kept)) if m not in kept]
        kept.sort(key=lambda m: -m.score)
        return kept

    def _by_meaning_of(
        self,
        question: str,
        candidates: list[tuple[float, Match, list[Sentence]]],
        judged: list[Match],
        found: bool,
    ) -> list[Match]:
        """The candidates whose sentences the embedder reads as on the topic (each sentence after
        its practice's title, as the lookup reads them), near the best one. `found`: the
        cross-encoder found the topic in some practice; if not, the embedder's best must be
        clearly on it."""
        if self.meaning is None:
            return []
        texts = [f"{match.entry.title}: {s.text}" for _, match, sentences in candidates for s in sentences]
        scores = self.meaning.score(question, texts)
        best = [max(own) for own in _split(scores, [c[2] for c in candidates])]
        if not found and max(best) < MEANING_ALONE:
            return []
        floor = max(MEANING_FLOOR, max(best) - MEANING_GAP)
        return [match for match, value in zip(judged, best, strict=True) if value >= floor]

    def _by_retrieval(self, question: str, matches: list[Match]) -> list[Match]:
        """Questions the cross-encoder cannot read (not in English): the practices retrieval
        places close to the best passage (the embedder is multilingual)."""
        if self.retriever is None:
            return []
        allowed = {m.entry.id: m for m in matches}
        best: dict[str, float] = {}
        for passage in self.retriever.retrieve(question, k=RETRIEVED):
            pid = passage.chunk.practice_id
            if pid in allowed and passage.score > best.get(pid, -1.0):
                best[pid] = passage.score
        if not best:
            return []
        top = max(best.values())
        return [
            allowed[pid] for pid, score in sorted(best.items(), key=lambda i: -i[1]) if score >= top - 0.03
        ]

    def _describe(self, question: str, matches: list[Match], consumed: frozenset[str] = frozenset()) -> None:
        """For a short list, each practice's sentence that best answers the question (what a
        compound question asks of them: "..., and what level did they reach?"), by the relevance
        signal over the sentences that share its words; the first sentence where none does."""
        terms = [
            t for t in dict.fromkeys(content_terms(question)) if t not in FORM_WORDS and t not in consumed
        ]
        # what the scope already settled (the theme, the place) does not tell sentences apart
        asked = (
            " ".join(
                w
                for w in re.findall(r"[\w'’-]+", question)
                if content_terms(w)[:1] != [] and content_terms(w)[0] not in consumed
            )
            or question
        )
        weights = weights_of(terms, [m.entry for m in matches] + list(self.index.snapshot().entries[:200]))
        figures = bool(_FIGURE_WORDS.search(fold(question)))
        pending: list[tuple[Match, list[Sentence]]] = []
        for match in matches:
            if match.evidence is not None:
                continue
            scored = sorted(
                (
                    (
                        sum(weights[t] for t in terms if related(t, have))
                        + (1.0 if figures and re.search(r"\d", s.text) else 0.0),
                        i,
                        s,
                    )
                    for i, (s, have) in enumerate(sentence_terms(match.entry))
                ),
                key=lambda x: (-x[0], x[1]),
            )
            chosen = [s for hit, _, s in scored if hit > 0 and not s.text.rstrip().endswith(":")][
                :DESCRIBE_SENTENCES
            ]
            if chosen:
                pending.append((match, chosen))
        if not pending:
            return
        if is_foreign(question) or isinstance(self.relevance, WordRelevance):
            for match, chosen in pending:
                match.evidence = chosen[0]
            return
        texts = [s.text for _, chosen in pending for s in chosen]
        scores = self.relevance.score(asked, texts)
        for (match, chosen), own in zip(pending, _split(scores, [c for _, c in pending]), strict=True):
            order = sorted(range(len(own)), key=lambda i: -own[i])
            match.evidence = chosen[order[0]]
            # a question after figures ("..., and what are they?") gets a second sentence that
            # answers it nearly as well
            if figures and len(order) > 1 and own[order[1]] >= own[order[0]] - SECOND_GAP:
                match.more = [chosen[order[1]]]

    # -- measures ------------------------------------------------------------------------------

    def _fact_readings(self, measure: Measure) -> dict[str, Reading]:
        """Every practice's figure for the measure from its key facts alone, made once per store
        version and measure kind (a question over thousands of practices then only compares)."""
        snapshot = self.index.snapshot()
        plain = Measure(measure.dimension, noun=measure.noun, per_unit=measure.per_unit)

        def build() -> dict[str, Reading]:
            def in_eur(figure: Figure) -> float:
                if not figure.currency or figure.currency == "EUR":
                    return figure.value
                try:
                    return self.rates.convert(figure.value, figure.currency, "EUR").value
                except UnknownCurrency:
                    return float("nan")

            return {e.id: reading(e, plain, in_eur, scan=False) for e in snapshot.entries}

        key = f"facts:{measure.dimension}:{sorted(measure.noun)}:{measure.per_unit}"
        readings: dict[str, Reading] = snapshot.memo(key, build)
        return readings

    def _judge(
        self, question: str, matches: list[Match], measure: Measure
    ) -> dict[tuple[str, int], float] | None:
        """The learned relevance of each sentence that states a figure for the measure, when
        there are few enough to read (a ranking: which figure answers "the most funding won for
        members' projects" is a matter of meaning, not of words)."""
        if len(matches) > JUDGED_SENTENCES:
            return None
        if (
            is_foreign(question)
            or isinstance(self.relevance, WordRelevance)
            or measure.dimension in (YEAR, *COUNTED)
        ):
            return None  # members, staff, years: the key fact's kind says which figure it is
        sentences: dict[tuple[str, int], Sentence] = {}
        for match in matches:
            for figure in figures_of(match.entry, measure):
                sentences[(figure.practice_id, figure.sentence.start)] = figure.sentence
                if len(sentences) > JUDGED_SENTENCES:
                    return None
        if not sentences:
            return None
        keys = list(sentences)
        scores = self.relevance.score(question, [sentences[k].text for k in keys])
        return dict(zip(keys, scores, strict=True))

    def _measured(
        self, question: str, plain: str, scope: Scope, matches: list[Match], measure: Measure, citer: Citer
    ) -> tuple[str, bool]:
        """The answer, and whether any practice states the figure."""
        target = (measure.condition.currency if measure.condition else None) or "EUR"
        converted: set[str] = set()

        def base(figure: Figure) -> float:
            if measure.dimension != MONEY or not figure.currency or figure.currency == target:
                return figure.value
            try:
                return self.rates.convert(figure.value, figure.currency, target).value
            except UnknownCurrency:
                return float("nan")

        judged = self._judge(plain, matches, measure) if measure.condition is None else None
        # over many practices the key facts answer; the sentences are read of those retrieval
        # finds closest to the question (and of every practice in a small collection)
        scanned: set[str] | None = None
        if len(matches) > SCAN_LIMIT:
            scanned = set()
            if self.retriever is not None:
                scanned = {p.chunk.practice_id for p in self.retriever.retrieve(plain, k=RETRIEVED)}
        stated: list[Match] = []
        missing: list[Match] = []
        facts_only = self._fact_readings(measure) if scanned is not None else {}
        for match in matches:
            if scanned is None or match.entry.id in scanned:
                found = reading(match.entry, measure, base, judged)
            else:
                found = facts_only.get(match.entry.id) or Reading(match.entry, None)
            match.reading = found
            if found.best is None:
                missing.append(match)
                continue
            match.value = base(found.best)
            if match.value != match.value:  # a currency without a reference rate
                missing.append(match)
                continue
            if measure.dimension == MONEY and found.best.currency and found.best.currency != target:
                converted.add(found.best.currency)
            stated.append(match)
        if measure.condition is not None:
            text = filtered(question, scope, stated, missing, measure, measure.condition, citer, target)
        else:
            listing = not (forms.superlative(plain) or forms.comparative(plain))
            text = ranked(question, scope, stated, missing, measure, citer, target, listing=listing)
        note = self.rates.note(converted, target)
        return text + (f"\n\n{note}" if note else ""), bool(stated)


def _split(scores: Sequence[float], groups: Sequence[Sequence[object]]) -> list[Sequence[float]]:
    """A flat list of scores cut into one slice per group, in order (texts scored in one call)."""
    slices: list[Sequence[float]] = []
    position = 0
    for group in groups:
        slices.append(scores[position : position + len(group)])
        position += len(group)
    return slices


# a question that asks which practices involve something, not which are about it
_INVOLVES = re.compile(r"\b(involv\w*|mention\w*|includ\w*|use|uses|using|work\w* with|cooperat\w* with)\b")


def _stating(terms: list[str], matches: list[Match]) -> list[Match]:
    """The practices with a sentence that says the topic in the question's own words ("Which
    practices involve farmers?": 'Farmers whose land is flooded are compensated ...'; a topic of
    several words as one phrase: "public transport"), each with the first such sentence."""
    if not terms:
        return []
    if len(terms) == 1:

        def says(sentence: Sentence, have: frozenset[str]) -> bool:
            return related(terms[0], have)
    else:
        phrase = re.compile(r"\b" + r"\w*\W+".join(re.escape(t) for t in terms) + r"\w*")

        def says(sentence: Sentence, have: frozenset[str]) -> bool:
            return bool(phrase.search(fold(sentence.text)))

    out = []
    for match in matches:
        stated = next((s for s, have in sentence_terms(match.entry) if says(s, have)), None)
        if stated is not None:
            out.append(Match(match.entry, stated, 0.0))
    return out


def _counted_words(question: str, measure: Measure | None) -> frozenset[str]:
    """The question's words for what a count measures ("reached more than 1,000 people": people),
    which measure the practices and do not also choose a theme ("older people")."""
    if measure is None or measure.dimension not in (*COUNTED, COUNT) or not measure.noun:
        return frozenset()
    return frozenset(t for t in content_terms(question) if t in measure.noun)


def _by_words(terms: list[str], matches: list[Match]) -> list[tuple[float, Match, list[Sentence]]]:
    """The practices whose sentences use the topic's words (rarer words weigh more), best first,
    each with its best sentences."""
    weights = weights_of(terms, [m.entry for m in matches])
    candidates: list[tuple[float, Match, list[Sentence]]] = []
    for match in matches:
        scored = []
        for sentence, have in sentence_terms(match.entry):
            hit = sum(weights[t] for t in terms if related(t, have))
            if hit > 0:
                scored.append((hit, sentence))
        if scored:
            scored.sort(key=lambda item: -item[0])
            top = scored[0][0]
            chosen = [s for hit, s in scored[:TOPIC_SENTENCES] if hit >= top / 2]
            candidates.append((top, match, chosen))
    candidates.sort(key=lambda item: -item[0])
    return candidates[:TOPIC_PRACTICES]


def _by_meaning(
    retrieved: Sequence[ScoredChunk], matches: list[Match], taken: set[str]
) -> list[tuple[float, Match, list[Sentence]]]:
    """The practices retrieval found that their words did not, each with the sentences of the
    passage found."""
    by_id = {m.entry.id: m for m in matches}
    out: list[tuple[float, Match, list[Sentence]]] = []
    for passage in retrieved:
        pid = passage.chunk.practice_id
        if pid in by_id and pid not in taken and len(out) < RETRIEVAL_FILL:
            sentences = sentence_terms(by_id[pid].entry)
            inside = [s for s, _ in sentences if passage.chunk.start <= s.start < passage.chunk.end]
            if inside:
                out.append((0.0, by_id[pid], inside[:TOPIC_SENTENCES]))
                taken.add(pid)
    return out
