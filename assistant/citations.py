"""Citation markers: the one `[n]` regex, and turning selected text into Citation objects."""

from __future__ import annotations

import re

from assistant.types import Citation, ScoredChunk

MARKER = re.compile(r"\[(\d{1,3})\]")


def markers_in(text: str) -> list[int]:
    """The marker numbers in an answer, in order of appearance."""
    return [int(m) for m in MARKER.findall(text)]


def cite(n: int, passage: ScoredChunk, start: int, end: int) -> Citation:
    """Citation n for the text at absolute offsets [start, end) inside passage's chunk."""
    chunk = passage.chunk
    if not (chunk.start <= start < end <= chunk.end):
        raise ValueError(f"span {start}-{end} lies outside chunk {chunk.start}-{chunk.end}")
    text = chunk.text[start - chunk.start : end - chunk.start]
    return Citation(
        n=n,
        practice_id=chunk.practice_id,
        title=chunk.title,
        section=chunk.section,
        source=chunk.source,
        text=text,
        start=start,
        end=end,
    )
