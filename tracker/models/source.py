"""Where pledges are read, and the sentences that state them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models._types import Timestamp, one_of, utcnow

SOURCE_KINDS = ("article", "dataset", "manual")


class Source(Base):
    """An article, a dataset file or an analyst's manual entry.

    Articles keep their full text and its SHA-256, which makes re-imports no-ops.
    """

    __tablename__ = "source"
    __table_args__ = (CheckConstraint(one_of("kind", SOURCE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    published: Mapped[date | None]
    text: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    file_name: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    deleted_at: Mapped[Timestamp | None]

    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="source", order_by="Evidence.start"
    )


class Evidence(Base):
    """The exact sentence that states a pledge or a request, by offsets into the source text."""

    __tablename__ = "evidence"
    __table_args__ = (CheckConstraint('start >= 0 AND "end" >= start', name="offsets"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    start: Mapped[int]
    end: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="evidence")
