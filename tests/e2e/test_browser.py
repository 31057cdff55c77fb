"""A user in a real browser: ask, see a cited answer, click a source, read the highlighted passage."""

from __future__ import annotations

import json

import httpx
from playwright.sync_api import Page, expect

CLUJ = "What does the Cluj IT cluster do?"


def ask(page: Page, question: str) -> None:
    box = page.locator("#praxis-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(page.locator("#praxis-chat .message.bot, #praxis-chat [data-testid='bot']").last).to_be_visible(
        timeout=30_000
    )


def test_ask_click_citation_and_see_the_highlighted_passage(page: Page, app_server, tmp_path):
    expected = httpx.post(f"{app_server.url}/v1/ask", json={"question": CLUJ}, timeout=30).json()
    first = expected["citations"][0]

    ask(page, CLUJ)
    chips = page.locator("#praxis-citations .chip")
    expect(chips).to_have_count(len(expected["citations"]), timeout=30_000)
    expect(page.locator("#praxis-chat")).to_contain_text(expected["answer"].split(" [1]")[0][:60])
    expect(page.locator("#praxis-chat")).to_contain_text("[1]")
    expect(chips.first).to_contain_text(f"[1] {first['title']}")

    chips.first.click()
    mark = page.locator("#praxis-viewer mark.cited")
    expect(mark).to_have_text(first["text"], timeout=30_000)
    expect(mark).to_be_in_viewport()
    expect(page.locator("#praxis-viewer .where")).to_contain_text(f"section “{first['section']}”")
    expect(page.locator("#praxis-viewer h3")).to_have_text(first["title"])
    page.screenshot(path=str(tmp_path / "cited-passage.png"), full_page=True)
    assert (tmp_path / "cited-passage.png").stat().st_size > 10_000

    page.locator("#praxis-up").click()
    expect(page.locator("#praxis-status")).to_contain_text("saved", timeout=15_000)
    row = json.loads((app_server.data_dir / "feedback.jsonl").read_text().splitlines()[-1])
    assert row["rating"] == "up" and row["question"] == CLUJ and row["citations"] == expected["citations"]

    page.locator("#praxis-chat button[aria-label='Dislike']").last.click()  # the chat's own thumbs
    expect(page.locator("#praxis-status")).to_contain_text("not helpful", timeout=15_000)
    row = json.loads((app_server.data_dir / "feedback.jsonl").read_text().splitlines()[-1])
    assert row["rating"] == "down" and row["answer"] == expected["answer"]

    page.locator("#praxis-export").click()
    expect(page.locator("#praxis-file")).to_contain_text(".md", timeout=15_000)


def test_script_in_a_document_is_shown_not_run(page: Page):
    ask(page, "How much does the Harbour Night Market cost a year?")
    chips = page.locator("#praxis-citations .chip")
    expect(chips.first).to_be_visible(timeout=30_000)
    expect(chips.first).to_contain_text("<script>")  # the title, as text
    chips.first.click()
    viewer = page.locator("#praxis-viewer")
    expect(viewer.locator("mark.cited")).to_be_visible(timeout=30_000)
    expect(viewer).to_contain_text("<script>window.__praxis_pwned = 3</script>")
    expect(viewer).to_contain_text('<img src=x onerror="window.__praxis_pwned = 2">')
    assert viewer.locator("script, img").count() == 0
    page.wait_for_timeout(500)
    assert page.evaluate("window.__praxis_pwned") is None


def test_answer_not_in_documents_says_so(page: Page):
    ask(page, "Who won the 1966 football world cup final?")
    notice = page.locator("#praxis-notice")
    expect(notice).to_be_visible(timeout=30_000)
    expect(notice).to_contain_text("Not in the documents")
    expect(page.locator("#praxis-citations .chip")).to_have_count(0)
