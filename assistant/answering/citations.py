"""Citation markers: the one `[n]` regex, and turning selected text into Citation objects."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.types import Citation, ScoredChunk
from assistant.vocabulary import numbers

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


_MARKER_RUN = re.compile(r"(?:\s*\[\d{1,3}\])+")


@dataclass(frozen=True)
class Claim:
    """A piece of an answer and the markers that close it: 'LAuGEA has 21 members [2]'."""

    text: str  # without its markers
    markers: tuple[int, ...]


def claims(answer: str) -> list[Claim]:
    """The answer cut after each run of markers, line by line; trailing uncited text is a Claim
    without markers."""
    result: list[Claim] = []
    for line in answer.splitlines():
        pos = 0
        for match in _MARKER_RUN.finditer(line):
            text = line[pos : match.start()].strip()
            result.append(Claim(text, tuple(markers_in(match.group(0)))))
            pos = match.end()
        rest = line[pos:].strip()
        if rest:
            result.append(Claim(rest, ()))
    return result


def unsupported_numbers(claim: Claim, citations: Sequence[Citation]) -> set[str]:
    """Numbers stated in the claim that none of its cited texts (or their practice titles) contain.

    A marker with no citation supports nothing, so every number of its claim is unsupported.
    """
    by_n = {c.n: c for c in citations}
    stated = numbers(claim.text)
    if not stated:
        return set()
    supported: set[str] = set()
    for n in claim.markers:
        citation = by_n.get(n)
        if citation is not None:
            supported |= numbers(citation.text) | numbers(citation.title)
    return stated - supported


def verify(
    answer: str, citations: Sequence[Citation], passages: Sequence[ScoredChunk] | None = None
) -> list[str]:
    """Problems with an answer's citations: a marker with no citation, a citation outside the
    retrieved passages, a number the cited text does not state. Empty: every claim is backed."""
    known = {c.n for c in citations}
    problems: list[str] = []
    if passages is not None:
        for c in citations:
            if not any(_inside(c, p) for p in passages):
                problems.append(f"citation [{c.n}] is not from a retrieved passage")
    for claim in claims(answer):
        missing = [n for n in claim.markers if n not in known]
        if missing:
            problems.append(f"marker {missing} points at no retrieved passage: {claim.text[:60]!r}")
        elif claim.markers:
            extra = unsupported_numbers(claim, citations)
            if extra:
                problems.append(f"{sorted(extra)} not in the cited text: {claim.text[:60]!r}")
    return problems


def _inside(citation: Citation, passage: ScoredChunk) -> bool:
    chunk = passage.chunk
    return (
        citation.practice_id == chunk.practice_id
        and chunk.start <= citation.start < citation.end <= chunk.end
        and chunk.text[citation.start - chunk.start : citation.end - chunk.start] == citation.text
    )


def supported_only(
    answer: str, citations: Sequence[Citation], passages: Sequence[ScoredChunk]
) -> tuple[str, list[Citation]]:
    """The answer without the claims that fail `verify` (and the citations nobody uses)."""
    valid = {c.n: c for c in citations if any(_inside(c, p) for p in passages)}
    lines = []
    for line in answer.splitlines():
        kept = []
        for claim in claims(line):
            if not claim.markers:
                kept.append(claim.text)
            elif all(n in valid for n in claim.markers) and not unsupported_numbers(
                claim, list(valid.values())
            ):
                kept.append(claim.text + " " + " ".join(f"[{n}]" for n in claim.markers))
        if any(MARKER.search(k) for k in kept):
            lines.append(" ".join(kept))
    text = "\n".join(lines)
    used = set(markers_in(text))
    return text, [c for n, c in valid.items() if n in used]
