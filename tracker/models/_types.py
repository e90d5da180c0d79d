"""Column types and helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import DateTime, Numeric, text
from sqlalchemy.orm import mapped_column

Money = Annotated[Decimal, mapped_column(Numeric(20, 2))]
Quantity = Annotated[Decimal, mapped_column(Numeric(20, 3))]
Rate = Annotated[Decimal, mapped_column(Numeric(20, 8))]
Timestamp = Annotated[datetime, mapped_column(DateTime(timezone=True))]


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def one_of(column: str, values: tuple[str, ...], *, nullable: bool = False) -> str:
    """SQL text for a CHECK that `column` holds one of `values`.

    Written as `column = 'a' OR column = 'b' ...` rather than `column IN (...)`:
    SQLite evaluates an IN list of more than two constants through a temporary
    index it builds on every execution of the statement, that is for every row of
    an executemany, which made these checks the larger part of a bulk insert.
    """
    check = " OR ".join(f"{column} = '{v}'" for v in values)
    return f"{column} IS NULL OR {check}" if nullable else check


def currency_code(column: str) -> str:
    """SQL text for a CHECK that `column` is NULL or three upper-case letters."""
    letters = " AND ".join(f"substr({column}, {i}, 1) BETWEEN 'A' AND 'Z'" for i in (1, 2, 3))
    return (
        f"{column} IS NULL OR (length({column}) = 3 AND upper({column}) = {column} AND {letters})"
    )


def where_not_null(column: str) -> dict[str, Any]:
    """Index keyword arguments that leave rows with `column` NULL out of the index
    (a partial index, on SQLite and PostgreSQL alike)."""
    condition = text(f"{column} IS NOT NULL")
    return {"sqlite_where": condition, "postgresql_where": condition}
