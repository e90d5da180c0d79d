"""What the items of a total add up to, beside its money: "≥ 5,000 missiles, 4 systems".

Quantities of different items cannot be summed, so a donor's or a kind's row lists
its quantity items one by one (item rows of the totals service, largest first),
counts the pledges of quantity items that state no number ("unquantified"), and
says whether any of its pledges carries money at all (a row of weapons alone
shows its counts, not "€0").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Item, TotalsRollup
from tracker.models.totals import MEASURE_NAMES
from tracker.services.rollup import Measures
from tracker.services.totals import TotalRow, TotalsFilter, aggregate, make_row, rollup_serves

__all__ = [
    "ItemCounts",
    "donor_items_are_cheap",
    "item_counts",
    "rollup_donor_item_counts",
    "table_item_counts",
]

TABLE_GROUPINGS = ("kind", "category")


@dataclass
class ItemCounts:
    """The quantity items of one total row, its unquantified pledges, and whether it has money."""

    items: list[TotalRow] = field(default_factory=list)
    unquantified: int = 0
    has_money: bool = False


def item_counts(
    session: Session,
    by: str,
    filters: TotalsFilter | None = None,
    *,
    keys: Collection[Any] | None = None,
) -> dict[Any, ItemCounts]:
    """Per key of grouping `by` (donor, group, category: ids; kind, stage: words), its item
    counts. `keys` narrows a donor grouping to the rows shown; with no filter those
    donors' counts come from the rollup's donor × item rows."""
    chosen = filters or TotalsFilter()
    if by == "donor" and keys is not None and chosen == TotalsFilter():
        return rollup_donor_item_counts(session, keys)
    if keys is not None and by in ("donor", "group") and not chosen.donor_ids:
        chosen = replace(chosen, donor_ids=tuple(keys))
    if by in TABLE_GROUPINGS:
        return table_item_counts(session, chosen)[by]
    grouped = aggregate(session, (by, "item"), chosen)
    shown = [(key, m) for key, m in grouped if keys is None or key[0] in keys]
    return _counted(shown, _catalogue(session))


def table_item_counts(
    session: Session, filters: TotalsFilter | None = None
) -> dict[str, dict[Any, ItemCounts]]:
    """The item counts of the kind and category tables from one read grouped in SQL over
    the rollup's item rows, which carry the kind (an item has one category)."""
    catalogue = _catalogue(session)
    by_kind = aggregate(session, ("kind", "item"), filters or TotalsFilter())
    by_category: dict[tuple[Any, int], Measures] = {}
    for (_kind, item_id), measures in by_kind:
        category = catalogue[item_id][2] if item_id in catalogue else None
        by_category.setdefault((category, item_id), Measures()).add(measures)
    return {
        "kind": _counted(by_kind, catalogue),
        "category": _counted(list(by_category.items()), catalogue),
    }


def _catalogue(session: Session) -> dict[int, tuple[str, str | None, int]]:
    """Every item's name, unit and category id (the catalogue is small)."""
    query = select(Item.id, Item.name, Item.unit, Item.category_id)
    return {row.id: (row.name, row.unit, row.category_id) for row in session.execute(query)}


def _counted(
    grouped: list[tuple[tuple[Any, int], Measures]],
    catalogue: dict[int, tuple[str, str | None, int]],
) -> dict[Any, ItemCounts]:
    """ItemCounts per key from measures per (key, item id)."""
    result: dict[Any, ItemCounts] = {}
    for (key, item_id), measures in grouped:
        counts = result.setdefault(key, ItemCounts())
        name, unit, _category = catalogue.get(item_id, (f"#{item_id}", None, 0))
        if unit is None or measures.eur_cents or measures.usd_cents or measures.unconverted:
            counts.has_money = True
        if unit is None:
            continue
        counts.unquantified += measures.pledges - measures.quantified
        if measures.quantified:
            counts.items.append(_item_row(name, item_id, unit, measures))
    for counts in result.values():
        counts.items.sort(key=lambda row: (-(row.quantity or 0), row.key))
    return result


def rollup_donor_item_counts(session: Session, donor_ids: Collection[int]) -> dict[Any, ItemCounts]:
    """The item counts of these donors over every live pledge (no filter), from the
    rollup's donor × item rows: as many rows as the donors have items."""
    if not donor_ids:
        return {}
    rollup = TotalsRollup
    query = select(
        rollup.key_id, rollup.key, *(getattr(rollup, name) for name in MEASURE_NAMES)
    ).where(rollup.dimension == "donor_item", rollup.key_id.in_(sorted(donor_ids)))
    grouped = [
        ((donor_id, int(item_key)), Measures(*values))
        for donor_id, item_key, *values in session.execute(query)
    ]
    return _counted(grouped, _catalogue(session))


def donor_items_are_cheap(filters: TotalsFilter) -> bool:
    """Whether the shown donors' items may be read for a page: with no filter from the
    rollup's donor × item rows; under a filter those rows do not answer, so only when the
    page reads the pledge table anyway (a date, donor, group, item, source or text filter)
    is one more read of it in proportion."""
    return (
        filters == TotalsFilter()
        or not rollup_serves(filters)
        or bool(filters.donor_ids)
        or filters.group_id is not None
    )


def _item_row(name: str, item_id: int, unit: str, measures: Measures) -> TotalRow:
    """The item's row, its quantity summed over the pledges that state one."""
    return make_row(name, item_id, measures, unit=unit, with_quantity=True)
