"""The values a pledge derives from what was stated: bounds, EUR and USD values, flags.

Pure functions (no database): the bulk table import computes, for each row, the
columns the pledge service computes for one pledge, from the same money rules.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from functools import lru_cache
from typing import Any

from tracker.money import CENT, Conversion, bounds, check_stated_conversion, convert

DERIVED_COLUMNS = (
    "quantity_lower",
    "quantity_upper",
    "amount_lower",
    "amount_upper",
    "eur",
    "eur_lower",
    "usd",
    "eur_rate",
    "usd_rate",
    "rate_date",
    "rate_origin",
    "conversion_status",
    "review_flag",
)


ONE = Decimal(1)
WORKING_PRECISION = 60


@lru_cache(maxsize=65536)
def day_rates(currency: str, on: date | None) -> Conversion:
    """`convert` of one unit, remembered: the rates, rate date and status of a currency on a day.

    `convert` is pure and everything but its EUR and USD values depends only on
    the currency and the day, so a table of any length needs one look-up per
    (currency, day) pair.
    """
    return convert(ONE, currency, on)


def converted(amount: Decimal, rates: Conversion) -> tuple[Decimal | None, Decimal | None]:
    """`amount` in EUR and USD at `rates`, computed and rounded exactly as `convert` does."""
    if rates.eur_rate is None or rates.usd_rate is None:
        return None, None
    with localcontext(prec=WORKING_PRECISION):
        eur = (amount * ONE / rates.eur_rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
        usd = (amount * rates.usd_rate / rates.eur_rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return eur, usd


def derive_pledge_numbers(
    *,
    quantity: Decimal | None,
    amount: Decimal | None,
    currency: str | None,
    qualifier: str,
    announced: date | None,
    stated_amount: Decimal | None = None,
    stated_currency: str | None = None,
) -> dict[str, Any]:
    """Every derived column of a pledge, by name (see DERIVED_COLUMNS).

    Quantities and amounts get bounds from the qualifier; an amount is converted
    to EUR and USD at the ECB rates of the announcement day (its lower bound too);
    a stated conversion more than 2% away from the ECB figure sets `review_flag`.
    """
    derived: dict[str, Any] = dict.fromkeys(DERIVED_COLUMNS)
    if quantity is not None or qualifier == "unknown":
        quantity_bounds = bounds(quantity, qualifier)
        derived["quantity_lower"] = quantity_bounds.lower
        derived["quantity_upper"] = quantity_bounds.upper
    if amount is None or currency is None:
        return derived
    amount_bounds = bounds(amount, qualifier)
    derived["amount_lower"] = amount_bounds.lower
    derived["amount_upper"] = amount_bounds.upper
    rates = day_rates(currency, announced)
    eur, usd = converted(amount, rates)
    derived.update(
        eur=eur,
        usd=usd,
        eur_rate=rates.eur_rate,
        usd_rate=rates.usd_rate,
        rate_date=rates.rate_date,
        rate_origin=rates.origin,
        conversion_status=rates.status,
    )
    if amount_bounds.lower is not None and eur is not None:
        lower = amount_bounds.lower
        derived["eur_lower"] = eur if lower == amount else converted(lower, rates)[0]
    if stated_amount is not None and stated_currency is not None:
        check = check_stated_conversion(amount, currency, stated_amount, stated_currency, announced)
        if check.flagged and check.gap is not None:
            derived["review_flag"] = (
                f"stated {check.stated_currency} {check.stated_amount} differs from the ECB "
                f"figure {check.ecb_amount} by {check.gap * 100:.2f}%"
            )
    return derived
