"""The pledges CSV formatted by the database itself, byte for byte what the frame writer writes.

The frame writer (tracker.exports.csv_chunks over tracker.export_cells) turns each
cell into text in Python. Here the same rules are SQL expressions, one per column,
built from the column's type in `pledges_select` and its name in export_cells'
column sets, so Python never touches a cell:

- SQLite builds each CSV line in the query (text quoted as the csv module quotes:
  a cell holding a comma, a double quote or a newline is wrapped in quotes, with
  quotes doubled); Python joins the lines and writes them.
- PostgreSQL sends the formatted columns through `COPY (...) TO STDOUT WITH CSV`.
  COPY quotes two kinds of cell the csv module leaves bare (one holding a carriage
  return without a comma, quote or newline, and `\\.`); the few rows holding either
  are read back and written again with the csv module. COPY runs in id ranges of
  at most CHUNK_ROWS rows, so each one is planned as an index walk that starts
  sending at once, whatever N is.

Rules kept as the frame writer keeps them: money with two decimals, quantities and
rates without trailing zeros, booleans `true`/`false`, dates and times ISO 8601,
text that a spreadsheet would run as a formula behind an apostrophe (numbers written
as text, "-12.50", left alone). Money is never a float on PostgreSQL; on SQLite it
is stored as one, and `printf('%.2f')` writes it as SQLAlchemy's reader does before
the frame writer sees it (exact for amounts under 10^13 with two decimals).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    Numeric,
    Select,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from tracker.export_cells import (
    FORMULA_STARTS,
    GUARD,
    GUARDED_STARTS,
    MONEY_COLUMNS,
    QUANTITY_COLUMNS,
    RATE_COLUMNS,
)

if TYPE_CHECKING:
    from tracker.services.totals import TotalsFilter

__all__ = ["CHUNK_ROWS", "cell_kinds", "pledge_csv_chunks"]

CHUNK_ROWS = 20_000
FIRST_CHUNK_ROWS = 200  # the first COPY is small: its rows leave at once
BLOCK_ROWS = 1000  # COPY rows joined into one block of output (a few hundred kB)
SIGNS = ("+", "-")  # a formula unless the cell is a plain number ("-12.50")
FORMULA_FIRST = tuple(start for start in FORMULA_STARTS if start not in SIGNS)  # always one
GUARD_SQL = "'" + GUARD.replace("'", "''") + "'"  # the guard as an SQL literal
# Text a CHECK constraint keeps to words of tracker.reference (kinds, stages, qualifiers, date
# precisions, conversion statuses) or to three capital letters (currencies): never a comma,
# quote, newline or formula start, so written as it is (tests/test_export_sql.py proves it).
WORD_COLUMNS = frozenset(
    {"kind", "stage", "qualifier", "currency", "stated_currency", "announced_precision",
     "conversion_status"}
)  # fmt: skip


def cell_kinds(statement: Select[Any]) -> dict[str, str]:
    """Each selected column's kind of cell, from its SQL type and its name: int, money,
    trimmed (quantities and rates, with the scale), bool, date, datetime, word, text."""
    kinds: dict[str, str] = {}
    for column in statement.selected_columns:
        name, kind_of = str(column.key), column.type
        if isinstance(kind_of, Boolean):
            kinds[name] = "bool"
        elif isinstance(kind_of, Integer):
            kinds[name] = "int"
        elif isinstance(kind_of, Numeric):
            if name in MONEY_COLUMNS:
                kinds[name] = "money"
            elif name in QUANTITY_COLUMNS or name in RATE_COLUMNS:
                kinds[name] = f"trimmed:{kind_of.scale or 0}"
            else:
                raise ValueError(f"export column {name} is a number of no known kind")
        elif isinstance(kind_of, DateTime):
            kinds[name] = "datetime"
        elif isinstance(kind_of, Date):
            kinds[name] = "date"
        else:
            kinds[name] = "word" if name in WORD_COLUMNS else "text"
    return kinds


# --- SQLite: one CSV line per row ----------------------------------------------------


def _sqlite_plain_number(rest: str) -> str:
    """SQLite: true when `rest` (a cell after its sign) is digits with at most one inner point."""
    return (
        f"({rest} <> '' AND {rest} NOT GLOB '*[^0-9.]*' AND {rest} NOT GLOB '.*' "
        f"AND {rest} NOT GLOB '*.' AND {rest} NOT GLOB '*.*.*')"
    )


def _sqlite_text(column: str) -> str:
    """SQLite: a text cell, formula-guarded and quoted as the csv module quotes it.

    Two GLOBs pick the few cells that need either; the rest are written as they are."""
    bare = f"ltrim({column}, {GUARD_SQL})"  # the text's own apostrophes before a formula
    first = f"substr({bare}, 1, 1)"
    formula = ", ".join(f"char({ord(c)})" if c in "\t\r" else f"'{c}'" for c in FORMULA_FIRST)
    plain = _sqlite_plain_number(f"substr({bare}, 2)")
    guarded = (
        f"CASE WHEN {first} IN ({formula}) OR ({first} IN {SIGNS} AND NOT {plain}) "
        f"THEN '''' || {column} ELSE {column} END"
    )
    written = (
        f"CASE WHEN instr({column}, ',') OR instr({column}, '\"') OR instr({column}, char(10)) "
        f"THEN '\"' || replace({guarded}, '\"', '\"\"') || '\"' ELSE {guarded} END"
    )
    starts = "'[-" + "".join(c for c in GUARDED_STARTS if c != "-").replace("'", "''") + "]*'"
    holds = "'*[,\"\n]*'"
    return (
        f"CASE WHEN {column} GLOB {starts} OR {column} GLOB {holds} "
        f"THEN {written} ELSE {column} END"
    )


def _sqlite_cell(column: str, kind: str) -> str:
    """SQLite: the text of one cell, NULL for an empty one (printf's %s writes it as '')."""
    if kind in ("int", "date", "word"):  # integers as SQLite writes them; dates stored ISO
        return column
    if kind == "money":
        return f"CASE WHEN {column} IS NOT NULL THEN printf('%.2f', {column}) END"
    if kind.startswith("trimmed:"):
        scale = int(kind.split(":")[1])
        whole = f"CAST({column} AS INTEGER)"
        shown = f"rtrim(rtrim(printf('%.{scale}f', {column}), '0'), '.')"
        return (
            f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} = {whole} THEN {whole} "
            f"ELSE {shown} END"
        )
    if kind == "bool":
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
    if kind == "datetime":  # stored "YYYY-MM-DD HH:MM:SS.ffffff" in UTC: as timestamp_text
        return (
            f"CASE WHEN {column} GLOB '*.000000' THEN replace(substr({column}, 1, 19), ' ', 'T') "
            f"|| '+00:00' ELSE replace({column}, ' ', 'T') || '+00:00' END"
        )
    return _sqlite_text(column)


def _sqlite_chunks(
    session: Session, statement: Select[Any], kinds: dict[str, str]
) -> Iterator[str]:
    """SQLite: blocks of CSV lines, each line written by one printf in the query."""
    inner = statement.order_by(None).subquery("p")
    cells = ", ".join(_sqlite_cell(f"p.{name}", kind) for name, kind in kinds.items())
    line = f"printf('{','.join(['%s'] * len(kinds))}', {cells})"
    query: Select[Any] = select(literal_column(line)).select_from(inner).order_by(inner.c.id)
    result = session.connection().execute(query)  # pysqlite steps the rows as they are read
    cursor = result.cursor  # the driver's rows (one string each): no Row objects needed
    size = FIRST_CHUNK_ROWS
    try:
        while rows := cursor.fetchmany(size):
            yield "\n".join([row[0] for row in rows]) + "\n"
            size = CHUNK_ROWS
    finally:
        result.close()


# --- PostgreSQL: COPY of formatted columns --------------------------------------------


# Every character a guarded cell starts with comes before "A": a cell whose first character
# comes after "@" (almost every name and sentence) is written as it is after one test.
LAST_FORMULA_CODE = max(map(ord, GUARDED_STARTS))
# Set for the export's transaction: no JIT (each range is planned again, and where the
# planner's estimates are high, JIT compiled every range's formatting anew: ≈ 0.9 s against
# 0.2 s of reading a range of CHUNK_ROWS rows); the joins planned in the order written
# (pledge, then each name it points to), which is the plan chosen anyway, found in ≈ 1 ms
# where weighing every order of eight tables took ≈ 30 ms per range; dates written in ISO
# form by COPY itself (the same text as `date.isoformat`, for less than to_char costs); times
# in UTC, as every export writes them (`timestamp_text`).
EXPORT_SETTINGS = {
    "jit": "off", "join_collapse_limit": "1", "datestyle": "ISO", "timezone": "UTC"
}  # fmt: skip


def _postgres_cell(column: str, kind: str) -> str:
    """PostgreSQL: the text COPY writes for one cell (NULL for an empty one), under the
    EXPORT_SETTINGS."""
    if kind in ("int", "money", "word", "date"):
        return column
    if kind.startswith("trimmed:"):
        return f"trim_scale({column})"
    if kind == "bool":
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
    if kind == "datetime":  # in UTC (EXPORT_SETTINGS), as timestamp_text writes it
        shown = f"to_char({column}, 'YYYY-MM-DD\"T\"HH24:MI:SS.USTZH:TZM')"
        return f"replace({shown}, '.000000', '')"  # only the microseconds can read .000000
    first = f"ascii({column})"  # the first character's code point; 0 for ''
    bare = f"ltrim({column}, {GUARD_SQL})"  # the text's own apostrophes before a formula
    formula = ", ".join(str(ord(c)) for c in FORMULA_FIRST)
    signs = ", ".join(str(ord(c)) for c in SIGNS)
    return (
        f"CASE WHEN {first} > {LAST_FORMULA_CODE} THEN {column} "
        f"WHEN ascii({bare}) IN ({formula}) OR (ascii({bare}) IN ({signs}) AND {bare} !~ "
        f"'^[+-][0-9]+([.][0-9]+)?$') THEN '''' || {column} ELSE NULLIF({column}, '') END"
    )


def _rewritten(row: bytes) -> bytes:
    """A row COPY quoted where the csv module would not, written again by the csv module."""
    cells = next(csv.reader(io.StringIO(row.decode("utf-8"), newline="")))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().encode("utf-8")


def _postgres_chunks(
    session: Session, statement: Select[Any], kinds: dict[str, str]
) -> Iterator[bytes]:
    """PostgreSQL: COPY output in id ranges, in blocks of BLOCK_ROWS rows.

    Each range is a subquery with its own ORDER BY and LIMIT, which PostgreSQL keeps
    apart: its correlated columns (a pledge's report count and URLs) are computed once
    per row however often the formatting names them. The rows are gathered a block at a
    time by `islice` (no Python statement per row) and a block is looked into row by row
    only when it holds a carriage return or `\\.` somewhere."""
    pledge_id = statement.selected_columns["id"]
    settings = ", ".join(f"set_config('{name}', '{value}', true)"
                         for name, value in EXPORT_SETTINGS.items())  # fmt: skip
    session.execute(text(f"SELECT {settings}"))
    driver = session.connection().connection.driver_connection
    assert driver is not None
    after, limit = None, FIRST_CHUNK_ROWS
    while True:
        ranged = statement.order_by(None).order_by(pledge_id).limit(limit)
        if after is not None:
            ranged = ranged.where(pledge_id > after)
        inner = ranged.subquery("p")
        cells: list[Any] = [
            literal_column(_postgres_cell(f"p.{n}", k)).label(n) for n, k in kinds.items()
        ]
        query: Select[Any] = select(*cells).select_from(inner).order_by(inner.c.id)
        sql, params = _compiled(session, query)
        rows = 0
        last = b""
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
        ):
            messages = map(bytes, copy)  # one message per row
            while block := list(islice(messages, BLOCK_ROWS)):
                rows += len(block)
                last = block[-1]
                yield _csv_module_quoting(block)
        if rows < limit:
            return
        after, limit = int(last[: last.index(b",")]), CHUNK_ROWS


def _csv_module_quoting(block: list[bytes]) -> bytes:
    """A block of COPY rows joined, the few rows COPY quoted where the csv module would not
    (a carriage return, `\\.`) written again by the csv module."""
    joined = b"".join(block)
    if b"\r" not in joined and b"\\." not in joined:
        return joined
    return b"".join(_rewritten(row) if b"\r" in row or b"\\." in row else row for row in block)


def _compiled(session: Session, query: Select[Any]) -> tuple[str, dict[str, Any]]:
    """PostgreSQL: the query's SQL for psycopg (named placeholders) and its parameters."""
    dialect = session.get_bind().dialect
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    return str(compiled), dict(compiled.params)


def pledge_csv_chunks(
    session: Session, filters: TotalsFilter | None, *, statement: Select[Any] | None = None
) -> Iterator[bytes]:
    """The pledges export as CSV bytes (header first), formatted by the database."""
    from tracker.exports import pledges_select

    statement = pledges_select(filters) if statement is None else statement
    kinds = cell_kinds(statement)
    yield (",".join(kinds) + "\n").encode("utf-8")
    if session.get_bind().dialect.name == "postgresql":
        yield from _postgres_chunks(session, statement, kinds)
    else:
        for text in _sqlite_chunks(session, statement, kinds):
            yield text.encode("utf-8")
