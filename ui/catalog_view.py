"""HTML for the web UI's catalog views: the comparison table with numbered sources, a practice's
key facts, and "more like this".

Pure functions (no Gradio import) so the UI stays a thin adapter and these are tested alone.
Everything from the documents is escaped: text is shown, never interpreted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from assistant.practices.compare import Comparison
from assistant.practices.facts.model import Fact
from assistant.practices.similar import SimilarPractice
from assistant.types import Practice

_MARKER = re.compile(r"\[(\d+)\]")


def _cell_html(text: str) -> str:
    """Escaped cell text with each [n] turned into a superscript link to source n."""
    escaped = html.escape(text)
    return _MARKER.sub(r'<sup><a href="#praxis-source-\1" data-n="\1">[\1]</a></sup>', escaped)


def comparison_html(comparison: Comparison | dict[str, Any]) -> str:
    """The comparison as one self-contained HTML fragment (table + numbered sources)."""
    data = comparison.to_dict() if isinstance(comparison, Comparison) else comparison
    head = "".join(
        f"<th>{html.escape(p['title'])}<br><small>{html.escape(p.get('country') or '')}</small></th>"
        for p in data["practices"]
    )
    rows = []
    for row in data["rows"]:
        cells = []
        for cell in row["cells"]:
            classes = " ".join(
                c for c, on in (("missing", cell["missing"]), ("metadata", cell["from_metadata"])) if on
            )
            text = _cell_html(cell["text"])
            if cell["from_metadata"]:
                text += " <small>(metadata)</small>"
            cells.append(f'<td class="{classes}">{text}</td>')
        rows.append(f'<tr><th scope="row">{html.escape(row["label"])}</th>{"".join(cells)}</tr>')
    sources = "".join(
        f'<li id="praxis-source-{c["n"]}" value="{c["n"]}"><b>{html.escape(c["title"])}</b>, '
        f"{html.escape(c['section'])} ({html.escape(c['source'])}, chars {c['start']}-{c['end']}): "
        f"<q>{html.escape(c['text'])}</q></li>"
        for c in data["citations"]
    )
    return (
        '<div class="praxis-compare"><table><thead><tr><th></th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<ol class="praxis-sources">{sources}</ol></div>'
    )


def facts_html(practice: Practice, facts: Sequence[Fact]) -> str:
    """A practice's key facts as a definition list; each fact shows the sentence it came from."""
    if not facts:
        return "<p class='praxis-facts'>No key facts found in this document.</p>"
    items = []
    for fact in facts:
        where = (
            f"{html.escape(fact.section)}, chars {fact.start}-{fact.end}"
            if fact.start is not None
            else "metadata.jsonl"
        )
        evidence = practice.text[fact.start : fact.end] if fact.start is not None else ""
        items.append(
            f"<dt>{html.escape(fact.label)}</dt><dd>{html.escape(fact.display())} "
            f'<small title="{html.escape(evidence, quote=True)}">({where})</small></dd>'
        )
    return f"<dl class='praxis-facts'>{''.join(items)}</dl>"


def similar_html(items: Sequence[SimilarPractice]) -> str:
    """'More like this': the similar practices with their country and similarity."""
    if not items:
        return "<p class='praxis-similar'>No other practices to compare with.</p>"
    rows = "".join(
        f'<li data-practice-id="{html.escape(s.practice_id, quote=True)}">{html.escape(s.title)} '
        f"<small>({html.escape(s.country or 'country unknown')}, similarity {s.score:.2f})</small></li>"
        for s in items
    )
    return f"<div class='praxis-similar'><h4>More like this</h4><ol>{rows}</ol></div>"
