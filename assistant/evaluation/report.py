"""Tables, comparisons and thresholds over evaluation summaries, and the result files."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import TestsetError
from assistant.evaluation.metrics import LABELS, METRICS, OVERALL, RowResult


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
    return (
        f"{value:.2f} ({round(value * count)}/{count})"
        if metric != "citation_precision"
        else (f"{value:.2f} ({count} answers)")
    )


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value / 1000:.2f} s"


def first_token_p50(group: dict[str, Any]) -> float | None:
    """Time to first token: the model's first token where a model answered, else the first text."""
    if group.get("model_calls"):
        return group.get("first_token_p50")
    return group.get("first_text_p50")


SIDE_BY_SIDE: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("questions", lambda g: str(g["n"])),
    ("must_include accuracy", lambda g: _share(g, "accuracy")),
    ("abstention (unanswerable)", lambda g: _share(g, "abstention")),
    ("false abstention (answerable)", lambda g: _share(g, "false_abstention")),
    ("citation precision", lambda g: _share(g, "citation_precision")),
    (
        "time to first token p50",
        lambda g: (
            _seconds(first_token_p50(g))
            + (f" ({g['model_calls']} model calls)" if g.get("model_calls") else "")
        ),
    ),
    ("time to first text p50", lambda g: _seconds(g.get("first_text_p50"))),
    ("total latency p50", lambda g: _seconds(g.get("latency_p50"))),
    (
        "prompt tokens p50 / max",
        lambda g: (
            "-"
            if g.get("prompt_tokens_p50") is None
            else f"{g['prompt_tokens_p50']:.0f} / {g['prompt_tokens_max']:.0f}"
        ),
    ),
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

    legend = (
        "time to first token: the model's first token for generated answers (questions that "
        "reached the model), the first text for extractive ones"
    )
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
    from assistant.evaluation.html import render_report

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
