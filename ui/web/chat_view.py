"""HTML of the conversation: questions, answers with clickable [n] markers and their sources,
refusals with their nearest practices, the focus bar and the examples.

Pure functions of the session and a language. Everything from documents, answers or questions is
escaped: text is shown, never interpreted. Buttons carry data-action (cite, open, rate, example,
new-topic, clear-filters) that the page's script hands to the server.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.phrases import detect_language, phrase, section_name
from ui.web.answer_text import Block, Piece, blocks, has_quotes
from ui.web.session import Chat, PracticeRef, Turn
from ui.web.strings import text

THUMB_UP = (
    "<svg aria-hidden='true' focusable='false' viewBox='0 0 24 24' width='16' height='16' fill='none' "
    "stroke='currentColor' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'>"
    "<path d='M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 "
    "0 1-2-2v-7a2 2 0 0 1 2-2h3'/></svg>"
)
THUMB_DOWN = (
    "<svg aria-hidden='true' focusable='false' viewBox='0 0 24 24' width='16' height='16' fill='none' "
    "stroke='currentColor' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'>"
    "<path d='M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 "
    "2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17'/></svg>"
)


@dataclass(frozen=True)
class Example:
    """An example question and the kind of question it shows (a strings key)."""

    kind: str
    question: str


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def source_label(citation: dict, lang: str) -> str:
    return text(
        "source_label",
        lang,
        n=citation["n"],
        title=citation["title"],
        section=section_name(citation["section"], lang),
    )


def _marker(turn: int, n: int, citation: dict | None, lang: str) -> str:
    if citation is None:
        return f"[{n}]"
    label = f"[{n}] {source_label(citation, lang)}"
    return (
        f"<button type='button' class='cite' data-action='cite' data-turn='{turn}' data-n='{n}' "
        f"aria-label='{esc(label)}' title='{esc(label)}'>[{n}]</button>"
    )


def pieces_html(pieces: Sequence[Piece], turn: int, citations: dict[int, dict], lang: str) -> str:
    out: list[str] = []
    previous = ""
    for piece in pieces:
        if piece.kind == "marker":
            space = "" if previous == "marker" else " "
            out.append(space + _marker(turn, piece.n, citations.get(piece.n), lang))
        elif piece.kind == "quote":
            out.append(
                f"<q class='quote' lang='{detect_language(piece.text)}' title='{esc(text('quote', lang))}'>"
                f"{esc(piece.text)}</q>"
            )
        elif piece.kind == "strong":
            out.append(f"<strong>{esc(piece.text)}</strong>")
        else:
            out.append(esc(piece.text))
        previous = piece.kind
    return "".join(out)


def blocks_html(parsed: Sequence[Block], turn: int, citations: dict[int, dict], lang: str) -> str:
    out: list[str] = []
    for block in parsed:
        if block.kind in ("p", "heading"):
            tag = "p" if block.kind == "p" else "p class='subhead'"
            out.append(f"<{tag}>{pieces_html(block.lines[0], turn, citations, lang)}</p>")
        elif block.kind in ("ul", "ol"):
            items = "".join(f"<li>{pieces_html(i, turn, citations, lang)}</li>" for i in block.lines)
            out.append(f"<{block.kind}>{items}</{block.kind}>")
        else:
            head, *rows = block.rows
            header = "".join(f"<th scope='col'>{pieces_html(c, turn, citations, lang)}</th>" for c in head)
            body = "".join(
                "<tr>" + "".join(f"<td>{pieces_html(c, turn, citations, lang)}</td>" for c in row) + "</tr>"
                for row in rows
            )
            out.append(
                f"<div class='table-wrap' tabindex='0'><table><thead><tr>{header}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>"
            )
    return "".join(out)


def practice_button(ref: PracticeRef, lang: str, css: str = "practice-link") -> str:
    return (
        f"<button type='button' class='{css}' data-action='open' data-practice='{esc(ref.id)}' "
        f"aria-label='{esc(text('open_practice', lang, title=ref.title))}'>{esc(ref.title)}</button>"
    )


def refusal_html(turn: Turn, lang: str) -> str:
    """The refusal in the question's language; its nearest practices as buttons that open them."""
    question = turn.question.strip().rstrip("?？").strip()
    parts = [f"<p>{esc(phrase('documents_do_not_say', turn.lang, question=question + '?'))}</p>"]
    if turn.nearest:
        buttons = "".join(f"<li>{practice_button(ref, lang)}</li>" for ref in turn.nearest)
        parts.append(f"<p>{esc(text('refusal_nearest', lang))}</p><ul class='nearest'>{buttons}</ul>")
    else:
        parts.append(f"<p class='hint' role='note'>{esc(text('refusal_hint', lang))}</p>")
    return "".join(parts)


def sources_html(index: int, turn: Turn, lang: str) -> str:
    citations = turn.answer["citations"]
    if not citations:
        return ""
    items = "".join(
        f"<li><button type='button' class='source' data-action='cite' data-turn='{index}' data-n='{c['n']}'>"
        f"[{c['n']}] {esc(c['title'])} · {esc(section_name(c['section'], lang))}</button></li>"
        for c in citations
    )
    return (
        f"<div class='sources'><p class='sources-title'>{esc(text('sources', lang))}</p>"
        f"<ul>{items}</ul></div>"
    )


def rating_html(index: int, turn: Turn, lang: str) -> str:
    buttons = []
    for value, icon, key in (("up", THUMB_UP, "helpful"), ("down", THUMB_DOWN, "not_helpful")):
        pressed = "true" if turn.rating == value else "false"
        buttons.append(
            f"<button type='button' class='rate' data-action='rate' data-turn='{index}' data-value='{value}' "
            f"aria-pressed='{pressed}'>{icon}<span>{esc(text(key, lang))}</span></button>"
        )
    return f"<div class='rating'>{''.join(buttons)}</div>"


def answer_html(index: int, turn: Turn, lang: str) -> str:
    """The answer's body: its text with clickable markers, then its sources and the rating."""
    if turn.refused:
        return refusal_html(turn, lang) + rating_html(index, turn, lang)
    citations = {int(c["n"]): c for c in turn.answer["citations"]}
    parsed = blocks(turn.answer["answer"], turn.answer["citations"])
    note = ""
    if turn.lang != "en" and has_quotes(parsed):
        note = f"<p class='quoted-note'>{esc(phrase('quoted_as_written', turn.lang))}</p>"
    body = blocks_html(parsed, index, citations, lang)
    return note + body + sources_html(index, turn, lang) + rating_html(index, turn, lang)


def _divider(lang: str) -> str:
    return f"<div class='topic-divider' role='separator'><span>{esc(text('new_topic', lang))}</span></div>"


def _message(who: str, body: str, css: str, lang_attr: str = "") -> str:
    return f"<div class='msg {css}'{lang_attr}><p class='who'>{esc(who)}</p>{body}</div>"


def conversation_html(chat: Chat, lang: str, pending: tuple[str, str] | None = None) -> str:
    """Every turn; `pending` is (question, text so far) of an answer being written."""
    parts = ["<div class='turns' role='log'>"]
    if not chat.turns and pending is None:
        parts.append(f"<p class='empty'>{esc(text('chat_empty', lang))}</p>")
    for index, turn in enumerate(chat.turns):
        if index == chat.topic and index > 0:
            parts.append(_divider(lang))
        css = "bot refusal" if turn.refused else "bot"
        parts.append(
            f"<article class='turn' id='praxis-turn-{index}' data-turn='{index}'>"
            + _message(text("you", lang), f"<p>{esc(turn.question)}</p>", "user", f" lang='{turn.lang}'")
            + _message(text("praxis", lang), answer_html(index, turn, lang), css)
            + "</article>"
        )
    if pending is not None:
        question, partial = pending
        if chat.topic == len(chat.turns) and chat.turns:
            parts.append(_divider(lang))
        body = "".join(f"<p>{esc(line)}</p>" for line in partial.splitlines() if line.strip())
        body = body or f"<p class='thinking'>{esc(text('thinking', lang))}</p>"
        parts.append(
            "<article class='turn pending' aria-busy='true'>"
            + _message(text("you", lang), f"<p>{esc(question)}</p>", "user")
            + _message(text("praxis", lang), body, "bot")
            + "</article>"
        )
    parts.append("</div>")
    return "".join(parts)


def focus_html(chat: Chat, filters: dict[str, str], lang: str) -> str:
    """Which practices the conversation is about (with New topic), and the filters in force."""
    parts: list[str] = []
    focus = chat.focus()
    if focus:
        shown = "".join(f"<li>{practice_button(ref, lang, 'focus-chip')}</li>" for ref in focus[:5])
        more = f"<li class='more'>+{len(focus) - 5}</li>" if len(focus) > 5 else ""
        parts.append(
            f"<div class='focus-row'><span class='focus-label'>{esc(text('about', lang))}</span>"
            f"<ul class='focus-list'>{shown}{more}</ul>"
            f"<button type='button' class='new-topic' data-action='new-topic'>{esc(text('new_topic', lang))}"
            "</button></div>"
        )
    elif chat.turns and chat.topic == len(chat.turns):
        parts.append(f"<p class='focus-row focus-none'>{esc(text('about_none', lang))}</p>")
    if filters:
        shown_filters = " · ".join(esc(v) for v in filters.values())
        parts.append(
            f"<div class='focus-row'><span>{text('limited_to', lang, filters=shown_filters)}</span>"
            f"<button type='button' class='clear-filters' data-action='clear-filters'>"
            f"{esc(text('clear_filters', lang))}</button></div>"
        )
    return f"<div class='focus'>{''.join(parts)}</div>" if parts else ""


def examples_html(examples: Sequence[Example], lang: str) -> str:
    items = "".join(
        f"<li><button type='button' class='example' data-action='example' data-question='{esc(e.question)}'>"
        f"<span class='kind'>{esc(text(e.kind, lang))}</span> {esc(e.question)}</button></li>"
        for e in examples
    )
    title = f"<p class='examples-title'>{esc(text('examples', lang))}</p>"
    return f"<div class='examples'>{title}<ul>{items}</ul></div>"
