"""The HTML the server renders: clickable markers and sources inside each answer, refusals with
their nearest practices, the focus bar, the practice reader and the cards; escaped; no storage
words; in the reader's language."""

from __future__ import annotations

import re

from assistant.types import Practice, Section
from tests.ui.web.conftest import CITED, answered, refused
from ui.web.chat_view import conversation_html, focus_html
from ui.web.reader_view import Card, cards_html, practice_html, summary
from ui.web.session import Chat, Turn

STORAGE_WORDS = re.compile(r"\.txt|metadata|chars \d|characters \d|laugea\.txt")


def test_each_marker_opens_its_source_and_the_sources_sit_under_their_answer(chat: Chat) -> None:
    page = conversation_html(chat, "en")
    turn0 = page[page.index("id='praxis-turn-0'") : page.index("id='praxis-turn-1'")]
    assert "class='cite' data-action='cite' data-turn='0' data-n='1'" in turn0
    assert "class='source' data-action='cite' data-turn='0' data-n='1'" in turn0
    assert "[1] Lithuanian Automotive Export Association (LAuGEA) · Evidence of success" in turn0
    assert "<q class='quote' lang='en'" in turn0 and CITED in turn0
    assert not STORAGE_WORDS.search(page)


def test_a_refusal_naming_practices_offers_them_without_the_try_other_words_hint(chat: Chat) -> None:
    page = conversation_html(chat, "en")
    turn1 = page[page.index("id='praxis-turn-1'") :]
    assert "The documents do not say: Which is older: LAuGEA or InoLink?" in turn1
    assert "data-action='open' data-practice='laugea'" in turn1
    assert "Try other words" not in turn1
    bare = conversation_html(Chat([refused(nearest=False)]), "en")
    assert "Try other words" in bare and "data-action='open'" not in bare


def test_the_refusal_is_worded_in_the_questions_language_and_the_interface_in_the_readers() -> None:
    page = conversation_html(Chat([refused("Was ist älter: LAuGEA oder InoLink?", lang="de")]), "fr")
    assert "Die Dokumente sagen dazu nichts: Was ist älter: LAuGEA oder InoLink?" in page
    assert "Ces pratiques sont les plus proches" in page  # the interface: French
    german = conversation_html(Chat([answered("Wie viele Mitglieder hat LAuGEA?", lang="de")]), "de")
    assert "Wörtlich aus den Dokumenten zitiert:" in german and CITED in german
    assert ">Quellen<" in german and "Erfolgsnachweise" in german


def test_question_and_answer_text_is_escaped() -> None:
    turn = answered("<img src=x onerror=alert(1)>?")
    turn.answer["answer"] = "<script>alert(2)</script> [1]"
    page = conversation_html(Chat([turn]), "en")
    assert "<img" not in page and "<script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;script&gt;" in page


def test_the_focus_bar_names_the_latest_answers_practices_until_a_new_topic(chat: Chat) -> None:
    focused = Chat([answered()])
    bar = focus_html(focused, {}, "en")
    assert "This conversation is about:" in bar and "data-practice='laugea'" in bar
    assert "data-action='new-topic'" in bar
    assert "data-practice" not in focus_html(focused.new_topic(), {}, "en")
    assert "No practice in focus" in focus_html(focused.new_topic(), {}, "en")
    assert focus_html(chat, {}, "en") == ""  # the latest answer is a refusal: nothing in focus
    filtered = focus_html(Chat(), {"country": "Lithuania"}, "en")
    assert "Answers are limited to: Lithuania" in filtered and "data-action='clear-filters'" in filtered


def test_a_new_topic_shows_where_it_starts() -> None:
    chat = Chat([answered()]).new_topic().added(answered("And InoLink?"))
    page = conversation_html(chat, "en")
    assert page.index("id='praxis-turn-0'") < page.index("topic-divider") < page.index("id='praxis-turn-1'")


def _practice() -> Practice:
    text = "Intro\nHello <b>world</b>. It started in 2014.\nResources needed\nIt costs EUR 5 & more."
    about = Section("About this good practice", text[6:45], 6, 45)
    costs = Section("Resources needed", text[63:], 63, len(text))
    meta = {"country": "Malta", "region": "Gozo", "theme": "tourism"}
    return Practice("p", "P <i>title</i>", text, [about, costs], "p.txt", meta)


def test_the_reader_marks_the_cited_span_under_a_fixed_header() -> None:
    practice = _practice()
    start = practice.text.index("EUR 5")
    citation = {"n": 2, "section": "Resources needed", "start": start, "end": start + len("EUR 5 & more")}
    page = practice_html(practice, "en", citation=citation, turn=0)
    assert "<mark class='cited'>EUR 5 &amp; more</mark>" in page and page.count("<mark") == 1
    header, body = page.split("<div class='practice-body'", 1)
    assert "[2] is cited from the section “Resources needed”:" in header  # outside the scrolling text
    assert "data-action='back' data-turn='0'" in header
    assert "Gozo, Malta · tourism" in header and "p.txt" not in page
    assert "&lt;b&gt;world&lt;/b&gt;" in body and "<b>" not in page
    assert "Benötigte Ressourcen" in practice_html(practice, "de", citation=citation)


def test_cards_show_title_place_theme_and_a_one_line_summary() -> None:
    card = Card.of(_practice())
    assert (card.place, card.theme) == ("Gozo, Malta", "tourism")
    assert card.summary == "Hello <b>world</b>."
    assert (
        card.matches("gozo") == 2 and card.matches("EUR", _practice().text) == 1 and card.matches("bus") == 0
    )
    page = cards_html([card], "pl")
    assert "1 praktyka" in page and "data-action='open' data-practice='p'" in page
    assert "Hello &lt;b&gt;world&lt;/b&gt;." in page
    assert "Żadna praktyka nie pasuje" in cards_html([], "pl")


def test_a_long_first_sentence_is_cut_at_a_word() -> None:
    text = "About\n" + "word " * 80 + "end."
    practice = Practice("q", "Q", text, [Section("About", text[6:], 6, len(text))], "q.txt", {})
    line = summary(practice)
    assert len(line) <= 180 and line.endswith("…") and "wor…" not in line


def test_turn_of_detects_the_question_language() -> None:
    from assistant.types import Answer

    turn = Turn.of("Ile firm członkowskich liczy klaster?", Answer("x", [], [], True), {}, "en")
    assert turn.lang == "pl" and turn.refused
