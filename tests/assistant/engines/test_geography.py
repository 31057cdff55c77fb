"""Which countries a question names: European ones by the stems of their names in the supported
languages, the others by their whole English names."""

from __future__ import annotations

from assistant.engines.geography import places


def test_european_countries_by_their_names_and_endings_in_the_supported_languages() -> None:
    assert places("Welche Praktiken kommen aus Schwedens Regionen?").countries == ("SE",)
    assert places("Kiek praktikų yra iš Latvijos?").countries == ("LV",)
    assert places("Which Maltese practices are there?").countries == ("MT",)


def test_a_country_outside_europe_is_not_read_as_the_european_one_it_begins_like() -> None:
    assert places("How many practices come from Australia?").countries == ("AU",)
    assert places("List the Australian practices.").countries == ("AU",)
    assert places("Which practices come from Turkmenistan?").countries == ("TM",)


def test_english_words_that_begin_like_a_country_name_are_no_country() -> None:
    assert not places("Which practices are on an island?").countries  # "Island": Iceland in German
    assert not places("Which practices support franchise networks?").countries  # not France
