"""Reading the candidates of a table's stated pledges at once, for tracker.services.matching
(an article's few pledges: tracker.services.match_windows).

`related_pairs` handles the thousands of rows of a table. The rows go to a temporary
table and the database joins them with the stored pledges, keeping only pairs of
the same donor, recipient and category within the window whose numbers may agree
(`may_agree`, a looser form of `matching.same_number` that lets through every pair
`same_number` accepts) or whose item is the same. Only those pairs come back to
Python, where the rules of `matching` decide; the pledge table is never read into
memory, however large it is.

How the database pairs them depends on the database. On PostgreSQL every row stands in
the temporary table once for each *day bucket* its window touches (buckets of
2 × days + 1 days counted from 0001-01-01, `day_bucket`; a window touches at most two),
and the bucket of the pledge's day is part of the join's key, so a pledge meets only the
rows of its own weeks, not every row of its donor and category over the years. For a
batch large beside the pledge table (SCAN_FROM_PLEDGES) the query is one hash join of
the pledges with the rows, each pledge's category read from an array indexed by item
id (PG_SCAN_SETTINGS keep the planner from sorting both sides or probing per pledge);
smaller batches are left to the planner. SQLite, given a large batch, reads the pledges
once through their `(donor_id, announced, …)` index, which carries every column the join
tests but the currency (each pledge's item by its primary key, never the pledges of an
item through their index, which would jump about the file), and looks each pledge's
rows up in the temporary table's index, with the file memory-mapped: consecutive
pledges of one donor and nearby days probe the same pages of it. A small batch starts
from the rows, one `(donor_id, announced)` range each.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    Dialect,
    Integer,
    MetaData,
    Numeric,
    Select,
    String,
    Table,
    and_,
    func,
    literal,
    not_,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Grouping
from sqlalchemy.sql.selectable import TextualSelect

from tracker.models import Item, Pledge

if TYPE_CHECKING:
    from tracker.services.matching import Stated

CANDIDATE_COLUMNS = (
    Pledge.id, Pledge.donor_id, Pledge.recipient_id, Pledge.item_id, Pledge.source_id,
    Pledge.announced, Pledge.quantity, Pledge.amount, Pledge.currency, Pledge.eur,
    Pledge.qualifier,
)  # fmt: skip


class Pair(NamedTuple):
    """A stated row (`row`, its index) and a stored pledge paired with it: the pledge's
    CANDIDATE_COLUMNS and its item's category, as `_pairs` selects them. A plain tuple:
    `matching` reads a few of its fields for each of ≈ 190,000 pairs of a 100,000-row
    table, and a field of a named tuple is read in C where a SQLAlchemy `Row` looks
    its key up in Python."""

    row: int
    id: int
    donor_id: int
    recipient_id: int
    item_id: int
    source_id: int | None
    announced: date | None
    quantity: Decimal | None
    amount: Decimal | None
    currency: str | None
    eur: Decimal | None
    qualifier: str
    category_id: int


RANGE_QUALIFIERS = ("at_least", "up_to")  # in this order: see `_may_hold`
# How far a range reaches from its bound: "at least 5,000" holds 5,000 to 10,000, "up to
# €50bn" €25bn to €50bn. A bound is said of a figure near it; "up to €50bn" is no account
# of a promise of €1bn.
RANGE_REACH = 2
# Slack on the SQL side: SQLite holds numbers as binary floats, so the database's test
# lets through a little more than the gaps of `matching`; Python then decides exactly.
FLOAT_SLACK = 1e-6
# Rows per stored pledge above which the table's join reads the whole pledge table
# (one look-up or hash probe per pledge) rather than starting from the rows (one index
# range per row).
SCAN_FROM_PLEDGES = 1 / 64
# PostgreSQL's planner settings for pairing a batch large beside the pledge table
PG_SCAN_SETTINGS = {"enable_mergejoin": "off", "enable_nestloop": "off", "work_mem": "128MB"}
# The highest item id for which PostgreSQL is given the categories as an array
CATEGORY_ARRAY_LIMIT = 100_000
# The index through which SQLite's pairing of a large batch reads the pledges (see
# `_through_pairing_index`)
SQLITE_PAIRING_INDEX = "ix_pledge_donor_id_announced"
# Bytes of the SQLite file mapped into memory while the pairing reads the pledge table.
SQLITE_PAIRING_MMAP = 1 << 32
# KiB of page cache for SQLite's temporary tables while pairing: the rows of the largest
# table an import takes, and their index, stay in memory (the cache grows only as used)
SQLITE_TEMP_CACHE_KIB = 262_144

_metadata = MetaData()
STATED_TABLE = Table(
    "match_stated",
    _metadata,
    Column("row", Integer, nullable=False),
    Column("bucket", Integer),
    Column("donor_id", Integer, nullable=False),
    Column("recipient_id", Integer, nullable=False),
    Column("item_id", Integer, nullable=False),
    Column("category_id", Integer, nullable=False),
    Column("announced", Date),
    Column("earliest", Date),
    Column("latest", Date),
    Column("quantity", Numeric(20, 3)),
    Column("amount", Numeric(20, 2)),
    Column("currency", String(3)),
    Column("eur", Numeric(20, 2)),
    Column("qualifier", String(10), nullable=False),
    Column("source_id", Integer),
    prefixes=["TEMPORARY"],
)


def related_pairs(session: Session, stated: Sequence[Stated], days: int) -> list[Pair]:
    """A `Pair` (its first field `row` the index of the stated pledge) for every
    live, decided pledge stored before, of another source, with the same donor, recipient
    and category, announced within `days` (both undated, for a stated pledge without a
    date), whose item is the same or whose number may agree (see the module's docstring)."""
    connection = session.connection()
    with _temporary_pages_cached(connection):
        STATED_TABLE.drop(connection, checkfirst=True)
        STATED_TABLE.create(connection)
        try:
            scanning = len(stated) >= _pledge_count(session) * SCAN_FROM_PLEDGES
            _fill(session, stated, days, scanning)
            return _pairs(session, scanning, days)
        finally:
            STATED_TABLE.drop(connection)


@contextmanager
def _temporary_pages_cached(connection: Any) -> Iterator[None]:
    """SQLite: a page cache for the temporary tables large enough to hold the rows and
    their index (SQLITE_TEMP_CACHE_KIB), restored after the block. With the default
    (2 MB) the pages of a large batch went to a temporary file and were read back, one
    system call each, for every pledge the join looked up."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = int(connection.exec_driver_sql("PRAGMA temp.cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA temp.cache_size = -{SQLITE_TEMP_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA temp.cache_size = {previous}")


def bucket_days(days: int) -> int:
    """The length of a day bucket: a window of ± `days` spans at most two buckets."""
    return 2 * days + 1


def day_bucket(day: date, days: int) -> int:
    """The bucket of a day: whole bucket lengths since 0001-01-01, as `_pledge_bucket`."""
    return (day.toordinal() - 1) // bucket_days(days)


def _pledge_bucket(days: int) -> ColumnElement[int]:
    """A stored pledge's day bucket, computed by PostgreSQL (days since 0001-01-01, divided)."""
    days_since = type_coerce(Pledge.announced - literal(date(1, 1, 1), Date), Integer)
    return days_since // bucket_days(days)


def _window_buckets(day: date | None, days: int) -> list[int | None]:
    """The buckets that a stated day's window of ± `days` touches ([None] when undated)."""
    if day is None:
        return [None]
    window = timedelta(days=days)
    return list(range(day_bucket(day - window, days), day_bucket(day + window, days) + 1))


def _fill(session: Session, stated: Sequence[Stated], days: int, scanning: bool) -> None:
    """The stated pledges into the temporary table, handed to the driver whole: one COPY
    of text made here on PostgreSQL (a line for each bucket its window touches), one
    executemany of bound tuples elsewhere (a row each, no bucket). The table is indexed
    by its join key unless PostgreSQL pairs it by one hash join (`scanning`), which
    never reads that index (building it cost ≈ 0.5 s at 100,000 rows)."""
    window = timedelta(days=days)
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    # Dates as ISO text and numbers as decimal text: as SQLAlchemy binds them for SQLite,
    # and as COPY reads them; each distinct day is written once (a table repeats days)
    day_texts: dict[date | None, tuple[str | None, str | None, str | None]] = {
        day: (_iso_day(day), _iso_day(day - window), _iso_day(day + window))
        for day in {s.announced for s in stated} if day is not None
    }  # fmt: skip
    day_texts[None] = (None, None, None)
    days_text = [day_texts[s.announced] for s in stated]
    rest = [
        (
            s.donor_id, s.recipient_id, s.item_id, s.category_id, *dates,
            _decimal_text(s.figures.quantity), _decimal_text(s.figures.amount),
            s.figures.currency, _decimal_text(s.figures.eur), s.figures.qualifier, s.source_id,
        )
        for s, dates in zip(stated, days_text, strict=True)
    ]  # fmt: skip
    names = ", ".join(column.name for column in STATED_TABLE.c)
    if postgres:
        # Every value is a number, an ISO day or a currency or qualifier code: nothing to
        # escape in COPY's text format. The buckets of each distinct day are found once.
        buckets = {
            day: [_COPY_NULL if b is None else str(b) for b in _window_buckets(day, days)]
            for day in day_texts
        }
        lines = [
            f"{index}\t{bucket}\t{line}\n"
            for index, (s, line) in enumerate(zip(stated, map(_copy_line, rest), strict=True))
            for bucket in buckets[s.announced]
        ]
        driver: Any = connection.connection.driver_connection
        statement = f"COPY match_stated ({names}) FROM STDIN"
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for start in range(0, len(lines), COPY_LINES):
                copy.write("".join(lines[start : start + COPY_LINES]))
    else:
        marks = ", ".join("?" for _ in STATED_TABLE.c)
        rows = [(index, None, *values) for index, values in enumerate(rest)]
        connection.exec_driver_sql(f"INSERT INTO match_stated ({names}) VALUES ({marks})", rows)
    keys = STATED_TABLE.c
    if not (postgres and scanning):
        connection.exec_driver_sql(
            f"CREATE INDEX match_stated_key ON match_stated ({keys.donor_id.name}, "
            f"{keys.recipient_id.name}, {keys.category_id.name}, {keys.earliest.name})"
        )
    if postgres:
        connection.exec_driver_sql("ANALYZE match_stated")


_COPY_NULL = "\\N"
# Lines of the temporary table's COPY sent in one write
COPY_LINES = 10_000


def _copy_line(values: tuple[Any, ...]) -> str:
    """Values (numbers, or text that needs no escaping) as one line of COPY text, without
    its end."""
    return "\t".join(_COPY_NULL if value is None else str(value) for value in values)


def _iso_day(day: date | None) -> str | None:
    """A day as SQLite stores it."""
    return None if day is None else day.isoformat()


def _decimal_text(number: Decimal | None) -> str | None:
    """A number as SQLite is given it."""
    return None if number is None else str(number)


def _pairs(session: Session, scanning: bool, days: int) -> list[Pair]:
    """The join of the temporary table with the pledges (see `related_pairs`)."""
    s = STATED_TABLE.c
    dialect = session.get_bind().dialect.name
    donor: Any = Pledge.donor_id
    item: Any = Pledge.item_id
    category: Any = Item.category_id
    if dialect == "sqlite" and scanning:
        # Start from the pledges and look each one's rows up by the temporary index (the
        # rows whose window holds its day start at most 2 × days earlier); `+ 0` keeps
        # SQLite from starting with the rows, one (donor_id, announced) range each, and
        # from reaching the pledges through their item index; the dated pairs read them
        # in (donor, day) order through SQLITE_PAIRING_INDEX (`_through_pairing_index`).
        donor, item = Pledge.donor_id + 0, Pledge.item_id + 0
        scan = s.earliest >= func.date(Pledge.announced, f"-{2 * days} days")
    elif dialect == "postgresql":
        scan = s.bucket == _pledge_bucket(days)
        by_item = _category_by_item(session) if scanning else None
        if by_item is not None:  # the category is a hash key, so it is read without a join
            category = by_item[Pledge.item_id]
    else:
        scan = literal(True)
    same = and_(
        donor == s.donor_id,
        Pledge.recipient_id == s.recipient_id,
        category == s.category_id,
        Pledge.deleted_at.is_(None),
        Pledge.duplicate_of_id.is_(None),
        or_(Pledge.source_id.is_(None), s.source_id.is_(None), Pledge.source_id != s.source_id),
        or_(Pledge.item_id == s.item_id, may_agree(s, exact=dialect == "postgresql")),
    )
    dated = and_(Pledge.announced >= s.earliest, Pledge.announced <= s.latest, scan)
    columns = (s.row, *CANDIDATE_COLUMNS, category.label("category_id"))
    found: list[Pair] = []
    with _planned(session, scanning):
        for condition in (dated, and_(Pledge.announced.is_(None), s.announced.is_(None))):
            query = select(*columns).select_from(Pledge)
            if category is Item.category_id:
                query = query.join(Item, Item.id == item)
            query = query.join(STATED_TABLE, and_(same, condition))
            statement: Any = query
            if dialect == "sqlite" and scanning and condition is dated:
                statement = _through_pairing_index(query, session.get_bind().dialect)
            # On the connection, not the session: plain rows, no ORM loading step; fetched
            # all at once (iterating the result fetched a row per call, ≈ 1 s per 200,000)
            found.extend(map(Pair._make, session.connection().execute(statement).all()))
    return found


def _through_pairing_index(query: Select[Any], dialect: Dialect) -> TextualSelect:
    """The SQLite pairing query with the pledges read through SQLITE_PAIRING_INDEX
    (`INDEXED BY`, which SQLAlchemy does not write for SQLite), its columns typed as the
    query's. The index holds every pledge column the join tests but the currency, in
    (donor, day) order: the temporary table's index is probed by consecutive pledges of
    one donor and nearby days, and the currency is read from the table only for the
    amounts the join compares and the pairs it keeps. Its text holds only the query's
    constants (no value from a table's cells), written in by `literal_binds`."""
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    plain = f"\nFROM {Pledge.__tablename__} "
    if sql.count(plain) != 1:
        raise RuntimeError(f"the pairing query reads {Pledge.__tablename__} otherwise: {sql}")
    indexed = sql.replace(plain, f"{plain}INDEXED BY {SQLITE_PAIRING_INDEX} ")
    return text(indexed).columns(*query.selected_columns)


def _category_by_item(session: Session) -> Any:
    """The catalogue's item categories as a PostgreSQL integer array indexed by item id
    (NULL where no item has that id), for `array[pledge.item_id]`; None when the ids are
    too sparse for an array (the query then joins the item table)."""
    categories = {row[0]: row[1] for row in session.execute(select(Item.id, Item.category_id))}
    highest = max(categories, default=0)
    if highest > CATEGORY_ARRAY_LIMIT:
        return None
    values = [categories.get(item_id) for item_id in range(1, highest + 1)]
    return Grouping(literal(values, postgresql.ARRAY(Integer)))


@contextmanager
def _planned(session: Session, scanning: bool) -> Iterator[None]:
    """The database's settings for the pairing, restored after the block.

    PostgreSQL: JIT off (it spent longer compiling the join's filter, ≈ 1.7 s at 100,000
    rows, than running it); for a batch large beside the pledge table, one hash join
    of the pledges with the rows (PG_SCAN_SETTINGS: its planner otherwise sorted both
    sides for a merge join, or looked the rows up once per pledge). SQLite, when it reads
    the whole pledge table: the file memory-mapped, so its pages are read without a
    system call each.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        settings = {"jit": "off"} | (PG_SCAN_SETTINGS if scanning else {})
        show = text("SELECT current_setting(:name)")
        previous = {
            name: connection.execute(show, {"name": name}).scalar_one() for name in settings
        }
        change = text("SELECT set_config(:name, :value, true)")
        for name, value in settings.items():
            connection.execute(change, {"name": name, "value": value})
        try:
            yield
        finally:
            for name, value in previous.items():
                connection.execute(change, {"name": name, "value": value})
        return
    if not scanning:
        yield
        return
    mmap = int(connection.exec_driver_sql("PRAGMA mmap_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA mmap_size = {SQLITE_PAIRING_MMAP}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA mmap_size = {mmap}")


def _pledge_count(session: Session) -> int:
    """About how many pledges are stored: the highest id, read from the primary key."""
    return int(session.scalar(select(func.max(Pledge.id))) or 0)


def may_agree(s: Any, exact: bool = False) -> ColumnElement[bool]:
    """Whether a stored pledge and a stated one (columns `s`) may state the same number:
    true for every pair `matching.same_number` accepts, and for a few more, which Python
    then turns away. The rules of `matching.same_number` and `_agree`: where the
    qualifiers differ, one's range ("at_least", "up_to") holding the other's figure, or
    the figures near each other (`_near`). A range's bounds are tested with FLOAT_SLACK
    unless the database's numbers are `exact` (PostgreSQL's numeric, where the slack's
    arithmetic cost more server time than the test).

    A condition of ANDs and ORs (not a CASE), which the database stops evaluating once
    its answer is known, each currency test after the figures' (SQLite reads the
    currency from the pledge's row, every other column here from its index, so only
    the pairs whose figures may agree cost a read of the row)."""
    p = Pledge

    def agree(a: Any, b: Any, gap: float) -> Any:
        return _may_agree_on(a, p.qualifier, b, s.qualifier, gap, None if exact else _slack(a, b))

    unknown = or_(p.qualifier == "unknown", s.qualifier == "unknown")
    quantities = and_(p.quantity.is_not(None), s.quantity.is_not(None))
    amounts = and_(not_(quantities), p.amount.is_not(None), s.amount.is_not(None))
    return or_(
        and_(unknown, p.qualifier == s.qualifier),
        and_(
            not_(unknown),
            or_(
                and_(quantities,
                     agree(p.quantity, s.quantity, 0.0)),
                and_(amounts,
                     agree(p.amount, s.amount, 0.005),
                     p.currency.is_not_distinct_from(s.currency)),
                and_(amounts, p.eur.is_not(None), s.eur.is_not(None),
                     agree(p.eur, s.eur, 0.01),
                     p.currency.is_distinct_from(s.currency)),
            ),
        ),
    )  # fmt: skip


def _may_agree_on(
    a: Any, a_qualifier: Any, b: Any, b_qualifier: Any, gap: float, slack: Any
) -> Any:
    """`matching._agree` of two figures: where the qualifiers differ, either's range
    holding the other's figure (`_may_hold`, with `slack` unless None), or the figures
    near each other (`_near`). The qualifiers are compared first: most pairs are of two
    points, and the range tests are then never computed."""
    return or_(
        and_(
            a_qualifier != b_qualifier,
            or_(_may_hold(a_qualifier, a, b, slack), _may_hold(b_qualifier, b, a, slack)),
        ),
        _near(a, b, gap),
    )


def _may_hold(qualifier: Any, bound: Any, point: Any, slack: Any) -> Any:
    """`matching._contains`, with `slack` (None: none): "at_least" `bound` holds a `point`
    from it to RANGE_REACH times it, "up_to" one from its RANGE_REACH-th part to it."""
    if slack is None:
        slack = 0
    above, below = point >= bound - slack, point <= bound + slack
    return or_(
        and_(qualifier == RANGE_QUALIFIERS[0], above, point <= bound * RANGE_REACH + slack),
        and_(qualifier == RANGE_QUALIFIERS[1], below, point * RANGE_REACH >= bound - slack),
    )


def _slack(a: Any, b: Any) -> Any:
    """The slack of a test of `a` beside `b`: FLOAT_SLACK of their sizes, and of 1."""
    return (func.abs(a) + func.abs(b)) * FLOAT_SLACK + FLOAT_SLACK


def _near(a: Any, b: Any, gap: float) -> ColumnElement[bool]:
    """|a - b| at most `gap` (plus slack) of the sum of their sizes: looser than `gap` of
    the larger one, as `may_agree` needs."""
    size = func.abs(a) + func.abs(b)
    return func.abs(a - b) <= size * (gap + FLOAT_SLACK) + FLOAT_SLACK


__all__ = ["CANDIDATE_COLUMNS", "Pair", "related_pairs"]
