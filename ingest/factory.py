"""Builds the Ingestor from settings, in one place (the CLI's `praxis ingest` and the API's uploads)."""

from __future__ import annotations

from assistant.config import Settings
from assistant.store.chroma import ChromaStore
from ingest.ingestor import Ingestor
from ingest.readers import FieldMap, Limits


def build_ingestor(settings: Settings, store: ChromaStore, *, fields: FieldMap | None = None) -> Ingestor:
    """An Ingestor writing to store with the configured chunking, export-record mapping, limits
    per document and embedding batch.

    fields replaces the mapping of settings.ingest.record_fields (e.g. `praxis ingest --fields`).
    Raises ConfigError for a bad record mapping in the settings.
    """
    return Ingestor(
        store,
        store.embeddings,
        chunk_chars=settings.retrieval.chunk_chars,
        chunk_overlap=settings.retrieval.chunk_overlap,
        fields=fields if fields is not None else FieldMap.from_overrides(settings.ingest.record_fields),
        limits=Limits.from_settings(settings.ingest),
        embed_batch=settings.ingest.embed_batch,
    )
