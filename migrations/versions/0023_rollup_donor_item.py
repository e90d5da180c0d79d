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

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("all", "donor", "item", "category", "month", "currency")
AFTER = (*BEFORE, "donor_item")


def _rewrite(values: tuple[str, ...]) -> None:
    """Give the dimension column a CHECK allowing `values` (an OR chain, as one_of)."""
    name = op.f("ck_totals_rollup_dimension")
    with op.batch_alter_table("totals_rollup", schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
        batch_op.create_check_constraint(
            name, " OR ".join(f"dimension = '{value}'" for value in values)
        )


def upgrade() -> None:
    """Allow the new dimension; fill its rows when pledges exist."""
    _rewrite(AFTER)
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM pledge LIMIT 1")).first() is not None:
        from tracker.services.rollup import rebuild_totals

        session = Session(bind=bind)
        rebuild_totals(session, AFTER)
        session.flush()


def downgrade() -> None:
    """Delete the donor × item rows and restore the CHECK."""
    op.execute("DELETE FROM totals_rollup WHERE dimension = 'donor_item'")
    _rewrite(BEFORE)
