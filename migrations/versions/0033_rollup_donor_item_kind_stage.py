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

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0033"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "all", "donor", "item", "category", "month", "currency", "donor_item", "donor_month",
    "item_month", "donor_month_kind",
)  # fmt: skip
AFTER = (*BEFORE, "donoritem_ks", "donormon_ks")


def _check(values: tuple[str, ...]) -> None:
    """Replace the dimension column's CHECK by one allowing `values`."""
    name = op.f("ck_totals_rollup_dimension")
    with op.batch_alter_table("totals_rollup", schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
        batch_op.create_check_constraint(
            name, " OR ".join(f"dimension = '{value}'" for value in values)
        )


def upgrade() -> None:
    """Allow the new dimension; fill its rows when pledges exist."""
    _check(AFTER)
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM pledge LIMIT 1")).first() is not None:
        from tracker.services.rollup import rebuild_totals

        session = Session(bind=bind)
        rebuild_totals(session, AFTER)
        session.flush()


def downgrade() -> None:
    """Delete the donor × item × kind × stage rows and restore the CHECK."""
    op.execute("DELETE FROM totals_rollup WHERE dimension IN ('donoritem_ks', 'donormon_ks')")
    _check(BEFORE)
