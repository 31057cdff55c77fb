"""Exports with one practice per record: JSON (a list, or an object holding one), JSONL, CSV.

Each record becomes a practice whose text is its title line followed by one heading line and the
text of each mapped section (see `FieldMap`). Its id is "<file>-<record id>" (the record's id
field, else its title), its source "<file name>#<record id>". A record that cannot be used
(no title, no section text, not an object, a repeated id) is reported and the others go on.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError
from ingest.readers.base import (
    ReadOptions,
    ReadResult,
    SourceDocument,
    assemble,
    decode_text,
    practice_id_for,
    slugify,
    source_name,
)
from ingest.readers.fields import METADATA_TARGETS, FieldMap, normalise
from ingest.readers.limits import too_large

_LIST_KEYS = ("practices", "good_practices", "records", "items", "data", "results")


def _lookup(record: Mapping[str, Any], name: str) -> Any:
    """The value of field `name` ("a.b" for nested objects), matching names loosely."""
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return None
        wanted = normalise(part)
        value = next((v for k, v in value.items() if normalise(str(k)) == wanted), None)
    return value


def _as_text(value: Any, *, joiner: str = "\n") -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return joiner.join(t for t in (_as_text(v, joiner=joiner) for v in value) if t)
    return ""  # nested objects are not text; map one of their fields with "a.b"


def _first(record: Mapping[str, Any], names: Iterable[str], *, joiner: str = "\n") -> str:
    for name in names:
        text = _as_text(_lookup(record, name), joiner=joiner)
        if text:
            return text
    return ""


def _container_sections(record: Mapping[str, Any], fields: FieldMap) -> list[tuple[str, str]]:
    """Sections given as {"heading": text} or [{"heading"/"name"/"title": ..., "text": ...}]."""
    for name in fields.sections_field:
        value = _lookup(record, name)
        if isinstance(value, Mapping):
            return [(str(k), _as_text(v)) for k, v in value.items()]
        if isinstance(value, list):
            found = []
            for item in value:
                if isinstance(item, Mapping):
                    heading = _first(item, ("heading", "name", "title"))
                    found.append((heading, _first(item, ("text", "body", "content"))))
            return found
    return []


def record_document(
    path: Path, record: Any, label: str, fields: FieldMap, defaults: Mapping[str, str]
) -> tuple[str, SourceDocument]:
    """(record id, document) for one record. Raises CorpusError naming the file and record."""
    where = f"{path} {label}"
    if not isinstance(record, Mapping):
        raise CorpusError(f"{where}: is a {type(record).__name__}, not an object with fields")
    title = " ".join(_first(record, fields.title).split())
    if not title:
        raise CorpusError(
            f"{where}: no title (looked for {', '.join(fields.title)}); "
            'map the title field, e.g. --fields \'{"title": "name"}\''
        )
    sections: dict[str, str] = {}
    for heading, text in _container_sections(record, fields):
        if heading and text:
            sections[heading] = text
    for heading, names in fields.sections.items():
        text = _first(record, names)
        if text and heading not in sections:
            sections[heading] = text
    if not sections:
        wanted = sorted({n for names in fields.sections.values() for n in names})
        raise CorpusError(
            f"{where}: has a title but no section text (looked for {', '.join(wanted[:8])}, ...); "
            'map the section fields, e.g. --fields \'{"sections": {"About this good practice": "summary"}}\''
        )
    metadata = dict(defaults)
    for target in METADATA_TARGETS:
        value = _first(record, getattr(fields, target), joiner=", ")
        if value:
            metadata[target] = " ".join(value.split())
    record_id = _first(record, fields.id, joiner="-")
    text, headings = assemble(
        [
            (title, False),
            *(
                (block, is_heading)
                for heading, body in sections.items()
                for block, is_heading in ((heading, True), (body, False))
            ),
        ]
    )
    key = slugify(record_id) or slugify(title)
    document = SourceDocument(
        text=text,
        practice_id=f"{practice_id_for(path)}-{key}",
        source=f"{source_name(path)}#{key}",
        metadata=metadata,
        heading_lines=headings,
    )
    return ("id" if record_id else "title"), document


def documents_from_records(
    path: Path, records: Iterable[tuple[str, Any]], options: ReadOptions
) -> ReadResult:
    """One document per usable record; unusable records become failures, the rest go on."""
    result = ReadResult()
    used: dict[str, str] = {}  # practice id -> record label
    for label, record in records:
        try:
            kind, document = record_document(path, record, label, options.fields, options.metadata)
            if len(document.text) > options.limits.max_chars:
                limit = options.limits.max_chars
                raise too_large(document.source, "characters", len(document.text), limit, "MAX_CHARS")
        except CorpusError as exc:
            result.failures.append((f"{source_name(path)} {label}", str(exc)))
            continue
        base = document.practice_id
        if base in used:
            if kind == "id":
                result.failures.append(
                    (
                        f"{source_name(path)} {label}",
                        (f"{path} {label}: the same id as {used[base]}; give every record its own id"),
                    )
                )
                continue
            # records without an id are named after their title: number the repeats
            number = 2
            while f"{base}-{number}" in used:
                number += 1
            document = SourceDocument(
                document.text,
                f"{base}-{number}",
                f"{document.source}-{number}",
                document.metadata,
                document.heading_lines,
            )
            result.warnings.append(
                f"{path} {label}: same title as {used[base]}; stored as {document.source} "
                "(add an id field to keep ids stable when records move)"
            )
        used[document.practice_id] = label
        result.documents.append(document)
    return result


def _checked(path: Path, result: ReadResult) -> ReadResult:
    if not result.documents and not result.failures:
        raise CorpusError(f"{path}: contains no records; nothing to ingest")
    return result


def _json_records(path: Path, data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        for key in _LIST_KEYS:
            value = _lookup(data, key)
            if isinstance(value, list):
                return value
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], Mapping)]
        if len(lists) == 1:
            return lists[0]
        return [data]  # one practice as one object
    raise CorpusError(f"{path}: holds a JSON {type(data).__name__}, not records; export a list of objects")


def read_json(path: Path, raw: bytes, options: ReadOptions) -> ReadResult:
    text = decode_text(path, raw, kind="JSON")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "fix the export or remove the file"
        ) from exc
    records = _json_records(path, data)
    return _checked(
        path, documents_from_records(path, ((f"record {i}", r) for i, r in enumerate(records, 1)), options)
    )


def read_jsonl(path: Path, raw: bytes, options: ReadOptions) -> ReadResult:
    text = decode_text(path, raw, kind="JSON Lines")
    bad: list[tuple[str, str]] = []

    def records() -> Iterator[tuple[str, Any]]:
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append(
                    (
                        f"{source_name(path)} line {number}",
                        f"{path} line {number}: not valid JSON ({exc.msg}); fix or remove the line",
                    )
                )

    result = documents_from_records(path, records(), options) if text.strip() else ReadResult()
    result.failures[:0] = bad
    if not result.documents and bad and len(bad) == len(result.failures):
        raise CorpusError(f"{path}: no line is valid JSON; is it a JSON Lines export? ({bad[0][1]})")
    return _checked(path, result)


def read_csv(path: Path, raw: bytes, options: ReadOptions) -> ReadResult:
    text = decode_text(path, raw, kind="CSV")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    if not reader.fieldnames:
        raise CorpusError(f"{path}: has no header row; the first row must name the columns")

    bad: list[tuple[str, str]] = []

    def records() -> Iterator[tuple[str, Any]]:
        try:
            for row in reader:
                row.pop(None, None)  # cells beyond the header
                yield f"row {reader.line_num}", row
        except csv.Error as exc:  # the rows before the broken one are kept
            bad.append(
                (
                    f"{source_name(path)} line {reader.line_num}",
                    f"{path} line {reader.line_num}: broken CSV ({exc}); fix the quoting",
                )
            )

    result = documents_from_records(path, records(), options) if text.strip() else ReadResult()
    result.failures.extend(bad)
    return _checked(path, result)
