"""Report: `source_ref`, the dataset row a corroborating report was read from

A table imported with `match: true` turns each row that repeats a stored pledge into a
report of it; the report now keeps the row's key (as a pledge keeps the key of the row
that created it), so the same file imported again recognises the row and adds no second
report. One report per (source, row): a unique index on `(source_id, source_ref)` that
leaves out the reports read from no row. Existing reports get none (their row is only
named in their review flag). Going down drops the index and the column.

Revision ID: 0039
Revises: 0037
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = sa.text("source_ref IS NOT NULL")


def upgrade() -> None:
    """Add the column (NULL for every existing report) and its partial unique index."""
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_ref", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_report_source_id_source_ref",
        "report",
        ["source_id", "source_ref"],
        unique=True,
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade() -> None:
    """Drop the index, then the column."""
    op.drop_index("ix_report_source_id_source_ref", table_name="report")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("source_ref")
