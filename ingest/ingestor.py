"""The Ingestor: turn files into practices, chunks and embeddings in the store, idempotently."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.errors import CorpusError
from assistant.facts import extract_facts
from assistant.store import ChromaStore
from assistant.types import Chunk, Practice
from ingest.chunk import chunk_practice
from ingest.parse import SUPPORTED_SUFFIXES, load_practice, practice_id_for

log = logging.getLogger(__name__)

METADATA_FILE = "metadata.jsonl"
GROUP_DOCS = 32  # documents parsed and embedded together before their one-by-one commits


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
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                missing.append((str(path), f"no {'/'.join(SUPPORTED_SUFFIXES)} files in this folder"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            missing.append((str(path), "no such file or folder; check the path"))
    return files, missing


class Ingestor:
    """Files -> Practice -> chunks -> embeddings -> store."""

    def __init__(
        self,
        store: ChromaStore,
        embeddings: Embeddings,
        *,
        chunk_chars: int = 700,
        chunk_overlap: int = 1,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.chunk_chars = chunk_chars
        self.chunk_overlap = chunk_overlap

    def run(
        self,
        paths: Sequence[Path],
        *,
        prune: bool = False,
        rebuild: bool = False,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Ingest files and folders. Failures are collected per file; the others continue.

        Raises ModelMismatchError (nothing touched) when the store was built with another
        embedding model and rebuild is False.
        """
        started = time.perf_counter()
        report = IngestReport()
        files, missing = discover(paths)
        report.failed.extend(missing)
        if rebuild:
            self.store.drop()
        self.store.check_model()
        self.store.reconcile()
        committed = self.store.document_hashes()
        metadata_by_folder: dict[Path, dict[str, dict[str, str]]] = {}
        seen: dict[str, str] = {}  # practice id -> file, to refuse two files with one id
        # a file that is still there but failed to parse keeps its stored version under --prune
        present = {practice_id_for(path) for path in files}
        done = 0

        def parsed() -> Iterable[tuple[Path, Practice | None]]:
            for path in files:
                folder = path.parent
                if folder not in metadata_by_folder:
                    metadata_by_folder[folder] = load_metadata(folder)
                try:
                    practice, warnings = load_practice(path, metadata_by_folder[folder].get(path.name))
                except CorpusError as exc:
                    report.failed.append((str(path), str(exc)))
                    yield path, None
                    continue
                for warning in warnings:
                    log.warning("%s", warning)
                report.warnings.extend(warnings)
                if practice.id in seen:
                    report.failed.append(
                        (str(path), f"{path}: same practice id {practice.id!r} as {seen[practice.id]}; rename one")
                    )
                    yield path, None
                    continue
                seen[practice.id] = str(path)
                yield path, practice

        group: list[Practice] = []

        def flush() -> None:
            nonlocal done
            chunk_lists = [
                chunk_practice(p, target_chars=self.chunk_chars, overlap=self.chunk_overlap)
                for p in group
            ]
            texts = [embedding_text(c) for chunks in chunk_lists for c in chunks]
            vectors = self.embeddings.embed_documents(texts) if texts else []
            position = 0
            for practice, chunks in zip(group, chunk_lists):
                own = vectors[position : position + len(chunks)]
                position += len(chunks)
                try:
                    if not chunks:
                        raise CorpusError(f"{practice.source}: has a title but no text to ingest")
                    self.store.replace_document(practice, chunks, own, extract_facts(practice))
                except CorpusError as exc:
                    report.failed.append((practice.source, str(exc)))
                else:
                    (report.updated if practice.id in committed else report.added).append(practice.source)
                    report.chunks_written += len(chunks)
                done += 1
                if progress:
                    progress(done, len(files), report.chunks_written)
            group.clear()

        for _path, practice in parsed():
            if practice is None or committed.get(practice.id, ("", ""))[0] == practice.content_hash:
                if practice is not None:
                    report.unchanged.append(practice.source)
                    if self.store.get_facts(practice.id) is None:  # stored before the current fact rules
                        self.store.update_facts(practice.id, extract_facts(practice))
                done += 1
                if progress:
                    progress(done, len(files), report.chunks_written)
                continue
            group.append(practice)
            if len(group) >= GROUP_DOCS:
                flush()
        if group:
            flush()

        if prune:
            for practice_id, (_hash, source) in committed.items():
                if practice_id not in seen and practice_id not in present:
                    self.store.delete_document(practice_id)
                    report.pruned.append(source)
        report.seconds = time.perf_counter() - started
        return report
