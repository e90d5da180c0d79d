"""Pledge: the (donor_id, announced) index also holds recipient_id, source_id and item_id

An article's pledges are matched against the newest pledges of each donor and recipient
within a window of days (tracker.services.match_windows.window_candidates). The
database ranks them by the index alone and reads the table only for the few of the stated
items and categories: the index now covers every column the ranking and the item test
read. Its leading columns stay (donor_id, announced), so every query it served before is
served as before. Going down puts back the index of two columns.

Revision ID: 0045
Revises: 0039
Create Date: 2026-12-06 13:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0045"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_pledge_donor_id_announced"


def upgrade() -> None:
    """The index again, with the matching's columns after its two."""
    op.drop_index(NAME, table_name="pledge")
    op.create_index(
        NAME, "pledge", ["donor_id", "announced", "recipient_id", "source_id", "item_id"]
    )


def downgrade() -> None:
    """The index of (donor_id, announced) alone."""
    op.drop_index(NAME, table_name="pledge")
    op.create_index(NAME, "pledge", ["donor_id", "announced"])
