"""Rows given column by column into any table, in one statement per driver: COPY of
preformatted text on PostgreSQL, one executemany of values bound column-wise elsewhere.

For the rows an import writes beside its pledges (the reports of rows that corroborate
a stored pledge): building an ORM object, or a dictionary of parameters, per row costs
more than the database's own work. Columns left out, or None in every row, are NULL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Dialect, Table
from sqlalchemy.orm import Session

from tracker.importers.copy_load import references_checked_setwise
from tracker.importers.pledge_text import copy_text


def insert_columns(session: Session, table: Table, columns: dict[str, list[Any]]) -> None:
    """Insert the rows of `columns` (column name -> one value per row) into `table`, on the
    session's connection, inside its transaction."""
    given = {name: values for name, values in columns.items() if any_value(values)}
    if not given or not len(next(iter(given.values()))):
        return
    connection = session.connection()
    names = ", ".join(f'"{name}"' for name in given)
    if connection.dialect.name == "postgresql":
        driver: Any = connection.connection.driver_connection
        with (
            references_checked_setwise(connection, table, given),
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            copy.write(copy_text(given))
        return
    marks = ", ".join("?" for _ in given)
    values = bound_columns(connection.dialect, table, given)
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({names}) VALUES ({marks})", list(zip(*values, strict=True))
    )


def any_value(values: list[Any]) -> bool:
    """Whether a column holds anything but None. By identity: `values.count(None)` would
    compare every Decimal to None through Decimal.__eq__, which is slow."""
    return any(value is not None for value in values)


def bound_columns(dialect: Dialect, table: Table, columns: dict[str, list[Any]]) -> list[list[Any]]:
    """The columns' values, bound as SQLAlchemy's own processors bind them.

    Each distinct value of a column is processed once: imports repeat days,
    currencies, timestamps and amounts, so this is a dictionary look-up per cell.
    Decimal columns are the exception: their values are mostly distinct and
    hashing a Decimal costs more than binding it, so each is bound as it comes.
    """
    bound: list[list[Any]] = []
    for name, cells in columns.items():
        processor = table.c[name].type._cached_bind_processor(dialect)
        if processor is not None:
            sample = next((value for value in cells if value is not None), None)
            if isinstance(sample, Decimal):
                cells = list(map(processor, cells))
            else:
                processed = {value: processor(value) for value in set(cells)}
                cells = list(map(processed.__getitem__, cells))
        bound.append(cells)
    return bound
