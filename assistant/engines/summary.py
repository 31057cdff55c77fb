"""The summary engine: one practice in the asked number of points (four by default), one cited
point per template section that matters: what it is, the resources it needs, the evidence of its
success, its potential for transfer.

A point is the section's most informative sentences (at most two, in document order): the ones
that state figures, dates and names, and share the words the section is about; a sentence that
only says what the source does not give is never chosen. More points than sections take the next
sentences of "what it is" and "evidence"; fewer take the sections in the order what it is,
evidence, resources, transfer, shown in the template's order.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.answering.base import Draft
from assistant.engines import forms
from assistant.engines.base import Asked, declined
from assistant.engines.index import Entry, PracticeIndex, Sentence
from assistant.engines.relevance import Relevance
from assistant.engines.render import Citer, short_title
from assistant.question import is_foreign
from assistant.retrieval.base import Retriever
from assistant.types import SECTION_NAMES, TextDelta
from assistant.vocabulary import YEAR, content_terms, numbers

DEFAULT_POINTS = 4
MAX_POINTS = 8
POINT_CHARS = 560  # a point's sentences stay under this
POINT_SENTENCES = 3
MIN_RELEVANCE = 0.25  # retrieval score for a practice described rather than named
# ... and the learned relevance of the question to one of its sentences (cross-encoder logits: about
# -11 unrelated, 0 on topic; the catalog's topic floor): "Summarise the latest Harry Potter book"
# finds some practice by retrieval (its best sentence -11), but is not about it
ON_TOPIC = -4.0
OPENING_SENTENCES = 5
# (label, section) in the template's order; the order of importance is IMPORTANCE
SECTIONS = (
    ("What it is", SECTION_NAMES[0]),
    ("Resources", SECTION_NAMES[2]),
    ("Evidence", SECTION_NAMES[3]),
    ("Transfer", SECTION_NAMES[4]),
)
IMPORTANCE = (0, 2, 1, 3)
_SILENT = re.compile(
    r"\b(not (stated|given|available|specified|reported|known)|does not (give|state|say|report)|"
    r"no ([\w-]+ ){0,3}(data|figures?|information|evaluations?))\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][\w&'’-]+|\b[A-Z]{2,}[\w-]*")


# what each section is for, as a question the relevance signal reads with each sentence
INTENTS = {
    "What it is": "What is {title}, who runs it and how does it work?",
    "Resources": "How much money, funding and staff does {title} need?",
    "Evidence": "What results and impact has {title} achieved?",
    "Transfer": "What can other regions learn from {title}, and under which conditions?",
    "Point": "What is {title} and what has it achieved?",
}
RELEVANCE_WEIGHT = 0.25  # per logit point of the relevance signal


@dataclass
class SummaryEngine:
    index: PracticeIndex
    retriever: Retriever | None = None
    relevance: Relevance | None = None

    def warm_up(self) -> None:
        self.index.snapshot()
        warm = getattr(self.relevance, "warm_up", None)
        if warm:
            warm()

    def stream(self, asked: Asked) -> Iterator[TextDelta | Draft]:
        started = time.perf_counter()
        snapshot = self.index.snapshot()
        ids = list(asked.focus.named) or list(asked.focus.carried)
        if not ids and self.retriever is not None:
            passages = self.retriever.retrieve(asked.question.query, k=5)
            if passages and passages[0].score >= MIN_RELEVANCE:
                top = passages[0].chunk.practice_id
                if sum(p.chunk.practice_id == top for p in passages) >= 2 and self._about(
                    asked.text, snapshot.get(top)
                ):
                    ids = [top]
        entry = snapshot.get(ids[0]) if len(ids) == 1 else None
        if entry is None:
            yield declined()
            return
        found = time.perf_counter()
        wanted = min(forms.points_asked(asked.text) or DEFAULT_POINTS, MAX_POINTS)
        citer = Citer()
        points = summarise(entry, wanted, self.relevance)
        lines = [f"**{entry.title}** in {len(points)} point{'s' if len(points) != 1 else ''}:", ""]
        for label, sentences in points:
            markers = " ".join(f"[{citer.cite(entry, s)}]" for s in sentences)
            body = " ".join(" ".join(s.text.split()) for s in sentences)
            lines.append(f"- **{label}:** {body} {markers}")
        text = "\n".join(lines)
        yield TextDelta(text)
        yield Draft(text, citer.citations, passages=citer.passages, retrieve_ms=(found - started) * 1000)

    def _about(self, question: str, entry: Entry | None) -> bool:
        """Whether the question describes this practice: the relevance signal finds one of its
        sentences on the question's topic (English; in other languages retrieval decides alone)."""
        if entry is None or self.relevance is None or is_foreign(question):
            return entry is not None
        texts = [f"{entry.title}: {s.text}" for s in entry.sentences()]
        # the opening sentences say what it is; a description of another aspect ("the water
        # metering scheme on the Greek island") may need the rest
        for part in (texts[:OPENING_SENTENCES], texts[OPENING_SENTENCES:]):
            if part and max(self.relevance.score(question, part)) >= ON_TOPIC:
                return True
        return False


def _score(sentence: Sentence, common: Counter[str], position: int) -> float:
    """How much a sentence tells: figures, years and names it states, words it shares with its
    section, and a little for coming first."""
    text = sentence.text
    if _SILENT.search(text) or text.lower().startswith(("source:", "http")):
        return -1.0
    terms = set(content_terms(text))
    figures = len(numbers(text)) + len(YEAR.findall(text))
    names = len(set(_NAME.findall(text)))
    shared = sum(min(common[t], 3) for t in terms) / (len(terms) + 3)
    return 1.5 * min(figures, 4) + 0.7 * min(names, 4) + shared + (0.8 if position == 0 else 0.0)


def _ranked(entry: Entry, section: str, label: str, relevance: Relevance | None) -> list[Sentence]:
    sentences = [s for s in entry.sentences() if s.section == section]
    if not sentences:
        return []
    common: Counter[str] = Counter(t for s in sentences for t in set(content_terms(s.text)))
    learned = [0.0] * len(sentences)
    if relevance is not None:
        query = INTENTS[label].format(title=short_title(entry.title))
        learned = [
            RELEVANCE_WEIGHT * max(-10.0, min(10.0, x))
            for x in relevance.score(query, [s.text for s in sentences])
        ]
    scored = []
    for i, sentence in enumerate(sentences):
        own = _score(sentence, common, i)
        scored.append((own + learned[i] if own >= 0 else own, i, sentence))
    return [s for score, _, s in sorted(scored, key=lambda x: (-x[0], x[1])) if score > -1.0]


def summarise(
    entry: Entry, wanted: int, relevance: Relevance | None = None
) -> list[tuple[str, list[Sentence]]]:
    """(label, sentences) per point, in the template's order."""
    ranked = {label: _ranked(entry, section, label, relevance) for label, section in SECTIONS}
    if not any(ranked.values()):  # a document without the template: its most informative sentences
        first = entry.practice.sections[0].name if entry.practice.sections else ""
        ranked = {"Point": _ranked(entry, first, "Point", relevance)} if first else {}
    order = [SECTIONS[i][0] for i in IMPORTANCE if ranked.get(SECTIONS[i][0])] or list(ranked)
    chosen: dict[str, list[list[Sentence]]] = {}
    for label in order[:wanted]:
        chosen[label] = [_point(ranked[label])]
    extra = wanted - sum(len(v) for v in chosen.values())
    for label in [o for o in order if o in ("What it is", "Evidence", "Point")] * MAX_POINTS:
        if extra <= 0:
            break
        used = {s for point in chosen.get(label, []) for s in point}
        rest = [s for s in ranked[label] if s not in used]
        if rest:
            chosen.setdefault(label, []).append(_point(rest))
            extra -= 1
    out: list[tuple[str, list[Sentence]]] = []
    for label in [lbl for lbl, _ in SECTIONS] + ["Point"]:
        for point in chosen.get(label, []):
            out.append((label, sorted(point, key=lambda s: s.start)))
    return out


def _point(ranked: list[Sentence]) -> list[Sentence]:
    """The best sentence, and the next best ones that fit in one point with it."""
    point = [ranked[0]]
    for sentence in ranked[1:POINT_SENTENCES]:
        if sum(len(s.text) for s in point) + len(sentence.text) <= POINT_CHARS:
            point.append(sentence)
    return point
