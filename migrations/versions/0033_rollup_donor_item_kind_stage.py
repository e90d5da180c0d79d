"""Totals rollup: donor × item and donor × month rows crossed with kind and stage

One row per donor, item, kind and stage ("donoritem_ks": key_id = donor id, key = item
id as text) and one per donor, month, kind and stage ("donormon_ks": key = "YYYY-MM");
recipient and reviewed hold 0 and false. The item counts by kind and the item,
category and month totals of a donor or a group, with or without a kind or stage
filter, read them instead of the donor's pledges. A database that already holds
pledges gets the new rows from a rebuild of the rollup (`rebuild_totals`). Going down
deletes them and restores the CHECK.

Revision ID: 0033
Revises: 0031
Create Date: 2026-12-06 08:00:00
"""

from collections.abc import Sequence

from alembic import op

from tracker.rollup_migration import rebuild_when_pledged, set_dimension_check

revision: str = "0033"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "all", "donor", "item", "category", "month", "currency", "donor_item", "donor_month",
    "item_month", "donor_month_kind",
)  # fmt: skip
AFTER = (*BEFORE, "donoritem_ks", "donormon_ks")


def upgrade() -> None:
    """Allow the new dimension; fill its rows when pledges exist."""
    set_dimension_check(op, AFTER, with_rowid=True)
    rebuild_when_pledged(op, AFTER)


def downgrade() -> None:
    """Delete the donor × item × kind × stage rows and restore the CHECK."""
    op.execute("DELETE FROM totals_rollup WHERE dimension IN ('donoritem_ks', 'donormon_ks')")
    set_dimension_check(op, BEFORE, with_rowid=True)
