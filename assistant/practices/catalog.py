"""The Catalog: practices as things to look up, compare, relate and filter (not to ask about).

One object the CLI, the HTTP API and the web UI call for key facts, comparisons and similar
practices (listing and filtering: `assistant.practices.listing`). Built from a store by
`assistant.factory.build_catalog`.

The store keeps each practice's key facts as plain data with the FACTS_VERSION they were
extracted under; the catalog turns them back into Facts, and extracts afresh when they come from
other rules (or there are none), so a store written before a rule change still answers right.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.errors import InvalidQuestion, UnknownPractice
from assistant.practices.compare import MAX_PRACTICES, MIN_PRACTICES, Comparison, build_comparison
from assistant.practices.facts.model import FACTS_VERSION, Fact
from assistant.practices.facts.rules import extract_facts
from assistant.practices.similar import SimilarPractice, rank_similar, validate_similar_args
from assistant.store.chroma import ChromaStore
from assistant.store.records import StoredFacts
from assistant.types import Practice
from assistant.vocabulary import fold

MAX_REF_CHARS = 200


class Catalog:
    """Key facts, comparison and similar practices over one store."""

    def __init__(self, store: ChromaStore) -> None:
        self.store = store

    # -- finding practices -------------------------------------------------------------------

    def resolve(self, ref: str) -> Practice:
        """A practice by id, by exact title, or by an unambiguous fragment of its title or id.

        Raises InvalidQuestion (empty or ambiguous reference) or UnknownPractice (no match).
        """
        if not isinstance(ref, str) or not ref.strip():
            raise InvalidQuestion("give a practice id or part of its title")
        ref = ref.strip()
        if len(ref) > MAX_REF_CHARS:
            raise InvalidQuestion(f"a practice reference is at most {MAX_REF_CHARS} characters")
        direct = self.store.get_practice(ref)
        if direct is not None:
            return direct
        practices = self.store.practices()
        if not practices:
            raise UnknownPractice("the store holds no practices yet; run `praxis ingest` first")
        needle = " ".join(fold(ref).split())
        exact = [p for p in practices if " ".join(fold(p.title).split()) == needle or p.id == needle]
        if len(exact) == 1:
            return exact[0]
        matches = [p for p in practices if needle in " ".join(fold(p.title).split()) or needle in p.id]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UnknownPractice(
                f"no practice matches {ref!r}; use a practice id or a part of its title "
                "(`praxis practices` lists them)"
            )
        shown = "; ".join(f"{p.id} ({p.title})" for p in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise InvalidQuestion(
            f"{ref!r} matches {len(matches)} practices: {shown}{more}; give a longer fragment or the id"
        )

    # -- key facts ---------------------------------------------------------------------------

    def facts_of(self, practice: Practice) -> list[Fact]:
        """The stored facts, or freshly extracted ones if the record predates the current rules."""
        return current_facts(practice, self.store.get_facts(practice.id))

    def facts(self, ref: str) -> tuple[Practice, list[Fact]]:
        practice = self.resolve(ref)
        return practice, self.facts_of(practice)

    # -- compare -----------------------------------------------------------------------------

    def compare(self, refs: Sequence[str], *, max_chars: int = 400) -> Comparison:
        """Side-by-side table of 2 to 5 practices. Raises InvalidQuestion / UnknownPractice."""
        if isinstance(refs, str) or not isinstance(refs, Sequence):
            raise InvalidQuestion("give a list of 2 to 5 practice ids or title fragments")
        if not MIN_PRACTICES <= len(refs) <= MAX_PRACTICES:
            raise InvalidQuestion(
                f"compare takes {MIN_PRACTICES} to {MAX_PRACTICES} practices, got {len(refs)}"
            )
        if not isinstance(max_chars, int) or not 50 <= max_chars <= 5000:
            raise InvalidQuestion(f"max_chars must be from 50 to 5000, got {max_chars!r}")
        practices = [self.resolve(ref) for ref in refs]
        seen: dict[str, str] = {}
        for ref, practice in zip(refs, practices, strict=True):
            if practice.id in seen:
                raise InvalidQuestion(
                    f"{ref!r} and {seen[practice.id]!r} are the same practice ({practice.id}); "
                    "compare different ones"
                )
            seen[practice.id] = ref
        return build_comparison(practices, [self.facts_of(p) for p in practices], max_chars=max_chars)

    # -- similar -----------------------------------------------------------------------------

    def similar(self, ref: str, *, k: int = 5, per_country: int = 2) -> list[SimilarPractice]:
        """Up to k practices most like this one, at most per_country from any one country."""
        validate_similar_args(k, per_country)
        practice = self.resolve(ref)
        by_id = {p.id: p for p in self.store.practices()}
        countries = {pid: p.metadata.get("country") for pid, p in by_id.items()}
        vectors = self.store.practice_centroids()  # stored with each record: one row per practice
        ranked = rank_similar(practice.id, vectors, countries, k=k, per_country=per_country)
        return [
            SimilarPractice(
                pid,
                by_id[pid].title,
                by_id[pid].metadata.get("country"),
                by_id[pid].metadata.get("region"),
                score,
            )
            for pid, score in ranked
            if pid in by_id
        ]


def current_facts(practice: Practice, stored: StoredFacts | None) -> list[Fact]:
    """The stored facts when the current rules (FACTS_VERSION) extracted them, else fresh ones."""
    if stored is None or stored.version != FACTS_VERSION:
        return extract_facts(practice)
    return [Fact.from_dict(data) for data in stored.facts]
