"""Plain text (.txt) and Markdown (.md) good practices."""

from __future__ import annotations

from pathlib import Path

from ingest.readers.base import ReadOptions, ReadResult, decode_text, single_document


def read_plain(path: Path, raw: bytes, options: ReadOptions) -> ReadResult:
    text = decode_text(path, raw, kind="UTF-8 text")
    return single_document(path, text, options, markdown=path.suffix.lower() == ".md")
