"""The smaller faults of issue 18, each through real HTTP to the app: storage failures on upload
answer 503 the same way for one file or many, bad upload names get a 4xx, uploads are bounded
even without a Content-Length, routes the app does not use are closed, and every error outside
/v1 answers in the documented shape."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from assistant.config import load_settings
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from ingest.ingestor import Ingestor
from ingest.readers import READERS
from tests.conftest import INOLINK, LAUGEA, ROOT
from tests.ui.api.test_admin import API_KEY, NEW_PRACTICE, upload
from ui.api.app import create_app
from ui.api.limits import MAX_BODY_BYTES, MAX_UPLOAD_FILES

KEY = {"X-API-Key": API_KEY}


def served(serve, store: ChromaStore, tmp_path: Path, **server: object) -> httpx.Client:
    settings = load_settings(
        data_dir=tmp_path / "data", embedding={"backend": "hashing"}, server={"api_key": API_KEY, **server}
    )
    return httpx.Client(base_url=serve(create_app(settings, store=store, ui=False)).url, timeout=60)


@pytest.fixture
def full_store(tmp_path: Path, hashing) -> ChromaStore:
    """A store whose disk is 'full': it keeps more free space than any disk has."""
    store = ChromaStore(open_client(tmp_path / "full"), hashing, name="t", min_free_bytes=10**18)
    return store


def test_a_storage_failure_on_upload_is_503_for_one_file_or_many(serve, full_store, tmp_path) -> None:
    client = served(serve, full_store, tmp_path)
    second = NEW_PRACTICE.replace("Seaweed", "Oyster").encode()
    for files in (
        [("seaweed.txt", NEW_PRACTICE.encode())],
        [("seaweed.txt", NEW_PRACTICE.encode()), ("oyster.txt", second)],
    ):
        reply = upload(client, files, **KEY)
        assert reply.status_code == 503, reply.text
        assert reply.json()["error"]["type"] == "storage_full"  # the disk, not the document
        assert int(reply.headers["retry-after"]) >= 1
    assert client.get("/healthz").json()["status"] == "degraded"


@pytest.fixture
def admin(serve, store, tmp_path) -> httpx.Client:
    Ingestor(store, store.embeddings).run([LAUGEA, INOLINK])
    return served(serve, store, tmp_path, max_upload_mb=1)


def raw_upload(client: httpx.Client, filename: bytes, content: bytes) -> httpx.Response:
    """A multipart upload with the file name's bytes sent as they are (httpx would escape them)."""
    body = (
        b'--b\r\nContent-Disposition: form-data; name="files"; filename="' + filename + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + content + b"\r\n--b--\r\n"
    )
    return client.post(
        "/v1/ingest", content=body, headers={**KEY, "Content-Type": "multipart/form-data; boundary=b"}
    )


@pytest.mark.parametrize(
    "name",
    [
        b"nul\x00byte.txt",
        b"x" * 300 + b".txt",
        b"red\x1b[31m.txt",
        b"tab\tname.txt",
        b"bell\x07.txt",
        b"csi\xc2\x9b2J.txt",
    ],
)
def test_bad_upload_names_get_a_4xx_not_a_500(admin, name: bytes) -> None:
    reply = raw_upload(admin, name, NEW_PRACTICE.encode())
    assert reply.status_code == 422, reply.text
    error = reply.json()["error"]
    assert error["type"] == "invalid_request"
    assert "control characters" in error["message"] or "shorten" in error["message"], error
    assert "\x1b" not in reply.text and "\\u001b" not in reply.text
    assert admin.get("/healthz").json()["practices"] == 2


def test_a_windows_path_as_upload_name_keeps_its_base_name(admin) -> None:
    reply = upload(admin, [("C:\\Users\\me\\seaweed.txt", NEW_PRACTICE.encode())], **KEY)
    assert reply.status_code == 200 and reply.json()["added"] == ["seaweed.txt"], reply.text


def test_an_upload_over_the_limit_is_413_even_when_chunked(admin) -> None:
    body = b"x" * (2 * 1024 * 1024)

    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]
        yield b"\r\n--b--\r\n"

    reply = admin.post(
        "/v1/ingest", content=chunks(), headers={**KEY, "Content-Type": "multipart/form-data; boundary=b"}
    )
    assert reply.status_code == 413 and reply.json()["error"]["type"] == "payload_too_large"
    assert "content-length" not in {k.lower() for k in reply.request.headers}


def test_routes_outside_v1_answer_in_the_documented_shape(http) -> None:
    for method, path, status in (
        ("GET", "/no/such/page", 404),
        ("GET", "/healthz/extra", 404),
        ("POST", "/", 405),
        ("GET", "/gradio_api/no-such-route", 404),
    ):
        reply = http.request(method, path)
        assert reply.status_code == status, (path, reply.text)
        error = reply.json()["error"]
        assert set(error) == {"type", "message"} and error["message"], (path, error)


def test_the_web_ui_accepts_no_uploads(http, tmp_path) -> None:
    for path in ("/gradio_api/upload", "/upload"):
        reply = http.post(path, files=[("files", ("x.txt", b"anything", "text/plain"))])
        assert reply.status_code == 404, (path, reply.text)
        assert reply.json()["error"]["type"] == "not_found"
    config = http.get("/config").json()
    assert config.get("show_error") is False  # unexpected errors' text stays in the server log


def test_the_readme_states_the_limits_the_code_enforces() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings = load_settings()
    section = readme[readme.index("Limits:") : readme.index("Limits:") + 1500]
    assert f"{MAX_BODY_BYTES // (1024 * 1024)} MiB" in section
    assert f"{settings.server.max_upload_mb} MiB" in section and f"{MAX_UPLOAD_FILES} files" in section
    for suffix, spec in READERS.items():
        assert re.search(rf"{re.escape(suffix)}[^|\n]*\b{spec.max_bytes // (1024 * 1024)} MiB", readme), (
            suffix
        )
    ingest = settings.ingest
    for value in (ingest.max_chars, ingest.max_sections, ingest.max_chunks, ingest.max_pages):
        assert f"{value:,}" in readme, value
