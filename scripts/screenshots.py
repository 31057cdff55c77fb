"""Screenshots of the web UI's main views at desktop (1280x800) and phone (390x844) widths, for
the README: `python scripts/screenshots.py --data DATA_DIR [--out docs/screenshots]`.

DATA_DIR is a store ingested with the default settings (`praxis ingest`), so the answers shown
are the ones users get. Needs the test extra (playwright) and Debian's chromium.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from assistant.config import load_settings
from ui.api.app import create_app

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def serve(data: Path) -> tuple[str, uvicorn.Server]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(load_settings(data_dir=data)), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.1)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server


def ask(page: Page, question: str) -> None:
    turns = page.locator("#praxis-chat article.turn:not(.pending)")
    before = turns.count()
    page.locator("#praxis-question textarea").fill(question)
    page.locator("#praxis-question textarea").press("Enter")
    expect(turns).to_have_count(before + 1, timeout=120_000)


def shoot(page: Page, path: Path) -> None:
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    print("wrote", path)


def views(page: Page, out: Path, width: str) -> None:
    page.locator("#praxis-examples button.example").first.click()
    expect(page.locator("#praxis-chat article.turn:not(.pending)")).to_have_count(1, timeout=120_000)
    page.locator("#praxis-chat button.cite").first.click()
    expect(page.locator("#praxis-viewer mark.cited")).to_be_visible(timeout=30_000)
    if width == "phone":
        page.locator("#praxis-chat article.turn").first.scroll_into_view_if_needed()
        shoot(page, out / f"answer-{width}.png")
        page.locator("#praxis-viewer").scroll_into_view_if_needed()
        shoot(page, out / f"passage-{width}.png")
    else:
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, out / f"answer-{width}.png")
    ask(
        page,
        "We want to pedestrianise our historic centre but worry about access for older residents. "
        "Is there a practice that addresses this?",
    )
    page.locator("#praxis-chat article.turn").last.scroll_into_view_if_needed()
    shoot(page, out / f"refusal-{width}.png")

    page.get_by_role("tab", name="Practices").click()
    page.locator("#praxis-country input").click()
    page.locator("#praxis-country li[aria-label='Lithuania']").click()
    expect(page.locator("#praxis-cards .card")).to_have_count(3, timeout=30_000)
    page.locator("#praxis-cards button.card-open").nth(2).click()
    expect(page.locator("#praxis-practice-view h2")).to_be_visible(timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, out / f"practices-{width}.png")

    page.get_by_role("tab", name="Compare").click()
    for title in ("Lithuanian Automotive Export Association (LAuGEA)", "Cluj IT Cluster"):
        page.locator("#praxis-compare-pick input").click()
        page.locator(f"#praxis-compare-pick li[aria-label='{title}']").click()
        page.keyboard.press("Escape")
    page.locator("#praxis-compare").click()
    expect(page.locator("#praxis-compare-table table")).to_be_visible(timeout=30_000)
    shoot(page, out / f"compare-{width}.png")
    transfer(page, out, width)


def transfer(page: Page, out: Path, width: str) -> None:
    page.get_by_role("tab", name="Transfer").click()
    page.locator("#praxis-transfer-country textarea").fill("Portugal")
    page.locator("#praxis-transfer-region-type input").click()
    page.locator("#praxis-transfer-region-type li[aria-label='Rural']").click()
    page.locator("#praxis-transfer-budget textarea").fill("EUR 300000 per year")
    page.locator("#praxis-transfer-challenge textarea").fill(
        "Small firms in our villages want help to go digital and sell online"
    )
    page.locator("#praxis-rank").click()
    expect(page.locator("#praxis-transfer-cards li.fit").first).to_be_visible(timeout=120_000)
    page.locator("#praxis-transfer-cards button.cite").first.click()
    expect(page.locator("#praxis-transfer-view mark.cited")).to_be_visible(timeout=30_000)
    expect(page.locator("#praxis-briefing-row")).to_be_visible(timeout=60_000)
    page.evaluate(
        "window.scrollBy(0, document.querySelector('#praxis-tabs').getBoundingClientRect().top - 8)"
    )
    shoot(page, out / f"transfer-{width}.png")


def german(page: Page, out: Path, width: str) -> None:
    ask(page, "Wie viele Mitglieder hat die litauische Automobil-Exportvereinigung LAuGEA?")
    page.locator("#praxis-chat button.cite").first.click()
    expect(page.locator("#praxis-viewer mark.cited")).to_be_visible(timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, out / f"german-{width}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="a store ingested with the default settings")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    url, server = serve(args.data)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for width, viewport in WIDTHS.items():
            for locale, scene in (("en-GB", views), ("de-DE", german)):
                context = browser.new_context(viewport=viewport, locale=locale)
                page = context.new_page()
                page.goto(url)
                page.locator("#praxis-question textarea").wait_for(timeout=60_000)
                page.wait_for_timeout(1500)
                scene(page, args.out, width)
                context.close()
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
