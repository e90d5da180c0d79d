"""Totals rollup: allocated and delivered EUR (cents) and quantities (thousandths)

No pledge has an allocated or delivered figure before 0008, so every existing
rollup row starts these sums at 0. Going down drops them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURES = (
    "allocated_eur_cents",
    "delivered_eur_cents",
    "allocated_quantity_milli",
    "delivered_quantity_milli",
)


def upgrade() -> None:
    with op.batch_alter_table("totals_rollup", schema=None) as batch_op:
        for name in MEASURES:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("totals_rollup", schema=None) as batch_op:
        for name in MEASURES:
            batch_op.alter_column(name, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("totals_rollup", schema=None) as batch_op:
        for name in reversed(MEASURES):
            batch_op.drop_column(name)
