"""Item aliases: other names of catalogue items, editable like donor aliases

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-05 23:59:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the item_alias table."""
    op.create_table(
        "item_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_item_alias_item_id_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_alias")),
        sa.UniqueConstraint("key", name=op.f("uq_item_alias_key")),
    )
    op.create_index(op.f("ix_item_alias_item_id"), "item_alias", ["item_id"], unique=False)


def downgrade() -> None:
    """Drop the item_alias table."""
    op.drop_index(op.f("ix_item_alias_item_id"), table_name="item_alias")
    op.drop_table("item_alias")
