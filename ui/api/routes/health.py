"""GET /healthz: can the store answer a question's query, what does it hold, which models serve."""

from __future__ import annotations

from fastapi import APIRouter

from ui.api.deps import SettingsDep, StoreDep
from ui.api.errors import ERRORS
from ui.api.schemas import Health

router = APIRouter(tags=["meta"])


@router.get("/healthz", response_model=Health, responses=ERRORS)
def healthz(settings: SettingsDep, store: StoreDep) -> Health:
    """200 when the store answers a nearest-neighbour query (not only a ping), with the number of
    practices and chunks and the model names; `degraded` when the disk is too full for uploads.
    503 (with Retry-After) when the store cannot answer: unreachable, hung, damaged."""
    practices, chunks = store.probe()
    free = store.free_bytes()
    writable = not store.low_space()
    return Health(
        status="ok" if writable else "degraded",
        practices=practices,
        chunks=chunks,
        collection=store.name,
        store=settings.store.chroma_url or "embedded",
        embedding_model=store.model_name,
        answer_backend=settings.answer.backend,
        writable=writable,
        free_mb=None if free is None else round(free / 1024 / 1024, 1),
    )
