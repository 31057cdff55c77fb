"""The offline default answerer: picks the sentences of the retrieved passages that answer the
question and cites each one. No language model; nothing is said that the documents do not say.

How the answer is chosen (assistant.answering.scoring, .answerability, .relevance):
- The practice: the one retrieval ranked first (the rest of it was read in for context). A
  question about several practices goes to assistant.answering.multi.
- Each part of a compound question ("when was it founded, and by whom?") gets its own sentence:
  the one with the best score (a learned relevance: the cross-encoder for English, the embedder
  for other languages; the template section the question asks about; the question's words) among
  those that state the kind of answer asked for (a number, a date, a name, a place).
- Answerable or not: a part is answered only by a sentence of the asked kind whose relevance
  reaches ANSWER_RELEVANCE. A question about a section the practice has (its resources, its
  results, its transfer) is answered from that section when the practice clearly dominates
  retrieval. When the practice is about the question but states nothing of the asked kind, the
  reply is a near-miss: what the document states, and that it does not state the detail
  (abstained, with its citation). When no sentence reaches ON_TOPIC_RELEVANCE, None: the documents
  do not cover the question.
- A sentence in which the document says it does not give the fact ("the budget is not stated")
  answers nothing; when it is closer to the question than any answering sentence, the reply
  abstains and cites it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.answerability import (
    answers,
    counts_something_asked,
    names_qualifiers,
    near_miss,
    other_names,
)
from assistant.answering.base import Draft, lines_of
from assistant.answering.citations import cite, supported_only, verify
from assistant.answering.multi import answer_several, names_several
from assistant.answering.relevance import EmbedderRelevance, Relevance, SentenceVectors
from assistant.answering.scoring import Scored, idf, score, share
from assistant.answering.sentences import Sentence, plain, quantities, sentences
from assistant.question import DEMONYMS, NUMBER, TRANSFER, Intent, Question, analyse, parts
from assistant.types import Citation, ScoredChunk, TextDelta
from assistant.vocabulary import (
    QUESTION_WORDS,
    REFERS_BACK,
    STOPWORDS,
    WORD,
    YEAR,
    content_terms,
    fold,
    states_unit,
    stem,
    unit_families,
)

log = logging.getLogger(__name__)

__all__ = ["ExtractiveAnswerer", "Reply", "quantities"]

# Thresholds on the relevance scale (see assistant.answering.scoring), calibrated on dev.
ON_TOPIC_RELEVANCE = -3.0  # below this for every sentence of the practice: not about the question
ANSWER_RELEVANCE = -1.0  # a sentence of the asked kind answers from here on
# where the cross-encoder is sure a sentence answers (about 6.5 for answers, under 1 for on-topic
# non-answers: ../shared/MODELS.md): it may count the asked thing in other words
CERTAIN_RELEVANCE = 5.0
# a sentence of the asked kind this far below the most relevant sentence (which is not of that
# kind) does not answer: on dev, every answered typed question's most relevant sentence was the
# answer (margin 0); the near-miss that guessed from a weaker sentence was 2.0 below
OVERSHADOW_MARGIN = 1.5
FILL_MARGIN = 4.0  # more sentences, while their score is within this of the part's best
NAME_WEIGHT = 4.0  # choosing the practice: times the share of the question its title and place name
RANK_WEIGHT = 0.5  # choosing the practice: retrieval's order, per place
# choosing the practice: the sentences of each that the cross-encoder reads, those that share most
# of the question's words (it reads every sentence of the practice chosen; a pair costs about
# 10 ms; the embedder's nearest would cost more to embed, at the first question, than they save)
CHOICE_SENTENCES = 8
COVERAGE_WEIGHT = 4.0  # choosing the practice: times the share of the question its text names
ON_TOPIC_COVERAGE = 0.5  # a practice that names this share of the question is about it too
# the embedder's cosine of two words from which one names the other's thing ("staff" ~ "employees"
# 0.92, "people" ~ "staff" 0.89, "members" ~ "employees" 0.90, with multilingual-e5-small)
SYNONYM_COSINE = 0.91
DOMINANT_SHARE = 0.6  # of the retrieved passages from one practice: retrieval clearly found it


@dataclass(frozen=True)
class Reply:
    """What the answerer says: an answer, or an abstention (possibly citing the sentence in
    which the document says it does not give the fact, or a near-miss)."""

    text: str
    citations: list[Citation]
    abstained: bool


@dataclass
class _Part:
    """One part of the question, as answered: its chosen sentences or what stands in for them."""

    intent: Intent
    chosen: list[Scored]
    absence: Sentence | None = None
    evidence: Sentence | None = None  # the nearest on-topic sentence, for a near-miss


class ExtractiveAnswerer:
    """Selects and cites sentences. `reply()` answers or abstains.

    `relevance` is the learned signal (assistant.answering.relevance); without it, the embedder's
    cosine (when an embedder is given), else the question's words alone."""

    def __init__(
        self,
        embeddings: Embeddings | None = None,
        *,
        relevance: Relevance | None = None,
        vector_cache: Path | None = None,
        max_sentences: int = 4,
        max_practices: int = 6,
    ) -> None:
        self.embeddings = embeddings
        self.vectors = SentenceVectors(embeddings, vector_cache) if embeddings is not None else None
        # the hashing test embedder knows only words: then the words decide (scoring.WORDS_ONLY_SCALE)
        words_only = str(getattr(embeddings, "model_name", "")).startswith("hashing")
        if relevance is None and self.vectors is not None and not words_only:
            relevance = EmbedderRelevance(self.vectors)
        self.relevance = relevance
        self.max_sentences = max_sentences
        self.max_practices = max_practices
        self._synonyms: dict[tuple[str, str], bool] = {}

    # -- the Answerer protocol -------------------------------------------------------------

    def stream(
        self, question: Question, passages: Sequence[ScoredChunk], *, found: int
    ) -> Iterator[TextDelta | Draft]:
        """The reply line by line, then its Draft. A claim whose citation does not back it is
        dropped; with nothing left, the Draft abstains."""
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
        """Load the relevance model now, so that no answer waits for it."""
        load = getattr(getattr(self.relevance, "cross_encoder", None), "load", None)
        if load is not None:
            load()

    # -- the reply -------------------------------------------------------------------------

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
        """The answer, an abstention that cites what the document says it lacks (or a near-miss),
        or None when nothing in the passages is about the question. The first k passages are what
        retrieval found (default: all); any after them were read in for context. `about` is the
        standalone query of a follow-up; `intent` / `about_intent` the analyses already made."""
        intent = intent or analyse(question)
        found = sentences(passages)
        if not found:
            return None
        named = names_several(question, found)
        if intent.multi or named:
            chosen = answer_several(
                self.relevance, self.max_practices, question, intent, found, len(passages) if k is None else k
            )
            # several practices answer; or the question named them and one of them answers
            if len({s.practice for s in chosen}) >= 2 or (named and chosen):
                return render(chosen, abstained=False)
        follows = (about_intent or analyse(about)).terms if about else ()
        # what a follow-up refers back to, as the conversation named it ("... under it?" -> the
        # practice): the relevance model reads it before the question's pronouns
        subject = " ".join(about.replace(question, " ").split()) if about and about != question else None
        return self._lookup(
            question, intent, passages, found, len(passages) if k is None else k, follows, subject or None
        )

    def _lookup(
        self,
        question: str,
        intent: Intent,
        passages: Sequence[ScoredChunk],
        found: list[Sentence],
        k: int,
        follows: tuple[str, ...] = (),
        subject: str | None = None,
    ) -> Reply | None:
        """One practice's answer. `follows`: the terms of what a follow-up refers back to;
        `subject`: its words."""
        weights = idf(list(dict.fromkeys(intent.terms + follows)), found)
        focus = self._choose_practice(question, intent, passages[:k], found, weights)
        own = [s for s in found if s.practice == focus.chunk.practice_id]
        title = focus.chunk.title
        context = frozenset(content_terms(title)) | _place_terms(focus)
        pieces = parts(question)
        abouts = []  # what the relevance model reads for each part
        for n, part in enumerate(pieces):
            if REFERS_BACK.search(part) and (subject or n > 0):
                # "how big are they?": about what the conversation or the first part named
                abouts.append(f"{subject or topic_of(pieces[0])}: {part}")
            else:
                abouts.append(part)
        intents = (
            [_part_intent(p, a) for p, a in zip(pieces, abouts, strict=True)] if len(pieces) > 1 else [intent]
        )
        per_part = [
            self._score_part(part, about, i, own, weights, context)
            for part, about, i in zip(pieces, abouts, intents, strict=True)
        ]
        whole = per_part[0]
        # a follow-up ("which levels can it reach?") is about what the conversation named
        terms = [t for t in dict.fromkeys(intent.terms + follows) if t in weights]
        covered = share(terms, weights, frozenset().union(*(s.terms for s in own)) | context)
        on_topic = max(p[0].relevance for p in per_part) >= ON_TOPIC_RELEVANCE or covered >= ON_TOPIC_COVERAGE
        sections = {s.section for s in own}
        dominant = _dominant(passages[:k], focus.chunk.practice_id) and bool(intent.sections & sections)
        if not on_topic and not dominant:
            return None
        practice_terms = frozenset().union(*(s.terms for s in own)) | context
        if not names_qualifiers(intent, practice_terms):  # "how many German firms" of a Lithuanian one
            return self._abstain(title, intent, whole)
        names = frozenset() if intent.foreign else other_names(question, context)
        said = practice_terms | {y for s in own for y in YEAR.findall(s.text)}
        # "what did the KTH evaluation conclude": the practice never names it ("Tallinn-style": a
        # part of the compound is enough)
        if any(n not in said and not any(stem(p) in said for p in n.split("-")) for n in names):
            return self._abstain(title, intent, whole)
        answered: list[_Part] = []
        taken: set[int] = set()  # a later part is answered by another sentence than an earlier one
        for i, scored in zip(intents, per_part, strict=True):
            fresh = [c for c in scored if id(c.sentence) not in taken] or scored
            answered.append(self._answer_part(i, fresh, dominant and bool(i.sections), names))
            taken |= {id(c.sentence) for c in answered[-1].chosen}
        chosen = [c for p in answered for c in p.chosen]
        if not chosen:
            absences = [p.absence for p in answered if p.absence is not None]
            if absences:
                return render(absences[:1], abstained=True)
            return self._abstain(title, answered[0].intent, whole)
        if len(pieces) == 1:
            chosen = self._fill(intent, whole, chosen, names)
            chosen = self._units_asked(question, intent, whole, chosen)
        else:  # each answered part may add its runner-up, within the same budget
            for done, scored in zip(answered, per_part, strict=True):
                if done.chosen and len(chosen) < self.max_sentences:
                    extra = self._fill(
                        done.intent, scored, list(done.chosen), names, limit=len(done.chosen) + 1
                    )
                    chosen.extend(extra[len(done.chosen) :])
        # the sentence that answers comes first, the ones that add to it follow in document order
        lead = chosen[0].sentence if len(pieces) == 1 else None
        return render(_unique([c.sentence for c in chosen]), abstained=False, lead=lead)

    def _score_part(
        self,
        part: str,
        about: str,
        intent: Intent,
        own: list[Sentence],
        weights: dict[str, float],
        context: frozenset[str],
    ) -> list[Scored]:
        """The sentences scored for one part. A part that refers back ("what do they need to use
        it?") is read both alone and with the part it refers to; each sentence keeps its better
        score (the relevance model reads the pronoun's subject from neither reliably)."""
        scored = score(self.relevance, about, intent, own, weights, context)
        if about == part:
            return scored
        alone = {id(c.sentence): c for c in score(self.relevance, part, intent, own, weights, context)}
        merged = [max(c, alone.get(id(c.sentence), c), key=lambda x: x.score) for c in scored]
        return sorted(merged, key=lambda c: c.score, reverse=True)

    def _choose_practice(
        self,
        question: str,
        intent: Intent,
        passages: Sequence[ScoredChunk],
        found: list[Sentence],
        weights: dict[str, float],
    ) -> ScoredChunk:
        """The practice to answer from: among those retrieval found, the one whose sentences best
        answer the question, the one the question names (its title, its place) weighing too."""
        first: dict[str, ScoredChunk] = {}
        for p in passages:
            first.setdefault(p.chunk.practice_id, p)
        if len(first) == 1:
            return passages[0]
        terms = list(dict.fromkeys(t for t in intent.terms if t in weights))
        values = {}
        for rank, (pid, passage) in enumerate(first.items()):
            own = [s for s in found if s.practice == pid]
            scored = score(self.relevance, question, intent, _shortlist(intent, own, weights), weights)
            best = scored[0].relevance if scored else -100.0
            named = share(
                terms, weights, frozenset(content_terms(passage.chunk.title)) | _place_terms(passage)
            )
            covered = share(terms, weights, frozenset().union(*(s.terms for s in own)))
            values[pid] = best + NAME_WEIGHT * named + COVERAGE_WEIGHT * covered - RANK_WEIGHT * rank
        return first[max(values, key=lambda pid: values[pid])]

    def _answer_part(
        self, intent: Intent, scored: list[Scored], dominant: bool, names: frozenset[str]
    ) -> _Part:
        """The part's best sentence of the asked kind, if relevant enough; else what the document
        says it lacks, or the sentence for a near-miss. A question in another language about a
        section of the practice retrieval clearly found ("Welche Ressourcen braucht ...?") is
        answered from that section: the embedder's cosines that judge it tell sentences of one
        practice apart less well than the template's sections do."""
        in_section = (
            [c for c in scored if c.sentence.section in intent.sections and not c.sentence.absence]
            if dominant and intent.kind is None  # "what resources does it need": its section says
            else []
        )
        if intent.foreign and in_section:
            return _Part(intent, in_section[:1])
        best = next((c for c in scored if answers(intent, c.sentence, self._close, names)), None)
        if best is None and intent.counted:
            # the counted thing said in other words ("people" - "staff"): the learned signal
            # decides where it is sure the sentence answers (its scale: see CERTAIN_RELEVANCE)
            loose = replace(intent, counted=())
            best = next(
                (
                    c
                    for c in scored
                    if c.relevance >= CERTAIN_RELEVANCE
                    and answers(loose, c.sentence, self._close, names)
                    and counts_something_asked(c.sentence.text, intent.counted, intent.terms)
                ),
                None,
            )
        absences = [c for c in scored if c.sentence.absence and c.relevance >= ANSWER_RELEVANCE]
        if absences and (best is None or absences[0].score > best.score):
            return _Part(intent, [], absence=absences[0].sentence)
        if (
            best is not None
            and best.relevance >= ANSWER_RELEVANCE
            and not self._overshadowed(intent, best, scored)
        ):
            return _Part(intent, [best])
        if in_section:
            return _Part(intent, in_section[:1])
        evidence = next((c.sentence for c in scored if not c.sentence.absence), None)
        return _Part(intent, [], evidence=evidence)

    def _units_asked(
        self, question: str, intent: Intent, whole: list[Scored], chosen: list[Scored]
    ) -> list[Scored]:
        """A figure asked by what it measures ("the capacity and annual output"): for each unit
        family the question names and no chosen sentence states, the practice's best on-topic
        sentence that states it ("4.6 MW"), within the sentence budget. The relevance model does
        not read "capacity" as asking for megawatts."""
        if intent.kind != NUMBER:
            return chosen
        result = list(chosen)
        for family in sorted(unit_families(question)):
            if len(result) >= self.max_sentences or any(states_unit(c.sentence.text, family) for c in result):
                continue
            extra = next(
                (
                    c
                    for c in whole
                    if c.relevance >= ON_TOPIC_RELEVANCE
                    and not c.sentence.absence
                    and states_unit(c.sentence.text, family)
                    and all(not c.sentence.overlaps(x.sentence) for x in result)
                ),
                None,
            )
            if extra is not None:
                result.append(extra)
        return result

    def _overshadowed(self, intent: Intent, best: Scored, scored: list[Scored]) -> bool:
        """Whether a sentence that does not state the asked kind is far more relevant than the best
        one that does ("which regions won the 2016 call?": the document says the call had three
        winners, not which): the document is about the question but does not state the detail,
        and a weaker sentence that happens to name a place would be a guess. On the
        cross-encoder's scale only (English questions; not the embedder's cosines, nor the
        words-only scores of the tests' hashing embedder)."""
        learned = self.relevance is not None and getattr(self.relevance, "name", "") != EmbedderRelevance.name
        if intent.kind is None or intent.foreign or not learned:
            return False
        top = max((c.relevance for c in scored if not c.sentence.absence), default=best.relevance)
        return top - best.relevance > OVERSHADOW_MARGIN

    def _abstain(self, title: str, intent: Intent, scored: list[Scored]) -> Reply | None:
        """A near-miss: the practice's sentence nearest the question, cited, and what it lacks."""
        evidence = next((c.sentence for c in scored if not c.sentence.absence), None)
        if evidence is None or scored[0].relevance < ON_TOPIC_RELEVANCE:
            return None
        citation = cite(1, evidence.passage, evidence.start, evidence.end)
        return Reply(near_miss(title, intent, plain(evidence), 1), [citation], True)

    def _fill(
        self,
        intent: Intent,
        whole: list[Scored],
        chosen: list[Scored],
        names: frozenset[str],
        limit: int | None = None,
    ) -> list[Scored]:
        """More sentences of the practice whose score is near the best chosen one (explanatory
        questions, such as whether a practice would transfer, get a little more room)."""
        if limit is None:
            limit = self.max_sentences + (1 if TRANSFER in intent.sections and intent.kind is None else 0)
        floor = max(c.score for c in chosen) - FILL_MARGIN
        # a question in another language answered from the section it asks about stays in it
        in_section = (
            intent.foreign
            and intent.kind is None
            and all(c.sentence.section in intent.sections for c in chosen)
        )
        result = list(chosen)
        for c in whole:
            if len(result) >= limit:
                break
            # a question about a section (what it takes, whether it transfers) reads that section
            from_section = intent.kind is None and c.sentence.section in intent.sections
            relevant = c.score >= floor and c.relevance >= ANSWER_RELEVANCE
            if c.sentence.absence or not (relevant or from_section) or (in_section and not from_section):
                continue
            if answers(intent, c.sentence, self._close, names) and all(
                not c.sentence.overlaps(x.sentence) for x in result
            ):
                result.append(c)
        return result

    def _close(self, asked: str, word: str) -> bool:
        """Whether the embedder finds the word as close as a synonym to the counted thing."""
        if self.vectors is None:
            return False
        key = (asked, word)
        if key not in self._synonyms:
            a, b = self.vectors.get([asked, word])
            self._synonyms[key] = float(np.dot(a, b)) >= SYNONYM_COSINE
        return self._synonyms[key]


def topic_of(part: str) -> str:
    """What a question part is about, as the relevance model should read before a later part's
    pronouns: its words without the question and function words ("Since when is transport free
    for Tallinn residents" -> "transport free Tallinn residents")."""
    kept = [w for w in WORD.findall(part) if fold(w) not in STOPWORDS and fold(w) not in QUESTION_WORDS]
    return " ".join(kept) or part


def _part_intent(part: str, about: str) -> Intent:
    """A part's own kind of answer, with the words of what it refers back to."""
    own, context = analyse(part), analyse(about)
    return replace(
        context,
        kind=own.kind,
        counted=own.counted,
        aggregate=own.aggregate,
        per_unit=own.per_unit,
        money=own.money,
        share=own.share,
    )


def _dominant(passages: Sequence[ScoredChunk], practice: str) -> bool:
    if not passages:
        return False
    return sum(1 for p in passages if p.chunk.practice_id == practice) / len(passages) >= DOMINANT_SHARE


def _place_terms(passage: ScoredChunk) -> frozenset[str]:
    """The terms of a practice's country and region, and the country's adjective ("Lithuanian")."""
    meta = passage.chunk.metadata
    terms = set(content_terms(" ".join(meta.get(key, "") for key in ("country", "region"))))
    country = fold(meta.get("country", ""))
    terms |= {stem(demonym) for demonym, name in DEMONYMS.items() if name == country}
    return frozenset(terms)


def _shortlist(intent: Intent, own: list[Sentence], weights: dict[str, float]) -> list[Sentence]:
    """The CHOICE_SENTENCES sentences that share most of the question's (weighted) words, in
    their order."""
    if len(own) <= CHOICE_SENTENCES:
        return own
    terms = [t for t in intent.terms if t in weights]
    shared = [share(terms, weights, s.terms) for s in own]
    best = sorted(range(len(own)), key=lambda i: -shared[i])[:CHOICE_SENTENCES]
    return [own[i] for i in sorted(best)]


def _unique(chosen: list[Sentence]) -> list[Sentence]:
    result: list[Sentence] = []
    for s in chosen:
        if all(not s.overlaps(x) for x in result):
            result.append(s)
    return result


def render(chosen: list[Sentence], *, abstained: bool, lead: Sentence | None = None) -> Reply:
    """The sentences as an answer, practices in the order chosen, each in document order (`lead`,
    the one that answers, first), each sentence cited; an abstention citing what the document
    says it lacks says so first."""
    order: dict[str, int] = {}
    for s in chosen:
        order.setdefault(s.practice, len(order))
    chosen = sorted(chosen, key=lambda s: (order[s.practice], s is not lead, s.start))
    citations: list[Citation] = []
    lines: list[str] = []
    current = None
    for n, s in enumerate(chosen, 1):
        citations.append(cite(n, s.passage, s.start, s.end))
        text = plain(s)
        if s.practice != current:
            current = s.practice
            lines.append(f"{s.title}: {text} [{n}]")
        else:
            lines[-1] += f" {text} [{n}]"
    text = "\n".join(lines)
    if abstained:
        text = "The documents do not give this. " + text
    return Reply(text, citations, abstained)
