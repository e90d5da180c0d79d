"""Totals rollup: donor × month × kind rows, and item × month rows crossed with kind

One row per donor, month and kind (key_id = donor id, key = "YYYY-MM", "" when undated),
its stage column "cancelled" for cancelled pledges and "" for the others; and the item
× month rows now keep the pledge's kind instead of summing over it. Together they give
the dashboard's donor table and chart, promised per donor, and its item counts by kind
under a date range (alone or with a kind) from the rollup. The dimension column widens
to 16 characters for the new name. A database that already holds pledges gets the rows
from a rebuild of the rollup (`rebuild_totals`). Going down deletes the donor × month ×
kind rows, sums the item × month rows over kind again, and restores the CHECK and the
column's width.

Revision ID: 0031
Revises: 0029
Create Date: 2026-12-06 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.rollup_migration import rebuild_when_pledged

revision: str = "0031"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("all", "donor", "item", "category", "month", "currency", "donor_item", "donor_month",
          "item_month")  # fmt: skip
AFTER = (*BEFORE, "donor_month_kind")
# The measure columns of the rollup when this revision was written.
MEASURES = (
    "pledges", "quantified", "quantity_milli", "quantity_lower_milli", "eur_cents",
    "eur_lower_cents", "usd_cents", "open_ended", "approximate", "unconverted", "stale",
    "allocated_eur_cents", "delivered_eur_cents", "allocated_quantity_milli",
    "delivered_quantity_milli",
)  # fmt: skip


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
    """Allow the new dimension; fill its rows, and the item × month rows by kind, when
    pledges exist."""
    _rewrite(AFTER, 16, 12)
    rebuild_when_pledged(op, AFTER)


def downgrade() -> None:
    """Delete the donor × month × kind rows, sum the item × month rows over kind, restore
    the CHECK and the width."""
    op.execute("DELETE FROM totals_rollup WHERE dimension = 'donor_month_kind'")
    names = ", ".join(f'"{name}"' for name in MEASURES)
    sums = ", ".join(f'SUM("{name}")' for name in MEASURES)
    op.execute(
        "INSERT INTO totals_rollup (dimension, key_id, key, kind, stage, recipient_id, "
        f"reviewed, {names}) SELECT 'item_month', key_id, key, '', '', 0, false, {sums} "
        "FROM totals_rollup WHERE dimension = 'item_month' AND kind <> '' GROUP BY key_id, key"
    )
    op.execute("DELETE FROM totals_rollup WHERE dimension = 'item_month' AND kind <> ''")
    _rewrite(BEFORE, 12, 16)
