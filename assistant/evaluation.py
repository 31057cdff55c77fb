"""Evaluation: run a test set through an Assistant and score retrieval, answers and citations.

Test set rows are JSON lines, either Praxis style
``{"id", "question", "answer", "must_include", "sources", "type", "history"}`` or RAGAS style
``{"user_input", "reference", ...}`` (``user_input`` may also be a list of chat messages, the last
one being the question). Scores per row (None where a row cannot be scored on that metric):

- recall / hit / mrr: share of `sources` among the files of the top-k retrieved passages; any of
  them there; 1 / rank of the first retrieved passage from a `sources` file.
- accuracy: every `must_include` string is in the answer (case- and accent-insensitive, numbers
  normalised: "100 000" = "100,000" = "100000", "8" = "eight").
- abstention (rows with empty `sources`: unanswerable, out of scope) and false_abstention (rows
  with sources).
- citation_precision: share of the cited files that are in `sources`.
- citation_support: share of cited claims whose numbers all appear in their cited text.
- latency_ms: wall time of the answer; with an asker that streams (the Assistant), also
  first_text_ms (the first text a user sees), first_token_ms (the model's first token, generated
  answers only) and prompt_tokens (the model's prompt).

Several backends in one run (`praxis eval --backend extractive,llamacpp`): each is run and
summarised on its own, then `format_side_by_side` compares them.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from assistant.citations import claims, unsupported_numbers
from assistant.errors import PraxisError, TestsetError
from assistant.text import fold, normalise_numbers
from assistant.types import Answer, Message

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


class Asker(Protocol):
    def ask(
        self,
        question: str,
        *,
        history: Any = None,
        k: int | None = None,
        filters: dict[str, str] | None = None,
    ) -> Answer: ...


@dataclass
class EvalRow:
    """One test question."""

    id: str
    question: str
    type: str
    line: int
    history: list[Message] = field(default_factory=list)
    must_include: list[str] | None = None  # None: the row does not check the answer text
    sources: list[str] | None = None  # None: the row does not say where the answer is; []: nowhere
    reference: str | None = None
    filters: dict[str, str] = field(default_factory=dict)


# -- reading a test set ------------------------------------------------------------------------


def _string_list(value: Any, key: str, where: str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TestsetError(f"{where}: {key!r} must be a list of strings, got {value!r}")
    return list(value)


def _history(value: Any, where: str) -> list[Message]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TestsetError(f"{where}: 'history' must be a list of {{'role', 'content'}} turns")
    turns = []
    for turn in value:
        if not isinstance(turn, dict) or not isinstance(turn.get("content"), str):
            raise TestsetError(f"{where}: each history turn needs a 'content' string, got {turn!r}")
        role = str(turn.get("role") or turn.get("type") or "user").lower()
        role = {"human": "user", "ai": "assistant"}.get(role, role)
        if role not in ("user", "assistant"):
            raise TestsetError(f"{where}: history role must be 'user' or 'assistant', got {role!r}")
        turns.append(Message(role, turn["content"]))
    return turns


def parse_row(data: Any, line: int, where: str) -> EvalRow:
    """One test set line -> EvalRow. Raises TestsetError naming the line and what is wrong."""
    if not isinstance(data, dict):
        raise TestsetError(f"{where}: expected a JSON object, got {type(data).__name__}")
    history = _history(data.get("history"), where)
    question = data.get("question")
    if question is None and "user_input" in data:  # RAGAS
        question = data["user_input"]
        if isinstance(question, list):  # a RAGAS multi-turn sample: the last user turn asks
            turns = _history(question, where)
            if not turns or turns[-1].role != "user":
                raise TestsetError(f"{where}: a multi-turn 'user_input' must end with a user turn")
            history, question = turns[:-1], turns[-1].content
    if not isinstance(question, str) or not question.strip():
        raise TestsetError(f"{where}: needs a non-empty 'question' (or RAGAS 'user_input') string")
    reference = data.get("answer", data.get("reference"))
    if reference is not None and not isinstance(reference, str):
        raise TestsetError(f"{where}: 'answer'/'reference' must be a string")
    sources = _string_list(data.get("sources"), "sources", where)
    must_include = _string_list(data.get("must_include"), "must_include", where)
    filters = data.get("filters") or {}
    if not isinstance(filters, dict) or not all(isinstance(v, str) for v in filters.values()):
        raise TestsetError(f"{where}: 'filters' must be an object of strings")
    row_type = data.get("type") or ("unlabelled" if sources is None else "default")
    return EvalRow(
        id=str(data.get("id") or f"line-{line}"),
        question=question,
        type=str(row_type),
        line=line,
        history=history,
        must_include=must_include,
        sources=sources,
        reference=reference,
        filters={str(k): v for k, v in filters.items()},
    )


def load_testset(path: Path) -> list[EvalRow]:
    """Read a JSONL test set. Raises TestsetError naming the file and line of any bad row."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise TestsetError(f"test set {path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise TestsetError(f"test set {path} is not UTF-8 text: {exc.reason}") from exc
    except OSError as exc:
        raise TestsetError(f"cannot read test set {path}: {exc.strerror}") from exc
    rows: list[EvalRow] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TestsetError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
        row = parse_row(data, number, where)
        if row.id in seen:
            raise TestsetError(f"{where}: id {row.id!r} already used on line {seen[row.id]}")
        seen[row.id] = number
        rows.append(row)
    if not rows:
        raise TestsetError(f"test set {path} has no questions; write one JSON object per line")
    return rows


# -- scoring one answer ------------------------------------------------------------------------


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
    if row.sources is not None:
        if row.sources:
            wanted = set(row.sources)
            scores["recall"] = len(wanted & set(retrieved)) / len(wanted)
            scores["hit"] = 1.0 if wanted & set(retrieved) else 0.0
            rank = next((i for i, s in enumerate(retrieved, 1) if s in wanted), None)
            scores["mrr"] = 1.0 / rank if rank else 0.0
            scores["false_abstention"] = 1.0 if abstained else 0.0
        else:
            scores["abstention"] = 1.0 if abstained else 0.0
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


def _streamed(
    stream: Callable[..., Iterable[dict[str, Any]]], row: EvalRow, k: int, started: float
) -> RowResult:
    """Ask through the asker's event stream, timing the first text and reading the final answer."""
    answer: Answer | None = None
    first_text = None
    generation: dict[str, Any] = {}
    for event in stream(row.question, history=row.history, k=k, filters=row.filters or None):
        if event["type"] == "delta" and first_text is None and event["text"]:
            first_text = (time.perf_counter() - started) * 1000
        elif event["type"] == "answer":
            answer = event["answer"]
            generation = event.get("generation") or {}
    latency = (time.perf_counter() - started) * 1000
    result = RowResult(row, answer, latency, score_answer(row, answer, k))
    result.first_text_ms = first_text if first_text is not None else latency
    if answer is not None and "first_token" in answer.timings_ms:
        result.first_token_ms = answer.timings_ms["first_token"]
    if generation.get("model_called"):
        result.prompt_tokens = generation.get("prompt_tokens")
    return result


def run(
    asker: Asker,
    rows: Sequence[EvalRow],
    *,
    k: int = 5,
    progress: Callable[[int, int], None] | None = None,
) -> list[RowResult]:
    """Ask every row (with its history and filters) and score it. A question the assistant
    refuses (InvalidQuestion and other PraxisErrors) is recorded as an abstention with its error.
    An asker with `stream()` (the Assistant) is asked through it, as streaming users get answers,
    so the time to the first text and to the model's first token are measured too."""
    results: list[RowResult] = []
    stream = getattr(asker, "stream", None)
    for i, row in enumerate(rows, 1):
        started = time.perf_counter()
        try:
            if stream is not None:
                results.append(_streamed(stream, row, k, started))
            else:
                answer = asker.ask(row.question, history=row.history, k=k, filters=row.filters or None)
                latency = (time.perf_counter() - started) * 1000
                results.append(RowResult(row, answer, latency, score_answer(row, answer, k)))
        except PraxisError as exc:
            latency = (time.perf_counter() - started) * 1000
            results.append(RowResult(row, None, latency, score_answer(row, None, k), str(exc)))
        if progress:
            progress(i, len(rows))
    return results


# -- summarising -------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


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


def _cell(metric: str, value: Any) -> str:
    if value is None:
        return "-"
    if metric.startswith("latency"):
        return f"{value:.0f}"
    return f"{value:.2f}"


def _groups(summary: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [*summary["by_type"].items(), (OVERALL, summary["overall"])]


def format_table(summary: dict[str, Any]) -> str:
    """The summary as a fixed-width text table, one line per question type, then overall."""
    header = ["type", "n", *(LABELS[m] for m in METRICS)]
    lines = [
        [name, str(group["n"]), *(_cell(m, group.get(m)) for m in METRICS)]
        for name, group in _groups(summary)
    ]
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]

    def fmt(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs)

    rule = "-" * len(fmt(header))
    return "\n".join([fmt(header), rule, *(fmt(r) for r in lines[:-1]), rule, fmt(lines[-1])])


def format_markdown(summary: dict[str, Any]) -> str:
    """The summary as a Markdown table (for READMEs and closing notes)."""
    header = ["type", "n", *(LABELS[m] for m in METRICS)]
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, group in _groups(summary):
        cells = [
            f"**{name}**" if name == OVERALL else name,
            str(group["n"]),
            *(_cell(m, group.get(m)) for m in METRICS),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def _share(group: dict[str, Any], metric: str) -> str:
    value, count = group.get(metric), group.get("counts", {}).get(metric, 0)
    if value is None:
        return "-"
    return f"{value:.2f} ({round(value * count)}/{count})" if metric != "citation_precision" else (
        f"{value:.2f} ({count} answers)"
    )


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value / 1000:.2f} s"


def first_token_p50(group: dict[str, Any]) -> float | None:
    """Time to first token: the model's first token where a model answered, else the first text."""
    if group.get("model_calls"):
        return group.get("first_token_p50")  # type: ignore[no-any-return]
    return group.get("first_text_p50")  # type: ignore[no-any-return]


SIDE_BY_SIDE: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("questions", lambda g: str(g["n"])),
    ("must_include accuracy", lambda g: _share(g, "accuracy")),
    ("abstention (unanswerable)", lambda g: _share(g, "abstention")),
    ("false abstention (answerable)", lambda g: _share(g, "false_abstention")),
    ("citation precision", lambda g: _share(g, "citation_precision")),
    ("time to first token p50", lambda g: _seconds(first_token_p50(g))
     + (f" ({g['model_calls']} model calls)" if g.get("model_calls") else "")),
    ("time to first text p50", lambda g: _seconds(g.get("first_text_p50"))),
    ("total latency p50", lambda g: _seconds(g.get("latency_p50"))),
    ("prompt tokens p50 / max", lambda g: "-" if g.get("prompt_tokens_p50") is None
     else f"{g['prompt_tokens_p50']:.0f} / {g['prompt_tokens_max']:.0f}"),
]


def format_side_by_side(summaries: dict[str, dict[str, Any]], *, markdown: bool = False) -> str:
    """Backends side by side (overall figures): one row per measure, one column per backend.
    Time to first token is the model's first token for generated answers (over the questions
    that reached the model) and the first text for extractive ones."""
    names = list(summaries)
    rows = [[label, *(cell(summaries[n]["overall"]) for n in names)] for label, cell in SIDE_BY_SIDE]
    header = ["measure", *names]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join([*lines, *("| " + " | ".join(r) + " |" for r in rows)])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs)

    legend = ("time to first token: the model's first token for generated answers (questions that "
              "reached the model), the first text for extractive ones")
    return "\n".join([fmt(header), "-" * len(fmt(header)), *(fmt(r) for r in rows), legend])


def compare(summary: dict[str, Any], other: dict[str, Any]) -> str:
    """A table of this run's metrics with the change from `other` (+ better, - worse)."""
    header = ["type", *(LABELS[m] for m in METRICS)]
    lines = []
    other_groups = dict(_groups(other))
    for name, group in _groups(summary):
        before = other_groups.get(name, {})
        cells = [name]
        for metric in METRICS:
            now, then = group.get(metric), before.get(metric)
            if now is None:
                cells.append("-")
            elif then is None:
                cells.append(_cell(metric, now) + " (new)")
            else:
                delta = now - then
                sign = "+" if delta >= 0 else "-"
                unit = f"{abs(delta):.0f}" if metric.startswith("latency") else f"{abs(delta):.2f}"
                better = delta == 0 or (delta > 0) == METRICS[metric]
                cells.append(f"{_cell(metric, now)} ({sign}{unit}{'' if better else ' !'})")
        lines.append(cells)
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    fmt = lambda cells: "  ".join(  # noqa: E731
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))
    )
    legend = "change from the compared run in brackets; '!' marks a change for the worse"
    return "\n".join([fmt(header), *(fmt(r) for r in lines), legend])


# -- thresholds --------------------------------------------------------------------------------

_THRESHOLD = re.compile(r"^\s*([A-Za-z_0-9-]+)(?:@([^=]+?))?\s*=\s*([0-9]*\.?[0-9]+)\s*$")
ALIASES = {
    "precision": "citation_precision",
    "support": "citation_support",
    "p50": "latency_p50",
    "p95": "latency_p95",
}


@dataclass(frozen=True)
class Threshold:
    metric: str
    group: str  # a question type or "overall"
    value: float
    minimum: bool  # True: fail below value (--fail-under); False: fail above (--fail-over)

    def describe(self) -> str:
        where = "" if self.group == OVERALL else f"@{self.group}"
        return f"{self.metric}{where} {'>=' if self.minimum else '<='} {self.value:g}"


def parse_threshold(spec: str, *, minimum: bool = True) -> Threshold:
    """'recall=0.9' or 'recall@multilingual=0.9' -> Threshold. Raises TestsetError if malformed."""
    match = _THRESHOLD.match(spec)
    if match is None:
        raise TestsetError(f"threshold {spec!r} is not METRIC=VALUE or METRIC@TYPE=VALUE, e.g. recall=0.9")
    name = match.group(1).lower().replace("-", "_")
    metric = ALIASES.get(name, name)
    if metric not in METRICS:
        raise TestsetError(f"unknown metric {match.group(1)!r} in {spec!r}; use one of {', '.join(METRICS)}")
    return Threshold(metric, (match.group(2) or OVERALL).strip(), float(match.group(3)), minimum)


def check_thresholds(summary: dict[str, Any], thresholds: Iterable[Threshold]) -> list[str]:
    """The failed thresholds, as sentences; empty when all pass. A threshold on a type the test
    set does not have, or on a metric no row scored, fails (it cannot be shown to hold)."""
    failures = []
    for t in thresholds:
        group = summary["overall"] if t.group == OVERALL else summary["by_type"].get(t.group)
        if group is None:
            failures.append(f"{t.describe()}: the test set has no questions of type {t.group!r}")
            continue
        value = group.get(t.metric)
        if value is None:
            failures.append(f"{t.describe()}: no question scored {t.metric}")
        elif (value < t.value) if t.minimum else (value > t.value):
            failures.append(f"{t.describe()}: got {_cell(t.metric, value)}")
    return failures


# -- writing -----------------------------------------------------------------------------------


def write_results(out: Path, results: Sequence[RowResult], summary: dict[str, Any], *, k: int) -> None:
    """DIR/results.jsonl (one line per question), DIR/summary.json and DIR/report.html."""
    from assistant.report import render_report

    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        for result in results:
            handle.write(json.dumps(result.to_dict(k), ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / "report.html").write_text(
        render_report(summary, [r.to_dict(k) for r in results]), encoding="utf-8"
    )


def load_summary(path: Path) -> dict[str, Any]:
    """A summary.json written by an earlier run. Raises TestsetError when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TestsetError(f"--compare: {path} does not exist") from exc
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TestsetError(f"--compare: {path} is not a readable summary.json ({exc})") from exc
    if not isinstance(data, dict) or "overall" not in data or "by_type" not in data:
        raise TestsetError(f"--compare: {path} is not a summary.json written by praxis eval")
    return data
