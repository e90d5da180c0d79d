"""Properties of parsing, formatting and bounds that hold for any input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.money import (
    MoneyError,
    Qualifier,
    bounds,
    format_money,
    format_quantity,
    parse_amount,
    parse_quantity,
)

MAX_AMOUNT = Decimal("999999999999999999.99")
amounts = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2)
quantities = st.decimals(min_value=0, max_value=Decimal("1e12"), places=3)
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
