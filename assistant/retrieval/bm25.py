"""The keyword (BM25) index, persisted beside the store and updated per practice.

Two parts, both files under the data dir:
- a SQLite file with the indexed chunks (their terms, filter fields and text), keyed by each
  practice's content hash. sync() compares the store's practice -> content hash map with the
  one it indexed and re-reads from the store only the practices that were added or changed
  (and drops the removed ones): a restart reads nothing but the store's document records, and
  a re-ingest of a few practices reads those practices, at 42 or at 10,000 practices;
- the BM25 scorer (bm25s' sparse matrix, memory-mapped) of the SQLite file's generation. A
  start loads the saved one; after a change it is rebuilt from the SQLite terms, locally (about
  a second per 25,000 chunks), never from the store.

Several processes may share one file (serve replicas, an ingest beside them): writes take
SQLite's write lock, readers see the last committed state. A file that cannot be read (deleted
mid-run, corrupt, written by an older Praxis) is rebuilt from the store: nothing in it is
stored anywhere else.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.types import Chunk

log = logging.getLogger(__name__)

# bump when what is indexed changes (the terms of assistant.text, the stored columns)
FORMAT = "2"
FILTER_COLUMNS = ("practice_id", "section", "country", "region", "theme")


def _column_value(chunk: Chunk, key: str) -> str:
    if key in ("practice_id", "section"):
        return str(getattr(chunk, key))
    return str(chunk.metadata.get(key, ""))


def _chunk_json(chunk: Chunk) -> str:
    return json.dumps(
        {
            "practice_id": chunk.practice_id,
            "title": chunk.title,
            "section": chunk.section,
            "ordinal": chunk.ordinal,
            "text": chunk.text,
            "start": chunk.start,
            "end": chunk.end,
            "source": chunk.source,
            "metadata": chunk.metadata,
        },
        ensure_ascii=False,
    )


def _chunk_from_json(raw: str) -> Chunk:
    return Chunk(**json.loads(raw))


class Scorer:
    """BM25 (bm25s) over the chunks of one generation, with each chunk's SQLite id and filter
    fields as arrays in index order."""

    def __init__(
        self, model: Any, ids: np.ndarray, fields: dict[str, np.ndarray], values: dict[str, list[str]]
    ) -> None:
        self.model = model
        self.ids = ids
        self.fields = fields  # filter column -> code of each chunk's value
        self.values = values  # filter column -> the values, by code
        self.vocabulary = model.vocab_dict if model is not None else {}

    @staticmethod
    def build(rows: Sequence[tuple[int, str, Sequence[str]]]) -> Scorer:
        """rows: (SQLite id, terms body, filter field values) in id order."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        fields: dict[str, np.ndarray] = {}
        values: dict[str, list[str]] = {}
        for position, column in enumerate(FILTER_COLUMNS):
            codes: dict[str, int] = {}
            fields[column] = np.array(
                [codes.setdefault(r[2][position], len(codes)) for r in rows], dtype=np.int32
            )
            values[column] = list(codes)
        model = None
        if rows:
            model = bm25s.BM25()
            model.index([r[1].split() for r in rows], show_progress=False)
        return Scorer(model, ids, fields, values)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        if self.model is not None:
            self.model.save(str(folder / "bm25"), show_progress=False)
        np.save(folder / "ids.npy", self.ids)
        np.savez(folder / "fields.npz", **self.fields)  # type: ignore[arg-type]
        (folder / "values.json").write_text(json.dumps(self.values, ensure_ascii=False))

    @staticmethod
    def load(folder: Path) -> Scorer:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        model = None
        if (folder / "bm25").is_dir():
            model = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False)
        with np.load(folder / "fields.npz") as saved:
            fields = {column: saved[column] for column in FILTER_COLUMNS}
        values = json.loads((folder / "values.json").read_text())
        return Scorer(model, np.load(folder / "ids.npy"), fields, values)

    def top(self, terms: Sequence[str], n: int, filters: Mapping[str, str]) -> list[tuple[int, float]]:
        """(SQLite id, score) of the n best chunks with a positive score, best first."""
        known = [t for t in terms if t in self.vocabulary]
        if self.model is None or not known:
            return []
        scores = np.asarray(self.model.get_scores(known), dtype=np.float32)
        for key, value in filters.items():
            if value not in self.values[key]:
                return []
            scores = np.where(self.fields[key] == self.values[key].index(value), scores, 0.0)
        positive = int(np.count_nonzero(scores > 0))
        if positive == 0:
            return []
        best = np.argpartition(-scores, min(n, positive) - 1)[: min(n, positive)]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in best]


class KeywordIndex:
    """BM25 search over the chunks of one store, persisted at `path` (None: in memory)."""

    def __init__(self, path: Path | None, terms: Any) -> None:
        """`terms(text) -> list[str]` gives what is indexed and searched (stemmed words)."""
        self.path = path
        self._terms = terms
        self._lock = threading.RLock()
        self._db = self._connect()
        self._scorer: Scorer | None = None
        self._generation: str | None = None  # of the scorer in memory

    # -- the files -----------------------------------------------------------------------------

    @property
    def _scorers(self) -> Path | None:
        return None if self.path is None else Path(f"{self.path}.bm25")

    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            try:
                return self._connect_file(self.path)
            except (OSError, sqlite3.OperationalError) as error:  # read-only data dir, full disk
                log.warning(
                    "keyword index %s cannot be written (%s): keeping it in memory for this process",
                    self.path,
                    error,
                )
                self.path = None
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._prepare(db)
        return db

    def _connect_file(self, path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=120, check_same_thread=False, isolation_level=None)
        try:
            self._prepare(db)
        except sqlite3.OperationalError:
            db.close()
            raise
        except sqlite3.DatabaseError as error:  # not a database, or a broken one: it is a cache
            db.close()
            log.warning("keyword index %s unreadable (%s): rebuilding it from the store", path, error)
            self._remove_files()
            db = sqlite3.connect(path, timeout=120, check_same_thread=False, isolation_level=None)
            self._prepare(db)
        return db

    def _remove_files(self) -> None:
        assert self.path is not None and self._scorers is not None
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self._scorers, ignore_errors=True)

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> None:
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if row is not None and row[0] != FORMAT:
                for table in ("terms", "vocab", "chunks", "documents"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                db.execute("DELETE FROM meta")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
            db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', ?)", (uuid.uuid4().hex,))
            db.execute(
                "CREATE TABLE IF NOT EXISTS documents(practice_id TEXT PRIMARY KEY, doc_hash TEXT NOT NULL)"
            )
            columns = ", ".join(f"{c} TEXT NOT NULL" for c in FILTER_COLUMNS)
            db.execute(
                "CREATE TABLE IF NOT EXISTS chunks(id INTEGER PRIMARY KEY, row_id TEXT NOT NULL, "
                f"chunk_id TEXT NOT NULL, {columns}, body TEXT NOT NULL, chunk TEXT NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS chunks_practice ON chunks(practice_id)")
            db.execute("CREATE INDEX IF NOT EXISTS chunks_chunk ON chunks(chunk_id)")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _reopen(self, error: sqlite3.DatabaseError) -> None:
        log.warning("keyword index %s failed (%s): rebuilding it from the store", self.path, error)
        self._db.close()
        if self.path is not None:
            self._remove_files()
        self._db = self._connect()
        self._scorer = self._generation = None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- keeping up with the store -------------------------------------------------------------

    def indexed(self) -> dict[str, str]:
        """practice id -> the content hash whose chunks are indexed."""
        with self._lock:
            return dict(self._db.execute("SELECT practice_id, doc_hash FROM documents").fetchall())

    def sync(self, store: Any, hashes: Mapping[str, str] | None = None) -> tuple[int, int]:
        """Index what the store has committed: (practices indexed anew, practices dropped).
        `hashes` is the store's practice id -> content hash map when the caller has it."""
        with self._lock:
            try:
                return self._sync(store, hashes)
            except sqlite3.DatabaseError as error:
                self._reopen(error)
                return self._sync(store, hashes)

    def _sync(self, store: Any, hashes: Mapping[str, str] | None) -> tuple[int, int]:
        want = (
            dict(hashes)
            if hashes is not None
            else {pid: h for pid, (h, _) in store.document_hashes().items()}
        )
        have = self.indexed()
        gone = [pid for pid in have if pid not in want]
        changed = {pid: h for pid, h in want.items() if have.get(pid) != h}
        if not gone and not changed:
            return (0, 0)
        started = time.perf_counter()
        # read the store outside the write lock: other processes keep searching meanwhile
        rows = store.committed_chunk_rows(changed, whole=len(changed) > len(want) // 2)
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            have = dict(db.execute("SELECT practice_id, doc_hash FROM documents").fetchall())
            # another process may have indexed some of them meanwhile
            todo = [pid for pid in changed if have.get(pid) != changed[pid] and rows.get(pid)]
            gone = [pid for pid in have if pid not in want]
            drop = gone + [pid for pid in todo if pid in have]
            for start in range(0, len(drop), 500):
                part = drop[start : start + 500]
                marks = ",".join("?" * len(part))
                db.execute(f"DELETE FROM chunks WHERE practice_id IN ({marks})", part)
                db.execute(f"DELETE FROM documents WHERE practice_id IN ({marks})", part)
            insert = (
                f"INSERT INTO chunks(row_id, chunk_id, {', '.join(FILTER_COLUMNS)}, body, chunk) "
                f"VALUES (?, ?, {', '.join('?' * len(FILTER_COLUMNS))}, ?, ?)"
            )
            for pid in todo:
                db.executemany(
                    insert,
                    [
                        (
                            rid,
                            chunk.id,
                            *(_column_value(chunk, c) for c in FILTER_COLUMNS),
                            " ".join(self._terms(f"{chunk.title} {chunk.section} {chunk.text}")),
                            _chunk_json(chunk),
                        )
                        for rid, chunk in rows[pid]
                    ],
                )
                db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?)", (pid, changed[pid]))
            if todo or drop:
                db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (uuid.uuid4().hex,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        log.info(
            "keyword index: %d practices indexed, %d dropped in %.0f ms",
            len(todo),
            len(gone),
            (time.perf_counter() - started) * 1000,
        )
        return (len(todo), len(gone))

    # -- the scorer ----------------------------------------------------------------------------

    def scorer(self) -> Scorer:
        """The BM25 scorer of the indexed chunks: in memory, else saved, else built (and saved)."""
        with self._lock:
            generation = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
            if self._scorer is not None and generation == self._generation:
                return self._scorer
            folder = None if self._scorers is None else self._scorers / generation
            scorer = None
            if folder is not None and folder.is_dir():
                try:
                    scorer = Scorer.load(folder)
                except (OSError, ValueError, KeyError) as error:  # half-written by a killed process
                    log.warning("keyword scorer %s unreadable (%s): rebuilding it", folder, error)
            if scorer is None:
                started = time.perf_counter()
                scorer = Scorer.build(
                    [
                        (cid, body, fields)
                        for cid, body, *fields in self._db.execute(
                            f"SELECT id, body, {', '.join(FILTER_COLUMNS)} FROM chunks ORDER BY id"
                        )
                    ]
                )
                log.info(
                    "keyword scorer built: %d chunks in %.0f ms",
                    len(scorer.ids),
                    (time.perf_counter() - started) * 1000,
                )
                if folder is not None:
                    self._save(scorer, folder)
            self._scorer, self._generation = scorer, generation
            return scorer

    def _save(self, scorer: Scorer, folder: Path) -> None:
        """Write to a private folder, then rename it into place (a reader never sees half of
        one); older generations are removed."""
        temporary = folder.parent / f".{folder.name}-{uuid.uuid4().hex[:8]}"
        try:
            scorer.save(temporary)
            os.rename(temporary, folder)
        except OSError:  # another process saved the same generation first, or the disk is full
            shutil.rmtree(temporary, ignore_errors=True)
            return
        for other in folder.parent.iterdir():
            if other.name != folder.name and not other.name.startswith("."):
                shutil.rmtree(other, ignore_errors=True)

    # -- search --------------------------------------------------------------------------------

    def coverage(self, terms: Sequence[str]) -> float:
        """Share of the query terms that occur in the collection at all (low for a question in
        a language the documents are not written in)."""
        if not terms:
            return 0.0
        vocabulary = self.scorer().vocabulary
        return sum(1 for t in terms if t in vocabulary) / len(terms)

    def search(
        self, terms: Sequence[str], *, n: int, filters: Mapping[str, str] | None = None
    ) -> list[tuple[str, Chunk, float]]:
        """The n best (stored row id, chunk, BM25 score) for the terms, best first."""
        for key in filters or {}:
            if key not in FILTER_COLUMNS:
                raise ValueError(f"unknown filter {key!r}")
        with self._lock:
            try:
                best = self.scorer().top(terms, n, filters or {})
                if not best:
                    return []
                marks = ",".join("?" * len(best))
                rows = {
                    cid: (rid, raw)
                    for cid, rid, raw in self._db.execute(
                        f"SELECT id, row_id, chunk FROM chunks WHERE id IN ({marks})", [i for i, _ in best]
                    )
                }
            except sqlite3.DatabaseError as error:  # e.g. the file was removed under us
                self._reopen(error)
                return []
        return [(rows[cid][0], _chunk_from_json(rows[cid][1]), score) for cid, score in best if cid in rows]

    def row_ids(self, chunk_ids: Sequence[str]) -> dict[str, str]:
        """chunk id -> stored row id, for chunks the index holds."""
        if not chunk_ids:
            return {}
        with self._lock:
            marks = ",".join("?" * len(chunk_ids))
            return dict(
                self._db.execute(
                    f"SELECT chunk_id, row_id FROM chunks WHERE chunk_id IN ({marks})", list(chunk_ids)
                )
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM chunks").fetchone()[0])
