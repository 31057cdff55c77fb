"""Reading figures from sentences: money written the short way, item prices that are not budgets,
start years of operations that are not start years, counts from "N things of X each"."""

from __future__ import annotations

from assistant.engines.figures import reading
from assistant.engines.index import _entry
from assistant.engines.measures import (
    BENEFICIARIES,
    COUNT,
    DURATION,
    MEMBERS,
    MONEY,
    YEAR,
    Measure,
    measure_of,
    parse_number,
)
from assistant.practices.facts.rules import extract_facts
from assistant.types import Practice, Section


def _practice(about: str, resources: str = "No resources are described.") -> Practice:
    text = f"Test Practice\nAbout this good practice\n{about}\nResources needed\n{resources}\n"
    a = text.index(about)
    r = text.index(resources)
    sections = [
        Section("About this good practice", about, a, a + len(about)),
        Section("Resources needed", resources, r, r + len(resources)),
    ]
    return Practice("test", "Test Practice", text, sections, "test.txt", {"country": "Ireland"})


def _entry_of(about: str, resources: str = "No resources are described."):  # type: ignore[no-untyped-def]
    practice = _practice(about, resources)
    return _entry(practice, extract_facts(practice))


def test_numbers_are_read_with_decimal_commas_groups_and_words() -> None:
    assert parse_number("1,5") == 1.5 and parse_number("26,000") == 26000
    assert parse_number("100 000") == 100000 and parse_number("ten") == 10


def test_short_money_forms_are_read_in_full() -> None:
    entry = _entry_of("The scheme started in 2010.", "The scheme costs €1.2m a year.")
    found = reading(entry, Measure(MONEY))
    assert found.best is not None and found.best.value == 1_200_000 and found.best.currency == "EUR"


def test_the_price_of_one_vehicle_is_not_the_budget() -> None:
    entry = _entry_of(
        "The shuttle service started in 2008.",
        "The service costs EUR 300,000 a year. The sixth vehicle, glazed for winter use, cost EUR 55,000.",
    )
    found = reading(entry, Measure(MONEY))
    assert found.best is not None and found.best.value == 300_000


def test_the_year_operations_began_gives_way_to_the_year_the_initiative_began() -> None:
    entry = _entry_of(
        "In 1999 local people commissioned a feasibility study for a wind farm. "
        "The wind farm finally started producing electricity in November 2012."
    )
    found = reading(entry, Measure(YEAR))
    assert found.best is not None and found.best.value == 1999


def test_a_threshold_in_another_currency_keeps_its_currency() -> None:
    measure = measure_of("Which schemes cost under £200k?")
    assert measure is not None and measure.condition is not None
    assert (measure.condition.value, measure.condition.currency, measure.condition.op) == (
        200_000,
        "GBP",
        "<",
    )


def test_a_year_threshold_before_the_last_two_centuries_is_still_a_year() -> None:
    measure = measure_of("Which practices started before 1850?")
    assert measure is not None and measure.condition is not None
    assert (measure.dimension, measure.condition.value, measure.condition.op) == (YEAR, 1850, "<")


def test_an_amount_or_a_rate_per_company_counts_no_companies() -> None:
    from assistant.engines.figures import counts_in
    from assistant.vocabulary import stems

    entry = _entry_of(
        "Expenses of up to EUR 3,000 per company are covered, and 2 advisers per company. "
        "More than 200 companies have taken part."
    )
    sentences = entry.sentences()
    noun = frozenset(stems("companies"))
    found = [f.display for s in sentences for f in counts_in(entry, s, noun)]
    assert found == ["200 companies"]


def test_a_price_per_unit_is_not_what_the_practice_costs() -> None:
    entry = _entry_of("The card started in 2012.", "Guests buy a mobility card for EUR 10 per stay.")
    assert reading(entry, Measure(MONEY)).best is None  # not stated: the card's price is no budget
    per_stay = reading(entry, Measure(MONEY, per_unit=True))
    assert per_stay.best is not None and per_stay.best.value == 10


def test_a_sentence_that_opens_with_the_full_date_of_what_it_says_dates_the_start() -> None:
    entry = _entry_of("On 1 January 2013 Ferndale became the first town to offer free buses.")
    found = reading(entry, Measure(YEAR))
    assert found.best is not None and found.best.value == 2013
    # a date inside a sentence about something else starts nothing
    assert (
        reading(_entry_of("Ticket sales fell on 1 January 2013 after a strike."), Measure(YEAR)).best is None
    )


def test_asked_what_it_costs_the_turnover_of_its_members_is_no_budget() -> None:
    entry = _entry_of(
        "The cluster represents firms with an annual turnover of around EUR 900 million.",
        "The cluster office has a budget of EUR 400,000 a year.",
    )
    found = reading(entry, measure_of("Which cluster has the biggest budget?"))  # type: ignore[arg-type]
    assert found.best is not None and found.best.value == 400_000
    only_turnover = _entry_of(
        "The cluster represents firms with an annual turnover of around EUR 900 million."
    )
    assert reading(only_turnover, measure_of("Which cluster has the biggest budget?")).best is None  # type: ignore[arg-type]
    # asked for money in general, an amount of another kind may answer
    money = reading(only_turnover, Measure(MONEY))
    assert money.best is not None and money.best.value == 900_000_000


def test_a_count_of_something_else_is_not_its_members() -> None:
    asked = measure_of("Which practices have more than 50 members?")
    assert asked is not None and asked.dimension == MEMBERS
    entry = _entry_of("About 340,000 SMEs are eligible for the programme.")
    assert reading(entry, asked).best is None
    members = _entry_of("The cluster has 120 members. About 340,000 SMEs are eligible.")
    found = reading(members, asked)
    assert found.best is not None and found.best.value == 120


def test_how_long_a_practice_runs_is_a_duration_in_months() -> None:
    longer = measure_of("Which practices run for more than three years?")
    assert longer is not None and longer.dimension == DURATION
    assert longer.condition is not None and (longer.condition.op, longer.condition.value) == (">", 36)
    months = measure_of("Which practices have a duration under 24 months?")
    assert months is not None and months.condition is not None and months.condition.value == 24
    compared = measure_of("Of the two programmes, which runs longer?")
    assert compared is not None and compared.dimension == DURATION and not compared.low
    # an age, a track record or a distance is no duration
    young = measure_of("Which programmes support firms less than two years old?")
    assert young is None or young.dimension != DURATION
    older = measure_of("Which has the longer track record?")
    assert older is not None and older.dimension == YEAR
    assert measure_of("Which has the longest cycle network in km?").dimension != DURATION  # type: ignore[union-attr]


def test_a_duration_is_read_from_a_period_of_years_and_from_its_key_facts() -> None:
    ran = _entry_of("The programme ran from 2009 to 2014 with a national budget.")
    found = reading(ran, Measure(DURATION))
    assert found.best is not None and found.best.value == 60 and found.best.display == "from 2009 to 2014"
    lasting = _entry_of("Each cluster can receive support for a project lasting four years.")
    found = reading(lasting, Measure(DURATION))
    assert found.best is not None and found.best.value == 48
    # how long something has not happened is not how long the practice runs
    quiet = _entry_of("There have been no traffic deaths for 13 years in the centre.")
    assert reading(quiet, Measure(DURATION)).best is None


def test_the_words_that_only_name_the_unit_do_not_narrow_the_figure() -> None:
    # "generates electricity" asks for energy; the sentence that gives it says "produces"
    entry = _entry_of("The wind farm was opened in 2013.", "The wind farm produces about 15 GWh a year.")
    asked = measure_of("Which one generates more electricity?")
    assert asked is not None and asked.dimension == "energy"
    found = reading(entry, asked)
    assert found.best is not None and found.best.value == 15


def test_what_a_voucher_is_worth_is_an_amount_per_beneficiary() -> None:
    asked = measure_of("Which voucher is worth more")
    assert asked is not None and asked.dimension == MONEY and asked.per_unit
    largest = measure_of("Which of these gives the largest vouchers?")
    assert largest is not None and largest.dimension == MONEY and largest.per_unit


def test_more_of_a_named_thing_counts_that_thing() -> None:
    asked = measure_of("Which reached more SMEs?")
    assert asked is not None and asked.dimension == COUNT and "sme" in asked.noun


def test_asked_per_company_a_total_or_the_price_of_one_thing_is_not_stated() -> None:
    asked = measure_of("Which schemes give grants of at least EUR 10,000 per company?")
    assert asked is not None and asked.per_unit
    total = _entry_of("The cluster started in 2010.", "Its members have combined sales of USD 3 billion.")
    assert reading(total, asked).best is None
    price = _entry_of(
        "The shuttle started in 2008.", "The sixth vehicle, glazed for winter use, cost EUR 55,000."
    )
    assert reading(price, asked).best is None
    # the threshold's own words ("per company") need not be in the sentence of the grant
    grant = _entry_of("The bonus started in 2016.", "The Digital Plus bonus pays up to EUR 50,000.")
    found = reading(grant, asked)
    assert found.best is not None and found.best.value == 50_000


def test_more_than_a_threshold_meets_a_threshold_of_more_than() -> None:
    from assistant.engines.catalog_answers import _meets
    from assistant.engines.measures import Condition

    over = Condition(">", 100)
    assert _meets(100, over, "more than") and not _meets(100, over) and not _meets(100, over, "about")
    assert _meets(50, Condition("<", 50), "less than") and not _meets(50, Condition("<", 50))


def test_a_count_of_the_very_thing_asked_comes_before_one_of_its_kind() -> None:
    asked = measure_of("Which one has more partners?")
    assert asked is not None and asked.dimension == COUNT
    entry = _entry_of("The partnership has 9 partners, including two local development companies.")
    found = reading(entry, asked)
    assert found.best is not None and found.best.value == 9


def test_comparative_and_area_words_do_not_narrow_an_area() -> None:
    asked = measure_of("Which has a larger area of floodplains?")
    assert asked is not None and asked.dimension == "area"
    entry = _entry_of("Some 1,450 hectares of cut-over bog have been rewetted since 2015.")
    found = reading(entry, asked)
    assert found.best is not None and found.best.display == "1,450 hectares"


def test_more_people_trained_are_people_reached() -> None:
    asked = measure_of("Which has trained more people?")
    assert asked is not None and asked.dimension == BENEFICIARIES


def test_more_than_80_members_is_more_than_80() -> None:
    from assistant.engines.compare import _value
    from assistant.engines.figures import Figure, Reading

    entry = _entry_of("The cluster started in 2012.")
    sentence = entry.sentences()[0]
    over = Reading(entry, Figure("test", 80, "more than 80 members", sentence, qualifier="more than"))
    plain = Reading(entry, Figure("test", 80, "80 members", sentence))
    assert _value(over, lambda f: f.value) > _value(plain, lambda f: f.value)


def test_people_reached_are_counted_in_people_not_in_villages() -> None:
    asked = measure_of("Which reaches more people?")
    assert asked is not None and asked.dimension == BENEFICIARIES
    entry = _entry_of(
        "The scheme started in 2014. It now reaches 900 villages. "
        "Some 650 older people have been supported since the start."
    )
    found = reading(entry, asked)
    assert found.best is not None and found.best.value == 650


def test_a_verdict_says_what_the_winner_has_more_of() -> None:
    from assistant.engines.compare import _winner_phrase
    from assistant.engines.measures import STAFF

    assert _winner_phrase(Measure(STAFF)) == "has more staff"
    assert _winner_phrase(Measure(BENEFICIARIES, low=True)) == "reached fewer"
    assert _winner_phrase(Measure(COUNT)) == "has more"


def test_a_number_a_rule_asks_for_is_no_count_of_what_the_practice_reached() -> None:
    entry = _entry_of(
        "At least three companies with their office in the region are needed to form a consortium. "
        "Since 2010 the programme has involved more than 400 companies."
    )
    measure = measure_of("Which programme involved the fewest companies?")
    assert measure is not None
    found = reading(entry, measure)
    assert found.best is not None and found.best.value == 400, found
    required = _entry_of("Each cluster must have at least 20 SME members to apply.")
    assert reading(required, measure_of("Which cluster has the fewest members?")).best is None


def test_a_requirement_in_another_clause_leaves_the_count_standing() -> None:
    entry = _entry_of("The cluster has 21 members, who must pay a yearly fee.")
    found = reading(entry, measure_of("Which cluster has the fewest members?"))
    assert found.best is not None and found.best.value == 21, found


def test_an_amount_in_words_is_money_in_a_threshold() -> None:
    for question, value in (
        ("Show me practices that cost less than one million euros.", 1e6),
        ("Practices with a budget below half a million euros?", 5e5),
        ("Which practices cost more than a million euros?", 1e6),
    ):
        measure = measure_of(question)
        assert measure is not None and measure.dimension == MONEY, (question, measure)
        assert measure.condition is not None and measure.condition.value == value
        assert measure.condition.currency == "EUR"
    shown = measure_of("Practices with a budget below half a million euros?")
    assert shown is not None and shown.condition is not None
    assert shown.condition.text == "below half a million euros"  # as the question wrote it


def test_running_the_longest_asks_the_oldest() -> None:
    for question in (
        "Which initiative has been running the longest?",
        "Which practice has been around the longest?",
    ):
        measure = measure_of(question)
        assert measure is not None and measure.dimension == YEAR and measure.low, (question, measure)
    lasts = measure_of("Which programme lasts the longest?")
    assert lasts is not None and lasts.dimension == DURATION


def test_households_are_counted_as_families_or_homes_too() -> None:
    measure = measure_of("Which practice reaches the most households?")
    assert measure is not None
    found = reading(_entry_of("About 2,900 families have been in regular contact with a mediator."), measure)
    assert found.best is not None and found.best.value == 2900, found
