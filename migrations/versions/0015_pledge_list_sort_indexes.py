"""Indexes for the pledge list's sorts: (column, id) for announced, eur, stage, donor, item

The pledge list pages by keyset, ordered by a shown column then the id. Each order
is walked by one index: (announced, id), (eur, id), (stage, id), and for the donor
and item sorts (donor_id, id) and (item_id, id) under the unique name indexes of
donor and item. (announced, id) and (item_id, id) replace the one-column indexes
on announced and item_id, which they serve as well.

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-05 23:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORTED = ("announced", "eur", "stage", "donor_id", "item_id")
REPLACED = {"announced": "ix_pledge_announced", "item_id": "ix_pledge_item_id"}


def upgrade() -> None:
    """Add the (column, id) indexes; drop the one-column ones they replace."""
    for column in SORTED:
        op.create_index(f"ix_pledge_{column}_id", "pledge", [column, "id"])
    for name in REPLACED.values():
        op.drop_index(name, table_name="pledge")


def downgrade() -> None:
    """Restore the one-column indexes; drop the (column, id) ones."""
    for column, name in REPLACED.items():
        op.create_index(name, "pledge", [column])
    for column in SORTED:
        op.drop_index(f"ix_pledge_{column}_id", table_name="pledge")
