"""The Praxis error hierarchy. Every message says what to do next."""

from __future__ import annotations


class PraxisError(Exception):
    """Base class of every error Praxis raises on purpose."""


class ConfigError(PraxisError):
    """The settings are invalid or a backend is not installed."""


class CorpusError(PraxisError):
    """A document could not be read, parsed or stored."""


class StoreError(PraxisError):
    """The vector store refused an operation or is inconsistent with the settings.

    `retry_after` (seconds) is set when trying again later may succeed (HTTP: Retry-After).
    """

    retry_after: float | None = None

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        if retry_after is not None:
            self.retry_after = retry_after


class StoreUnavailable(StoreError):
    """The store did not answer: a Chroma server that is down, hung or overloaded, or a store
    whose recent calls failed so that calls are refused for a moment (the circuit is open)."""

    retry_after = 5.0


class StorageFull(StoreError):
    """The disk that holds the store is (nearly) full: writes are refused, reads go on."""

    retry_after = 60.0


class StorageUnavailable(StoreError):
    """The store's files cannot be written (a read-only file system, an I/O error)."""

    retry_after = 60.0


class StoreCorrupt(StoreError):
    """The store's database file is damaged; `praxis ingest --rebuild` recreates it."""


class ModelMismatchError(StoreError):
    """The collection was built with another embedding model than the one configured."""


class DocumentTooLarge(CorpusError):
    """A document exceeds a limit on its size or its work (characters, sections, chunks,
    pages, uncompressed bytes); the message names the limit and its setting."""


class IngestCancelled(PraxisError):
    """An ingest stopped before it finished (its client went away or the server is stopping);
    what it committed stays, the rest is cleaned up by the next ingest."""


class BackendError(PraxisError):
    """A model backend failed (not installed, not reachable, or returned garbage)."""


class InvalidQuestion(PraxisError):
    """The question, history, filters or k are unusable."""


class UnknownPractice(PraxisError):
    """No stored practice matches the id or title given."""


class TestsetError(PraxisError):
    """An evaluation test set is missing or has a line that cannot be used."""

    __test__ = False  # not a pytest test class, despite the name
