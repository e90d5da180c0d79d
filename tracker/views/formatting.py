"""Jinja filters that show numbers the way the tracker writes them (babel via tracker.money),
and the last day of the ECB rates in use for every page's footer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import Flask

from tracker.money import MoneyError, format_money, format_quantity, format_total, pluralise
from tracker.rates import rate_table

QUALIFIER_LABELS = {
    "exact": "exact",
    "about": "about",
    "at_least": "at least",
    "up_to": "up to",
    "unknown": "unknown (no number)",
}
PRECISION_LABELS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def money(amount: Decimal | None, currency: str | None, compact: bool = True) -> str:
    """ "£283.0m", or an empty string when there is no amount."""
    if amount is None or not currency:
        return ""
    try:
        return format_money(amount, currency, compact=compact)
    except MoneyError:
        return f"{amount} {currency}"


def quantity(value: Decimal | None, unit: str | None, qualifier: str = "exact") -> str:
    """ "≥ 5,000 missiles", or an empty string when there is neither number nor unit."""
    if value is None and qualifier != "unknown":
        return ""
    return format_quantity(value, unit, qualifier)


def money_total(row: Any, currency: str) -> str:
    """A total row's money in EUR (with its lower bound) or USD, marked open or approximate."""
    approximate, open_ended = bool(row.approximate), bool(row.open_ended)
    if not row.eur and not row.usd and row.quantity is not None:
        return ""  # items only: their count says it all
    if currency == "USD":
        if row.usd is None:
            return ""
        return format_total(row.usd, row.usd, "USD", approximate=approximate, open_ended=open_ended)
    if row.eur is None:
        return ""
    lower = row.eur_lower if row.eur_lower is not None else row.eur
    return format_total(row.eur, min(lower, row.eur), "EUR", approximate=approximate,
                        open_ended=open_ended)  # fmt: skip


def quantity_total(row: Any) -> str:
    """A total row's item count: "≥ 5,000 missiles", "≈ 400 drones (at least 300 drones)"."""
    if row.quantity is None or not row.unit:
        return ""
    point: Decimal = row.quantity
    lower: Decimal = row.quantity_lower if row.quantity_lower is not None else point
    if lower == point:
        if row.open_ended:
            return format_quantity(point, row.unit, "at_least")
        return format_quantity(point, row.unit, "about" if row.approximate else "exact")
    if lower == 0 and not row.open_ended:
        return format_quantity(point, row.unit, "up_to")
    shown = format_quantity(point, row.unit, "about")
    return f"{shown} (at least {format_quantity(lower, row.unit)})"


def announced(day: date | None, precision: str | None = "day") -> str:
    """A date as precise as it is known: "10 Jul 2025", "week of 7 Jul 2025", "Jul 2025"."""
    if day is None:
        return ""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return day.strftime("%b %Y")
    text = f"{day.day} {day.strftime('%b %Y')}"
    return f"week of {text}" if precision == "week" else text


def qualifier_label(qualifier: str | None) -> str:
    """The words for a qualifier code ("at_least" -> "at least")."""
    return QUALIFIER_LABELS.get(qualifier or "", qualifier or "")


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(money)
    app.add_template_filter(quantity)
    app.add_template_filter(money_total)
    app.add_template_filter(quantity_total)
    app.add_template_filter(announced)
    app.add_template_filter(qualifier_label)
    app.add_template_filter(pluralise, "plural")
    app.context_processor(rates_in_use)


def rates_in_use() -> dict[str, Any]:
    """The last day of the ECB rates conversions use, for the footer of every page."""
    return {"rates_until": rate_table().last_date}
