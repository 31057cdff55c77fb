"""Admin routes, with the API key: POST /v1/ingest (upload practices), DELETE /v1/practices/{id}.

An upload is bounded (files per request, bytes per request and per file, work per document: see
ingest/readers/limits.py) and cancellable: when its client goes away, or the server is stopping,
the ingest stops before its next batch, keeping what it committed.
"""

from __future__ import annotations

import asyncio
import errno
import re
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from assistant.errors import CorpusError, StorageFull, StorageUnavailable, StoreUnavailable
from ingest.factory import build_ingestor
from ingest.ingestor import METADATA_FILE
from ingest.readers import SUPPORTED_SUFFIXES, accepts, reader_for
from ui.api.deps import AdminDep, ServicesDep
from ui.api.errors import ERRORS, ErrorResponse, InvalidRequest, practice_not_found
from ui.api.limits import MAX_UPLOAD_FILES
from ui.api.schemas import DeleteOut, IngestOut, PracticeId
from ui.services import Services

router = APIRouter(prefix="/v1", tags=["admin"], dependencies=[AdminDep])

ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing or wrong API key"},
    403: {"model": ErrorResponse, "description": "no API key configured: admin routes are off"},
}
ACCEPTED = " ".join(SUPPORTED_SUFFIXES)
COPY_BYTES = 1024 * 1024
MAX_NAME_BYTES = 200  # file systems allow 255; the rest is room for what ingest adds
LOCK_WAIT_S = 30.0  # an upload waits this long for the one running before it
WATCH_S = 0.2  # how often a running upload checks that its client is still there
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def upload_name(raw: str | None) -> str:
    """The base name of an uploaded file (a Windows path's too). Raises InvalidRequest for a name
    with control characters (NUL, escape sequences) or longer than MAX_NAME_BYTES."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    if _UNSAFE_NAME.search(name):
        shown = _UNSAFE_NAME.sub("?", name)[:80]
        raise InvalidRequest(f"{shown}: a file name with control characters; rename the file")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise InvalidRequest(
            f"{name[:40]}...: a file name of {len(name.encode('utf-8'))} bytes; "
            f"shorten it to at most {MAX_NAME_BYTES}"
        )
    return name


def save_upload(upload: UploadFile, folder: Path) -> Path:
    """Write one uploaded file into folder under its base name, refusing what ingest would not
    read: another suffix, a bad name, a name sent twice, more bytes than ingest reads from such
    a file. Raises StorageFull / StorageUnavailable when the file cannot be staged."""
    name = upload_name(upload.filename)
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
    try:
        with target.open("wb") as handle:
            while chunk := upload.file.read(COPY_BYTES):
                size += len(chunk)
                if size > limit:
                    raise InvalidRequest(f"{name}: larger than {limit} bytes; split it")
                handle.write(chunk)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull("no space left to stage the upload; free disk space and send it again") from exc
        raise StorageUnavailable(f"the upload could not be staged ({exc.strerror}); try again") from exc
    return target


def ingest_uploads(services: Services, files: list[UploadFile], cancel: threading.Event) -> IngestOut:
    """Stage the files in a temporary folder and ingest it (one ingest at a time)."""
    with tempfile.TemporaryDirectory(prefix="praxis-upload-") as tmp:
        folder = Path(tmp)
        saved = [save_upload(upload, folder) for upload in files]
        if all(path.name == METADATA_FILE for path in saved):
            raise InvalidRequest(f"no practice file ({ACCEPTED}) in the upload")
        if not services.ingest_lock.acquire(timeout=LOCK_WAIT_S):
            raise StoreUnavailable(
                "another upload is being ingested; send this one again later", retry_after=10
            )
        try:
            report = build_ingestor(services.settings, services.store).run([folder], cancel=cancel)
        finally:
            services.ingest_lock.release()
        result = IngestOut.of(report, folder)
    if result.nothing_ingested:
        raise CorpusError("nothing ingested: " + "; ".join(f.reason for f in result.failed))
    return result


async def _watch(request: Request, services: Services, cancel: threading.Event) -> None:
    """Cancel the ingest when its client disconnects or the server starts stopping."""
    while not cancel.is_set():
        if services.stopping.is_set() or await request.is_disconnected():
            cancel.set()
            return
        await asyncio.sleep(WATCH_S)


@router.post("/ingest", response_model=IngestOut, responses={**ADMIN_ERRORS, **ERRORS})
async def ingest(
    request: Request,
    services: ServicesDep,
    files: Annotated[list[UploadFile], File(description=f"good practices ({ACCEPTED})")],
) -> IngestOut:
    """Add or update practices from uploaded files (any format `praxis ingest` reads; a
    metadata.jsonl may come along). Re-uploading an unchanged file changes nothing. A client
    that disconnects cancels its ingest (what was committed stays)."""
    if len(files) > MAX_UPLOAD_FILES:
        raise InvalidRequest(f"{len(files)} files in one upload; send at most {MAX_UPLOAD_FILES}")
    cancel = threading.Event()
    watcher = asyncio.create_task(_watch(request, services, cancel))
    try:
        return await run_in_threadpool(ingest_uploads, services, files, cancel)
    finally:
        watcher.cancel()


@router.delete(
    "/practices/{practice_id}",
    response_model=DeleteOut,
    responses={404: {"model": ErrorResponse, "description": "no such practice"}, **ADMIN_ERRORS},
)
def delete_practice(practice_id: PracticeId, services: ServicesDep) -> DeleteOut:
    """Remove a practice and all its chunks from the store."""
    if not services.ingest_lock.acquire(timeout=LOCK_WAIT_S):
        raise StoreUnavailable("an upload is being ingested; delete again later", retry_after=10)
    try:
        if services.store.get_practice(practice_id) is None:
            raise practice_not_found(practice_id)
        removed = services.store.delete_document(practice_id)
    finally:
        services.ingest_lock.release()
    return DeleteOut(deleted=practice_id, chunks_removed=removed)
