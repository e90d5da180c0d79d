"""Jinja filters that show numbers the way the tracker writes them (babel via tracker.money),
and the last day of the ECB rates in use for every page's footer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from tracker.money import format_quantity, format_total, pluralise
from tracker.rates import rate_table
from tracker.services.item_counts import ItemCounts
from tracker.services.manual_sources import is_web_address
from tracker.wording import money, number, qualified

QUALIFIER_LABELS = {
    "exact": "exact",
    "about": "about",
    "at_least": "at least",
    "up_to": "up to",
    "unknown": "unknown (no number)",
}
ITEMS_SHOWN = 3  # a total row lists its largest quantity items; the item table has them all
PRECISION_LABELS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def pledge_money(pledge: Any) -> str:
    """One pledge's stated amount with its qualifier: "≈ €500.0m", "≥ €1.0bn", "up to £283.0m"."""
    return qualified(money(pledge.amount, pledge.currency), pledge.qualifier)


def quantity(value: Decimal | None, unit: str | None, qualifier: str = "exact") -> str:
    """ "≥ 5,000 missiles", or an empty string when there is neither number nor unit."""
    if value is None and qualifier != "unknown":
        return ""
    return format_quantity(value, unit, qualifier)


def has_money(row: Any, counts: Mapping[Any, ItemCounts] | None = None) -> bool:
    """Whether a total row counts any money: its item counts say so when given; without
    them (and for an item's own row) a row whose money sums to nothing shows none."""
    found = counts.get(row_key(row)) if counts is not None and row.unit is None else None
    if found is not None:
        return found.has_money
    return bool(row.eur or row.usd or row.unconverted)


def row_key(row: Any) -> Any:
    """The key a total row is known by: its id, or its word (kind, stage)."""
    return row.key_id if row.key_id is not None else row.key


def money_total(row: Any, currency: str, counts: Mapping[Any, ItemCounts] | None = None) -> str:
    """A total row's money in EUR or USD, marked open (≥) or approximate (≈), with its lower
    bound where "up to" parts leave the point sum uncertain; empty for items alone.

    The USD lower bound is the EUR lower bound at the row's own USD/EUR ratio (each pledge
    is converted at its announcement day's rates), so both currencies tell the same story.
    """
    if not has_money(row, counts):
        return ""
    point: Decimal = row.usd if currency == "USD" else row.eur
    lower: Decimal = row.eur_lower if row.eur_lower is not None else row.eur
    if currency == "USD":
        lower = (lower * row.usd / row.eur).quantize(Decimal("0.01")) if row.eur else point
    return format_total(point, min(lower, point), currency, approximate=bool(row.approximate),
                        open_ended=bool(row.open_ended))  # fmt: skip


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


def items_total(row: Any, counts: Mapping[Any, ItemCounts] | None = None) -> str:
    """What a total row's items add up to: its own count (an item row), or its quantity
    items one by one ("≥ 5,000 missiles, 4 systems"; "54 pieces (howitzers), 44 pieces
    (artillery pieces)" where a unit repeats), and "unquantified" for pledges of items that
    state no number."""
    if getattr(row, "unit", None) is not None:
        return quantity_total(row) or ("" if has_money(row) else "unquantified")
    found = counts.get(row_key(row)) if counts is not None else None
    if found is None:
        return ""
    shown = found.items[:ITEMS_SHOWN]
    # Two items counted in one unit ("pieces": artillery pieces, howitzers) are named
    units = Counter(item.unit for item in shown)
    parts = [
        f"{quantity_total(item)} ({item.key})" if units[item.unit] > 1 else quantity_total(item)
        for item in shown
    ]
    if found.quantity_items > ITEMS_SHOWN:
        parts.append(f"{found.quantity_items - ITEMS_SHOWN} more items")
    if found.unquantified:
        parts.append(f"{found.unquantified} unquantified")
    return ", ".join(part for part in parts if part)


def source_name(source: Any) -> str:
    """What a source is called on every page: its title, else its file's name, else its URL,
    else its number ("source #3")."""
    return source.title or source.file_name or source.url or f"source #{source.id}"


def source_link(url: str) -> Markup:
    """A source's URL as a link when it is a web address; any other text (a "javascript:"
    URL recorded from a file's meta.json, say) is shown, never linked."""
    if not is_web_address(url):
        return escape(url)
    return Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url)


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
    app.add_template_filter(number)
    app.add_template_filter(money)
    app.add_template_filter(quantity)
    app.add_template_filter(pledge_money)
    app.add_template_filter(qualified)
    app.add_template_filter(money_total)
    app.add_template_filter(quantity_total)
    app.add_template_filter(items_total)
    app.add_template_filter(announced)
    app.add_template_filter(source_name)
    app.add_template_filter(source_link)
    app.add_template_filter(qualifier_label)
    app.add_template_filter(pluralise, "plural")
    app.context_processor(rates_in_use)


def rates_in_use() -> dict[str, Any]:
    """The last day of the ECB rates conversions use, for the footer of every page."""
    return {"rates_until": rate_table().last_date}
