"""Opening Chroma: an embedded client under the data dir or a client of a Chroma server, and the
embedding function handed to Chroma so it never downloads a model of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from langchain_core.embeddings import Embeddings

from assistant.errors import StoreError


def open_client(
    data_dir: Path,
    chroma_url: str | None = None,
    *,
    tenant: str = "default_tenant",
    database: str = "default_database",
    api_key: str | None = None,
) -> ClientAPI:
    """An embedded PersistentClient under data_dir/chroma, or an HttpClient for a Chroma server
    (a `chroma run` process, a distributed deployment, or Chroma Cloud with tenant, database and
    api_key). Raises StoreError when the server cannot be reached or refuses the database."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise StoreError(f"PRAXIS_STORE__CHROMA_URL={chroma_url!r} is not an http(s)://host:port URL")
        try:
            return chromadb.HttpClient(
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
            raise StoreError(f"cannot reach the Chroma server at {chroma_url}: {exc}") from exc
    # absolute: chromadb caches one client per path string, and ".praxis/chroma" under another
    # working directory is another store
    path = Path(data_dir).resolve() / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


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
