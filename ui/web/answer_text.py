"""An answer's text read into blocks (paragraphs, lists, tables) and inline pieces (text, bold,
quotes of the documents, citation markers), for the page and the three exports alike.

Answers are plain text with [n] markers and a little Markdown (**bold**, "- " lists, "|" tables).
A piece of text followed by markers is a quote when the cited passages contain it word for word:
it is then shown as the documents' own words, never translated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant.answering.citations import MARKER

_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|(\d{1,3})[.)])\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MARKERS = re.compile(r"(?:\s*\[\d{1,3}\])+")
QUOTE_MIN_WORDS = 4  # fewer words (a figure, a name) are the answer's own, not a quoted sentence


@dataclass(frozen=True)
class Piece:
    """kind: "text", "strong", "quote" (the documents' words) or "marker" (n set)."""

    kind: str
    text: str = ""
    n: int = 0


@dataclass
class Block:
    """kind: "p", "heading", "ul", "ol" (items) or "table" (rows, the first is the header)."""

    kind: str
    lines: list[list[Piece]] = field(default_factory=list)  # p/heading: one line; lists: items
    rows: list[list[list[Piece]]] = field(default_factory=list)  # tables: rows of cells


def _squash(text: str) -> str:
    return " ".join(text.split())


def _styled(text: str) -> list[Piece]:
    """Plain text with **bold** spans as strong pieces."""
    pieces: list[Piece] = []
    pos = 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            pieces.append(Piece("text", text[pos : match.start()]))
        pieces.append(Piece("strong", match.group(1)))
        pos = match.end()
    if pos < len(text):
        pieces.append(Piece("text", text[pos:]))
    return pieces


def _quoted(squashed: str, cited: Sequence[str]) -> bool:
    words = squashed.split()
    return len(words) >= QUOTE_MIN_WORDS and "**" not in squashed and any(squashed in p for p in cited)


def _claim_pieces(text: str, cited: Sequence[str]) -> list[Piece]:
    """The text before a run of markers: quoted when a cited passage holds it word for word; a
    lead-in before ': ' (the practice's name) stays plain and bold."""
    squashed = _squash(text)
    if not squashed:
        return []
    if _quoted(squashed, cited):
        return [Piece("quote", text.strip())]
    head, sep, tail = text.partition(": ")
    if sep and _quoted(_squash(tail), cited):
        lead = head.strip().strip("*")
        return [Piece("strong", lead), Piece("text", ": "), Piece("quote", tail.strip())]
    return _styled(text)


def inline(text: str, cited_texts: Mapping[int, str]) -> list[Piece]:
    """A line of an answer as pieces; `cited_texts` maps marker n to the cited passage."""
    passages = {n: _squash(t) for n, t in cited_texts.items()}
    pieces: list[Piece] = []
    pos = 0
    for match in _MARKERS.finditer(text):
        numbers = [int(n) for n in MARKER.findall(match.group(0))]
        cited = [passages[n] for n in numbers if n in passages]
        claim = text[pos : match.start()]
        if pieces and claim[:1].isspace():
            pieces.append(Piece("text", " "))
        pieces += _claim_pieces(claim.strip(), cited)
        for n in numbers:
            pieces.append(Piece("marker", n=n))
        pos = match.end()
    rest = text[pos:]
    if rest.strip():
        if pieces and rest[:1].isspace():
            pieces.append(Piece("text", " "))
        pieces += _styled(rest.strip())
    return pieces


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def blocks(answer: str, citations: Sequence[Mapping[str, object]]) -> list[Block]:
    """The answer read into blocks; citations are the answer's (dicts with n and text)."""
    cited = {int(str(c["n"])): str(c["text"]) for c in citations}
    result: list[Block] = []
    for raw in answer.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.lstrip().startswith("|"):
            if _TABLE_RULE.match(line.strip()):
                continue
            row = [inline(cell, cited) for cell in _cells(line)]
            if result and result[-1].kind == "table":
                result[-1].rows.append(row)
            else:
                result.append(Block("table", rows=[row]))
            continue
        item = _LIST_ITEM.match(line)
        if item:
            kind = "ol" if item.group(1) else "ul"
            if not (result and result[-1].kind == kind):
                result.append(Block(kind))
            result[-1].lines.append(inline(item.group(2), cited))
            continue
        heading = _HEADING.match(line)
        if heading:
            result.append(Block("heading", [inline(heading.group(1), cited)]))
            continue
        result.append(Block("p", [inline(line, cited)]))
    return result


def plain(pieces: Sequence[Piece]) -> str:
    """The pieces as plain text with [n] markers and quotes in quotation marks."""
    out: list[str] = []
    for piece in pieces:
        if piece.kind == "marker":
            out.append(f" [{piece.n}]")
        elif piece.kind == "quote":
            out.append(f"“{piece.text}”")
        else:
            out.append(piece.text)
    return "".join(out).strip()


def has_quotes(parsed: Sequence[Block]) -> bool:
    lines = [line for block in parsed for line in block.lines] + [
        cell for block in parsed for row in block.rows for cell in row
    ]
    return any(piece.kind == "quote" for line in lines for piece in line)
