"""Totals rollup: donor × kind rows, the cancelled pledges apart

One row per donor, kind and "cancelled" or not ("donor_kind": key_id = donor id, key "",
stage = "cancelled" for a cancelled pledge and "" for any other, recipient 0, reviewed
false): the donor × month × kind rows without the month. The dashboard's donor table
and chart and promised per donor, and donor totals without a date range, read them
instead of the donor rows crossed with every stage, recipient and reviewed. A database
that already holds pledges gets the new rows from a rebuild of the rollup
(`rebuild_totals`). Going down deletes them and restores the CHECK. On SQLite the table
that the CHECK's batch rebuild writes stays WITHOUT ROWID (migration 0035).

Revision ID: 0037
Revises: 0035
Create Date: 2026-12-06 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0037"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "all", "donor", "item", "category", "month", "currency", "donor_item", "donor_month",
    "item_month", "donor_month_kind", "donoritem_ks", "donormon_ks",
)  # fmt: skip
AFTER = (*BEFORE, "donor_kind")


def _check(values: tuple[str, ...]) -> None:
    """Replace the dimension column's CHECK by one allowing `values`."""
    name = op.f("ck_totals_rollup_dimension")
    with op.batch_alter_table(
        "totals_rollup", schema=None, table_kwargs={"sqlite_with_rowid": False}
    ) as batch_op:
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
    """Delete the donor × kind rows and restore the CHECK."""
    op.execute("DELETE FROM totals_rollup WHERE dimension = 'donor_kind'")
    _check(BEFORE)
