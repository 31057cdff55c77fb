"""Read a good-practice file and parse it into Practices.

Offsets everywhere refer to `Practice.text`: the text a reader made of the file (for .txt/.md the
file decoded as UTF-8, BOM removed, line endings normalised to "\n"; see ingest/readers).
Citations highlight `Practice.text[start:end]`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Collection, Mapping
from pathlib import Path

from assistant.errors import CorpusError
from assistant.types import DOCUMENT_SECTION, SECTION_NAMES, Practice, Section
from ingest.readers import SUPPORTED_SUFFIXES, FieldMap, Limits, ReadOptions, practice_id_for, read_file
from ingest.readers.base import decode_text, read_bytes

log = logging.getLogger(__name__)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "content_hash",
    "load_practice",
    "load_practices",
    "parse_practice",
    "practice_id_for",
    "read_text",
]

MAX_FILE_BYTES = 20 * 1024 * 1024

_CANONICAL = {name.lower(): name for name in SECTION_NAMES}
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<name>.+?)\s*#*\s*$")
_FIELD = re.compile(
    r"^\s*(?P<key>country|region|theme|organisation|organization)\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def read_text(path: Path) -> str:
    """Decode a file as UTF-8 text, normalised. Raises CorpusError naming the file and the fix."""
    text = decode_text(path, read_bytes(path, MAX_FILE_BYTES), kind="UTF-8 text")
    if not text.strip():
        raise CorpusError(f"{path}: is empty; nothing to ingest")
    return text


def _heading_name(line: str, markdown: bool) -> str | None:
    """The canonical section name if this line is a heading, else None."""
    candidate = line.strip()
    md = _MD_HEADING.match(line) if markdown or candidate.startswith("#") else None
    if md:
        candidate = md.group("name")
    candidate = candidate.strip().strip("*_").rstrip(":").strip()
    canonical = _CANONICAL.get(re.sub(r"\s+", " ", candidate).lower())
    if canonical:
        return canonical
    if md:  # any other markdown heading below the title is an extra section
        return candidate
    return None


def parse_practice(
    text: str,
    *,
    source: str,
    practice_id: str,
    metadata: Mapping[str, str] | None = None,
    heading_lines: Collection[int] = (),
    markdown: bool | None = None,
) -> tuple[Practice, list[str]]:
    """Parse normalised text into a Practice. Returns the practice and any warnings.

    The title is the first non-empty line. Sections start at template headings (any case, an
    optional trailing colon or markdown `#`). Text between the title and the first heading
    belongs to "About this good practice". A text with no heading becomes one "Document"
    section, with a warning. `heading_lines` are line numbers the file format marks as headings
    (HTML <h2>, Word "Heading 2"): they start sections even when they are not template names.
    """
    warnings: list[str] = []
    if markdown is None:
        markdown = source.lower().endswith(".md")
    lines = text.splitlines(keepends=True)
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line)

    title_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if title_index is None:
        raise CorpusError(f"{source}: is empty; nothing to ingest")
    title_line = lines[title_index].strip()
    title_match = _MD_HEADING.match(title_line)
    title = (title_match.group("name") if title_match else title_line).strip()

    # (name, first body line index) for every heading after the title
    headings: list[tuple[str, int]] = []
    for i in range(title_index + 1, len(lines)):
        name = _heading_name(lines[i], markdown)
        if not name and i in heading_lines:
            name = re.sub(r"\s+", " ", lines[i]).strip().rstrip(":").strip() or None
        if name:
            headings.append((name, i))

    def span(first: int, stop: int) -> tuple[int, int]:
        start = offsets[first] if first < len(lines) else len(text)
        end = offsets[stop] if stop < len(lines) else len(text)
        # trim surrounding whitespace so offsets point at the words
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    sections: list[Section] = []
    if not headings:
        start, end = span(title_index + 1, len(lines))
        if end <= start:  # a one-line file: the line is the content
            start, end = span(title_index, len(lines))
        sections.append(Section(DOCUMENT_SECTION, text[start:end], start, end))
        warnings.append(f"{source}: no template headings found; ingested as one {DOCUMENT_SECTION!r} section")
    else:
        first_heading = headings[0][1]
        start, end = span(title_index + 1, first_heading)
        if end > start:
            sections.append(Section(SECTION_NAMES[0], text[start:end], start, end))
        for index, (name, line_no) in enumerate(headings):
            stop = headings[index + 1][1] if index + 1 < len(headings) else len(lines)
            start, end = span(line_no + 1, stop)
            if end > start:
                sections.append(Section(name, text[start:end], start, end))
        # the same heading twice (e.g. a repeated "Resources needed") is kept as two sections
        if not sections:
            raise CorpusError(f"{source}: has headings but no text under them; nothing to ingest")

    meta = {k: v for k, v in (metadata or {}).items() if v}
    for match in _FIELD.finditer(text):
        key = match.group("key").lower()
        key = "owner" if key.startswith("organi") else key
        meta.setdefault(key, match.group("value"))
    practice = Practice(
        id=practice_id,
        title=title,
        text=text,
        sections=sections,
        source=source,
        metadata=meta,
        content_hash=content_hash(text, meta),
    )
    return practice, warnings


def content_hash(text: str, metadata: Mapping[str, str]) -> str:
    """Hash of what a practice's chunks are made of; unchanged hash = nothing to re-embed."""
    digest = hashlib.sha256(text.encode("utf-8"))
    for key in sorted(metadata):
        digest.update(f"\x1f{key}={metadata[key]}".encode())
    return digest.hexdigest()[:32]


def load_practices(
    path: Path,
    metadata: Mapping[str, str] | None = None,
    *,
    fields: FieldMap | None = None,
    raw: bytes | None = None,
    limits: Limits | None = None,
) -> tuple[list[Practice], list[str], list[tuple[str, str]]]:
    """Read and parse every practice in one file: (practices, warnings, failed (source, reason)).

    A file of one practice (.txt .md .html .pdf .docx) yields one; an export (.json .jsonl .csv)
    one per usable record, with its unusable records as failures. Raises CorpusError when the
    file as a whole cannot be read (unsupported, unreadable, corrupt or empty) or is over a limit.
    """
    options = ReadOptions(
        metadata=dict(metadata or {}), fields=fields or FieldMap(), limits=limits or Limits()
    )
    result = read_file(path, options, raw=raw)
    practices: list[Practice] = []
    warnings = list(result.warnings)
    failures = list(result.failures)
    for document in result.documents:
        try:
            practice, notes = parse_practice(
                document.text,
                source=document.source,
                practice_id=document.practice_id,
                metadata=document.metadata,
                heading_lines=document.heading_lines,
                markdown=document.markdown,
            )
        except CorpusError as exc:
            failures.append((document.source, str(exc)))
            continue
        practices.append(practice)
        warnings.extend(notes)
    return practices, warnings, failures


def load_practice(path: Path, metadata: Mapping[str, str] | None = None) -> tuple[Practice, list[str]]:
    """Read and parse a file holding one practice. Raises CorpusError for unsupported, unreadable,
    corrupt or empty files, and for exports (use load_practices)."""
    practices, warnings, failures = load_practices(path, metadata)
    if failures:
        raise CorpusError(failures[0][1])
    if len(practices) != 1:
        raise CorpusError(f"{path}: holds {len(practices)} practices; read it with load_practices")
    return practices[0], warnings
