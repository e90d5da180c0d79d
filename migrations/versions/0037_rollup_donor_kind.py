"""Totals rollup: donor × kind rows, the cancelled pledges apart

One row per donor, kind and "cancelled" or not ("donor_kind": key_id = donor id, key "",
stage = "cancelled" for a cancelled pledge and "" for any other, recipient 0, reviewed
false): the donor × month × kind rows without the month. The dashboard's donor table
and chart and promised per donor, and donor totals without a date range, read them
instead of the donor rows crossed with every stage, recipient and reviewed. A database
that already holds pledges gets the new rows from a rebuild of the rollup
(`rebuild_totals`). Going down deletes them and restores the CHECK. On SQLite the table
that the CHECK's batch rebuild writes stays WITHOUT ROWID (migration 0035):
`tracker.rollup_migration`.

Revision ID: 0037
Revises: 0035
Create Date: 2026-12-06 11:20:00
"""

from collections.abc import Sequence

from alembic import op

from tracker.rollup_migration import rebuild_when_pledged, set_dimension_check

revision: str = "0037"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "all", "donor", "item", "category", "month", "currency", "donor_item", "donor_month",
    "item_month", "donor_month_kind", "donoritem_ks", "donormon_ks",
)  # fmt: skip
AFTER = (*BEFORE, "donor_kind")


def upgrade() -> None:
    """Allow the new dimension; fill its rows when pledges exist."""
    set_dimension_check(op, AFTER)
    rebuild_when_pledged(op, AFTER)


def downgrade() -> None:
    """Delete the donor × kind rows and restore the CHECK."""
    op.execute("DELETE FROM totals_rollup WHERE dimension = 'donor_kind'")
    set_dimension_check(op, BEFORE)
