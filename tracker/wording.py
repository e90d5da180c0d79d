"""Counts in words, the same on the pages and in the terminal: "5,711 pledges", "1 pledge"."""

from __future__ import annotations

from babel.numbers import format_decimal


def number(value: int | None) -> str:
    """A count of pledges, sources or changes with its thousands grouped: "5,711"."""
    return "" if value is None else format_decimal(value, format="#,##0", locale="en_GB")


def count_of(value: int, word: str, plural: str | None = None) -> str:
    """`value` and the word for one thing or many: "1 pledge", "3 pledges", "2 new statements"
    (`plural` for a word that is not made with "s": "1 entry", "2 entries")."""
    return f"{number(value)} {word if value == 1 else plural or word + 's'}"
