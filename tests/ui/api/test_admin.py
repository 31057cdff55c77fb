"""Admin routes: upload and delete practices, only with the configured API key."""

from __future__ import annotations

import io

import docx
import httpx
import pytest

from assistant.config import load_settings
from ingest.ingestor import Ingestor
from ingest.readers import READERS, SUPPORTED_SUFFIXES, ReaderSpec
from tests.conftest import INOLINK, LAUGEA
from ui.api.app import create_app

API_KEY = "test-admin-key-0123456789"
NEW_PRACTICE = """Seaweed Skills Academy

About this good practice
The Seaweed Skills Academy trains 120 coastal fishers a year to farm kelp. <script>alert('x')</script>

Resources needed
The academy costs EUR 340,000 a year, paid by the regional fisheries fund.
"""


@pytest.fixture
def admin_server(serve, store, tmp_path):
    """A fresh store with two practices, served with an API key (API only)."""
    Ingestor(store, store.embeddings).run([LAUGEA, INOLINK])
    settings = load_settings(
        data_dir=tmp_path / "data", embedding={"backend": "hashing"}, server={"api_key": API_KEY}
    )
    return serve(create_app(settings, store=store, ui=False))


@pytest.fixture
def admin(admin_server):
    with httpx.Client(base_url=admin_server.url, timeout=30) as client:
        yield client


def upload(client: httpx.Client, files: list[tuple[str, bytes]], **headers: str) -> httpx.Response:
    return client.post(
        "/v1/ingest", files=[("files", (name, data, "text/plain")) for name, data in files], headers=headers
    )


def test_admin_routes_are_off_without_a_configured_key(http):
    for response in (
        upload(http, [("a.txt", b"Title\n\nSome text here.")], Authorization="Bearer anything"),
        http.delete("/v1/practices/cluj-it-cluster", headers={"X-API-Key": "anything"}),
    ):
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["type"] == "admin_disabled" and "PRAXIS_SERVER__API_KEY" in error["message"]
    assert http.get("/v1/practices/cluj-it-cluster").status_code == 200


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"X-API-Key": "wrong"}, {"Authorization": API_KEY}]
)
def test_wrong_or_missing_key_is_refused(admin, headers):
    response = upload(admin, [("seaweed.txt", NEW_PRACTICE.encode())], **headers)
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"
    deleted = admin.delete("/v1/practices/laugea-lithuanian-automotive-export-association", headers=headers)
    assert deleted.status_code == 401
    assert admin.get("/healthz").json()["practices"] == 2


def test_upload_makes_a_practice_answerable_and_reupload_is_a_no_op(admin):
    response = upload(admin, [("seaweed.txt", NEW_PRACTICE.encode())], Authorization=f"Bearer {API_KEY}")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["added"] == ["seaweed.txt"] and report["failed"] == [] and report["chunks_written"] > 0
    practice = admin.get("/v1/practices/seaweed").json()
    assert practice["title"] == "Seaweed Skills Academy"
    assert "<script>alert('x')</script>" in practice["text"]  # stored as text, exactly
    answer = admin.post("/v1/ask", json={"question": "How much does the Seaweed Skills Academy cost?"}).json()
    assert any(c["practice_id"] == "seaweed" and "340,000" in c["text"] for c in answer["citations"]), answer
    again = upload(admin, [("seaweed.txt", NEW_PRACTICE.encode())], **{"X-API-Key": API_KEY}).json()
    assert again["unchanged"] == ["seaweed.txt"] and again["chunks_written"] == 0
    assert admin.get("/healthz").json()["practices"] == 3


def test_bad_uploads_are_refused_and_change_nothing(admin):
    before = admin.get("/healthz").json()
    key = {"X-API-Key": API_KEY}
    slides = upload(admin, [("report.pptx", b"PK\x03\x04")], **key)
    assert slides.status_code == 422 and slides.json()["error"]["type"] == "invalid_request"
    assert all(suffix in slides.json()["error"]["message"] for suffix in SUPPORTED_SUFFIXES)
    pdf = upload(admin, [("report.pdf", b"%PDF-1.7")], **key)
    assert pdf.status_code == 422 and pdf.json()["error"]["type"] == "invalid_document"
    assert "report.pdf: not a readable PDF" in pdf.json()["error"]["message"]
    latin1 = upload(admin, [("bad.txt", "Café\n\nTexte en Latin-1".encode("latin-1"))], **key)
    assert latin1.status_code == 422
    assert latin1.json()["error"]["type"] == "invalid_document"
    assert "UTF-8" in latin1.json()["error"]["message"] and "/tmp" not in latin1.json()["error"]["message"]
    twice = upload(admin, [("a.txt", b"A\n\nText one."), ("a.txt", b"A\n\nText two.")], **key)
    assert twice.status_code == 422 and "twice" in twice.json()["error"]["message"]
    mixed = upload(admin, [("bad.txt", b"\xff\xfe\x00"), ("seaweed.md", NEW_PRACTICE.encode())], **key).json()
    assert mixed["added"] == ["seaweed.md"] and [f["file"] for f in mixed["failed"]] == ["bad.txt"]
    after = admin.get("/healthz").json()
    assert after["practices"] == before["practices"] + 1


def test_delete_removes_the_practice_everywhere(admin):
    practice_id = "laugea-lithuanian-automotive-export-association"
    chunks_before = admin.get("/healthz").json()["chunks"]
    response = admin.delete(f"/v1/practices/{practice_id}", headers={"Authorization": f"Bearer {API_KEY}"})
    assert response.status_code == 200
    removed = response.json()["chunks_removed"]
    assert response.json()["deleted"] == practice_id and removed > 0
    assert admin.get(f"/v1/practices/{practice_id}").status_code == 404
    assert admin.get("/healthz").json()["chunks"] == chunks_before - removed
    query = {"q": "Lithuanian automotive export association", "k": 10}
    results = admin.get("/v1/search", params=query).json()
    assert all(r["practice_id"] != practice_id for r in results["results"])
    again = admin.delete(f"/v1/practices/{practice_id}", headers={"X-API-Key": API_KEY})
    assert again.status_code == 404 and again.json()["error"]["type"] == "not_found"


def seaweed_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Seaweed Skills Academy", level=0)
    for name, text in (
        ("About this good practice", "The Seaweed Skills Academy trains 120 coastal fishers a year."),
        ("Resources needed", "The academy costs EUR 340,000 a year, paid by the regional fisheries fund."),
    ):
        document.add_heading(name, level=2)
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


KELP_HTML = b"""<!doctype html><html><head><title>Kelp Co-op</title></head><body>
<nav>Home Practices Login</nav><main><h1>Kelp Co-op</h1>
<h2>About this good practice</h2><p>The Kelp Co-op dries and sells the harvest of 35 farms.</p>
<h2>Resources needed</h2><p>The co-op costs EUR 90,000 a year.</p></main></body></html>"""


def test_upload_takes_every_format_ingest_reads(admin):
    key = {"X-API-Key": API_KEY}
    response = upload(admin, [("seaweed.docx", seaweed_docx()), ("kelp.html", KELP_HTML)], **key)
    assert response.status_code == 200, response.text
    assert sorted(response.json()["added"]) == ["kelp.html", "seaweed.docx"]
    seaweed = admin.get("/v1/practices/seaweed").json()
    assert seaweed["title"] == "Seaweed Skills Academy" and seaweed["source"] == "seaweed.docx"
    kelp = admin.get("/v1/practices/kelp").json()
    resources = next(s for s in kelp["sections"] if s["name"] == "Resources needed")
    assert "EUR 90,000" in resources["text"] and "Login" not in kelp["text"]
    answer = admin.post("/v1/ask", json={"question": "How much does the Seaweed Skills Academy cost?"}).json()
    assert any(c["practice_id"] == "seaweed" and "340,000" in c["text"] for c in answer["citations"]), answer


def test_upload_refuses_a_file_over_the_limit_ingest_reads(admin, monkeypatch):
    monkeypatch.setitem(READERS, ".txt", ReaderSpec("plain:read_plain", max_bytes=200))
    key = {"X-API-Key": API_KEY}
    big = upload(admin, [("big.txt", b"Big\n\n" + b"word " * 100)], **key)
    assert big.status_code == 422 and "big.txt: larger than 200 bytes" in big.json()["error"]["message"]
    small = upload(admin, [("small.txt", b"Small Practice\n\nIt costs EUR 5 a year.")], **key)
    assert small.status_code == 200 and small.json()["added"] == ["small.txt"]
