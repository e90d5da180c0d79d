"""Number phrases: values, currencies, scales, qualifiers and conversions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tracker.extract.numbers import CROWN, find_numbers, resolve_local_currency


def _one(text: str):
    found = find_numbers(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("5,000 missiles", Decimal(5000), None),
        ("283 million pounds", Decimal(283_000_000), "GBP"),
        ("$384m", Decimal(384_000_000), "USD"),
        ("10 billion euros", Decimal(10_000_000_000), "EUR"),
        ("€2.3bn", Decimal(2_300_000_000), "EUR"),
        ("NOK 7.5 billion", Decimal(7_500_000_000), "NOK"),
        ("£1.2 billion", Decimal(1_200_000_000), "GBP"),
        ("$50 million", Decimal(50_000_000), "USD"),
        ("EUR 500m", Decimal(500_000_000), "EUR"),
        ("2.5 billion dollars", Decimal(2_500_000_000), "USD"),
        ("300 million kroner", Decimal(300_000_000), CROWN),
        ("1.2 billion Swiss francs", Decimal(1_200_000_000), "CHF"),
        ("¥10 billion", Decimal(10_000_000_000), "JPY"),
        ("₴5 billion", Decimal(5_000_000_000), "UAH"),
        ("1bn hryvnias", Decimal(1_000_000_000), "UAH"),
        ("400 million zloty", Decimal(400_000_000), "PLN"),
        ("CAD 100 million", Decimal(100_000_000), "CAD"),
        ("500 million pounds sterling", Decimal(500_000_000), "GBP"),
        ("two systems", Decimal(2), None),
        ("1 million rounds", Decimal(1_000_000), None),
    ],
)
def test_values_and_currencies(text: str, value: Decimal, currency: str | None) -> None:
    phrase = _one(text)
    assert phrase.value == value
    assert isinstance(phrase.value, Decimal)
    assert phrase.currency == currency


@pytest.mark.parametrize(
    ("text", "qualifier", "words"),
    [
        ("more than 5,000 missiles", "at_least", "more than"),
        ("over €10bn", "at_least", "over"),
        ("at least 100 drones", "at_least", "at least"),
        ("in excess of $1bn", "at_least", "in excess of"),
        ("up to £283m", "up_to", "up to"),
        ("as much as $2bn", "up_to", "as much as"),
        ("as many as 40 tanks", "up_to", "as many as"),
        ("about 400 drones", "about", "about"),
        ("nearly €1bn", "about", "nearly"),
        ("some 200 vehicles", "about", "some"),
        ("roughly 3 billion euros", "about", "roughly"),
        ("a further 100 drones", "exact", None),
        ("5 tanks", "exact", None),
    ],
)
def test_qualifiers(text: str, qualifier: str, words: str | None) -> None:
    phrase = _one(text)
    assert (phrase.qualifier, phrase.qualifier_text) == (qualifier, words)


def test_bracketed_conversion_is_attached_not_a_second_number() -> None:
    phrase = _one("up to 283 million pounds ($384m) in aid")
    assert phrase.conversion == (Decimal(384_000_000), "USD")
    phrase = _one("over 10 billion euros ($11.73 billion)")
    assert phrase.conversion == (Decimal(11_730_000_000), "USD")


def test_abbreviated_scale_without_currency_is_money_like() -> None:
    phrase = _one("a further 1.5bn in loans")
    assert phrase.value == Decimal(1_500_000_000)
    assert phrase.currency is None
    assert phrase.money_scale


def test_years_percentages_ordinals_and_model_numbers() -> None:
    found = find_numbers("in 2022, 5% of the 46th package, F-16 jets")
    assert [(p.value, p.year, p.percent) for p in found] == [
        (Decimal(2022), True, False),
        (Decimal(5), False, True),
    ]


def test_crowns_follow_the_donor() -> None:
    assert resolve_local_currency(CROWN, "DK") == "DKK"
    assert resolve_local_currency(CROWN, "SE") == "SEK"
    assert resolve_local_currency(CROWN, None) == "NOK"
    assert resolve_local_currency("EUR", "DK") == "EUR"


def test_a_range_is_its_lower_bound_at_least() -> None:
    (phrase,) = find_numbers("They will donate between €1bn and €2bn next year.")
    assert (phrase.value, phrase.currency, phrase.qualifier, phrase.qualifier_text) == (
        Decimal(1000000000),
        "EUR",
        "at_least",
        "between",
    )


def test_a_calibre_is_not_a_count() -> None:
    assert [p.value for p in find_numbers("It includes 155mm and 105 mm rounds.")] == []
