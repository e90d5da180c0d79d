"""Amounts, currencies, ECB conversion, stated conversions, bounds and formatting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tracker.money import (
    Bounds,
    MoneyError,
    Qualifier,
    bounds,
    check_stated_conversion,
    convert,
    format_money,
    format_quantity,
    format_total,
    normalise_currency,
    parse_amount,
    parse_quantity,
    round_amount,
)
from tracker.rates import rate_table

D = Decimal
ROME_CONFERENCE = date(2025, 7, 10)


# --- parsing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", D("1234")),
        ("1,234,567.89", D("1234567.89")),
        ("283000000", D("283000000")),
        (" 12.5 ", D("12.5")),
        ("0.5", D("0.5")),
        (".5", D("0.5")),
        ("12.50", D("12.50")),
        ("12.500", D("12.50")),
        ("£283,000,000.00", D("283000000")),
        ("US$384.10", D("384.10")),
        ("1,000 EUR", D("1000")),
        (1500, D("1500")),
        (D("1E+3"), D("1000")),
        (D("-0"), D("0")),
        ("9" * 13 + ".99", D("9" * 13 + ".99")),
    ],
)
def test_parse_amount_accepts_plain_numbers(text: str | int | Decimal, expected: Decimal) -> None:
    assert parse_amount(text) == expected


def test_parse_amount_never_shows_an_exponent() -> None:
    assert str(parse_amount(D("1E+3"))) == "1000"
    assert str(parse_amount("12.500")) == "12.50"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e400", "amount '1e400' uses an exponent"),
        ("2.5E6", "uses an exponent"),
        ("-5", "amount '-5' is negative"),
        ("NaN", "amount 'NaN' is not a finite number"),
        ("Infinity", "amount 'Infinity' is not a finite number"),
        ("-inf", "is not a finite number"),
        ("12,34,5", "amount '12,34,5' has misplaced thousands separators"),
        ("1,2345", "misplaced thousands separators"),
        ("", "amount is empty"),
        ("   ", "amount is empty"),
        ("€", "amount '€' is not a number"),
        ("abc", "amount 'abc' is not a number"),
        ("1.2.3", "is not a number"),
        ("--5", "is not a number"),
        ("5 XYZ", "is not a number"),
        ("4" * 40, "is too large: at most 13 digits before the point"),
        ("1" + "0" * 13, "is too large"),
        ("1.234", "amount '1.234' has 3 decimal places; at most 2 are allowed"),
        (D("NaN"), "is not a finite number"),
        (D("Infinity"), "is not a finite number"),
        (D("1E+400"), "is too large"),
        (-5, "is negative"),
    ],
)
def test_parse_amount_refuses_bad_input(text: str | int | Decimal, message: str) -> None:
    with pytest.raises(MoneyError, match=message.replace("$", r"\$")):
        parse_amount(text)


def test_parse_amount_refuses_float_and_bool() -> None:
    with pytest.raises(MoneyError, match="not float"):
        parse_amount(1.5)  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="yes/no"):
        parse_amount(True)


def test_parse_amount_names_the_field_and_allows_negatives_on_request() -> None:
    with pytest.raises(MoneyError, match="^stated amount '-5' is negative"):
        parse_amount("-5", field="stated amount")
    assert parse_amount("-5", allow_negative=True) == D("-5")
    assert parse_amount("\u22125", allow_negative=True) == D("-5")
    assert parse_amount("-£5.00", allow_negative=True) == D("-5")


def test_parse_amount_places_is_configurable() -> None:
    assert parse_amount("1.2345", places=4) == D("1.2345")
    with pytest.raises(MoneyError, match="at most 0 are allowed"):
        parse_amount("1.5", places=0)


def test_parse_quantity_allows_three_places() -> None:
    assert parse_quantity("5,000") == D("5000")
    assert parse_quantity("2.125") == D("2.125")
    with pytest.raises(MoneyError, match="^quantity '2.1255' has 4 decimal places; at most 3"):
        parse_quantity("2.1255")
    with pytest.raises(MoneyError, match="^quantity '-1' is negative"):
        parse_quantity("-1")


def test_round_amount_rounds_half_up() -> None:
    assert round_amount(D("1.005")) == D("1.01")
    assert round_amount(D("2.345"), places=1) == D("2.3")
    assert round_amount(D("-1.005")) == D("-1.01")


# --- currencies --------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [(" gbp ", "GBP"), ("EUR", "EUR"), ("usd", "USD"), ("UAH", "UAH"), ("BGN", "BGN")],
)
def test_normalise_currency(code: str, expected: str) -> None:
    assert normalise_currency(code) == expected


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("EURO", "currency 'EURO' is not an ISO 4217 code: use three letters"),
        ("xx", "currency 'xx' is not an ISO 4217 code"),
        ("", "currency is empty"),
        ("€", "currency '€' is not an ISO 4217 code"),
        ("XYZ", "currency 'XYZ' is not a known ISO 4217 code"),
    ],
)
def test_normalise_currency_refuses(code: str, message: str) -> None:
    with pytest.raises(MoneyError, match=message):
        normalise_currency(code)


# --- conversion --------------------------------------------------------------


def test_pounds_convert_at_the_ecb_rate_of_the_day() -> None:
    result = convert(D("283000000"), "GBP", ROME_CONFERENCE)
    assert result.status == "converted"
    assert result.rate_date == ROME_CONFERENCE
    assert result.eur_rate == D("0.8627")
    assert result.usd_rate == D("1.1709")
    assert result.eur == D("328039874.81")
    assert result.usd == D("384101889.42")
    assert format_money(result.usd, "USD") == "US$384.1m"
    assert result.origin.startswith("ECB reference rate")


def test_euros_are_native_and_usd_uses_the_ecb_quote() -> None:
    result = convert(D("10000000000"), "eur", ROME_CONFERENCE)
    assert result.status == "native"
    assert (result.eur, result.eur_rate) == (D("10000000000.00"), D("1"))
    assert result.usd == D("11709000000.00")


def test_dollars_convert_to_euros() -> None:
    result = convert(D("1170.90"), "USD", ROME_CONFERENCE)
    assert (result.eur, result.usd, result.status) == (D("1000.00"), D("1170.90"), "converted")


def test_values_are_rounded_half_even_to_cents() -> None:
    assert convert(D("0.005"), "EUR", ROME_CONFERENCE).eur == D("0.00")
    assert convert(D("0.015"), "EUR", ROME_CONFERENCE).eur == D("0.02")


@pytest.mark.parametrize(
    ("day", "published"),
    [
        (date(2025, 7, 12), date(2025, 7, 11)),  # Saturday
        (date(2025, 7, 13), date(2025, 7, 11)),  # Sunday
        (date(2025, 4, 18), date(2025, 4, 17)),  # Good Friday
        (date(2025, 4, 21), date(2025, 4, 17)),  # Easter Monday
        (date(2025, 12, 26), date(2025, 12, 24)),  # Christmas holidays
    ],
)
def test_a_day_without_rates_uses_the_last_earlier_business_day(day: date, published: date) -> None:
    result = convert(D("100"), "GBP", day)
    assert result.rate_date == published
    assert result.status == "converted"
    assert result.eur_rate == rate_table().rate("GBP", published)


def test_a_date_after_the_data_uses_the_last_rate_and_is_stale() -> None:
    last = rate_table().last_date
    result = convert(D("100"), "GBP", date(last.year + 1, 1, 1))
    assert result.status == "stale"
    assert result.rate_date == last
    assert result.eur is not None


def test_no_date_uses_the_last_rate_and_is_stale() -> None:
    result = convert(D("100"), "EUR", None)
    assert (result.status, result.rate_date) == ("stale", rate_table().last_date)


def test_a_discontinued_rate_is_stale_after_its_last_day() -> None:
    result = convert(D("1955.80"), "BGN", date(2026, 3, 2))
    assert (result.status, result.rate_date, result.eur) == ("stale", date(2025, 12, 31), D("1000"))


def test_hryvnia_is_not_converted() -> None:
    result = convert(D("1000000"), "UAH", ROME_CONFERENCE)
    assert result.status == "unconverted"
    assert (result.eur, result.usd, result.eur_rate, result.rate_date) == (None, None, None, None)


def test_a_date_before_the_data_is_not_converted() -> None:
    assert convert(D("1"), "GBP", date(1998, 12, 31)).status == "unconverted"


def test_a_euro_amount_before_the_data_keeps_its_eur_value() -> None:
    result = convert(D("2500000"), "EUR", date(1998, 11, 3))
    assert (result.eur, result.eur_rate, result.status) == (D("2500000.00"), D(1), "native")
    assert (result.usd, result.usd_rate, result.rate_date) == (None, None, None)


def test_a_day_inside_a_gap_of_the_publication_is_stale() -> None:
    """The ECB published no ISK rate from 2008-12-10 to 2018-01-31."""
    result = convert(D("1000000"), "ISK", date(2012, 6, 1))
    assert (result.status, result.rate_date) == ("stale", date(2008, 12, 9))
    assert result.eur is not None
    assert convert(D("1000000"), "ISK", date(2008, 12, 9)).status == "converted"
    assert convert(D("1000000"), "ISK", date(2018, 2, 1)).status == "converted"


def test_convert_refuses_bad_input() -> None:
    with pytest.raises(MoneyError, match="currency 'EURO'"):
        convert(D("1"), "EURO", ROME_CONFERENCE)
    with pytest.raises(MoneyError, match="not a finite number"):
        convert(D("NaN"), "EUR", ROME_CONFERENCE)
    with pytest.raises(MoneyError, match="must be a Decimal, not float"):
        convert(1.5, "EUR", ROME_CONFERENCE)  # type: ignore[arg-type]


# --- stated conversions ------------------------------------------------------


def test_stated_dollars_for_pounds_agree() -> None:
    check = check_stated_conversion(D("283000000"), "GBP", D("384000000"), "usd", ROME_CONFERENCE)
    assert check.ecb_amount == D("384101889.42")
    assert check.stated_currency == "USD"
    assert check.gap == D("0.0003")
    assert not check.flagged


def test_stated_dollars_for_euros_agree_within_a_fifth_of_a_percent() -> None:
    check = check_stated_conversion(D("1e10"), "EUR", D("11730000000"), "USD", ROME_CONFERENCE)
    assert check.ecb_amount == D("11709000000.00")
    assert check.gap == D("0.0018")
    assert not check.flagged


def test_a_stated_conversion_off_by_more_than_two_percent_is_flagged() -> None:
    check = check_stated_conversion(D("283000000"), "GBP", D("400000000"), "USD", ROME_CONFERENCE)
    assert check.gap == D("0.0414")
    assert check.flagged
    exactly_two = check_stated_conversion(D("100"), "EUR", D("119.43"), "USD", ROME_CONFERENCE)
    assert exactly_two.gap == D("0.0200")
    assert not exactly_two.flagged


def test_a_stated_conversion_the_ecb_cannot_check_is_not_flagged() -> None:
    check = check_stated_conversion(D("1000"), "UAH", D("24"), "USD", ROME_CONFERENCE)
    assert (check.ecb_amount, check.gap, check.flagged) == (None, None, False)


# --- bounds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        (Qualifier.EXACT, Bounds(D(5), D(5), D(5), approximate=False, open_ended=False)),
        ("about", Bounds(D(5), D(5), D(5), approximate=True, open_ended=False)),
        ("at_least", Bounds(D(5), D(5), None, approximate=False, open_ended=True)),
        ("up_to", Bounds(D(5), D(0), D(5), approximate=False, open_ended=False)),
        ("unknown", Bounds(None, None, None, approximate=False, open_ended=False)),
    ],
)
def test_bounds_table(qualifier: Qualifier | str, expected: Bounds) -> None:
    assert bounds(D(5), qualifier) == expected


def test_bounds_refuses_a_missing_number_or_an_unknown_qualifier() -> None:
    assert bounds(None, "unknown").point is None
    with pytest.raises(MoneyError, match="qualifier 'exact' needs a number"):
        bounds(None, "exact")
    with pytest.raises(MoneyError, match="qualifier 'roughly' is not one of"):
        bounds(D(1), "roughly")


# --- formatting --------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("283000000", "GBP", "£283.0m"),
        ("10000000000", "EUR", "€10.0bn"),
        ("11709000000", "USD", "US$11.7bn"),
        ("999960000", "EUR", "€1.0bn"),
        ("1200000000000", "EUR", "€1.2tn"),
        ("950000", "EUR", "€950,000"),
        ("-2500000", "GBP", "-£2.5m"),
        ("1000000", "UAH", "UAH\u00a01.0m"),
        ("0", "EUR", "€0"),
    ],
)
def test_format_money_compact(amount: str, currency: str, expected: str) -> None:
    assert format_money(D(amount), currency) == expected


def test_format_money_in_full_and_in_other_locales() -> None:
    assert format_money(D("283000000"), "GBP", compact=False) == "£283,000,000.00"
    assert format_money(D("5"), "JPY", compact=False) == "JP¥5.00"
    assert "€" in format_money(D("283000000"), "EUR", locale="de_DE")


@pytest.mark.parametrize(
    ("quantity", "unit", "qualifier", "expected"),
    [
        (D(5000), "missile", "at_least", "≥ 5,000 missiles"),
        (D(400), "drone", Qualifier.ABOUT, "≈ 400 drones"),
        (D(10), "system", "up_to", "≤ 10 systems"),
        (D(1), "system", "exact", "1 system"),
        (D(3), "battery", "exact", "3 batteries"),
        (D(12), "aircraft", "exact", "12 aircraft"),
        (D("2.5"), None, "exact", "2.5"),
        (None, "missile", "unknown", "an unknown number of missiles"),
    ],
)
def test_format_quantity(
    quantity: Decimal | None, unit: str | None, qualifier: str, expected: str
) -> None:
    assert format_quantity(quantity, unit, qualifier) == expected


@pytest.mark.parametrize(
    ("point", "lower", "approximate", "open_ended", "expected"),
    [
        ("10.3e9", "10e9", True, False, "≈ €10.3bn (at least €10.0bn)"),
        ("10e9", "10e9", False, True, "≥ €10.0bn"),
        ("10e9", "10e9", False, False, "€10.0bn"),
        ("10e9", "10e9", True, False, "≈ €10.0bn"),
        ("10e9", "0", False, False, "up to €10.0bn"),
    ],
)
def test_format_total(
    point: str, lower: str, approximate: bool, open_ended: bool, expected: str
) -> None:
    shown = format_total(D(point), D(lower), "EUR", approximate=approximate, open_ended=open_ended)
    assert shown == expected


def test_format_total_refuses_a_lower_bound_above_the_point() -> None:
    with pytest.raises(MoneyError, match="above the point total"):
        format_total(D(1), D(2), "EUR", approximate=False, open_ended=False)


@pytest.mark.parametrize("pattern", ["#,##0", "#,##0.0", "#,##0.###"])
@pytest.mark.parametrize("locale", ["en_GB", "de_DE", "fr_FR"])
def test_number_patterns_read_as_babel_writes_them(pattern: str, locale: str) -> None:
    from babel.numbers import format_decimal

    from tracker.money import _format_number

    values = ["0", "-0.04", "0.05", "0.15", "0.25", "1", "999.95", "1000", "1234.5678",
              "-1234.5", "950000", "999999.5", "12345678.9996", "0.0005", "0.0015", "2.5",
              "3.5", "-2.5", "100000000000.25"]  # fmt: skip
    for text in values:
        value = Decimal(text)
        assert _format_number(value, pattern, locale) == format_decimal(
            value, format=pattern, locale=locale
        ), (text, pattern, locale)


def test_rate_table_reads_a_currency_when_first_asked() -> None:
    from tracker.rates import RateTable

    days = [date(2024, 1, 3), date(2024, 1, 2)]
    table = RateTable(
        days, {"USD": ["1.09", " 1.10 "], "CYP": ["N/A", ""], "GBP": ["x", "0.86"]}, "test"
    )
    assert table.currencies == {"EUR", "USD", "GBP"}  # CYP has no published rate here
    assert (table.first_date, table.last_date) == (date(2024, 1, 2), date(2024, 1, 3))
    assert table.rate("USD", date(2024, 1, 2)) == Decimal("1.10")
    assert table.last_common_day(("USD",), date(2024, 1, 2)) == date(2024, 1, 2)
    with pytest.raises(ValueError, match="bad ECB rate 'x' for GBP on 2024-01-03"):
        table.rate("GBP", date(2024, 1, 2))


def test_rates_on_are_the_rates_convert_uses() -> None:
    from tracker.money import rates_on

    day = date(2024, 3, 15)
    rates, conversion = rates_on("GBP", day), convert(Decimal("1000.00"), "GBP", day)
    assert (rates.eur, rates.usd) == (None, None)
    assert (rates.eur_rate, rates.usd_rate, rates.rate_date, rates.status) == (
        conversion.eur_rate, conversion.usd_rate, conversion.rate_date, conversion.status,
    )  # fmt: skip
    assert conversion.eur == (Decimal("1000.00") / rates.eur_rate).quantize(Decimal("0.01"))
