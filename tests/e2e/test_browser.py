"""A policymaker in a real browser (headless Chromium), at desktop and phone widths: markers in
answers open their passages, refusals offer their nearest practices, filters list practices,
the conversation shows its focus, the interface speaks German and Lithuanian, the conversation
downloads as three documents, nothing overlaps, and axe-core finds no serious problem."""

from __future__ import annotations

import json
import re

import httpx
import pypdf
import pytest
from axe_playwright_python.sync_playwright import Axe
from docx import Document
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import DESKTOP, PHONE
from ui.web.handlers import EXAMPLES

CLUJ = "What does the Cluj IT cluster do?"
CENTROPE = "What does the CENTROPE innovation voucher pay for?"
REFUSED = "Who won the 1966 football world cup final?"
STORAGE_WORDS = re.compile(r"\.txt\b|metadata|chars \d|characters \d")


def ask(page: Page, question: str) -> Locator:
    """Ask in the question box; the answered turn once it is complete."""
    turns = page.locator("#praxis-chat article.turn:not(.pending)")
    before = turns.count()
    box = page.locator("#praxis-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(turns).to_have_count(before + 1, timeout=30_000)
    expect(page.locator("#praxis-chat article.pending")).to_have_count(0)
    return turns.last


def choose(page: Page, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.locator(f"{dropdown} li[aria-label='{option}']").click()


def covered(page: Page, selector: str) -> bool:
    """Whether something else is drawn over the top-left corner of the element's content."""
    return page.evaluate(
        """(selector) => {
          const box = document.querySelector(selector);
          const r = box.getBoundingClientRect();
          const top = document.elementFromPoint(r.left + 12, Math.max(r.top, 0) + 6);
          return !box.contains(top);
        }""",
        selector,
    )


def test_a_marker_in_an_answer_opens_its_passage_and_the_next_answer_clears_it(page: Page, app_server):
    expected = httpx.post(f"{app_server.url}/v1/ask", json={"question": CLUJ}, timeout=30).json()
    first = expected["citations"][0]

    turn = ask(page, CLUJ)
    markers = re.findall(r"\[\d+\]", expected["answer"])
    expect(turn.locator(".msg.bot button.cite")).to_have_count(len(markers))
    sources = turn.locator(".sources button.source")  # the answer's sources, inside its turn
    expect(sources).to_have_count(len(expected["citations"]))
    expect(sources.first).to_contain_text(f"[1] {first['title']} · {first['section']}")

    turn.locator("button.cite").first.click()
    viewer = page.locator("#praxis-viewer")
    mark = viewer.locator("mark.cited")
    expect(mark).to_have_text(first["text"], timeout=15_000)
    expect(mark).to_be_in_viewport()
    expect(viewer.locator(".where")).to_have_text(f"[1] is cited from the section “{first['section']}”:")
    expect(viewer.locator("h2")).to_have_text(first["title"])
    # the "[1] is cited from" line sits above the scrolling text, never over it
    assert viewer.locator(".where").evaluate("e => getComputedStyle(e).position") != "sticky"
    where = viewer.locator(".where").bounding_box()
    body = viewer.locator(".practice-body").bounding_box()
    assert where and body and where["y"] + where["height"] <= body["y"] + 1
    assert not covered(page, "#praxis-viewer .practice-body")
    assert not STORAGE_WORDS.search(viewer.inner_text())

    ask(page, CENTROPE)  # a new answer: the previous answer's passage goes
    expect(viewer.locator("mark.cited")).to_have_count(0)
    expect(viewer).to_contain_text("Click a number such as [1] in an answer")
    page.locator("#praxis-chat article.turn").last.locator("button.source").nth(1).click()
    expect(viewer.locator("mark.cited")).to_have_count(1, timeout=15_000)
    ask(page, REFUSED)  # a refusal clears it too
    expect(viewer.locator("mark.cited")).to_have_count(0)


def test_a_refusal_offers_its_nearest_practices_and_they_open(page: Page):
    turn = ask(page, REFUSED)
    expect(turn).to_contain_text(f"The documents do not say: {REFUSED}")
    expect(turn).not_to_contain_text("Try other words")  # it names practices: no dead end
    nearest = turn.locator(".nearest button.practice-link")
    expect(nearest.first).to_be_visible()
    title = nearest.first.inner_text()
    nearest.first.click()
    viewer = page.locator("#praxis-viewer")
    expect(viewer.locator("h2")).to_have_text(title, timeout=15_000)
    expect(viewer).to_contain_text("Key facts")
    expect(viewer.locator(".practice-head")).to_be_in_viewport()
    assert not STORAGE_WORDS.search(viewer.inner_text())


def test_a_country_lists_exactly_its_practices_and_a_card_opens_one(page: Page, app_server):
    listed = httpx.get(f"{app_server.url}/v1/practices", params={"country": "Lithuania"}, timeout=30).json()
    titles = sorted(p["title"] for p in listed["practices"])
    assert len(titles) >= 3

    page.get_by_role("tab", name="Practices").click()
    choose(page, "#praxis-country", "Lithuania")
    cards = page.locator("#praxis-cards .card")
    expect(cards).to_have_count(len(titles), timeout=15_000)
    assert sorted(cards.locator("button.card-open").all_inner_texts()) == titles
    expect(page.locator("#praxis-cards .count")).to_have_text(f"{len(titles)} practices")
    for card in cards.all():
        expect(card.locator(".card-meta")).to_contain_text("Lithuania")
        assert len(card.locator(".card-summary").inner_text()) > 20

    page.locator("#praxis-search textarea").fill("InoLink")
    expect(cards.first.locator("button.card-open")).to_contain_text("InoLink", timeout=15_000)
    assert cards.count() <= len(titles)
    page.locator("#praxis-search textarea").fill("no-such-word-anywhere")
    expect(cards).to_have_count(0, timeout=15_000)
    expect(page.locator("#praxis-cards")).to_contain_text("No practice matches")
    page.locator("#praxis-search textarea").fill("")

    expect(cards).to_have_count(len(titles), timeout=15_000)
    cards.first.locator("button.card-open").click()
    reader = page.locator("#praxis-practice-view")
    expect(reader.locator("h2")).to_have_text(titles[0], timeout=15_000)
    expect(reader.locator(".practice-head")).to_be_in_viewport()
    expect(reader).to_contain_text("About this good practice")
    assert not STORAGE_WORDS.search(reader.inner_text())

    page.get_by_role("tab", name="Ask").click()  # the filter also limits the answers, and says so
    expect(page.locator("#praxis-focus")).to_contain_text("Answers are limited to: Lithuania")
    page.locator("#praxis-focus button.clear-filters").click()
    expect(page.locator("#praxis-focus")).not_to_contain_text("limited", timeout=15_000)


def test_the_conversation_shows_its_practices_and_new_topic_clears_them(page: Page):
    ask(page, CLUJ)
    focus = page.locator("#praxis-focus")
    expect(focus).to_contain_text("This conversation is about:")
    expect(focus.locator("button.focus-chip")).to_have_text(["Cluj IT Cluster"])
    focus.locator("button.focus-chip").click()
    expect(page.locator("#praxis-viewer h2")).to_have_text("Cluj IT Cluster", timeout=15_000)

    focus.locator("button.new-topic").click()
    expect(focus).to_contain_text("No practice in focus", timeout=15_000)
    expect(focus.locator("button.focus-chip")).to_have_count(0)
    ask(page, CENTROPE)
    expect(page.locator("#praxis-chat .topic-divider")).to_have_count(1)
    expect(focus.locator("button.focus-chip")).to_have_text(["CENTROPE Innovation Voucher"])


def test_an_example_is_asked_and_answered(page: Page):
    listing = EXAMPLES[1]
    assert listing.kind == "kind_list"
    example = page.locator("#praxis-examples button.example").nth(1)
    expect(example).to_contain_text("A list")
    example.click()
    turn = page.locator("#praxis-chat article.turn:not(.pending)").last
    expect(turn.locator(".msg.user")).to_contain_text(listing.question, timeout=30_000)
    sources = turn.locator(".sources button.source")
    expect(sources.first).to_be_visible()
    practices = {t.split("] ", 1)[1].split(" · ")[0] for t in sources.all_inner_texts()}
    assert len([t for t in practices if "Voucher" in t]) >= 3


def test_ratings_are_icons_and_words_that_always_render_and_are_saved(page: Page, app_server):
    turn = ask(page, CLUJ)
    rate = turn.locator("button.rate")
    expect(rate).to_have_text(["Helpful", "Not helpful"])
    expect(rate.locator("svg")).to_have_count(2)
    assert not re.search("[\U0001f44d\U0001f44e]", page.locator("body").inner_text())
    rate.nth(1).click()
    expect(page.locator("#praxis-status")).to_contain_text("not helpful", timeout=15_000)
    expect(turn.locator("button.rate[aria-pressed='true']")).to_have_text("Not helpful")
    row = json.loads((app_server.data_dir / "feedback.jsonl").read_text().splitlines()[-1])
    assert row["rating"] == "down" and row["question"] == CLUJ and row["citations"]


def test_the_conversation_downloads_as_markdown_word_and_pdf(page: Page):
    ask(page, CLUJ)
    expect(page.locator("#praxis-exports")).to_be_visible(timeout=15_000)
    paths = {}
    for kind in ("md", "docx", "pdf"):
        with page.expect_download(timeout=30_000) as download:
            page.locator(f"#praxis-export-{kind}").click()
        paths[kind] = download.value.path()
        assert download.value.suggested_filename.endswith(f".{kind}")
    markdown = paths["md"].read_text(encoding="utf-8")
    # each reference names the practice and the section of its sentence
    assert f"## 1. {CLUJ}" in markdown and re.search(r"\[1\] Cluj IT Cluster, section “[^”]+”", markdown)
    paragraphs = [p.text for p in Document(str(paths["docx"])).paragraphs]
    assert f"1. {CLUJ}" in paragraphs and any(p.startswith("[1] Cluj IT Cluster") for p in paragraphs)
    text = " ".join((p.extract_text() or "") for p in pypdf.PdfReader(str(paths["pdf"])).pages)
    assert CLUJ in " ".join(text.split()) and "References" in text


def test_the_conversation_is_never_drawn_under_a_label(page: Page):
    for question in (CLUJ, CENTROPE, REFUSED):
        ask(page, question)
    page.evaluate("() => { const t = document.querySelector('#praxis-chat .turns'); t.scrollTop = 200; }")
    assert not covered(page, "#praxis-chat .turns")
    expect(page.locator("#praxis-chat [data-testid='block-label']")).to_have_count(0)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_german_interface_and_the_questions_language(open_page, viewport):
    page = open_page(viewport, "de-DE")
    expect(page.get_by_role("tab", name="Fragen")).to_be_visible(timeout=15_000)
    expect(page.locator("#praxis-ask")).to_have_text("Fragen")
    expect(page.locator("#praxis-question textarea")).to_have_attribute(
        "placeholder", "Fragen Sie zu den Praxisbeispielen…"
    )
    expect(page.locator("#praxis-examples")).to_contain_text("Probieren Sie ein Beispiel:")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    german = ask(page, "Wer hat das Fußball-WM-Finale 1966 gewonnen?")
    expect(german).to_contain_text(
        "Die Dokumente sagen dazu nichts: Wer hat das Fußball-WM-Finale 1966 gewonnen?"
    )
    english = ask(page, REFUSED)  # an English question keeps English fixed phrases
    expect(english).to_contain_text(f"The documents do not say: {REFUSED}")
    expect(english).to_contain_text("Diese Praxisbeispiele kommen am nächsten")  # the interface: German

    page.get_by_role("tab", name="Vergleichen").click()
    pick = "#praxis-compare-pick"
    for title in ("Cluj IT Cluster", "CENTROPE Innovation Voucher"):
        choose(page, pick, title)
    page.keyboard.press("Escape")
    page.locator("#praxis-compare").click()
    table = page.locator("#praxis-compare-table")
    expect(table.locator("th[scope='row']").first).to_have_text("Benötigte Ressourcen", timeout=15_000)
    expect(table).to_contain_text("Quellen")

    choose(page, "#praxis-lang", "Lietuvių")  # the switch
    expect(page.locator("#praxis-ask")).to_have_text("Klausti", timeout=15_000)
    expect(page.get_by_role("tab", name="Praktikos")).to_be_visible()
    expect(table.locator("th[scope='row']").first).to_have_text(
        "Benötigte Ressourcen"
    )  # until compared again
    page.get_by_role("tab", name="Klausti").click()
    expect(english).to_contain_text("Artimiausios praktikos")


def test_a_script_in_a_document_is_shown_not_run(page: Page):
    turn = ask(page, "How much does the Harbour Night Market cost a year?")
    source = turn.locator("button.source").first
    expect(source).to_contain_text("<script>")  # the title, as text
    source.click()
    viewer = page.locator("#praxis-viewer")
    expect(viewer.locator("mark.cited")).to_be_visible(timeout=15_000)
    expect(viewer).to_contain_text("<script>window.__praxis_pwned = 3</script>")
    expect(viewer).to_contain_text('<img src=x onerror="window.__praxis_pwned = 2">')
    assert viewer.locator("script, img").count() == 0
    page.wait_for_timeout(500)
    assert page.evaluate("window.__praxis_pwned") is None


def serious(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page once Gradio is idle (a component
    that is still updating is drawn faded, which axe would read as low contrast)."""
    page.wait_for_function(
        "() => !document.querySelector('.pending, .generating, .translucent')", timeout=15_000
    )
    page.wait_for_timeout(400)  # the fade back to full opacity
    result = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_problem_on_the_main_views(page: Page):
    assert serious(page) == []  # the empty page
    turn = ask(page, CLUJ)
    turn.locator("button.cite").first.click()
    expect(page.locator("#praxis-viewer mark.cited")).to_be_visible(timeout=15_000)
    ask(page, REFUSED)
    assert serious(page) == []  # answers, sources, a refusal, the reader
    page.get_by_role("tab", name="Practices").click()
    page.locator("#praxis-cards button.card-open").first.click()
    expect(page.locator("#praxis-practice-view h2")).to_be_visible(timeout=15_000)
    assert serious(page) == []  # the cards and a practice
    page.get_by_role("tab", name="Compare").click()
    for title in ("Cluj IT Cluster", "CENTROPE Innovation Voucher"):
        choose(page, "#praxis-compare-pick", title)
    page.keyboard.press("Escape")
    page.locator("#praxis-compare").click()
    expect(page.locator("#praxis-compare-table table")).to_be_visible(timeout=15_000)
    assert serious(page) == []  # a comparison


# -- the Transfer tab ---------------------------------------------------------------------------

REGION = {
    "country": "Austria",
    "region_type": "rural",
    "budget": "EUR 300000 per year",
    "challenge": "small firms in our villages want help to go digital and sell online",
}


def fill_region(page: Page, **changes: str) -> None:
    """The Transfer tab's form with REGION (and changes), then Rank the practices."""
    region = {**REGION, **changes}
    page.get_by_role("tab", name="Transfer").click()
    for field in ("country", "budget", "challenge", "population"):
        if region.get(field):
            page.locator(f"#praxis-transfer-{field} textarea").fill(region[field])
    choose(page, "#praxis-transfer-region-type", region["region_type"].capitalize())
    page.locator("#praxis-rank").click()


def download(page: Page, kind: str, practice_id: str):
    """The briefing file of a download button, once it is the chosen practice's."""
    for _ in range(20):
        with page.expect_download(timeout=30_000) as info:
            page.locator(f"#praxis-briefing-{kind}").click()
        if info.value.suggested_filename == f"transfer-briefing-{practice_id}.{kind}":
            return info.value.path()
        page.wait_for_timeout(500)  # the new briefing is still being written
    raise AssertionError(f"no {kind} briefing of {practice_id}")


def test_the_transfer_tab_ranks_a_region_with_quoted_reasons_and_downloads_briefings(page: Page, app_server):
    expected = httpx.post(
        f"{app_server.url}/v1/transfer", json={"profile": REGION, "k": 5}, timeout=30
    ).json()
    titles = [p["title"] for p in expected["practices"]]

    fill_region(page)
    cards = page.locator("#praxis-transfer-cards li.fit")
    expect(cards).to_have_count(5, timeout=30_000)
    assert cards.locator("button.card-open").all_inner_texts() == titles  # best first, as the API
    first = cards.first
    expect(first.locator(".score")).to_have_text(f"Score {expected['practices'][0]['score']:g}")
    expect(first.locator(".criterion h3").first).to_contain_text("Challenge and sector")
    cited = [r for r in expected["practices"][0]["reasons"] if r["citation"]]
    quotes = first.locator(".reason-quote q")
    assert [" ".join(q.split()) for q in quotes.all_inner_texts()] == [
        " ".join(r["citation"]["text"].split()) for r in cited
    ]
    expect(first.locator(".reason-source").first).to_contain_text(
        f"section “{cited[0]['citation']['section']}”"
    )
    assert not STORAGE_WORDS.search(page.locator("#praxis-transfer-cards").inner_text())

    first.locator(".reason-source button.cite").last.click()  # the sentence, in the reader
    reader = page.locator("#praxis-transfer-view")
    mark = reader.locator("mark.cited")
    expect(mark).to_have_text(cited[-1]["citation"]["text"], timeout=15_000)
    expect(mark).to_be_in_viewport()
    expect(reader.locator("h2")).to_have_text(titles[0])
    assert not STORAGE_WORDS.search(reader.inner_text())
    cards.nth(1).locator("button.card-open").click()  # a practice, with its key facts
    expect(reader.locator("h2")).to_have_text(titles[1], timeout=15_000)
    expect(reader).to_contain_text("Key facts")

    expect(page.locator("#praxis-briefing-row")).to_be_visible(timeout=30_000)
    expect(page.locator("#praxis-briefing-pick input")).to_have_value(titles[0])
    best = expected["practices"][0]["practice_id"]
    markdown = download(page, "md", best).read_text(encoding="utf-8")
    assert markdown.startswith(f"# Transfer briefing: {titles[0]}") and "EUR 300000 per year" in markdown
    paragraphs = [p.text for p in Document(str(download(page, "docx", best))).paragraphs]
    assert f"Transfer briefing: {titles[0]}" in paragraphs and "References" in paragraphs
    pdf = pypdf.PdfReader(str(download(page, "pdf", best)))
    text = " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())
    assert f"Transfer briefing: {titles[0]}" in text and "References" in text

    cards.nth(1).locator("button.brief").click()  # another practice's briefing
    expect(page.locator("#praxis-briefing-pick input")).to_have_value(titles[1], timeout=15_000)
    second = download(page, "md", expected["practices"][1]["practice_id"]).read_text(encoding="utf-8")
    assert second.startswith(f"# Transfer briefing: {titles[1]}")


def test_a_bad_region_value_is_a_message_in_the_transfer_tab(page: Page):
    fill_region(page, population="lots")
    alert = page.locator("#praxis-transfer-cards [role='alert']")
    expect(alert).to_contain_text(
        "Please check the form: population must be a number of inhabitants such as 250000, got 'lots'",
        timeout=30_000,
    )
    expect(page.locator("#praxis-transfer-cards li.fit")).to_have_count(0)
    expect(page.locator("#praxis-briefing-row")).to_be_hidden()
    assert "Traceback" not in page.locator("body").inner_text()
    page.locator("#praxis-transfer-population textarea").fill("250000")  # corrected: ranked
    page.locator("#praxis-rank").click()
    expect(page.locator("#praxis-transfer-cards li.fit")).to_have_count(5, timeout=30_000)


def test_the_transfer_tab_speaks_german(open_page):
    page = open_page(DESKTOP, "de-DE")
    page.get_by_role("tab", name="Transfer").click()
    expect(page.locator("#praxis-rank")).to_have_text("Praxisbeispiele ordnen", timeout=15_000)
    expect(page.locator("#praxis-transfer-population textarea")).to_have_attribute(
        "placeholder", "z. B. 250000"
    )
    page.locator("#praxis-transfer-challenge textarea").fill(REGION["challenge"])
    page.locator("#praxis-rank").click()
    cards = page.locator("#praxis-transfer-cards")
    expect(cards.locator("li.fit")).to_have_count(5, timeout=30_000)
    expect(cards.locator(".criterion h3").first).to_contain_text("Herausforderung und Branche")
    expect(cards.locator("button.cite").first).to_have_text("Im Dokument zeigen")


def test_axe_finds_no_serious_problem_on_the_transfer_tab(page: Page):
    page.get_by_role("tab", name="Transfer").click()
    expect(page.locator("#praxis-rank")).to_be_visible()
    assert serious(page) == []  # the empty form
    fill_region(page)
    expect(page.locator("#praxis-transfer-cards li.fit")).to_have_count(5, timeout=30_000)
    page.locator("#praxis-transfer-cards button.cite").first.click()
    expect(page.locator("#praxis-transfer-view mark.cited")).to_be_visible(timeout=15_000)
    expect(page.locator("#praxis-briefing-row")).to_be_visible(timeout=30_000)
    assert serious(page) == []  # cards, verdicts, quotes, the reader, the downloads
    fill_region(page, population="lots")
    expect(page.locator("#praxis-transfer-cards [role='alert']")).to_be_visible(timeout=30_000)
    assert serious(page) == []  # the message
