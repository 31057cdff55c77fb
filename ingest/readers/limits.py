"""Bounded work per document: what a document may cost to read, parse, chunk and embed.

Every reader reads at most its suffix's byte limit (ingest/readers/__init__.py); on top of that:
- zip-based files (.docx) are checked before anything is unpacked: the declared uncompressed
  size of all parts, the number of parts and each part's compression ratio (a zip bomb declares
  gigabytes in kilobytes; Python's zipfile never unpacks more than a part declares);
- PDFs are refused above a page count before their pages are read, and text extraction stops
  once it has more characters than a document may have;
- after parsing, a document is refused above a number of characters, sections or chunks.

A document over a limit fails with DocumentTooLarge naming the limit and its setting; the other
files of the run go on.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError, DocumentTooLarge

MB = 1024 * 1024
MAX_ZIP_PARTS = 10_000
RATIO_FLOOR_BYTES = MB  # parts smaller than this may compress as well as they like


@dataclass(frozen=True)
class Limits:
    """Caps per document (see the module docstring); the defaults are Settings.ingest's."""

    max_chars: int = 1_000_000
    max_sections: int = 500
    max_chunks: int = 2_000
    max_pages: int = 2_000
    max_unpacked_bytes: int = 200 * MB
    max_ratio: int = 100

    @classmethod
    def from_settings(cls, ingest: Any) -> Limits:
        """From Settings.ingest (max_chars, max_sections, max_chunks, max_pages, max_unpacked_mb,
        max_ratio)."""
        return cls(
            max_chars=ingest.max_chars,
            max_sections=ingest.max_sections,
            max_chunks=ingest.max_chunks,
            max_pages=ingest.max_pages,
            max_unpacked_bytes=ingest.max_unpacked_mb * MB,
            max_ratio=ingest.max_ratio,
        )


def too_large(source: str, what: str, count: int, limit: int, setting: str) -> DocumentTooLarge:
    return DocumentTooLarge(
        f"{source}: {count:,} {what}, more than the limit of {limit:,} (PRAXIS_INGEST__{setting}); "
        "split the document, or raise the limit if it is genuine"
    )


def check_zip(path: Path, raw: bytes, limits: Limits, *, kind: str) -> None:
    """Refuse a zip-based file before it is unpacked when it would unpack to too much.

    Raises DocumentTooLarge for too many parts, too many uncompressed bytes in all, or a part
    compressed more than max_ratio times; CorpusError when it is not a zip file at all.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise CorpusError(f"{path}: not a readable {kind} file ({exc}); open and re-save it") from exc
    if len(parts) > MAX_ZIP_PARTS:
        raise DocumentTooLarge(
            f"{path}: a {kind} file of {len(parts):,} parts (at most {MAX_ZIP_PARTS:,}); is it damaged?"
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_bytes:
        raise DocumentTooLarge(
            f"{path}: unpacks to {unpacked / MB:,.0f} MB, more than the limit of "
            f"{limits.max_unpacked_bytes / MB:,.0f} MB (PRAXIS_INGEST__MAX_UNPACKED_MB); a zip bomb, "
            "or split the document"
        )
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise DocumentTooLarge(
                f"{path}: its part {part.filename!r} is compressed {ratio:,} times, more than the "
                f"limit of {limits.max_ratio} (PRAXIS_INGEST__MAX_RATIO); likely a zip bomb"
            )
