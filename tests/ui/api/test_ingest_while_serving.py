"""Ingesting through the API while clients ask questions: no failed query, no corrupted store."""

import threading

import httpx

from benchmarks.synth_corpus import practices
from tests.ui.api.test_admin import API_KEY, upload
from tests.ui.api.test_admin import admin_server as admin_server  # the fixture, re-exported


def test_queries_keep_answering_during_an_ingest(admin_server) -> None:  # noqa: F811
    files = [(f"{p.slug}.txt", p.text().encode("utf-8")) for p in practices(60)]
    failures: list[str] = []
    answered = 0
    stop = threading.Event()

    def ask_repeatedly() -> None:
        nonlocal answered
        with httpx.Client(base_url=admin_server.url, timeout=60) as client:
            while not stop.is_set():
                reply = client.post("/v1/ask", json={"question": "How many members does LAuGEA have?"})
                if reply.status_code != 200 or "answer" not in reply.json():
                    failures.append(f"{reply.status_code} {reply.text[:200]}")
                answered += 1
                search = client.get("/v1/search", params={"q": "cluster budget", "k": 5})
                if search.status_code != 200:
                    failures.append(f"search {search.status_code} {search.text[:200]}")

    askers = [threading.Thread(target=ask_repeatedly) for _ in range(4)]
    for thread in askers:
        thread.start()
    with httpx.Client(base_url=admin_server.url, timeout=300) as admin:
        for i in range(0, len(files), 20):  # three uploads while the questions run
            reply = upload(admin, files[i : i + 20], authorization=f"Bearer {API_KEY}")
            assert reply.status_code == 200, reply.text
    stop.set()
    for thread in askers:
        thread.join()
    assert not failures, failures[:3]
    assert answered >= 4
    with httpx.Client(base_url=admin_server.url) as client:
        health = client.get("/healthz").json()
        assert health["practices"] == 62
        listed = client.get("/v1/practices").json()
        assert listed["count"] == 62
