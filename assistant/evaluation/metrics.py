"""Scoring one answer against its test row, and aggregating the scores."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.answering.citations import claims, unsupported_numbers
from assistant.evaluation.testset import EvalRow
from assistant.types import Answer
from assistant.vocabulary import fold, normalise_numbers

# metric -> True when higher is better. The order is the table's column order.
METRICS: dict[str, bool] = {
    "recall": True,
    "hit": True,
    "mrr": True,
    "accuracy": True,
    "abstention": True,
    "false_abstention": False,
    "citation_precision": True,
    "citation_support": True,
    "latency_p50": False,
    "latency_p95": False,
}
LABELS = {
    "recall": "recall@k",
    "hit": "hit@k",
    "mrr": "MRR",
    "accuracy": "accuracy",
    "abstention": "abstain",
    "false_abstention": "false-abst",
    "citation_precision": "cite-prec",
    "citation_support": "cite-supp",
    "latency_p50": "p50 ms",
    "latency_p95": "p95 ms",
}
OVERALL = "overall"


def _match_form(text: str) -> str:
    text = fold(normalise_numbers(text))
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # dashes
    text = re.sub(r"\s+%", "%", text)
    return re.sub(r"\s+", " ", text)


def contains(answer: str, needle: str) -> bool:
    """needle is in answer: case- and accent-insensitive, numbers normalised ('100 000' =
    '100,000' = '100000', 'eight' = '8'); a number never matches inside a longer one ('8' is not
    in '86' or '8.5')."""
    hay, pin = _match_form(answer), _match_form(needle).strip()
    if not pin:
        return True
    pattern = re.escape(pin)
    if pin[0].isdigit():
        pattern = r"(?<!\d)(?<!\d[.,])" + pattern
    if pin[-1].isdigit():
        pattern += r"(?![.,]?\d)"
    return re.search(pattern, hay) is not None


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def score_answer(row: EvalRow, answer: Answer | None, k: int) -> dict[str, float | None]:
    """The row's scores (None where the row does not score that metric)."""
    scores: dict[str, float | None] = dict.fromkeys(
        (
            "recall",
            "hit",
            "mrr",
            "accuracy",
            "abstention",
            "false_abstention",
            "citation_precision",
            "citation_support",
        )
    )
    abstained = answer is None or answer.abstained
    retrieved = [p.chunk.source for p in answer.passages[:k]] if answer else []
    # an empty must_include expects "the documents do not say"; with sources, the practice exists
    # but does not state the asked detail (a near-miss), and retrieval is still scored
    expects_abstention = row.must_include == [] or row.sources == []
    if row.sources:
        wanted = set(row.sources)
        scores["recall"] = len(wanted & set(retrieved)) / len(wanted)
        scores["hit"] = 1.0 if wanted & set(retrieved) else 0.0
        rank = next((i for i, s in enumerate(retrieved, 1) if s in wanted), None)
        scores["mrr"] = 1.0 / rank if rank else 0.0
    if row.sources is not None or row.must_include is not None:
        if expects_abstention:
            scores["abstention"] = 1.0 if abstained else 0.0
        elif row.sources:
            scores["false_abstention"] = 1.0 if abstained else 0.0
    if row.must_include and row.sources != []:
        text = "" if answer is None or abstained else answer.text
        scores["accuracy"] = 1.0 if all(contains(text, m) for m in row.must_include) else 0.0
    if answer is not None and not answer.abstained:
        cited = {c.source for c in answer.citations}
        if cited and row.sources:
            scores["citation_precision"] = len(cited & set(row.sources)) / len(cited)
        cited_claims = [c for c in claims(answer.text) if c.markers]
        if cited_claims:
            known = {c.n for c in answer.citations}
            supported = sum(
                1
                for c in cited_claims
                if all(n in known for n in c.markers) and not unsupported_numbers(c, answer.citations)
            )
            scores["citation_support"] = supported / len(cited_claims)
    return scores


# -- running -----------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: EvalRow
    answer: Answer | None
    latency_ms: float
    scores: dict[str, float | None]
    error: str | None = None
    first_text_ms: float | None = None  # streamed: when the first text reached the user
    first_token_ms: float | None = None  # generated answers: the model's first token
    prompt_tokens: int | None = None  # generated answers: the prompt the model read

    def to_dict(self, k: int) -> dict[str, Any]:
        answer = self.answer
        data: dict[str, Any] = {
            "id": self.row.id,
            "question": self.row.question,
            "type": self.row.type,
            "route": answer.route if answer else None,
            "answer": answer.text if answer else "",
            "abstained": answer.abstained if answer else True,
            "citations": [c.to_dict() for c in answer.citations] if answer else [],
            "retrieved": [
                {"source": p.chunk.source, "section": p.chunk.section, "score": round(p.score, 4)}
                for p in (answer.passages[:k] if answer else [])
            ],
            "scores": self.scores,
            "latency_ms": round(self.latency_ms, 1),
        }
        if self.row.must_include is not None:
            data["must_include"] = self.row.must_include
        if self.row.sources is not None:
            data["sources"] = self.row.sources
        if self.error:
            data["error"] = self.error
        for key in ("first_text_ms", "first_token_ms"):
            value = getattr(self, key)
            if value is not None:
                data[key] = round(value, 1)
        if self.prompt_tokens is not None:
            data["prompt_tokens"] = self.prompt_tokens
        return data


def percentile(values: Sequence[float], q: float) -> float | None:
    """numpy's linear-interpolated percentile (q in 0..100); None for no values."""
    return float(np.percentile(values, q)) if len(values) else None


def _aggregate(results: Sequence[RowResult]) -> dict[str, Any]:
    group: dict[str, Any] = {"n": len(results)}
    counts: dict[str, int] = {}
    for metric in METRICS:
        if metric.startswith("latency"):
            continue
        values = [r.scores[metric] for r in results if r.scores.get(metric) is not None]
        group[metric] = sum(values) / len(values) if values else None  # type: ignore[arg-type]
        counts[metric] = len(values)
    latencies = [r.latency_ms for r in results]
    group["latency_p50"] = percentile(latencies, 50)
    group["latency_p95"] = percentile(latencies, 95)
    # streamed runs only (None otherwise): first text for everyone, the model's first token and
    # prompt length over the questions that reached the model
    first_texts = [r.first_text_ms for r in results if r.first_text_ms is not None]
    group["first_text_p50"] = percentile(first_texts, 50)
    first_tokens = [r.first_token_ms for r in results if r.first_token_ms is not None]
    group["first_token_p50"] = percentile(first_tokens, 50)
    group["model_calls"] = len(first_tokens)
    prompts = [float(r.prompt_tokens) for r in results if r.prompt_tokens is not None]
    group["prompt_tokens_p50"] = percentile(prompts, 50)
    group["prompt_tokens_max"] = max(prompts) if prompts else None
    group["counts"] = counts
    return group


def summarise(results: Sequence[RowResult], **info: Any) -> dict[str, Any]:
    """{"overall": {...}, "by_type": {type: {...}}, **info}: each metric's mean over the rows it
    applies to (None when none do), `n`, per-metric `counts`, latency p50/p95 in ms."""
    types: dict[str, list[RowResult]] = {}
    for result in results:
        types.setdefault(result.row.type, []).append(result)
    return {
        **info,
        "overall": _aggregate(results),
        "by_type": {t: _aggregate(rs) for t, rs in types.items()},
        "errors": [{"id": r.row.id, "error": r.error} for r in results if r.error],
    }
