"""The compare engine: exactly the practices the question (or the conversation) names, side by
side on the asked dimension, with a verdict ("which is older, cheaper, has more members") and why,
both figures cited. Without a measure in the question, the practices' start year, budget,
members and staff are set side by side, without a verdict.

A practice named by a description rather than its title ("the automotive cluster in Aragon") is
found by retrieval over that part of the question.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from assistant.answering.base import Draft
from assistant.engines import forms
from assistant.engines.base import Asked, declined
from assistant.engines.figures import Figure, Reading, reading
from assistant.engines.index import Entry, PracticeIndex, Snapshot
from assistant.engines.measures import (
    BENEFICIARIES,
    COUNT,
    DURATION,
    MEMBERS,
    MONEY,
    STAFF,
    YEAR,
    Measure,
    measure_of,
)
from assistant.engines.names import mentions, without_names
from assistant.engines.render import Citer, excerpt, short_title, table
from assistant.practices.currency import DatedRates, UnknownCurrency
from assistant.retrieval.base import Retriever
from assistant.types import TextDelta
from assistant.vocabulary import content_terms

MAX_PRACTICES = 5
MIN_SPAN_SCORE = 0.3  # retrieval score below which a described practice is not taken as found
OVERVIEW = (YEAR, MONEY, MEMBERS, STAFF)  # the dimensions shown when the question names none


@dataclass
class CompareEngine:
    index: PracticeIndex
    retriever: Retriever | None = None
    rates: DatedRates = field(default_factory=DatedRates)

    def warm_up(self) -> None:
        self.index.snapshot()

    def stream(self, asked: Asked) -> Iterator[TextDelta | Draft]:
        started = time.perf_counter()
        snapshot = self.index.snapshot()
        ids = list(asked.focus.named) or list(asked.focus.carried)
        if len(ids) < 2:
            ids = self._described(asked.text, snapshot, ids)
        entries = snapshot.ordered(ids)[:MAX_PRACTICES]
        if len(entries) < 2:
            yield declined()
            return
        plain = without_names(asked.text, snapshot)
        # the words that describe the practices ("the Šibenik tobacco warehouse conversion") do
        # not also describe the figure: only the measure's own words choose its sentences
        named = frozenset(t for part in forms.alternatives(asked.text) for t in content_terms(part))
        named |= frozenset().union(*(e.title_words | e.places for e in entries))
        measures = [replace(m, words=m.words - named) for m in _measures(plain)]
        found = time.perf_counter()
        citer = Citer()
        converted: set[str] = set()
        judged = False  # a verdict on at least one asked measure
        if measures:
            verdicts = [self._verdict(entries, m, citer, converted) for m in measures]
            text = "\n\n".join(v for v, _ in verdicts)
            judged = any(given for _, given in verdicts)
        else:
            text = self._overview(entries, citer, converted)
        note = self.rates.note(converted, "EUR")
        if note:
            text += f"\n\n{note}"
        yield TextDelta(text)
        # no verdict on what was asked: the documents do not state it (what they do state is cited)
        abstained = bool(measures) and not judged
        yield Draft(
            text,
            citer.citations,
            abstained=abstained,
            passages=citer.passages,
            retrieve_ms=(found - started) * 1000,
        )

    # -- which practices -------------------------------------------------------------------------

    def _described(self, question: str, snapshot: Snapshot, known: Sequence[str]) -> list[str]:
        """Practices named by description: each alternative of the question ("A or B") that no
        title names, looked up by retrieval."""
        ids = list(known)
        if self.retriever is None:
            return ids
        named_spans = [(m.start, m.end) for m in mentions(question, snapshot)]
        for part in forms.alternatives(question):
            start = question.find(part)
            if any(a < start + len(part) and start < b for a, b in named_spans):
                continue
            if len(content_terms(part)) < 2:
                continue
            passages = self.retriever.retrieve(part, k=3)
            if passages and passages[0].score >= MIN_SPAN_SCORE:
                pid = passages[0].chunk.practice_id
                if pid not in ids:
                    ids.append(pid)
        return ids

    # -- answers ---------------------------------------------------------------------------------

    def _base(self, measure: Measure, converted: set[str]) -> Callable[[Figure], float]:
        def base(figure: Figure) -> float:
            if measure.dimension != MONEY or not figure.currency or figure.currency == "EUR":
                return figure.value
            try:
                value = self.rates.convert(figure.value, figure.currency, "EUR").value
            except UnknownCurrency:
                return float("nan")
            converted.add(figure.currency)
            return value

        return base

    def _verdict(
        self, entries: Sequence[Entry], measure: Measure, citer: Citer, converted: set[str]
    ) -> tuple[str, bool]:
        """The verdict on one measure with its table, and whether a verdict could be given."""
        base = self._base(measure, converted)
        readings = [reading(e, measure, base) for e in entries]
        rows = [_row(r, measure, citer, base) for r in readings]
        stated = [r for r in readings if r.best is not None and base(r.best) == base(r.best)]
        lines: list[str] = []
        label = _label(measure)
        if len(stated) == len(readings):
            ordered = sorted(stated, key=lambda r: _value(r, base) if measure.low else -_value(r, base))
            first, second = ordered[0], ordered[1]
            assert first.best is not None and second.best is not None
            if _value(first, base) == _value(second, base):
                lines.append(
                    f"They are level on {label}: {_cited(first, citer)} against {_cited(second, citer)}."
                )
            else:
                lines.append(
                    f"**{short_title(first.entry.title)}** {_winner_phrase(measure)}: "
                    f"{_cited(first, citer)}, "
                    f"against {_cited(second, citer)} for {short_title(second.entry.title)}"
                    + ("" if len(ordered) == 2 else " (and the others below)")
                    + "."
                )
        else:
            silent = [short_title(r.entry.title) for r in readings if r not in stated]
            lines.append(f"No verdict on {label}: the documents do not state it for {' and '.join(silent)}.")
        lines += ["", table(["Practice", label.capitalize(), "Evidence"], rows)]
        return "\n".join(lines), len(stated) == len(readings)

    def _overview(self, entries: Sequence[Entry], citer: Citer, converted: set[str]) -> str:
        header = ["Practice", *(_label(Measure(d)).capitalize() for d in OVERVIEW)]
        rows = []
        for entry in entries:
            row = [f"**{entry.title}**"]
            for dimension in OVERVIEW:
                measure = Measure(dimension)
                found = reading(entry, measure, self._base(measure, converted))
                if found.best is None:
                    row.append("not stated")
                else:
                    row.append(f"{found.best.display} [{citer.cite(entry, found.best.sentence)}]")
            rows.append(row)
        return "Side by side (the question names no one measure, so no verdict):\n\n" + table(header, rows)


def _measures(question: str) -> list[Measure]:
    """The measures a comparison asks about ("differ in budget and per-company support": two)."""
    out: list[Measure] = []
    for part in re.split(r"\band\b|,", question):
        found = measure_of(part)
        if found is not None and not any(
            (m.dimension, m.per_unit) == (found.dimension, found.per_unit) for m in out
        ):
            low = forms.wants_low(question) if found.dimension != YEAR else found.low
            out.append(Measure(found.dimension, found.words, found.noun, found.per_unit, None, low))
    if not out:
        whole = measure_of(question)
        if whole is not None:
            out.append(whole)
    return out


def _label(measure: Measure) -> str:
    if measure.dimension == MONEY:
        return "amount per beneficiary" if measure.per_unit else "money"
    if measure.dimension == YEAR:
        return "start year"
    return measure.label[:1].lower() + measure.label[1:]


def _winner_phrase(measure: Measure) -> str:
    if measure.dimension == YEAR:
        return "is older (started earlier)" if measure.low else "is newer (started later)"
    if measure.dimension == MONEY:
        what = "per beneficiary" if measure.per_unit else ""
        return f"has less money {what}".strip() if measure.low else f"has more money {what}".strip()
    if measure.dimension == MEMBERS:
        return "has fewer members" if measure.low else "has more members"
    if measure.dimension == DURATION:
        return "runs for a shorter time" if measure.low else "runs for longer"
    if measure.dimension == STAFF:
        return "has fewer staff" if measure.low else "has more staff"
    if measure.dimension == BENEFICIARIES:
        return "reached fewer" if measure.low else "reached more"
    if measure.dimension == COUNT:
        return "has fewer" if measure.low else "has more"
    return f"has the {'lower' if measure.low else 'higher'} figure ({_label(measure)})"


def _cited(found: Reading, citer: Citer) -> str:
    assert found.best is not None
    return f"{found.best.display} [{citer.cite(found.entry, found.best.sentence)}]"


def _value(found: Reading, base: Callable[[Figure], float]) -> float:
    """The figure on one scale; "more than 80" a little above 80, "less than 80" a little below."""
    assert found.best is not None
    value = base(found.best)
    nudge = {"more than": 1e-6, "less than": -1e-6}.get(found.best.qualifier or "", 0.0)
    return value + abs(value) * nudge


def _row(found: Reading, measure: Measure, citer: Citer, base: Callable[[Figure], float]) -> list[str]:
    name = f"**{found.entry.title}**"
    if found.best is None:
        return [name, "not stated in the document", ""]
    figure = found.best
    shown = f"{figure.display} [{citer.cite(found.entry, figure.sentence)}]"
    if measure.dimension == MONEY and figure.currency and figure.currency != "EUR":
        value = base(figure)
        if value == value:
            shown += f" (≈ EUR {value:,.0f})"
    return [name, shown, excerpt(figure.sentence, around=figure.display.split(" ")[-1])]
