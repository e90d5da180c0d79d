"""The values a pledge derives from what was stated: bounds, EUR and USD values, flags.

Pure functions (no database): the bulk table import computes, for each row, the
columns the pledge service computes for one pledge, from the same money rules.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tracker.money import Conversion, bounds, check_stated_conversion, convert

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


@lru_cache(maxsize=65536)
def _cached_conversion(amount: Decimal, currency: str, on: date | None) -> Conversion:
    """`convert`, remembered: imports repeat the same amount, currency and day often."""
    return convert(amount, currency, on)


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
    conversion = _cached_conversion(amount, currency, announced)
    derived.update(
        eur=conversion.eur,
        usd=conversion.usd,
        eur_rate=conversion.eur_rate,
        usd_rate=conversion.usd_rate,
        rate_date=conversion.rate_date,
        rate_origin=conversion.origin,
        conversion_status=conversion.status,
    )
    if amount_bounds.lower is not None and conversion.eur is not None:
        derived["eur_lower"] = (
            conversion.eur
            if amount_bounds.lower == amount
            else _cached_conversion(amount_bounds.lower, currency, announced).eur
        )
    if stated_amount is not None and stated_currency is not None:
        check = check_stated_conversion(amount, currency, stated_amount, stated_currency, announced)
        if check.flagged and check.gap is not None:
            derived["review_flag"] = (
                f"stated {check.stated_currency} {check.stated_amount} differs from the ECB "
                f"figure {check.ecb_amount} by {check.gap * 100:.2f}%"
            )
    return derived
