"""Report: `corroborates_id`, the stage report a report repeats, and `note`

A second outlet's account of the same delivery or allocation ("has delivered the first
1,000 of ...", told again a day later) is stored as a corroborating report of the pledge
that keeps a link to the allocating or delivering report it repeats, so it adds nothing
to the stage figures; an analyst who splits it (it counts as a delivery of its own) keeps
the link, so the split can be undone. `note` says how a report's figure was read (a
cumulative "3,000 so far" recorded as the 2,000 not yet recorded). Existing reports get
neither. The link has a partial index (reports linking nowhere stay out of it), so
deleting a report finds the reports that repeat it without a scan. Going down drops the
index and both columns.

Revision ID: 0047
Revises: 0045
Create Date: 2026-12-06 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0047"
down_revision: str | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = sa.text("corroborates_id IS NOT NULL")


def upgrade() -> None:
    """Add the two columns (NULL for every existing report), the link's key and its index."""
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corroborates_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.String(length=300), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_report_corroborates_id_report"),
            "report",
            ["corroborates_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index(
        "ix_report_corroborates_id",
        "report",
        ["corroborates_id"],
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade() -> None:
    """Drop the index, the key, then the columns."""
    op.drop_index("ix_report_corroborates_id", table_name="report")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_report_corroborates_id_report"), type_="foreignkey")
        batch_op.drop_column("note")
        batch_op.drop_column("corroborates_id")
