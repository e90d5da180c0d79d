"""Which rollup rows answer a totals query, and which pledges a date range adds or takes away.

A rollup dimension answers a query when it holds every key the query groups or
filters by (a donor, item, category or month) and, if the query groups or filters
by kind, stage, recipient or reviewed, when it is crossed with those (the sentinel
dimensions are not; item × month is crossed with kind, donor × kind and donor × month ×
kind with kind and a stage filter of "cancelled" alone, donor × item and donor × month by kind and
stage with both). The smallest such dimension is chosen.

A day-level date range is split into whole months, read from a month-keyed
dimension, and the days of its partial end months, read from the pledge table by
its `announced` index. Of a partial month the cheaper side is read: the days inside
the range, or the whole month from the rollup minus the days outside the range,
whichever has fewer days.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.services.rollup import CANCELLED
from tracker.services.rollup import PARTLY_CROSSED as KEEPS
from tracker.services.totals_filter import TotalsFilter

__all__ = ["CANCELLED_APART", "DateSplit", "rollup_dimension", "split_dates"]

# What each dimension holds: the keys it can group or filter by, and whether it is
# crossed with kind, stage, recipient and reviewed. Smallest first.
DIMENSION_KEYS: tuple[tuple[str, frozenset[str], bool], ...] = (
    ("all", frozenset(), True),
    ("category", frozenset({"category"}), True),
    ("donor_kind", frozenset({"donor"}), False),
    ("donor", frozenset({"donor"}), True),
    ("item", frozenset({"item", "category"}), True),
    ("month", frozenset({"month"}), True),
    ("donor_month", frozenset({"donor", "month"}), False),
    ("item_month", frozenset({"item", "category", "month"}), False),
    ("donor_item", frozenset({"donor", "item", "category"}), False),
    ("donor_month_kind", frozenset({"donor", "month"}), False),
    ("donormon_ks", frozenset({"donor", "month"}), False),
    ("donoritem_ks", frozenset({"donor", "item", "category"}), False),
)
# What each dimension summed over some of kind, stage, recipient and reviewed
# (tracker.services.rollup.PARTLY_CROSSED) can group or filter by of kind and stage, and
# the stage values a filter may ask of it (ANY_STAGE: it keeps every stage apart).
ANY_STAGE: frozenset[str] = frozenset({"*"})


def _answers(keeps: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(kind and stage keys, stages a filter may ask) of a dimension that `keeps` those."""
    if "stage" in keeps:
        return keeps & {"kind", "stage"}, ANY_STAGE
    return keeps & {"kind"}, frozenset({CANCELLED}) if "cancelled" in keeps else frozenset()


PARTLY_CROSSED = {dimension: _answers(keeps) for dimension, (_i, _k, keeps) in KEEPS.items()}
# A grouping beside tracker.services.totals.BY, for the services' own use: CANCELLED for
# a cancelled pledge, "" for any other stage (what donor × month × kind rows keep of it).
CANCELLED_APART = CANCELLED
_GROUP_KEYS = {"donor": "donor", "group": "donor", "item": "item", "category": "category",
               "month": "month"}  # fmt: skip


def rollup_dimension(groups: Sequence[str], filters: TotalsFilter, *, dated: bool) -> str | None:
    """The rollup dimension that answers `groups` under `filters` (their date range
    aside; `dated`: the dimension must be keyed by month), or None."""
    if filters.source_id is not None or filters.text:
        return None
    needed = {_GROUP_KEYS[g] for g in groups if g in _GROUP_KEYS}
    if filters.donor_ids or filters.group_id is not None:
        needed.add("donor")
    if filters.item_id is not None:
        needed.add("item")
    if filters.category_id is not None:
        needed.add("category")
    if dated:
        needed.add("month")
    common = {key for key in ("kind", "stage") if key in groups}
    named = {"kind": filters.kind, "recipient": filters.recipient_id, "reviewed": filters.reviewed}
    common |= {key for key, value in named.items() if value is not None}
    apart = CANCELLED_APART in groups
    for dimension, keys, crossed in DIMENSION_KEYS:
        if needed <= keys and (crossed or _partly_serves(dimension, common, filters.stage, apart)):
            return dimension
    return None


def _partly_serves(dimension: str, common: set[str], stage: str | None, apart: bool) -> bool:
    """Whether `dimension`, not crossed with every common key, holds the `common` keys
    asked for, the `stage` filtered by (None: no stage filter) and, when `apart`, its
    cancelled pledges apart from the others."""
    crossed, stages = PARTLY_CROSSED.get(dimension, (frozenset(), frozenset()))
    return (
        common <= crossed
        and all(s is None or stages is ANY_STAGE or s in stages
                for s in (stage, CANCELLED if apart else None))
    )  # fmt: skip


def _month(day: date) -> str:
    """The rollup month key of a day."""
    return f"{day.year:04d}-{day.month:02d}"


def _month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of the month of `day`."""
    return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])


@dataclass
class DateSplit:
    """A date range as whole months and pledge day ranges.

    `months` is (first, last) month key read from the rollup (None: open on that side),
    or None when no month is; `add` and `subtract` are day ranges (inclusive) whose
    pledges are added to or taken away from the months' sums.
    """

    months: tuple[str | None, str | None] | None
    add: list[tuple[date, date]] = field(default_factory=list)
    subtract: list[tuple[date, date]] = field(default_factory=list)


def split_dates(start: date | None, end: date | None) -> DateSplit:
    """Split [start, end] (either open) into whole months and the days of partial ones."""
    if start is not None and end is not None and (start.year, start.month) == (end.year, end.month):
        first, last = _month_bounds(start)
        inside = (end - start).days + 1
        if inside * 2 <= (last - first).days + 1:
            return DateSplit(None, add=[(start, end)])
        split = DateSplit((_month(start), _month(start)))
        if start > first:
            split.subtract.append((first, start - timedelta(days=1)))
        if end < last:
            split.subtract.append((end + timedelta(days=1), last))
        return split
    low: str | None = None
    high: str | None = None
    split = DateSplit(None)
    if start is not None:
        first, last = _month_bounds(start)
        if start == first or last == date.max or (start - first).days < (last - start).days + 1:
            low = _month(start)
            if start > first:
                split.subtract.append((first, start - timedelta(days=1)))
        else:
            split.add.append((start, last))
            low = _month(last + timedelta(days=1))
    if end is not None:
        first, last = _month_bounds(end)
        if end == last or first == date.min or (last - end).days < (end - first).days + 1:
            high = _month(end)
            if end < last:
                split.subtract.append((end + timedelta(days=1), last))
        else:
            split.add.append((first, end))
            high = _month(first - timedelta(days=1))
    if low is None or high is None or low <= high:
        split.months = (low, high)
    return split
