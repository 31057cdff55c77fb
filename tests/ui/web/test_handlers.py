"""The page's handlers over the real store (hashing embedder): a new question empties the reader,
markers and nearest practices open, the country filter lists exactly that country, New topic
drops the history, ratings are saved, the three exports are written, the language switches."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr
import pytest

from assistant.config import load_settings
from assistant.practices.listing import PracticeQuery, list_practices
from ui.services import Services
from ui.web.handlers import ALL, Handlers
from ui.web.session import Chat

CLUJ = "What does the Cluj IT cluster do?"
REFUSED = "Who won the 1966 football world cup final?"


@pytest.fixture
def handlers(hashing_corpus, tmp_path: Path) -> Handlers:
    _, store = hashing_corpus
    settings = load_settings(data_dir=tmp_path, embedding={"backend": "hashing"})
    return Handlers(Services(settings, store=store))


def ask(handlers: Handlers, question: str, chat: Chat, lang: str = "en", country: str = ALL) -> list[tuple]:
    return list(handlers.respond(question, chat, country, ALL, lang))


def click(handlers: Handlers, chat: Chat, lang: str = "en", **data) -> tuple:
    return handlers.act(chat, None, ALL, ALL, lang, gr.EventData(None, data))


def test_an_answer_empties_the_reader_and_its_markers_open_the_cited_passage(handlers: Handlers) -> None:
    steps = ask(handlers, CLUJ, Chat())
    first, last = steps[0], steps[-1]
    assert "Click a number such as [1]" in first[3]  # the previous source is gone at once
    _, page, chat, reader, view, focus = last
    assert "data-action='cite' data-turn='0' data-n='1'" in page and view is None
    assert "Cluj IT Cluster" in focus
    citation = chat.turns[0].answer["citations"][0]
    reader, view, *_ = click(handlers, chat, action="cite", turn=0, n=1)
    assert view == {"turn": 0, "n": 1}
    assert "<mark class='cited'>" in reader and "[1] is cited from the section" in reader
    assert "<h2>Cluj IT Cluster</h2>" in reader and citation["source"] not in reader


def test_a_refusal_names_practices_that_open(handlers: Handlers) -> None:
    *_, last = ask(handlers, REFUSED, Chat())
    _, page, chat, reader, _, focus = last
    turn = chat.turns[0]
    assert turn.refused and turn.nearest
    assert f"data-practice='{turn.nearest[0].id}'" in page and "Try other words" not in page
    assert "Click a number" in reader and focus == ""
    reader, view, *_ = click(handlers, chat, action="open", practice=turn.nearest[0].id)
    assert view == {"practice": turn.nearest[0].id}
    assert f"<h2>{turn.nearest[0].title}</h2>" in reader and "Key facts" in reader


def test_the_country_filter_lists_exactly_that_countrys_practices(handlers: Handlers) -> None:
    cards = handlers.cards("Lithuania", ALL, "")
    expected = {
        p.practice.id for p in list_practices(handlers.services.catalog, PracticeQuery(country="Lithuania"))
    }
    assert {c.id for c in cards} == expected and len(expected) >= 3
    assert all("Lithuania" in c.place for c in cards)
    assert [c.id for c in handlers.cards(ALL, ALL, "voucher")][:1] != []
    assert all("voucher" in (c.title + c.summary).lower() for c in handlers.cards(ALL, ALL, "voucher")[:3])
    assert handlers.cards("Lithuania", ALL, "zzzz-no-such-word") == []
    page, focus = handlers.on_filter("Lithuania", ALL, "", Chat(), "en")
    assert f"{len(expected)} practices" in page and "Answers are limited to: Lithuania" in focus


def test_new_topic_drops_the_history_the_assistant_reads(handlers: Handlers, monkeypatch) -> None:
    *_, last = ask(handlers, CLUJ, Chat())
    chat = last[2]
    heard: list[list] = []
    stream = handlers.services.assistant.stream

    def recording(question, *, history=None, **kwargs):
        heard.append(list(history or []))
        return stream(question, history=history, **kwargs)

    monkeypatch.setattr(handlers.services.assistant, "stream", recording)
    ask(handlers, "And what evidence of success does it have?", chat)
    assert [m["content"] for m in heard[-1]][:1] == [CLUJ]
    _, _, chat, page, focus, *_ = click(handlers, chat, action="new-topic")
    assert "topic-divider" not in page  # shown once the next question is asked
    assert "No practice in focus" in focus
    ask(handlers, "And what evidence of success does it have?", chat)
    assert heard[-1] == []


def test_a_rating_is_saved_with_the_answer_and_shown(handlers: Handlers) -> None:
    *_, last = ask(handlers, CLUJ, Chat())
    chat = last[2]
    _, _, chat, page, _, status, *_ = click(handlers, chat, action="rate", turn=0, value="down")
    row = json.loads((handlers.feedback.path).read_text().splitlines()[-1])
    assert row["rating"] == "down" and row["question"] == CLUJ and row["citations"]
    assert "not helpful" in status and "data-value='down' aria-pressed='true'" in page


def test_the_three_exports_are_written(handlers: Handlers) -> None:
    *_, last = ask(handlers, CLUJ, Chat())
    row, markdown, word, pdf = handlers.exports(last[2], "en")
    assert row["visible"] is True
    assert [Path(p).suffix for p in (markdown, word, pdf)] == [".md", ".docx", ".pdf"]
    assert f"## 1. {CLUJ}" in Path(markdown).read_text(encoding="utf-8")
    assert Path(word).stat().st_size > 5_000 and Path(pdf).read_bytes().startswith(b"%PDF")
    assert handlers.exports(Chat(), "en")[0]["visible"] is False


def test_the_language_switch_rerenders_what_the_server_shows(handlers: Handlers) -> None:
    *_, last = ask(handlers, REFUSED, Chat())
    chat = last[2]
    page, focus, examples, reader, cards, listed, countries, themes = handlers.on_language(
        "de", chat, None, None, "Lithuania", ALL, ""
    )
    assert "Die Dokumente sagen dazu nichts" not in page  # the question is English: its refusal too
    assert "Diese Praxisbeispiele kommen am nächsten" in page
    assert "Probieren Sie ein Beispiel" in examples and "Eine Zahl" in examples
    assert "Klicken Sie in einer Antwort" in reader
    assert "Antworten beschränkt auf: Lithuania" in focus
    assert countries["choices"][0] == ("Alle Länder", ALL) and countries["value"] == "Lithuania"
    assert "3 Praxisbeispiele" in cards and "Öffnen Sie ein Praxisbeispiel" in listed
    assert themes["choices"][0] == ("Alle Themen", ALL)
    assert chat.turns[0].lang == "en"
