"""The audit trail: who changed what, when, and the fields before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base
from tracker.models._types import Timestamp, utcnow

NOTE_LENGTH = 500
"""The longest note an audit event keeps."""

AUDIT_ACTIONS = (
    "create", "update", "review", "delete", "restore", "import", "record", "link", "split",
    "separate",
)  # fmt: skip


class AuditEvent(Base):
    """One change to one record, written in the same transaction as the change."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    username: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int]
    version: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
