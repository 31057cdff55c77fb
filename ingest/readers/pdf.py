"""PDF good practices, via pypdf's text layer (scanned PDFs without text need OCR first).

PDF text comes as laid-out lines; lines of one paragraph are joined again so that sentences are
not cut at line ends, and page numbers and running headers/footers are dropped.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from pathlib import Path

from assistant.errors import CorpusError
from assistant.types import SECTION_NAMES
from ingest.readers.base import ReadOptions, ReadResult, clean_line, single_document
from ingest.readers.limits import too_large

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;]['\")\]]?$")
_BULLET = re.compile(r"^(?:[•\-–*·▪]|\d{1,2}[.)])\s")
_HEADINGS = {name.lower() for name in SECTION_NAMES}


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    edges = Counter(line for lines in pages for line in {*lines[:2], *lines[-2:]})
    return {line for line, count in edges.items() if count >= 0.6 * len(pages)}


def unwrap(lines: list[str]) -> list[str]:
    """Join the visual lines of each paragraph back into one line."""
    lengths = sorted(len(line) for line in lines if line)
    wide = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[str] = []
    joinable = False  # whether the last output line may continue on the next one
    for line in lines:
        if not line:
            joinable = False
            continue
        heading = line.lower().rstrip(":") in _HEADINGS
        if joinable and not heading and not _BULLET.match(line):
            glue = "" if out[-1].endswith("-") and line[:1].islower() else " "
            out[-1] += glue + line
        else:
            out.append(line)
        joinable = not heading and not _SENTENCE_END.search(line) and len(line) >= 0.6 * wide
    return out


def read_pdf(path: Path, raw: bytes, options: ReadOptions) -> ReadResult:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not the user's problem
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(f"{path}: the PDF is password-protected; save an unprotected copy")
        count = len(reader.pages)
        if count > options.limits.max_pages:
            raise too_large(str(path), "pages", count, options.limits.max_pages, "MAX_PAGES")
        pages: list[list[str]] = []
        chars = 0
        for pdf_page in reader.pages:  # stops as soon as the text is over the limit
            page_text = pdf_page.extract_text() or ""
            chars += len(page_text)
            if chars > options.limits.max_chars:
                raise too_large(str(path), "characters", chars, options.limits.max_chars, "MAX_CHARS")
            pages.append(page_text.splitlines())
    except CorpusError:
        raise
    except Exception as exc:  # pypdf raises many exception types on damaged files
        raise CorpusError(
            f"{path}: not a readable PDF ({type(exc).__name__}: {exc}); re-export or repair the file"
        ) from exc
    cleaned = [[clean_line(line) for line in page] for page in pages]
    running = _running_lines([[line for line in page if line] for page in cleaned])
    lines: list[str] = []
    for page in cleaned:
        lines.extend("" if line in running or _PAGE_NUMBER.match(line) else line for line in page)
    text = "\n".join(unwrap(lines))
    if not text.strip():
        raise CorpusError(f"{path}: the PDF has no text layer (scanned images?); run OCR on it first")
    return single_document(path, text + "\n", options)
