"""Everything the dashboard shows, from one read of the totals rollup where the filters allow.

Without a date, donor or group filter, every table and chart of the dashboard comes
from one UNION ALL over the rollup, each part grouped in SQL to at most a few hundred
rows (kind × stage for the headline, kind and stage tables and pledged vs delivered;
donor × kind for the donor table and chart, from the donor × kind rows unless a stage,
recipient or reviewed filter needs the donor rows; item, category, month and currency),
and is split into groupings in Python. Other filters (a date range, a donor, a group) take
four totals queries (`_per_grouping`), which the rollup answers where one of its
dimensions holds the keys and the pledge table where none does. Both give the same
rows as the per-grouping service calls of tracker.services.totals.

A page shows the largest rows of its long tables (`shown`) and the largest items of
each row (`items_shown`): the one read sorts the sums as whole cents and builds rows
for those only, and counts the rest (`table_sizes`).
"""

from __future__ import annotations

import heapq
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    cast,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from tracker.models import Donor, Item, ItemCategory, Recipient, TotalsRollup
from tracker.reference import STAGES
from tracker.services import totals as totals_service
from tracker.services.item_counts import ItemCounts, by_category, counted_items
from tracker.services.rollup import CANCELLED, MEASURE_INDEX, MEASURE_NAMES, Measures
from tracker.services.rollup import PARTLY_CROSSED as KEEPS
from tracker.services.totals import (
    ITEM_MEASURES,
    PLEDGED_STAGES,
    ROW_MEASURES,
    UNDATED,
    KindStack,
    PledgedDelivered,
    TotalRow,
    TotalsFilter,
    make_row,
)
from tracker.services.totals_plan import CANCELLED_APART, rollup_dimension

__all__ = ["DashboardTotals", "ReferenceNames", "dashboard_totals", "load_reference_names"]

TABLE_GROUPINGS = ("donor", "kind", "category", "item", "stage")
_WORD = re.compile(r"[a-z_]*")  # dimensions, stages and labels: written into SQL as they are
# The rollup's key columns in the order of its primary key after `dimension`.
KEY_ORDER = ("key_id", "key", "kind", "stage")
_WIDTH = len(MEASURE_NAMES)
_EUR, _USD = MEASURE_INDEX["eur_cents"], MEASURE_INDEX["usd_cents"]


@dataclass(frozen=True)
class ReferenceNames:
    """Names the dashboard shows for ids, and the choices of its filter form."""

    donors: dict[int, str]
    items: dict[int, tuple[str, str | None]]
    categories: dict[int, str]
    groups: list[tuple[int, str]]
    recipients: list[tuple[int, str]]
    item_categories: dict[int, int] = field(default_factory=dict)


@dataclass
class DashboardTotals:
    """The dashboard's figures: tables by grouping, headline, stages, chart data."""

    tables: dict[str, list[TotalRow]]
    grand: TotalRow
    unconverted: dict[str, int]
    stages: list[PledgedDelivered]
    donor_kinds: list[KindStack]
    # Promised (every stage but cancelled), allocated and delivered per donor, whatever
    # the stage filter: each row's eur, allocated_eur and delivered_eur.
    stages_by_donor: list[TotalRow] = field(default_factory=list)
    # What donor groups pledged as a whole ("conference participants"): part of the grand
    # total, shown apart since it may overlap the members' own pledges.
    group_aggregate_eur: Decimal = Decimal(0)
    group_aggregate_pledges: int = 0
    months: list[TotalRow] = field(default_factory=list)
    # How many rows each table (and "stages_by_donor") has, when only the largest are kept.
    table_sizes: dict[str, int] = field(default_factory=dict)
    # The item counts of the kind and category tables.
    item_counts: dict[str, dict[Any, ItemCounts]] = field(default_factory=dict)


def load_reference_names(session: Session) -> ReferenceNames:
    """Donor, item, category, group and recipient names (four small queries)."""
    donors: dict[int, str] = {}
    groups: list[tuple[int, str]] = []
    for donor_id, name, kind in session.execute(
        select(Donor.id, Donor.name, Donor.kind).order_by(Donor.name)
    ):
        donors[donor_id] = name
        if kind == "group":
            groups.append((donor_id, name))
    items: dict[int, tuple[str, str | None]] = {}
    item_categories: dict[int, int] = {}
    for row in session.execute(select(Item.id, Item.name, Item.unit, Item.category_id)):
        items[row.id] = (row.name, row.unit)
        item_categories[row.id] = row.category_id
    categories = {row.id: row.name for row in session.execute(
        select(ItemCategory.id, ItemCategory.name))}  # fmt: skip
    recipients = [
        (row.id, row.name)
        for row in session.execute(select(Recipient.id, Recipient.name).order_by(Recipient.name))
    ]
    return ReferenceNames(donors, items, categories, groups, recipients, item_categories)


def _part(
    dimension: str,
    groups: Iterable[str],
    filters: TotalsFilter,
    *,
    stage: bool,
    label: str | None = None,
    stages: tuple[str, ...] = (),
    items: bool = False,
) -> Any:
    """One rollup dimension summed over `groups` (of key_id, key, kind, stage), filters applied
    (the stage filter only with `stage`; `stages`: only rows of these stages), its
    rows named `label` (the dimension by default); the ITEM_MEASURES are summed only for
    `items` (rows that become item rows or item counts), 0 otherwise.

    It groups by every key column up to the last one wanted, in the primary key's order:
    the others hold one value within a dimension (0 or ""), so the groups are the same,
    and the rows arrive in index order with nothing to sort. The sums are cast to BIGINT
    (PostgreSQL sums BIGINT as NUMERIC)."""
    rollup: Any = TotalsRollup
    chosen = set(groups)
    columns = {
        "key_id": rollup.key_id if "key_id" in chosen else _written(0, Integer),
        "key": rollup.key if "key" in chosen else _written("", String),
        "kind": rollup.kind if "kind" in chosen else _written("", String),
        "stage": rollup.stage if "stage" in chosen else _written("", String),
    }
    sums = [
        cast(func.sum(getattr(rollup, n)), BigInteger)
        if items or n not in ITEM_MEASURES
        else _written(0, BigInteger)
        for n in MEASURE_NAMES
    ]
    query = select(_written(label or dimension, String), *columns.values(), *sums).where(
        rollup.dimension == _written(dimension, String)
    )
    if stages:
        query = query.where(rollup.stage.in_([_written(s, String) for s in stages]))
    if filters.kind is not None:
        query = query.where(rollup.kind == filters.kind)
    if stage and filters.stage is not None:
        query = query.where(rollup.stage == filters.stage)
    if filters.recipient_id is not None:
        query = query.where(rollup.recipient_id == filters.recipient_id)
    if filters.reviewed is not None:
        query = query.where(rollup.reviewed.is_(filters.reviewed))
    last = max(KEY_ORDER.index(g) for g in chosen)
    return query.group_by(*[getattr(rollup, g) for g in KEY_ORDER[: last + 1]])


def _written(value: str | int, type_: Any) -> Any:
    """A constant of the one read (a dimension, a stage, a label, 0 or "") written into its
    SQL instead of bound: without a filter the read then has no parameter at all, and
    PostgreSQL runs it, once prepared (see views/dashboard.py), on one generic plan instead
    of planning it on every request. The SQL is compiled once, so nothing is added per run."""
    if isinstance(value, int):
        return literal_column(str(int(value)), type_)
    if not _WORD.fullmatch(value):
        raise ValueError(f"{value!r} is not a word to write into SQL")
    return literal_column(f"'{value}'", type_)


def _summed(parts: Iterable[list[int]]) -> Measures:
    """Measures that add up the given measure lists."""
    total = [0] * _WIDTH
    for part in parts:
        total = [a + b for a, b in zip(total, part, strict=True)]
    return Measures(*total)


def _add(into: dict[Any, list[int]], key: Any, values: list[int]) -> None:
    """Add measure list `values` into `into[key]`."""
    current = into.get(key)
    into[key] = values if current is None else list(map(operator.add, current, values))


def _named_rows(
    grouped: dict[Any, list[int]],
    names: Mapping[int, Any],
    *,
    items: bool = False,
    limit: int | None = None,
) -> tuple[list[TotalRow], int]:
    """Rows of an id grouping, named, sorted by EUR descending then name: the first `limit`
    of them (all without one) built, and how many there are in all."""
    entries = []
    for key_id, values in grouped.items():
        if not values[0]:
            continue
        name = names.get(key_id)
        label, unit = (name if items else (name, None)) if name else (f"#{key_id}", None)
        entries.append((-values[_EUR], label, key_id, unit, values))
    order = lambda entry: entry[:2]  # noqa: E731 - the sort key of both branches
    chosen = sorted(entries, key=order) if limit is None else heapq.nsmallest(limit, entries, order)
    rows = [make_row(label, key_id, Measures.of_list(values), unit=unit, with_quantity=items)
            for _eur, label, key_id, unit, values in chosen]  # fmt: skip
    return rows, len(entries)


def _word_rows(grouped: dict[str, list[int]]) -> list[TotalRow]:
    """Rows of a kind or stage grouping, sorted by EUR descending then key."""
    rows = [make_row(str(k) or UNDATED, None, Measures.of_list(v))
            for k, v in grouped.items() if v[0]]  # fmt: skip
    return sorted(rows, key=lambda r: (-r.eur, r.key))


def _month_rows(grouped: dict[str, list[int]]) -> list[TotalRow]:
    """Rows of the month grouping in month order, the undated row last."""
    rows = [make_row(k or UNDATED, None, Measures.of_list(v)) for k, v in grouped.items() if v[0]]
    return sorted(rows, key=lambda r: (r.key == UNDATED, r.key))


def _stages_by_kind(by_kind_stage: dict[tuple[str, str], list[int]]) -> list[PledgedDelivered]:
    """Pledged (every stage but cancelled) beside delivered, per kind, whatever the stage filter."""
    pledged: dict[str, list[int]] = {}
    delivered: dict[str, list[int]] = {}
    for (kind, stage), values in by_kind_stage.items():
        if not values[0]:
            continue
        if stage in PLEDGED_STAGES:
            _add(pledged, kind, values)
        if stage == "delivered":
            _add(delivered, kind, values)
    result = []
    for row in _word_rows(pledged):
        done = delivered.get(row.key)
        shown = make_row(row.key, None, Measures.of_list(done) if done else Measures())
        result.append(PledgedDelivered(row.key, None, row, shown))
    return result


def _donor_stacks(
    by_donor_kind: dict[tuple[int, str], list[int]], names: dict[int, str], top: int
) -> list[KindStack]:
    """The `top` donors by EUR, each split by kind (only theirs are split; `by_donor_kind`
    may hold only theirs)."""
    totals: dict[int, int] = {}
    for (donor_id, _kind), values in by_donor_kind.items():
        if values[0]:
            totals[donor_id] = totals.get(donor_id, 0) + values[_EUR]
    chosen = _top_donors(totals, names, top)
    cents: dict[int, dict[str, tuple[int, int]]] = {donor_id: {} for *_o, donor_id in chosen}
    for (donor_id, kind), values in by_donor_kind.items():
        kinds = cents.get(donor_id)
        if kinds is not None and values[0]:
            kinds[kind] = (values[_EUR], values[_USD])
    stacks = []
    for _eur, name, donor_id in chosen:
        eur_by_kind = {k: Decimal(e).scaleb(-2) for k, (e, _u) in cents[donor_id].items()}
        usd_by_kind = {k: Decimal(u).scaleb(-2) for k, (_e, u) in cents[donor_id].items()}
        stacks.append(KindStack(name, donor_id, sum(eur_by_kind.values(), Decimal(0)),
                                sum(usd_by_kind.values(), Decimal(0)), eur_by_kind,
                                usd_by_kind))  # fmt: skip
    return stacks


def _top_donors(eur: Mapping[int, int], names: Mapping[int, str], top: int) -> list[Any]:
    """(minus EUR cents, name, id) of the `top` donors of `eur` (cents per donor id), by
    EUR descending then name: the donor chart's."""
    order = [(-cents, names.get(donor_id, f"#{donor_id}"), donor_id)
             for donor_id, cents in eur.items()]  # fmt: skip
    return heapq.nsmallest(top, order, key=lambda entry: entry[:2])


def _donor_dimension(groups: tuple[str, ...], filters: TotalsFilter) -> str:
    """The rollup dimension of the one read's donor parts: donor × kind with the cancelled
    pledges apart where it answers `groups` under `filters`, the donor rows (crossed with
    every stage, recipient and reviewed) otherwise."""
    return rollup_dimension(groups, filters, dated=False) or "donor"


def _promised_per_donor(filters: TotalsFilter) -> Any:
    """What each donor promised (every stage but cancelled, whatever the stage filter).

    Without a stage filter the donor part already sums every stage, so only the
    cancelled rows are read ("cancelled", a quarter of the donor rows) and taken away
    from it; with one, the promised stages are read ("pledged"). From donor × kind rows
    those are the rows whose stage is CANCELLED, or "" (every other stage)."""
    dimension = _donor_dimension(_DONOR_KIND_APART, replace(filters, stage=None))
    apart = "cancelled" in KEEPS.get(dimension, ("", "", frozenset()))[2]
    if filters.stage is None:
        cancelled = (CANCELLED,) if apart else tuple(s for s in STAGES if s not in PLEDGED_STAGES)
        return _part(dimension, ("key_id",), filters, stage=False, label="cancelled",
                     stages=cancelled)  # fmt: skip
    return _part(dimension, ("key_id",), filters, stage=False, label="pledged",
                 stages=("",) if apart else PLEDGED_STAGES)  # fmt: skip


@lru_cache(maxsize=64)
def _one_read(filters: TotalsFilter) -> Any:
    """The UNION ALL of `_from_one_read`, built once per filter (a few hundred SQL elements)."""
    return union_all(
        _part("all", ("kind", "stage"), filters, stage=False),
        _part(
            _donor_dimension(("donor", "kind"), filters),
            ("key_id", "kind"),
            filters,
            stage=True,
            label="donor",
        ),
        _promised_per_donor(filters),
        _part("item", ("key_id", "kind"), filters, stage=True, items=True),
        _part("category", ("key_id",), filters, stage=True),
        _part("month", ("key",), filters, stage=True),
        _part("currency", ("key",), filters, stage=True),
    )


def _from_one_read(
    session: Session,
    filters: TotalsFilter,
    names: ReferenceNames,
    top: int,
    shown: Mapping[str, int] | None = None,
    items_shown: int | None = None,
) -> DashboardTotals:
    """The dashboard from one UNION ALL over the rollup (no date, donor or group filter)."""
    query = _one_read(filters)
    kind_stage: dict[tuple[str, str], list[int]] = {}
    donor_kind: dict[tuple[int, str], list[int]] = {}
    donor_pledged: dict[int, list[int]] = {}
    donor_cancelled: dict[int, list[int]] = {}
    kind_item: list[tuple[tuple[str, int], list[int]]] = []
    by_id: dict[str, dict[Any, list[int]]] = {"donor": {}, "item": {}, "category": {}}
    months: dict[str, list[int]] = {}
    unconverted: dict[str, int] = {}
    for dimension, key_id, key, kind, stage, *values in session.execute(query).all():
        if dimension == "donor":  # the dimensions by their number of rows, most first
            donor_kind[(key_id, kind)] = values
            _add(by_id["donor"], key_id, values)
        elif dimension == "item":
            if values[0]:
                kind_item.append(((kind, key_id), values))
            _add(by_id["item"], key_id, values)
        elif dimension == "cancelled":
            donor_cancelled[key_id] = values
        elif dimension == "pledged":
            donor_pledged[key_id] = values
        elif dimension == "all":
            kind_stage[(kind, stage)] = values
        elif dimension == "month":
            months[key] = values
        elif dimension == "currency":
            if values[0]:
                unconverted[key] = values[MEASURE_NAMES.index("unconverted")]
        else:
            by_id[dimension][key_id] = values
    if filters.stage is None:  # promised: the donor's every stage less its cancelled ones
        for donor_id, values in by_id["donor"].items():
            gone = donor_cancelled.get(donor_id)
            donor_pledged[donor_id] = values if gone is None else [
                a - b for a, b in zip(values, gone, strict=True)]  # fmt: skip
    wanted = {ks: v for ks, v in kind_stage.items() if filters.stage in (None, ks[1])}
    by_kind: dict[str, list[int]] = {}
    by_stage: dict[str, list[int]] = {}
    for (kind, stage), values in wanted.items():
        _add(by_kind, kind, values)
        _add(by_stage, stage, values)
    limits = shown or {}
    tables: dict[str, list[TotalRow]] = {"kind": _word_rows(by_kind), "stage": _word_rows(by_stage)}
    sizes: dict[str, int] = {}
    for by, named, items in (("donor", names.donors, False), ("category", names.categories, False),
                             ("item", names.items, True)):  # fmt: skip
        tables[by], sizes[by] = _named_rows(by_id[by], named, items=items, limit=limits.get(by))
    tables = {by: tables[by] for by in TABLE_GROUPINGS}
    pledged_rows, sizes["stages_by_donor"] = _named_rows(
        donor_pledged, names.donors, limit=limits.get("stages_by_donor")
    )
    pledges = [v for v in wanted.values() if v[0]]
    groups = {group_id for group_id, _name in names.groups}
    in_groups = [v for donor_id, v in by_id["donor"].items() if donor_id in groups and v[0]]
    return DashboardTotals(
        tables=tables,
        grand=make_row("total", None, _summed(pledges)),
        unconverted={code: n for code, n in sorted(unconverted.items()) if code and n},
        stages=_stages_by_kind(kind_stage),
        donor_kinds=_donor_stacks(donor_kind, names.donors, top),
        months=_month_rows(months),
        stages_by_donor=pledged_rows,
        group_aggregate_eur=Decimal(sum(v[_EUR] for v in in_groups)).scaleb(-2),
        group_aggregate_pledges=sum(v[0] for v in in_groups),
        table_sizes=sizes,
        item_counts={
            "kind": counted_items(kind_item, names.items, items_shown),
            "category": counted_items(
                by_category(kind_item, names.item_categories), names.items, items_shown
            ),  # fmt: skip
        },
    )


@dataclass
class _StageSums:
    """Measure lists per (kind, stage) whatever the stage filter, per (donor, kind) and per
    donor under it, promised per donor (every stage but cancelled), and per month and per
    (kind, item) under the filter when the same reads gave them (None otherwise)."""

    kind_stage: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    donor_kind: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    donor_pledged: dict[int, list[int]] = field(default_factory=dict)
    donors: dict[int, list[int]] = field(default_factory=dict)
    months: dict[str, list[int]] | None = None
    kind_item: list[tuple[tuple[str, int], list[int]]] | None = None


def _dated(filters: TotalsFilter) -> bool:
    """Whether `filters` hold a date range."""
    return filters.start is not None or filters.end is not None


# Donor × kind with the cancelled pledges apart: the donor table and chart, and promised.
_DONOR_KIND_APART = ("donor", "kind", CANCELLED_APART)


def _donor_kind_stage(
    session: Session, filters: TotalsFilter, names: Mapping[int, str], top: int
) -> _StageSums:
    """The sums of `_StageSums` (`donor_kind`: at least the `top` donors' of the chart,
    `names` breaking ties).

    Without a date range, one donor × kind × stage query gives them (from the rollup's
    donor rows under a donor or group filter). Under a date range without a stage
    filter, queries that read fewer rollup rows give them instead (`_dated_sums`). Under
    a date range and a stage filter the one query reads the donor × month × kind × stage
    rows; where no dimension holds a query (a recipient or reviewed filter beside a donor
    one, a source, a text) it reads the pledge table."""
    unstaged = replace(filters, stage=None)
    dated = _dated(filters)
    if (
        filters.stage is None
        and dated
        and rollup_dimension(_DONOR_KIND_APART, unstaged, dated=dated) is not None
        and rollup_dimension(("month", "kind", "stage"), unstaged, dated=dated) is not None
    ):
        return _dated_sums(session, filters, names, top)
    sums = _StageSums()
    for (donor_id, kind, stage), m in totals_service.aggregate(
        session, ("donor", "kind", "stage"), unstaged, measures=ROW_MEASURES
    ):
        values = list(m.values())
        _add(sums.kind_stage, (kind, stage), values)
        if stage in PLEDGED_STAGES:
            _add(sums.donor_pledged, donor_id, values)
        if filters.stage in (None, stage):
            _add(sums.donor_kind, (donor_id, kind), values)
            _add(sums.donors, donor_id, values)
    return sums


def _cancelled_only(filters: TotalsFilter) -> TotalsFilter:
    """`filters` narrowed to the cancelled pledges."""
    return replace(filters, stage=CANCELLED)


# What the donor chart reads of its donors' rows by kind (and "pledges", always summed).
_CHART_MEASURES = frozenset({"eur_cents", "usd_cents"})


def _dated_sums(
    session: Session, filters: TotalsFilter, names: Mapping[int, str], top: int
) -> _StageSums:
    """`_donor_kind_stage` under a date range and no stage filter, from rows that hold no
    more than each table needs: kind × stage and month from one read of the month rows
    (months × kinds × stages rows, added up here), kind × item from the item × month
    rows, and the donors with their cancelled
    part, which promised leaves out: with no kind filter, the donors from the donor ×
    month rows (summed over kind and stage: a sixth of the donor × month × kind rows) and
    their cancelled part from the donor × month × kind rows that hold it; with one, both
    from one read of the donor × month × kind rows of that kind, the cancelled apart. The
    partial months' pledges are read once for all (`aggregate_together`). The chart's
    `top` donors are then split by kind from their own donor × month × kind rows and
    partial months' pledges alone (under a kind filter, a donor's total is its kind's)."""
    sums = _StageSums()
    unstaged = replace(filters, stage=None)
    apart = ("donor", CANCELLED_APART)
    one_read = rollup_dimension(("donor",), unstaged, dated=True) == rollup_dimension(
        apart, unstaged, dated=True
    )
    donor_reads = [(apart, unstaged)] if one_read else [
        (("donor",), unstaged), (("donor",), _cancelled_only(unstaged))]  # fmt: skip
    by_month_kind_stage, by_item, *by_donor = totals_service.aggregate_together(
        session,
        [(("month", "kind", "stage"), unstaged), (("kind", "item"), filters), *donor_reads],
        [ROW_MEASURES, None, *[ROW_MEASURES for _read in donor_reads]],
    )  # fmt: skip
    sums.months = {}
    for (month, kind, stage), m in by_month_kind_stage:
        values = list(m.values())
        _add(sums.kind_stage, (kind, stage), values)
        _add(sums.months, month, values)
    sums.kind_item = [(key, list(m.values())) for key, m in by_item]
    if one_read:
        for (donor_id, cancelled), m in by_donor[0]:
            values = list(m.values())
            _add(sums.donors, donor_id, values)
            if cancelled != CANCELLED:
                _add(sums.donor_pledged, donor_id, values)
    else:
        sums.donors = {donor_id: list(m.values()) for (donor_id,), m in by_donor[0]}
        gone = {donor_id: m.values() for (donor_id,), m in by_donor[1]}
        for donor_id, values in sums.donors.items():
            out = gone.get(donor_id)
            sums.donor_pledged[donor_id] = values if out is None else [
                a - b for a, b in zip(values, out, strict=True)]  # fmt: skip
    if filters.kind is not None:
        sums.donor_kind = {(donor_id, filters.kind): v for donor_id, v in sums.donors.items()}
        return sums
    eur = {donor_id: values[_EUR] for donor_id, values in sums.donors.items() if values[0]}
    chart = tuple(sorted(donor_id for *_order, donor_id in _top_donors(eur, names, top)))
    if chart:
        for (donor_id, kind), m in totals_service.aggregate(
            session, ("donor", "kind"), replace(unstaged, donor_ids=chart),
            measures=_CHART_MEASURES,
        ):  # fmt: skip
            sums.donor_kind[(donor_id, kind)] = list(m.values())
    return sums


def _item_sums(
    session: Session,
    filters: TotalsFilter,
    names: ReferenceNames,
    limits: Mapping[str, int],
    items_shown: int | None,
    kind_item: list[tuple[tuple[str, int], list[int]]] | None,
) -> dict[str, Any]:
    """The item and category tables ((rows, size) each, the largest `limits` rows built)
    and the item counts of the kind and category tables ("counts"), from one read of the
    measures per kind and item (`kind_item`, when the caller has read it already): the
    rollup holds it under a date range (the item × month rows, crossed with kind) and
    under a donor or group filter, with or without a kind or stage filter (the donor ×
    item × kind × stage rows). An item the names do not know yet (added since they were
    read) sends the tables to their own queries."""
    if kind_item is None:
        read = totals_service.aggregate(session, ("kind", "item"), filters)
        kind_item = [(key, list(m.values())) for key, m in read]
    counts = {
        "kind": counted_items(kind_item, names.items, items_shown),
        "category": counted_items(
            by_category(kind_item, names.item_categories), names.items, items_shown
        ),
    }
    if not all(item_id in names.item_categories for (_kind, item_id), _v in kind_item):
        tables: dict[str, Any] = {"counts": counts}
        for by in ("item", "category"):
            rows = totals_service.totals(session, by, filters)
            tables[by] = (rows[: limits.get(by)], len(rows))
        return tables
    by_id: dict[str, dict[Any, list[int]]] = {"item": {}, "category": {}}
    for (_kind, item_id), values in kind_item:
        _add(by_id["item"], item_id, values)
        _add(by_id["category"], names.item_categories[item_id], values)
    return {
        "item": _named_rows(by_id["item"], names.items, items=True, limit=limits.get("item")),
        "category": _named_rows(
            by_id["category"], names.categories, limit=limits.get("category")
        ),  # fmt: skip
        "counts": counts,
    }


def _per_grouping(
    session: Session,
    filters: TotalsFilter,
    names: ReferenceNames,
    top: int,
    shown: Mapping[str, int] | None = None,
    items_shown: int | None = None,
) -> DashboardTotals:
    """The dashboard under a date, donor or group filter, from a few totals queries, each
    answered by the rollup where one dimension holds it (tracker.services.totals_plan):
    donor × kind × stage whatever the stage filter (the headline, kind, stage and donor
    tables, pledged vs delivered, the donor chart; see `_donor_kind_stage`), kind × item
    (the item counts, and the item and category tables: `_item_sums`) and month."""
    sums = _donor_kind_stage(session, filters, names.donors, top)
    by_kind: dict[str, list[int]] = {}
    by_stage: dict[str, list[int]] = {}
    for (kind, stage), values in sums.kind_stage.items():
        if filters.stage in (None, stage):
            _add(by_kind, kind, values)
            _add(by_stage, stage, values)
    limits = shown or {}
    items = _item_sums(session, filters, names, limits, items_shown, sums.kind_item)
    donor_rows, donor_count = _named_rows(sums.donors, names.donors, limit=limits.get("donor"))
    tables = {
        "donor": donor_rows,
        "kind": _word_rows(by_kind),
        "category": items["category"][0],
        "item": items["item"][0],
        "stage": _word_rows(by_stage),
    }
    pledged, pledged_count = _named_rows(
        sums.donor_pledged, names.donors, limit=limits.get("stages_by_donor")
    )
    groups = {group_id for group_id, _name in names.groups}
    in_groups = [v for donor_id, v in sums.donors.items() if donor_id in groups and v[0]]
    sizes = {"donor": donor_count, "category": items["category"][1],
             "item": items["item"][1], "stages_by_donor": pledged_count}  # fmt: skip
    if sums.months is None:
        months = totals_service.totals(session, "month", filters)
    else:
        months = _month_rows(sums.months)
    grand = make_row("total", None, _summed(by_kind.values()))
    return DashboardTotals(
        tables=tables,
        grand=grand,
        unconverted=totals_service.unconverted_by_currency(session, filters, grand=grand),
        stages=_stages_by_kind(sums.kind_stage),
        donor_kinds=_donor_stacks(sums.donor_kind, names.donors, top),
        months=months,
        stages_by_donor=pledged,
        group_aggregate_eur=Decimal(sum(v[_EUR] for v in in_groups)).scaleb(-2),
        group_aggregate_pledges=sum(v[0] for v in in_groups),
        table_sizes=sizes,
        item_counts=items["counts"],
    )


def dashboard_totals(
    session: Session,
    filters: TotalsFilter | None = None,
    *,
    names: ReferenceNames | None = None,
    top: int = 10,
    shown: Mapping[str, int] | None = None,
    items_shown: int | None = None,
) -> DashboardTotals:
    """Every figure of the dashboard for `filters`; `names` saves reading them again.

    `shown` keeps the largest rows of a table ("donor", "category", "item") or of
    "stages_by_donor" (all without it; `table_sizes` counts them all), `items_shown` the
    largest items of each row's item counts."""
    chosen = filters or TotalsFilter()
    names = names or load_reference_names(session)
    unfiltered_by_row = replace(chosen, kind=None, stage=None, recipient_id=None,
                                reviewed=None)  # fmt: skip
    if unfiltered_by_row != TotalsFilter():
        return _per_grouping(session, chosen, names, top, shown, items_shown)
    return _from_one_read(session, chosen, names, top, shown, items_shown)
