"""HTML good-practice pages: keep the practice, drop navigation, banners, footers and scripts.

The main content is the page's <main> (or role=main, or <article>, or <body>). Its title is the
first <h1> (else <title>); blocks before that <h1> (breadcrumbs, labels) are dropped. Headings
(<h1>-<h6>) become heading lines, list items "• " lines, table rows "cell | cell" lines.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError
from ingest.readers.base import ReadOptions, ReadResult, assemble, clean_line, single_document

_NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "head")
_DROP_TAGS = ("iframe", "form", "button", "nav", "footer", "aside", "dialog", "select", "input")
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "menu"}
_DROP_NAMES = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|cookies?|consent|share|sharing|"
    r"social|sidebar|skip|banner|newsletter)(?:$|[-_ ])",
    re.IGNORECASE,
)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = frozenset(
    "p div section article main header ul ol li table tr thead tbody tfoot dl dt dd blockquote pre "
    "figure figcaption address hr details summary caption".split()
)


def _is_boilerplate(tag: Any) -> bool:
    if tag.name in _NEVER_TEXT:
        return True
    attrs = tag.attrs or {}
    names = " ".join([*(attrs.get("class") or []), str(attrs.get("id", ""))])
    drop = (
        tag.name in _DROP_TAGS
        or str(attrs.get("role", "")).lower() in _DROP_ROLES
        or "hidden" in attrs
        or str(attrs.get("aria-hidden", "")).lower() == "true"
        or bool(_DROP_NAMES.search(names))
    )
    # but never what wraps the content itself ("<form>" pages, <div class="page-with-sidebar">)
    return drop and tag.find(("h1", "main", "article")) is None


def _blocks(root: Any) -> list[tuple[str, bool, bool]]:
    """(text, is_heading, is_h1) blocks in document order."""
    from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

    skip = (Comment, Declaration, Doctype, ProcessingInstruction)
    blocks: list[tuple[str, bool, bool]] = []
    buffer: list[str] = []

    def flush() -> None:
        text = clean_line("".join(buffer))
        buffer.clear()
        if text and text != "•":
            blocks.append((text, False, False))

    def walk(node: Any) -> None:
        for child in node.children:
            if isinstance(child, skip):
                continue
            if isinstance(child, NavigableString):
                buffer.append(str(child))
                continue
            name = child.name
            if name in _HEADINGS:
                flush()
                text = clean_line(child.get_text(" "))
                if text:
                    blocks.append((text, True, name == "h1"))
            elif name == "br":
                flush()
            elif name in ("td", "th"):
                walk(child)
                buffer.append(" | ")
            elif name in _BLOCKS:
                flush()
                if name == "li":
                    buffer.append("• ")
                if name == "tr":
                    walk(child)
                    row = clean_line("".join(buffer)).strip("| ")
                    buffer[:] = [row]
                else:
                    walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return blocks


def read_html(path: Path, raw: bytes, options: ReadOptions) -> ReadResult:
    from bs4 import BeautifulSoup

    if b"\x00" in raw[:8192]:
        raise CorpusError(f"{path}: looks binary (NUL bytes), not an HTML page; check its type")
    soup = BeautifulSoup(raw, "html.parser")
    if soup.find() is None:
        raise CorpusError(f"{path}: contains no HTML elements; save the page as HTML or as .txt")
    page_title = clean_line(soup.title.get_text()) if soup.title else ""
    metadata: dict[str, str] = {}
    canonical = soup.find("link", rel="canonical") or soup.find("meta", property="og:url")
    if canonical is not None:
        address = canonical.get("href") or canonical.get("content")
        if address:
            metadata["url"] = str(address)
    for tag in soup.find_all(_is_boilerplate):
        if not tag.decomposed:
            tag.decompose()
    root = soup.find("main") or soup.find(role="main") or soup.find("article") or soup.body or soup
    try:
        blocks = _blocks(root)
    except RecursionError as exc:
        raise CorpusError(f"{path}: elements nested too deeply to read; is it a real page?") from exc
    h1 = next((i for i, (_, _, is_h1) in enumerate(blocks) if is_h1), None)
    if h1 is not None:
        blocks = blocks[h1:]  # breadcrumbs and labels above the title are not the practice
    elif page_title:
        title = re.split(r"\s+[|–—-]\s+", page_title)[0]  # "Practice | Site name" -> "Practice"
        blocks.insert(0, (title, True, True))
    if not any(not is_heading for _, is_heading, _ in blocks):
        raise CorpusError(f"{path}: the page has no text besides navigation; is it the practice page?")
    text, headings = assemble((t, h) for t, h, _ in blocks)
    return single_document(path, text, options, heading_lines=headings, metadata=metadata)
