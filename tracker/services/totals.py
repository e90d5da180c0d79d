"""The one place totals are computed: the dashboard, the exports and the API call these.

Totals are read from the rollup (tracker.models.totals), which every pledge write
keeps current, so a request reads a few hundred rows however many pledges there are.
Kind, stage, recipient and reviewed filters are rollup key columns; donor, group,
item and category filters and groupings, and the whole months of a date range, are
served from the dimension that holds them (tracker.services.totals_plan); the partial
months of a date range, and what no dimension holds (a donor × kind total under a date
range, a source or text filter), are read from the pledge table through its indexes.
Both paths compute the same measures.

A donor group's total is the sum over the group itself and its members: each
pledge has one donor, so it counts once per group however many groups its donor is in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    text,
)
from sqlalchemy.orm import Session

from tracker.models import Donor, Item, ItemCategory, Pledge, TotalsRollup
from tracker.services.rollup import (
    MEASURE_INDEX,
    MEASURE_NAMES,
    PARTLY_CROSSED,
    WITHOUT_KEY_ID,
    Measures,
    apply_totals_delta,
    keeps_cancelled_apart,
    measure_columns,
    month_sql,
    rebuild_totals,
)
from tracker.services.totals_edges import (
    EDGE_KEYS,
    accumulate,
    cancelled_apart,
    every_donor,
    members_listed,
    read_edges,
)
from tracker.services.totals_filter import TotalsFilter, group_membership, pledge_conditions
from tracker.services.totals_plan import (
    CANCELLED_APART,
    rollup_dimension,
    split_dates,
)

__all__ = [
    "BY",
    "KindStack",
    "PledgedDelivered",
    "TotalRow",
    "TotalsFilter",
    "aggregate",
    "aggregate_from_pledges",
    "aggregate_together",
    "apply_totals_delta",
    "grand_total",
    "pledge_conditions",
    "pledged_vs_delivered",
    "rebuild_totals",
    "rollup_serves",
    "totals",
    "totals_by_kind_and_donor",
    "unconverted_by_currency",
]

BY = ("donor", "group", "kind", "item", "category", "stage", "month")
UNDATED = "undated"
PLEDGED_STAGES = ("announced", "committed", "allocated", "delivered")
_ID_KEYS = ("donor", "group", "item", "category")


@dataclass
class TotalRow:
    """The total of one group: counts, EUR/USD sums with the EUR lower bound, and markers.

    `quantity`, `quantity_lower` and `unit` are given for item rows only (units differ
    between items). `unconverted` counts money pledges in a currency the ECB does not
    publish (left out of the sums); `stale` counts those converted at the last known rate.
    """

    key: str
    key_id: int | None
    pledges: int
    quantity: Decimal | None
    quantity_lower: Decimal | None
    unit: str | None
    eur: Decimal
    eur_lower: Decimal
    usd: Decimal
    open_ended: bool
    approximate: bool
    unconverted: int
    stale: int = 0
    allocated_eur: Decimal = Decimal(0)
    delivered_eur: Decimal = Decimal(0)
    allocated_quantity: Decimal | None = None
    delivered_quantity: Decimal | None = None

    @property
    def to_deliver_eur(self) -> Decimal:
        """What was promised in EUR and is not yet delivered (never below 0)."""
        return max(self.eur - self.delivered_eur, Decimal(0))

    @property
    def to_deliver_quantity(self) -> Decimal | None:
        """What was promised in units and is not yet delivered (items only)."""
        if self.quantity is None:
            return None
        return max(self.quantity - (self.delivered_quantity or Decimal(0)), Decimal(0))


@dataclass
class KindStack:
    """One donor's total split by kind, for the stacked bar chart."""

    key: str
    key_id: int
    eur: Decimal
    usd: Decimal
    eur_by_kind: dict[str, Decimal] = field(default_factory=dict)
    usd_by_kind: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class PledgedDelivered:
    """What was pledged (every stage but cancelled) beside what was delivered, for one group."""

    key: str
    key_id: int | None
    pledged: TotalRow
    delivered: TotalRow


# --- querying ------------------------------------------------------------------


def _rollup_dimension(groups: Sequence[str], filters: TotalsFilter) -> str | None:
    """The rollup dimension that answers this query with no pledge read, or None."""
    if filters.start is not None or filters.end is not None:
        return None
    return rollup_dimension(groups, filters, dated=False)


def rollup_serves(filters: TotalsFilter) -> bool:
    """Whether the rollup answers a grand total under `filters` (no pledge row is read)."""
    return _rollup_dimension((), filters) is not None


def _from_rollup(
    dimension: str,
    groups: Sequence[str],
    filters: TotalsFilter,
    months: tuple[str | None, str | None] | None = None,
    measures: frozenset[str] | None = None,
    *,
    dialect: str = "",
) -> Select[Any]:
    """The aggregate query over the rollup rows of one dimension (`months`: only the
    months from the first to the last, either open, dated ones only; `measures`: only
    these are summed, the others read 0; `dialect`: the database's, for the form of a
    month range's condition on the ids, `_every_key_id`)."""
    return _rollup_query(dimension, tuple(groups), filters, months, measures, dialect)


# What the key_id of a month-keyed dimension holds: a donor's id or an item's.
_KEY_ID_TABLES = {"donor": Donor, "item": Item}


def _every_key_id(dimension: str, filters: TotalsFilter, dialect: str) -> list[Any]:
    """For a month range of a dimension keyed by donor or item and month, with no filter
    on those ids: every id stated (true of every row that counts a pledge, whose donor
    and item exist), so that each id's months are one range of the primary key
    (dimension, key_id, key, ...). Without it, at a million pledges, SQLite's planner
    skip-scanned every (dimension, key_id) pair of the whole rollup (the donor × month
    rows of 28 months: 22 ms of CPU, 3 ms so), and PostgreSQL read every row of the
    dimension's index, checking the months (it has no skip scan)."""
    by_id = PARTLY_CROSSED.get(dimension, ("", None, frozenset()))[0]
    model: Any = _KEY_ID_TABLES.get(by_id)
    narrowed = filters.item_id is not None if by_id == "item" else (
        bool(filters.donor_ids) or filters.group_id is not None)  # fmt: skip
    if model is None or narrowed or PARTLY_CROSSED[dimension][1] != "month":
        return []
    key_id = TotalsRollup.__table__.c.key_id
    if dialect == "postgresql":
        table = model.__tablename__
        return [key_id == any_(literal_column(f"ARRAY(SELECT {table}.id FROM {table})"))]
    return [key_id.in_(select(model.id))]


@lru_cache(maxsize=256)
def _rollup_query(
    dimension: str,
    groups: tuple[str, ...],
    filters: TotalsFilter,
    months: tuple[str | None, str | None] | None,
    measures: frozenset[str] | None = None,
    dialect: str = "",
) -> Select[Any]:
    """`_from_rollup`, built once per query (statements are immutable; building one cost
    more than reading a donor's rows)."""
    rollup = TotalsRollup
    members = group_membership()
    donor_item = dimension in ("donor_item", "donoritem_ks")
    # The catalogue is joined for an item's category; a donor × item row's item id is its
    # key read as a number (joining every row to its item cost more than the sums).
    catalogue = dimension == "item_month" or (
        dimension in ("item", "donor_item", "donoritem_ks")
        and ("category" in groups or filters.category_id is not None)
    )
    item = cast(rollup.key, Integer) if donor_item else rollup.key_id
    columns: dict[str, Any] = {
        "donor": rollup.key_id, "item": item, "month": rollup.key, "kind": rollup.kind,
        "stage": rollup.stage, "group": members.c.group_id,
        "category": Item.category_id if catalogue else rollup.key_id,
        # A dimension that keeps only the cancelled pledges apart holds "cancelled" or ""
        # as the stage already: grouped by the column, PostgreSQL can hash the groups.
        CANCELLED_APART: rollup.stage if keeps_cancelled_apart(dimension)
        else cancelled_apart(rollup.stage),
    }  # fmt: skip
    keys = [columns[g] for g in groups]
    # BIGINT sums: PostgreSQL sums BIGINT as NUMERIC, which arrives as Decimal.
    sums = [
        cast(func.sum(getattr(rollup, n)), BigInteger).label(n)
        if measures is None or n in measures
        else literal(0, BigInteger).label(n)
        for n in MEASURE_NAMES
    ]
    query = select(*keys, *sums).select_from(rollup).where(rollup.dimension == dimension)
    if dimension in WITHOUT_KEY_ID:
        # Stated, so that the primary key's (dimension, key_id, key) prefix serves a month
        # range: without it SQLite skip-scans every dimension's key_id values.
        query = query.where(rollup.key_id == 0)
    if catalogue:
        on = rollup.key == cast(Item.id, String) if donor_item else rollup.key_id == Item.id
        query = query.join(Item, on)
    if "group" in groups:
        query = query.join(members, members.c.donor_id == rollup.key_id)
    if filters.kind is not None:
        query = query.where(rollup.kind == filters.kind)
    if filters.stage is not None:
        query = query.where(rollup.stage == filters.stage)
    if filters.recipient_id is not None:
        query = query.where(rollup.recipient_id == filters.recipient_id)
    if filters.reviewed is not None:
        query = query.where(rollup.reviewed.is_(filters.reviewed))
    if filters.donor_ids:
        query = query.where(rollup.key_id.in_(filters.donor_ids))
    if filters.group_id is not None:
        in_group = select(members.c.donor_id).where(members.c.group_id == filters.group_id)
        query = query.where(rollup.key_id.in_(in_group))
    if filters.item_id is not None:
        if donor_item:
            query = query.where(rollup.key == str(filters.item_id))
        else:
            query = query.where(rollup.key_id == filters.item_id)
    if filters.category_id is not None:
        query = query.where(columns["category"] == filters.category_id)
    if months is not None:
        low, high = months
        query = query.where(rollup.key != "", *_every_key_id(dimension, filters, dialect))
        if low is not None:
            query = query.where(rollup.key >= low)
        if high is not None:
            query = query.where(rollup.key <= high)
    return query.group_by(*keys).having(func.sum(rollup.__table__.c.pledges) > 0)


def _from_pledges(
    session: Session,
    groups: Sequence[str],
    filters: TotalsFilter,
    measures: frozenset[str] | None = None,
) -> Select[Any]:
    """The aggregate query over the live pledges themselves (`measures`: only these are
    computed, the others read 0)."""
    members = group_membership()
    columns: dict[str, Any] = {
        "donor": Pledge.donor_id, "item": Pledge.item_id, "category": Item.category_id,
        "month": month_sql(session), "kind": Pledge.kind, "stage": Pledge.stage,
        "group": members.c.group_id, CANCELLED_APART: cancelled_apart(Pledge.stage),
    }  # fmt: skip
    keys = [columns[g] for g in groups]
    dialect = session.get_bind().dialect.name
    query = select(*keys, *measure_columns(measures, dialect)).select_from(Pledge)
    if "category" in groups:  # the category filter reads the catalogue on its own
        query = query.join(Item, Item.id == Pledge.item_id)
    if "group" in groups:
        query = query.join(members, members.c.donor_id == Pledge.donor_id)
    query = query.where(*pledge_conditions(members_listed(session, filters)))
    return query.group_by(*keys) if keys else query


def _read(session: Session, query: Select[Any], width: int, into: dict[Any, list[int]],
          sign: int = 1) -> None:  # fmt: skip
    """Add (`sign` 1) or take away (-1) the measures of each row of `query` into `into`
    (plain lists: a dated dashboard adds up a few thousand rows)."""
    for row in session.execute(query):
        accumulate(into, tuple(row[:width]), row[width:], sign)


# PostgreSQL's memory for each sort or hash of a dated read. The donor × month × kind rows
# of 28 months at a million pledges (34,000 rows, 1,600 groups) did not fit the default
# 4 MB: they were sorted on disk (EXPLAIN ANALYZE 320 ms); in 32 MB they are hashed in
# memory (110 ms).
DATED_WORK_MEM = "32MB"


@contextmanager
def _dated_reading(session: Session) -> Iterator[None]:
    """On PostgreSQL, DATED_WORK_MEM for the block's dated reads (the transaction's own
    setting restored after it; after a failure the rolled-back transaction takes the
    setting with it, and a statement in the failed transaction would hide the first
    error); nothing elsewhere. (Mapping SQLite's file into memory for the block was
    measured and not kept: mapped and unmapped per request it cost more CPU than the
    system calls it saved.)"""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    previous = connection.execute(text("SELECT current_setting('work_mem')")).scalar_one()
    change = text("SELECT set_config('work_mem', :value, true)")
    connection.execute(change, {"value": DATED_WORK_MEM})
    yield
    connection.execute(change, {"value": previous})


def aggregate(
    session: Session,
    groups: Sequence[str],
    filters: TotalsFilter,
    *,
    measures: frozenset[str] | None = None,
) -> list[tuple[tuple[Any, ...], Measures]]:
    """Measures per combination of `groups` values (an empty tuple: one grand row).
    `measures` names the measures the caller reads: only those are summed, the others
    are 0 (all by default). The "pledges" measure is always summed: a group with none
    is left out.

    Without a date range the rollup answers where one dimension holds every key asked
    for, the pledge table otherwise. With one, a month-keyed dimension that holds the
    other keys gives the whole months and the pledge table the partial ones
    (tracker.services.totals_plan); without such a dimension the pledge table gives all.
    """
    for name in groups:
        if name not in BY and name != CANCELLED_APART:
            raise ValueError(f"cannot total by {name!r}: choose one of {', '.join(BY)}")
    width = len(groups)
    sums: dict[Any, list[int]] = {}
    dated = filters.start is not None or filters.end is not None
    if measures is not None:
        measures = measures | {"pledges"}
    dimension = rollup_dimension(groups, filters, dated=dated)
    if dimension is None:
        return aggregate_from_pledges(session, groups, filters, measures=measures)
    if not dated:
        _read(session, _from_rollup(dimension, groups, filters, None, measures), width, sums)
        return [(key, Measures.of_list(values)) for key, values in sums.items() if values[0]]
    split = split_dates(filters.start, filters.end)
    with _dated_reading(session):
        if split.months is not None:
            query = _from_rollup(dimension, groups, filters, split.months, measures,
                                 dialect=session.get_bind().dialect.name)  # fmt: skip
            _read(session, query, width, sums)
        for days, sign in [*((d, 1) for d in split.add), *((d, -1) for d in split.subtract)]:
            edge = members_listed(session, replace(filters, start=days[0], end=days[1]))
            query = _from_pledges(session, groups, edge, measures)
            _read(session, query.where(*every_donor(session, edge)), width, sums, sign)
    return [(key, Measures.of_list(values)) for key, values in sums.items() if values[0]]


def aggregate_together(
    session: Session,
    requests: Sequence[tuple[Sequence[str], TotalsFilter]],
    measures: Sequence[frozenset[str] | None] | None = None,
) -> list[list[tuple[tuple[Any, ...], Measures]]]:
    """`aggregate` of each (groups, filters) request, for requests whose filters share one
    date range and differ at most in their stage filter (a dated dashboard's); `measures`
    gives each request's `measures` of `aggregate` (every measure by default).

    Each request's whole months come from its rollup dimension as in `aggregate`; the
    pledges of the partial months are read once and grouped for every request
    (tracker.services.totals_edges: one aggregate by grouping sets on PostgreSQL, a
    materialized common table grouped per request on SQLite): one read of the edge days'
    pledges in place of one (or two) per request. A request no month-keyed dimension
    answers (under a group filter, kind × item) is answered by `aggregate` alone, the
    others together; requests that cannot be read so at all by `aggregate` each. A group
    filter's donors are read once for all (`members_listed`)."""
    listed: dict[TotalsFilter, TotalsFilter] = {}
    for _groups, filters in requests:
        if filters not in listed:
            listed[filters] = members_listed(session, filters)
    requests = [(groups, listed[filters]) for groups, filters in requests]
    wanted = [None if m is None else m | {"pledges"}
              for m in (measures or [None] * len(requests))]  # fmt: skip
    first = requests[0][1] if requests else TotalsFilter()
    shared = replace(first, stage=None)
    dated = first.start is not None or first.end is not None
    dimensions = [rollup_dimension(groups, filters, dated=True) for groups, filters in requests]
    if (
        not dated
        or dimensions.count(None) == len(requests)
        or any(replace(filters, stage=None) != shared for _groups, filters in requests)
        or any(set(groups) - set(EDGE_KEYS) for groups, _filters in requests)
    ):
        return [aggregate(session, groups, filters, measures=chosen)
                for (groups, filters), chosen in zip(requests, wanted, strict=True)]  # fmt: skip
    together = {number: dimension for number, dimension in enumerate(dimensions) if dimension}
    split = split_dates(first.start, first.end)
    read: dict[int, dict[Any, list[int]]] = {number: {} for number in together}
    with _dated_reading(session):
        for number, dimension in together.items():
            (groups, filters), chosen = requests[number], wanted[number]
            if split.months is not None:
                query = _from_rollup(dimension, groups, filters, split.months, chosen,
                                     dialect=session.get_bind().dialect.name)  # fmt: skip
                _read(session, query, len(groups), read[number])
        read_edges(session, [requests[number] for number in together],
                   [wanted[number] for number in together], split, shared,
                   list(read.values()))  # fmt: skip
    return [
        [(key, Measures.of_list(values)) for key, values in read[number].items() if values[0]]
        if number in read
        else aggregate(session, groups, filters, measures=chosen)
        for number, ((groups, filters), chosen) in enumerate(zip(requests, wanted, strict=True))
    ]


def aggregate_from_pledges(
    session: Session,
    groups: Sequence[str],
    filters: TotalsFilter,
    *,
    measures: frozenset[str] | None = None,
) -> list[tuple[tuple[Any, ...], Measures]]:
    """`aggregate` read from the pledge table alone: what every rollup path must equal
    (`measures`: as in `aggregate`)."""
    sums: dict[Any, list[int]] = {}
    if measures is not None:
        measures = measures | {"pledges"}
    query = _from_pledges(session, groups, filters, measures)
    if filters.start is None and filters.end is None:
        _read(session, query, len(groups), sums)
    else:
        with _dated_reading(session):
            _read(session, query, len(groups), sums)
    return [(key, Measures.of_list(values)) for key, values in sums.items() if values[0]]


# --- presenting ----------------------------------------------------------------


def _names(session: Session, by: str, ids: set[int]) -> dict[int, tuple[str, str | None]]:
    """Display name (and unit, for items) of each key id of a grouping."""
    if not ids:
        return {}
    rows = session.execute(_names_query(by), {"ids": sorted(ids)})
    return {row[0]: (row[1], row[2]) for row in rows}


@cache
def _names_query(by: str) -> Select[Any]:
    """Id, name and unit (None but for items) of the rows of `by` whose ids are bound as
    the list `ids` (built once)."""
    ids: Any = bindparam("ids", expanding=True)
    model: Any = Item if by == "item" else Donor if by in ("donor", "group") else ItemCategory
    unit = Item.unit if by == "item" else null()
    query: Select[Any] = select(model.id, model.name, unit).where(model.id.in_(ids))
    return query


# Where make_row finds each measure in Measures.values().
_AT = {name: MEASURE_INDEX[name] for name in MEASURE_NAMES}
# The measures only an item's row shows (`make_row` reads them `with_quantity`), and what
# it reads of any other row: a read for such rows sums ROW_MEASURES alone.
ITEM_MEASURES = frozenset(
    {"quantified", "quantity_milli", "quantity_lower_milli", "allocated_quantity_milli",
     "delivered_quantity_milli"}
)  # fmt: skip
ROW_MEASURES = frozenset(MEASURE_NAMES) - ITEM_MEASURES


def make_row(
    key: str,
    key_id: int | None,
    m: Measures,
    *,
    unit: str | None = None,
    with_quantity: bool = False,
) -> TotalRow:
    """A TotalRow from summed measures; quantities only `with_quantity` (item rows)."""
    v, at = m.values(), _AT
    quantities = bool(v[at["quantified"]]) and with_quantity

    def thousandths(name: str) -> Decimal | None:
        """A quantity measure in units, for an item row that states quantities."""
        return Decimal(v[at[name]]).scaleb(-3) if quantities else None

    return TotalRow(
        key=key,
        key_id=key_id,
        pledges=v[at["pledges"]],
        quantity=thousandths("quantity_milli"),
        quantity_lower=thousandths("quantity_lower_milli"),
        unit=unit,
        eur=Decimal(v[at["eur_cents"]]).scaleb(-2),
        eur_lower=Decimal(v[at["eur_lower_cents"]]).scaleb(-2),
        usd=Decimal(v[at["usd_cents"]]).scaleb(-2),
        open_ended=v[at["open_ended"]] > 0,
        approximate=v[at["approximate"]] > 0,
        unconverted=v[at["unconverted"]],
        stale=v[at["stale"]],
        allocated_eur=Decimal(v[at["allocated_eur_cents"]]).scaleb(-2),
        delivered_eur=Decimal(v[at["delivered_eur_cents"]]).scaleb(-2),
        allocated_quantity=thousandths("allocated_quantity_milli"),
        delivered_quantity=thousandths("delivered_quantity_milli"),
    )


def _rows(session: Session, by: str, grouped: list[tuple[Any, Measures]]) -> list[TotalRow]:
    """Name and order the rows of one grouping."""
    names = _names(session, by, {k for k, _ in grouped} if by in _ID_KEYS else set())
    rows = []
    for key, measures in grouped:
        if by in _ID_KEYS:
            name, unit = names.get(key, (f"#{key}", None))
            item = by == "item"
            rows.append(make_row(name, key, measures, unit=unit, with_quantity=item))
        else:
            rows.append(make_row(str(key) or UNDATED, None, measures))
    if by == "month":
        return sorted(rows, key=lambda r: (r.key == UNDATED, r.key))
    return sorted(rows, key=lambda r: (-r.eur, r.key))


def totals(session: Session, by: str, filters: TotalsFilter | None = None) -> list[TotalRow]:
    """Totals per donor, group, kind, item, category, stage or month.

    Sorted by EUR descending then key; months chronologically, undated last.
    """
    chosen = filters or TotalsFilter()
    wanted = None if by == "item" else ROW_MEASURES
    grouped = [(key[0], m) for key, m in aggregate(session, (by,), chosen, measures=wanted)]
    return _rows(session, by, grouped)


def grand_total(session: Session, filters: TotalsFilter | None = None) -> TotalRow:
    """One row summing every pledge the filters cover."""
    measures = Measures()
    for _, m in aggregate(session, (), filters or TotalsFilter(), measures=ROW_MEASURES):
        measures.add(m)
    return make_row("total", None, measures)


def unconverted_by_currency(
    session: Session, filters: TotalsFilter | None = None, *, grand: TotalRow | None = None
) -> dict[str, int]:
    """How many money pledges per currency are left out of the sums for want of a rate.

    The rollup's currency rows answer without a donor, item or date filter. Under those,
    when one currency alone has unconverted pledges at all, the filtered total's
    `unconverted` count is that currency's (`grand`: that total, when the caller has
    it); otherwise the pledge table is read."""
    chosen = filters or TotalsFilter()
    served = _rollup_dimension((), chosen) == "all"
    unconverted = func.sum(TotalsRollup.__table__.c.unconverted)
    query = _from_rollup("currency", (), chosen if served else TotalsFilter())
    query = query.add_columns(TotalsRollup.key, unconverted).group_by(TotalsRollup.key)
    counts = {row[-2]: int(row[-1] or 0) for row in session.execute(query)}
    counts = {code: n for code, n in counts.items() if code and n}
    if not served and len(counts) <= 1:
        count = (grand or grand_total(session, chosen)).unconverted
        counts = {code: count for code in counts if count}
    elif not served:
        count_sql = measure_columns()[MEASURE_NAMES.index("unconverted")]
        query = _from_pledges(session, (), chosen).add_columns(Pledge.currency, count_sql)
        rows = session.execute(query.group_by(Pledge.currency))
        counts = {code: int(n) for *_m, code, n in rows if code and n}
    return dict(sorted(counts.items()))


def totals_by_kind_and_donor(
    session: Session, filters: TotalsFilter | None = None, top: int = 10
) -> list[KindStack]:
    """The `top` donors by EUR, each split by kind (for the stacked bar chart)."""
    stacks: dict[int, KindStack] = {}
    for (donor_id, kind), m in aggregate(session, ("donor", "kind"), filters or TotalsFilter()):
        stack = stacks.setdefault(donor_id, KindStack("", donor_id, Decimal(0), Decimal(0)))
        eur, usd = Decimal(m.eur_cents).scaleb(-2), Decimal(m.usd_cents).scaleb(-2)
        stack.eur += eur
        stack.usd += usd
        stack.eur_by_kind[kind] = stack.eur_by_kind.get(kind, Decimal(0)) + eur
        stack.usd_by_kind[kind] = stack.usd_by_kind.get(kind, Decimal(0)) + usd
    names = _names(session, "donor", set(stacks))
    for stack in stacks.values():
        stack.key = names[stack.key_id][0]
    return sorted(stacks.values(), key=lambda s: (-s.eur, s.key))[:top]


def pledged_vs_delivered(
    session: Session, by: str, filters: TotalsFilter | None = None
) -> list[PledgedDelivered]:
    """Per group, the pledged total (all stages but cancelled) beside the delivered total."""
    chosen = replace(filters or TotalsFilter(), stage=None)
    pledged: dict[Any, Measures] = {}
    delivered: dict[Any, Measures] = {}
    wanted = None if by == "item" else ROW_MEASURES
    for (key, stage), m in aggregate(session, (by, "stage"), chosen, measures=wanted):
        if stage in PLEDGED_STAGES:
            pledged.setdefault(key, Measures()).add(m)
        if stage == "delivered":
            delivered.setdefault(key, Measures()).add(m)
    pledged_rows = _rows(session, by, list(pledged.items()))
    delivered_rows = {
        (r.key_id if by in _ID_KEYS else r.key): r
        for r in _rows(session, by, list(delivered.items()))
    }
    result = []
    for row in pledged_rows:
        ident = row.key_id if by in _ID_KEYS else row.key
        empty = make_row(row.key, row.key_id, Measures(), unit=row.unit, with_quantity=by == "item")
        result.append(PledgedDelivered(row.key, row.key_id, row, delivered_rows.get(ident, empty)))
    return result
