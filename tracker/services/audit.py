"""The audit trail: one AuditEvent per change, written in the changing transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from tracker.models import AUDIT_ACTIONS, AuditEvent, User
from tracker.models.audit import NOTE_LENGTH


def json_value(value: Any) -> Any:
    """A column value as JSON can hold it: Decimals as text, dates and times in ISO form."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """Every column attribute of a mapped object, JSON-safe, keyed by attribute name."""
    mapper = inspect(obj).mapper
    return {attr.key: json_value(getattr(obj, attr.key)) for attr in mapper.column_attrs}


def record(session: Session, **details: Any) -> AuditEvent:
    """Add an audit event for one change to one record and flush it (the fields are
    `audit_event`'s)."""
    event = audit_event(**details)
    session.add(event)
    session.flush()
    return event


def audit_event(**details: Any) -> AuditEvent:
    """An audit event for one change to one record, not yet added (for writes of many
    records, which add them all and flush once); the fields are `audit_values`'."""
    return AuditEvent(**audit_values(**details))


def audit_values(
    *,
    action: str,
    entity: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    user: User | None = None,
    version: int | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """The column values of an audit event for one change to one record (for `audit_event`,
    and for writes that insert the rows themselves)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"audit action {action!r} is not one of: {', '.join(AUDIT_ACTIONS)}")
    return {
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "user_id": user.id if user is not None else None,
        "username": user.username if user is not None else None,
        "version": version,
        "note": note[:NOTE_LENGTH] if note else None,
    }


def history(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    """The audit events of one record, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(query))


def last_change(session: Session, entity: str, entity_id: int) -> AuditEvent | None:
    """The newest audit event of one record, if any."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def changed_fields(event: AuditEvent) -> dict[str, tuple[Any, Any]]:
    """The fields an event changed, as {name: (before, after)}."""
    before = event.before or {}
    after = event.after or {}
    names = sorted(set(before) | set(after))
    return {n: (before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)}
