"""Word .docx good practices, via python-docx: paragraphs and tables in document order.

Paragraphs styled Title or Heading n become heading lines; list paragraphs "• " lines; table rows
"cell | cell" lines. Page headers and footers are not part of the body and are left out.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError
from ingest.readers.base import ReadOptions, ReadResult, assemble, clean_line, single_document
from ingest.readers.limits import check_zip


def _style(paragraph: Any) -> str:
    try:
        return str(paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, AttributeError):  # a style id missing from styles.xml
        return ""


def read_docx(path: Path, raw: bytes, options: ReadOptions) -> ReadResult:
    import docx
    from docx.table import Table

    check_zip(path, raw, options.limits, kind="Word .docx")  # before anything is unpacked
    try:
        document = docx.Document(io.BytesIO(raw))
        blocks: list[tuple[str, bool]] = []
        title: tuple[str, bool] | None = None
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        text = clean_line(cell.text)
                        if text and (not cells or cells[-1] != text):  # merged cells repeat
                            cells.append(text)
                    blocks.append((" | ".join(cells), False))
                continue
            style = _style(item)
            text = item.text
            if style == "Title" and title is None:
                title = (text, True)
                continue
            heading = style.startswith("Heading") or style == "Title"
            if style.startswith("List") and clean_line(text):
                text = "• " + text
            blocks.append((text, heading))
    except Exception as exc:  # python-docx/zipfile/lxml raise many types on damaged files
        raise CorpusError(
            f"{path}: not a readable Word .docx file ({type(exc).__name__}: {exc}); "
            "open and re-save it in Word or LibreOffice (old .doc files: save as .docx)"
        ) from exc
    text, headings = assemble([title, *blocks] if title else blocks)
    return single_document(path, text, options, heading_lines=headings)
