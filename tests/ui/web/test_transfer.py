"""The Transfer tab's handlers over the real store (hashing embedder): the form ranks the practices
as the advisor does, every reason that rests on a sentence quotes it with its section and opens
it in the reader, a bad value is a message in the tab, the chosen practice's briefing is written
as Markdown, Word and PDF, and the language switch re-renders the cards."""

from __future__ import annotations

import html
import re
from pathlib import Path

import gradio as gr
import pypdf
import pytest
from docx import Document

from assistant.config import load_settings
from ui.services import Services
from ui.web.handlers import Handlers
from ui.web.transfer_handlers import K

FORM = {
    "country": "Austria",
    "region_type": "rural",
    "population": "120000",
    "budget": "EUR 300000 per year",
    "sector": "SME digitalisation",
    "assets": "a university, a chamber of commerce",
    "challenge": "small firms in our villages want help to go digital and sell online",
}
STORAGE_WORDS = re.compile(r"\.txt\b|metadata|chars \d|characters \d|Traceback")


@pytest.fixture
def handlers(hashing_corpus, tmp_path: Path) -> Handlers:
    _, store = hashing_corpus
    settings = load_settings(data_dir=tmp_path, embedding={"backend": "hashing"})
    return Handlers(Services(settings, store=store))


def quoted(sentence: str) -> str:
    return html.escape(" ".join(sentence.split()))


def rank(handlers: Handlers, lang: str = "en", **changes: str) -> tuple:
    form = {**FORM, **changes}
    return handlers.transfer.rank(*form.values(), lang)


def click(handlers: Handlers, state: dict, lang: str = "en", **data) -> tuple:
    return handlers.transfer.act(state, lang, gr.EventData(None, data))


def test_the_form_ranks_as_the_advisor_and_quotes_every_cited_reason(handlers: Handlers) -> None:
    cards, state, pick, reader, view = rank(handlers)
    expected = handlers.services.transfer.rank(FORM, k=K).to_dict()["practices"]
    titles = re.findall(r"data-action='open' data-practice='[^']+'>([^<]+)</button>", cards)
    assert titles == [p["title"] for p in expected] and len(titles) == K  # best first
    assert expected[0]["practice_id"] == "kmu-digital-austria"
    assert "Austria (national)" in cards and f"Score {expected[0]['score']:g}" in cards
    for criterion in ("Challenge and sector", "Budget", "Scale and preconditions", "Evidence strength"):
        assert f"<h3>{criterion} <span class='points'>" in cards
    cited = [r for p in expected for r in p["reasons"] if r["citation"]]
    assert cited and all(f">{quoted(r['citation']['text'])}</q>" in cards for r in cited)
    assert "[3] section “Resources needed”" in cards
    assert cards.count("v-not-stated") == sum(
        r["verdict"] == "not stated" for p in expected for r in p["reasons"]
    )
    assert not STORAGE_WORDS.search(cards)
    assert pick["choices"] == [(p["title"], p["practice_id"]) for p in expected]
    assert pick["value"] == "kmu-digital-austria"
    assert state["profile"]["population"] == "120000" and view is None
    assert "Open a practice or a quoted sentence" in reader


def test_a_quoted_sentence_and_a_practice_open_in_the_reader(handlers: Handlers) -> None:
    _, state, *_ = rank(handlers)
    budget = next(
        r for r in state["result"]["practices"][0]["reasons"] if r["criterion"] == "budget" and r["citation"]
    )
    n = budget["citation"]["n"]
    reader, view, pick = click(handlers, state, action="cite", n=n)
    assert view == {"n": n} and pick == gr.skip()
    assert f"<mark class='cited'>{html.escape(budget['citation']['text'])}</mark>" in reader
    assert f"[{n}] is cited from the section “Resources needed”" in reader
    assert not STORAGE_WORDS.search(reader)
    reader, view, _ = click(handlers, state, action="open", practice="cluj-it-cluster")
    assert view == {"practice": "cluj-it-cluster"} and "<h2>Cluj IT Cluster</h2>" in reader
    assert "Key facts" in reader and "<mark" not in reader
    _, _, pick = click(handlers, state, action="brief", practice="cluj-it-cluster")
    assert pick["value"] == "cluj-it-cluster"


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        (
            "population",
            "lots",
            "population must be a number of inhabitants such as 250000, got &#x27;lots&#x27;",
        ),
        ("budget", "a lot of money", "budget"),
        ("country", "12345", "country must be a country name"),
    ],
)
def test_a_bad_value_is_a_message_in_the_tab(handlers: Handlers, field: str, value: str, says: str) -> None:
    cards, state, pick, *_ = rank(handlers, **{field: value})
    assert cards.startswith("<p class='praxis-error' role='alert'>Please check the form: ")
    assert says in cards and not STORAGE_WORDS.search(cards)
    assert state is None and pick["choices"] == []
    row, *files, message = handlers.transfer.briefing_files(state, None)
    assert row["visible"] is False and files == [None, None, None] and message == ""
    german, *_ = rank(handlers, "de", population="lots")
    assert "Bitte prüfen Sie das Formular: population" in german


def test_the_briefing_is_written_as_markdown_word_and_pdf(handlers: Handlers) -> None:
    _, state, pick, *_ = rank(handlers)
    row, markdown, word, pdf, message = handlers.transfer.briefing_files(state, pick["value"])
    assert (
        row["visible"] is True
        and message == ""
        and [Path(p).suffix for p in (markdown, word, pdf)] == [".md", ".docx", ".pdf"]
    )
    title = "KMU.DIGITAL - SME Digitalisation Programme (Austria)"
    text = Path(markdown).read_text(encoding="utf-8")
    assert text.startswith(f"# Transfer briefing: {title}") and "EUR 300000 per year" in text
    assert "[1]" in text and "## References" in text
    paragraphs = [p.text for p in Document(word).paragraphs]
    assert f"Transfer briefing: {title}" in paragraphs and "References" in paragraphs
    pages = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages)
    assert "Transfer briefing" in pages and "KMU.DIGITAL" in pages
    again = handlers.transfer.briefing_files(state, pick["value"])
    assert again[1:] == (markdown, word, pdf, "")  # written once per profile and practice
    other = handlers.transfer.briefing_files(state, "cluj-it-cluster")
    assert "Cluj IT Cluster" in Path(other[1]).read_text(encoding="utf-8")
    gone = handlers.transfer.briefing_files(state, "no-such-practice")
    assert gone[1:4] == (None, None, None) and "role='alert'" in gone[4]


def test_the_language_switch_rerenders_the_cards_and_the_region_types(handlers: Handlers) -> None:
    _, state, *_ = rank(handlers)
    view = {"n": 1}
    cards, reader, region_types = handlers.transfer.on_language("de", state, view, "rural")
    assert "Herausforderung und Branche" in cards and "Im Dokument zeigen" in cards
    assert "passt" in cards and "Punktzahl" in cards
    assert "[1] ist zitiert aus dem Abschnitt" in reader
    assert ("Ländlich", "rural") in region_types["choices"] and region_types["value"] == "rural"
    empty, reader, _ = handlers.transfer.on_language("fr", None, None, "")
    assert "Classer les pratiques" in empty and "Ouvrez une pratique ou une phrase citée" in reader
