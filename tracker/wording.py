"""Counts and bounded figures in words, the same on the pages and in the terminal: "5,711
pledges", "1 pledge", "up to £283.0m"."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from babel.numbers import format_decimal

from tracker.money import MoneyError, format_money


def number(value: int | None) -> str:
    """A count of pledges, sources or changes with its thousands grouped: "5,711"."""
    return "" if value is None else format_decimal(value, format="#,##0", locale="en_GB")


def count_of(value: int, word: str, plural: str | None = None) -> str:
    """`value` and the word for one thing or many: "1 pledge", "3 pledges", "2 new statements"
    (`plural` for a word that is not made with "s": "1 entry", "2 entries")."""
    return f"{number(value)} {word if value == 1 else plural or word + 's'}"


Shown = TypeVar("Shown")


def first_few(items: Sequence[Shown], limit: int) -> tuple[list[Shown], int]:
    """The first `limit` of `items` and how many more there are, so a long list is shown in
    bounded form."""
    return list(items[:limit]), max(len(items) - limit, 0)


def ids_in_brief(ids: Sequence[int], limit: int = 10) -> str:
    """Record ids as "#3, #4, #5", the first `limit` only when there are more: "#3, #4, …
    and 97 more"."""
    shown, more = first_few([f"#{i}" for i in ids], limit)
    return ", ".join(shown) + (f", … and {number(more)} more" if more else "")


QUALIFIER_SIGNS = {"about": "≈ ", "at_least": "≥ ", "up_to": "up to "}


def qualified(shown: str, qualifier: str | None) -> str:
    """A figure as its qualifier bounds it: "≈ €500.0m", "≥ €1.0bn", "up to £283.0m"; an
    empty figure stays empty."""
    if not shown:
        return ""
    return f"{QUALIFIER_SIGNS.get(qualifier or '', '')}{shown}"


def money(amount: Decimal | None, currency: str | None, compact: bool = True) -> str:
    """ "£283.0m" (or "£283,000,000.00" not compact), or an empty string when there is no
    amount; a code babel cannot format is written as it is ("5 XTS")."""
    if amount is None or not currency:
        return ""
    try:
        return format_money(amount, currency, compact=compact)
    except MoneyError:
        return f"{amount} {currency}"
