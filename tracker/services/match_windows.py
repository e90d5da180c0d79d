"""Reading the candidates of an article's stated pledges at once, for
tracker.services.matching: one statement for the few windows of an article (a table's many
rows are paired by tracker.services.match_candidates.related_pairs)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, Dialect, Integer, bindparam, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tracker.models import Pledge
from tracker.services.match_candidates import CANDIDATE_COLUMNS

if TYPE_CHECKING:
    from tracker.services.matching import Stated


def window_candidates(
    session: Session,
    stated: Sequence[Stated],
    days: int,
    limit: int,
    meanwhile: Callable[[], object] | None = None,
    generic: int | None = None,
) -> tuple[list[Any], list[int]]:
    """The candidates of each window of the stated pledges (a donor, recipient, day and
    source: the `limit` newest pledges of the donor and recipient announced within `days`
    of the day, any day for one without a date, not of that source; deleted ones and
    possible duplicates too, with those columns), newest first in the database's order,
    keeping only those whose item or its category is one a stated pledge of the window
    names, or whose item is the `generic` one (unspecified money), every one of a window
    whose stated pledges name it: the rows `classify` may read. Each row starts with its
    window's number `window_number`, then the pledge's columns and its item's category.

    One statement: the overlapping windows of a donor, recipient and source are read as
    one range of days through the `(donor_id, announced, recipient_id, source_id,
    item_id)` index, the database ranks each window's pledges and hands back only the
    kept ones (before, every pledge of every window came back, ≈ 870 rows an article at a
    million pledges, for Python to sort and slice). SQLite ranks from the index alone and
    reads the table's row of the kept ones. Returns the rows and the window number of
    each stated pledge, in their order.

    `meanwhile`, work that sends no statement, runs while PostgreSQL reads: the statement
    is sent in the driver's pipeline mode, the work done, then the rows fetched (they are
    named tuples there, SQLAlchemy rows elsewhere, read by the same names). On SQLite it
    is not run: what it would do ahead the caller does after, for the matches it needs.
    """
    numbers: dict[tuple[int, int, date | None, int | None], int] = {}
    for one in stated:
        numbers.setdefault((one.donor_id, one.recipient_id, one.announced, one.source_id), 0)
    dated = [key for key in numbers if key[2] is not None]
    undated = [key for key in numbers if key[2] is None]
    for number, key in enumerate(dated + undated):
        numbers[key] = number
    window = timedelta(days=days)
    values: dict[str, Any] = {"limit": limit, "generic": generic or 0}  # no item has id 0
    # The windows of one donor, recipient and source whose days overlap share one range
    # of days, read once (an article's pledges name days a few apart)
    ranges: list[list[Any]] = []  # [donor, recipient, source, earliest, latest]
    range_of: dict[tuple[int, int, date | None, int | None], int] = {}
    for key in sorted(dated, key=lambda k: (k[0], k[1], k[3] is None, k[3] or 0, k[2])):
        donor_id, recipient_id, day, source_id = key
        assert day is not None
        if ranges and ranges[-1][:3] == [donor_id, recipient_id, source_id] \
                and day - window <= ranges[-1][4]:  # fmt: skip
            ranges[-1][4] = day + window
        else:
            ranges.append([donor_id, recipient_id, source_id, day - window, day + window])
        range_of[key] = len(ranges) - 1
    # Padded to a power of two with ranges and windows no pledge is in, and the stated
    # pledges' items with rows of no window, so a few statement shapes serve every article
    nothing = date(1, 1, 1)
    for index, (donor_id, recipient_id, source_id, earliest, latest) in enumerate(
        padded_with(ranges, [0, 0, None, nothing, nothing])
    ):
        values |= {f"gn{index}": index if index < len(ranges) else -1,
                   f"gd{index}": donor_id, f"gr{index}": recipient_id, f"gs{index}": source_id,
                   f"ga{index}": earliest, f"gb{index}": latest}  # fmt: skip
    for index, key in enumerate(padded_with(dated, (0, 0, nothing + window, None))):
        day = key[2]
        assert day is not None
        values |= {f"n{index}": numbers.get(key, -1), f"g{index}": range_of.get(key, -1),
                   f"a{index}": day - window, f"b{index}": day + window}  # fmt: skip
    for index, key in enumerate(padded_with(undated, (0, 0, None, None))):
        values |= {f"un{index}": numbers.get(key, -1), f"ud{index}": key[0],
                   f"ur{index}": key[1], f"us{index}": key[3]}  # fmt: skip
    named = {
        (numbers[(s.donor_id, s.recipient_id, s.announced, s.source_id)], s.item_id,
         s.category_id)
        for s in stated
    }  # fmt: skip
    for index, (number, item_id, category_id) in enumerate(padded_with(list(named), (-1, 0, 0))):
        values |= {f"sn{index}": number, f"si{index}": item_id, f"sc{index}": category_id}
    # Run on the connection: the rows are plain rows, without the ORM's loading steps
    session.flush()
    connection = session.connection()
    sizes = [_padded(len(rows)) for rows in (ranges, dated, undated, named)]
    if connection.dialect.name == "postgresql":
        # One array for each column of a list: the statement's text is then one of three
        # whatever the article (dated windows, undated ones, both), with some twenty
        # parameters, which psycopg converts once (not its ≈ 350 values parsed anew)
        values = {"limit": limit, "generic": values["generic"]} | {
            prefix: [values[f"{prefix}{index}"] for index in range(size)]
            for prefixes, size in zip(_LISTS, sizes, strict=True)
            for prefix in prefixes
        }
        sizes = [min(size, 1) for size in sizes]
    query = _window_query(connection.dialect.name, *sizes)
    windows = [numbers[(s.donor_id, s.recipient_id, s.announced, s.source_id)] for s in stated]
    if connection.dialect.name != "postgresql":  # nothing runs beside SQLite's read
        return list(connection.execute(query, values).all()), windows
    # Sent unprepared, so planned with its own arrays at every run (a custom plan): the
    # generic plan psycopg's prepared statement gets after five runs takes each array for
    # 100 rows and hash-joins them (≈ 40 % more of the server's CPU). In the pipeline the
    # statement is on its way before `meanwhile` starts, and its rows are read after it
    # (psycopg imported here, as tracker.db does: a process on SQLite need not load it)
    import psycopg
    from psycopg.rows import namedtuple_row

    driver: Any = connection.connection.driver_connection
    statement = _driver_text(query, connection.dialect)
    # (a libpq older than 14 has no pipeline: the work then waits for the read)
    pipeline = driver.pipeline() if psycopg.Pipeline.is_supported() else nullcontext()
    try:
        with pipeline, driver.cursor(row_factory=namedtuple_row) as cursor:
            cursor.execute(statement, values, prepare=False)
            if meanwhile is not None:
                meanwhile()
            rows = cursor.fetchall()
    except psycopg.Error as error:  # as SQLAlchemy would have raised it
        raise DBAPIError.instance(statement, values, error, psycopg.Error) from error
    return rows, windows


def _driver_text(query: Any, dialect: Dialect) -> str:
    """The statement `query` as the driver takes it (its parameters named in its style),
    compiled once."""
    compiled = _DRIVER_TEXTS.get(query)
    if compiled is None:
        compiled = _DRIVER_TEXTS[query] = query.compile(dialect=dialect).string
    return compiled


_DRIVER_TEXTS: dict[Any, str] = {}
_WINDOW_QUERIES: dict[tuple[str, int, int, int, int], Any] = {}
# The values of each list of the statement, by the prefix of their names
_LISTS = (("gn", "gd", "gr", "ga", "gb", "gs"), ("n", "g", "a", "b"), ("un", "ud", "ur", "us"),
          ("sn", "si", "sc"))  # fmt: skip


def _padded(size: int) -> int:
    """The power of two at or above `size` (0 for 0)."""
    return 0 if size == 0 else 1 << (size - 1).bit_length()


def padded_with(values: list[Any], filler: Any) -> list[Any]:
    """`values` with `filler` added up to the power of two at or above their number."""
    return values + [filler] * (_padded(len(values)) - len(values))


def _window_query(dialect: str, ranges: int, dated: int, undated: int, named: int) -> Any:
    """The statement of `window_candidates` for `ranges` ranges of days, `dated` windows
    with a day, `undated` ones without and `named` (window, item, category) rows, their
    values bound by name. PostgreSQL is told the type of each value in VALUES (it infers
    none from a NULL)."""
    key = (dialect, ranges, dated, undated, named)
    query = _WINDOW_QUERIES.get(key)
    if query is not None:
        return query
    postgres = dialect == "postgresql"
    read_once = " MATERIALIZED" if postgres else ""  # a CTE PostgreSQL must not inline
    # The columns read with the ranges: SQLite reads the index alone, and the table's row
    # only for the rows kept; PostgreSQL visits each pledge's row anyway (the index does
    # not tell it which rows are visible) and takes every column from that visit
    every = [column.name for column in CANDIDATE_COLUMNS] + ["deleted_at", "duplicate_of_id"]
    through = every if postgres else ["id", "item_id", "announced"]

    def listed(table: str) -> str:
        return ", ".join(f"{table}.{name}" for name in through)

    def listed_rows(prefixes: tuple[str, ...], count: int) -> str:
        """The rows of one list: on PostgreSQL one array a column, unnested in their order,
        told their type (it infers none from a NULL); elsewhere `count` rows of VALUES."""
        if postgres:
            arrays = ", ".join(
                f"CAST(:{prefix} AS {'DATE' if prefix[-1] in 'ab' else 'INTEGER'}[])"
                for prefix in prefixes
            )
            return f"SELECT * FROM unnest({arrays})"
        rows = (f"({', '.join(f':{prefix}{i}' for prefix in prefixes)})" for i in range(count))
        return f"VALUES {', '.join(rows)}"

    def pledges(of: str, days: str, limit: str) -> str:
        """The pledges of the donor, recipient, days and not the source of `of`'s rows.
        PostgreSQL cannot estimate the days given as VALUES, and for some thirty windows
        it chose to read the whole table and hash it (≈ 400 ms): a LATERAL subquery with
        its own OFFSET or LIMIT, which it cannot merge into the join, keeps it to one
        index range per row. SQLite always starts from the rows."""
        same = (
            f"p.donor_id = {of}.d AND p.recipient_id = {of}.r{days} AND "
            f"(p.source_id IS NULL OR {of}.s IS NULL OR p.source_id <> {of}.s)"
        )
        if postgres:
            return (
                f"CROSS JOIN LATERAL (SELECT {listed('p')} FROM pledge AS p "
                f"WHERE {same} {limit}) AS p"
            )
        return f"JOIN pledge AS p ON {same}"

    rank = (
        f"SELECT w.n AS n, {listed('p')}, row_number() OVER "
        "(PARTITION BY w.n ORDER BY p.announced DESC, p.id DESC) AS rank"
    )
    parts, tables = [], []
    if dated:
        rows = listed_rows(("gn", "gd", "gr", "ga", "gb", "gs"), ranges)
        tables.append(f"window_range (n, d, r, a, b, s) AS ({rows})")
        rows = listed_rows(("n", "g", "a", "b"), dated)
        tables.append(f"dated_window (n, g, a, b) AS ({rows})")
        # Each range's pledges read first, once (PostgreSQL otherwise read them again for
        # every window of the range), then shared out among its windows
        tables.append(
            f"range_pledge AS{read_once} (SELECT g.n AS g, {listed('p')} "
            f"FROM window_range AS g "
            f"{pledges('g', ' AND p.announced BETWEEN g.a AND g.b', 'OFFSET 0')})"
        )
        parts.append(
            f"{rank} FROM range_pledge AS p JOIN dated_window AS w "
            "ON w.g = p.g AND p.announced BETWEEN w.a AND w.b"
        )
    if undated:
        rows = listed_rows(("un", "ud", "ur", "us"), undated)
        tables.append(f"undated_window (n, d, r, s) AS ({rows})")
        order = "ORDER BY p.announced DESC, p.id DESC LIMIT :limit"
        parts.append(f"{rank} FROM undated_window AS w {pledges('w', '', order)}")
    rows = listed_rows(("sn", "si", "sc"), named)
    tables.append(f"named (n, item_id, category_id) AS ({rows})")
    tables.append(f"ranked AS ({' UNION ALL '.join(parts)})")
    # The kept rows before the table's: PostgreSQL, misjudging how many are kept, read the
    # table's row of every ranked one first
    tables.append(
        f"kept AS{read_once} (SELECT k.*, i.category_id FROM ranked AS k "
        "JOIN item AS i ON i.id = k.item_id WHERE k.rank <= :limit AND EXISTS (SELECT 1 "
        "FROM named WHERE named.n = k.n AND (named.item_id = k.item_id "
        "OR named.category_id = i.category_id OR named.item_id = :generic "
        "OR k.item_id = :generic)))"
    )
    columns = ", ".join(f"{'k' if postgres else 'p'}.{name}" for name in every)
    typed = 0 if postgres else 1  # PostgreSQL's dates travel in arrays, cast in the text
    table = "" if postgres else " JOIN pledge AS p ON p.id = k.id"
    query = _WINDOW_QUERIES[key] = text(
        f"WITH {', '.join(tables)} SELECT k.n AS window_number, {columns}, k.category_id "
        f"FROM kept AS k{table} ORDER BY k.n, k.rank"
    ).bindparams(
        *(bindparam(f"{end}{i}", type_=Date) for end in "ab" for i in range(dated * typed)),
        *(bindparam(f"g{end}{i}", type_=Date) for end in "ab" for i in range(ranges * typed)),
    ).columns(
        window_number=Integer, **{c.name: c.type for c in CANDIDATE_COLUMNS},
        deleted_at=Pledge.deleted_at.type, duplicate_of_id=Integer, category_id=Integer,
    )  # fmt: skip
    return query
