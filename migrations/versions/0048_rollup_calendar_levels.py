"""Totals rollup: day and year rows beside the month rows

"day" (key = "YYYY-MM-DD", crossed with kind, stage, recipient and reviewed as "month"),
"item_day" and "item_year" (item × day or year × kind, as "item_month"), "donor_day_kind"
and "donor_year_kind" (donor × day or year × kind, the cancelled pledges apart, as
"donor_month_kind"): a day-level date range is read as its whole years, its other whole
months and the days of its partial months, all from the rollup. A database that already
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
NEW = ("day", "item_day", "item_year", "donor_day_kind", "donor_year_kind")
AFTER = (*BEFORE, *NEW)


def upgrade() -> None:
    """Allow the new dimensions; fill their rows when pledges exist."""
    set_dimension_check(op, AFTER)
    rebuild_when_pledged(op, AFTER)


def downgrade() -> None:
    """Delete the day and year rows and restore the CHECK."""
    listed = ", ".join(f"'{dimension}'" for dimension in NEW)
    op.execute(f"DELETE FROM totals_rollup WHERE dimension IN ({listed})")
    set_dimension_check(op, BEFORE)
