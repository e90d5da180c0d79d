"""Everything the dashboard shows, from one read of the totals rollup where the filters allow.

Without a date, donor or group filter, every table and chart of the dashboard comes
from one UNION ALL over the rollup, each part grouped in SQL to at most a few hundred
rows (kind × stage for the headline, kind and stage tables and pledged vs delivered;
donor × kind for the donor table and chart; item, category, month and currency), and
is split into groupings in Python. Other filters (a date range, a donor, a group) take
four totals queries (`_per_grouping`), which the rollup answers where one of its
dimensions holds the keys and the pledge table where none does. Both give the same
rows as the per-grouping service calls of tracker.services.totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, String, func, literal, select, union_all
from sqlalchemy.orm import Session

from tracker.models import Donor, Item, ItemCategory, Recipient, TotalsRollup
from tracker.services import totals as totals_service
from tracker.services.rollup import MEASURE_NAMES, Measures
from tracker.services.totals import (
    PLEDGED_STAGES,
    UNDATED,
    KindStack,
    PledgedDelivered,
    TotalRow,
    TotalsFilter,
    make_row,
)

__all__ = ["DashboardTotals", "ReferenceNames", "dashboard_totals", "load_reference_names"]

TABLE_GROUPINGS = ("donor", "kind", "category", "item", "stage")
_WIDTH = len(MEASURE_NAMES)


@dataclass(frozen=True)
class ReferenceNames:
    """Names the dashboard shows for ids, and the choices of its filter form."""

    donors: dict[int, str]
    items: dict[int, tuple[str, str | None]]
    categories: dict[int, str]
    groups: list[tuple[int, str]]
    recipients: list[tuple[int, str]]


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
    items = {row.id: (row.name, row.unit) for row in session.execute(
        select(Item.id, Item.name, Item.unit))}  # fmt: skip
    categories = {row.id: row.name for row in session.execute(
        select(ItemCategory.id, ItemCategory.name))}  # fmt: skip
    recipients = [
        (row.id, row.name)
        for row in session.execute(select(Recipient.id, Recipient.name).order_by(Recipient.name))
    ]
    return ReferenceNames(donors, items, categories, groups, recipients)


def _part(
    dimension: str,
    groups: Iterable[str],
    filters: TotalsFilter,
    *,
    stage: bool,
    label: str | None = None,
    pledged_only: bool = False,
) -> Any:
    """One rollup dimension summed over `groups` (of key_id, key, kind, stage), filters applied
    (the stage filter only with `stage`; `pledged_only`: every stage but cancelled), its
    rows named `label` (the dimension by default)."""
    rollup = TotalsRollup
    chosen = set(groups)
    columns = {
        "key_id": rollup.key_id if "key_id" in chosen else literal(0, Integer),
        "key": rollup.key if "key" in chosen else literal("", String),
        "kind": rollup.kind if "kind" in chosen else literal("", String),
        "stage": rollup.stage if "stage" in chosen else literal("", String),
    }
    sums = [func.sum(getattr(rollup, n)) for n in MEASURE_NAMES]
    query = select(literal(label or dimension, String), *columns.values(), *sums).where(
        rollup.dimension == dimension
    )
    if pledged_only:
        query = query.where(rollup.stage.in_(PLEDGED_STAGES))
    if filters.kind is not None:
        query = query.where(rollup.kind == filters.kind)
    if stage and filters.stage is not None:
        query = query.where(rollup.stage == filters.stage)
    if filters.recipient_id is not None:
        query = query.where(rollup.recipient_id == filters.recipient_id)
    if filters.reviewed is not None:
        query = query.where(rollup.reviewed.is_(filters.reviewed))
    return query.group_by(*[getattr(rollup, g) for g in ("key_id", "key", "kind", "stage")
                            if g in chosen])  # fmt: skip


def _summed(parts: Iterable[list[int]]) -> Measures:
    """Measures that add up the given measure lists."""
    total = [0] * _WIDTH
    for part in parts:
        total = [a + b for a, b in zip(total, part, strict=True)]
    return Measures(*total)


def _add(into: dict[Any, list[int]], key: Any, values: list[int]) -> None:
    """Add measure list `values` into `into[key]`."""
    current = into.get(key)
    into[key] = values if current is None else [a + b for a, b in zip(current, values, strict=True)]


def _named_rows(
    grouped: dict[Any, list[int]], names: dict[int, Any], *, items: bool = False
) -> list[TotalRow]:
    """Rows of an id grouping, named, sorted by EUR descending then name."""
    rows = []
    for key_id, values in grouped.items():
        if not values[0]:
            continue
        name = names.get(key_id)
        label, unit = (name if items else (name, None)) if name else (f"#{key_id}", None)
        rows.append(make_row(label, key_id, Measures(*values), unit=unit, with_quantity=items))
    return sorted(rows, key=lambda r: (-r.eur, r.key))


def _word_rows(grouped: dict[str, list[int]]) -> list[TotalRow]:
    """Rows of a kind or stage grouping, sorted by EUR descending then key."""
    rows = [make_row(str(k) or UNDATED, None, Measures(*v)) for k, v in grouped.items() if v[0]]
    return sorted(rows, key=lambda r: (-r.eur, r.key))


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
        shown = make_row(row.key, None, Measures(*done) if done else Measures())
        result.append(PledgedDelivered(row.key, None, row, shown))
    return result


def _donor_stacks(
    by_donor_kind: dict[tuple[int, str], list[int]], names: dict[int, str], top: int
) -> list[KindStack]:
    """The `top` donors by EUR, each split by kind."""
    stacks: dict[int, KindStack] = {}
    for (donor_id, kind), values in by_donor_kind.items():
        if not values[0]:
            continue
        stack = stacks.setdefault(donor_id, KindStack("", donor_id, Decimal(0), Decimal(0)))
        eur = Decimal(values[MEASURE_NAMES.index("eur_cents")]).scaleb(-2)
        usd = Decimal(values[MEASURE_NAMES.index("usd_cents")]).scaleb(-2)
        stack.eur += eur
        stack.usd += usd
        stack.eur_by_kind[kind] = stack.eur_by_kind.get(kind, Decimal(0)) + eur
        stack.usd_by_kind[kind] = stack.usd_by_kind.get(kind, Decimal(0)) + usd
    for stack in stacks.values():
        stack.key = names.get(stack.key_id, f"#{stack.key_id}")
    return sorted(stacks.values(), key=lambda s: (-s.eur, s.key))[:top]


def _from_one_read(
    session: Session, filters: TotalsFilter, names: ReferenceNames, top: int
) -> DashboardTotals:
    """The dashboard from one UNION ALL over the rollup (no date, donor or group filter)."""
    query = union_all(
        _part("all", ("kind", "stage"), filters, stage=False),
        _part("donor", ("key_id", "kind"), filters, stage=True),
        _part("donor", ("key_id",), filters, stage=False, label="pledged", pledged_only=True),
        _part("item", ("key_id",), filters, stage=True),
        _part("category", ("key_id",), filters, stage=True),
        _part("month", ("key",), filters, stage=True),
        _part("currency", ("key",), filters, stage=True),
    )
    kind_stage: dict[tuple[str, str], list[int]] = {}
    donor_kind: dict[tuple[int, str], list[int]] = {}
    donor_pledged: dict[int, list[int]] = {}
    by_id: dict[str, dict[Any, list[int]]] = {"donor": {}, "item": {}, "category": {}}
    months: dict[str, list[int]] = {}
    unconverted: dict[str, int] = {}
    for dimension, key_id, key, kind, stage, *sums in session.execute(query):
        values = [int(v or 0) for v in sums]
        if dimension == "all":
            kind_stage[(kind, stage)] = values
        elif dimension == "pledged":
            donor_pledged[key_id] = values
        elif dimension == "donor":
            donor_kind[(key_id, kind)] = values
            _add(by_id["donor"], key_id, values)
        elif dimension == "month":
            months[key] = values
        elif dimension == "currency":
            if values[0]:
                unconverted[key] = values[MEASURE_NAMES.index("unconverted")]
        else:
            by_id[dimension][key_id] = values
    wanted = {ks: v for ks, v in kind_stage.items() if filters.stage in (None, ks[1])}
    by_kind: dict[str, list[int]] = {}
    by_stage: dict[str, list[int]] = {}
    for (kind, stage), values in wanted.items():
        _add(by_kind, kind, values)
        _add(by_stage, stage, values)
    month_rows = [make_row(k or UNDATED, None, Measures(*v)) for k, v in months.items() if v[0]]
    tables = {
        "donor": _named_rows(by_id["donor"], names.donors),
        "kind": _word_rows(by_kind),
        "category": _named_rows(by_id["category"], names.categories),
        "item": _named_rows(by_id["item"], names.items, items=True),
        "stage": _word_rows(by_stage),
    }
    pledges = [v for v in wanted.values() if v[0]]
    return DashboardTotals(
        tables=tables,
        grand=make_row("total", None, _summed(pledges)),
        unconverted={code: n for code, n in sorted(unconverted.items()) if code and n},
        stages=_stages_by_kind(kind_stage),
        donor_kinds=_donor_stacks(donor_kind, names.donors, top),
        months=sorted(month_rows, key=lambda r: (r.key == UNDATED, r.key)),
        stages_by_donor=_named_rows(donor_pledged, names.donors),
    )


def _per_grouping(
    session: Session, filters: TotalsFilter, top: int, names: ReferenceNames | None = None
) -> DashboardTotals:
    """The dashboard under a date, donor or group filter, from four totals queries, each
    answered by the rollup where one dimension holds it (tracker.services.totals_plan):
    donor × kind × stage whatever the stage filter (the headline, kind, stage and donor
    tables, pledged vs delivered, the donor chart), item, category and month."""
    names = names or load_reference_names(session)
    kind_stage: dict[tuple[str, str], list[int]] = {}
    donor_kind: dict[tuple[int, str], list[int]] = {}
    donor_pledged: dict[int, list[int]] = {}
    donors: dict[int, list[int]] = {}
    unstaged = replace(filters, stage=None)
    for (donor_id, kind, stage), m in totals_service.aggregate(
        session, ("donor", "kind", "stage"), unstaged
    ):
        values = list(m.values())
        _add(kind_stage, (kind, stage), values)
        if stage in PLEDGED_STAGES:
            _add(donor_pledged, donor_id, values)
        if filters.stage in (None, stage):
            _add(donor_kind, (donor_id, kind), values)
            _add(donors, donor_id, values)
    by_kind: dict[str, list[int]] = {}
    by_stage: dict[str, list[int]] = {}
    for (kind, stage), values in kind_stage.items():
        if filters.stage in (None, stage):
            _add(by_kind, kind, values)
            _add(by_stage, stage, values)
    tables = {
        "donor": _named_rows(donors, names.donors),
        "kind": _word_rows(by_kind),
        "category": totals_service.totals(session, "category", filters),
        "item": totals_service.totals(session, "item", filters),
        "stage": _word_rows(by_stage),
    }
    return DashboardTotals(
        tables=tables,
        grand=make_row("total", None, _summed(by_kind.values())),
        unconverted=totals_service.unconverted_by_currency(session, filters),
        stages=_stages_by_kind(kind_stage),
        donor_kinds=_donor_stacks(donor_kind, names.donors, top),
        months=totals_service.totals(session, "month", filters),
        stages_by_donor=_named_rows(donor_pledged, names.donors),
    )


def dashboard_totals(
    session: Session,
    filters: TotalsFilter | None = None,
    *,
    names: ReferenceNames | None = None,
    top: int = 10,
) -> DashboardTotals:
    """Every figure of the dashboard for `filters`; `names` saves reading them again."""
    chosen = filters or TotalsFilter()
    names = names or load_reference_names(session)
    unfiltered_by_row = replace(chosen, kind=None, stage=None, recipient_id=None,
                                reviewed=None)  # fmt: skip
    if unfiltered_by_row != TotalsFilter():
        figures = _per_grouping(session, chosen, top, names)
    else:
        figures = _from_one_read(session, chosen, names, top)
    groups = {group_id for group_id, _name in names.groups}
    aggregates = [row for row in figures.tables["donor"] if row.key_id in groups]
    figures.group_aggregate_eur = sum((row.eur for row in aggregates), Decimal(0))
    figures.group_aggregate_pledges = sum(row.pledges for row in aggregates)
    return figures
