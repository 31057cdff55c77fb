"""The Praxis error hierarchy. Every message says what to do next."""

from __future__ import annotations


class PraxisError(Exception):
    """Base class of every error Praxis raises on purpose."""


class ConfigError(PraxisError):
    """The settings are invalid or a backend is not installed."""


class CorpusError(PraxisError):
    """A document could not be read, parsed or stored."""


class StoreError(PraxisError):
    """The vector store refused an operation or is inconsistent with the settings."""


class ModelMismatchError(StoreError):
    """The collection was built with another embedding model than the one configured."""


class BackendError(PraxisError):
    """A model backend failed (not installed, not reachable, or returned garbage)."""


class InvalidQuestion(PraxisError):
    """The question, history, filters or k are unusable."""


class UnknownPractice(PraxisError):
    """No stored practice matches the id or title given."""


class TestsetError(PraxisError):
    """An evaluation test set is missing or has a line that cannot be used."""

    __test__ = False  # not a pytest test class, despite the name
