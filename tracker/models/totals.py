"""The totals rollup: running sums of pledges per dimension, kept in step with every write.

One row per (dimension, key_id, key, kind, stage, recipient_id, reviewed). Every key
column is NOT NULL (0 and "" stand for "not this dimension") so the whole key is the
primary key and an upsert can add to a row. Sums are whole cents (money) and
thousandths (quantities) in BIGINT columns, so they are exact on SQLite too.

Dimensions: "all" (one row per kind/stage/recipient/reviewed: grand totals, kind and
stage totals), "donor" (key_id = donor id), "item" (key_id = item id), "category"
(key_id = item category id), "month" (key = "YYYY-MM" of the announcement, "" when
undated), "currency" (key = the pledge's currency; money pledges only) and "donor_item"
(key_id = donor id, key = item id as text; summed over kind, stage, recipient and
reviewed, which hold "", "", 0 and false: what a donor gave of each item, whatever the
other keys, for the unfiltered dashboard's Items column). "donor_month" (key_id = donor
id, key = "YYYY-MM") and "item_month" (key_id = item id, key = "YYYY-MM") hold the same
empty values: what a donor gave, or an item received, in a month, for donor, group and
item totals under a date range; an item × month row is crossed with the pledge's kind
(one row per item, month and kind: an item's pledges are nearly always of one kind, so
no more rows), for item counts and item totals under a date range and a kind.
"donor_month_kind" (key_id = donor id, key = "YYYY-MM", kind = the pledge's kind, stage
= "cancelled" for a cancelled pledge and "" for any other, recipient 0, reviewed false)
answers donor × kind totals under a date range (the donor table and chart, promised per
donor: every stage but cancelled). Each of these has at most donors × items, (donors or
items) × months, or donors × months × kinds × 2 rows, whatever the number of pledges.
"donoritem_ks" (key_id = donor id, key = item id as text) is the donor × item row
crossed with kind and stage (recipient and reviewed hold 0 and false): what a donor gave
of each item in each kind and stage, for item counts by kind and item, category and
donor items totals under a donor or group filter, with or without a kind or stage
filter. It has at most donors × items × stages rows (a pledge's kind is nearly always
its item's). "donormon_ks" (key_id = donor id, key = "YYYY-MM") is the donor × month row
crossed with kind and stage in the same way, for the month totals of a donor or group
under a kind or stage filter: at most donors × months × kinds × stages rows.
"donor_kind" (key_id = donor id, key "") is the donor × month × kind row without the
month: kind = the pledge's kind, stage = "cancelled" for a cancelled pledge and "" for
any other, recipient 0, reviewed false. It answers donor and donor × kind totals without
a date range (the dashboard's donor table and chart, promised per donor, /api/totals by
donor) with at most donors × kinds × 2 rows, where the "donor" rows are also crossed
with every stage, recipient and reviewed.

The measures are declared once, in MEASURES: the rollup's columns here, and the
per-pledge, SQL and column-wise forms in tracker.services.rollup, are made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base
from tracker.models._types import one_of

ROLLUP_DIMENSIONS = (
    "all", "donor", "item", "category", "month", "currency", "donor_item", "donor_month",
    "item_month", "donor_month_kind", "donoritem_ks", "donormon_ks", "donor_kind",
)  # fmt: skip

Term = tuple[str, str, Any]
"""(pledge column, "is" | "is not" | "==" | "!=", value): one test of a measure's condition."""

KNOWN: tuple[Term, ...] = (("qualifier", "!=", "unknown"),)
# A pledge recorded at stage "delivered" with no delivered figure was delivered in full.
DELIVERED_IN_FULL: tuple[Term, ...] = (("stage", "==", "delivered"),)
# A part of a package whose stated total counts adds no money (its quantity counts).
COUNTS_MONEY: tuple[Term, ...] = (("counts_money", "==", True),)
MONEY: tuple[Term, ...] = (("amount", "is not", None), *KNOWN, *COUNTS_MONEY)


@dataclass(frozen=True)
class Measure:
    """One sum of the totals: what each live pledge adds to its rollup rows.

    A count (no `column`) adds 1, a sum adds `column` scaled by 10**`places` to a whole
    number; either only for pledges where every test of `when` holds. Where `column` is
    empty and every test of `otherwise_when` holds, the sum takes `otherwise` instead.
    """

    name: str
    column: str | None = None
    places: int = 0
    when: tuple[Term, ...] = ()
    otherwise: str | None = None
    otherwise_when: tuple[Term, ...] = ()


MEASURES: tuple[Measure, ...] = (
    Measure("pledges"),
    Measure("quantified", when=(("quantity", "is not", None), *KNOWN)),
    Measure("quantity_milli", "quantity", 3, KNOWN),
    Measure("quantity_lower_milli", "quantity_lower", 3),
    Measure("eur_cents", "eur", 2, COUNTS_MONEY),
    Measure("eur_lower_cents", "eur_lower", 2, COUNTS_MONEY),
    Measure("usd_cents", "usd", 2, COUNTS_MONEY),
    Measure("open_ended", when=(("qualifier", "==", "at_least"),)),
    Measure("approximate", when=(("qualifier", "==", "about"),)),
    Measure("unconverted", when=(*MONEY, ("conversion_status", "==", "unconverted"))),
    Measure("stale", when=(*MONEY, ("conversion_status", "==", "stale"))),
    Measure("allocated_eur_cents", "allocated_eur", 2, COUNTS_MONEY),
    Measure("delivered_eur_cents", "delivered_eur", 2, COUNTS_MONEY, "eur", DELIVERED_IN_FULL),
    Measure("allocated_quantity_milli", "allocated_quantity", 3),
    Measure(
        "delivered_quantity_milli",
        "delivered_quantity",
        3,
        (),
        "quantity",
        (*DELIVERED_IN_FULL, *KNOWN),
    ),
)
MEASURE_NAMES = tuple(measure.name for measure in MEASURES)


def _read_by_measures() -> tuple[str, ...]:
    """The pledge columns the measures read, in the order MEASURES first names them."""
    columns: list[str] = []
    for m in MEASURES:
        named = (m.column, *(t[0] for t in m.when), m.otherwise, *(t[0] for t in m.otherwise_when))
        columns += [c for c in named if c is not None and c not in columns]
    return tuple(columns)


# What the totals read of a pledge from the pledge table besides its donor and day: the
# keys they group by, the columns of `counted` and of the filters a rollup row also holds,
# and every column a measure reads. The `(donor_id, announced)` index carries them after
# its two keys (tracker.models.pledge), so a dated read of pledges (the partial months of
# a range, the shown donors' items) reads that index alone.
TOTALS_READ_COLUMNS: tuple[str, ...] = (
    "item_id", "kind", "recipient_id", "reviewed", "deleted_at", "duplicate_of_id",
    *_read_by_measures(),
)  # fmt: skip


class TotalsRollup(Base):
    """Sums of the live (not deleted) pledges that share one key; one column per measure."""

    __tablename__ = "totals_rollup"
    # On SQLite the rows are stored in primary key order (migration 0035), so a range of
    # the key (a dimension's rows, a donor's months) is read in sequence.
    __table_args__ = (
        CheckConstraint(one_of("dimension", ROLLUP_DIMENSIONS), name="dimension"),
        {"sqlite_with_rowid": False},
    )

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    recipient_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reviewed: Mapped[bool] = mapped_column(primary_key=True)

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            """The measure columns, added from MEASURES below."""


for _measure in MEASURES:
    setattr(TotalsRollup, _measure.name, mapped_column(BigInteger, default=0, nullable=False))
