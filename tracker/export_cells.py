"""How export cells are written: numbers, booleans, dates and formula-safe text.

Money has two decimals, quantities and rates no trailing zeros, booleans are
`true`/`false`, dates and times ISO 8601. Text that a spreadsheet would run as a
formula (starting with =, +, -, @, tab or carriage return) gets a leading
apostrophe, as OWASP recommends, and so does text whose own apostrophes come before
such a start ("'=x" is written "''=x"); numbers, negative ones too, stay numbers. A
table import takes one apostrophe off again (`restore_formula`), so an export
imports back exactly as it was.

`csv_text_columns` formats a whole frame column by column: each column is
looked at once, its kind chosen from its name and its first value, and its
cells are then converted by C-level loops (`map` over a builtin, numpy string
functions), never by a Python function per cell.
"""

from __future__ import annotations

import operator
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

MONEY_COLUMNS = frozenset(
    {
        "eur", "eur_lower", "usd", "amount", "amount_lower", "amount_upper", "stated_amount",
        "allocated_amount", "delivered_amount", "allocated_eur", "delivered_eur",
    }
)  # fmt: skip
QUANTITY_COLUMNS = frozenset(
    {"quantity", "quantity_lower", "quantity_upper", "allocated_quantity", "delivered_quantity"}
)
RATE_COLUMNS = frozenset({"eur_rate", "usd_rate"})
NUMBER_COLUMNS = MONEY_COLUMNS | QUANTITY_COLUMNS | RATE_COLUMNS
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
# A cell that may need the guard: a formula start, or apostrophes before one (the text's own)
GUARDED_STARTS = (*FORMULA_STARTS, GUARD)
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")  # ASCII digits, as the SQL exports test


def needs_guard(value: str) -> bool:
    """True for text a spreadsheet would run as a formula, and for text whose own leading
    apostrophes come before one ("'=x"): both get the guard, so that taking one apostrophe
    off gives back exactly the text. Plain numbers ("-12.50") are not formulas."""
    formula = value.lstrip(GUARD)
    return formula.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(formula)


def neutralise_formula(value: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe
    (`=1+1` → `'=1+1`, and the text `'=1+1` → `''=1+1`)."""
    return GUARD + value if needs_guard(value) else value


def restore_formula(value: str) -> str:
    """The text `neutralise_formula` was given: a cell it wrote, read back (`'=1+1` → `=1+1`,
    `''=1+1` → `'=1+1`); any other text is returned as it is."""
    rest = value[1:]
    return rest if value.startswith(GUARD) and needs_guard(rest) else value


def number_text(value: Decimal, column: str) -> str:
    """A number as plain text: money with two decimals, quantities without trailing zeros."""
    if column in MONEY_COLUMNS:
        return f"{value:.2f}"
    if column in QUANTITY_COLUMNS and value == value.to_integral_value():
        return f"{value:.0f}"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- whole columns --------------------------------------------------------------


def _first_value(values: np.ndarray) -> Any:
    """The first value that is not missing (None when every cell is)."""
    for value in values:
        if value is not None and not (isinstance(value, float) and value != value):
            return value
    return None


def _two_places(value: Any) -> bool:
    """True for a Decimal stored with exactly two places, which `str` writes as "12.50"."""
    return isinstance(value, Decimal) and value.as_tuple().exponent == -2


def _money_texts(present: np.ndarray) -> np.ndarray:
    """Decimals with exactly two decimals ("1250.50", "-3.00")."""
    return np.array(list(map(format, present, repeat(".2f"))), dtype=object)


def _trimmed_texts(present: np.ndarray) -> np.ndarray:
    """Decimals in plain notation without trailing zeros ("4750", "1.0395")."""
    texts = np.array(list(map(format, present, repeat("f"))), dtype=str)
    if texts.size == 0:
        return texts.astype(object)
    decimal = np.strings.find(texts, ".") >= 0
    trimmed = np.strings.rstrip(np.strings.rstrip(texts, "0"), ".")
    return np.where(decimal, trimmed, texts).astype(object)


def _neutralised_texts(present: np.ndarray) -> np.ndarray:
    """Text cells, the few that start like a formula made inert (see neutralise_formula)."""
    texts = present.copy() if isinstance(present[0], str) else np.array(list(map(str, present)))
    texts = texts.astype(object, copy=False)
    risky = np.fromiter(
        map(str.startswith, texts, repeat(GUARDED_STARTS)), dtype=bool, count=len(texts)
    )
    for index in np.flatnonzero(risky):
        texts[index] = neutralise_formula(texts[index])
    return texts


def timestamp_text(value: datetime) -> str:
    """A moment as every export and the API write it: ISO 8601 in UTC with its offset
    ("2025-07-01T10:30:00+00:00"). SQLite reads back the UTC time it stored without an
    offset, PostgreSQL in the session's time zone: both are written the same."""
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.isoformat()


def csv_text_column(values: np.ndarray, column: str) -> np.ndarray:
    """One column as CSV cells: None for missing, numbers plain, text neutralised.

    Whole numbers and dates are returned as they are: the csv writer's `str()`
    already writes them as wanted ("42", "2025-07-01"), and None as an empty cell.
    """
    first = _first_value(values)
    if first is None:
        return np.full(len(values), None, dtype=object)
    if isinstance(first, date) and not isinstance(first, datetime):
        return values
    if isinstance(first, int | np.integer) and not isinstance(first, bool | np.bool_):
        return values
    if column in MONEY_COLUMNS and _two_places(first) and _two_places(_first_value(values[::-1])):
        return values  # Numeric(20, 2) reads back with exactly two places: str() writes "12.50"
    if values.dtype == object:  # identity tests: no __eq__ per cell (Decimal's is slow)
        is_given = map(operator.is_not, values, repeat(None))
        present_mask = np.fromiter(is_given, dtype=bool, count=len(values))
    else:
        present_mask = ~pd.isna(values)
    present = values[present_mask]
    if isinstance(first, bool | np.bool_):
        texts = np.where(present.astype(bool), "true", "false").astype(object)
    elif isinstance(first, Decimal):
        texts = _money_texts(present) if column in MONEY_COLUMNS else _trimmed_texts(present)
    elif isinstance(first, datetime):
        texts = np.array(list(map(timestamp_text, present)), dtype=object)
    elif isinstance(first, float | np.floating):
        texts = np.array(list(map(str, present)), dtype=object)
    else:
        texts = _neutralised_texts(present)
    if len(texts) == len(values):
        return texts
    out = np.full(len(values), None, dtype=object)
    out[present_mask] = texts
    return out


def csv_text_columns(frame: pd.DataFrame) -> list[np.ndarray]:
    """The frame's columns as CSV cells (None for empty), in column order."""
    return [csv_text_column(frame[name].to_numpy(dtype=object), str(name)) for name in frame]
