"""What the HTTP API and the web UI share in one `praxis serve` process: settings, the store, the
catalog, the Assistant per answer backend, and the lock that serialises writes to the store.

Both adapters import this module; neither imports the other's.
"""

from __future__ import annotations

import logging
import threading

from assistant.config import Settings
from assistant.errors import (
    ConfigError,
    InvalidQuestion,
    PraxisError,
    StorageFull,
    StoreError,
    UnknownPractice,
)
from assistant.factory import build_assistant, build_catalog, build_store, build_transfer_advisor
from assistant.pipeline import Assistant
from assistant.practices.catalog import Catalog
from assistant.store.chroma import ChromaStore
from assistant.transfer.fit import TransferAdvisor

log = logging.getLogger(__name__)


class UnavailableBackend(PraxisError):
    """An answer backend a request asked for that cannot be built here (unknown, or its extra is
    not installed); the message names the configured one to use instead."""


class Services:
    """Settings, store, catalog and the Assistants, built once per app and shared by its routes."""

    def __init__(
        self, settings: Settings, assistant: Assistant | None = None, store: ChromaStore | None = None
    ) -> None:
        """assistant/store default to the ones built from settings (assistant.factory); a given
        assistant's store is used when no store is given."""
        self.settings = settings
        if store is None and assistant is not None:
            store = getattr(assistant.retriever, "store", None)
        self.store = store or build_store(settings)
        self.assistant = assistant or build_assistant(settings, store=self.store)
        self.catalog: Catalog = build_catalog(settings, self.store)
        self._assistants: dict[str, Assistant] = {settings.answer.backend: self.assistant}
        self._lock = threading.Lock()
        self.ingest_lock = threading.Lock()  # one ingest or delete at a time
        self.stopping = threading.Event()  # set when the server starts shutting down: ingests stop

    @property
    def transfer(self) -> TransferAdvisor:
        """The store's transfer advisor, the one the chat's transfer engine uses too."""
        return build_transfer_advisor(self.settings, self.store)

    def assistant_for(self, backend: str | None) -> Assistant:
        """The Assistant for an answer backend, built once; the configured one for None.

        Raises UnavailableBackend when that backend cannot be built.
        """
        if not backend:
            return self.assistant
        with self._lock:
            if backend not in self._assistants:
                try:
                    settings = self.settings.with_answer_backend(backend)
                    self._assistants[backend] = build_assistant(settings, store=self.store)
                except ConfigError as exc:
                    raise UnavailableBackend(
                        f"answer backend {backend!r} is not available ({exc}); "
                        f"leave `backend` out to use {self.settings.answer.backend!r}"
                    ) from exc
            return self._assistants[backend]


def warm_up_in_background(assistant: Assistant) -> threading.Thread:
    """Load what the first answers would wait for (models, the router's examples, the practice
    index and its key facts: seconds at 10,000 practices) while the server starts taking requests;
    a failure is logged, and the first question that needs the part loads it again."""

    def run() -> None:
        try:
            assistant.warm_up()
        except Exception:  # the server still answers: the first question pays the load instead
            log.warning("warming up the assistant failed; the first answers load it", exc_info=True)

    thread = threading.Thread(target=run, name="praxis-warm-up", daemon=True)
    thread.start()
    return thread


def user_message(exc: PraxisError) -> str:
    """What an anonymous user of the web UI is told about a failure: what they can do about a bad
    question or an unknown practice, and for anything else a plain sentence without the
    details (server paths, addresses, exception text), which the server log keeps."""
    if isinstance(exc, InvalidQuestion | UnknownPractice | UnavailableBackend):
        return str(exc)
    if isinstance(exc, StorageFull):
        return "The server's disk is full; answers still work, but nothing new can be added right now."
    if isinstance(exc, StoreError):
        return "The document store is not available right now; please try again in a minute."
    return "Something went wrong on the server; please try again later."
