"""Reports: what one source says about a pledge (announces, corroborates, updates,
allocates or delivers), with the sentence that says it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models._types import (
    Money,
    Quantity,
    Timestamp,
    currency_code,
    one_of,
    utcnow,
    where_not_null,
)
from tracker.models.source import Evidence, Source

REVIEW_FLAG_LENGTH = 500
"""The longest review flag a pledge or a report keeps (what an analyst should check)."""

REPORT_ROLES = ("announces", "corroborates", "updates", "allocates", "delivers")
STAGE_ROLES = {"allocated": "allocates", "delivered": "delivers"}


class Report(Base):
    """One source's statement about one pledge.

    A pledge has at least one report (the one that announced it). Reports that allocate
    or deliver carry the figure they state (`quantity`, or `amount` in the pledge's
    currency, with its EUR value); the pledge's allocated and delivered figures are the
    sums of those (negative only in a dataset's correction rows: the services refuse a
    negative figure from anyone else). `review_flag` says what an analyst should check.
    `corroborates_id` links a report that repeats an allocation or delivery to the report
    it repeats (tracker.services.stage_matching); `note` says how its figure was read.
    `source_ref` is the dataset row a corroborating report was read from (the row's key,
    as a pledge's `source_ref`), so the same row imported again is recognised.
    """

    __tablename__ = "report"
    __table_args__ = (
        CheckConstraint(one_of("role", REPORT_ROLES), name="role"),
        CheckConstraint(currency_code("currency"), name="currency"),
        CheckConstraint("(amount IS NULL) = (currency IS NULL)", name="amount_currency"),
        # one report per row of a dataset; reports read from no row stay out of the index
        Index(
            "ix_report_source_id_source_ref",
            "source_id",
            "source_ref",
            unique=True,
            **where_not_null("source_ref"),
        ),
        # the reports that repeat a stage report, found when it is deleted or split
        Index("ix_report_corroborates_id", "corroborates_id", **where_not_null("corroborates_id")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    role: Mapped[str] = mapped_column(String(12))
    reported_on: Mapped[date | None]
    quantity: Mapped[Quantity | None]
    amount: Mapped[Money | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    eur: Mapped[Money | None]
    review_flag: Mapped[str | None] = mapped_column(String(REVIEW_FLAG_LENGTH))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    # The pledge the report was first recorded on, while a link or split keeps it on
    # another: undoing the link or split moves it back there.
    moved_from_id: Mapped[int | None] = mapped_column(ForeignKey("pledge.id"))
    # The allocating or delivering report this one repeats (another source's account of
    # the same delivery): kept when an analyst splits it into a delivery of its own, so
    # the split can be undone.
    corroborates_id: Mapped[int | None] = mapped_column(
        ForeignKey("report.id", ondelete="SET NULL")
    )
    # How the report's figure was read ("states 3,000 delivered in all: ...").
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    source: Mapped[Source | None] = relationship()
    evidence: Mapped[Evidence | None] = relationship()

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.role} of pledge {self.pledge_id}>"
