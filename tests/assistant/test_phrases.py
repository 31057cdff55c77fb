"""The fixed phrases of answers in seven languages, and the language a question is written in."""

from __future__ import annotations

import pytest

from assistant.phrases import (
    LANGUAGES,
    PHRASES,
    detect_language,
    fact_label,
    language_of,
    phrase,
    section_name,
)
from assistant.practices.facts.model import KIND_LABELS
from assistant.types import SECTION_NAMES


def test_every_phrase_is_written_in_every_language() -> None:
    assert LANGUAGES == ("en", "lt", "de", "fr", "es", "pl", "it")
    for key, translations in PHRASES.items():
        assert set(translations) == set(LANGUAGES), key
        assert all(text.strip() for text in translations.values()), key


def test_phrases_fill_their_fields_in_the_asked_language() -> None:
    question = "Wie viele Mitglieder hat LAuGEA?"
    assert phrase("documents_do_not_say", "de", question=question) == (
        "Die Dokumente sagen dazu nichts: Wie viele Mitglieder hat LAuGEA?"
    )
    assert phrase("not_stated", "pl") == "nie podano"
    assert phrase("not_stated", "de-AT") == "nicht angegeben"  # a regional tag
    assert phrase("not_stated", "pt") == "not stated"  # a language Praxis does not speak: English


def test_every_template_section_and_fact_kind_has_a_translated_name() -> None:
    for name in SECTION_NAMES:
        assert section_name(name, "en") == name
        assert section_name(name, "fr") != name
    assert section_name("Costs and staff", "de") == "Costs and staff"  # not a template heading: as written
    for kind in KIND_LABELS:
        assert fact_label(kind, "lt") != kind
    assert fact_label("budget", "es") == "Presupuesto / coste"


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("How many members does LAuGEA have?", "en"),
        ("Kiek narių turi Lietuvos automobilių eksporto asociacija LAuGEA?", "lt"),
        ("Wie hoch ist der maximale Zuschuss beim Digitalbonus Plus in Bayern?", "de"),
        ("Combien de foyers le parc éolien communautaire peut-il alimenter ?", "fr"),
        ("¿Cuántos proyectos financió Be Circular en sus dos primeras convocatorias?", "es"),
        ("Ile firm członkowskich liczy klaster Dolina Lotnicza?", "pl"),
        ("Quanti membri ha il cluster e quando è stato fondato?", "it"),
        ("Was kostet das Projekt?", "de"),
        ("Czy projekt jest drogi?", "pl"),
    ],
)
def test_the_language_of_a_question(question: str, lang: str) -> None:
    assert detect_language(question) == lang


def test_a_text_without_signal_keeps_the_default() -> None:
    assert detect_language("LAuGEA 2014") == "en"
    assert detect_language("LAuGEA 2014", default="it") == "it"
    assert detect_language("", default="de") == "de"
    assert language_of("xx") == "en"
