"""HTML for the web UI's catalog views: the comparison table with numbered sources, a practice's
key facts, and "more like this".

Pure functions (no Gradio import) so the UI stays a thin adapter and these are tested alone.
Everything from the documents is escaped: text is shown, never interpreted. A reader sees section
names and sentences, never file names, offsets or how the data is stored.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from assistant.phrases import detect_language, fact_label, phrase, section_name
from assistant.practices.compare import NOT_STATED, Comparison
from assistant.practices.facts.model import Fact
from assistant.practices.similar import SimilarPractice
from assistant.types import Practice

_MARKER = re.compile(r"\[(\d+)\]")
_STORAGE_NOTE = re.compile(r"\s*\(metadata\)")  # how compare marks a value without a sentence
# facts the page shows elsewhere (the place line), not as key facts
_SHOWN_ELSEWHERE = frozenset({"country", "region"})


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cell_html(text: str) -> str:
    """Escaped cell text with each [n] turned into a superscript link to source n."""
    escaped = html.escape(_STORAGE_NOTE.sub("", text))
    return _MARKER.sub(r'<sup><a href="#praxis-source-\1" data-n="\1">[\1]</a></sup>', escaped)


def _row_label(row: dict[str, Any], lang: str) -> str:
    kind, _, name = str(row.get("key", "")).partition(":")
    if kind == "section":
        return section_name(name, lang)
    if kind == "fact":
        return fact_label(name, lang)
    return str(row["label"])


def comparison_html(comparison: Comparison | dict[str, Any], lang: str = "en") -> str:
    """The comparison as one self-contained HTML fragment (table + numbered sources), its headers
    and "not stated" in `lang`; the documents' sentences as written."""
    data = comparison.to_dict() if isinstance(comparison, Comparison) else comparison
    head = "".join(
        f"<th scope='col'>{_esc(p['title'])}<br><small>{_esc(p.get('country') or '')}</small></th>"
        for p in data["practices"]
    )
    rows = []
    for row in data["rows"]:
        cells = []
        for cell in row["cells"]:
            if cell["missing"] or cell["text"] == NOT_STATED:
                cells.append(f"<td class='missing'>{_esc(phrase('not_stated_in_document', lang))}</td>")
            else:
                cells.append(f"<td>{_cell_html(cell['text'])}</td>")
        rows.append(f"<tr><th scope='row'>{_esc(_row_label(row, lang))}</th>{''.join(cells)}</tr>")
    sources = "".join(
        f"<li id='praxis-source-{c['n']}' value='{c['n']}'><b>{_esc(c['title'])}</b>, "
        f"{_esc(section_name(c['section'], lang))}: <q lang='{detect_language(c['text'])}'>"
        f"{_esc(' '.join(c['text'].split()))}</q></li>"
        for c in data["citations"]
    )
    return (
        f"<div class='praxis-compare'><div class='table-wrap' tabindex='0'><table><thead><tr>"
        f"<th scope='col'>{_esc(phrase('practice', lang))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"<p class='sources-title'>{_esc(phrase('sources', lang))}</p>"
        f"<ol class='praxis-sources'>{sources}</ol></div>"
    )


def _facts_by_sentence(facts: Sequence[Fact]) -> list[tuple[int, int, str, list[Fact]]]:
    """Facts with a sentence grouped by that sentence (start, end, section, facts), each
    (kind, value) once: a sentence stating two facts is shown once, with both."""
    seen: set[tuple[str, str]] = set()
    groups: dict[tuple[int, int], tuple[int, int, str, list[Fact]]] = {}
    for fact in facts:
        if fact.start is None or fact.end is None or fact.kind in _SHOWN_ELSEWHERE:
            continue
        key = (fact.kind, fact.display())
        if key in seen:
            continue
        seen.add(key)
        groups.setdefault((fact.start, fact.end), (fact.start, fact.end, fact.section, []))[3].append(fact)
    return list(groups.values())


def facts_html(
    practice: Practice, facts: Sequence[Fact], lang: str = "en", *, heading: str = "Key facts"
) -> str:
    """A practice's key facts: the values a sentence states, then the sentence and its section."""
    groups = _facts_by_sentence(facts)
    if not groups:
        return ""
    items = []
    for start, end, section, own in groups:
        labels = " · ".join(dict.fromkeys(fact_label(f.kind, lang) for f in own))
        values = "; ".join(_esc(f.display()) for f in own)
        sentence = " ".join(practice.text[start:end].split())
        items.append(
            f"<dt>{_esc(labels)}</dt><dd><span class='fact-value'>{values}</span> "
            f"<q lang='{detect_language(sentence)}'>{_esc(sentence)}</q> "
            f"<span class='fact-where'>({_esc(section_name(section, lang))})</span></dd>"
        )
    return f"<section class='praxis-facts'><h3>{_esc(heading)}</h3><dl>{''.join(items)}</dl></section>"


def similar_html(
    items: Sequence[SimilarPractice], lang: str = "en", *, heading: str = "More like this"
) -> str:
    """'More like this': similar practices as buttons that open them, with their country."""
    if not items:
        return ""
    rows = "".join(
        f"<li><button type='button' class='practice-link' data-action='open' "
        f"data-practice='{_esc(s.practice_id)}'>{_esc(s.title)}</button>"
        f"{f' <small>({_esc(s.country)})</small>' if s.country else ''}</li>"
        for s in items
    )
    return f"<section class='praxis-similar'><h3>{_esc(heading)}</h3><ul>{rows}</ul></section>"
