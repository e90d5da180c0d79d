"""What a recipient asks for, kept apart from what donors pledge."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models._types import Timestamp, utcnow
from tracker.models.catalogue import Item, Recipient
from tracker.models.source import Evidence, Source


class Request(Base):
    """A recipient's stated need ("more air defence supplies"), with its evidence."""

    __tablename__ = "request"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"))
    item_text: Mapped[str] = mapped_column(String(300))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    recipient: Mapped[Recipient] = relationship()
    item: Mapped[Item | None] = relationship()
    source: Mapped[Source | None] = relationship()
    evidence: Mapped[Evidence | None] = relationship()
