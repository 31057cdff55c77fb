"""The Chroma store: chunks with their embeddings, and one record per document.

Two collections:
- `<name>_chunks`: one row per chunk (document text, embedding, metadata incl. doc_hash).
- `<name>_documents`: one row per practice (its parsed JSON and content hash). This record is the
  commit point of a document: chunks whose doc_hash differs from it are leftovers of an
  interrupted write and are removed by `reconcile()`.

Distances are converted to scores (higher is better) here, at the store edge.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from chromadb.api import ClientAPI
from chromadb.errors import NotFoundError
from langchain_core.embeddings import Embeddings

from assistant.errors import ModelMismatchError, StoreError
from assistant.store.client import ChromaEmbeddingFunction
from assistant.store.records import (
    StoredFacts,
    chunk_from_row,
    chunk_metadata,
    facts_from_data,
    practice_from_json,
    practice_to_json,
    row_id,
)
from assistant.types import Chunk, Practice, ScoredChunk

log = logging.getLogger(__name__)

PAGE_ROWS = 10_000  # rows per get() when reading a whole collection: bounded memory and payloads
# documents-collection metadata: the write session. WRITES_OPEN is 1 while a writer may be mid-way
# (a crash leaves it so: the next reconcile() then scans); WRITER holds the writer's lease until
# WRITER_UNTIL (epoch seconds), renewed while it writes, so a second writer (another API replica,
# a second `praxis ingest` against one Chroma server) is refused instead of racing it.
WRITES_OPEN = "praxis_writes_open"
WRITER = "praxis_writer"
WRITER_UNTIL = "praxis_writer_until"
# changes whenever a write session starts or ends: readers' caches (the keyword index) compare it
# instead of reading every document record
GENERATION = "praxis_generation"
LEASE_S = 300

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


class ChromaStore:
    """Chunks and documents of one Praxis collection in Chroma."""

    def __init__(self, client: ClientAPI, embeddings: Embeddings, *, name: str = "praxis") -> None:
        self.client = client
        self.embeddings = embeddings
        self.name = name
        self._function = ChromaEmbeddingFunction(embeddings)
        self._chunks: Any = None
        self._documents: Any = None
        self._max_batch: int | None = None
        self._writes_open = False
        self.writes = 0  # bumped by every write through this object; part of content_version()
        self._writer_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._lease_renewed = 0.0
        self._reconciled = False  # reconcile() ran in this run (reconcile ... end_writes)
        self._dirty_before = False  # the session we opened started over unscanned leftovers

    # -- collections -------------------------------------------------------------------------

    @property
    def model_name(self) -> str:
        return str(getattr(self.embeddings, "model_name", type(self.embeddings).__name__))

    def _existing(self, suffix: str) -> Any | None:
        names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        full = f"{self.name}_{suffix}"
        if full not in names:
            return None
        return self.client.get_collection(full, embedding_function=self._function)  # type: ignore[arg-type]

    def recorded_model(self) -> tuple[str, int] | None:
        """(model, dimension) the chunks collection was built with, or None when there is none."""
        existing = self._existing("chunks")
        if existing is None:
            return None
        meta = existing.metadata or {}
        return str(meta.get("embedding_model", "")), int(meta.get("embedding_dim", 0))

    def check_model(self) -> None:
        """Raise ModelMismatchError when the collection was built with another embedding model."""
        recorded = self.recorded_model()
        if recorded is None:
            return
        model, dim = recorded
        if model != self.model_name:
            raise ModelMismatchError(
                f"the store under collection {self.name!r} was built with embedding model "
                f"{model!r} (dimension {dim}), but {self.model_name!r} is configured; "
                f"set PRAXIS_EMBEDDING__MODEL={model} or re-ingest with --rebuild to start over"
            )

    def _open(self, create: bool) -> bool:
        if self._chunks is not None:
            return True
        self.check_model()
        if not create:
            chunks = self._existing("chunks")
            documents = self._existing("documents")
            if chunks is None or documents is None:
                return False
            self._chunks, self._documents = chunks, documents
            return True
        dimension = int(getattr(self.embeddings, "dimension", 0)) or len(
            self.embeddings.embed_query("dimension probe")
        )
        self._chunks = self.client.get_or_create_collection(
            f"{self.name}_chunks",
            embedding_function=self._function,  # type: ignore[arg-type]
            metadata={"embedding_model": self.model_name, "embedding_dim": dimension},
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._documents = self.client.get_or_create_collection(
            f"{self.name}_documents",
            embedding_function=self._function,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
        )
        return True

    def _reopened(self) -> bool:
        """Forget the collection handles after another process rebuilt the collections (the
        handles then name deleted collections) and open the current ones; False if none."""
        log.info("collection handles are stale; reopening collection=%s", self.name)
        self._chunks = self._documents = None
        self._writes_open = False
        return self._open(create=False)

    def drop(self) -> None:
        """Delete both collections (the explicit `--rebuild`)."""
        for suffix in ("chunks", "documents"):
            if self._existing(suffix) is not None:
                self.client.delete_collection(f"{self.name}_{suffix}")
        self._chunks = self._documents = None
        self._writes_open = False
        self.writes += 1

    # -- write sessions: a crash between begin and end makes the next reconcile() look -------

    def _session(self) -> dict[str, Any]:
        documents = self._existing("documents")  # fresh: another process may have changed it
        return dict(documents.metadata or {}) if documents is not None else {}

    @staticmethod
    def _writer_alive(holder: str) -> bool:
        """False for a writer process of this machine that no longer exists (killed mid-ingest)."""
        host, _, rest = holder.partition(":")
        pid = rest.partition(":")[0]
        if host != socket.gethostname() or not pid.isdigit():
            return True  # another machine: trust its lease until it runs out
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True
        return True

    def _check_no_other_writer(self, session: dict[str, Any]) -> None:
        holder = str(session.get(WRITER) or "")
        until = float(session.get(WRITER_UNTIL) or 0)
        if holder and holder != self._writer_id and until > time.time() and self._writer_alive(holder):
            raise StoreError(
                f"another ingest ({holder}) is writing collection {self.name!r}; wait until it "
                f"finishes (its lease runs to {time.strftime('%H:%M:%S', time.localtime(until))}, "
                "renewed while it writes) and run this one again"
            )

    def _begin_writes(self) -> None:
        """Open (or renew) this store's write session. Raises StoreError when another writer holds it."""
        now = time.time()
        if self._writes_open and now - self._lease_renewed < LEASE_S / 3:
            return
        session = self._session()
        self._check_no_other_writer(session)
        if not self._writes_open:  # left unfinished before, and not scanned by us since?
            self._dirty_before = session.get(WRITES_OPEN) != 0 and not self._reconciled
        self._documents.modify(
            metadata={
                WRITES_OPEN: 1,
                WRITER: self._writer_id,
                WRITER_UNTIL: now + LEASE_S,
                GENERATION: uuid.uuid4().hex,
            }
        )
        self._writes_open = True
        self._lease_renewed = now

    def abandon_writes(self) -> None:
        """A write failed or was interrupted in this process: give up the lease but leave the
        session marked open, so the next reconcile() removes what was half-written."""
        self._reconciled = False
        try:
            if self._writes_open:
                self._documents.modify(metadata={WRITES_OPEN: 1, GENERATION: uuid.uuid4().hex})
        except Exception:  # the store may be what failed; the lease then simply runs out
            log.warning("could not release the write lease collection=%s", self.name)
        self._writes_open = False

    def end_writes(self) -> None:
        """Release the write lease after every write of this session completed. The store is
        marked clean (the next `reconcile()` skips its scan of all chunks) unless an earlier
        writer's leftovers are still unscanned. Writers call this when done (the Ingestor at the
        end of a run, `delete_document` for itself)."""
        if not self._open(create=False):
            return
        session = self._session()
        if not self._writes_open and (session.get(WRITES_OPEN) == 0 or not self._reconciled):
            return  # nothing written, and nothing this store could vouch for
        self._check_no_other_writer(session)
        dirty = self._dirty_before if self._writes_open else False
        self._documents.modify(metadata={WRITES_OPEN: 1 if dirty else 0, GENERATION: uuid.uuid4().hex})
        self._writes_open = False
        self._reconciled = False  # valid for one run: another process may write after it

    def generation(self) -> str | None:
        """A token that changes whenever a write session starts or ends, in any process (one
        small request); None for a store written before Praxis kept it."""
        value = self._session().get(GENERATION)
        return str(value) if value else None

    def writes_interrupted(self) -> bool:
        """Whether a writer may have stopped mid-way (or the store predates this marker)."""
        documents = self._existing("documents")
        return documents is not None and (documents.metadata or {}).get(WRITES_OPEN) != 0

    # -- documents ---------------------------------------------------------------------------

    def _batch(self) -> int:
        """Chroma's largest accepted write (asked once: with a server it is a request)."""
        if self._max_batch is None:
            self._max_batch = max(1, int(self.client.get_max_batch_size()))
        return self._max_batch

    @staticmethod
    def _get_all(
        collection: Any, include: list[str], where: dict[str, Any] | None = None
    ) -> tuple[list[str], dict[str, list[Any]]]:
        """Every row of a collection, fetched PAGE_ROWS at a time."""
        ids: list[str] = []
        columns: dict[str, list[Any]] = {name: [] for name in include}
        offset = 0
        while True:
            rows = collection.get(where=where, include=include, limit=PAGE_ROWS, offset=offset)
            ids.extend(rows["ids"])
            for name in include:
                columns[name].extend(rows[name] if rows[name] is not None else [])
            if len(rows["ids"]) < PAGE_ROWS:
                return ids, columns
            offset += PAGE_ROWS

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

    def document_hashes(self) -> dict[str, tuple[str, str]]:
        """practice id -> (content hash, source file) for every committed document."""
        return {pid: (r.content_hash, r.source) for pid, r in self.document_index().items()}

    def set_file_hashes(self, file_hashes: Mapping[str, str]) -> None:
        """Record the file fingerprint of practices whose content did not change (no re-embedding)."""
        if not file_hashes or not self._open(create=False):
            return
        ids = list(file_hashes)
        batch = self._batch()
        for i in range(0, len(ids), batch):
            part = ids[i : i + batch]
            self._documents.update(ids=part, metadatas=[{"file_hash": file_hashes[pid]} for pid in part])

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
        batch = self._batch()
        rows = [
            (chunk, vector, practice.content_hash)
            for practice, chunks, vectors in items
            for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        for i in range(0, len(rows), batch):
            part = rows[i : i + batch]
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

    def get_facts(self, practice_id: str) -> StoredFacts | None:
        """The key facts stored with a practice and their version; None when it has none."""
        if not self._open(create=False):
            return None
        rows = self._documents.get(ids=[practice_id], include=["documents"])
        if not rows["ids"]:
            return None
        return facts_from_data(json.loads(rows["documents"][0]))

    def practices_with_facts(self) -> list[tuple[Practice, StoredFacts | None]]:
        """Every practice with its stored facts and their version (None where missing), by title."""
        if not self._open(create=False):
            return []
        _, columns = self._get_all(self._documents, ["documents"])
        pairs = [(practice_from_json(doc), facts_from_data(json.loads(doc))) for doc in columns["documents"]]
        return sorted(pairs, key=lambda pair: pair[0].title.lower())

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

    def practice_vectors(self) -> dict[str, list[list[float]]]:
        """practice id -> the embeddings of its chunks (for "similar practices")."""
        if not self._open(create=False):
            return {}
        _, columns = self._get_all(self._chunks, ["embeddings", "metadatas"])
        vectors: dict[str, list[list[float]]] = {}
        for vector, meta in zip(columns["embeddings"], columns["metadatas"], strict=True):
            vectors.setdefault(str(meta["practice_id"]), []).append([float(x) for x in vector])
        return vectors

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

    def count_documents(self) -> int:
        """How many practices are committed (one count request, whatever the size)."""
        if not self._open(create=False):
            return 0
        return int(self._documents.count())

    def count_chunks(self) -> int:
        if not self._open(create=False):
            return 0
        return int(self._chunks.count())

    def all_chunks(self) -> list[Chunk]:
        if not self._open(create=False):
            return []
        _, columns = self._get_all(self._chunks, ["documents", "metadatas"])
        return [chunk_from_row(t, m) for t, m in zip(columns["documents"], columns["metadatas"], strict=True)]

    def chunk_rows(self) -> list[tuple[str, Chunk]]:
        """(stored row id, chunk) for every chunk row: what a keyword index is built from."""
        if not self._open(create=False):
            return []
        ids, columns = self._get_all(self._chunks, ["documents", "metadatas"])
        return [
            (rid, chunk_from_row(t, m))
            for rid, t, m in zip(ids, columns["documents"], columns["metadatas"], strict=True)
        ]

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

    def content_version(self) -> tuple[int, int, int]:
        """Cheap to read, and changes when chunks are added or removed: (writes through this
        object, chunk count, document count). Caches built from the chunks key on it."""
        if not self._open(create=False):
            return (self.writes, 0, 0)
        return (self.writes, int(self._chunks.count()), int(self._documents.count()))

    def chunks_of(self, practice_id: str) -> list[Chunk]:
        """Every chunk of one practice, in document order."""
        if not self._open(create=False):
            return []
        rows = self._chunks.get(where={"practice_id": practice_id}, include=["documents", "metadatas"])
        chunks = [chunk_from_row(t, m) for t, m in zip(rows["documents"], rows["metadatas"], strict=True)]
        return sorted(chunks, key=lambda c: c.ordinal)

    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, tuple[Chunk, list[float]]]:
        """row id (see chunk_rows) -> (chunk, stored vector) for the rows that still exist."""
        if not ids or not self._open(create=False):
            return {}
        rows = self._chunks.get(ids=list(ids), include=["documents", "metadatas", "embeddings"])
        return {
            cid: (chunk_from_row(text, meta), [float(x) for x in vector])
            for cid, text, meta, vector in zip(
                rows["ids"], rows["documents"], rows["metadatas"], rows["embeddings"], strict=True
            )
        }

    def _nearest(self, vector: Sequence[float], k: int, where: dict[str, Any] | None) -> Any:
        # no count() first: Chroma returns fewer than k when it has fewer (one request per query)
        return self._chunks.query(
            query_embeddings=[list(vector)],
            n_results=k,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )

    def query(
        self, vector: Sequence[float], *, k: int, where: dict[str, Any] | None = None
    ) -> list[ScoredChunk]:
        """Nearest chunks by cosine similarity (score = 1 - cosine distance).

        When another process (`praxis ingest --rebuild`, e.g. against a shared Chroma server) has
        replaced the collections, this store reopens them instead of failing every query.
        """
        if not self._open(create=False):
            return []
        try:
            result = self._nearest(vector, k, where)
        except NotFoundError:
            if not self._reopened():
                return []
            result = self._nearest(vector, k, where)
        return [
            ScoredChunk(chunk_from_row(text, meta), 1.0 - float(dist))
            for text, meta, dist in zip(
                result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True
            )
        ]


def where_clause(filters: dict[str, str] | None) -> dict[str, Any] | None:
    """Chroma `where` for equality filters on chunk metadata (country, theme, section, ...)."""
    items: Iterable[tuple[str, str]] = ((k, v) for k, v in (filters or {}).items() if v)
    clauses = [{key: value} for key, value in items]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
