"""Drop pledge indexes that other indexes already serve

ix_pledge_donor_id is the prefix of ix_pledge_donor_id_announced, ix_pledge_source_id
the prefix of the (source_id, source_ref) unique constraint, and ix_pledge_recipient_id
indexes a column of a handful of values. Every pledge insert paid for all three.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = {
    "ix_pledge_donor_id": ["donor_id"],
    "ix_pledge_recipient_id": ["recipient_id"],
    "ix_pledge_source_id": ["source_id"],
}


def upgrade() -> None:
    for name in DROPPED:
        op.drop_index(name, table_name="pledge")


def downgrade() -> None:
    for name, columns in DROPPED.items():
        op.create_index(name, "pledge", columns, unique=False)
