"""Pledge: the `(donor_id, announced)` index carries what the totals read of a pledge

A date range's partial months and the shown donors' items are read from the pledge
table: one index seek per pledge, then one seek into the table for its columns. The
index now carries those columns after its two keys (tracker.models.totals
TOTALS_READ_COLUMNS: the keys the totals group by, the columns of `counted` and of the
filters, every column a measure reads), so those reads stay in the index; SQLite reads
the days of a range from it donor by donor (a skip-scan). Going down restores the
two-column index.

Revision ID: 0041
Revises: 0039
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0041"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_pledge_donor_id_announced"
KEYS = ["donor_id", "announced"]
# TOTALS_READ_COLUMNS as of this revision (the model's may grow in later ones).
CARRIED = [
    "item_id", "kind", "recipient_id", "reviewed", "deleted_at", "duplicate_of_id",
    "quantity", "qualifier", "quantity_lower", "eur", "counts_money", "eur_lower", "usd",
    "amount", "conversion_status", "allocated_eur", "delivered_eur", "stage",
    "allocated_quantity", "delivered_quantity",
]  # fmt: skip


def upgrade() -> None:
    """Rebuild the index with the carried columns."""
    op.drop_index(NAME, table_name="pledge")
    op.create_index(NAME, "pledge", [*KEYS, *CARRIED])


def downgrade() -> None:
    """Rebuild the index on its two keys."""
    op.drop_index(NAME, table_name="pledge")
    op.create_index(NAME, "pledge", KEYS)
