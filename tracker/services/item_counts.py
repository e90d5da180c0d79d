"""What the items of a total add up to, beside its money: "≥ 5,000 missiles, 4 systems".

Quantities of different items cannot be summed, so a donor's or a kind's row lists
its quantity items one by one (item rows of the totals service, largest first),
counts the pledges of quantity items that state no number ("unquantified"), and
says whether any of its pledges carries money at all: a stated amount (a row of
weapons alone shows its counts, not "€0"; nor does "more defensive weapons", a
pledge of an item counted in no unit that states no number). A page that shows a
row's largest few items asks for those (`limit`): the others are counted, not built.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from tracker.models import Item, TotalsRollup
from tracker.models.totals import MEASURE_NAMES
from tracker.services.rollup import MEASURE_INDEX, Measures
from tracker.services.totals import TotalRow, TotalsFilter, aggregate, make_row, rollup_serves
from tracker.services.totals_filter import group_membership

__all__ = [
    "ItemCounts",
    "counted_items",
    "donor_items_are_cheap",
    "item_counts",
    "rollup_donor_item_counts",
    "table_item_counts",
]

TABLE_GROUPINGS = ("kind", "category")
_PLEDGES, _QUANTIFIED, _QUANTITY = (MEASURE_INDEX[n] for n in ("pledges", "quantified",
                                                              "quantity_milli"))  # fmt: skip
_MONEY = tuple(MEASURE_INDEX[n] for n in ("eur_cents", "usd_cents", "unconverted"))
# The measures an item count reads (`counted_items`) and shows of its item rows
# (`quantity_total`: quantity, lower bound, open-ended, approximate). Read from the pledge
# table (under a date range the shown donors' items are), only these are computed: the
# others (stage figures, the EUR lower bound, stale rates) took a third of that read.
COUNTED_MEASURES = frozenset(
    {"pledges", "quantified", "quantity_milli", "quantity_lower_milli", "open_ended",
     "approximate", "eur_cents", "usd_cents", "unconverted"}
)  # fmt: skip
# Donors per UNION ALL of `rollup_donor_item_counts` (SQLite allows 500 parts).
DONORS_PER_READ = 50


@dataclass
class ItemCounts:
    """The quantity items of one total row, its unquantified pledges, and whether it has money.

    `items` holds the largest quantity items first, at most the `limit` asked for;
    `quantity_items` counts them all. Item rows read by `item_counts` from a grouping
    by donor, group or stage carry COUNTED_MEASURES only (the other figures are 0).
    """

    items: list[TotalRow] = field(default_factory=list)
    unquantified: int = 0
    has_money: bool = False
    quantity_items: int = 0


def item_counts(
    session: Session,
    by: str,
    filters: TotalsFilter | None = None,
    *,
    keys: Collection[Any] | None = None,
    limit: int | None = None,
) -> dict[Any, ItemCounts]:
    """Per key of grouping `by` (donor, group, category: ids; kind, stage: words), its item
    counts, each listing at most `limit` items. `keys` narrows a donor grouping to the rows
    shown; with no filter but a donor or group one, those donors' counts come from the
    rollup's donor × item rows (a donor's row counts all its pledges either way)."""
    chosen = filters or TotalsFilter()
    if by == "donor" and keys is not None and _only_donors(chosen):
        return rollup_donor_item_counts(session, _donors_in(session, chosen, keys), limit=limit)
    if keys is not None and by in ("donor", "group") and not chosen.donor_ids:
        chosen = replace(chosen, donor_ids=tuple(keys))
    if by in TABLE_GROUPINGS:
        return table_item_counts(session, chosen, limit=limit)[by]
    grouped = aggregate(session, (by, "item"), chosen, measures=COUNTED_MEASURES)
    shown = [(key, m.values()) for key, m in grouped if keys is None or key[0] in keys]
    return counted_items(shown, _catalogue(session), limit)


def _only_donors(filters: TotalsFilter) -> bool:
    """Whether `filters` narrow the pledges by donor or group alone (or not at all)."""
    return replace(filters, donor_ids=(), group_id=None) == TotalsFilter()


def _donors_in(session: Session, filters: TotalsFilter, keys: Collection[int]) -> set[int]:
    """The donors of `keys` that the donor and group filters keep."""
    kept = set(keys)
    if filters.donor_ids:
        kept &= set(filters.donor_ids)
    if filters.group_id is not None and kept:
        members = group_membership()
        in_group = select(members.c.donor_id).where(members.c.group_id == filters.group_id)
        kept &= set(session.scalars(in_group))
    return kept


def table_item_counts(
    session: Session, filters: TotalsFilter | None = None, *, limit: int | None = None
) -> dict[str, dict[Any, ItemCounts]]:
    """The item counts of the kind and category tables from one read grouped in SQL over
    the rollup's item rows, which carry the kind (an item has one category)."""
    catalogue = _catalogue(session)
    by_kind = [(key, m.values()) for key, m in aggregate(session, ("kind", "item"),
                                                          filters or TotalsFilter())]  # fmt: skip
    categories = {item_id: category for item_id, (_n, _u, category) in catalogue.items()}
    return {
        "kind": counted_items(by_kind, catalogue, limit),
        "category": counted_items(by_category(by_kind, categories), catalogue, limit),
    }


def by_category(
    by_kind: Iterable[tuple[tuple[Any, int], Sequence[int]]], categories: Mapping[int, int]
) -> list[tuple[tuple[Any, int], list[int]]]:
    """Measures per (kind, item id) summed into measures per (category id, item id)."""
    summed: dict[tuple[Any, int], list[int]] = {}
    for (_kind, item_id), values in by_kind:
        key = (categories.get(item_id), item_id)
        current = summed.get(key)
        if current is None:
            summed[key] = list(values)
        else:
            summed[key] = [a + b for a, b in zip(current, values, strict=True)]
    return list(summed.items())


def _catalogue(session: Session) -> dict[int, tuple[str, str | None, int]]:
    """Every item's name, unit and category id (the catalogue is small)."""
    query = select(Item.id, Item.name, Item.unit, Item.category_id)
    return {row.id: (row.name, row.unit, row.category_id) for row in session.execute(query)}


def counted_items(
    grouped: Iterable[tuple[tuple[Any, int], Sequence[int]]],
    items: Mapping[int, tuple[Any, ...]],
    limit: int | None = None,
) -> dict[Any, ItemCounts]:
    """ItemCounts per key from measures (in MEASURE_NAMES order) per (key, item id); `items`
    gives each item's name and unit first. A row lists at most `limit` items."""
    result: dict[Any, ItemCounts] = {}
    listed: dict[Any, list[tuple[int, str, int, str, Sequence[int]]]] = {}
    for (key, item_id), values in grouped:
        counts = result.get(key)
        if counts is None:
            counts = result[key] = ItemCounts()
        name, unit = items[item_id][:2] if item_id in items else (f"#{item_id}", None)
        if any(values[i] for i in _MONEY):
            counts.has_money = True
        if unit is None:
            continue
        counts.unquantified += values[_PLEDGES] - values[_QUANTIFIED]
        if values[_QUANTIFIED]:
            listed.setdefault(key, []).append((-values[_QUANTITY], name, item_id, unit, values))
    for key, entries in listed.items():
        result[key].quantity_items = len(entries)
        result[key].items = [
            _item_row(name, item_id, unit, Measures(*values))
            for _q, name, item_id, unit, values in _largest(entries, limit)
        ]
    return result


def _largest(entries: list[Any], limit: int | None) -> list[Any]:
    """Entries (minus quantity, name, ...) largest quantity first, then by name; `limit` of them."""
    order = lambda entry: entry[:2]  # noqa: E731 - the sort key of both branches
    return sorted(entries, key=order) if limit is None else heapq.nsmallest(limit, entries, order)


def rollup_donor_item_counts(
    session: Session, donor_ids: Collection[int], *, limit: int | None = None
) -> dict[Any, ItemCounts]:
    """The item counts of these donors over every live pledge (no filter), from the
    rollup's donor × item rows, each listing at most `limit` items.

    The rows are many (a donor may have given hundreds of items) and a page shows a
    few, so the counting is done in SQL, in two reads of the donors' rows in index
    order: per donor, whether it has money, its unquantified pledges and how many
    quantity items it has (one row each); then per donor its quantity items as large as
    its `limit`-th largest (ties included), from which the name breaks ties here, as in
    `counted_items`.
    """
    if not donor_ids:
        return {}
    summary = _donor_item_summary()
    result = {
        donor_id: ItemCounts([], int(unquantified), bool(has_money), int(quantity_items))
        for donor_id, has_money, unquantified, quantity_items in session.execute(
            summary, {"donors": sorted(donor_ids)}
        )
    }
    if not result:
        return result
    listed_rows: dict[int, list[tuple[int, str, int, str, Sequence[int]]]] = {}
    found = sorted(result)
    if session.get_bind().dialect.name == "postgresql":
        reads = [(_donor_items_largest_lateral(limit), {"donors": found})]
    else:
        chunks = [found[start : start + DONORS_PER_READ]
                  for start in range(0, len(found), DONORS_PER_READ)]  # fmt: skip
        reads = [(_donor_items_largest(len(chunk), limit),
                  {f"donor_{n}": donor_id for n, donor_id in enumerate(chunk)})
                 for chunk in chunks]  # fmt: skip
    for query, donors in reads:
        for donor_id, item_key, name, unit, *values in session.execute(query, donors):
            entry = (-values[_QUANTITY], name, int(item_key), unit, values)
            listed_rows.setdefault(donor_id, []).append(entry)
    for donor_id, entries in listed_rows.items():
        result[donor_id].items = [
            _item_row(name, item_id, unit, Measures(*values))
            for _q, name, item_id, unit, values in _largest(entries, limit)
        ]
    return result


def _donor_item_reads() -> tuple[Any, Any, Any, Any, list[Any]]:
    """The donor × item rows joined to their items, the rule's conditions and the measures."""
    rollup: Any = TotalsRollup
    measured = [getattr(rollup, name) for name in MEASURE_NAMES]
    joined = select().select_from(rollup).outerjoin(Item, Item.id == cast(rollup.key, Integer))
    has_unit = Item.unit.is_not(None)
    listed = and_(has_unit, measured[_QUANTIFIED] > 0)
    money = or_(*(measured[i] != 0 for i in _MONEY))
    return joined, has_unit, listed, money, measured


@cache
def _donor_item_summary() -> Any:
    """Per donor of the bound list `donors`: has money, unquantified, quantity items."""
    rollup: Any = TotalsRollup
    joined, has_unit, listed, money, measured = _donor_item_reads()
    pledges, quantified = measured[_PLEDGES], measured[_QUANTIFIED]
    return (
        joined.add_columns(
            rollup.key_id,
            func.max(case((money, 1), else_=0)),
            cast(func.sum(case((has_unit, pledges - quantified), else_=0)), BigInteger),
            cast(func.sum(case((listed, 1), else_=0)), BigInteger),
        )
        .where(
            rollup.dimension == "donor_item",
            rollup.key_id.in_(bindparam("donors", expanding=True)),
            pledges > 0,
        )
        .group_by(rollup.key_id)
    )


@lru_cache(maxsize=64)
def _donor_items_largest(donors: int, limit: int | None) -> Any:
    """For `donors` donors bound as donor_0, donor_1 ..: one UNION ALL of each donor's
    quantity items as large as its `limit`-th largest (ties included), or all of them."""
    rollup: Any = TotalsRollup
    joined, _has_unit, listed, _money, measured = _donor_item_reads()
    quantity = measured[_QUANTITY]
    columns = (rollup.key_id, rollup.key, Item.name, Item.unit, *measured)
    parts = []
    for n in range(donors):
        own = (rollup.dimension == "donor_item", rollup.key_id == bindparam(f"donor_{n}"), listed)
        part = joined.add_columns(*columns).where(*own)
        if limit is not None:
            nth = joined.add_columns(quantity).where(*own).order_by(quantity.desc())
            at_nth = nth.limit(1).offset(max(limit, 1) - 1).scalar_subquery()
            part = part.where(quantity >= func.coalesce(at_nth, quantity))
        parts.append(part)
    return union_all(*parts)


@lru_cache(maxsize=8)
def _donor_items_largest_lateral(limit: int | None) -> Any:
    """The rows of `_donor_items_largest` for the bound list `donors` on PostgreSQL, in one
    read: per donor (LATERAL) its quantity items by quantity, the first `limit` WITH TIES,
    so each donor's rows are read once instead of twice (the `limit`-th largest, then the
    items as large), and the catalogue is hashed once instead of twice per donor."""
    rollup: Any = TotalsRollup
    joined, _has_unit, listed, _money, measured = _donor_item_reads()
    donors = (
        func.unnest(bindparam("donors", type_=ARRAY(Integer)))
        .table_valued("donor_id")
        .render_derived("donors")
    )
    own = joined.add_columns(rollup.key, Item.name, Item.unit, *measured).where(
        rollup.dimension == "donor_item", rollup.key_id == donors.c.donor_id, listed
    )
    if limit is not None:
        own = own.order_by(measured[_QUANTITY].desc()).fetch(max(limit, 1), with_ties=True)
    largest = own.lateral("largest")
    return select(donors.c.donor_id, *largest.c).select_from(donors).join(largest, true())


def donor_items_are_cheap(filters: TotalsFilter) -> bool:
    """Whether the shown donors' items may be read for a page: with no filter from the
    rollup's donor × item rows; under a filter those rows do not answer, so only when the
    page reads the pledge table anyway (a donor, group, item, source or text filter) is
    one more read of it in proportion. Never under a date range, as under a kind or stage
    filter: no rollup row holds a donor's items by date, and those donors' pledges in the
    range are a share of all the pledges (the donor's own page lists them)."""
    if filters.start is not None or filters.end is not None:
        return False
    return (
        filters == TotalsFilter()
        or not rollup_serves(filters)
        or bool(filters.donor_ids)
        or filters.group_id is not None
    )


def _item_row(name: str, item_id: int, unit: str, measures: Measures) -> TotalRow:
    """The item's row, its quantity summed over the pledges that state one."""
    return make_row(name, item_id, measures, unit=unit, with_quantity=True)
