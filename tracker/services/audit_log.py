"""Reading the audit trail: recent changes with filters and pages, one record's history,
and what each change did field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.models._types import utcnow

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


def field_changes(event: AuditEvent, *, include_quiet: bool = False) -> list[FieldChange]:
    """The fields the event changed, in name order (all set fields for a create or delete)."""
    before = event.before or {}
    after = event.after or {}
    changes = []
    for name in sorted(set(before) | set(after)):
        if name in QUIET_FIELDS and not include_quiet:
            continue
        old, new = before.get(name), after.get(name)
        if old != new:
            changes.append(FieldChange(name=name, before=old, after=new))
    return changes
