"""Properties of parsing, formatting and bounds that hold for any input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracker.amounts import MAX_INTEGER_DIGITS
from tracker.money import (
    CENT,
    STALE_AFTER_DAYS,
    MoneyError,
    Qualifier,
    bounds,
    convert,
    format_money,
    format_quantity,
    parse_amount,
    parse_quantity,
)
from tracker.rates import rate_table
from tracker.services.pledge_numbers import derive_pledge_numbers

MAX_AMOUNT = Decimal("9" * MAX_INTEGER_DIGITS + ".99")
amounts = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2)
quantities = st.decimals(min_value=0, max_value=Decimal("999999999999.999"), places=3)
currencies = st.sampled_from(["EUR", "GBP", "USD", "JPY", "UAH", "CHF", "PLN"])
qualifiers = st.sampled_from(list(Qualifier))
numbered = st.sampled_from([q for q in Qualifier if q is not Qualifier.UNKNOWN])


@given(amounts, currencies)
def test_full_format_reads_back_as_the_same_amount(amount: Decimal, currency: str) -> None:
    assert parse_amount(format_money(amount, currency, compact=False)) == amount


@given(amounts)
def test_plain_text_reads_back_with_and_without_separators(amount: Decimal) -> None:
    assert parse_amount(str(amount)) == amount
    assert parse_amount(f"{amount:,}") == amount


@given(quantities)
def test_formatted_quantities_read_back(quantity: Decimal) -> None:
    shown = format_quantity(quantity, None, Qualifier.EXACT)
    assert parse_quantity(shown) == quantity


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2), qualifiers)
def test_lower_bound_never_exceeds_the_point(value: Decimal, qualifier: Qualifier) -> None:
    result = bounds(value, qualifier)
    if result.point is not None:
        assert result.lower is not None and result.lower <= result.point
        assert result.upper is None or result.point <= result.upper


@given(amounts, currencies)
def test_compact_format_always_names_the_currency(amount: Decimal, currency: str) -> None:
    shown = format_money(amount, currency)
    assert shown.startswith(("€", "£", "US$", "JP¥", "UAH", "CHF", "PLN"))


@given(
    st.one_of(st.tuples(amounts, st.just("amount")), st.tuples(quantities, st.just("quantity"))),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=9),
)
@example((Decimal("1.00"), "amount"), 28, 1)  # "1.000000000000000000000000000001"
@example((Decimal("999999999999.999"), "quantity"), 1, 1)  # the largest quantity
def test_a_digit_past_the_places_allowed_is_refused_however_far(
    figure: tuple[Decimal, str], zeros: int, last: int
) -> None:
    """A figure typed with more decimals than allowed is refused, never rounded, however
    many digits it has in all (past 28, the decimal context's precision, too); each field's
    figure drawn within its own range (a quantity has 12 digits before the point at most)."""
    value, field = figure
    places = 2 if field == "amount" else 3
    typed = f"{value:.{places}f}" + "0" * zeros + str(last)
    parse = parse_amount if field == "amount" else parse_quantity
    with pytest.raises(MoneyError, match=f"has {places + zeros + 1} decimal places"):
        parse(typed)
    assert parse(typed[: -zeros - 1] + "0" * zeros) == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=400))
def test_exponents_are_always_refused(mantissa: int, exponent: int) -> None:
    with pytest.raises(MoneyError, match="uses an exponent"):
        parse_amount(f"{mantissa}e{exponent}")


@given(st.lists(st.tuples(amounts, numbered), max_size=8), amounts)
def test_adding_an_at_least_pledge_never_lowers_the_lower_bound(
    pledges: list[tuple[Decimal, Qualifier]], extra: Decimal
) -> None:
    def lower_sum(items: list[tuple[Decimal, Qualifier]]) -> Decimal:
        lowers = (bounds(value, qualifier).lower for value, qualifier in items)
        return sum((low for low in lowers if low is not None), Decimal(0))

    with_extra = [*pledges, (extra, Qualifier.AT_LEAST)]
    assert lower_sum(with_extra) >= lower_sum(pledges)
    assert bounds(extra, Qualifier.AT_LEAST).open_ended


dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2027, 12, 31)) | st.none()
signed_amounts = st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2)


@given(signed_amounts, currencies, dates, qualifiers)
def test_pledge_writes_convert_and_bound_as_money_does(
    amount: Decimal, currency: str, day: date | None, qualifier: Qualifier
) -> None:
    """The pledge service, the table import and the reconversion all derive a pledge's
    numbers through `derive_pledge_numbers`: its EUR and USD values and bounds are those
    of `money.convert` and `money.bounds`, for any amount, currency, day and qualifier."""
    derived = derive_pledge_numbers(
        quantity=None, amount=amount, currency=currency, qualifier=qualifier.value,
        announced=day,
    )  # fmt: skip
    converted = convert(amount, currency, day)
    assert (derived["eur"], derived["usd"]) == (converted.eur, converted.usd)
    assert (derived["eur_rate"], derived["rate_date"], derived["conversion_status"]) == (
        converted.eur_rate, converted.rate_date, converted.status,
    )  # fmt: skip
    bounded = bounds(amount, qualifier)
    assert (derived["amount_lower"], derived["amount_upper"]) == (bounded.lower, bounded.upper)
    lower = None if bounded.lower is None else convert(bounded.lower, currency, day).eur
    assert derived["eur_lower"] == (None if converted.eur is None else lower)


@given(signed_amounts, dates)
def test_a_euro_amount_is_its_own_eur_value_on_any_day(amount: Decimal, day: date | None) -> None:
    """Before the ECB's first rates (1999-01-04) too: only its USD value needs a rate, and
    the pledge writes derive the same."""
    converted = convert(amount, "EUR", day)
    assert converted.eur == amount.quantize(CENT)
    assert converted.status in {"native", "stale"}
    assert (converted.usd is None) == (converted.usd_rate is None) == (converted.rate_date is None)
    assert (converted.usd is None) == (day is not None and day < rate_table().first_date)
    derived = derive_pledge_numbers(
        quantity=None, amount=amount, currency="EUR", qualifier="exact", announced=day
    )
    assert (derived["eur"], derived["eur_lower"], derived["usd"]) == (
        converted.eur, converted.eur, converted.usd,
    )  # fmt: skip


published = sorted(rate_table().currencies)
data_days = st.dates(min_value=rate_table().first_date, max_value=rate_table().last_date)


@given(st.sampled_from(published), data_days)
@example("ISK", date(2012, 6, 1))
def test_a_rate_older_than_a_closing_gap_is_stale(currency: str, day: date) -> None:
    """A conversion marked current uses a rate at most STALE_AFTER_DAYS older than its
    day; one inside a longer gap of the publication (ISK 2008-2018) is marked stale."""
    converted = convert(Decimal(100), currency, day)
    if converted.rate_date is None:
        assert converted.status == "unconverted"
        return
    behind = (day - converted.rate_date).days
    assert behind >= 0
    if converted.status in {"native", "converted"}:
        assert behind <= STALE_AFTER_DAYS
    elif behind <= STALE_AFTER_DAYS:
        assert converted.status == "stale"
        table = rate_table()
        assert day > min(table.last_published(currency), table.last_published("USD"))


@given(data_days)
def test_no_weekend_or_holiday_of_a_steady_series_is_stale(day: date) -> None:
    """STALE_AFTER_DAYS is longer than any closing gap of the ECB's publication: a currency
    published throughout (GBP, USD) is never stale inside the data."""
    assert convert(Decimal(100), "GBP", day).status == "converted"
    assert convert(Decimal(100), "USD", day).status == "converted"
