"""Pledge columns as PostgreSQL COPY text, formatted column by column.

COPY's text format is one line per row, tab between fields, `\\N` for NULL, and
backslash, tab, newline and carriage return escaped in text. Each distinct value
of a column is formatted once (imports repeat days, currencies, timestamps and
amounts), then the rows are joined in slices, so no per-row dumper runs.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

NULL = "\\N"
TEXT_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value: Any) -> str:
    """One value in COPY text format."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.translate(TEXT_ESCAPES)
    raise TypeError(f"cannot write {type(value).__name__} {value!r} to COPY text")


def copy_text_column(values: list[Any]) -> list[str]:
    """A column in COPY text format, each distinct value formatted once.

    Except for Decimal columns: their values are mostly distinct and hashing a
    Decimal costs more than writing it, so each is written as it comes.
    """
    sample = next((value for value in values if value is not None), None)
    if isinstance(sample, Decimal):
        return [NULL if value is None else str(value) for value in values]
    formatted = {value: copy_value(value) for value in set(values)}
    if len(formatted) == 1:
        return [next(iter(formatted.values()))] * len(values)
    return list(map(formatted.__getitem__, values))


def copy_text(columns: dict[str, list[Any]]) -> str:
    """The rows of `columns` as COPY text, one line each."""
    texts = [copy_text_column(values) for values in columns.values()]
    lines = "\n".join(map("\t".join, zip(*texts, strict=True)))
    return f"{lines}\n" if texts and texts[0] else ""
