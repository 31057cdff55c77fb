"""Readers by file suffix: each turns one file's bytes into `SourceDocument`s.

    suffix          reader                         practices per file
    .txt .md        plain.read_plain               one
    .html .htm      markup.read_html (BeautifulSoup)  one
    .pdf            pdf.read_pdf (pypdf)           one
    .docx           word.read_docx (python-docx)   one
    .json .jsonl    records.read_json(l)           one per record
    .csv            records.read_csv               one per row

Reader modules are imported on first use, so asking questions never imports a PDF library.
To add a format, write `read_x(path, raw, options) -> ReadResult` and register its suffix here.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CorpusError
from ingest.readers.base import ReadOptions, ReadResult, SourceDocument, practice_id_for, read_bytes
from ingest.readers.fields import FieldMap
from ingest.readers.limits import Limits

__all__ = [
    "READERS",
    "FieldMap",
    "Limits",
    "ReadOptions",
    "ReadResult",
    "SUPPORTED_SUFFIXES",
    "SourceDocument",
    "accepts",
    "file_fingerprint",
    "practice_id_for",
    "read_bytes",
    "read_file",
    "reader_for",
]

# Bump when a reader's output changes, so unchanged files are read again once.
READER_VERSION = "2"  # 2: control characters and ANSI escapes removed
MB = 1024 * 1024


@dataclass(frozen=True)
class ReaderSpec:
    function: str  # "module:function" under ingest.readers
    max_bytes: int
    records: bool = False  # one practice per record: the field mapping applies


READERS: dict[str, ReaderSpec] = {
    ".txt": ReaderSpec("plain:read_plain", 20 * MB),
    ".md": ReaderSpec("plain:read_plain", 20 * MB),
    # a parsed page takes ~10x its bytes in memory; pages beyond this are not practices
    ".html": ReaderSpec("markup:read_html", 5 * MB),
    ".htm": ReaderSpec("markup:read_html", 5 * MB),
    ".pdf": ReaderSpec("pdf:read_pdf", 100 * MB),
    ".docx": ReaderSpec("word:read_docx", 50 * MB),  # and its unpacked size: ingest/readers/limits.py
    # exports are parsed whole: a few times their size in memory
    ".json": ReaderSpec("records:read_json", 100 * MB, records=True),
    ".jsonl": ReaderSpec("records:read_jsonl", 100 * MB, records=True),
    ".csv": ReaderSpec("records:read_csv", 100 * MB, records=True),
}
SUPPORTED_SUFFIXES = tuple(READERS)  # what ingest reads, wherever files come from (folder, upload)


def accepts(path: Path) -> bool:
    """Whether ingest reads a file of this name (by its suffix, case-insensitive)."""
    return path.suffix.lower() in READERS


def reader_for(path: Path) -> ReaderSpec:
    """The reader of this file's suffix. Raises CorpusError for an unsupported suffix."""
    spec = READERS.get(path.suffix.lower())
    if spec is None:
        hint = " (save it as .docx)" if path.suffix.lower() == ".doc" else ""
        raise CorpusError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}{hint}; "
            f"Praxis reads {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return spec


def _function(spec: ReaderSpec) -> Callable[[Path, bytes, ReadOptions], ReadResult]:
    module, name = spec.function.split(":")
    try:
        loaded = importlib.import_module(f"ingest.readers.{module}")
    except ImportError as exc:
        raise CorpusError(
            f"reading {module} files needs a package that is not installed ({exc.name}); "
            "reinstall Praxis: pip install -e ."
        ) from exc
    return getattr(loaded, name)


def read_file(path: Path, options: ReadOptions | None = None, *, raw: bytes | None = None) -> ReadResult:
    """The practices in one file. Raises CorpusError (naming the file) when none can be read."""
    spec = reader_for(path)
    if raw is None:
        raw = read_bytes(path, spec.max_bytes)
    return _function(spec)(path, raw, options or ReadOptions())


def file_fingerprint(path: Path, raw: bytes, options: ReadOptions) -> str:
    """Changes whenever what the file yields could change: its bytes, metadata, mapping, reader."""
    spec = reader_for(path)
    digest = hashlib.sha256(raw)
    digest.update(f"\x1f{READER_VERSION}\x1f{path.suffix.lower()}".encode())
    for key in sorted(options.metadata):
        digest.update(f"\x1f{key}={options.metadata[key]}".encode())
    if spec.records:
        digest.update(f"\x1ffields={options.fields.fingerprint()}".encode())
    return digest.hexdigest()[:32]
