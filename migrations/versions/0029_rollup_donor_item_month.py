"""Totals rollup: donor × month and item × month rows, for totals under a date range

One row per donor and month (key_id = donor id, key = "YYYY-MM", "" when undated) and
one per item and month (key_id = item id), summed over kind, stage, recipient and
reviewed as the donor × item rows are: donor, group, item and category totals under a
date range read the whole months from them. The dimension column widens to 12
characters for the new names. A database that already holds pledges gets the new rows
from a rebuild of the rollup (`rebuild_totals`). Going down deletes them, restores the
CHECK and the column's width.

Revision ID: 0029
Revises: 0027
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.rollup_migration import rebuild_when_pledged

revision: str = "0029"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("all", "donor", "item", "category", "month", "currency", "donor_item")
AFTER = (*BEFORE, "donor_month", "item_month")


def _rewrite(values: tuple[str, ...], width: int, was: int) -> None:
    """Give the dimension column `width` characters and a CHECK allowing `values`."""
    name = op.f("ck_totals_rollup_dimension")
    with op.batch_alter_table("totals_rollup", schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
        batch_op.alter_column(
            "dimension", type_=sa.String(width), existing_type=sa.String(was), nullable=False
        )
        batch_op.create_check_constraint(
            name, " OR ".join(f"dimension = '{value}'" for value in values)
        )


def upgrade() -> None:
    """Allow the new dimensions; fill their rows when pledges exist."""
    _rewrite(AFTER, 12, 10)
    rebuild_when_pledged(op, AFTER)


def downgrade() -> None:
    """Delete the donor × month and item × month rows, restore the CHECK and the width."""
    op.execute("DELETE FROM totals_rollup WHERE dimension IN ('donor_month', 'item_month')")
    _rewrite(BEFORE, 10, 12)
