"""HTML rendering of a Comparison for the web UI: a table with numbered, clickable sources.

Pure functions (no Gradio import) so the UI tab stays a thin adapter and this is tested alone.
Everything from the documents is escaped: text is shown, never interpreted.
"""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.compare import Comparison

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
