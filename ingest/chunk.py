"""Split a Practice into chunks: never across sections, long sections on sentence boundaries."""

from __future__ import annotations

from assistant.types import Chunk, Practice
from assistant.vocabulary import sentence_spans


def chunk_practice(practice: Practice, *, target_chars: int = 700, overlap: int = 1) -> list[Chunk]:
    """Chunks of at most about target_chars, sentence-aligned, `overlap` sentences repeated.

    A sentence longer than target_chars becomes a chunk of its own (never cut mid-sentence).
    """
    chunks: list[Chunk] = []
    ordinal = 0
    for section in practice.sections:
        sentences = sentence_spans(practice.text, section.start, section.end)
        groups: list[list[tuple[int, int]]] = []
        current: list[tuple[int, int]] = []
        for sentence in sentences:
            if current and sentence[1] - current[0][0] > target_chars:
                groups.append(current)
                current = current[-overlap:] if overlap else []
                if current and sentence[1] - current[0][0] > target_chars:
                    current = []
            current.append(sentence)
        if current and (not groups or current[-1] != groups[-1][-1]):
            groups.append(current)
        for group in groups:
            start, end = group[0][0], group[-1][1]
            chunks.append(
                Chunk(
                    practice_id=practice.id,
                    title=practice.title,
                    section=section.name,
                    ordinal=ordinal,
                    text=practice.text[start:end],
                    start=start,
                    end=end,
                    source=practice.source,
                    metadata=dict(practice.metadata),
                )
            )
            ordinal += 1
    return chunks
