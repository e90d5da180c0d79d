"""Totals rollup: donor × item rows, so the dashboard's donor table lists its items

One row per donor and item (key_id = donor id, key = item id as text), summed over
kind, stage, recipient and reviewed (those key columns hold "", "", 0 and false):
the unfiltered dashboard's Items column reads the rows of the donors it shows. A
database that already holds pledges gets the new rows from a rebuild of the rollup
(`rebuild_totals`). Going down deletes them and restores the CHECK.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 03:10:00
"""

from collections.abc import Sequence

from alembic import op

from tracker.rollup_migration import rebuild_when_pledged, set_dimension_check

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("all", "donor", "item", "category", "month", "currency")
AFTER = (*BEFORE, "donor_item")


def upgrade() -> None:
    """Allow the new dimension; fill its rows when pledges exist."""
    set_dimension_check(op, AFTER, with_rowid=True)
    rebuild_when_pledged(op, AFTER)


def downgrade() -> None:
    """Delete the donor × item rows and restore the CHECK."""
    op.execute("DELETE FROM totals_rollup WHERE dimension = 'donor_item'")
    set_dimension_check(op, BEFORE, with_rowid=True)
