"""Opening Chroma: an embedded client under the data dir or a client of a Chroma server, and the
embedding function handed to Chroma so it never downloads a model of its own.

Also what the operator's faults need: timeouts on a server's calls, reopening an embedded client
after another process wrote (chromadb keeps one engine per path and process, and that engine
caches the vector index it loaded), and moving a damaged store aside for `--rebuild`.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from langchain_core.embeddings import Embeddings

from assistant.errors import StoreCorrupt, StoreError, StoreUnavailable
from assistant.store.guard import classify

log = logging.getLogger(__name__)

SQLITE_FILE = "chroma.sqlite3"


def open_client(
    data_dir: Path,
    chroma_url: str | None = None,
    *,
    tenant: str = "default_tenant",
    database: str = "default_database",
    api_key: str | None = None,
    timeout_s: float = 10.0,
) -> ClientAPI:
    """An embedded PersistentClient under data_dir/chroma, or an HttpClient for a Chroma server
    (a `chroma run` process, a distributed deployment, or Chroma Cloud with tenant, database and
    api_key) whose calls time out after timeout_s.

    Raises StoreUnavailable when the server cannot be reached in time, StoreError when it refuses
    the database, StoreCorrupt / StorageUnavailable when the embedded store's files are damaged
    or cannot be written.
    """
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        return _http_client(chroma_url, chroma_settings, tenant, database, api_key, timeout_s)
    # absolute: chromadb caches one client per path string, and ".praxis/chroma" under another
    # working directory is another store
    path = Path(data_dir).resolve() / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return _persistent(path, chroma_settings)


def _persistent(path: Path, chroma_settings: ChromaSettings) -> ClientAPI:
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        error = classify(exc)
        if isinstance(error, StoreError):
            raise error from exc
        raise


def _http_client(
    chroma_url: str,
    chroma_settings: ChromaSettings,
    tenant: str,
    database: str,
    api_key: str | None,
    timeout_s: float,
) -> ClientAPI:
    from urllib.parse import urlparse

    url = urlparse(chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise StoreError(f"PRAXIS_STORE__CHROMA_URL={chroma_url!r} is not an http(s)://host:port URL")
    _heartbeat(chroma_url, timeout_s)  # chromadb's own first request has no timeout
    try:
        client = chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            headers={"x-chroma-token": api_key} if api_key else None,
            settings=chroma_settings,
            tenant=tenant,
            database=database,
        )
    except NotFoundError as exc:
        raise StoreError(
            f"the Chroma server at {chroma_url} has no tenant {tenant!r} with database {database!r} "
            f"({exc}); create it or set PRAXIS_STORE__CHROMA_TENANT / PRAXIS_STORE__CHROMA_DATABASE"
        ) from exc
    except Exception as exc:  # chromadb raises plain exceptions for connection problems
        raise StoreUnavailable(f"cannot reach the Chroma server at {chroma_url}: {exc}") from exc
    set_timeout(client, timeout_s)
    return client


def _heartbeat(chroma_url: str, timeout_s: float) -> None:
    """Raise StoreUnavailable unless the server answers its heartbeat within timeout_s."""
    try:
        with urllib.request.urlopen(f"{chroma_url.rstrip('/')}/api/v2/heartbeat", timeout=timeout_s):
            return
    except urllib.error.HTTPError:
        return  # it answered (an auth proxy, an older API path): chromadb reports the rest
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreUnavailable(
            f"cannot reach the Chroma server at {chroma_url}: {reason}; start it or fix "
            "PRAXIS_STORE__CHROMA_URL"
        ) from exc


def set_timeout(client: ClientAPI, timeout_s: float) -> None:
    """Bound every request of an HttpClient (chromadb creates its httpx session without a
    timeout and has no setting for one, so a hung server would hold a thread forever)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0))
    else:  # pragma: no cover - a chromadb release that moved it; the guard still bounds waiting
        log.warning("cannot set the Chroma client timeout; hung server calls are not bounded")


def is_embedded(client: ClientAPI) -> bool:
    """Whether the client runs the store in this process (PersistentClient)."""
    return bool(client.get_settings().is_persistent)


def store_path(client: ClientAPI) -> Path | None:
    """The folder of an embedded store, None for a server."""
    settings = client.get_settings()
    return Path(str(settings.persist_directory)) if settings.is_persistent else None


def reopen_client(client: ClientAPI) -> ClientAPI:
    """A fresh embedded client on the same folder, which reads the files as they are now
    (another process's committed writes included); a server's client is returned unchanged.

    chromadb keeps one engine per folder and process, with the vector index it loaded in memory;
    dropping that engine from its cache is the only way to make a new client read the files
    again. The old engine is left to the garbage collector: threads still inside a call on it
    finish their call.
    """
    path = store_path(client)
    if path is None:
        return client
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = str(client.get_settings().persist_directory)
    SharedSystemClient._identifier_to_system.pop(identifier, None)
    SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    return _persistent(path, ChromaSettings(anonymized_telemetry=False))


def integrity_problem(data_dir: Path) -> str | None:
    """What SQLite's quick check says is wrong with the embedded store's database file, or None
    when it is sound or absent (read-only; takes about a second per GB)."""
    database = Path(data_dir) / "chroma" / SQLITE_FILE
    if not database.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
            rows = connection.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    problems = [str(row[0]) for row in rows if row and row[0] != "ok"]
    return "; ".join(problems) or None


def quarantine_store(data_dir: Path) -> Path:
    """Move a damaged embedded store (data_dir/chroma) aside to chroma.damaged-<time> and return
    where it went; the next open starts an empty store. Raises StoreCorrupt when it cannot."""
    from chromadb.api.shared_system_client import SharedSystemClient

    source = Path(data_dir) / "chroma"
    target = source.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    SharedSystemClient._identifier_to_system.pop(str(source), None)
    SharedSystemClient._identifier_to_refcount.pop(str(source), None)
    try:
        source.rename(target)
    except OSError as exc:
        raise StoreCorrupt(f"cannot move the damaged store aside ({exc.strerror}); delete {source}") from exc
    return target


class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Our Embeddings, handed to Chroma so it never falls back to downloading its default model."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings

    def __call__(self, input: Documents) -> list[Any]:  # noqa: A002 - Chroma's parameter name
        return self._embeddings.embed_documents(list(input))

    def embed_query(self, input: Documents) -> list[Any]:  # noqa: A002
        return [self._embeddings.embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "praxis"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model": getattr(self._embeddings, "model_name", "unknown")}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        raise StoreError("Praxis collections are opened by Praxis, which passes its own embedder")
