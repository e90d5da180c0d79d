"""Pledge: the (donor_id, announced) index also holds source_id

An article's pledges are matched against the newest pledges of each donor and recipient
within a window of days (tracker.services.match_windows.window_candidates). The
database ranks them by the index alone and reads the table only for the few of the stated
items and categories: since 0041 the index carries the recipient and the item after its
two keys, and now the source as well, so it covers every column the ranking and the item
test read. Its leading columns stay (donor_id, announced), so every query it served
before is served as before. Going down rebuilds it without the source.

Revision ID: 0045
Revises: 0041
Create Date: 2026-12-06 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0045"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_pledge_donor_id_announced"


def _columns() -> list[str]:
    """The index's columns as the revision below left them."""
    indexes = sa.inspect(op.get_bind()).get_indexes("pledge")
    return [str(column) for index in indexes if index["name"] == NAME
            for column in index["column_names"]]  # fmt: skip


def _rebuild(columns: list[str]) -> None:
    op.drop_index(NAME, table_name="pledge")
    op.create_index(NAME, "pledge", columns)


def upgrade() -> None:
    """The index again, with the source after the columns it had."""
    _rebuild([*_columns(), "source_id"])


def downgrade() -> None:
    """The index without the source."""
    _rebuild([column for column in _columns() if column != "source_id"])
