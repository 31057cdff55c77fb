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
from assistant.engines.currency import Rates, rate_note
from assistant.engines.figures import (
    BASE_UNIT,
    MONEY,
    UNITS,
    YEAR,
    Condition,
    Figure,
    Measure,
    Reading,
    figures_of,
    measure_of,
    reading,
)
from assistant.engines.index import Entry, PracticeIndex, Sentence, Snapshot
from assistant.engines.names import without_names
from assistant.engines.relevance import Relevance, WordRelevance
from assistant.engines.render import Citer, excerpt, place_of, plural, table
from assistant.engines.scope import FORM_WORDS, KIND_WORDS, Scope, select
from assistant.question import expand, is_foreign
from assistant.retrieval.base import Retriever
from assistant.types import TextDelta
from assistant.vocabulary import content_terms, fold

log = logging.getLogger(__name__)

TOPIC_FLOOR = -4.0  # relevance below which a practice does not match a topic (cross-encoder logits)
TOPIC_GAP = 6.0  # ... nor when this far below the best match
TOPIC_SENTENCES = 2  # per practice, judged by the relevance signal
TOPIC_PRACTICES = 12  # practices judged per question (the best by their words)
SCAN_LIMIT = 300  # practices in scope up to which every sentence is read; above, retrieval narrows
RETRIEVED = 40  # passages retrieval proposes when it narrows
LONG_LIST = 20  # rows beyond which a list leaves out the description sentence
CORE_NOUNS = {"members": ("member", "memb", "membership"), "staff": ("staff", "employee", "team")}
QUOTED = 4  # practices without a figure up to which the answer quotes their nearest sentence
MORE_FIGURES = 3  # other figures of the same kind a listing shows beside the first
DESCRIBE_SENTENCES = 3  # per practice, read by the relevance signal to describe it
DESCRIBED = 8  # rows up to which a list shows the sentence that best answers the question
COUNTED = ("members", "staff", "beneficiaries")  # dimensions with a key fact kind of their own
JUDGED_SENTENCES = 40  # figure sentences up to which a ranking reads them with the relevance signal
RANK_GAP = 4.0  # learned relevance below the best figure's by more than this: ranked after it
_URL = re.compile(r"https?://|www\.")
_FIGURE_WORDS = re.compile(r"\b(figures?|numbers?|statistics|how (many|much|big|large)|amounts?|data)\b")
_ASKS_FIGURE = re.compile(
    r"\b(how (much|big|large|many)|what (is|are|was|were) (the|their|its) (\w+ )?(amounts?|budgets?|figures?|"
    r"numbers?|sizes?|values?|costs?)|and (what|how) (are|is|were|much|big|many)|how do the \w+ compare)\b"
)


@dataclass
class Match:
    """A practice in the answer, with the sentence that shows it belongs (topic) and its figure."""

    entry: Entry
    evidence: Sentence | None = None
    score: float = 0.0
    reading: Reading | None = None
    value: float | None = None  # the figure on the common scale (money converted)


@dataclass
class CatalogEngine:
    """Answers questions about the collection as a whole."""

    index: PracticeIndex
    relevance: Relevance = field(default_factory=WordRelevance)
    retriever: Retriever | None = None  # narrows topical candidates in a large store
    rates: Rates = field(default_factory=Rates)
    topic_floor: float = TOPIC_FLOOR
    topic_gap: float = TOPIC_GAP

    def warm_up(self) -> None:
        self.index.snapshot()
        warm = getattr(self.relevance, "warm_up", None)
        if warm:
            warm()

    def stream(self, asked: Asked) -> Iterator[TextDelta | Draft]:
        started = time.perf_counter()
        snapshot = self.index.snapshot()
        question = asked.text
        named = list(asked.focus.named) or list(asked.focus.carried)
        plain = without_names(question, snapshot) if len(named) >= 2 else question
        measure = measure_of(plain)
        if measure is not None and not (
            measure.condition
            or forms.superlative(plain)
            or forms.comparative(plain)
            or _ASKS_FIGURE.search(fold(plain))
        ):
            measure = None
        scope = select(
            question, snapshot, named=named, measure_words=measure.words if measure else frozenset()
        )
        if measure is not None:  # the words that chose the practices do not also choose their figures
            measure = replace(measure, words=measure.words - scope.consumed - FORM_WORDS - KIND_WORDS)
        if not (scope.restricted or scope.topic or measure):
            yield declined()
            return
        citer = Citer()
        matches = [Match(e) for e in scope.entries]
        if scope.topic:
            matches = self.topical(question, matches, scope, snapshot)
        selected = time.perf_counter()
        if measure is None:
            if len(matches) <= DESCRIBED and any(m.evidence is None for m in matches):
                self._describe(question, matches, scope.consumed)
            text = _listing(question, scope, matches, citer, counting=forms.counts(question))
        else:
            text = self._measured(question, plain, scope, matches, measure, citer)
        yield TextDelta(text)
        yield Draft(
            text,
            citer.citations,
            passages=citer.passages,
            retrieve_ms=(selected - started) * 1000,
        )

    # -- topic ---------------------------------------------------------------------------------

    def topical(self, question: str, matches: list[Match], scope: Scope, snapshot: Snapshot) -> list[Match]:
        """The practices whose sentences the relevance signal finds on the question's topic, each
        with its best sentence. A topic no practice matches is taken as wording: every practice of
        the scope stays (without evidence)."""
        if is_foreign(question) or not matches:
            return self._by_retrieval(question, matches) or matches
        if len(matches) > SCAN_LIMIT and self.retriever is not None:
            found = {p.chunk.practice_id for p in self.retriever.retrieve(question, k=RETRIEVED)}
            matches = [m for m in matches if m.entry.id in found]
        terms = list(scope.topic)
        weights = _weights(terms, [m.entry for m in matches])
        candidates: list[tuple[float, Match, list[Sentence]]] = []
        for match in matches:
            scored = []
            for sentence, have in _sentence_terms(match.entry):
                hit = sum(weights[t] for t in terms if related(t, have))
                if hit > 0:
                    scored.append((hit, sentence))
            if scored:
                scored.sort(key=lambda item: -item[0])
                top = scored[0][0]
                chosen = [s for hit, s in scored[:TOPIC_SENTENCES] if hit >= top / 2]
                candidates.append((top, match, chosen))
        candidates.sort(key=lambda item: -item[0])
        candidates = candidates[:TOPIC_PRACTICES]
        if not candidates:
            return matches
        texts = [s.text for _, _, sentences in candidates for s in sentences]
        scores = self.relevance.score(question, texts)
        judged: list[Match] = []
        position = 0
        for _, match, sentences in candidates:
            own = scores[position : position + len(sentences)]
            position += len(sentences)
            best = max(range(len(own)), key=lambda i: own[i])
            judged.append(Match(match.entry, sentences[best], own[best]))
        top = max(m.score for m in judged)
        kept = [m for m in judged if m.score >= max(self.topic_floor, top - self.topic_gap)]
        if not kept:
            return matches
        kept.sort(key=lambda m: -m.score)
        return kept

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
        weights = _weights(terms, [m.entry for m in matches] + list(self.index.snapshot().entries[:200]))
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
                    for i, (s, have) in enumerate(_sentence_terms(match.entry))
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
        position = 0
        for match, chosen in pending:
            own = scores[position : position + len(chosen)]
            position += len(chosen)
            match.evidence = chosen[max(range(len(own)), key=lambda i: own[i])]

    # -- measures ------------------------------------------------------------------------------

    def _judge(
        self, question: str, matches: list[Match], measure: Measure
    ) -> dict[tuple[str, int], float] | None:
        """The learned relevance of each sentence that states a figure for the measure, when
        there are few enough to read (a ranking: which figure answers "the most funding won for
        members' projects" is a matter of meaning, not of words)."""
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
    ) -> str:
        target = (measure.condition.currency if measure.condition else None) or "EUR"
        converted: set[str] = set()

        def base(figure: Figure) -> float:
            if measure.dimension != MONEY or not figure.currency or figure.currency == target:
                return figure.value
            try:
                return self.rates.convert(figure.value, figure.currency, target).value
            except ValueError:
                return float("nan")

        judged = self._judge(plain, matches, measure) if measure.condition is None else None
        stated: list[Match] = []
        missing: list[Match] = []
        for match in matches:
            found = reading(match.entry, measure, base, judged)
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
            text = _filtered(question, scope, stated, missing, measure, measure.condition, citer, target)
        else:
            listing = not (forms.superlative(plain) or forms.comparative(plain))
            text = _ranked(question, scope, stated, missing, measure, citer, target, listing=listing)
        note = rate_note(self.rates.date if converted else None, converted | {target}, target)
        return text + (f"\n\n{note}" if note else "")


# -- answers -------------------------------------------------------------------------------------


def _sentence_terms(entry: Entry) -> list[tuple[Sentence, set[str]]]:
    cached = getattr(entry, "_terms", None)
    if cached is None:
        cached = [
            (s, set(content_terms(s.text)))
            for s in entry.sentences()
            if s.section.lower() not in ("further information", "good practice owner")
            and not _URL.search(s.text)
        ]
        entry._terms = cached  # type: ignore[attr-defined]
    return cached


def related(term: str, have: set[str]) -> bool:
    """A text with these words uses the term: the word, a word of its concept class, or a word
    one of them begins ("compet" in "competition", "region" in "regional")."""
    if not expand(term).isdisjoint(have):
        return True
    if len(term) < 5:
        return False
    return any(len(word) >= 5 and (word.startswith(term) or term.startswith(word)) for word in have)


def _weights(terms: Sequence[str], entries: Sequence[Entry]) -> dict[str, float]:
    """Rarer topic words weigh more: 1 / (share of practices that use the word)."""
    out = {}
    n = max(len(entries), 1)
    for term in terms:
        df = sum(1 for e in entries if any(related(term, have) for _, have in _sentence_terms(e)))
        out[term] = n / (df + 1)
    return out


def _predicate(question: str) -> str:
    """What the question says of the practices: 'Which practices involve district heating?' ->
    'involve district heating'."""
    first = re.split(r"(?<=[?.!])\s", question.strip())[0].rstrip("?.! ")
    first = re.split(r",?\s+and\s+(?=(what|how|which|who|when|where|why)\b)", first, flags=re.IGNORECASE)[0]
    match = re.search(r"\b(" + forms.KINDS + r"|practice)\b(.*)$", first, re.IGNORECASE)
    rest = match.group(2).strip() if match else ""
    rest = re.sub(r"^(are there|are|is|in the collection)\b\s*", lambda m: m.group(0), rest)
    return rest


def _mentions_scope(predicate: str, scope: Scope) -> bool:
    folded = fold(predicate)
    words = [*scope.regions, *scope.themes]
    return (
        bool(scope.places and any(folded[a:b].strip() for a, b in scope.places.spans if a < len(folded)))
        and (any(fold(w) in folded for w in words) or not words)
        and _predicate_has_place(predicate, scope)
    )


def _predicate_has_place(predicate: str, scope: Scope) -> bool:
    from assistant.engines.geography import places

    return set(places(predicate).countries) >= set(scope.places.countries)


def _row_label(entry: Entry) -> str:
    return f"**{entry.title}** ({place_of(entry)})"


def _listing(question: str, scope: Scope, matches: list[Match], citer: Citer, *, counting: bool) -> str:
    predicate = _predicate(question) or scope.describe()
    n = len(matches)
    if n == 0:
        return f"No practice in the collection matches: {question.strip()}"
    head = f"{plural(n, 'practice')} {predicate}".strip()
    described = scope.describe()
    if described and described not in head and not _mentions_scope(predicate, scope):
        head += f" ({described})"
    head += ":"
    lines = [head, ""]
    for match in matches:
        entry = match.entry
        if match.evidence is not None and n <= LONG_LIST:
            marker = citer.cite(entry, match.evidence)
            lines.append(f"- **{entry.title}**: {excerpt(match.evidence)} [{marker}] ({place_of(entry)})")
        elif n <= LONG_LIST:
            first = next((s for s in entry.sentences() if not s.section.lower().startswith("further")), None)
            if first is not None:
                marker = citer.cite(entry, first)
                lines.append(
                    f"- **{entry.title}**: {excerpt(first, limit=160)} [{marker}] ({place_of(entry)})"
                )
            else:
                lines.append(f"- {_row_label(entry)}")
        else:
            citer.read(entry, entry.practice.sections[0].name if entry.practice.sections else "Document")
            lines.append(f"- {_row_label(entry)}")
    return "\n".join(lines)


def _figure_cell(
    figure: Figure, measure: Measure, value: float | None, target: str, citer: Citer, entry: Entry
) -> str:
    marker = citer.cite(entry, figure.sentence)
    shown = figure.display
    if figure.derived:
        shown = f"{_base_display(figure.value, measure)} ({figure.derived})"
    if measure.dimension == MONEY and figure.currency and figure.currency != target and value is not None:
        shown += f" (≈ {target} {_amount(value)})"
    return f"{shown} [{marker}]"


def _amount(value: float) -> str:
    if value >= 1e9:
        return f"{value / 1e9:,.1f} billion".replace(".0 billion", " billion")
    if value >= 1e6:
        return f"{value / 1e6:,.1f} million".replace(".0 million", " million")
    return f"{value:,.0f}"


def _base_display(value: float, measure: Measure) -> str:
    if measure.dimension in UNITS:
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{number} {BASE_UNIT[measure.dimension]}"
    return f"{value:,.0f}"


def _meets(value: float, condition: Condition) -> bool:
    return {
        "<": value < condition.value,
        "<=": value <= condition.value,
        ">": value > condition.value,
        ">=": value >= condition.value,
    }[condition.op]


def _rows(
    matches: Sequence[Match], measure: Measure, target: str, citer: Citer, *, listing: bool = False
) -> list[list[str]]:
    rows = []
    for match in matches:
        assert match.reading is not None and match.reading.best is not None
        best = match.reading.best
        cells = [_figure_cell(best, measure, match.value, target, citer, match.entry)]
        if listing:  # every figure of the same kind ("up to EUR 10,000"; "up to EUR 50,000")
            for other in match.reading.others[:MORE_FIGURES]:
                if (
                    other.kind == best.kind
                    and other.per_unit == best.per_unit
                    and other.display != best.display
                ):
                    cells.append(_figure_cell(other, measure, None, target, citer, match.entry))
        rows.append(
            [
                f"**{match.entry.title}**",
                "; ".join(cells),
                excerpt(best.sentence, around=best.display.split(" ")[-1]),
                place_of(match.entry),
            ]
        )
    return rows


def _not_stated(missing: Sequence[Match], measure: Measure, citer: Citer, *, quote: bool = False) -> str:
    """The practices that give no figure; with `quote`, what the nearest sentence of each says
    on the matter (a member count may be missing while the members are described)."""
    if not missing:
        return ""
    quoted: list[str] = []
    names: list[str] = []
    for match in missing:
        entry = match.entry
        citer.read(entry, entry.practice.sections[0].name if entry.practice.sections else "Document")
        nearest = _nearest(entry, measure) if quote and len(missing) <= QUOTED else None
        if nearest is None:
            names.append(entry.title)
        else:
            said = [nearest, *_next_sentence(entry, nearest)]
            text = " ".join(f"{excerpt(s)} [{citer.cite(entry, s)}]" for s in said)
            quoted.append(f"- **{entry.title}** gives no figure; it says: {text}")
    lines = []
    if names:
        label = measure.label.lower()
        lines.append(f"Not stated ({label} not given in the document, so not counted): {'; '.join(names)}.")
    if quoted:
        lines += [f"Not stated ({measure.label.lower()}), so not counted:", *quoted]
    return "\n".join(lines)


def _next_sentence(entry: Entry, sentence: Sentence) -> list[Sentence]:
    """The sentence after this one in its section, when the two are short enough to quote."""
    sentences = entry.sentences()
    at = sentences.index(sentence)
    if at + 1 < len(sentences):
        following = sentences[at + 1]
        if following.section == sentence.section and len(sentence.text) + len(following.text) <= 520:
            return [following]
    return []


def _nearest(entry: Entry, measure: Measure) -> Sentence | None:
    """The sentence that speaks most of what the measure is about, if any does (its own nouns,
    "member", count three times the question's other words)."""
    words = [w for w in measure.words if w not in FORM_WORDS] or list(measure.noun)
    core = measure.noun or frozenset(CORE_NOUNS.get(measure.dimension, ()))
    best: tuple[int, Sentence] | None = None
    for sentence, have in _sentence_terms(entry):
        hits = sum(1 for w in words if related(w, have)) + 3 * sum(1 for w in core if w in have)
        if hits and (best is None or hits > best[0]):
            best = (hits, sentence)
    return best[1] if best else None


def _filtered(
    question: str,
    scope: Scope,
    stated: list[Match],
    missing: list[Match],
    measure: Measure,
    condition: Condition,
    citer: Citer,
    target: str,
) -> str:
    inside = [m for m in stated if m.value is not None and _meets(m.value, condition)]
    outside = [m for m in stated if m not in inside]
    order = (
        (lambda m: m.value)
        if measure.dimension == YEAR or condition.op.startswith("<")
        else (lambda m: -(m.value or 0))
    )
    inside.sort(key=order)
    outside.sort(key=order)
    total = len(stated) + len(missing)
    within = scope.describe()
    pool = f"{plural(total, 'practice')} {within}".strip()
    header = ["Practice", measure.label, "Evidence", "Place"]
    lines = []
    if inside:
        lines.append(f"{len(inside)} of the {pool} meet the condition ({condition.text}):")
        lines += ["", table(header, _rows(inside, measure, target, citer))]
    else:
        lines.append(f"None of the {pool} states a figure that meets the condition ({condition.text}).")
    if outside:
        lines += ["", "Outside the condition:", "", table(header, _rows(outside, measure, target, citer))]
    note = _not_stated(missing, measure, citer)
    if note:
        lines += ["", note]
    return "\n".join(lines)


def _ranked(
    question: str,
    scope: Scope,
    stated: list[Match],
    missing: list[Match],
    measure: Measure,
    citer: Citer,
    target: str,
    *,
    listing: bool = False,
) -> str:
    """A ranking (the first named, then every practice's figure) or, for "which practices ...,
    and what are the amounts", every figure of each practice, without a winner."""
    if not stated:
        pool = f"{plural(len(missing), 'practice')} {scope.describe()}".strip()
        return f"None of the {pool} states a figure for this ({measure.label.lower()})." + (
            "\n\n" + _not_stated(missing, measure, citer, quote=True) if missing else ""
        )
    # figures whose sentences match the question best are ranked first ("funding won for members'
    # projects" is not the members' turnover)
    best = {id(m): m.reading.best for m in stated if m.reading and m.reading.best}
    top = max(f.relevance for f in best.values())
    gap = RANK_GAP if top > 6 or any(f.relevance < 0 for f in best.values()) else 1
    tier = {key: int(f.relevance >= top - gap) for key, f in best.items()}
    stated.sort(key=lambda m: (-tier[id(m)], (m.value or 0) if measure.low else -(m.value or 0)))
    lines: list[str] = []
    if listing:
        lines.append(
            f"{plural(len(stated), 'practice')} {scope.describe()} "
            f"state a figure ({measure.label.lower()}):".replace("  ", " ")
        )
    else:
        first = stated[0]
        figure = best[id(first)]
        assert figure is not None
        cell_text = _figure_cell(figure, measure, first.value, target, citer, first.entry)
        rank_word = "lowest" if measure.low else "highest"
        if measure.dimension == YEAR:
            rank_word = "earliest" if measure.low else "latest"
        lines.append(f"**{first.entry.title}** has the {rank_word} figure: {cell_text}.")
    if len(stated) > 1 or missing or listing:
        rows = _rows(stated, measure, target, citer, listing=listing)
        lines += ["", table(["Practice", measure.label, "Evidence", "Place"], rows)]
    note = _not_stated(missing, measure, citer, quote=True)
    if note:
        lines += ["", note]
    return "\n".join(lines)
