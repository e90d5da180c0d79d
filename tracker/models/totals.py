"""The totals rollup: running sums of pledges per dimension, kept in step with every write.

One row per (dimension, key_id, key, kind, stage, recipient_id, reviewed). Every key
column is NOT NULL (0 and "" stand for "not this dimension") so the whole key is the
primary key and an upsert can add to a row. Sums are whole cents (money) and
thousandths (quantities) in BIGINT columns, so they are exact on SQLite too.

Dimensions: "all" (one row per kind/stage/recipient/reviewed: grand totals, kind and
stage totals), "donor" (key_id = donor id), "item" (key_id = item id), "category"
(key_id = item category id), "month" (key = "YYYY-MM" of the announcement, "" when
undated) and "currency" (key = the pledge's currency; money pledges only).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base
from tracker.models._types import one_of

ROLLUP_DIMENSIONS = ("all", "donor", "item", "category", "month", "currency")


class TotalsRollup(Base):
    """Sums of the live (not deleted) pledges that share one key."""

    __tablename__ = "totals_rollup"
    __table_args__ = (CheckConstraint(one_of("dimension", ROLLUP_DIMENSIONS), name="dimension"),)

    dimension: Mapped[str] = mapped_column(String(10), primary_key=True)
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    recipient_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reviewed: Mapped[bool] = mapped_column(primary_key=True)

    pledges: Mapped[int] = mapped_column(BigInteger, default=0)
    quantified: Mapped[int] = mapped_column(BigInteger, default=0)
    quantity_milli: Mapped[int] = mapped_column(BigInteger, default=0)
    quantity_lower_milli: Mapped[int] = mapped_column(BigInteger, default=0)
    eur_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    eur_lower_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    usd_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    open_ended: Mapped[int] = mapped_column(BigInteger, default=0)
    approximate: Mapped[int] = mapped_column(BigInteger, default=0)
    unconverted: Mapped[int] = mapped_column(BigInteger, default=0)
    stale: Mapped[int] = mapped_column(BigInteger, default=0)
