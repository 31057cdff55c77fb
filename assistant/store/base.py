"""The base of ChromaStore: opening its two collections, guarding every call, following other
processes' writes (embedded store) and keeping disk space free for writes.

Public methods of ChromaStore are marked `@guarded_read()` or `@guarded_write`:
- both run inside the StoreGuard (assistant/store/guard.py): bounded calls in flight, a circuit
  breaker, Chroma's failures turned into errors that say what to do;
- an embedded store first checks the write generation (sessions.py), at most every `recheck_s`
  for reads and always before writes, and reopens its client when another process committed:
  chromadb caches, per process, the vector index it loaded, so without a reopen it would answer
  from rows that no longer exist (writing through such a client would also persist its outdated
  index over the other process's);
- a read that fails because this process's view is stale is retried once on a reopened client.
"""

from __future__ import annotations

import functools
import logging
import shutil
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from chromadb.api import ClientAPI
from chromadb.errors import NotFoundError
from langchain_core.embeddings import Embeddings

from assistant.errors import ModelMismatchError, StorageFull, StoreUnavailable
from assistant.store.client import ChromaEmbeddingFunction, is_embedded, reopen_client, store_path
from assistant.store.guard import FREE_SPACE_HINT, StaleRead, StoreGuard, classify, is_gone
from assistant.store.sessions import GENERATION, WriteSessions

log = logging.getLogger(__name__)

# pauses between the reads again of a read that failed while another process wrote the store
REREAD_PAUSES_S = (0.0, 0.05, 0.1, 0.2, 0.4, 0.8)  # the first read again comes at once
PAGE_ROWS = 10_000  # rows per get() when reading a whole collection: bounded memory and payloads
WRITE_ROWS = 64  # rows per write call: the embedded engine holds the interpreter while it writes
MB = 1024 * 1024
R = TypeVar("R")
Method = Callable[..., R]


def guarded_read(fallback: Callable[[], Any] | None = None) -> Callable[[Method[R]], Method[R]]:
    """A guarded read: the store is brought up to date first (embedded), and a read that fails
    because this process's view is stale, or while another process wrote the store, is read again
    on a reopened client (a few times, over about 1.5 s); when it still fails, `fallback()` is
    returned if given, else StoreUnavailable is raised."""

    def decorate(method: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(method)
        def guarded(self: StoreBase, *args: Any, **kwargs: Any) -> R:
            with self.guard.call():
                outermost = self.guard.depth == 1
                if outermost:
                    self._fresh()
                try:
                    return method(self, *args, **kwargs)
                except Exception as exc:
                    if not outermost or not (self._outdated(exc) or self._moved_on()):
                        raise
                    log.info("stale read, reopening collection=%s error=%s", self.name, exc)
                last: BaseException | None = None
                # another process may be recreating the collections right now (`ingest
                # --rebuild`): read again on a reopened client, a little later each time
                for attempt, pause in enumerate(REREAD_PAUSES_S):
                    if attempt:
                        time.sleep(pause)
                    try:
                        self._reopen()
                        return method(self, *args, **kwargs)
                    except Exception as exc:
                        if not (self._outdated(exc) or self._moved_on()):
                            raise
                        last = exc
                if fallback is not None:
                    self._stale = True
                    return fallback()
                raise StoreUnavailable(
                    "the store changed under this process while it read; ask again", retry_after=1.0
                ) from last

        return guarded

    return decorate


def guarded_write(method: Method[R]) -> Method[R]:
    """A guarded write: an embedded store is brought up to date first (writing through a stale
    client would persist its outdated vector index over another process's)."""

    @functools.wraps(method)
    def guarded(self: StoreBase, *args: Any, **kwargs: Any) -> R:
        with self.guard.call():
            if self.guard.depth == 1:
                self._fresh(force=True)
            return method(self, *args, **kwargs)

    return guarded


class StoreBase(WriteSessions):
    """How a ChromaStore opens, guards and refreshes its collections, and checks disk space.

    guard: the StoreGuard of every call (a default one when None). min_free_bytes: an embedded
    store refuses writes (StorageFull) that would leave less free space on its disk.
    write_rows: rows per write call. recheck_s: how often an embedded store reads the write
    generation to notice other processes' commits (reads in between may see the old state).
    """

    def __init__(
        self,
        client: ClientAPI,
        embeddings: Embeddings,
        *,
        name: str = "praxis",
        guard: StoreGuard | None = None,
        min_free_bytes: int = 0,
        write_rows: int = WRITE_ROWS,
        recheck_s: float = 0.5,
    ) -> None:
        super().__init__()
        self.client = client
        self.embeddings = embeddings
        self.name = name
        self.min_free_bytes = min_free_bytes
        self.write_rows = max(1, write_rows)
        self.recheck_s = recheck_s
        self.guard = guard or StoreGuard()
        if self.guard.low_space is None:
            self.guard.low_space = self.low_space
        self._function = ChromaEmbeddingFunction(embeddings)
        self._chunks: Any = None
        self._documents: Any = None
        self._max_batch: int | None = None
        self.writes = 0  # bumped by every write through this object; part of content_version()
        self._embedded = is_embedded(client)
        self._seen_generation: str | None = None  # the write generation our view reflects
        self._checked_at = -1e9
        self._stale = False  # a read saw rows vanish: reopen before the next one
        self._swap = threading.Lock()

    # -- collections -------------------------------------------------------------------------

    @property
    def model_name(self) -> str:
        return str(getattr(self.embeddings, "model_name", type(self.embeddings).__name__))

    def _existing(self, suffix: str) -> Any | None:
        try:
            return self.client.get_collection(
                f"{self.name}_{suffix}",
                embedding_function=self._function,  # type: ignore[arg-type]
            )
        except NotFoundError:
            return None

    # the write-session calls that read or write the store, guarded like the others
    # (abandon_writes is not: it runs while handling a failure and never raises)
    generation = guarded_read()(WriteSessions.generation)
    writes_interrupted = guarded_read()(WriteSessions.writes_interrupted)
    end_writes = guarded_write(WriteSessions.end_writes)

    @guarded_read()
    def recorded_model(self) -> tuple[str, int] | None:
        """(model, dimension) the chunks collection was built with, or None when there is none."""
        existing = self._existing("chunks")
        if existing is None:
            return None
        meta = existing.metadata or {}
        return str(meta.get("embedding_model", "")), int(meta.get("embedding_dim", 0))

    @guarded_read()
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
            self._seen_generation = _generation_of(documents)
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
        self._seen_generation = _generation_of(self._documents)
        return True

    def _reopened(self) -> bool:
        """Forget the collection handles after another process rebuilt the collections (the
        handles then name deleted collections) and open the current ones; False if none."""
        log.info("collection handles are stale; reopening collection=%s", self.name)
        self._writes_open = False
        self._reopen()
        return self._chunks is not None

    # -- following other processes' writes (embedded store) ----------------------------------

    def _fresh(self, *, force: bool = False) -> None:
        """Reopen an embedded store's client when another process committed since our view was
        loaded (its write generation changed) or a read saw rows vanish. Reads the generation at
        most every `recheck_s` unless forced (before writes)."""
        if not self._embedded or self._chunks is None:
            return
        now = time.monotonic()
        if not (force or self._stale) and now - self._checked_at < self.recheck_s:
            return
        self._checked_at = now
        current = _generation_of(self._existing("documents"))
        if self._stale or current != self._seen_generation:
            self._reopen()

    def _moved_on(self) -> bool:
        """Whether another process wrote an embedded store since this view was loaded (a read
        that failed meanwhile, whatever its error, is read again on a reopened client)."""
        if not self._embedded:
            return False
        try:
            return _generation_of(self._existing("documents")) != self._seen_generation
        except Exception:  # noqa: BLE001 - its collections are being recreated right now
            return True

    def _outdated(self, exc: BaseException) -> bool:
        """Whether exc says this process's view is older than the store (read it again)."""
        return is_gone(exc) or isinstance(classify(exc), StaleRead)

    def _reopen(self) -> None:
        """A fresh client (embedded: it reads the files as they are now) and collection handles.
        The handles are swapped whole; calls already running on the old ones finish on them."""
        with self._swap:
            if self._embedded:
                self.client = reopen_client(self.client)
            chunks, documents = self._existing("chunks"), self._existing("documents")
            if chunks is None or documents is None:
                chunks = documents = None
            self._seen_generation = _generation_of(documents)
            self._chunks, self._documents = chunks, documents
            self._stale = False
            self._checked_at = time.monotonic()
        log.info("reopened store collection=%s generation=%s", self.name, self._seen_generation)

    # -- disk space (embedded store) -----------------------------------------------------------

    def free_bytes(self) -> int | None:
        """Free space on the disk of an embedded store, None for a server (or when unknown)."""
        path = store_path(self.client) if self._embedded else None
        if path is None:
            return None
        try:
            return int(shutil.disk_usage(path).free)
        except OSError:
            return None

    def low_space(self) -> bool:
        """Whether an embedded store's disk has less than min_free_bytes free."""
        free = self.free_bytes()
        return free is not None and free < max(self.min_free_bytes, 1)

    def _ensure_space(self, needed: int) -> None:
        """Raise StorageFull unless the disk keeps min_free_bytes free after writing `needed`
        bytes: Chroma's embedded engine can get stuck when a write runs out of space."""
        if not self.min_free_bytes:
            return
        free = self.free_bytes()
        if free is not None and free - needed < self.min_free_bytes:
            raise StorageFull(
                f"the disk holding the store has {free / MB:.1f} MB free and Praxis keeps "
                f"{self.min_free_bytes / MB:.0f} MB free (PRAXIS_STORE__MIN_FREE_MB); {FREE_SPACE_HINT}"
            )

    @guarded_write
    def drop(self) -> None:
        """Delete both collections (the explicit `--rebuild`)."""
        for suffix in ("chunks", "documents"):
            if self._existing(suffix) is not None:
                self.client.delete_collection(f"{self.name}_{suffix}")
        self._chunks = self._documents = None
        self._writes_open = False
        self.writes += 1

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

    def _vanished(self, count: int) -> None:
        """Rows the vector index still names were deleted by another process: serve the rest and
        reopen before the next read."""
        log.info("rows vanished under a read; reopening next collection=%s rows=%d", self.name, count)
        self._stale = True


def _generation_of(documents: Any | None) -> str | None:
    """The write generation recorded on a documents collection handle (None: none recorded)."""
    if documents is None:
        return None
    value = (documents.metadata or {}).get(GENERATION)
    return str(value) if value else None
