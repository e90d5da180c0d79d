"""Totals rollup on SQLite: a WITHOUT ROWID table, its rows stored in primary key order

The rollup is read by ranges of its primary key (a dimension, and within it a donor's
or item's months); as a rowid table SQLite read each row of such a range through the
primary key's separate index and then the table, one random seek per row. Stored in
key order the rows of a range are read in sequence, and an upsert writes one B-tree
instead of two. The table is rebuilt with the same columns, constraints and rows
(CREATE .. WITHOUT ROWID, copy, drop, rename); going down rebuilds it as a rowid
table. PostgreSQL is unchanged.

Revision ID: 0035
Revises: 0033
Create Date: 2026-12-06 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUFFIX = " WITHOUT ROWID"


def _rebuild(without_rowid: bool) -> None:
    """Rebuild totals_rollup on SQLite from its own CREATE statement, with or without rowid."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    create = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'totals_rollup'")
    ).scalar_one()
    body = create.strip().removesuffix(SUFFIX).rstrip()
    head, columns = body.split("(", 1)
    if "totals_rollup" not in head:
        raise RuntimeError(f"unexpected CREATE statement of totals_rollup: {head!r}")
    new = f"CREATE TABLE totals_rollup_new ({columns}{SUFFIX if without_rowid else ''}"
    op.execute(new)
    op.execute("INSERT INTO totals_rollup_new SELECT * FROM totals_rollup")
    op.execute("DROP TABLE totals_rollup")
    op.execute("ALTER TABLE totals_rollup_new RENAME TO totals_rollup")


def upgrade() -> None:
    """Store the SQLite rollup in primary key order."""
    _rebuild(without_rowid=True)


def downgrade() -> None:
    """Store the SQLite rollup as a rowid table again."""
    _rebuild(without_rowid=False)
