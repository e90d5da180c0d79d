"""Keeping the totals rollup in step with the pledge table.

Each live pledge contributes to thirteen rollup rows, twelve without a currency (see
tracker.models.totals). A write computes the old and new contributions of the pledge,
nets them into a delta and applies the delta with INSERT .. ON CONFLICT DO UPDATE in
the same transaction, in sorted key order so that concurrent writers on PostgreSQL
lock rows in one order.
The measures are declared once (tracker.models.totals.MEASURES); from that declaration
come the per-pledge values here and the SQL aggregates (for `rebuild_totals`, the
table imports' `add_totals_of_new` and the totals queries that must read the pledge
table itself). A pledge counts while it is live and not awaiting a
decision on a possible duplicate (`counted`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Dialect,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Item, Pledge, TotalsRollup
from tracker.models.totals import MEASURE_NAMES, MEASURES, Measure

RollupKey = tuple[str, int, str, str, str, int, bool]
# The kind, stage, recipient and reviewed of a donor × item row: it sums over them.
DONOR_ITEM_COMMON: tuple[str, str, int, bool] = ("", "", 0, False)
"""(dimension, key_id, key, kind, stage, recipient_id, reviewed)"""

KEY_COLUMNS = ("dimension", "key_id", "key", "kind", "stage", "recipient_id", "reviewed")
# The dimensions whose key_id is always 0 (keyed by `key` alone, or by nothing).
WITHOUT_KEY_ID = frozenset({"all", "month", "currency"})


class Measures:
    """What a set of pledges adds to a rollup row: one whole number per measure of
    MEASURES, read by name (`m.eur_cents`)."""

    __slots__ = ("_values",)

    def __init__(self, *values: int, **named: int) -> None:
        """Measures in MEASURE_NAMES order, or by name; the rest are 0."""
        numbers = [int(v) for v in values] + [0] * (len(MEASURE_NAMES) - len(values))
        for name, value in named.items():
            numbers[MEASURE_INDEX[name]] = int(value)
        self._values = numbers

    @classmethod
    def of_list(cls, values: list[int]) -> Measures:
        """Measures from a list of whole numbers in MEASURE_NAMES order, every one given:
        taken as it is, for the many keys of a bulk write (no checks, no copy)."""
        measures = cls.__new__(cls)
        measures._values = values
        return measures

    def __getattr__(self, name: str) -> int:
        """The measure called `name`."""
        try:
            return self._values[MEASURE_INDEX[name]]
        except KeyError:
            raise AttributeError(name) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Measures) and self._values == other._values

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v}" for n, v in zip(MEASURE_NAMES, self._values, strict=True))
        return f"Measures({shown})"

    def add(self, other: Measures, sign: int = 1) -> None:
        """Add `other` (times `sign`) into these measures."""
        theirs = other._values
        self._values = [mine + sign * v for mine, v in zip(self._values, theirs, strict=True)]

    def values(self) -> tuple[int, ...]:
        """The measures in MEASURE_NAMES order."""
        return tuple(self._values)

    def is_zero(self) -> bool:
        """True when adding these measures changes nothing."""
        return not any(self._values)


MEASURE_INDEX = {name: i for i, name in enumerate(MEASURE_NAMES)}
TotalsDelta = dict[RollupKey, Measures]
MEASURE_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "is": operator.is_, "is not": operator.is_not, "==": operator.eq, "!=": operator.ne,
}  # fmt: skip


def _scaled(value: Decimal | None, places: int) -> int:
    """`value` in whole hundredths or thousandths (0 for None), rounded half-even."""
    return 0 if value is None else int(value.scaleb(places).to_integral_value())


def measure_value(measure: Measure, value_of: Callable[[str], Any]) -> int:
    """What one pledge (its columns read by `value_of`) adds to `measure`."""
    for column, test, expected in measure.when:
        if not MEASURE_TESTS[test](value_of(column), expected):
            return 0
    if measure.column is None:
        return 1
    value = value_of(measure.column)
    if (
        value is None
        and measure.otherwise is not None
        and all(MEASURE_TESTS[test](value_of(c), e) for c, test, e in measure.otherwise_when)
    ):
        value = value_of(measure.otherwise)
    return _scaled(value, measure.places)


def month_key(pledge: Pledge) -> str:
    """The rollup month of a pledge: "YYYY-MM" of its announcement, "" when undated."""
    day = pledge.announced
    return "" if day is None else f"{day.year:04d}-{day.month:02d}"


def counted(pledge: Pledge) -> bool:
    """Whether a pledge counts in the totals: live, and not awaiting a duplicate decision."""
    return pledge.deleted_at is None and pledge.duplicate_of_id is None


def pledge_measures(pledge: Pledge) -> Measures:
    """What one pledge adds to each row it counts in."""
    return Measures(*(measure_value(m, partial(getattr, pledge)) for m in MEASURES))


def pledge_keys(pledge: Pledge, category_id: int) -> list[RollupKey]:
    """The rollup rows a live pledge counts in."""
    common = (pledge.kind, pledge.stage, pledge.recipient_id, bool(pledge.reviewed))
    keys: list[RollupKey] = [
        ("all", 0, "", *common),
        ("donor", pledge.donor_id, "", *common),
        ("item", pledge.item_id, "", *common),
        ("category", category_id, "", *common),
        ("month", 0, month_key(pledge), *common),
    ]
    if pledge.currency is not None:
        keys.append(("currency", 0, pledge.currency, *common))
    of: dict[str, Any] = {"donor": pledge.donor_id, "item": pledge.item_id,
                          "month": month_key(pledge)}  # fmt: skip
    for dimension, (by_id, by_key, _keeps) in PARTLY_CROSSED.items():
        common_of = partly_crossed_common(dimension, pledge.kind, pledge.stage)
        keys.append((dimension, of[by_id], "" if by_key is None else str(of[by_key]), *common_of))
    return keys


# The dimensions summed over some or all of kind, stage, recipient and reviewed: what
# their key_id and key hold ("donor", "item" as text, or "month"; None: key holds ""), and
# what each keeps of
# a pledge's kind and stage ("kind": its kind; "stage": its stage; "cancelled": CANCELLED
# for a cancelled pledge and "" for any other stage). What is not kept holds its empty
# value (DONOR_ITEM_COMMON); recipient and reviewed are never kept.
PARTLY_CROSSED: dict[str, tuple[str, str | None, frozenset[str]]] = {
    "donor_item": ("donor", "item", frozenset()),
    "donor_month": ("donor", "month", frozenset()),
    "item_month": ("item", "month", frozenset({"kind"})),
    "donor_month_kind": ("donor", "month", frozenset({"kind", "cancelled"})),
    "donor_kind": ("donor", None, frozenset({"kind", "cancelled"})),
    "donoritem_ks": ("donor", "item", frozenset({"kind", "stage"})),
    "donormon_ks": ("donor", "month", frozenset({"kind", "stage"})),
}
CANCELLED = "cancelled"


def keeps_cancelled_apart(dimension: str) -> bool:
    """Whether `dimension`'s stage is CANCELLED for cancelled pledges and "" for every
    other stage (a dimension of PARTLY_CROSSED that keeps the cancelled ones apart)."""
    keeps = PARTLY_CROSSED.get(dimension, ("", None, frozenset()))[2]
    return "cancelled" in keeps and "stage" not in keeps


def partly_crossed_common(dimension: str, kind: str, stage: str) -> tuple[str, str, int, bool]:
    """The kind, stage, recipient and reviewed of a pledge's row in a dimension of
    PARTLY_CROSSED."""
    keeps = PARTLY_CROSSED[dimension][2]
    empty_kind, empty_stage, recipient_id, reviewed = DONOR_ITEM_COMMON
    if "stage" not in keeps:
        apart = "cancelled" in keeps and stage == CANCELLED
        stage = CANCELLED if apart else empty_stage
    return (kind if "kind" in keeps else empty_kind, stage, recipient_id, reviewed)


def add_contribution(session: Session, delta: TotalsDelta, pledge: Pledge, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) what `pledge` counts for; deleted ones count nil.

    The item's category is read from the database, not from the session's copy of the
    item: a writer that waited on the data version's lock while an admin moved the item
    (see `move_item_totals`) must count the pledge where the item is now.
    """
    if not counted(pledge):
        return
    category_id = session.scalar(select(Item.category_id).where(Item.id == pledge.item_id))
    if category_id is None:
        raise LookupError(f"item {pledge.item_id} of pledge {pledge.id} does not exist")
    measures = pledge_measures(pledge)
    for key in pledge_keys(pledge, category_id):
        delta.setdefault(key, Measures()).add(measures, sign)


def add_contributions(
    session: Session, delta: TotalsDelta, pledges: Iterable[Pledge], sign: int
) -> None:
    """`add_contribution` for many pledges, their items' categories read in one query."""
    live = [pledge for pledge in pledges if counted(pledge)]
    item_ids = sorted({pledge.item_id for pledge in live})
    query = select(Item.id, Item.category_id).where(Item.id.in_(item_ids))
    categories: dict[int, int] = dict(session.execute(query).all()) if item_ids else {}
    for pledge in live:
        if pledge.item_id not in categories:
            raise LookupError(f"item {pledge.item_id} of pledge {pledge.id} does not exist")
        measures = pledge_measures(pledge)
        for key in pledge_keys(pledge, categories[pledge.item_id]):
            delta.setdefault(key, Measures()).add(measures, sign)


def apply_totals_delta(
    session: Session,
    delta: Mapping[RollupKey, Measures],
    send: Callable[[str, dict[str, Any]], None] | None = None,
) -> None:
    """Add `delta` to the rollup with one upsert, keys in sorted order; on PostgreSQL,
    given `send`, the upsert (the driver's text and parameters) is handed to it to run.

    Keys whose measures are all zero are skipped. On PostgreSQL the rows travel as
    one array per column and are unnested by the server in that order, one
    statement whatever the size of the delta (a table import's is 170,000 keys);
    each array goes as one text parameter written here (`_array_text`), not as a
    list the driver adapts element by element. Elsewhere the upsert is one
    executemany, handed to the driver as tuples.
    """
    rows = [(*key, *m.values()) for key, m in sorted(delta.items()) if not m.is_zero()]
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        columns = dict(zip(ROLLUP_COLUMNS, map(_array_text, zip(*rows, strict=True)), strict=True))
        if send is not None:
            send(_driver_upsert_sql(dialect), columns)
            return
        session.execute(text(_upsert_sql(dialect)), columns)
    else:
        session.flush()  # as session.execute would: the upsert goes to the driver directly
        session.connection().exec_driver_sql(_upsert_sql(dialect), rows)


ROLLUP_COLUMNS = (*KEY_COLUMNS, *MEASURE_NAMES)


def _array_text(values: tuple[Any, ...]) -> str:
    """A column of rollup rows (whole numbers, booleans or texts, never None) as the text
    of a PostgreSQL array, which the upsert casts to the column's array type. Texts are
    quoted with backslash and double quote escaped; numbers and booleans need neither.
    psycopg adapting the list itself ran a regular expression over every element: 3.8
    million for an import's 170,000 keys, most of the upsert's client time."""
    sample = values[0]
    if isinstance(sample, str):
        quoted = {v: '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in set(values)}
        return "{" + ",".join(map(quoted.__getitem__, values)) + "}"
    if isinstance(sample, bool):
        return "{" + ",".join("t" if v else "f" for v in values) + "}"
    return "{" + ",".join(map(str, values)) + "}"


@cache
def _driver_upsert_sql(dialect: Dialect) -> str:
    """`_upsert_sql` as the driver takes it (its parameters in the driver's style)."""
    return text(_upsert_sql(dialect)).compile(dialect=dialect).string


def _upsert_sql(dialect: Dialect) -> str:
    """INSERT .. ON CONFLICT DO UPDATE adding the measures of each row to its rollup row."""
    table: Any = TotalsRollup.__table__
    names = ", ".join(f'"{name}"' for name in ROLLUP_COLUMNS)
    keys = ", ".join(f'"{name}"' for name in KEY_COLUMNS)
    sums = ", ".join(f'"{n}" = totals_rollup."{n}" + excluded."{n}"' for n in MEASURE_NAMES)
    upsert = f"ON CONFLICT ({keys}) DO UPDATE SET {sums}"
    if dialect.name == "postgresql":
        arrays = ", ".join(
            f"CAST(:{name} AS {table.c[name].type.compile(dialect=dialect)}[])"
            for name in ROLLUP_COLUMNS
        )
        return f"INSERT INTO totals_rollup ({names}) SELECT * FROM unnest({arrays}) {upsert}"
    marks = ", ".join("?" for _name in ROLLUP_COLUMNS)
    return f"INSERT INTO totals_rollup ({names}) VALUES ({marks}) {upsert}"


def move_item_totals(
    session: Session, item_id: int, old_category_id: int, new_category_id: int
) -> None:
    """Move what the item's live pledges count for from one category's rows to another's.

    Call after the item's new category is flushed: that flush takes the data version's
    row lock, which every pledge writer takes before it reads an item's category, so
    the sum below sees every pledge counted under the old category and none that
    will be counted under the new one. Only the "category" dimension keys on the
    category; the item's pledges are summed by the same SQL as `rebuild_totals`.
    """
    common = (Pledge.kind, Pledge.stage, Pledge.recipient_id, Pledge.reviewed)
    sums = session.execute(
        select(*common, *measure_columns())
        .where(Pledge.item_id == item_id, *counted_conditions())
        .group_by(*common)
    )
    delta: TotalsDelta = {}
    for kind, stage, recipient_id, reviewed, *values in sums:
        measures = Measures(*(int(v) for v in values))
        for category_id, sign in ((old_category_id, -1), (new_category_id, 1)):
            key = ("category", category_id, "", kind, stage, recipient_id, bool(reviewed))
            delta.setdefault(key, Measures()).add(measures, sign)
    apply_totals_delta(session, delta)


# --- the same measures in SQL ------------------------------------------------


def _scaled_sql(column: Any, factor: int) -> ColumnElement[Any]:
    """A Numeric column as whole cents or thousandths, exact on SQLite's floats as well."""
    return cast(func.round(column * factor), BigInteger)


def _term_sql(column: str, test: str, expected: Any, source: Any = Pledge) -> ColumnElement[bool]:
    """One test of a measure's condition over Pledge (or `source`), in SQL."""
    attribute = getattr(source, column)
    if test == "is":
        return attribute.is_(expected)
    if test == "is not":
        return attribute.is_not(expected)
    return attribute == expected if test == "==" else attribute != expected


def measure_sql(
    measure: Measure, source: Any = Pledge, *, scaled: bool = True
) -> ColumnElement[Any]:
    """The aggregate over Pledge rows that computes one measure, labelled by its name;
    `source` names another table whose columns are the pledge's (a common table's `.c`).
    Not `scaled`, the rows' Numeric columns are summed as they are and the sum scaled
    (`scaled_sum_sql`; for `scales_per_group`)."""
    if measure.column is None and not measure.when:
        return func.count().label(measure.name)
    if not scaled:
        total = scaled_sum_sql(measure, pledge_value_sql(measure, source, scaled=False))
        return func.coalesce(total, 0).label(measure.name)
    return func.coalesce(func.sum(pledge_value_sql(measure, source)), 0).label(measure.name)


def scales_per_group(dialect: str) -> bool:
    """Whether a read of pledges on the database named `dialect` sums their Numeric
    columns as they are and scales each group's sum (`scaled_sum_sql`), instead of
    scaling and rounding each pledge's: on PostgreSQL, whose decimals are exact and where
    a product, a rounding and a cast per pledge and measure cost more than the sum (the
    dated dashboard's 13,249 partial-month pledges at a million: the server's time of
    their read 48-54 -> 42-48 ms); not on SQLite, whose REAL columns are rounded one by
    one. The writes' rebuild keeps the per-pledge form on both."""
    return dialect == "postgresql"


def pledge_value_sql(
    measure: Measure, source: Any = Pledge, *, scaled: bool = True
) -> ColumnElement[Any]:
    """What one Pledge row (of `source`, as in `measure_sql`) adds to `measure`, in SQL:
    `measure_value` per row, which `measure_sql` sums. Not `scaled`, a sum's value is its
    Numeric column as it is (PostgreSQL sums those exactly: the sum times
    10**`measure.places` is then the sum of the scaled values, since every value has at
    most that many decimals; `scaled_sum_sql`)."""
    value: Any = 1

    def of(column: str) -> Any:
        attribute = getattr(source, column)
        return _scaled_sql(attribute, 10**measure.places) if scaled else attribute

    if measure.column is not None:
        value = of(measure.column)
    if measure.otherwise is not None:
        fallback = of(measure.otherwise)
        condition = and_(*(_term_sql(*term, source) for term in measure.otherwise_when))
        value = func.coalesce(value, case((condition, fallback), else_=None))
    if measure.when:
        value = case((and_(*(_term_sql(*term, source) for term in measure.when)), value), else_=0)
    return literal(value) if isinstance(value, int) else value


def scaled_sum_sql(measure: Measure, values: Any) -> ColumnElement[Any]:
    """The sum of `values`, a measure's unscaled values (`pledge_value_sql` with `scaled`
    False), as whole hundredths or thousandths: BIGINT, NULL for no value."""
    total: Any = func.sum(values)
    if measure.column is not None and measure.places:
        total = total * literal_column(str(10**measure.places))
    return cast(total, BigInteger)


@cache
def measure_columns(
    wanted: frozenset[str] | None = None, dialect: str = ""
) -> tuple[ColumnElement[Any], ...]:
    """Aggregates over Pledge rows that compute `Measures`, labelled by field name (built
    once: SQL expressions are immutable, and building them took a third of a filtered
    query's Python time). With `wanted`, the measures not in it read 0 instead of being
    computed for every row; `dialect`: the database's, for `scales_per_group` (none:
    every pledge's values scaled)."""
    scaled = not scales_per_group(dialect)
    return tuple(
        measure_sql(measure, scaled=scaled)
        if wanted is None or measure.name in wanted
        else literal(0, BigInteger).label(measure.name)
        for measure in MEASURES
    )


def counted_conditions() -> list[ColumnElement[bool]]:
    """`counted` in SQL: the pledges the totals count."""
    return [Pledge.deleted_at.is_(None), Pledge.duplicate_of_id.is_(None)]


def month_sql(session: Session) -> ColumnElement[str]:
    """ "YYYY-MM" of Pledge.announced, "" when undated; constants inlined so GROUP BY matches."""
    return dialect_month_sql(session.get_bind().dialect.name)


def dialect_month_sql(dialect: str) -> ColumnElement[str]:
    """`month_sql` for the database named `dialect` ("postgresql", "sqlite")."""
    if dialect == "postgresql":
        month = func.to_char(Pledge.announced, literal_column("'YYYY-MM'"))
    else:
        month = func.strftime(literal_column("'%Y-%m'"), Pledge.announced)
    return func.coalesce(month, literal_column("''"))


@dataclass(frozen=True)
class _Counted:
    """What the rebuild's queries read: the pledge columns a dimension keys on (`of`:
    donor_id, item_id, category_id, month, currency, kind, stage, recipient_id,
    reviewed), the measures' aggregates, and the rows they come from: the counted
    pledges (`counted_pledges`), with their items where the category is read (`rows`)
    or alone (`bare_rows`), or a table of their values (`add_totals_of_new`)."""

    of: Mapping[str, Any]
    measures: tuple[ColumnElement[Any], ...]
    rows: Any
    bare_rows: Any
    where: tuple[ColumnElement[bool], ...]


def counted_pledges(session: Session) -> _Counted:
    """The rebuild's source: every counted pledge, its category from its item."""
    return _Counted(
        {column.key: column for column in _KEYED_ON} | {"month": month_sql(session)},
        measure_columns(),
        Pledge.__table__.join(Item.__table__, Item.id == Pledge.item_id),
        Pledge.__table__,
        tuple(counted_conditions()),
    )


def _partly_crossed_select(dimension: str, source: _Counted) -> Any:
    """The rows of a rebuild of one dimension of PARTLY_CROSSED, grouped by its keys and
    by what it keeps of kind and stage."""
    by_id, by_key, keeps = PARTLY_CROSSED[dimension]
    of = source.of
    columns: dict[str, Any] = {"donor": of["donor_id"], "item": of["item_id"], "month": of["month"]}
    key_id = columns[by_id]
    by: list[Any] = [] if by_key is None else [columns[by_key]]
    key = literal("", String) if by_key is None else columns[by_key]
    if by_key == "item":
        key = cast(key, String)
    kind, stage, recipient_id, reviewed = DONOR_ITEM_COMMON
    kind_sql: Any = literal(kind, String)
    stage_sql: Any = literal(stage, String)
    kept: list[Any] = []
    if "kind" in keeps:
        kind_sql = of["kind"]
        kept.append(kind_sql)
    if "stage" in keeps:
        stage_sql = of["stage"]
        kept.append(stage_sql)
    elif "cancelled" in keeps:
        cancelled = of["stage"] == literal_column(f"'{CANCELLED}'")
        stage_sql = case((cancelled, literal_column(f"'{CANCELLED}'")), else_=literal_column("''"))
        kept.append(stage_sql)
    return (
        select(
            literal(dimension, String), key_id, key, kind_sql, stage_sql,
            literal(recipient_id, Integer), literal(reviewed), *source.measures,
        )
        .select_from(source.bare_rows)
        .where(*source.where)
        .group_by(key_id, *by, *kept)
    )  # fmt: skip


_COMMON = (Pledge.kind, Pledge.stage, Pledge.recipient_id, Pledge.reviewed)
# The columns of a counted pledge (and of its item) the rollup's dimensions key on, besides
# its month (`month_sql`): `counted_pledges` reads them, `add_totals_of_new` copies them
_KEYED_ON = (Pledge.donor_id, Pledge.item_id, Item.category_id, Pledge.currency, *_COMMON)


def _rebuild_selects(session: Session, source: _Counted | None = None) -> Iterable[tuple[str, Any]]:
    """(dimension, its INSERT .. SELECT source, columns in rollup order) per dimension,
    over the counted pledges or `source`."""
    source = source or counted_pledges(session)
    of = source.of
    common = tuple(of[column.key] for column in _COMMON)
    zero, empty = literal(0, Integer), literal("", String)
    dims: list[tuple[str, Any, Any, Any]] = [
        ("all", zero, empty, None),
        ("donor", of["donor_id"], empty, None),
        ("item", of["item_id"], empty, None),
        ("category", of["category_id"], empty, None),
        ("month", zero, of["month"], None),
        ("currency", zero, of["currency"], of["currency"].is_not(None)),
    ]
    for dimension, key_id, key, condition in dims:
        keys = [c for c in (key_id, key) if c is not zero and c is not empty]
        query = (
            select(literal(dimension, String), key_id, key, *common, *source.measures)
            .select_from(source.rows)
            .where(*source.where)
            .group_by(*keys, *common)
        )
        if condition is not None:
            query = query.where(condition)
        yield dimension, query
    for dimension in PARTLY_CROSSED:
        yield dimension, _partly_crossed_select(dimension, source)


def rebuild_totals(session: Session, dimensions: Collection[str] | None = None) -> None:
    """Recompute the whole rollup from the pledge table (after bulk loads or repairs).

    `dimensions` limits the rows written to those dimensions (a migration passes the
    ones its schema allows); every dimension by default."""
    session.flush()
    session.execute(delete(TotalsRollup))
    table: Any = TotalsRollup.__table__
    for dimension, query in _rebuild_selects(session):
        if dimensions is None or dimension in dimensions:
            session.execute(table.insert().from_select([*KEY_COLUMNS, *MEASURE_NAMES], query))


def add_totals_of_new(session: Session, after_id: int) -> None:
    """Add what the pledges with ids above `after_id` count for to the rollup.

    For a bulk insert that has just written those pledges in this transaction, holding
    the data version's lock (so no other writer adds pledges meanwhile). What each new
    pledge adds to each measure (`pledge_value_sql`) and the columns the dimensions key
    on are written once into a temporary table (`NEW_VALUES`); the rebuild's own
    queries (`_rebuild_selects`) then sum that table, each an INSERT .. SELECT whose
    sums are added to the rows already there, one statement per dimension. The
    database sums the new rows by the rebuild's rule, so no delta is made in Python,
    and the measures' expressions run once per pledge, not once per dimension."""
    session.flush()
    connection = session.connection()
    pledges = counted_pledges(session)
    values = select(
        *(pledges.of[name].label(name) for name in NEW_KEYS),
        *(pledge_value_sql(measure).label(measure.name) for measure in MEASURES),
    ).select_from(pledges.rows).where(*pledges.where, Pledge.id > after_id)  # fmt: skip
    # Not dropped on failure: the import's transaction is rolled back, and the table
    # with it (a DROP in a failed PostgreSQL transaction would hide the first error);
    # a leftover of an earlier failure is dropped first.
    NEW_VALUES.drop(connection, checkfirst=True)
    NEW_VALUES.create(connection)
    connection.execute(
        NEW_VALUES.insert().from_select(list(values.selected_columns.keys()), values)
    )
    new = _Counted(
        {name: NEW_VALUES.c[name] for name in NEW_KEYS},
        tuple(func.coalesce(func.sum(NEW_VALUES.c[name]), 0).label(name) for name in MEASURE_NAMES),
        NEW_VALUES,
        NEW_VALUES,
        (),
    )
    table: Any = TotalsRollup.__table__
    upsert: Any = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    for _dimension, query in _rebuild_selects(session, new):
        insert = upsert(table).from_select([*KEY_COLUMNS, *MEASURE_NAMES], query)
        added = {name: table.c[name] + insert.excluded[name] for name in MEASURE_NAMES}
        connection.execute(insert.on_conflict_do_update(index_elements=KEY_COLUMNS, set_=added))
    NEW_VALUES.drop(connection)


# The names of what the rollup's dimensions key on, as `counted_pledges` reads them
NEW_KEYS = (*(column.key for column in _KEYED_ON), "month")
NEW_VALUES = Table(
    "totals_new_values",
    MetaData(),
    *(Column(column.key, column.type) for column in _KEYED_ON),
    Column("month", String),
    *(Column(name, BigInteger) for name in MEASURE_NAMES),
    prefixes=["TEMPORARY"],
)
