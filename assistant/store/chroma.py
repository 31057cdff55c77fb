"""The Chroma store: chunks with their embeddings, and one record per document.

Two collections:
- `<name>_chunks`: one row per chunk (document text, embedding, metadata incl. doc_hash).
- `<name>_documents`: one row per practice (its parsed JSON and content hash). This record is the
  commit point of a document: chunks whose doc_hash differs from it are leftovers of an
  interrupted write and are removed by `reconcile()`.

Distances are converted to scores (higher is better) here, at the store edge.

Every public method is guarded (see assistant/store/base.py): bounded, circuit-broken calls, an
embedded store that follows other processes' writes, and writes in small batches that refuse to
start when the disk is nearly full.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from chromadb.errors import NotFoundError

from assistant.errors import StoreError
from assistant.store.base import PAGE_ROWS, StoreBase, guarded_read, guarded_write
from assistant.store.guard import StaleRead
from assistant.store.records import (
    StoredFacts,
    chunk_from_row,
    chunk_metadata,
    facts_from_data,
    practice_from_json,
    practice_to_json,
    row_id,
)
from assistant.store.sessions import GENERATION, LEASE_S, WRITER, WRITER_UNTIL, WRITES_OPEN
from assistant.types import Chunk, Practice, ScoredChunk

__all__ = [
    "GENERATION",
    "LEASE_S",
    "PAGE_ROWS",
    "WRITER",
    "WRITER_UNTIL",
    "WRITES_OPEN",
    "ChromaStore",
    "DocumentRecord",
    "where_clause",
]

log = logging.getLogger(__name__)

# (practice, its chunks, one vector per chunk): what `write_documents` stores
DocumentWrite = tuple[Practice, Sequence[Chunk], Sequence[Sequence[float]]]
# a practice's key facts as the store keeps them: plain data, one mapping per fact
FactRecords = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class DocumentRecord:
    """What the store knows about a committed practice without loading it."""

    content_hash: str
    source: str
    file_hash: str = ""  # fingerprint of the file it came from, to skip unchanged files unread
    facts_version: int = 0  # the version its key facts were stored with (0: none)


class ChromaStore(StoreBase):
    """Chunks and documents of one Praxis collection in Chroma (see StoreBase for its arguments)."""

    @guarded_read()
    def document_index(self) -> dict[str, DocumentRecord]:
        """practice id -> DocumentRecord for every committed document (metadata only)."""
        if not self._open(create=False):
            return {}
        ids, columns = self._get_all(self._documents, ["metadatas"])
        return {
            rid: DocumentRecord(
                str(meta.get("content_hash", "")),
                str(meta.get("source", "")),
                str(meta.get("file_hash", "")),
                int(meta.get("facts_version", 0) or 0),
            )
            for rid, meta in zip(ids, columns["metadatas"], strict=True)
        }

    @guarded_read()
    def document_hashes(self) -> dict[str, tuple[str, str]]:
        """practice id -> (content hash, source file) for every committed document."""
        return {pid: (r.content_hash, r.source) for pid, r in self.document_index().items()}

    @guarded_write
    def set_file_hashes(self, file_hashes: Mapping[str, str]) -> None:
        """Record the file fingerprint of practices whose content did not change (no re-embedding)."""
        if not file_hashes or not self._open(create=False):
            return
        ids = list(file_hashes)
        batch = self._batch()
        for i in range(0, len(ids), batch):
            part = ids[i : i + batch]
            self._documents.update(ids=part, metadatas=[{"file_hash": file_hashes[pid]} for pid in part])

    @guarded_read()
    def get_practice(self, practice_id: str) -> Practice | None:
        if not self._open(create=False):
            return None
        try:
            rows = self._documents.get(ids=[practice_id], include=["documents"])
        except NotFoundError:
            if not self._reopened():
                return None
            rows = self._documents.get(ids=[practice_id], include=["documents"])
        if not rows["ids"]:
            return None
        return practice_from_json(rows["documents"][0])

    @guarded_read()
    def practices(self) -> list[Practice]:
        if not self._open(create=False):
            return []
        _, columns = self._get_all(self._documents, ["documents"])
        return sorted(
            (practice_from_json(doc) for doc in columns["documents"]), key=lambda p: p.title.lower()
        )

    def replace_document(
        self,
        practice: Practice,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        facts: FactRecords | None = None,
        facts_version: int | None = None,
    ) -> None:
        """Write one practice's chunks, then commit its record, then drop its previous chunks."""
        self.write_documents(
            [(practice, chunks, vectors)],
            facts=None if facts is None else {practice.id: facts},
            facts_version=facts_version,
        )

    @guarded_write
    def write_documents(
        self,
        items: Sequence[DocumentWrite],
        *,
        file_hashes: Mapping[str, str] | None = None,
        facts: Mapping[str, FactRecords] | None = None,
        facts_version: int | None = None,
    ) -> None:
        """Replace several practices: write all their chunks, then commit their records, then drop
        their previous chunks. Writes are batched up to Chroma's maximum batch size.

        `facts` (practice id -> its key facts as plain mappings) are kept in the practice's record
        with `facts_version`, the caller's version of the rules that extracted them; the store
        hands both back from get_facts() and never interprets them.

        Each practice is replaced as one step for readers: they see its old or its new version
        plus, for a moment, both; never a half-written one. A crash before the commit leaves new
        chunks that `reconcile()` removes; a crash after it leaves old chunks that it removes.
        Raises StoreError when a practice has no chunks or not one vector per chunk, or when
        facts come without their version.
        """
        if not items:
            return
        if facts and facts_version is None:
            raise StoreError("key facts need the version of the rules that extracted them (facts_version)")
        for practice, chunks, vectors in items:
            if not chunks:
                raise StoreError(f"{practice.source}: no chunks to store")
            if len(chunks) != len(vectors):
                raise StoreError(f"{practice.source}: {len(chunks)} chunks but {len(vectors)} vectors")
        self._open(create=True)
        self._begin_writes()
        try:
            self._write(items, file_hashes, facts or {}, facts_version or 0)
        except BaseException:
            self.abandon_writes()
            raise

    def _write(
        self,
        items: Sequence[DocumentWrite],
        file_hashes: Mapping[str, str] | None,
        facts: Mapping[str, FactRecords],
        facts_version: int,
    ) -> None:
        batch = min(self._batch(), self.write_rows)
        rows = [
            (chunk, vector, practice.content_hash)
            for practice, chunks, vectors in items
            for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        dimension = len(rows[0][1]) if rows else 0
        for i in range(0, len(rows), batch):
            part = rows[i : i + batch]
            self._ensure_space(_write_bytes(sum(len(c.text) for c, _, _ in part), len(part), dimension))
            self._chunks.upsert(
                ids=[row_id(c, h) for c, _, h in part],
                documents=[c.text for c, _, _ in part],
                embeddings=[list(v) for _, v, _ in part],
                metadatas=[chunk_metadata(c, h) for c, _, h in part],
            )
        # a practice's record carries the normalised mean of its chunk vectors: distinct points
        # keep the documents collection's vector index cheap to grow (and allow "similar practices")
        means = []
        for _, _, vectors in items:
            mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
            means.append((mean / (np.linalg.norm(mean) or 1.0)).tolist())
        for i in range(0, len(items), batch):
            part_items = items[i : i + batch]
            metadatas = []
            for practice, _, _ in part_items:
                meta: dict[str, str | int] = {
                    "content_hash": practice.content_hash,
                    "source": practice.source,
                    "title": practice.title,
                }
                if file_hashes and practice.id in file_hashes:
                    meta["file_hash"] = file_hashes[practice.id]
                if practice.id in facts:
                    meta["facts_version"] = facts_version
                metadatas.append(meta)
            self._ensure_space(
                _write_bytes(sum(len(p.text) for p, _, _ in part_items), len(part_items), dimension)
            )
            self._documents.upsert(
                ids=[p.id for p, _, _ in part_items],
                documents=[practice_to_json(p, facts.get(p.id), facts_version) for p, _, _ in part_items],
                embeddings=means[i : i + batch],
                metadatas=metadatas,
            )
        new_ids = {row_id(c, h) for c, _, h in rows}
        practice_ids = [p.id for p, _, _ in items]
        where: dict[str, Any] = {"practice_id": {"$in": practice_ids}}
        if len(practice_ids) == 1:
            where = {"practice_id": practice_ids[0]}
        old = self._chunks.get(where=where, include=[])
        stale = [cid for cid in old["ids"] if cid not in new_ids]
        for i in range(0, len(stale), batch):
            self._chunks.delete(ids=stale[i : i + batch])
        self.writes += 1

    @guarded_read()
    def get_facts(self, practice_id: str) -> StoredFacts | None:
        """The key facts stored with a practice and their version; None when it has none."""
        if not self._open(create=False):
            return None
        rows = self._documents.get(ids=[practice_id], include=["documents"])
        if not rows["ids"]:
            return None
        return facts_from_data(json.loads(rows["documents"][0]))

    @guarded_read()
    def practices_with_facts(self) -> list[tuple[Practice, StoredFacts | None]]:
        """Every practice with its stored facts and their version (None where missing), by title."""
        if not self._open(create=False):
            return []
        _, columns = self._get_all(self._documents, ["documents"])
        pairs = [(practice_from_json(doc), facts_from_data(json.loads(doc))) for doc in columns["documents"]]
        return sorted(pairs, key=lambda pair: pair[0].title.lower())

    @guarded_write
    def update_facts(self, practice_id: str, facts: FactRecords, facts_version: int) -> bool:
        """Rewrite the facts of a committed practice without touching its chunks. False if absent."""
        if not self._open(create=False):
            return False
        rows = self._documents.get(ids=[practice_id], include=["documents", "embeddings", "metadatas"])
        if not rows["ids"]:
            return False
        practice = practice_from_json(rows["documents"][0])
        self._documents.update(
            ids=[practice_id],
            documents=[practice_to_json(practice, facts, facts_version)],
            embeddings=[list(rows["embeddings"][0])],
            metadatas=[{**rows["metadatas"][0], "facts_version": facts_version}],
        )
        return True

    @guarded_read()
    def practice_centroids(self) -> dict[str, np.ndarray]:
        """practice id -> unit-length mean of its chunk vectors, as stored with its record (one
        row per practice: at 10,000 practices about 40x less to read than every chunk vector)."""
        if not self._open(create=False):
            return {}
        ids, columns = self._get_all(self._documents, ["embeddings"])
        result: dict[str, np.ndarray] = {}
        for practice_id, vector in zip(ids, columns["embeddings"], strict=True):
            row = np.asarray(vector, dtype=np.float64)
            if row[0] == 1.0 and not row[1:].any():  # a record written before it carried its centroid
                chunks = self._chunks.get(where={"practice_id": practice_id}, include=["embeddings"])
                if not chunks["ids"]:
                    continue
                row = np.asarray(chunks["embeddings"], dtype=np.float64).mean(axis=0)
            norm = float(np.linalg.norm(row))
            if norm > 0:
                result[practice_id] = row / norm
        return result

    @guarded_read()
    def practice_vectors(self) -> dict[str, list[list[float]]]:
        """practice id -> the embeddings of its chunks (for "similar practices")."""
        if not self._open(create=False):
            return {}
        _, columns = self._get_all(self._chunks, ["embeddings", "metadatas"])
        vectors: dict[str, list[list[float]]] = {}
        for vector, meta in zip(columns["embeddings"], columns["metadatas"], strict=True):
            vectors.setdefault(str(meta["practice_id"]), []).append([float(x) for x in vector])
        return vectors

    @guarded_write
    def delete_document(self, practice_id: str) -> int:
        """Remove a practice and its chunks; returns the number of chunks removed."""
        if not self._open(create=False):
            return 0
        own_session = not self._writes_open  # a lone delete (the API) ends what it opens
        self._begin_writes()
        try:
            old = self._chunks.get(where={"practice_id": practice_id}, include=[])
            self.writes += 1
            self._documents.delete(ids=[practice_id])
            if old["ids"]:
                self._chunks.delete(ids=old["ids"])
        except BaseException:
            self.abandon_writes()
            raise
        if own_session:
            self.end_writes()
        return len(old["ids"])

    @guarded_write
    def reconcile(self, *, force: bool = False) -> int:
        """Remove chunks that belong to no committed document version; returns how many.

        Only when the last writer did not finish (see `end_writes`), unless forced: the scan
        reads every chunk's metadata (about 10 s at 75,000 chunks). Rows of a committed version
        are never overwritten (see `row_id`), so removing orphans leaves every practice whole.
        """
        if not self._open(create=False) or (not force and not self.writes_interrupted()):
            self._reconciled = True  # nothing to scan: no store, or every writer finished
            return 0
        # the "orphans" of a writer that is still at work are its uncommitted rows: leave them
        self._check_no_other_writer(self._session())
        committed = {pid: r.content_hash for pid, r in self.document_index().items()}
        ids, columns = self._get_all(self._chunks, ["metadatas"])
        orphans = [
            cid
            for cid, meta in zip(ids, columns["metadatas"], strict=True)
            if committed.get(str(meta.get("practice_id"))) != meta.get("doc_hash")
        ]
        if orphans:
            log.warning("removing orphan chunks count=%d", len(orphans))
            batch = self._batch()
            for i in range(0, len(orphans), batch):
                self._chunks.delete(ids=orphans[i : i + batch])
        self._reconciled = True
        return len(orphans)

    # -- chunks ------------------------------------------------------------------------------

    @guarded_read()
    def probe(self) -> tuple[int, int]:
        """(practices, chunks), after a nearest-neighbour query proved the store can answer one
        (not only that it is reachable). Raises the store's errors when it cannot."""
        if not self._open(create=False):
            return 0, 0
        practices, chunks = int(self._documents.count()), int(self._chunks.count())
        if chunks:
            dimension = int((self._chunks.metadata or {}).get("embedding_dim") or 0) or len(
                self.embeddings.embed_query("probe")
            )
            result = self._nearest([dimension**-0.5] * dimension, 1, None)
            if result["ids"][0] and result["metadatas"][0][0] is None:
                raise StaleRead("the nearest row has no metadata")
        return practices, chunks

    @guarded_read()
    def count_documents(self) -> int:
        """How many practices are committed (one count request, whatever the size)."""
        if not self._open(create=False):
            return 0
        return int(self._documents.count())

    @guarded_read()
    def count_chunks(self) -> int:
        if not self._open(create=False):
            return 0
        return int(self._chunks.count())

    @guarded_read()
    def all_chunks(self) -> list[Chunk]:
        if not self._open(create=False):
            return []
        _, columns = self._get_all(self._chunks, ["documents", "metadatas"])
        return [chunk_from_row(t, m) for t, m in zip(columns["documents"], columns["metadatas"], strict=True)]

    @guarded_read()
    def chunk_rows(self) -> list[tuple[str, Chunk]]:
        """(stored row id, chunk) for every chunk row: what a keyword index is built from."""
        if not self._open(create=False):
            return []
        ids, columns = self._get_all(self._chunks, ["documents", "metadatas"])
        return [
            (rid, chunk_from_row(t, m))
            for rid, t, m in zip(ids, columns["documents"], columns["metadatas"], strict=True)
        ]

    @guarded_read()
    def committed_chunk_rows(
        self, hashes: Mapping[str, str], *, whole: bool = False
    ) -> dict[str, list[tuple[str, Chunk]]]:
        """practice id -> its (stored row id, chunk) rows of the version with the given content
        hash, in document order (leftovers of other versions left out). Reads those practices
        only, or, with `whole`, the collection in one paged pass (cheaper for most of it)."""
        found: dict[str, list[tuple[str, Chunk]]] = {pid: [] for pid in hashes}
        if not hashes or not self._open(create=False):
            return found

        def keep(ids: Sequence[str], texts: Sequence[str], metas: Sequence[Any]) -> None:
            for rid, text, meta in zip(ids, texts, metas, strict=True):
                pid = str(meta.get("practice_id"))
                if pid in hashes and meta.get("doc_hash") == hashes[pid]:
                    found[pid].append((rid, chunk_from_row(text, meta)))

        if whole:
            ids, columns = self._get_all(self._chunks, ["documents", "metadatas"])
            keep(ids, columns["documents"], columns["metadatas"])
        else:
            pids = list(hashes)
            for start in range(0, len(pids), 100):
                where = {"practice_id": {"$in": pids[start : start + 100]}}
                ids, columns = self._get_all(self._chunks, ["documents", "metadatas"], where)
                keep(ids, columns["documents"], columns["metadatas"])
        for rows in found.values():
            rows.sort(key=lambda row: row[1].ordinal)
        return found

    @guarded_read()
    def content_version(self) -> tuple[int, int, int]:
        """Cheap to read, and changes when chunks are added or removed: (writes through this
        object, chunk count, document count). Caches built from the chunks key on it."""
        if not self._open(create=False):
            return (self.writes, 0, 0)
        return (self.writes, int(self._chunks.count()), int(self._documents.count()))

    @guarded_read()
    def chunks_of(self, practice_id: str) -> list[Chunk]:
        """Every chunk of one practice, in document order."""
        if not self._open(create=False):
            return []
        rows = self._chunks.get(where={"practice_id": practice_id}, include=["documents", "metadatas"])
        chunks = [chunk_from_row(t, m) for t, m in zip(rows["documents"], rows["metadatas"], strict=True)]
        return sorted(chunks, key=lambda c: c.ordinal)

    @guarded_read(fallback=dict)
    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, tuple[Chunk, list[float]]]:
        """row id (see chunk_rows) -> (chunk, stored vector) for the rows that still exist."""
        if not ids or not self._open(create=False):
            return {}
        rows = self._chunks.get(ids=list(ids), include=["documents", "metadatas", "embeddings"])
        found = {
            cid: (chunk_from_row(text, meta), [float(x) for x in vector])
            for cid, text, meta, vector in zip(
                rows["ids"], rows["documents"], rows["metadatas"], rows["embeddings"], strict=True
            )
            if text is not None and meta is not None
        }
        if len(found) < len(rows["ids"]):
            self._vanished(len(rows["ids"]) - len(found))
        return found

    def _nearest(self, vector: Sequence[float], k: int, where: dict[str, Any] | None) -> Any:
        # no count() first: Chroma returns fewer than k when it has fewer (one request per query)
        return self._chunks.query(
            query_embeddings=[list(vector)],
            n_results=k,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )

    @guarded_read(fallback=list)
    def query(
        self, vector: Sequence[float], *, k: int, where: dict[str, Any] | None = None
    ) -> list[ScoredChunk]:
        """Nearest chunks by cosine similarity (score = 1 - cosine distance).

        When another process (`praxis ingest --rebuild`, e.g. against a shared Chroma server) has
        replaced the collections, this store reopens them instead of failing every query; while
        that process has not yet written the new vector index, there are no nearest chunks (the
        keyword side of hybrid retrieval still answers).
        """
        if not self._open(create=False):
            return []
        try:
            result = self._nearest(vector, k, where)
        except NotFoundError:
            if not self._reopened():
                return []
            result = self._nearest(vector, k, where)
        rows = list(zip(result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True))
        found = [
            ScoredChunk(chunk_from_row(text, meta), 1.0 - float(dist))
            for text, meta, dist in rows
            if text is not None and meta is not None
        ]
        if len(found) < len(rows):
            self._vanished(len(rows) - len(found))
        return found


def _write_bytes(text_chars: int, rows: int, dimension: int) -> int:
    """A generous estimate of the disk a write of rows takes, with SQLite's journal and Chroma's
    full-text index of the documents (several times the text) and its vector index."""
    return 8 * 4 * text_chars + rows * (16 * dimension + 4096)


def where_clause(filters: dict[str, str] | None) -> dict[str, Any] | None:
    """Chroma `where` for equality filters on chunk metadata (country, theme, section, ...)."""
    items: Iterable[tuple[str, str]] = ((k, v) for k, v in (filters or {}).items() if v)
    clauses = [{key: value} for key, value in items]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
