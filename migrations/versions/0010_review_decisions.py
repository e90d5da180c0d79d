"""review: a log of accept/reject decisions, each undoable

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=6), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("scope", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=80), nullable=True),
        sa.CheckConstraint(
            "action = 'accept' OR action = 'reject'", name=op.f("ck_review_decision_action")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_review_decision_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
    )
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_decision_at"), ["at"], unique=False)
    op.create_table(
        "review_decision_pledge",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["review_decision.id"],
            name=op.f("fk_review_decision_pledge_decision_id_review_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledge.id"], name=op.f("fk_review_decision_pledge_pledge_id_pledge")
        ),
        sa.PrimaryKeyConstraint("decision_id", "pledge_id", name=op.f("pk_review_decision_pledge")),
    )
    with op.batch_alter_table("review_decision_pledge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_decision_pledge_pledge_id"), ["pledge_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("review_decision_pledge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decision_pledge_pledge_id"))
    op.drop_table("review_decision_pledge")
    with op.batch_alter_table("review_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decision_at"))
    op.drop_table("review_decision")
