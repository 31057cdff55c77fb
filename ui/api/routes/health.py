"""GET /healthz: is the store reachable, what does it hold, which models serve."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.errors import PraxisError, StoreError
from ui.api.deps import SettingsDep, StoreDep
from ui.api.errors import ERRORS
from ui.api.schemas import Health

router = APIRouter(tags=["meta"])


@router.get("/healthz", response_model=Health, responses=ERRORS)
def healthz(settings: SettingsDep, store: StoreDep) -> Health:
    """Store reachable, number of practices and chunks, model names."""
    try:
        practices, chunks = store.count_documents(), store.count_chunks()
    except PraxisError:
        raise
    except Exception as exc:  # chromadb raises plain exceptions when the store is unreachable
        raise StoreError(f"the store is not reachable: {exc}") from exc
    return Health(
        status="ok",
        practices=practices,
        chunks=chunks,
        collection=store.name,
        store=settings.store.chroma_url or "embedded",
        embedding_model=store.model_name,
        answer_backend=settings.answer.backend,
    )
