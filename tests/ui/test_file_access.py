"""The web UI serves no file outside what it must: no path traversal to system files or the store."""

import httpx
import pytest

SECRET_MARKERS = ("root:x:0:0", "SQLite format 3", "PRAXIS_SERVER__API_KEY")


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=/etc/passwd",
        "/file=/etc/passwd",
        "/gradio_api/file=../../../../etc/passwd",
        "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/../../../../etc/passwd",
        "/assets/..%2f..%2f..%2f..%2fetc/passwd",
        "/gradio_api/file=/proc/self/environ",
        "/..%2f..%2f..%2fetc%2fpasswd",
    ],
)
def test_system_files_are_not_served(http: httpx.Client, path: str) -> None:
    reply = http.get(path)
    assert reply.status_code in (400, 403, 404, 405), (path, reply.status_code)
    assert not any(marker in reply.text for marker in SECRET_MARKERS)


def test_the_store_and_feedback_are_not_served(http: httpx.Client, live, hashing_corpus) -> None:
    store_dir, _ = hashing_corpus
    (live.data_dir / "feedback.jsonl").touch()
    for target in (store_dir / "chroma" / "chroma.sqlite3", live.data_dir / "feedback.jsonl"):
        assert target.exists()
        for path in (f"/gradio_api/file={target}", f"/file={target}"):
            reply = http.get(path)
            assert reply.status_code in (400, 403, 404), (path, reply.status_code)
            assert "SQLite format 3" not in reply.text
