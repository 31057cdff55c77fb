"""HTML of the reader: a practice with its cited passage highlighted, and the practice cards of
the Practices tab.

What a reader needs, not how the data is stored: the place and theme, section names and the
sentences themselves (no file names, offsets or storage words). Everything is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.phrases import section_name
from assistant.types import Practice
from assistant.vocabulary import fold, sentence_spans
from ui.web.chat_view import esc
from ui.web.strings import text

SUMMARY_CHARS = 180


def place(practice: Practice) -> str:
    """'Region, Country' (the region alone when it already names the country)."""
    region, country = practice.metadata.get("region", ""), practice.metadata.get("country", "")
    if region and country and fold(country) not in fold(region):
        return f"{region}, {country}"
    return region or country


def summary(practice: Practice, limit: int = SUMMARY_CHARS) -> str:
    """The practice in one line: the first sentence of its first section, cut at a word."""
    section = practice.sections[0] if practice.sections else None
    if section is None:
        return ""
    spans = sentence_spans(practice.text, section.start, section.end)
    first = " ".join(practice.text[spans[0][0] : spans[0][1]].split()) if spans else ""
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def placeholder(message: str) -> str:
    return f"<p class='placeholder'>{esc(message)}</p>"


def _section_html(practice: Practice, start: int, end: int, n: int | None, lang: str) -> list[str]:
    parts: list[str] = []
    for section in practice.sections:
        body = practice.text[section.start : section.end]
        lo, hi = max(start, section.start), min(end, section.end)
        if lo < hi:
            body_html = (
                esc(body[: lo - section.start])
                + "<mark class='cited'>"
                + esc(body[lo - section.start : hi - section.start])
                + "</mark>"
                + esc(body[hi - section.start :])
            )
            tag = f" <span class='cited-tag'>[{n}]</span>" if n is not None else ""
        else:
            body_html, tag = esc(body), ""
        heading = f"<h3>{esc(section_name(section.name, lang))}{tag}</h3>"
        parts.append(
            f"<section data-section='{esc(section.name)}'>{heading}"
            f"<div class='practice-text'>{body_html}</div></section>"
        )
    return parts


def practice_html(
    practice: Practice,
    lang: str,
    *,
    citation: dict[str, Any] | None = None,
    turn: int | None = None,
    extra: str = "",
    after: str = "",
) -> str:
    """The practice, section by section; with a citation, its span in <mark> and the section it is
    cited from named above the scrolling text; `extra` goes before the sections (key facts),
    `after` after them (more like this); `turn` adds a way back to that answer."""
    meta = " · ".join(esc(v) for v in (place(practice), practice.metadata.get("theme", "")) if v)
    head = [f"<h2>{esc(practice.title)}</h2>", f"<p class='meta'>{meta}</p>"]
    start = end = -1
    n: int | None = None
    if citation:
        start, end, n = int(citation["start"]), int(citation["end"]), int(citation["n"])
        head.append(
            "<p class='where'>"
            + esc(text("cited_from", lang, n=n, section=section_name(str(citation["section"]), lang)))
            + "</p>"
        )
    if turn is not None:
        head.append(
            f"<button type='button' class='back' data-action='back' data-turn='{turn}'>"
            f"{esc(text('back_to_answer', lang))}</button>"
        )
    body = [extra, *_section_html(practice, start, end, n, lang), after]
    url = practice.metadata.get("url", "")
    if url.startswith(("http://", "https://")):
        body.append(
            f"<p class='meta'>{esc(text('original', lang))} <a href='{esc(url)}' rel='noopener noreferrer' "
            f"target='_blank'>{esc(url)}</a></p>"
        )
    return (
        f"<article class='practice' data-practice='{esc(practice.id)}'>"
        f"<header class='practice-head'>{''.join(head)}</header>"
        f"<div class='practice-body' tabindex='0' role='region' aria-label='{esc(practice.title)}'>"
        f"{''.join(body)}</div></article>"
    )


@dataclass(frozen=True)
class Card:
    """A practice as the list shows it."""

    id: str
    title: str
    place: str
    theme: str
    summary: str

    @classmethod
    def of(cls, practice: Practice) -> Card:
        return cls(
            practice.id,
            practice.title,
            place(practice),
            practice.metadata.get("theme", ""),
            summary(practice),
        )

    def matches(self, query: str, practice_text: str = "") -> int:
        """2 when every word of the query is in the card, 1 when in the practice's text, else 0."""
        wanted = fold(query).split()
        if not wanted:
            return 2
        card = fold(" ".join((self.title, self.place, self.theme, self.summary)))
        if all(w in card for w in wanted):
            return 2
        body = fold(practice_text)
        return 1 if all(w in card or w in body for w in wanted) else 0


def cards_html(cards: Sequence[Card], lang: str) -> str:
    """The count, then one card per practice: title (opens it), place, theme, one-line summary."""
    count = text("count_one", lang) if len(cards) == 1 else text("count_many", lang, count=len(cards))
    if not cards:
        return f"<p class='count' role='status'>{esc(count)}</p>" + placeholder(text("no_match", lang))
    items = "".join(
        f"<li class='card' data-practice='{esc(c.id)}'>"
        f"<h2><button type='button' class='card-open' data-action='open' data-practice='{esc(c.id)}'>"
        f"{esc(c.title)}</button></h2>"
        f"<p class='card-meta'>{' · '.join(esc(v) for v in (c.place, c.theme) if v)}</p>"
        f"<p class='card-summary'>{esc(c.summary)}</p></li>"
        for c in cards
    )
    return f"<p class='count' role='status'>{esc(count)}</p><ul class='cards'>{items}</ul>"
