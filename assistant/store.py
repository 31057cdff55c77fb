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
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings
from langchain_core.embeddings import Embeddings

from assistant.errors import ModelMismatchError, StoreError
from assistant.facts import FACTS_VERSION, Fact
from assistant.types import Chunk, Practice, ScoredChunk, Section

log = logging.getLogger(__name__)

METADATA_KEYS = ("country", "region", "theme")


def open_client(data_dir: Path, chroma_url: str | None = None) -> ClientAPI:
    """An embedded PersistentClient under data_dir/chroma, or an HttpClient for a Chroma server."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        if not url.hostname:
            raise StoreError(f"PRAXIS_STORE__CHROMA_URL={chroma_url!r} is not an http://host:port URL")
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises plain exceptions for connection problems
            raise StoreError(f"cannot reach the Chroma server at {chroma_url}: {exc}") from exc
    path = Path(data_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Our Embeddings, handed to Chroma so it never falls back to downloading its default model."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings

    def __call__(self, input: Documents) -> list[Any]:  # noqa: A002 - Chroma's parameter name
        return self._embeddings.embed_documents(list(input))  # type: ignore[return-value]

    def embed_query(self, input: Documents) -> list[Any]:  # noqa: A002
        return [self._embeddings.embed_query(text) for text in input]  # type: ignore[misc]

    @staticmethod
    def name() -> str:
        return "praxis"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model": getattr(self._embeddings, "model_name", "unknown")}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        raise StoreError("Praxis collections are opened by Praxis, which passes its own embedder")


def _practice_to_json(practice: Practice, facts: Sequence[Fact] | None = None) -> str:
    data = asdict(practice)
    if facts is not None:  # key facts ride along in the same record (see assistant/facts.py)
        data["facts"] = [asdict(f) for f in facts]
        data["facts_version"] = FACTS_VERSION
    return json.dumps(data, ensure_ascii=False)


def _facts_from_data(data: dict[str, Any]) -> list[Fact] | None:
    """The stored facts, or None when the record has none or they come from older rules."""
    if data.get("facts_version") != FACTS_VERSION or not isinstance(data.get("facts"), list):
        return None
    return [Fact.from_dict(f) for f in data["facts"]]


def _practice_from_json(raw: str) -> Practice:
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


def _chunk_metadata(chunk: Chunk, doc_hash: str) -> dict[str, Any]:
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


def _chunk_from_row(text: str, meta: dict[str, Any]) -> Chunk:
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


class ChromaStore:
    """Chunks and documents of one Praxis collection in Chroma."""

    def __init__(self, client: ClientAPI, embeddings: Embeddings, *, name: str = "praxis") -> None:
        self.client = client
        self.embeddings = embeddings
        self.name = name
        self._function = ChromaEmbeddingFunction(embeddings)
        self._chunks: Any = None
        self._documents: Any = None

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

    def drop(self) -> None:
        """Delete both collections (the explicit `--rebuild`)."""
        for suffix in ("chunks", "documents"):
            if self._existing(suffix) is not None:
                self.client.delete_collection(f"{self.name}_{suffix}")
        self._chunks = self._documents = None

    # -- documents ---------------------------------------------------------------------------

    def document_hashes(self) -> dict[str, tuple[str, str]]:
        """practice id -> (content hash, source file) for every committed document."""
        if not self._open(create=False):
            return {}
        rows = self._documents.get(include=["metadatas"])
        return {
            rid: (str(meta["content_hash"]), str(meta["source"]))
            for rid, meta in zip(rows["ids"], rows["metadatas"])
        }

    def get_practice(self, practice_id: str) -> Practice | None:
        if not self._open(create=False):
            return None
        rows = self._documents.get(ids=[practice_id], include=["documents"])
        if not rows["ids"]:
            return None
        return _practice_from_json(rows["documents"][0])

    def practices(self) -> list[Practice]:
        if not self._open(create=False):
            return []
        rows = self._documents.get(include=["documents"])
        return sorted(
            (_practice_from_json(doc) for doc in rows["documents"]), key=lambda p: p.title.lower()
        )

    def replace_document(
        self,
        practice: Practice,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        facts: Sequence[Fact] | None = None,
    ) -> None:
        """Write a practice's chunks, then commit its record, then drop its previous chunks.

        Readers see either the old or the new version of the document plus, for a moment, both;
        never a half-written one: a crash before the commit leaves chunks that `reconcile()`
        removes, a crash after it leaves old chunks that `reconcile()` removes.
        """
        if len(chunks) != len(vectors):
            raise StoreError(f"{practice.source}: {len(chunks)} chunks but {len(vectors)} vectors")
        self._open(create=True)
        doc_hash = practice.content_hash
        batch = max(1, self.client.get_max_batch_size())
        for i in range(0, len(chunks), batch):
            part = chunks[i : i + batch]
            self._chunks.upsert(
                ids=[row_id(c, doc_hash) for c in part],
                documents=[c.text for c in part],
                embeddings=[list(v) for v in vectors[i : i + batch]],
                metadatas=[_chunk_metadata(c, doc_hash) for c in part],
            )
        self._documents.upsert(
            ids=[practice.id],
            documents=[_practice_to_json(practice, facts)],
            embeddings=[[1.0] + [0.0] * (len(vectors[0]) - 1) if vectors else [1.0]],
            metadatas=[
                {"content_hash": doc_hash, "source": practice.source, "title": practice.title}
            ],
        )
        new_ids = {row_id(c, doc_hash) for c in chunks}
        old = self._chunks.get(where={"practice_id": practice.id}, include=[])
        stale = [cid for cid in old["ids"] if cid not in new_ids]
        if stale:
            self._chunks.delete(ids=stale)

    def get_facts(self, practice_id: str) -> list[Fact] | None:
        """The key facts stored with a practice; None when there are none of the current version."""
        if not self._open(create=False):
            return None
        rows = self._documents.get(ids=[practice_id], include=["documents"])
        if not rows["ids"]:
            return None
        return _facts_from_data(json.loads(rows["documents"][0]))

    def practices_with_facts(self) -> list[tuple[Practice, list[Fact] | None]]:
        """Every practice with its stored facts (None where missing or outdated), by title."""
        if not self._open(create=False):
            return []
        rows = self._documents.get(include=["documents"])
        pairs = [(_practice_from_json(doc), _facts_from_data(json.loads(doc))) for doc in rows["documents"]]
        return sorted(pairs, key=lambda pair: pair[0].title.lower())

    def update_facts(self, practice_id: str, facts: Sequence[Fact]) -> bool:
        """Rewrite the facts of a committed practice without touching its chunks. False if absent."""
        if not self._open(create=False):
            return False
        rows = self._documents.get(ids=[practice_id], include=["documents", "embeddings", "metadatas"])
        if not rows["ids"]:
            return False
        practice = _practice_from_json(rows["documents"][0])
        self._documents.update(
            ids=[practice_id],
            documents=[_practice_to_json(practice, facts)],
            embeddings=[list(rows["embeddings"][0])],
            metadatas=[rows["metadatas"][0]],
        )
        return True

    def practice_vectors(self) -> dict[str, list[list[float]]]:
        """practice id -> the embeddings of its chunks (for "similar practices")."""
        if not self._open(create=False):
            return {}
        rows = self._chunks.get(include=["embeddings", "metadatas"])
        vectors: dict[str, list[list[float]]] = {}
        for vector, meta in zip(rows["embeddings"], rows["metadatas"]):
            vectors.setdefault(str(meta["practice_id"]), []).append([float(x) for x in vector])
        return vectors

    def delete_document(self, practice_id: str) -> int:
        """Remove a practice and its chunks; returns the number of chunks removed."""
        if not self._open(create=False):
            return 0
        old = self._chunks.get(where={"practice_id": practice_id}, include=[])
        self._documents.delete(ids=[practice_id])
        if old["ids"]:
            self._chunks.delete(ids=old["ids"])
        return len(old["ids"])

    def reconcile(self) -> int:
        """Remove chunks that belong to no committed document version; returns how many."""
        if not self._open(create=False):
            return 0
        committed = {pid: h for pid, (h, _) in self.document_hashes().items()}
        rows = self._chunks.get(include=["metadatas"])
        orphans = [
            cid
            for cid, meta in zip(rows["ids"], rows["metadatas"])
            if committed.get(str(meta.get("practice_id"))) != meta.get("doc_hash")
        ]
        if orphans:
            log.warning("removing orphan chunks count=%d", len(orphans))
            self._chunks.delete(ids=orphans)
        return len(orphans)

    # -- chunks ------------------------------------------------------------------------------

    def count_chunks(self) -> int:
        if not self._open(create=False):
            return 0
        return int(self._chunks.count())

    def all_chunks(self) -> list[Chunk]:
        if not self._open(create=False):
            return []
        rows = self._chunks.get(include=["documents", "metadatas"])
        return [_chunk_from_row(t, m) for t, m in zip(rows["documents"], rows["metadatas"])]

    def query(
        self, vector: Sequence[float], *, k: int, where: dict[str, Any] | None = None
    ) -> list[ScoredChunk]:
        """Nearest chunks by cosine similarity (score = 1 - cosine distance)."""
        if not self._open(create=False):
            return []
        total = self._chunks.count()
        if total == 0:
            return []
        result = self._chunks.query(
            query_embeddings=[list(vector)],
            n_results=min(k, total),
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            ScoredChunk(_chunk_from_row(text, meta), 1.0 - float(dist))
            for text, meta, dist in zip(
                result["documents"][0], result["metadatas"][0], result["distances"][0]
            )
        ]


def where_clause(filters: dict[str, str] | None) -> dict[str, Any] | None:
    """Chroma `where` for equality filters on chunk metadata (country, theme, section, ...)."""
    items: Iterable[tuple[str, str]] = ((k, v) for k, v in (filters or {}).items() if v)
    clauses = [{key: value} for key, value in items]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
