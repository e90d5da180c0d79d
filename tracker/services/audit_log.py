"""Reading the audit trail: recent changes with filters and pages, one record's history,
and what each change did field by field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Donor, Item, ItemCategory, Pledge, Recipient
from tracker.models._types import utcnow

ReferenceNames = dict[type, dict[int, str]]
NUMBER = re.compile(r"^-?[0-9]+\.[0-9]+$")
# Columns that point at another record, shown by that record's name.
REFERENCE_FIELDS: dict[str, tuple[str, type]] = {
    "donor_id": ("donor", Donor),
    "item_id": ("item", Item),
    "recipient_id": ("recipient", Recipient),
    "category_id": ("category", ItemCategory),
}
# Bookkeeping columns that change on every save and say nothing on their own.
QUIET_FIELDS = frozenset(
    {"id", "created_at", "created_by_id", "updated_at", "updated_by_id", "version"}
)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to list; empty fields do not filter."""

    entity: str | None = None
    entity_id: int | None = None
    username: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None

    def apply(self, query: Select[Any]) -> Select[Any]:
        """The query narrowed to the events this filter keeps (dates are whole UTC days)."""
        if self.entity:
            query = query.where(AuditEvent.entity == self.entity)
        if self.entity_id is not None:
            query = query.where(AuditEvent.entity_id == self.entity_id)
        if self.username:
            query = query.where(func.lower(AuditEvent.username) == self.username.strip().lower())
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.since:
            query = query.where(AuditEvent.at >= start_of_day(self.since))
        if self.until:
            query = query.where(AuditEvent.at < start_of_day(self.until + timedelta(days=1)))
        return query


@dataclass
class AuditPage:
    """One page of events, newest first, and where it sits among all matching ones."""

    events: list[AuditEvent]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        """Count the pages (at least one, even when nothing matches)."""
        self.pages = max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        """Whether a newer page exists."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether an older page exists."""
        return self.page < self.pages


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after a change (None where it had none)."""

    name: str
    before: Any
    after: Any


def start_of_day(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=utcnow().tzinfo)


def recent_events(
    session: Session, audit_filter: AuditFilter, page: int = 1, per_page: int = 50
) -> AuditPage:
    """The matching events, newest first, `per_page` at a time."""
    page = max(1, page)
    total = session.scalar(audit_filter.apply(select(func.count()).select_from(AuditEvent))) or 0
    query = audit_filter.apply(select(AuditEvent)).order_by(AuditEvent.id.desc())
    events = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(events=events, total=total, page=page, per_page=per_page)


def record_history(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    """Every event of one record, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id)
        )
    )


def audited_entities(session: Session) -> list[str]:
    """The kinds of record the trail holds events for (for the filter's choices)."""
    return list(session.scalars(select(AuditEvent.entity).distinct().order_by(AuditEvent.entity)))


def plain_number(value: Any) -> Any:
    """A number stored as padded text shown without the padding ("1.00000000" -> "1");
    anything else as it is."""
    if isinstance(value, str) and NUMBER.match(value):
        return f"{Decimal(value).normalize():f}"
    return value


def field_changes(
    event: AuditEvent,
    *,
    include_quiet: bool = False,
    names: ReferenceNames | None = None,
) -> list[FieldChange]:
    """The fields the event changed, in name order (all set fields for a create or delete).

    Numbers that differ only in padding ("1.00000000" and "1") are no change; with
    `names`, a reference (donor_id 167) reads as the name it points to (donor Norway).
    """
    before = event.before or {}
    after = event.after or {}
    changes = []
    for name in sorted(set(before) | set(after)):
        if name in QUIET_FIELDS and not include_quiet:
            continue
        old, new = plain_number(before.get(name)), plain_number(after.get(name))
        if old == new:
            continue
        if names is not None and name in REFERENCE_FIELDS:
            label, model = REFERENCE_FIELDS[name]
            known = names.get(model, {})
            old, new = (known.get(v, f"#{v}") if isinstance(v, int) else v for v in (old, new))
            name = label
        changes.append(FieldChange(name=name, before=old, after=new))
    return changes


def reference_names(session: Session, events: Iterable[AuditEvent]) -> ReferenceNames:
    """The names of every donor, item, recipient and category the events' fields point to,
    and of the pledges the events are about (as "Norway — aid")."""
    wanted: dict[type, set[int]] = {model: set() for _label, model in REFERENCE_FIELDS.values()}
    pledge_ids = set()
    for event in events:
        if event.entity == "pledge":
            pledge_ids.add(event.entity_id)
        for values in (event.before or {}, event.after or {}):
            for name, (_label, model) in REFERENCE_FIELDS.items():
                if isinstance(values.get(name), int):
                    wanted[model].add(values[name])
    names: ReferenceNames = {}
    for model, ids in wanted.items():
        if ids:
            rows = session.execute(select(model.id, model.name).where(model.id.in_(ids)))  # type: ignore[attr-defined]
            names[model] = {int(row_id): str(name) for row_id, name in rows}
    if pledge_ids:
        labelled = session.execute(
            select(Pledge.id, Donor.name, Item.name)
            .join(Donor, Donor.id == Pledge.donor_id)
            .join(Item, Item.id == Pledge.item_id)
            .where(Pledge.id.in_(pledge_ids))
        )
        names[Pledge] = {int(pid): f"{donor} — {item}" for pid, donor, item in labelled}
    return names
