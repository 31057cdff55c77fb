"""Builds the objects from settings, in one place. Optional backends are imported lazily."""

from __future__ import annotations

from functools import lru_cache

from langchain_core.embeddings import Embeddings

from assistant.assistant import Assistant
from assistant.catalog import Catalog
from assistant.config import Settings
from assistant.embeddings import HashingEmbeddings, SentenceTransformerEmbeddings
from assistant.errors import ConfigError
from assistant.extractive import ExtractiveAnswerer
from assistant.retrieval import DenseRetriever
from assistant.store import ChromaStore, open_client


@lru_cache(maxsize=4)
def _cached_sentence_transformer(model: str, batch_size: int) -> SentenceTransformerEmbeddings:
    return SentenceTransformerEmbeddings(model, batch_size=batch_size)


def build_embeddings(settings: Settings) -> Embeddings:
    match settings.embedding.backend:
        case "sentence-transformers":
            return _cached_sentence_transformer(settings.embedding.model, settings.embedding.batch_size)
        case "hashing":
            return HashingEmbeddings()
        case other:
            raise ConfigError(f"unknown embedding backend {other!r}")


def build_store(settings: Settings, embeddings: Embeddings | None = None) -> ChromaStore:
    embeddings = embeddings or build_embeddings(settings)
    key = settings.store.chroma_api_key
    client = open_client(
        settings.data_dir,
        settings.store.chroma_url,
        tenant=settings.store.chroma_tenant,
        database=settings.store.chroma_database,
        api_key=key.get_secret_value() if key else None,
    )
    return ChromaStore(client, embeddings, name=settings.store.collection)


def build_assistant(settings: Settings, store: ChromaStore | None = None) -> Assistant:
    store = store or build_store(settings)
    embeddings = store.embeddings
    retriever = DenseRetriever(store, embeddings)
    match settings.answer.backend:
        case "extractive":
            answerer = ExtractiveAnswerer(embeddings, max_sentences=settings.answer.max_sentences)
        case other:
            raise ConfigError(f"unknown answer backend {other!r}")
    return Assistant(retriever, answerer, k=settings.retrieval.k)


def build_catalog(settings: Settings, store: ChromaStore | None = None) -> Catalog:
    """Key facts, compare, similar practices and fact filters over the configured store."""
    return Catalog(store or build_store(settings))
