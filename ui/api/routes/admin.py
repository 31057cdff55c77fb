"""Admin routes, with the API key: POST /v1/ingest (upload practices), DELETE /v1/practices/{id}."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from assistant.errors import CorpusError
from ingest.factory import build_ingestor
from ingest.ingestor import METADATA_FILE
from ingest.readers import SUPPORTED_SUFFIXES, accepts, reader_for
from ui.api.deps import AdminDep, ServicesDep
from ui.api.errors import ERRORS, ErrorResponse, InvalidRequest, practice_not_found
from ui.api.limits import MAX_UPLOAD_FILES
from ui.api.schemas import DeleteOut, IngestOut, PracticeId

router = APIRouter(prefix="/v1", tags=["admin"], dependencies=[AdminDep])

ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing or wrong API key"},
    403: {"model": ErrorResponse, "description": "no API key configured: admin routes are off"},
}
ACCEPTED = " ".join(SUPPORTED_SUFFIXES)
COPY_BYTES = 1024 * 1024


def save_upload(upload: UploadFile, folder: Path) -> Path:
    """Write one uploaded file into folder under its base name, refusing what ingest would not
    read: another suffix, a name sent twice, more bytes than ingest reads from such a file."""
    name = Path(upload.filename or "").name
    target = folder / name
    if name != METADATA_FILE and not accepts(target):
        raise InvalidRequest(
            f"{name or 'a file without a name'}: Praxis ingests {ACCEPTED} files (and {METADATA_FILE}); "
            "convert it to one of them first"
        )
    if target.exists():
        raise InvalidRequest(f"{name}: uploaded twice; send each file once")
    limit = reader_for(target).max_bytes
    size = 0
    with target.open("wb") as handle:
        while chunk := upload.file.read(COPY_BYTES):
            size += len(chunk)
            if size > limit:
                raise InvalidRequest(f"{name}: larger than {limit} bytes; split it")
            handle.write(chunk)
    return target


@router.post("/ingest", response_model=IngestOut, responses={**ADMIN_ERRORS, **ERRORS})
def ingest(
    services: ServicesDep,
    files: Annotated[list[UploadFile], File(description=f"good practices ({ACCEPTED})")],
) -> IngestOut:
    """Add or update practices from uploaded files (any format `praxis ingest` reads; a
    metadata.jsonl may come along). Re-uploading an unchanged file changes nothing."""
    if len(files) > MAX_UPLOAD_FILES:
        raise InvalidRequest(f"{len(files)} files in one upload; send at most {MAX_UPLOAD_FILES}")
    with tempfile.TemporaryDirectory(prefix="praxis-upload-") as tmp:
        folder = Path(tmp)
        saved = [save_upload(upload, folder) for upload in files]
        if all(path.name == METADATA_FILE for path in saved):
            raise InvalidRequest(f"no practice file ({ACCEPTED}) in the upload")
        with services.ingest_lock:
            result = IngestOut.of(build_ingestor(services.settings, services.store).run([folder]), folder)
    if result.nothing_ingested:
        raise CorpusError("nothing ingested: " + "; ".join(f.reason for f in result.failed))
    return result


@router.delete(
    "/practices/{practice_id}",
    response_model=DeleteOut,
    responses={404: {"model": ErrorResponse, "description": "no such practice"}, **ADMIN_ERRORS},
)
def delete_practice(practice_id: PracticeId, services: ServicesDep) -> DeleteOut:
    """Remove a practice and all its chunks from the store."""
    with services.ingest_lock:
        if services.store.get_practice(practice_id) is None:
            raise practice_not_found(practice_id)
        removed = services.store.delete_document(practice_id)
    return DeleteOut(deleted=practice_id, chunks_removed=removed)
