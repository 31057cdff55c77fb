"""A real headless Chromium (the Debian `chromium` package) driven by Playwright against a live
`praxis serve` app. A missing browser fails these tests; it never skips them."""

from __future__ import annotations

import shutil

import pytest

from assistant.config import load_settings
from assistant.embeddings import HashingEmbeddings
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from ingest.ingestor import Ingestor
from ui.api.app import create_app

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A practice whose text tries to run script in the page: it must be shown, never executed.
HOSTILE = """Harbour Night Market <script>window.__praxis_pwned = 1</script>

About this good practice
The Harbour Night Market lets 40 local food producers sell at the port every Friday evening.
<img src=x onerror="window.__praxis_pwned = 2"> <script>window.__praxis_pwned = 3</script>

Resources needed
The Harbour Night Market costs EUR 12,000 a year for stalls and lighting.
<script>window.__praxis_pwned = 4</script>
"""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: apt-get update && apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_server(serve, tmp_path_factory):
    """The bundled corpus plus one hostile practice, served like `praxis serve` (API + UI)."""
    from tests.conftest import CORPUS

    corpus = tmp_path_factory.mktemp("e2e-corpus")
    for path in CORPUS.iterdir():
        shutil.copy(path, corpus / path.name)
    (corpus / "harbour-night-market.txt").write_text(HOSTILE, encoding="utf-8")
    data = tmp_path_factory.mktemp("e2e-data")
    store = ChromaStore(open_client(data), HashingEmbeddings(), name="praxis")
    report = Ingestor(store, store.embeddings).run([corpus])
    assert report.ok, report.failed
    settings = load_settings(data_dir=data, embedding={"backend": "hashing"})
    server = serve(create_app(settings, store=store))
    server.data_dir = data
    return server


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(browser, app_server):
    """open_page(viewport, locale) -> a loaded page of the app. At the end: no JavaScript error
    happened, and the page requested nothing from other hosts (fonts, CDNs, analytics)."""
    contexts = []
    errors: list[str] = []
    outside: list[str] = []

    def _open(viewport: dict[str, int] = DESKTOP, locale: str = "en-GB"):
        context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((app_server.url, "data:", "blob:"))
                else outside.append(request.url)
            ),
        )
        page.goto(f"{app_server.url}/")
        page.locator("#praxis-question textarea").wait_for(timeout=30_000)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
    assert not outside, f"the page requested other hosts: {outside}"


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, open_page):
    """The app at desktop (1280x800) and phone (390x844) widths, in English."""
    return open_page(request.param)
