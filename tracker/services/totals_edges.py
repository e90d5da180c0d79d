"""The pledges of a date range's partial months, read once for several totals queries.

A day-level date range is read as its whole months from the rollup and the days of its
partial end months from the pledge table (tracker.services.totals_plan). A dated
dashboard asks several groupings of the same range (`aggregate_together` in
tracker.services.totals); the pledges of those days are read here once for all of them,
through the `(donor_id, announced)` index, which carries every column the totals read,
and each pledge's measures are computed once.

How they are grouped depends on the database (`_edge_query`). PostgreSQL groups them in
one pass, the requests' keys the grouping sets of one aggregate. SQLite has no grouping
sets: the pledges are materialized in a common table, then grouped once per set. Requests
that differ only by a stage column share a set (`_sets`).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    any_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from tracker.models import Item, Pledge
from tracker.models.totals import MEASURE_NAMES, MEASURES
from tracker.services.rollup import (
    CANCELLED,
    dialect_month_sql,
    pledge_value_sql,
    scaled_sum_sql,
    scales_per_group,
)
from tracker.services.totals_filter import TotalsFilter, group_membership, pledge_conditions
from tracker.services.totals_plan import CANCELLED_APART, DateSplit

__all__ = [
    "EDGE_KEYS",
    "accumulate",
    "cancelled_apart",
    "every_donor",
    "members_listed",
    "read_edges",
]


def members_listed(session: Session, filters: TotalsFilter) -> TotalsFilter:
    """`filters` with a group filter given as the ids of its donors (the group and its
    members, within the donor filter), read first: PostgreSQL estimates a list of ids
    well and reads their pledges by the `(donor_id, announced)` index, where it chose a
    scan of the whole pledge table for the membership subquery. Unchanged when no donor
    is left (the subquery finds none either)."""
    if filters.group_id is None:
        return filters
    members = group_membership()
    in_group = select(members.c.donor_id).where(members.c.group_id == filters.group_id)
    ids = set(session.scalars(in_group))
    if filters.donor_ids:
        ids &= set(filters.donor_ids)
    if not ids:
        return filters
    return replace(filters, group_id=None, donor_ids=tuple(sorted(ids)))


def cancelled_apart(stage: Any) -> Any:
    """CANCELLED where `stage` is, "" elsewhere (the CANCELLED_APART grouping's value)."""
    cancelled: Any = literal_column(f"'{CANCELLED}'")
    return case((stage == cancelled, cancelled), else_=literal_column("''"))


def accumulate(into: dict[Any, list[int]], key: Any, row: Sequence[Any], sign: int) -> None:
    """Add `row`'s measures (None for 0), times `sign`, into `into[key]` (a dated dashboard
    adds some 2,000 rows: no multiplication by a sign of 1, and `map` over the two lists)."""
    values = [int(v) if v else 0 for v in row] if sign == 1 else [-int(v) if v else 0 for v in row]
    current = into.get(key)
    into[key] = values if current is None else list(map(operator.add, current, values))


# The key columns of the edge-day parts of `aggregate_together`, each part filling the
# ones it does not group by with an empty value, so that its parts share one row shape.
EDGE_KEYS: dict[str, tuple[str, Any]] = {
    "donor": ("donor_id", 0), "item": ("item_id", 0), "category": ("category_id", 0),
    "kind": ("kind", ""), "stage": ("stage", ""), "month": ("month", ""),
    CANCELLED_APART: ("cancelled", ""),
}  # fmt: skip


# One request of `read_edges` as its query sees it: its keys, its stage filter and the
# measures it wants (None: all).
_Shape = tuple[tuple[str, ...], str | None, frozenset[str] | None]
# What a request takes of each row of `_edge_query`'s result: its number, the positions
# of its keys, the position and value of the stage it keeps (None: every row), and the
# measures it wants (None: all).
_Take = tuple[int, tuple[int, ...], int | None, str | None, tuple[bool, ...] | None]


def read_edges(
    session: Session,
    requests: Sequence[tuple[Sequence[str], TotalsFilter]],
    wanted: Sequence[frozenset[str] | None],
    split: DateSplit,
    shared: TotalsFilter,
    sums: list[dict[Any, list[int]]],
) -> None:
    """Add the partial months' pledges of `split` into each request's `sums` (requests
    whose filters are `shared` but for their stage filter), read once and grouped for
    every request (of the measures it wants, 0 for the others), for
    `aggregate_together`. The statement is built once per shape (`_edge_query`): the
    requests, the filters but the dates, and the month and sign of each day range; the
    days themselves are its parameters, so another range in the same months reuses it."""
    ranges = (*((days, 1) for days in split.add), *((days, -1) for days in split.subtract))
    if not ranges:
        return
    unranged = members_listed(session, replace(shared, start=None, end=None, stage=None))
    shapes = tuple((tuple(groups), filters.stage, chosen)
                   for (groups, filters), chosen in zip(requests, wanted, strict=True))  # fmt: skip
    dialect = session.get_bind().dialect.name
    months = tuple((_month_key(first, last), sign) for (first, last), sign in ranges)
    days = {}
    for number, ((first, last), _sign) in enumerate(ranges):
        days[f"edge_first_{number}"], days[f"edge_last_{number}"] = first, last
    query, width, takes = _edge_query(dialect, unranged, months, shapes)
    for row in session.execute(query, days):
        values = row[width + 1 :]
        for number, at, stage, stage_value, chosen in takes[row[width]]:
            if stage is not None and row[stage] != stage_value:
                continue
            taken: Sequence[Any] = values
            if chosen is not None:
                taken = [value if keep else 0 for value, keep in zip(values, chosen, strict=True)]
            accumulate(sums[number], tuple(row[i] for i in at), taken, row[0])


@lru_cache(maxsize=64)
def _edge_query(
    dialect: str,
    unranged: TotalsFilter,
    ranges: tuple[tuple[str | None, int], ...],
    shapes: tuple[_Shape, ...],
) -> tuple[Any, int, dict[int, list[_Take]]]:
    """The statement of `read_edges` (built once: it is large), the position of the column
    that tells which requests a row is for, and what each of those takes of it. Each
    row starts with the sign of its pledges (1 added, -1 taken away). `ranges` are the
    day ranges' months (`_month_key`) and signs; the statement reads the days of range k
    from the parameters `edge_first_k` and `edge_last_k`.

    PostgreSQL groups the pledges in one aggregate fed by the index scan (not
    materialized), GROUPING SETS of the requests' columns and sign: read and hashed in
    one pass. SQLite has no grouping sets: the pledges are materialized in a common table
    and grouped once per set (`_edge_part`), all in one UNION ALL whose rows say their
    set. The sets are the requests' columns (`_sets`): a request with a stage filter
    groups by the stage as well (by CANCELLED_APART for "cancelled") and keeps the rows
    of that stage; requests with the same columns share a set, and a request without a
    stage filter whose keys another set holds beside a stage column adds up that set's
    rows (the donors and their cancelled part: one set, not two)."""
    by_category = any("category" in groups for groups, _stage, _chosen in shapes)
    wanted = [chosen for _groups, _stage, chosen in shapes]
    every = None if None in wanted else frozenset(n for m in wanted if m for n in m)
    postgres = dialect == "postgresql"
    edge = _edge_pledges(dialect, unranged, ranges, every, by_category=by_category,
                         materialized=not postgres)  # fmt: skip

    def kept(chosen: frozenset[str] | None) -> tuple[bool, ...] | None:
        return None if chosen is None else tuple(n in chosen for n in MEASURE_NAMES)

    sets = _sets(shapes)
    if not postgres:
        names = [column for column, _empty in EDGE_KEYS.values()]
        parts = []
        takes: dict[int, list[_Take]] = {}
        for number, (columns, numbers) in enumerate(sets.items()):
            chosen_of = [shapes[n][2] for n in numbers]
            union = None if None in chosen_of else frozenset(m for c in chosen_of if c for m in c)
            parts.append(_edge_part(edge, number, columns, union))
            takes[number] = [_take(shapes[n], n, names, kept) for n in numbers]
        return union_all(*parts), 1 + len(names), takes
    used = list(dict.fromkeys(column for columns in sets for column in columns))
    takes = {}
    for columns, numbers in sets.items():
        # GROUPING(sign, *used): a bit per column, the last one lowest, set where the
        # row's set does not group by it (sign is in every set).
        mask = sum(1 << (len(used) - 1 - used.index(c)) for c in used if c not in columns)
        takes[mask] = [_take(shapes[n], n, used, kept) for n in numbers]
    measures = [scaled_sum_sql(m, edge.c[m.name]) if every is None or m.name in every
                else literal(0, BigInteger) for m in MEASURES]  # fmt: skip
    by = [edge.c[column] for column in used]
    grouping = func.grouping_sets(
        *(tuple_(edge.c.sign, *(edge.c[column] for column in sets_columns))
          for sets_columns in sets)
    )  # fmt: skip
    query = select(edge.c.sign, *by, func.grouping(edge.c.sign, *by), *measures)
    return query.group_by(grouping), 1 + len(used), takes


def _stage_column(stage: str) -> str:
    """The edge column a request filtered by `stage` groups by: CANCELLED_APART's for
    "cancelled", the stage's otherwise."""
    return EDGE_KEYS[CANCELLED_APART if stage == CANCELLED else "stage"][0]


def _sets(shapes: Sequence[_Shape]) -> dict[tuple[str, ...], list[int]]:
    """The groupings of `_edge_query`: the columns of each (the request's keys, and the
    stage column of a stage filter), and the requests each serves. A request without a
    stage filter whose columns another set holds with a stage column beside them is
    served by that set (its rows added up over the stage column): each set is a hash of
    every pledge on PostgreSQL (the dated dashboard's partial months, 13,249 pledges at a
    million: four sets 63-71 ms, three 49-57 ms of the server's time), a sort on SQLite."""
    sets: dict[tuple[str, ...], list[int]] = {}
    for number, (groups, stage, _chosen) in enumerate(shapes):
        named = [EDGE_KEYS[name][0] for name in groups]
        if stage is not None:
            named.append(_stage_column(stage))
        sets.setdefault(tuple(dict.fromkeys(named)), []).append(number)
    for columns in list(sets):
        wider = [other for other in sets if other != columns and len(other) == len(columns) + 1
                 and other[:-1] == columns and other[-1] in _STAGE_COLUMNS]  # fmt: skip
        if wider:
            sets[wider[0]].extend(sets.pop(columns))
    return sets


_STAGE_COLUMNS = (EDGE_KEYS["stage"][0], EDGE_KEYS[CANCELLED_APART][0])


def _take(shape: _Shape, number: int, columns: Sequence[str], kept: Any) -> _Take:
    """What request `number` (of `shape`) takes of a row whose key columns, after the
    sign, are `columns`."""
    groups, stage, chosen = shape
    at = None if stage is None else 1 + list(columns).index(_stage_column(stage))
    positions = tuple(1 + list(columns).index(EDGE_KEYS[name][0]) for name in groups)
    return (number, positions, at, stage, kept(chosen))


def _edge_pledges(
    dialect: str,
    unranged: TotalsFilter,
    ranges: Sequence[tuple[str | None, int]],
    measures: frozenset[str] | None,
    *,
    by_category: bool,
    materialized: bool,
) -> Any:
    """The live pledges of the day ranges (each its month, `_month_key`, and its sign:
    added or taken away; its days the parameters `edge_first_k`, `edge_last_k`) under
    `unranged` (filters without a date range or stage; a group's donors listed), with
    their keys and what each adds to each of `measures` (all: None; computed once per
    pledge, which each request's part then sums; the others are 0), as a common table,
    `materialized` or not; their items' categories only `by_category` (the catalogue is
    read only then)."""
    conditions = [*pledge_conditions(unranged), *_every_donor_of(dialect, unranged)]
    category = [Item.category_id] if by_category else []
    parts = []
    for number, (month, sign) in enumerate(ranges):  # one part per range: an index range
        first = bindparam(f"edge_first_{number}", type_=Date)
        last = bindparam(f"edge_last_{number}", type_=Date)
        part = (
            select(
                Pledge.donor_id,
                Pledge.item_id,
                Pledge.kind,
                Pledge.stage,
                *category,
                _month_of(dialect, month).label("month"),
                cancelled_apart(Pledge.stage).label(CANCELLED_APART),
                literal_column(str(sign)).label("sign"),
                *_pledge_values(measures, scaled=not scales_per_group(dialect)),
            )  # fmt: skip
            .select_from(Pledge)
            .where(*conditions, Pledge.announced.between(first, last))
        )
        parts.append(part.join(Item, Item.id == Pledge.item_id) if by_category else part)
    edge: Any = union_all(*parts) if len(parts) > 1 else parts[0]
    table = edge.cte("edge_pledges")
    return table.prefix_with("MATERIALIZED") if materialized else table


def _month_key(first: date, last: date) -> str | None:
    """The month ("YYYY-MM") of the days from `first` to `last` when both are in one
    month, as a partial month's are; None else."""
    return f"{first:%Y-%m}" if (first.year, first.month) == (last.year, last.month) else None


def _month_of(dialect: str, month: str | None) -> Any:
    """The month of a day range's pledges: its `month` written as a constant when it has
    one (SQLite's `strftime` of 13,249 pledges cost 3-5 ms of a dated dashboard at a
    million), `dialect_month_sql` else."""
    if month is not None:
        return literal_column(f"'{month}'")
    return dialect_month_sql(dialect)


def every_donor(session: Session, filters: TotalsFilter) -> list[Any]:
    """For a read of pledges by their days under no donor or group filter, on PostgreSQL:
    every donor stated (`donor_id = ANY(ARRAY(SELECT id FROM donor))`, true of every
    pledge), so that the `(donor_id, announced)` index, which carries every column the
    totals read, answers it by an index-only scan of each donor's days. PostgreSQL has no
    skip scan: without it the days were read from the `announced` index and then the
    table, about a page per pledge (the bench's partial months at a million pledges, 13,249
    pledges: 50 ms, 9 ms so). Nothing elsewhere: SQLite skip-scans that index itself."""
    return _every_donor_of(session.get_bind().dialect.name, filters)


def _every_donor_of(dialect: str, filters: TotalsFilter) -> list[Any]:
    """`every_donor` on the database named `dialect`."""
    if dialect != "postgresql" or filters.donor_ids or filters.group_id is not None:
        return []
    return [Pledge.donor_id == any_(literal_column("ARRAY(SELECT donor.id FROM donor)"))]


@cache
def _pledge_values(
    measures: frozenset[str] | None = None, *, scaled: bool = True
) -> tuple[Any, ...]:
    """What a pledge adds to each measure (of `measures`, 0 to the others), labelled by
    the measure's name (built once); not `scaled`: see `pledge_value_sql`."""
    values = (pledge_value_sql(m, scaled=scaled) if measures is None or m.name in measures
              else literal(0) for m in MEASURES)  # fmt: skip
    return tuple(value.label(m.name) for value, m in zip(values, MEASURES, strict=True))


def _edge_part(
    edge: Any,
    number: int,
    columns: Sequence[str],
    wanted: frozenset[str] | None = None,
) -> Any:
    """One set's sums over the edge pledges, per sign and per its key `columns` (of the
    `wanted` measures; 0 for the others): the sign, every key column of EDGE_KEYS (an
    empty value for those it does not group by), its `number`, the measures."""
    keys = [edge.c[column] if column in columns else literal_column(repr(empty))
            for column, empty in EDGE_KEYS.values()]  # fmt: skip
    measures = [
        func.coalesce(func.sum(edge.c[name]), 0)
        if wanted is None or name in wanted
        else literal_column("0")
        for name in MEASURE_NAMES
    ]
    number_column: Any = literal_column(str(number))
    query = select(edge.c.sign, *keys, number_column, *measures).select_from(edge)
    return query.group_by(edge.c.sign, *(edge.c[column] for column in columns))
