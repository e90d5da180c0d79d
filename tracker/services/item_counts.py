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

from sqlalchemy.orm import Session

from tracker.services.rollup import Measures
from tracker.services.totals import TotalRow, TotalsFilter, aggregate, make_row

__all__ = ["ItemCounts", "item_counts"]


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
    counts. `keys` narrows a donor grouping to the rows shown."""
    from tracker.services.totals import _names

    chosen = filters or TotalsFilter()
    if keys is not None and by == "donor" and not chosen.donor_ids:
        chosen = replace(chosen, donor_ids=tuple(keys))
    grouped = aggregate(session, (by, "item"), chosen)
    units = _names(session, "item", {item_id for (_, item_id), _ in grouped})
    result: dict[Any, ItemCounts] = {}
    for (key, item_id), measures in grouped:
        if keys is not None and key not in keys:
            continue
        counts = result.setdefault(key, ItemCounts())
        name, unit = units.get(item_id, (f"#{item_id}", None))
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


def _item_row(name: str, item_id: int, unit: str, measures: Measures) -> TotalRow:
    """The item's row, its quantity summed over the pledges that state one."""
    return make_row(name, item_id, measures, unit=unit, with_quantity=True)
