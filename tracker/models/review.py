"""The review decision log: who accepted or rejected which pledges, why, and its undoing."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models._types import Timestamp, one_of, utcnow

REVIEW_ACTIONS = ("accept", "reject")


class ReviewDecision(Base):
    """One accept or reject of one or more pledges at once, with the analyst's reason.

    `scope` says what was chosen ("a selection of 3", "all of source 12 …"); an undone
    decision keeps its row, with who undid it and when.
    """

    __tablename__ = "review_decision"
    __table_args__ = (CheckConstraint(one_of("action", REVIEW_ACTIONS), name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(6))
    reason: Mapped[str | None] = mapped_column(String(500))
    scope: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    username: Mapped[str | None] = mapped_column(String(80))
    undone_at: Mapped[Timestamp | None]
    undone_by: Mapped[str | None] = mapped_column(String(80))

    pledges: Mapped[list[ReviewDecisionPledge]] = relationship(
        back_populates="decision", order_by="ReviewDecisionPledge.pledge_id"
    )


class ReviewDecisionPledge(Base):
    """One pledge a decision changed, with the version the decision left it at."""

    __tablename__ = "review_decision_pledge"

    decision_id: Mapped[int] = mapped_column(ForeignKey("review_decision.id"), primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id"), primary_key=True, index=True)
    version: Mapped[int]

    decision: Mapped[ReviewDecision] = relationship(back_populates="pledges")
