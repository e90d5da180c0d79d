"""Pledges and the packages that group them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models._types import (
    Money,
    Quantity,
    Rate,
    Timestamp,
    currency_code,
    one_of,
    utcnow,
    where_not_null,
)
from tracker.models.catalogue import Item, Recipient
from tracker.models.donor import Donor
from tracker.models.report import REVIEW_FLAG_LENGTH, Report
from tracker.models.source import Evidence, Source
from tracker.models.totals import TOTALS_READ_COLUMNS
from tracker.reference import KINDS, PRECISIONS, QUALIFIERS, STAGES

CONVERSION_STATUSES = ("native", "converted", "stale", "unconverted")
PLEDGE_LIST_SORTS = ("announced", "eur", "stage", "donor_id", "item_id")


class Package(Base):
    """The pledges of one announcement ("a £283m package"): its stated total, if one is
    stated (the pledge marked `package_total`), and its itemised parts.

    Money is counted once: the stated total's, or the parts' where no total is stated
    (see tracker.services.package_money); the parts' quantities count as items.
    """

    __tablename__ = "package"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("donor.id"), index=True)
    announced: Mapped[date | None]
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"), index=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)


class Pledge(Base):
    """One donor's promise of one item (a quantity) or of money (an amount), to one recipient.

    The qualifier turns the stated number into bounds; money keeps its original
    amount and currency beside its EUR and USD values and the rate used.
    `version` counts saves: a write based on an older version is refused.
    """

    __tablename__ = "pledge"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind"),
        CheckConstraint(one_of("stage", STAGES), name="stage"),
        CheckConstraint(one_of("qualifier", QUALIFIERS), name="qualifier"),
        CheckConstraint(
            one_of("announced_precision", PRECISIONS, nullable=True), name="announced_precision"
        ),
        CheckConstraint(
            one_of("conversion_status", CONVERSION_STATUSES, nullable=True),
            name="conversion_status",
        ),
        CheckConstraint(currency_code("currency"), name="currency"),
        CheckConstraint(currency_code("stated_currency"), name="stated_currency"),
        CheckConstraint(
            "is_correction OR ((quantity IS NULL OR quantity >= 0) "
            "AND (amount IS NULL OR amount >= 0))",
            name="non_negative",
        ),
        CheckConstraint(
            "qualifier = 'unknown' OR quantity IS NOT NULL OR amount IS NOT NULL",
            name="has_number",
        ),
        CheckConstraint("(amount IS NULL) = (currency IS NULL)", name="amount_currency"),
        CheckConstraint("(stated_amount IS NULL) = (stated_currency IS NULL)", name="stated_pair"),
        CheckConstraint("version >= 1", name="version"),
        UniqueConstraint("source_id", "source_ref"),
        # A donor's pledges by day, carrying what the totals read of each (migration
        # 0041) and the source the ranking of an article's match candidates reads
        # (0045, services/match_windows.window_candidates): the dated reads of pledges
        # and the ranking read the index alone, a range of it per donor (SQLite
        # skip-scans it by donor for the days of a range).
        Index(
            "ix_pledge_donor_id_announced",
            "donor_id",
            "announced",
            *TOTALS_READ_COLUMNS,
            "source_id",
        ),  # fmt: skip
        # a page of one item's pledges in the default order (services/pledge_list)
        Index("ix_pledge_item_id_announced", "item_id", "announced"),
        # the pledge list's sorts, each walked by keyset (column, id): see services/pledge_list
        *(Index(f"ix_pledge_{column}_id", column, "id") for column in PLEDGE_LIST_SORTS),
        *(  # most pledges have neither: rows without one stay out of these indexes
            Index(f"ix_pledge_{column}", column, **where_not_null(column))
            for column in ("evidence_id", "package_id")
        ),
        CheckConstraint("NOT package_total OR package_id IS NOT NULL", name="package_total"),
        CheckConstraint("counts_money OR NOT package_total", name="package_total_counts"),
        # one stated total per package
        Index(
            "ix_pledge_package_total",
            "package_id",
            unique=True,
            sqlite_where=text("package_total"),
            postgresql_where=text("package_total"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # donor_id is served by ix_pledge_donor_id_announced; recipient_id holds a handful of
    # values (an index on it never narrows a search); source_id by the (source_id,
    # source_ref) unique constraint. Fewer indexes make bulk imports faster.
    donor_id: Mapped[int] = mapped_column(ForeignKey("donor.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipient.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))  # ix_pledge_item_id_id
    item_text: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20), default="announced")

    quantity: Mapped[Quantity | None]
    unit: Mapped[str | None] = mapped_column(String(40))
    amount: Mapped[Money | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    qualifier: Mapped[str] = mapped_column(String(10), default="exact")
    qualifier_text: Mapped[str | None] = mapped_column(String(100))
    quantity_lower: Mapped[Quantity | None]
    quantity_upper: Mapped[Quantity | None]
    amount_lower: Mapped[Money | None]
    amount_upper: Mapped[Money | None]
    is_correction: Mapped[bool] = mapped_column(default=False)

    eur: Mapped[Money | None]
    eur_lower: Mapped[Money | None]
    usd: Mapped[Money | None]
    eur_rate: Mapped[Rate | None]
    usd_rate: Mapped[Rate | None]
    rate_date: Mapped[date | None]
    rate_origin: Mapped[str | None] = mapped_column(String(100))
    conversion_status: Mapped[str | None] = mapped_column(String(12))
    stated_amount: Mapped[Money | None]
    stated_currency: Mapped[str | None] = mapped_column(String(3))
    review_flag: Mapped[str | None] = mapped_column(String(REVIEW_FLAG_LENGTH))

    # The figures reached at later stages: sums of the allocating and delivering reports
    # (partial deliveries add up), in the promise's unit and currency, each with the day
    # of the latest report that moved it. The EUR values use the promise's rate.
    allocated_quantity: Mapped[Quantity | None]
    allocated_amount: Mapped[Money | None]
    allocated_eur: Mapped[Money | None]
    allocated_on: Mapped[date | None]
    delivered_quantity: Mapped[Quantity | None]
    delivered_amount: Mapped[Money | None]
    delivered_eur: Mapped[Money | None]
    delivered_on: Mapped[date | None]
    # Set while the pledge may repeat that one: it stays out of the totals until an
    # analyst links it (it becomes a report of that pledge) or keeps it separate.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("pledge.id"))

    announced: Mapped[date | None]
    announced_precision: Mapped[str | None] = mapped_column(String(5))

    package_id: Mapped[int | None] = mapped_column(ForeignKey("package.id"))
    # The package's stated total ("$820m in additional security assistance"); its parts'
    # money is then not counted (counts_money), their quantities are.
    package_total: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Whether the pledge's money counts in the totals: false for a part of a package whose
    # stated total counts. Kept by tracker.services.package_money on every write, so the
    # money measures stay tests of the pledge's own columns.
    counts_money: Mapped[bool] = mapped_column(default=True, server_default=true())
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))

    reviewed: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[Timestamp | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    donor: Mapped[Donor] = relationship()
    recipient: Mapped[Recipient] = relationship()
    item: Mapped[Item] = relationship()
    package: Mapped[Package | None] = relationship()
    source: Mapped[Source | None] = relationship()
    evidence: Mapped[Evidence | None] = relationship()
    reports: Mapped[list[Report]] = relationship(
        order_by=lambda: (Report.reported_on.desc(), Report.id.desc()),
        foreign_keys=lambda: [Report.pledge_id],
        viewonly=True,
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Pledge {self.id} donor={self.donor_id} item={self.item_id} v{self.version}>"
