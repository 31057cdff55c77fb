"""The offline default answerer: picks the sentences of the retrieved passages that answer the
question and cites each one. No language model; nothing is generated that the documents do not say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from assistant.citations import cite
from assistant.text import content_terms, numbers, sentence_spans, stem, words
from assistant.types import Citation, ScoredChunk

# Concept classes: a question word in one class is answered by a sentence using any word of it.
CONCEPTS: tuple[frozenset[str], ...] = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "staff employ employee employees people person personnel team teams worker workers fte "
        "full-time part-time expert experts manager managers",
        "cost costs budget budgets spend spent spending price funding fund funded financing "
        "finance financed invest investment invested eur euro euros million money grant grants paid",
        "found founded establish established set launched launch created start started began since",
        "member members membership compan companies firm firms organisation organisations partner",
        "result results outcome outcomes impact achieve achieved success evidence",
        "transfer transferable replicate replicated learning adopt adapt copy",
        "duration long months years year period lasted",
        "capacity output produce produces generate generates mw gwh kw",
        "voucher vouchers",
    )
)
QUANTITY_CUE = re.compile(
    r"\b(how (many|much|big|large|long|fast|often)|what (is|was|are|were) the (number|amount|"
    r"size|value|budget|cost|score|capacity)|when|which year|what year|since when|percentage|"
    r"worth|cost|budget)\b",
    re.IGNORECASE,
)


def expand(terms: set[str]) -> set[str]:
    """Terms plus every term that shares a concept class with one of them."""
    expanded = set(terms)
    for term in terms:
        for concept in CONCEPTS:
            if term in concept:
                expanded |= concept
    return expanded


@dataclass(frozen=True)
class Candidate:
    passage: ScoredChunk
    start: int
    end: int
    text: str
    score: float
    coverage: float


class ExtractiveAnswerer:
    """Selects and cites sentences. `answer()` returns (text, citations) or None to abstain."""

    def __init__(
        self,
        embeddings: Embeddings | None = None,
        *,
        max_sentences: int = 3,
        min_coverage: float = 0.5,
        min_score: float = 0.35,
    ) -> None:
        self.embeddings = embeddings
        self.max_sentences = max_sentences
        self.min_coverage = min_coverage
        self.min_score = min_score

    def candidates(self, question: str, passages: Sequence[ScoredChunk]) -> list[Candidate]:
        q_terms = set(content_terms(question))
        if not q_terms or not passages:
            return []
        # idf over the retrieved sentences: a term found everywhere tells little
        spans: list[tuple[ScoredChunk, int, int, str]] = []
        for passage in passages:
            chunk = passage.chunk
            for a, b in sentence_spans(chunk.text):
                text = chunk.text[a:b]
                if len(words(text)) >= 3:
                    spans.append((passage, chunk.start + a, chunk.start + b, text))
        if not spans:
            return []
        sentence_terms = [set(content_terms(text)) for _, _, _, text in spans]
        n = len(spans)
        idf = {
            t: math.log(1 + n / (1 + sum(1 for terms in sentence_terms if t in expand({t}) & terms)))
            for t in q_terms
        }
        total = sum(idf.values()) or 1.0
        quantitative = bool(QUANTITY_CUE.search(question))
        similarities = self._similarities(question, [text for _, _, _, text in spans])
        top_score = max(p.score for p in passages) or 1.0
        result = []
        for (passage, start, end, text), terms, similarity in zip(spans, sentence_terms, similarities):
            context = set(content_terms(passage.chunk.title + " " + passage.chunk.section))
            own = {t for t in q_terms if expand({t}) & terms}
            covered = own | {t for t in q_terms if expand({t}) & context}
            lexical = sum(idf[t] for t in own) / total
            coverage = sum(idf[t] for t in covered) / total
            has_number = bool(numbers(text))
            score = (
                0.45 * similarity
                + 0.30 * lexical
                + 0.15 * coverage
                + 0.10 * (passage.score / top_score)
                + (0.08 if quantitative and has_number else 0.0)
                - (0.10 if quantitative and not has_number else 0.0)
            )
            result.append(Candidate(passage, start, end, text, score, coverage))
        result.sort(key=lambda c: c.score, reverse=True)
        return result

    def _similarities(self, question: str, texts: list[str]) -> list[float]:
        if self.embeddings is None:
            return [0.0] * len(texts)
        q = self.embeddings.embed_query(question)
        vectors = self.embeddings.embed_documents(texts)
        return [sum(a * b for a, b in zip(q, v)) for v in vectors]

    def answer(
        self, question: str, passages: Sequence[ScoredChunk]
    ) -> tuple[str, list[Citation]] | None:
        ranked = self.candidates(question, passages)
        if not ranked:
            return None
        best = ranked[0]
        if best.coverage < self.min_coverage or best.score < self.min_score:
            return None
        chosen = [best]
        for candidate in ranked[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if candidate.score < max(self.min_score, 0.8 * best.score):
                break
            if candidate.coverage < self.min_coverage:
                continue
            if any(_overlaps(candidate, c) for c in chosen):
                continue
            chosen.append(candidate)
        # practices in order of their best sentence; within one, best sentence first
        order = {c.passage.chunk.practice_id: i for i, c in reversed(list(enumerate(chosen)))}
        chosen.sort(key=lambda c: order[c.passage.chunk.practice_id])
        citations: list[Citation] = []
        lines: list[str] = []
        current_title = None
        for n, candidate in enumerate(chosen, 1):
            citations.append(cite(n, candidate.passage, candidate.start, candidate.end))
            sentence = candidate.text.lstrip("•-–* ").rstrip()
            if candidate.passage.chunk.title != current_title:
                current_title = candidate.passage.chunk.title
                lines.append(f"{current_title}: {sentence} [{n}]")
            else:
                lines[-1] += f" {sentence} [{n}]"
        return "\n".join(lines), citations


def _overlaps(a: Candidate, b: Candidate) -> bool:
    same = a.passage.chunk.practice_id == b.passage.chunk.practice_id
    return same and a.start < b.end and b.start < a.end
