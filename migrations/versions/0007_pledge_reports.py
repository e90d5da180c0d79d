"""Reports: one source's statement about a pledge; every existing pledge gets its one

A pledge is the promise; each article, table row or analyst's entry that states,
corroborates, updates, allocates or delivers it is a report. The existing pledges
each become one pledge with one report that announces it, from the pledge's own
source and evidence, dated on its announcement. Going down drops the reports (the
pledge keeps its source and evidence, so nothing the earlier schema knew is lost).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("announces", "corroborates", "updates", "allocates", "delivers")


def _currency_check(column: str) -> str:
    letters = " AND ".join(f"substr({column}, {i}, 1) BETWEEN 'A' AND 'Z'" for i in (1, 2, 3))
    return (
        f"{column} IS NULL OR (length({column}) = 3 AND upper({column}) = {column} AND {letters})"
    )


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=20, scale=3), nullable=True),
        sa.Column("amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("eur", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("review_flag", sa.String(length=500), nullable=True),
        sa.Column("moved_from_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            " OR ".join(f"role = '{role}'" for role in ROLES), name=op.f("ck_report_role")
        ),
        sa.CheckConstraint(_currency_check("currency"), name=op.f("ck_report_currency")),
        sa.CheckConstraint(
            "(amount IS NULL) = (currency IS NULL)", name=op.f("ck_report_amount_currency")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_report_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_report_evidence_id_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledge.id"], name=op.f("fk_report_pledge_id_pledge"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["moved_from_id"], ["pledge.id"], name=op.f("fk_report_moved_from_id_pledge")
        ),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name=op.f("fk_report_source_id_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    op.create_index(op.f("ix_report_pledge_id"), "report", ["pledge_id"], unique=False)
    op.execute(
        "INSERT INTO report (pledge_id, source_id, evidence_id, role, reported_on, created_at, "
        "created_by_id) SELECT id, source_id, evidence_id, 'announces', announced, created_at, "
        "created_by_id FROM pledge ORDER BY id"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_report_pledge_id"), table_name="report")
    op.drop_table("report")
