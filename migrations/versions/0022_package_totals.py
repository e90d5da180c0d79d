"""Package totals: a pledge may be its package's stated total, and each pledge says
whether its money counts (not when it is a part of a package whose stated total counts)

Every existing pledge is no package's stated total and counts its money, so the totals
rollup is unchanged. Going down drops the columns, their checks and the index.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-06 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add package_total and counts_money, their checks and the one-total index."""
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("package_total", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("counts_money", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_pledge_package_total"), "NOT package_total OR package_id IS NOT NULL"
        )
        batch_op.create_check_constraint(
            op.f("ck_pledge_package_total_counts"), "counts_money OR NOT package_total"
        )
    op.create_index(
        "ix_pledge_package_total",
        "pledge",
        ["package_id"],
        unique=True,
        sqlite_where=sa.text("package_total"),
        postgresql_where=sa.text("package_total"),
    )


def downgrade() -> None:
    """Drop the index, the checks and the columns."""
    op.drop_index(
        "ix_pledge_package_total",
        table_name="pledge",
        sqlite_where=sa.text("package_total"),
        postgresql_where=sa.text("package_total"),
    )
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_pledge_package_total_counts"), type_="check")
        batch_op.drop_constraint(op.f("ck_pledge_package_total"), type_="check")
        batch_op.drop_column("counts_money")
        batch_op.drop_column("package_total")
