"""Data version: a second counter, `names_version`, that moves only with writes to the
tables the extractor's vocabulary is read from (donors, aliases, items, item aliases,
categories), so a pledge write leaves the cached vocabulary in use

The existing row starts at 0: a process that cached a vocabulary under the old key
reads it again once. Going down drops the column.

Revision ID: 0027
Revises: 0024
Create Date: 2026-12-06 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add names_version, 0 for the existing row."""
    with op.batch_alter_table("data_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("names_version", sa.BigInteger(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    """Drop names_version."""
    with op.batch_alter_table("data_version", schema=None) as batch_op:
        batch_op.drop_column("names_version")
