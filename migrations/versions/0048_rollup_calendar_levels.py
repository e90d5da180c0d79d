"""Totals rollup: rows by tens of days and by year beside the month rows

"tens" (key = "YYYY-MM-D": the days of a month whose day has that tens digit, crossed
with kind, stage, recipient and reviewed as "month"), "item_tens" and "item_year" (item ×
tens of days or year × kind, as "item_month"), "donor_tens_kind" and "donor_year_kind"
(donor × tens of days or year × kind, the cancelled pledges apart, as
"donor_month_kind"): a day-level date range is read as its whole years, its other whole
months and its partial months' whole tens of days from the rollup, and at most nine days
at either end from the pledges. A database that already
holds pledges gets the new rows from a rebuild of the rollup (`rebuild_totals`). Going
down deletes them and restores the CHECK. On SQLite the table that the CHECK's batch
rebuild writes stays WITHOUT ROWID (migration 0035): `tracker.rollup_migration`.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-07 06:20:00
"""

from collections.abc import Sequence

from alembic import op

from tracker.rollup_migration import rebuild_when_pledged, set_dimension_check

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "all", "donor", "item", "category", "month", "currency", "donor_item", "donor_month",
    "item_month", "donor_month_kind", "donoritem_ks", "donormon_ks", "donor_kind",
)  # fmt: skip
NEW = ("tens", "item_tens", "item_year", "donor_tens_kind", "donor_year_kind")
AFTER = (*BEFORE, *NEW)


def upgrade() -> None:
    """Allow the new dimensions; fill their rows when pledges exist."""
    set_dimension_check(op, AFTER)
    rebuild_when_pledged(op, AFTER)


def downgrade() -> None:
    """Delete the rows by tens of days and by year and restore the CHECK."""
    listed = ", ".join(f"'{dimension}'" for dimension in NEW)
    op.execute(f"DELETE FROM totals_rollup WHERE dimension IN ({listed})")
    set_dimension_check(op, BEFORE)
