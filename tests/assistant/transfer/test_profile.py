"""Region profiles: money in any currency and period, structured input, chat questions, bad values."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest

from assistant.practices.currency import reference_rates
from assistant.practices.facts.model import Fact
from assistant.transfer import (
    InvalidProfile,
    is_transfer_question,
    load_profile,
    parse_money,
    parse_profile,
    profile_from_question,
)
from assistant.transfer.budget import BudgetInEur, budget_reasons, conversion_dict
from assistant.transfer.reading import Cost, Sentence
from assistant.types import Citation


@pytest.mark.parametrize(
    ("text", "amount", "currency", "per_year", "yearly"),
    [
        ("EUR 200000 per year", 200_000, "EUR", True, 200_000),
        ("PLN 1 million in total", 1_000_000, "PLN", False, None),
        ("about €50,000 a year", 50_000, "EUR", True, 50_000),
        ("SEK 2 million over three years", 2_000_000, "SEK", False, 2_000_000 / 3),
        ("EUR 250,000 over 2 years", 250_000, "EUR", False, 125_000),
        ("£1.5m annually", 1_500_000, "GBP", True, 1_500_000),
        ("1,5 million CZK per annum", 1_500_000, "CZK", True, 1_500_000),
        ("€ 20 000 per month", 240_000, "EUR", True, 240_000),
        ("HUF 150 million / year", 150_000_000, "HUF", True, 150_000_000),
    ],
)
def test_money_reads_amount_currency_and_period(
    text: str, amount: float, currency: str, per_year: bool, yearly: float | None
) -> None:
    money = parse_money(text)
    assert (money.amount, money.currency, money.per_year) == (amount, currency, per_year)
    assert money.yearly_amount() == pytest.approx(yearly) if yearly else money.yearly_amount() is None


def test_money_without_currency_or_period_says_what_it_assumed() -> None:
    money = parse_money("300000")
    assert (money.currency, money.per_year) == ("EUR", True)
    assert "no currency given: taken as EUR" in money.assumptions
    assert "no period given: taken as per year" in money.assumptions


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lots of money", "cannot read an amount"),
        ("50000 kr per year", "SEK, DKK or NOK"),
        ("XYZ 300", "unknown currency 'XYZ'"),
        ("EUR 5 USD", "two currencies"),
        ("EUR 100 over 90 years", "not plausible"),
    ],
)
def test_unreadable_money_is_refused_with_what_to_write(text: str, message: str) -> None:
    with pytest.raises(InvalidProfile, match=message) as info:
        parse_profile({"budget": text})
    assert "budget" in str(info.value)


def test_conversion_uses_dated_ecb_rates_and_says_which_day() -> None:
    rates = reference_rates()
    latest = rates.convert(1_000_000, "PLN", "EUR")
    assert 150_000 < latest.value < 350_000  # a zloty is worth a fraction of a euro
    assert latest.rate_date == rates.last_day
    dated = rates.convert(8_000_000, "DKK", "EUR", date(2014, 7, 1))
    assert dated.rate_date == date(2014, 7, 1)
    assert dated.value == pytest.approx(8_000_000 * dated.rate)
    assert 1_000_000 < dated.value < 1_150_000  # the krone is pegged near 7.46 per euro
    assert conversion_dict("DKK", dated) == {
        "eur": round(dated.value, 2),
        "currency": "DKK",
        "eur_per_unit": round(dated.rate, 6),
        "rate_date": "2014-07-01",
    }


def test_region_budget_is_compared_per_year_in_eur() -> None:
    rates = reference_rates()
    over_three = BudgetInEur.of(parse_money("SEK 3 million over three years"), rates)
    one_year_sek = rates.convert(1_000_000, "SEK", "EUR").value
    assert over_three.per_year == pytest.approx(one_year_sek)
    assert over_three.total == pytest.approx(3 * one_year_sek)
    total_only = BudgetInEur.of(parse_money("EUR 90,000 in total"), rates)
    assert (total_only.per_year, total_only.total) == (None, 90_000)


def test_structured_profile_is_validated_and_normalised() -> None:
    profile = parse_profile(
        {
            "country": "polish",
            "region_type": "Rural",
            "population": "250,000",
            "budget": "PLN 1 million in total",
            "sector": "energy",
            "assets": ["a university", "  an energy agency  "],
            "challenge": "Heating oil is expensive.",
        }
    )
    assert profile.country == "Poland"
    assert profile.region_type == "rural"
    assert profile.population == 250_000
    assert profile.budget is not None and profile.budget.period == "total"
    assert profile.assets == ("a university", "an energy agency")
    assert profile.topic_text() == "energy. Heating oil is expensive"
    assert profile.to_dict()["budget"]["currency"] == "PLN"
    assert parse_profile({}).empty


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"colour": "red"}, "unknown profile key 'colour'; use country, region_type, population"),
        (
            {"region_type": "coastal"},
            "region_type must be one of rural, urban, mixed, island, mountain, cross-border",
        ),
        ({"population": "many"}, "population must be a number of inhabitants"),
        ({"population": -5}, "population must be from 1"),
        ({"population": True}, "population must be a number"),
        ({"assets": 42}, "assets must be a list of strings"),
        ({"assets": ["ok", 3]}, r"assets\[1\] must be text"),
        ({"country": "42"}, "country must be a country name"),
        ({"challenge": "x" * 2001}, "challenge is at most 2000 characters"),
        ({"budget": ["EUR 5"]}, "budget must be text"),
    ],
)
def test_bad_profile_values_name_the_key_and_what_is_accepted(data: dict, message: str) -> None:
    with pytest.raises(InvalidProfile, match=message):
        parse_profile(data)


def test_profile_files_can_be_json_or_yaml() -> None:
    from_json = load_profile('{"country": "Ireland", "budget": "EUR 50,000 per year"}')
    from_yaml = load_profile("country: Ireland\nbudget: EUR 50,000 per year\nassets:\n  - a wind resource\n")
    assert from_json.country == from_yaml.country == "Ireland"
    assert from_yaml.assets == ("a wind resource",)
    with pytest.raises(InvalidProfile, match="a profile is an object"):
        load_profile("- just\n- a list\n")


def test_a_chat_question_becomes_a_profile() -> None:
    question = (
        "We are a rural region in Poland with about EUR 300,000 a year, a university and an energy "
        "agency; about 250,000 inhabitants. Our fishing towns are losing their young people. "
        "Which practice fits us?"
    )
    profile = profile_from_question(question)
    assert profile.country == "Poland"
    assert profile.region_type == "rural"
    assert profile.population == 250_000
    assert profile.budget is not None
    assert (profile.budget.amount, profile.budget.currency, profile.budget.per_year) == (300_000, "EUR", True)
    assert {"a university", "an energy agency"} <= set(profile.assets)
    assert profile.challenge is not None
    assert "fishing towns are losing their young people" in profile.challenge
    assert "300,000" not in profile.challenge and "Which practice" not in profile.challenge


def test_chat_questions_with_other_currencies_and_totals() -> None:
    swedish = profile_from_question(
        "Our Swedish island has SEK 2 million over three years. Which practice fits?"
    )
    assert swedish.country == "Sweden" and swedish.region_type == "island"
    assert swedish.budget is not None and swedish.budget.yearly_amount() == pytest.approx(2_000_000 / 3)
    czech = profile_from_question("We are a Czech city of half a million people with CZK 5 million in total.")
    assert czech.population == 500_000 and czech.region_type == "urban"
    assert czech.budget is not None and czech.budget.period == "total"


def test_transfer_questions_are_told_apart_from_lookups() -> None:
    assert is_transfer_question("We are a rural region with EUR 300,000 a year: which practice fits us?")
    assert is_transfer_question("Our city wants fewer cars. Which good practice could we copy?")
    assert not is_transfer_question("How many members does the cluster have?")
    assert not is_transfer_question("What does the innovation voucher pay for?")


def test_a_cost_from_before_its_currencys_rate_history_is_converted_at_its_first_rate() -> None:
    # the ECB's history of the new leu starts on 2005-07-01; a cost stated for 2003 takes that rate
    text = "In 2003 the scheme cost RON 2,000,000 in total."
    start = text.index("RON")
    fact = Fact("budget", 2_000_000, "RON 2,000,000", "Resources needed", 0, len(text), start, start + 13)
    fact = replace(fact, currency="RON")
    cost = Cost(fact, Sentence("Resources needed", 0, len(text)), False, None, 2003, "in total")
    reading = SimpleNamespace(practice=SimpleNamespace(text=text), costs=[cost])
    budget = BudgetInEur.of(parse_money("EUR 5 million per year"), reference_rates())

    def cite(section: str, begin: int, end: int) -> Citation:
        return Citation(1, "p", "P", section, "p.md", text[begin:end], begin, end)

    (reason,) = budget_reasons(reading, budget, reference_rates(), cite)  # type: ignore[arg-type]
    assert "(ECB rate of 2005-07-01)" in reason.text and reason.verdict == "fits"
