"""How well each sentence answers a question (or one part of it): the learned relevance, plus the
template's section that the question asks about, plus how much of the question it names.

The weights, on the relevance scale (the cross-encoder's logit; about -11 unrelated, 0 on topic,
+5 and more answering), are named here and calibrated on the development questions only:
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answering.relevance import Relevance
from assistant.answering.sentences import Sentence
from assistant.question import Intent
from assistant.vocabulary import sentence_spans

SECTION_WEIGHT = 3.0  # the sentence stands in the template section the question asks about
LEXICAL_WEIGHT = 3.0  # times the idf share of the question's terms that the sentence names
REFERENCE_PENALTY = 2.0  # contact and source sections rarely answer a question
REFERENCE_SECTIONS = ("Further information", "Good practice owner")
TITLE_DISCOUNT = 0.3  # within one practice, its own name tells its sentences apart least
# with no relevance model, the words stand in for it: naming half the question scores 0 (on topic)
WORDS_ONLY_SCALE = 10.0


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    relevance: float  # the learned signal alone
    score: float  # relevance + section + words


def in_context(sentence: Sentence) -> str:
    """The sentence as the relevance model reads it: after its practice's title, so that "it
    employs 4 people" is about the practice the question names (the model reads no coreference)."""
    return f"{sentence.title}: {sentence.text}"


def _sentences_of(query: str) -> list[str]:
    spans = sentence_spans(query)
    return [query[a:b] for a, b in spans] if len(spans) > 1 else []


def idf(terms: Sequence[str], found: Sequence[Sentence]) -> dict[str, float]:
    n = len(found)
    return {t: math.log(1 + n / (1 + sum(1 for s in found if t in s.terms))) for t in terms}


def share(terms: Sequence[str], weights: dict[str, float], named: frozenset[str] | set[str]) -> float:
    """The weighted share of the terms that `named` contains."""
    total = sum(weights.get(t, 0.0) for t in terms) or 1.0
    return sum(weights.get(t, 0.0) for t in terms if t in named) / total


def score(
    relevance: Relevance | None,
    query: str,
    intent: Intent,
    own: Sequence[Sentence],
    weights: dict[str, float],
    title_terms: frozenset[str] = frozenset(),
) -> list[Scored]:
    """The sentences scored for the query, best first. Without a relevance model (unit tests with
    no embedder) the words and the section decide alone."""
    if not own:
        return []
    terms = list(dict.fromkeys(t for t in intent.terms if t in weights))
    local = {t: weights[t] * (TITLE_DISCOUNT if t in title_terms else 1.0) for t in terms}
    if relevance is not None:
        texts = [in_context(s) for s in own]
        learned = relevance.scores(query, texts, foreign=intent.foreign)
        # "We are a rural region ... Would it fit us?": the model reads short queries best, so
        # each sentence of a question that has several counts on its own too
        for asked in _sentences_of(query):
            learned = np.maximum(learned, relevance.scores(asked, texts, foreign=intent.foreign))
    else:
        learned = np.array([WORDS_ONLY_SCALE * (share(terms, weights, s.terms) - 0.5) for s in own])
    result = []
    for s, rel in zip(own, learned, strict=True):
        value = float(rel) + LEXICAL_WEIGHT * share(terms, local, s.terms)
        if s.section in intent.sections:
            value += SECTION_WEIGHT
        if s.section in REFERENCE_SECTIONS:
            value -= REFERENCE_PENALTY
        result.append(Scored(s, float(rel), value))
    result.sort(key=lambda c: c.score, reverse=True)
    return result
