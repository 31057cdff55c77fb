"""The Ingestor: turn files into practices, chunks and embeddings in the store, idempotently.

Three stages overlap, so the encoder (the slow part) rarely waits:
1. a reader thread: file -> skip if its fingerprint is unchanged -> practices -> skip those whose
   content hash is unchanged -> chunks;
2. the calling thread: groups of about GROUP_CHUNKS chunks -> embeddings, `embed_batch` chunks
   per call, as background work (a question asked meanwhile gets the model next);
3. a writer thread: each embedded group -> Chroma, batched (`ChromaStore.write_documents`).
Unchanged files are recognised from their bytes before anything is parsed or embedded.

Work per document is bounded (ingest/readers/limits.py): a document over a limit fails alone.
A run can be cancelled (an API client that went away, a server stopping): it stops before the
next batch, keeps what it committed, and leaves the rest for the next ingest to clean up.
A store that cannot be written (disk full, read-only, unreachable) stops the run with its
error: that is not the documents' fault.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.embeddings import Embeddings

from assistant.embeddings import background
from assistant.errors import (
    CorpusError,
    IngestCancelled,
    StorageFull,
    StorageUnavailable,
    StoreCorrupt,
    StoreError,
    StoreUnavailable,
)
from assistant.practices.facts.model import FACTS_VERSION
from assistant.practices.facts.rules import extract_facts
from assistant.store.chroma import ChromaStore, DocumentRecord
from assistant.types import Chunk, Practice
from ingest.chunk import chunk_practice
from ingest.parse import SUPPORTED_SUFFIXES, load_practices
from ingest.readers import FieldMap, Limits, ReadOptions, file_fingerprint, read_bytes, reader_for
from ingest.readers.base import source_name
from ingest.readers.limits import too_large

log = logging.getLogger(__name__)

METADATA_FILE = "metadata.jsonl"
GROUP_CHUNKS = 256  # chunks embedded together, then written together
GROUP_DOCS = 64  # ... or at most this many documents
READ_AHEAD = 2048  # practices the reader thread may be ahead of the encoder
# errors of the store itself, not of a document: they stop the run
STORE_FAILURES = (StorageFull, StorageUnavailable, StoreUnavailable, StoreCorrupt)


def embedding_text(chunk: Chunk) -> str:
    """What gets embedded: the chunk with its practice title and section as context."""
    return f"{chunk.title} | {chunk.section}\n{chunk.text}"


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    pruned: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        line = (
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, failed {len(self.failed)}"
        )
        if self.pruned:
            line += f", pruned {len(self.pruned)}"
        line += f"; {self.chunks_written} chunks written in {self.seconds:.1f} s"
        if not self.added and not self.updated and not self.pruned and not self.failed:
            line += " (nothing changed: no embedding, no write)"
        return line


ProgressCallback = Callable[[int, int, int], None]  # (documents done, documents total, chunks)


def load_metadata(folder: Path) -> dict[str, dict[str, str]]:
    """file name -> metadata from folder/metadata.jsonl; malformed lines are skipped with a warning."""
    path = folder / METADATA_FILE
    if not path.is_file():
        return {}
    result: dict[str, dict[str, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            name = str(row["file"])
        except (json.JSONDecodeError, KeyError, TypeError):
            log.warning("skipping malformed metadata line file=%s line=%d", path, number)
            continue
        meta = {k: str(v) for k, v in row.items() if k != "file" and v not in (None, "")}
        if "source" in meta:  # the document's address; "source" in Praxis is the file name
            meta["url"] = meta.pop("source")
        result[name] = meta
    return result


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to ingest under paths, and (path, reason) for paths that do not exist."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and p.name != METADATA_FILE
                and not p.name.startswith((".", "~$"))  # hidden files, Word lock files
            )
            if not found:
                missing.append((str(path), f"no {'/'.join(SUPPORTED_SUFFIXES)} files in this folder"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            missing.append((str(path), "no such file or folder; check the path"))
    return files, missing


T = TypeVar("T")


class _Raised:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def _in_background(items: Iterator[T], size: int, name: str) -> Iterator[T]:
    """Run a generator in a thread, `size` items ahead; its exceptions surface here."""
    channel: queue.Queue[Any] = queue.Queue(maxsize=size)
    stop = threading.Event()
    done = object()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                channel.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(done)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            put(_Raised(exc))

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            item = channel.get()
            if item is done:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()


@dataclass
class _Prepared:
    """A changed practice, chunked, waiting for its embeddings."""

    practice: Practice
    chunks: list[Chunk]
    file_hash: str


@dataclass
class _Event:
    kind: str  # "failed", "warning", "unchanged", "more" (documents found in an export), "prepared"
    source: str = ""
    reason: str = ""
    count: int = 0
    prepared: _Prepared | None = None


class Ingestor:
    """Files -> Practice -> chunks -> embeddings -> store."""

    def __init__(
        self,
        store: ChromaStore,
        embeddings: Embeddings,
        *,
        chunk_chars: int = 700,
        chunk_overlap: int = 1,
        fields: FieldMap | None = None,
        limits: Limits | None = None,
        embed_batch: int = 16,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.chunk_chars = chunk_chars
        self.chunk_overlap = chunk_overlap
        self.fields = fields or FieldMap()
        self.limits = limits or Limits()
        self.embed_batch = max(1, embed_batch)

    def run(
        self,
        paths: Sequence[Path],
        *,
        prune: bool = False,
        rebuild: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> IngestReport:
        """Ingest files and folders. Failures are collected per file or record; the others continue.

        Raises ModelMismatchError (nothing touched) when the store was built with another
        embedding model and rebuild is False; StorageFull / StorageUnavailable / StoreUnavailable
        when the store cannot be written; StoreError when the store refuses every write or
        another ingest is writing the same collection; IngestCancelled once `cancel` is set
        (checked between batches).
        """
        try:
            return self._run(paths, prune=prune, rebuild=rebuild, progress=progress, cancel=cancel)
        except BaseException:
            self.store.abandon_writes()  # the next ingest (of any process) may go on at once
            raise

    def _run(
        self,
        paths: Sequence[Path],
        *,
        prune: bool,
        rebuild: bool,
        progress: ProgressCallback | None,
        cancel: threading.Event | None,
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        files, missing = discover(paths)
        report.failed.extend(missing)
        if rebuild:
            self.store.drop()
        self.store.check_model()
        self.store.reconcile()
        index = self.store.document_index()
        seen: dict[str, str] = {}  # practice id -> file, to refuse two files with one id
        keep_files: set[str] = set()  # files with failures: their stored practices survive --prune
        total = len(files)
        done = 0
        refresh: dict[str, str] = {}  # practice id -> new file fingerprint (content unchanged)

        def tick() -> None:
            if cancel is not None and cancel.is_set():
                raise IngestCancelled("the ingest was cancelled; what it committed stays")
            if progress:
                progress(done, total, report.chunks_written)

        def written(results: list[tuple[_Prepared, str | None]]) -> None:
            nonlocal done
            for item, error in results:
                if error is None:
                    practice = item.practice
                    (report.updated if practice.id in index else report.added).append(practice.source)
                    report.chunks_written += len(item.chunks)
                else:
                    report.failed.append((item.practice.source, error))
                done += 1
                tick()

        group: list[_Prepared] = []
        pending: Future[list[tuple[_Prepared, str | None]]] | None = None
        events = self._prepare(files, index, seen, keep_files, refresh)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="praxis-write") as writer:

            def flush() -> None:
                nonlocal pending
                if not group:
                    return
                texts = [embedding_text(c) for item in group for c in item.chunks]
                vectors = self._embed(texts, tick)
                if pending is not None:
                    written(pending.result())
                pending = writer.submit(self._write, list(group), vectors)
                group.clear()

            for event in _in_background(events, READ_AHEAD, "praxis-read"):
                if event.kind == "prepared" and event.prepared is not None:
                    group.append(event.prepared)
                    if len(group) >= GROUP_DOCS or sum(len(g.chunks) for g in group) >= GROUP_CHUNKS:
                        flush()
                    continue
                if event.kind == "more":
                    total += event.count
                elif event.kind == "warning":
                    log.warning("%s", event.reason)
                    report.warnings.append(event.reason)
                    continue
                elif event.kind == "failed":
                    report.failed.append((event.source, event.reason))
                    done += 1
                elif event.kind == "unchanged":
                    report.unchanged.append(event.source)
                    done += 1
                tick()
            flush()
            if pending is not None:
                written(pending.result())
        self.store.set_file_hashes(refresh)
        self._refresh_facts({pid: record for pid, record in index.items() if pid in seen})

        if prune:
            for practice_id, record in index.items():
                if practice_id not in seen and record.source.split("#", 1)[0] not in keep_files:
                    self.store.delete_document(practice_id)
                    report.pruned.append(record.source)
        self.store.end_writes()  # every write completed: the next run need not reconcile
        report.seconds = time.perf_counter() - started
        return report

    def _prepare(
        self,
        files: Sequence[Path],
        index: dict[str, DocumentRecord],
        seen: dict[str, str],
        keep_files: set[str],
        refresh: dict[str, str],
    ) -> Iterator[_Event]:
        """The reader stage: events for every file, in order (runs in the reader thread)."""
        by_file: dict[str, list[str]] = defaultdict(list)
        for practice_id, record in index.items():
            by_file[record.source.split("#", 1)[0]].append(practice_id)
        folder_metadata: dict[Path, dict[str, dict[str, str]]] = {}
        for path in files:
            if path.parent not in folder_metadata:
                folder_metadata[path.parent] = load_metadata(path.parent)
            metadata = folder_metadata[path.parent].get(path.name) or {}
            name = source_name(path)
            options = ReadOptions(metadata=metadata, fields=self.fields, limits=self.limits)
            try:
                raw = read_bytes(path, reader_for(path).max_bytes)
                fingerprint = file_fingerprint(path, raw, options)
            except CorpusError as exc:
                keep_files.add(name)
                yield _Event("failed", str(path), str(exc))
                continue
            known = by_file.get(name, [])
            if known and all(index[pid].file_hash == fingerprint and pid not in seen for pid in known):
                # the same bytes as when its practices were stored: nothing to parse or embed
                yield _Event("more", count=len(known) - 1)
                for practice_id in known:
                    seen[practice_id] = str(path)
                    yield _Event("unchanged", index[practice_id].source)
                continue
            try:
                practices, warnings, failures = load_practices(
                    path, metadata, fields=self.fields, raw=raw, limits=self.limits
                )
            except CorpusError as exc:
                keep_files.add(name)
                yield _Event("failed", str(path), str(exc))
                continue
            except Exception as exc:  # a reader bug or a pathological file must not stop the run
                log.exception("reader failed file=%s", path)
                keep_files.add(name)
                yield _Event("failed", str(path), f"{path}: could not be read ({type(exc).__name__}: {exc})")
                continue
            yield _Event("more", count=len(practices) + len(failures) - 1)
            for warning in warnings:
                yield _Event("warning", reason=warning)
            for source, reason in failures:
                yield _Event("failed", source, reason)
            if failures:
                keep_files.add(name)
                fingerprint = ""  # read this file again next time, so its failures are reported again
            for practice in practices:
                if practice.id in seen:
                    keep_files.add(name)
                    yield _Event(
                        "failed",
                        practice.source,
                        (f"{path}: same practice id {practice.id!r} as {seen[practice.id]}; rename one"),
                    )
                    continue
                seen[practice.id] = str(path)
                stored = index.get(practice.id)
                if stored is not None and stored.content_hash == practice.content_hash:
                    if fingerprint and stored.file_hash != fingerprint:
                        refresh[practice.id] = fingerprint
                    yield _Event("unchanged", practice.source)
                    continue
                try:
                    chunks = self._chunks(practice)
                except CorpusError as exc:
                    keep_files.add(name)
                    yield _Event("failed", practice.source, str(exc))
                    continue
                if not chunks:
                    reason = f"{practice.source}: has a title but no text to ingest"
                    yield _Event("failed", practice.source, reason)
                    continue
                yield _Event("prepared", prepared=_Prepared(practice, chunks, fingerprint))

    def _chunks(self, practice: Practice) -> list[Chunk]:
        """The practice's chunks. Raises DocumentTooLarge over the section or chunk limit (the
        sections are counted before any chunking work)."""
        limits = self.limits
        if len(practice.sections) > limits.max_sections:
            raise too_large(
                practice.source, "sections", len(practice.sections), limits.max_sections, "MAX_SECTIONS"
            )
        chunks = chunk_practice(practice, target_chars=self.chunk_chars, overlap=self.chunk_overlap)
        if len(chunks) > limits.max_chunks:
            raise too_large(practice.source, "chunks", len(chunks), limits.max_chunks, "MAX_CHUNKS")
        return chunks

    def _embed(self, texts: list[str], between: Callable[[], None]) -> list[list[float]]:
        """Embed texts `embed_batch` at a time, as background work; `between` runs before each
        batch (it raises IngestCancelled when the run was cancelled)."""
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.embed_batch):
            between()
            with background():
                vectors.extend(self.embeddings.embed_documents(texts[start : start + self.embed_batch]))
        return vectors

    def _refresh_facts(self, index: Mapping[str, DocumentRecord]) -> None:
        """Practices stored before the current key-fact rules get their facts without re-embedding."""
        for practice_id, record in index.items():
            if record.facts_version != FACTS_VERSION and record.content_hash:
                practice = self.store.get_practice(practice_id)
                if practice is not None and practice.content_hash == record.content_hash:  # not rewritten now
                    self.store.update_facts(practice_id, _fact_records(practice), FACTS_VERSION)

    def _write(
        self, group: list[_Prepared], vectors: Sequence[Sequence[float]]
    ) -> list[tuple[_Prepared, str | None]]:
        """The writer stage: store a group; if the store refuses it, find which practice it refuses."""
        items = []
        position = 0
        for item in group:
            items.append((item.practice, item.chunks, vectors[position : position + len(item.chunks)]))
            position += len(item.chunks)
        hashes = {item.practice.id: item.file_hash for item in group if item.file_hash}
        facts = {item.practice.id: _fact_records(item.practice) for item in group}
        try:
            self.store.write_documents(items, file_hashes=hashes, facts=facts, facts_version=FACTS_VERSION)
            return [(item, None) for item in group]
        except STORE_FAILURES:
            raise  # the store cannot be written: not a document's fault, the run stops
        except Exception as exc:  # Chroma raises many types; narrowed down one practice at a time
            if len(group) == 1:
                return [(group[0], f"{group[0].practice.source}: the store refused it ({exc})")]
        results: list[tuple[_Prepared, str | None]] = []
        for item, one in zip(group, items, strict=True):
            try:
                self.store.write_documents(
                    [one], file_hashes=hashes, facts=facts, facts_version=FACTS_VERSION
                )
                results.append((item, None))
            except STORE_FAILURES:
                raise
            except Exception as exc:
                results.append((item, f"{item.practice.source}: the store refused it ({exc})"))
        if all(error for _, error in results):
            raise StoreError(
                f"the store refused every write ({results[0][1]}); check the Chroma store or server"
            )
        return results


def _fact_records(practice: Practice) -> list[dict[str, Any]]:
    """The practice's key facts as the store keeps them (read back by the catalog)."""
    return [fact.to_record() for fact in extract_facts(practice)]
