"""The catalog engine on a real Chroma store of invented practices: lists, counts, filters and
rankings answer with the complete set, every figure cited, "not stated" never counted."""

from __future__ import annotations

import re

import pytest

from assistant.answering.citations import markers_in
from assistant.pipeline import Assistant
from assistant.store.chroma import ChromaStore


def _titles_in(text: str) -> set[str]:
    return set(re.findall(r"\*\*([^*]+)\*\*", text))


def _check_citations(answer, store: ChromaStore) -> None:  # type: ignore[no-untyped-def]
    """Every marker points at a citation whose text is exactly the practice's sentence."""
    numbers = {c.n for c in answer.citations}
    assert set(markers_in(answer.text)) <= numbers
    for citation in answer.citations:
        practice = store.get_practice(citation.practice_id)
        assert practice is not None and practice.text[citation.start : citation.end] == citation.text


def _catalog_titles(store: ChromaStore, relevance, question: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The titles a catalog engine with this relevance signal answers the question with."""
    from assistant.engines.base import Asked
    from assistant.engines.catalog import CatalogEngine
    from assistant.engines.index import PracticeIndex
    from assistant.question import Question

    asked = Asked(Question.analysed(question, (), question, k=5, filters={}))
    return _titles_in(list(CatalogEngine(PracticeIndex(store), relevance).stream(asked))[-1].text)


def test_a_count_by_country_lists_exactly_the_practices_of_that_country(routed: Assistant, invented) -> None:
    answer = routed.ask("How many practices come from Austria?")
    assert answer.route == "catalog" and not answer.abstained
    assert answer.text.startswith("2 practices")
    assert _titles_in(answer.text) == {"Valley Craft Voucher", "Mountain Bus Alliance"}
    _check_citations(answer, invented[1])


def test_the_same_list_asked_in_german(routed: Assistant) -> None:
    answer = routed.ask("Welche Praktiken kommen aus Österreich?")
    assert answer.route == "catalog"
    assert _titles_in(answer.text) == {"Valley Craft Voucher", "Mountain Bus Alliance"}


def test_a_start_year_filter_lists_the_matches_with_cited_years_and_counts_the_rest(
    routed: Assistant, invented
) -> None:
    answer = routed.ask("Which practices started before 2010?")
    assert answer.route == "catalog"
    # the practices that meet it, and none that does not: the others are counted
    assert _titles_in(answer.text) == {"Greenfield Wind Cooperative", "Mountain Bus Alliance"}
    assert "2004 [" in answer.text and "2009 [" in answer.text
    assert "3 other practices state a figure outside the condition (start year)." in answer.text
    _check_citations(answer, invented[1])


def test_when_no_practice_meets_a_condition_the_nearest_figures_are_shown(routed: Assistant) -> None:
    answer = routed.ask("Which practices started before 1990?")
    assert answer.text.startswith("None of the 5 practices states a figure that meets the condition")
    assert "Outside the condition" in answer.text and "2004 [" in answer.text


def test_a_money_threshold_converts_other_currencies_and_says_the_rate_date(
    routed: Assistant, invented
) -> None:
    answer = routed.ask("Which practices spend less than EUR 1 million?")
    # EUR 600,000; the voucher of EUR 8,000 is per company; GBP 900,000 is more than EUR 1 million
    assert _titles_in(answer.text) == {"Valley Craft Voucher"}
    assert re.search(r"converted to EUR at the ECB euro reference rate of \d{4}-\d\d-\d\d", answer.text)
    _check_citations(answer, invented[1])


def test_practices_without_the_figure_are_not_stated_and_never_counted(routed: Assistant) -> None:
    answer = routed.ask("Which practices have more than 30 staff?")
    assert answer.text.startswith("None of the")
    assert "Riverside Start-up Hub" in answer.text  # 12 staff: outside
    not_stated = answer.text.split("Not stated", 1)[1]
    assert "Greenfield Wind Cooperative" in not_stated and "Valley Craft Voucher" in not_stated


def test_when_no_practice_matches_or_states_the_figure_the_documents_do_not_say(routed: Assistant) -> None:
    nowhere = routed.ask("Which practices come from Japan?")
    assert nowhere.route == "catalog" and nowhere.abstained
    assert nowhere.text.startswith("No practice in the collection matches")
    unstated = routed.ask("Which practice has the most astronauts?")
    assert unstated.route == "catalog" and unstated.abstained and "states a figure" in unstated.text
    # figures are stated, none meets the condition: that is an answer
    assert not routed.ask("Which practices have more than 30 staff?").abstained


def test_how_many_practices_counts_practices_and_asks_no_figure_of_them(routed: Assistant) -> None:
    answer = routed.ask("How many practices are about wind power?")
    assert answer.route == "catalog" and answer.text.startswith("1 practice")
    assert _titles_in(answer.text) == {"Greenfield Wind Cooperative"}
    assert "about wind power" in answer.text.splitlines()[0] and "state a figure" not in answer.text


def test_a_topical_question_reads_every_practice_and_keeps_only_the_ones_on_topic(routed: Assistant) -> None:
    answer = routed.ask("Which practices involve district heating?")
    assert answer.route == "catalog"
    assert _titles_in(answer.text) == {"Harbour Heat Network (Nordby)"}
    assert "district heating network" in answer.text and answer.citations


def test_a_ranking_names_the_first_and_shows_every_figure(routed: Assistant) -> None:
    answer = routed.ask("Which practice has the most members?")
    first_line = answer.text.splitlines()[0]
    assert "Greenfield Wind Cooperative" in first_line and "120 members" in first_line
    assert "40 members" in answer.text


def test_a_threshold_in_a_unit_reads_the_quantity_in_the_sentences(routed: Assistant) -> None:
    answer = routed.ask("Which practices have more than 1 MW of installed capacity?")
    matched = answer.text.partition("Outside the condition")[0]
    assert _titles_in(matched) == {"Greenfield Wind Cooperative"} and "3.2 MW" in matched


def test_long_lists_and_tables_show_the_first_rows_and_say_how_many_more(
    routed: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.engines import catalog_answers

    # at 10,000 practices a list of every match is megabytes; a chat answer shows SHOWN_ROWS
    monkeypatch.setattr(catalog_answers, "SHOWN_ROWS", 1)
    count = routed.ask("How many practices come from Austria?")
    assert count.text.startswith("2 practices") and len(_titles_in(count.text)) == 1
    assert "… and 1 more. Add a country, a theme or a figure to the question" in count.text
    assert len({c.practice_id for c in count.citations}) == 1

    monkeypatch.setattr(catalog_answers, "SHOWN_ROWS", 2)
    matched = routed.ask("Which practices started after 2000?").text.partition("Outside the condition")[0]
    assert matched.count("\n| **") == 2 and "… and " in matched
    ranking = routed.ask("Which practice started earliest?").text
    assert ranking.splitlines()[0].startswith("**Greenfield Wind Cooperative** has the earliest figure")
    assert ranking.count("\n| **") == 2 and "… and " in ranking


def test_a_national_capital_is_a_place(routed: Assistant) -> None:
    answer = routed.ask("Which practices were developed by a national capital?")
    assert _titles_in(answer.text) == {"Riverside Start-up Hub"}


class _Scripted:
    """A relevance signal that scores a text by the fragments it contains (else `default`)."""

    def __init__(self, script: dict[str, float], default: float) -> None:
        self.script = script
        self.default = default

    def score(self, query: str, texts) -> list[float]:  # type: ignore[no-untyped-def]
        return [next((v for k, v in self.script.items() if k in t), self.default) for t in texts]


def test_a_topic_said_in_other_words_is_kept_by_the_embedders_reading(invented) -> None:  # type: ignore[no-untyped-def]
    from assistant.engines.base import Asked
    from assistant.engines.catalog import CatalogEngine
    from assistant.engines.index import PracticeIndex
    from assistant.question import Question

    _, store = invented
    # the cross-encoder keeps only the practice that says the asked words; the embedder also
    # reads the hub's "young companies" as on topic, and nothing else
    cross = _Scripted({"craft firms": 8.0}, -9.0)
    meaning = _Scripted({"craft firms": 3.0, "young companies": 2.0}, -2.0)
    question = "Which practices help craft firms or new businesses?"

    def ask(engine: CatalogEngine) -> set[str]:
        drafts = list(engine.stream(Asked(Question.analysed(question, (), question, k=5, filters={}))))
        return _titles_in(drafts[-1].text)

    index = PracticeIndex(store)
    assert ask(CatalogEngine(index, cross)) == {"Valley Craft Voucher"}
    both = ask(CatalogEngine(index, cross, meaning=meaning))
    assert both == {"Valley Craft Voucher", "Riverside Start-up Hub"}
    # the embedder finds every topic somewhere: alone it decides the topic is there only when
    # clearly on it
    nowhere = _Scripted({}, -9.0)
    vague = _Scripted({"craft firms": 1.5, "young companies": 1.0}, -2.0)
    assert ask(CatalogEngine(index, nowhere, meaning=vague)) == set()
    assert ask(CatalogEngine(index, nowhere, meaning=meaning)) == both


def test_a_topic_the_framed_question_finds_nowhere_is_read_from_what_it_says_of_the_practices(
    invented,  # type: ignore[no-untyped-def]
) -> None:

    class Framed:  # as the cross-encoder: "Which practices ..." finds no sentence about practices
        def __init__(self) -> None:
            self.queries: list[str] = []

        def score(self, query: str, texts) -> list[float]:  # type: ignore[no-untyped-def]
            self.queries.append(query)
            if query.startswith("Which"):
                return [-9.0] * len(texts)
            return [2.0 if "upland parish" in t else -10.0 for t in texts]

    _, store = invented
    relevance = Framed()
    question = "Which practices are run by farmers of an upland parish?"
    assert _catalog_titles(store, relevance, question) == {"Greenfield Wind Cooperative"}
    assert "are run by farmers of an upland parish" in relevance.queries


def test_the_topic_is_judged_without_the_place_that_already_chose_the_practices(
    invented,  # type: ignore[no-untyped-def]
) -> None:

    class PlaceStruck:  # as the cross-encoder: any sentence seems near a question naming its place
        def __init__(self) -> None:
            self.queries: list[str] = []

        def score(self, query: str, texts) -> list[float]:  # type: ignore[no-untyped-def]
            self.queries.append(query)
            return [6.0 if "shared bus" in t else (0.0 if "Austria" in query else -9.0) for t in texts]

    _, store = invented
    relevance = PlaceStruck()
    question = "Which practices from Austria deal with shared buses?"
    assert _catalog_titles(store, relevance, question) == {"Mountain Bus Alliance"}
    assert relevance.queries and all("Austria" not in q for q in relevance.queries)


def test_practices_that_say_the_topic_are_kept_where_the_relevance_signal_finds_none_on_it(
    invented,  # type: ignore[no-untyped-def]
) -> None:

    _, store = invented

    def ask(question: str, relevance) -> set[str]:  # type: ignore[no-untyped-def]
        return _catalog_titles(store, relevance, question)

    # the cross-encoder finds no sentence on "involve farmers"; one practice says "farmers"
    blind = _Scripted({}, -9.0)
    assert ask("Which practices involve farmers?", blind) == {"Greenfield Wind Cooperative"}
    # a topic of several words is said as one phrase, not word by word
    assert ask("Which practices involve district heating?", blind) == {"Harbour Heat Network (Nordby)"}
    assert ask("Which practices involve heating farmers?", blind) == set()
    # asked which practices involve something, every practice that says it is kept, however far
    # below the best one the relevance signal puts it
    keen = _Scripted({"district heating network": 9.0}, -9.0)
    assert "Harbour Heat Network (Nordby)" in ask("Which practices involve district heating?", keen)
    services = _Scripted({"design and digital services": 9.0}, -9.0)
    assert ask("Which practices involve services?", services) == {
        "Valley Craft Voucher",
        "Mountain Bus Alliance",
    }
    # asked what practices are about, the relevance signal alone decides
    assert ask("Which practices are about services?", services) == {"Valley Craft Voucher"}


def test_older_people_are_a_group_not_a_comparison_of_ages() -> None:
    from assistant.engines import forms

    assert not forms.comparative("Which practices help older people?")
    assert not forms.asks_age("Which practices help older people?")
    assert forms.comparative("Which is older, the wind cooperative or the heat network?")


def test_the_warm_up_leaves_what_it_loaded_out_of_full_garbage_collections(routed: Assistant) -> None:
    import gc
    import weakref

    class Held:
        pass

    held = Held()
    try:
        routed.warm_up()
        # a full collection no longer visits the practice index (0.75 s at 10,000 practices)
        assert gc.get_freeze_count() > 0
        gone = weakref.ref(held)
        del held
        assert gone() is None  # what is dropped later is still freed
    finally:
        gc.unfreeze()


def test_a_list_of_one_practice_says_its_verb_in_the_singular() -> None:
    from assistant.engines.catalog_answers import singular

    assert singular("are on an island") == "is on an island"
    assert singular("involve district heating") == "involves district heating"
    assert singular("reach young people") == "reaches young people"
    assert singular("apply for EU funds") == "applies for EU funds"
    assert singular("from Austria") == "from Austria" and singular("got started") == "got started"


def test_a_theme_is_named_by_a_word_the_question_makes_its_topic(invented) -> None:  # type: ignore[no-untyped-def]
    from assistant.engines.index import PracticeIndex
    from assistant.engines.scope import theme_matches
    from assistant.vocabulary import content_terms

    snapshot = PracticeIndex(invented[1]).snapshot()

    def themed(question: str) -> set[str]:
        return {e.id for e in theme_matches(set(content_terms(question)), snapshot, question)[0]}

    energy = {"greenfield-wind-cooperative", "harbour-heat-network-nordby"}
    # "energy" of "energy communities": about it, before a kind of practice, before "field"
    assert themed("Which practices are about energy?") == energy
    assert themed("List the energy projects.") == energy
    assert themed("Which practices are in the mobility field?") == {"mountain-bus-alliance"}
    # the theme's words in a row name it, whatever follows them
    assert themed("Which energy community produces the most electricity?") == energy
    # a verb is no topic: "since they started" names no "start-ups"
    assert themed("Which programmes have helped more than 300 firms since they started?") == set()


def test_the_head_of_a_theme_is_the_noun_before_of() -> None:
    from assistant.engines.scope import _head

    assert _head("digital inclusion of older people") == _head("digital inclusion")
    assert _head("energy communities") != _head("energy")


def test_the_words_that_chose_the_theme_do_not_also_choose_the_figure(routed: Assistant) -> None:
    answer = routed.ask("Which energy community produces the most electricity?")
    assert answer.route == "catalog" and not answer.abstained
    assert answer.text.startswith("**Greenfield Wind Cooperative** has the highest figure: 8 GWh"), (
        answer.text
    )


def test_figures_in_sentences_that_read_less_clearly_as_the_measure_are_shown_apart_not_ranked(
    invented,  # type: ignore[no-untyped-def]
) -> None:
    from assistant.engines.base import Asked
    from assistant.engines.catalog import CatalogEngine
    from assistant.engines.index import PracticeIndex
    from assistant.question import Question

    _, store = invented
    # the turbines' cost reads much less as a budget than the others' sentences
    cross = _Scripted({"turbines cost": 1.0}, 8.0)
    question = "Which practice has the largest budget?"
    asked = Asked(Question.analysed(question, (), question, k=5, filters={}))
    text = list(CatalogEngine(PracticeIndex(store), cross).stream(asked))[-1].text
    ranking, _, apart = text.partition("Not ranked: 1 practice states a figure")
    assert apart, text
    assert "Greenfield Wind Cooperative" in apart and "Greenfield" not in ranking
    # the ranking itself is in the order of its values (EUR 4.5 million is not among them)
    order = [t for t in re.findall(r"^\| \*\*(.+?)\*\*", ranking, re.M)]
    assert order[0] == "Harbour Heat Network (Nordby)" and order[-1] == "Valley Craft Voucher", order


def test_the_collection_as_a_whole_is_counted_by_country(routed: Assistant) -> None:
    for question in (
        "How many practices are in the collection?",
        "Which countries do the practices come from?",
        "Aus welchen Ländern kommen die Praktiken?",
    ):
        answer = routed.ask(question)
        assert answer.route == "catalog" and not answer.abstained, (question, answer.text)
        lines = answer.text.splitlines()
        assert lines[0] == "The collection holds 5 practices from 4 countries:", (question, answer.text)
        # the country with most practices first, each with its practices' titles
        assert lines[2].startswith("- **Austria** (2): ")
        assert "Valley Craft Voucher" in lines[2] and "Mountain Bus Alliance" in lines[2]


def test_the_countries_of_the_practices_on_a_topic(routed: Assistant, invented) -> None:
    answer = routed.ask("Which countries have practices on district heating?")
    assert answer.route == "catalog" and not answer.abstained
    assert answer.text.splitlines()[0] == "1 practice on district heating from 1 country:", answer.text
    assert answer.text.splitlines()[2].startswith("- **Denmark** (1): Harbour Heat Network (Nordby)")
    _check_citations(answer, invented[1])


def test_people_a_practice_reached_are_not_its_staff(routed: Assistant) -> None:
    from assistant.engines.measures import BENEFICIARIES, STAFF, measure_of

    assert measure_of("Which practices reached more than 1,000 people?").dimension == BENEFICIARIES  # type: ignore[union-attr]
    assert measure_of("Which practices employ more than 10 people?").dimension == STAFF  # type: ignore[union-attr]
    answer = routed.ask("Which practices reached more than 100,000 people?")
    assert answer.route == "catalog" and not answer.abstained
    assert _titles_in(answer.text.split("\n\n")[1]) == {"Mountain Bus Alliance"}  # 400,000 passengers


def test_what_a_count_measures_chooses_no_theme(invented) -> None:  # type: ignore[no-untyped-def]
    from assistant.engines.index import PracticeIndex
    from assistant.engines.scope import select

    _, store = invented
    snapshot = PracticeIndex(store).snapshot()
    # "communities" is what is counted, not the theme "energy communities"
    question = "Which practices serve more than 100 communities?"
    assert len(select(question, snapshot).entries) < len(snapshot.entries)
    assert len(select(question, snapshot, counted=frozenset({"communit"})).entries) == len(snapshot.entries)
