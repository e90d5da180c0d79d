"""Pledge stage figures: allocated and delivered quantity, amount, EUR value and day;
a pledge that may repeat another (duplicate_of_id) waits outside the totals

Every existing pledge starts with no allocated or delivered figure and no duplicate
mark. Going down drops the columns.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 23:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = ("allocated", "delivered")


def upgrade() -> None:
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        for stage in STAGES:
            batch_op.add_column(
                sa.Column(f"{stage}_quantity", sa.Numeric(precision=20, scale=3), nullable=True)
            )
            batch_op.add_column(
                sa.Column(f"{stage}_amount", sa.Numeric(precision=20, scale=2), nullable=True)
            )
            batch_op.add_column(
                sa.Column(f"{stage}_eur", sa.Numeric(precision=20, scale=2), nullable=True)
            )
            batch_op.add_column(sa.Column(f"{stage}_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_pledge_duplicate_of_id_pledge"), "pledge", ["duplicate_of_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pledge_duplicate_of_id_pledge"), type_="foreignkey")
        batch_op.drop_column("duplicate_of_id")
        for stage in reversed(STAGES):
            for suffix in ("on", "eur", "amount", "quantity"):
                batch_op.drop_column(f"{stage}_{suffix}")
