"""The evaluation's report.html: one self-contained page (inline SVG charts, no scripts, no network)."""

from __future__ import annotations

from html import escape
from typing import Any

from assistant.evaluation.metrics import LABELS, METRICS, OVERALL

RATE_METRICS = [m for m in METRICS if not m.startswith("latency")]
BAR_W, ROW_H, LABEL_W = 260, 20, 90

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:80rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}
td.text{text-align:left;max-width:36rem;white-space:pre-wrap}
tr.fail td{background:#fff2f0}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0;border:1px solid #ddd;padding:.5rem}
figcaption{font-weight:600;margin-bottom:.25rem}
.meta{color:#555;font-size:.9rem}
"""


def _fmt(metric: str, value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if metric.startswith("latency") else f"{value:.2f}"


def chart(name: str, group: dict[str, Any]) -> str:
    """An inline SVG bar chart of one question type's rate metrics (0..1)."""
    height = ROW_H * len(RATE_METRICS) + 10
    width = LABEL_W + BAR_W + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="scores for {escape(name)}">'
    ]
    for i, metric in enumerate(RATE_METRICS):
        y = 5 + i * ROW_H
        value = group.get(metric)
        good = METRICS[metric]
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(LABELS[metric])}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 3}" width="{BAR_W}" height="{ROW_H - 6}" fill="#eee"/>')
        if value is not None:
            score = value if good else 1 - value  # the bar shows how good it is
            colour = "#2a9d8f" if score >= 0.9 else "#e9c46a" if score >= 0.7 else "#e76f51"
            parts.append(
                f'<rect x="{LABEL_W}" y="{y + 3}" width="{BAR_W * value:.1f}" '
                f'height="{ROW_H - 6}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 14}" font-size="12">{_fmt(metric, value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _summary_table(summary: dict[str, Any]) -> str:
    head = "".join(f"<th>{escape(LABELS[m])}</th>" for m in METRICS)
    rows = []
    groups = [*summary["by_type"].items(), (OVERALL, summary["overall"])]
    for name, group in groups:
        cells = "".join(f"<td>{_fmt(m, group.get(m))}</td>" for m in METRICS)
        label = f"<strong>{escape(name)}</strong>" if name == OVERALL else escape(name)
        rows.append(f"<tr><td>{label}</td><td>{group['n']}</td>{cells}</tr>")
    return f"<table><tr><th>type</th><th>n</th>{head}</tr>{''.join(rows)}</table>"


def _failed(scores: dict[str, Any]) -> bool:
    for metric, value in scores.items():
        if value is None:
            continue
        if METRICS.get(metric, True) and value < 1:
            return True
        if not METRICS.get(metric, True) and value > 0:
            return True
    return False


def _questions_table(rows: list[dict[str, Any]]) -> str:
    out = [
        "<table><tr><th>id</th><th>type</th><th>question</th><th>answer</th>"
        "<th>retrieved</th><th>scores</th><th>ms</th></tr>"
    ]
    for row in rows:
        scores = ", ".join(f"{LABELS.get(k, k)} {v:.2f}" for k, v in row["scores"].items() if v is not None)
        retrieved = "\n".join(f"{r['source']} ({r['section']})" for r in row["retrieved"])
        answer = row["answer"] + (f"\n[error: {row['error']}]" if row.get("error") else "")
        css = ' class="fail"' if _failed(row["scores"]) else ""
        out.append(
            f"<tr{css}><td>{escape(row['id'])}</td><td>{escape(row['type'])}</td>"
            f"<td class=text>{escape(row['question'])}</td><td class=text>{escape(answer)}</td>"
            f"<td class=text>{escape(retrieved)}</td><td class=text>{escape(scores)}</td>"
            f"<td>{row['latency_ms']:.0f}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def render_report(summary: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The whole report page: summary table, one chart per question type, every question."""
    info = ", ".join(
        f"{escape(str(key))}: {escape(str(value))}"
        for key, value in summary.items()
        if key not in ("overall", "by_type", "errors")
    )
    figures = [
        f"<figure><figcaption>{escape(name)} (n={group['n']}, p50 {_fmt('latency_p50', group['latency_p50'])}"
        f" ms)</figcaption>{chart(name, group)}</figure>"
        for name, group in [*summary["by_type"].items(), (OVERALL, summary["overall"])]
    ]
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<title>Praxis evaluation</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<h1>Praxis evaluation</h1>"
        f"<p class=meta>{info}</p>"
        f"{_summary_table(summary)}"
        "<h2>By question type</h2>"
        f"<div class=charts>{''.join(figures)}</div>"
        "<h2>Questions</h2><p class=meta>Rows with any score short of perfect are tinted.</p>"
        f"{_questions_table(rows)}"
        "</body></html>\n"
    )
