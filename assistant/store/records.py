"""How practices and chunks are written into Chroma rows and read back."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any, NamedTuple

from assistant.types import Chunk, Practice, Section

METADATA_KEYS = ("country", "region", "theme")


class StoredFacts(NamedTuple):
    """The key facts kept with a practice, as plain data, and the version of the rules that
    extracted them (0 when the record does not say). The store never interprets either."""

    version: int
    facts: list[dict[str, Any]]


def practice_to_json(
    practice: Practice, facts: Sequence[Mapping[str, Any]] | None = None, facts_version: int = 0
) -> str:
    data = asdict(practice)
    if facts is not None:  # key facts ride along in the same record (see assistant/practices/facts/)
        data["facts"] = [dict(f) for f in facts]
        data["facts_version"] = facts_version
    return json.dumps(data, ensure_ascii=False)


def facts_from_data(data: dict[str, Any]) -> StoredFacts | None:
    """The stored facts and their version, or None when the record has none."""
    if not isinstance(data.get("facts"), list):
        return None
    version = data.get("facts_version")
    return StoredFacts(version if isinstance(version, int) else 0, [dict(f) for f in data["facts"]])


def practice_from_json(raw: str) -> Practice:
    data = json.loads(raw)
    data.pop("facts", None)
    data.pop("facts_version", None)
    data["sections"] = [Section(**s) for s in data["sections"]]
    return Practice(**data)


def row_id(chunk: Chunk, doc_hash: str) -> str:
    """The stored id of a chunk in one document version.

    Versioned so that writing a new version never overwrites the rows of the committed one: an
    interrupted write then leaves the old version whole plus orphans that reconcile() removes.
    """
    return f"{chunk.id}-{doc_hash[:12]}"


def chunk_metadata(chunk: Chunk, doc_hash: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "practice_id": chunk.practice_id,
        "title": chunk.title,
        "section": chunk.section,
        "ordinal": chunk.ordinal,
        "start": chunk.start,
        "end": chunk.end,
        "source": chunk.source,
        "doc_hash": doc_hash,
    }
    for key in METADATA_KEYS:
        meta[key] = chunk.metadata.get(key, "")
    return meta


def chunk_from_row(text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        practice_id=str(meta["practice_id"]),
        title=str(meta["title"]),
        section=str(meta["section"]),
        ordinal=int(meta["ordinal"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        source=str(meta["source"]),
        metadata={k: str(meta.get(k, "")) for k in METADATA_KEYS if meta.get(k)},
    )
