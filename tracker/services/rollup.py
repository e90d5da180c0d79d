"""Keeping the totals rollup in step with the pledge table.

Each live pledge contributes to six rollup rows (see tracker.models.totals). A write
computes the old and new contributions of the pledge, nets them into a delta and
applies the delta with INSERT .. ON CONFLICT DO UPDATE in the same transaction, in
sorted key order so that concurrent writers on PostgreSQL lock rows in one order.
The same measures are written as SQL here, for `rebuild_totals` and for the totals
queries that must read the pledge table itself (date, donor and group filters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Dialect,
    Integer,
    String,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Item, Pledge, TotalsRollup

RollupKey = tuple[str, int, str, str, str, int, bool]
"""(dimension, key_id, key, kind, stage, recipient_id, reviewed)"""

KEY_COLUMNS = ("dimension", "key_id", "key", "kind", "stage", "recipient_id", "reviewed")
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)


@dataclass
class Measures:
    """What a set of pledges adds to a rollup row; every field is a whole number."""

    pledges: int = 0
    quantified: int = 0
    quantity_milli: int = 0
    quantity_lower_milli: int = 0
    eur_cents: int = 0
    eur_lower_cents: int = 0
    usd_cents: int = 0
    open_ended: int = 0
    approximate: int = 0
    unconverted: int = 0
    stale: int = 0

    def add(self, other: Measures, sign: int = 1) -> None:
        """Add `other` (times `sign`) into these measures."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + sign * getattr(other, f.name))

    def values(self) -> tuple[int, ...]:
        """The measures in field order (MEASURE_NAMES)."""
        return tuple(self.__dict__.values())

    def is_zero(self) -> bool:
        """True when adding these measures changes nothing."""
        return not any(self.__dict__.values())


MEASURE_NAMES = tuple(f.name for f in fields(Measures))
TotalsDelta = dict[RollupKey, Measures]


def _scaled(value: Decimal | None, factor: Decimal) -> int:
    """`value` in whole cents or thousandths (0 for None)."""
    return 0 if value is None else int((value * factor).to_integral_value())


def month_key(pledge: Pledge) -> str:
    """The rollup month of a pledge: "YYYY-MM" of its announcement, "" when undated."""
    day = pledge.announced
    return "" if day is None else f"{day.year:04d}-{day.month:02d}"


def pledge_measures(pledge: Pledge) -> Measures:
    """What one pledge adds to each row it counts in."""
    quantity = pledge.quantity if pledge.qualifier != "unknown" else None
    money = pledge.amount is not None and pledge.qualifier != "unknown"
    return Measures(
        pledges=1,
        quantified=int(quantity is not None),
        quantity_milli=_scaled(quantity, THOUSAND),
        quantity_lower_milli=_scaled(pledge.quantity_lower, THOUSAND),
        eur_cents=_scaled(pledge.eur, HUNDRED),
        eur_lower_cents=_scaled(pledge.eur_lower, HUNDRED),
        usd_cents=_scaled(pledge.usd, HUNDRED),
        open_ended=int(pledge.qualifier == "at_least"),
        approximate=int(pledge.qualifier == "about"),
        unconverted=int(money and pledge.conversion_status == "unconverted"),
        stale=int(money and pledge.conversion_status == "stale"),
    )


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
    return keys


def add_contribution(session: Session, delta: TotalsDelta, pledge: Pledge, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) what `pledge` counts for; deleted ones count nil.

    The item's category is read from the database, not from the session's copy of the
    item: a writer that waited on the data version's lock while an admin moved the item
    (see `move_item_totals`) must count the pledge where the item is now.
    """
    if pledge.deleted_at is not None:
        return
    category_id = session.scalar(select(Item.category_id).where(Item.id == pledge.item_id))
    if category_id is None:
        raise LookupError(f"item {pledge.item_id} of pledge {pledge.id} does not exist")
    measures = pledge_measures(pledge)
    for key in pledge_keys(pledge, category_id):
        delta.setdefault(key, Measures()).add(measures, sign)


def apply_totals_delta(session: Session, delta: Mapping[RollupKey, Measures]) -> None:
    """Add `delta` to the rollup with one upsert, keys in sorted order.

    Keys whose measures are all zero are skipped. On PostgreSQL the rows travel as
    one array per column and are unnested by the server in that order, one
    statement whatever the size of the delta (a table import's is thousands of
    keys); elsewhere the upsert is one executemany, handed to the driver as tuples.
    """
    rows = [(*key, *m.values()) for key, m in sorted(delta.items()) if not m.is_zero()]
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        columns = dict(zip(ROLLUP_COLUMNS, map(list, zip(*rows, strict=True)), strict=True))
        session.execute(text(_upsert_sql(dialect)), columns)
    else:
        session.flush()  # as session.execute would: the upsert goes to the driver directly
        session.connection().exec_driver_sql(_upsert_sql(dialect), rows)


ROLLUP_COLUMNS = (*KEY_COLUMNS, *MEASURE_NAMES)


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
        .where(Pledge.item_id == item_id, Pledge.deleted_at.is_(None))
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


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """SUM of 1 for rows where `condition` holds."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum(expression: ColumnElement[Any]) -> ColumnElement[Any]:
    """SUM that is 0, not NULL, over no values."""
    return func.coalesce(func.sum(expression), 0)


def measure_columns() -> list[ColumnElement[Any]]:
    """Aggregates over Pledge rows that compute `Measures`, labelled by field name."""
    known = Pledge.qualifier != "unknown"
    money = Pledge.amount.is_not(None) & known
    quantity = case((known, _scaled_sql(Pledge.quantity, 1000)), else_=None)
    return [
        func.count().label("pledges"),
        _count_if(Pledge.quantity.is_not(None) & known).label("quantified"),
        _sum(quantity).label("quantity_milli"),
        _sum(_scaled_sql(Pledge.quantity_lower, 1000)).label("quantity_lower_milli"),
        _sum(_scaled_sql(Pledge.eur, 100)).label("eur_cents"),
        _sum(_scaled_sql(Pledge.eur_lower, 100)).label("eur_lower_cents"),
        _sum(_scaled_sql(Pledge.usd, 100)).label("usd_cents"),
        _count_if(Pledge.qualifier == "at_least").label("open_ended"),
        _count_if(Pledge.qualifier == "about").label("approximate"),
        _count_if(money & (Pledge.conversion_status == "unconverted")).label("unconverted"),
        _count_if(money & (Pledge.conversion_status == "stale")).label("stale"),
    ]


def month_sql(session: Session) -> ColumnElement[str]:
    """ "YYYY-MM" of Pledge.announced, "" when undated; constants inlined so GROUP BY matches."""
    if session.get_bind().dialect.name == "postgresql":
        month = func.to_char(Pledge.announced, literal_column("'YYYY-MM'"))
    else:
        month = func.strftime(literal_column("'%Y-%m'"), Pledge.announced)
    return func.coalesce(month, literal_column("''"))


def _rebuild_selects(session: Session) -> Iterable[Any]:
    """One INSERT .. SELECT source per dimension, columns in rollup order."""
    common = (Pledge.kind, Pledge.stage, Pledge.recipient_id, Pledge.reviewed)
    zero, empty = literal(0, Integer), literal("", String)
    dims: list[tuple[str, Any, Any, Any]] = [
        ("all", zero, empty, None),
        ("donor", Pledge.donor_id, empty, None),
        ("item", Pledge.item_id, empty, None),
        ("category", Item.category_id, empty, None),
        ("month", zero, month_sql(session), None),
        ("currency", zero, Pledge.currency, Pledge.currency.is_not(None)),
    ]
    for dimension, key_id, key, condition in dims:
        keys = [c for c in (key_id, key) if c is not zero and c is not empty]
        query = (
            select(literal(dimension, String), key_id, key, *common, *measure_columns())
            .join(Item, Item.id == Pledge.item_id)
            .where(Pledge.deleted_at.is_(None))
            .group_by(*keys, *common)
        )
        if condition is not None:
            query = query.where(condition)
        yield query


def rebuild_totals(session: Session) -> None:
    """Recompute the whole rollup from the pledge table (after bulk loads or repairs)."""
    session.flush()
    session.execute(delete(TotalsRollup))
    table: Any = TotalsRollup.__table__
    for query in _rebuild_selects(session):
        session.execute(table.insert().from_select([*KEY_COLUMNS, *MEASURE_NAMES], query))
