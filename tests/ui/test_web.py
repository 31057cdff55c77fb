"""The Gradio UI: rendering functions, and the mounted app driven with gradio_client."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from gradio_client import Client

from assistant.types import Practice, Section
from ui.web import NOT_IN_DOCUMENTS, chat_text, conversation_markdown, practice_html

CLUJ = "What does the Cluj IT cluster do?"
FOLLOW_UP = "And what evidence of success does it have?"
LAUGEA_ID = "laugea-lithuanian-automotive-export-association"


def _practice() -> Practice:
    text = "Intro\nHello <script>alert(1)</script> world.\nCosts\nIt costs EUR 5 & more."
    intro = Section("Intro", text[6:42], 6, 42)
    costs = Section("Costs", text[49:], 49, len(text))
    return Practice("p", "P <b>title</b>", text, [intro, costs], "p.txt", {"country": "Malta"})


def test_practice_html_escapes_text_and_marks_the_cited_span():
    practice = _practice()
    start = practice.text.index("EUR 5")
    citation = {"n": 2, "section": "Costs", "start": start, "end": start + len("EUR 5 & more")}
    rendered = practice_html(practice, citation)
    assert "<script>" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<mark class='cited'>EUR 5 &amp; more</mark>" in rendered
    assert "[2] is cited from the section “Costs”" in rendered
    assert rendered.count("<mark") == 1
    assert "<mark" not in practice_html(practice)


def test_chat_text_shows_markup_as_text():
    assert chat_text("<img src=x onerror=alert(1)> a & b") == "&lt;img src=x onerror=alert(1)&gt; a &amp; b"


def test_conversation_markdown_lists_questions_answers_and_sources():
    conversation = [
        {
            "question": "Q one?",
            "answer": {
                "answer": "A one [1].",
                "abstained": False,
                "citations": [
                    {
                        "n": 1,
                        "title": "T",
                        "section": "Costs",
                        "source": "t.txt",
                        "start": 3,
                        "end": 9,
                        "text": "cited\ntext",
                    }
                ],
            },
        },
        {
            "question": "Q two?",
            "answer": {"answer": "The documents do not say.", "abstained": True, "citations": []},
        },
    ]
    markdown = conversation_markdown(conversation)
    assert "## 1. Q one?" in markdown and "## 2. Q two?" in markdown
    assert '- [1] T, Costs (t.txt, characters 3-9): "cited text"' in markdown
    assert "_Not in the documents._" in markdown


@pytest.fixture
def ui(live):
    client = Client(f"{live.url}/", verbose=False)
    yield client
    client.close()


def message_text(message: dict) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return content


def test_chat_answers_with_citation_chips_and_opens_the_cited_passage(ui, http):
    _, chat, chips, notice = ui.predict(CLUJ, "", "", api_name="/ask")
    expected = http.post("/v1/ask", json={"question": CLUJ}).json()
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert message_text(chat[1]) == html.escape(expected["answer"])
    assert [c["n"] for c in chips] == [c["n"] for c in expected["citations"]]
    assert chips[0]["title"] == "Cluj IT Cluster"
    assert notice["visible"] is False
    view = ui.predict(1, api_name="/show_citation")
    first = expected["citations"][0]
    assert f"<mark class='cited'>{html.escape(first['text'])}</mark>" in view
    assert f"cited from the section “{first['section']}”" in view


def test_conversation_memory_feedback_and_export(ui, live):
    ui.predict(CLUJ, "", "", api_name="/ask")
    _, chat, chips, _ = ui.predict(FOLLOW_UP, "", "", api_name="/ask")
    assert [message_text(m) for m in chat[::2]] == [CLUJ, FOLLOW_UP]
    assert chips and {c["title"] for c in chips} == {"Cluj IT Cluster"}  # "it" = the cluster

    assert "saved" in ui.predict(api_name="/rate_down")
    rows = [json.loads(line) for line in (live.data_dir / "feedback.jsonl").read_text().splitlines()]
    row = rows[-1]
    assert row["rating"] == "down" and row["question"] == FOLLOW_UP
    assert row["citations"] and row["citations"][0]["practice_id"] == "cluj-it-cluster"
    assert row["answer"] == html.unescape(message_text(chat[-1]))

    exported = ui.predict(api_name="/export")
    markdown = Path(exported["value"]).read_text(encoding="utf-8")
    assert f"## 1. {CLUJ}" in markdown and f"## 2. {FOLLOW_UP}" in markdown
    assert "- [1] Cluj IT Cluster" in markdown


def test_abstention_shows_the_not_in_documents_notice(ui):
    _, chat, chips, notice = ui.predict("Who won the 1966 football world cup final?", "", "", api_name="/ask")
    assert chips == []
    assert notice["visible"] is True and notice["value"] == NOT_IN_DOCUMENTS
    assert "do not say" in message_text(chat[-1])


def test_filters_and_practice_browser(ui):
    question = "What is the Baltic Automotive Components Cluster?"
    _, _, chips, _ = ui.predict(question, "Lithuania", "", api_name="/ask")
    assert chips
    view = ui.predict(chips[0]["n"], api_name="/show_citation")
    assert "Lithuania ·" in view
    page = ui.predict("buurtzorg-neighbourhood-care", api_name="/show_practice")
    assert "<h3>Buurtzorg Neighbourhood Care Model</h3>" in page and "Resources needed" in page


def test_the_practice_browser_filters_by_the_listing_rules(hashing_corpus, tmp_path):
    from assistant.config import load_settings
    from ui.services import Services
    from ui.web import Handlers

    _, store = hashing_corpus
    settings = load_settings(data_dir=tmp_path, embedding={"backend": "hashing"})
    handlers = Handlers(Services(settings, store=store))
    lithuanian = handlers.practice_choices("Lithuania", "")
    assert ("Lithuanian Automotive Export Association (LAuGEA)", LAUGEA_ID) in lithuanian
    assert handlers.practice_choices("lithuanian", None) == lithuanian  # a demonym, any case
    assert len(handlers.practice_choices()) == 42
    countries, themes = handlers.filter_choices()
    assert countries[0] == ("All countries", "") and ("Lithuania", "Lithuania") in countries
    assert len(themes) > 2
