"""What every reader returns, and the helpers readers share.

A reader turns the bytes of one file into `SourceDocument`s: normalised text ("\n" line endings,
the practice title on the first non-empty line, one heading per line) that `parse_practice`
splits into sections. Every offset Praxis stores refers to that text, so a citation can always
highlight `Practice.text[start:end]`, whatever the original format was.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import CorpusError
from ingest.readers.fields import FieldMap
from ingest.readers.limits import Limits, too_large

_SPACE = re.compile(r"[^\S\n]+")  # white space except line breaks
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # all but tab and line breaks
# ANSI escape sequences (ESC or the C1 CSI, then parameters): removed whole, never stored, so a
# document cannot repaint the terminal that prints its title or a citation
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|\x9b[0-9;?]*[ -/]*[@-~]")


@dataclass(frozen=True)
class SourceDocument:
    """One practice as text, before it is parsed into sections."""

    text: str
    practice_id: str
    source: str  # the file name, or "file#record" for one record of an export
    metadata: Mapping[str, str] = field(default_factory=dict)
    heading_lines: frozenset[int] = frozenset()  # lines the format marks as headings (<h2>, Heading 2)
    markdown: bool = False  # "#" headings


@dataclass
class ReadResult:
    """The practices found in one file, plus records of it that could not be read."""

    documents: list[SourceDocument] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOptions:
    """What a reader needs besides the bytes: the file's metadata.jsonl entry and the record mapping."""

    metadata: Mapping[str, str] = field(default_factory=dict)
    fields: FieldMap = field(default_factory=FieldMap)
    limits: Limits = field(default_factory=Limits)


def safe_text(text: str) -> str:
    """The text without ANSI escape sequences and control characters (tab and line breaks kept)."""
    return _CONTROL.sub("", _ANSI.sub("", text))


def source_name(path: Path) -> str:
    """The name a file is stored and reported under: its base name without control characters
    or escape sequences (a name may not repaint the terminal that prints it)."""
    return safe_text(path.name).replace("\t", " ").replace("\n", " ") or "unnamed"


def slugify(text: str, *, max_chars: int = 80) -> str:
    """Lower-case [a-z0-9-]; long slugs are cut and given a hash so they stay unique."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > max_chars:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
        slug = slug[: max_chars - 9].rstrip("-") + "-" + digest
    return slug


def practice_id_for(path: Path) -> str:
    """A stable id from the file name: lower-case, [a-z0-9-] only."""
    return slugify(path.stem, max_chars=120) or hashlib.sha256(path.name.encode()).hexdigest()[:12]


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes. Raises CorpusError naming the file and what to do."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CorpusError(
                f"{path}: {size} bytes is larger than the {max_bytes} byte limit for "
                f"{path.suffix or 'such'} files; split it into smaller files"
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise CorpusError(f"{path}: no such file; check the path") from exc
    except IsADirectoryError as exc:
        raise CorpusError(f"{path}: is a folder, not a file") from exc
    except PermissionError as exc:
        raise CorpusError(f"{path}: cannot be read (permission denied); check its permissions") from exc
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror}); check the file") from exc


def decode_text(path: Path, raw: bytes, *, kind: str = "text") -> str:
    """UTF-8 (BOM removed) with "\n" line endings. Raises CorpusError for binary or non-UTF-8 data."""
    if b"\x00" in raw[:8192]:
        raise CorpusError(f"{path}: looks binary (NUL bytes), not a {kind} file; check its type")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8") from exc
    return safe_text(text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(text: str) -> str:
    """One line of extracted text: escape sequences and control characters dropped, runs of
    spaces collapsed."""
    return _SPACE.sub(" ", _CONTROL.sub("", _ANSI.sub("", text.replace("\n", " ")))).strip()


def assemble(blocks: Iterable[tuple[str, bool]]) -> tuple[str, frozenset[int]]:
    """Join (text, is_heading) blocks one per line; returns the text and its heading line numbers.

    A block may itself hold several lines (a multi-paragraph record field); each is cleaned.
    """
    lines: list[str] = []
    headings: set[int] = set()
    for text, is_heading in blocks:
        parts = [clean_line(part) for part in text.split("\n")]
        parts = [part for part in parts if part]
        if not parts:
            continue
        if is_heading:
            headings.add(len(lines))
            lines.append(" ".join(parts))
        else:
            lines.extend(parts)
    return "\n".join(lines) + ("\n" if lines else ""), frozenset(headings)


def single_document(
    path: Path,
    text: str,
    options: ReadOptions,
    *,
    heading_lines: frozenset[int] = frozenset(),
    markdown: bool = False,
    metadata: Mapping[str, str] | None = None,
) -> ReadResult:
    """The usual case: one file holds one practice."""
    if not text.strip():
        raise CorpusError(f"{path}: has no text to ingest (empty, or only images/markup)")
    if len(text) > options.limits.max_chars:
        raise too_large(source_name(path), "characters", len(text), options.limits.max_chars, "MAX_CHARS")
    merged = {**(metadata or {}), **options.metadata}  # metadata.jsonl wins over what the file says
    return ReadResult(
        [SourceDocument(text, practice_id_for(path), source_name(path), merged, heading_lines, markdown)]
    )
