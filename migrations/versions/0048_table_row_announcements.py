"""Reports: the announcement of each table row whose stage figures were recorded without one

A table row that states a promise and an allocated or delivered figure makes a pledge with
the report that announces its promise, then one report per stage figure (allocates,
delivers), as the pledge page records them. Rows imported before that made only their
stage reports, so such a pledge had no announcing report (and a possible duplicate made by
one could not be restored once deleted: it was taken for a pledge linked away). This adds
the missing report to each pledge of a dataset source that holds an allocating or delivering
report of its own source and no announcing report: from the same source, as the import
writes it today (no evidence, no row key on the report: the row's key stays on the pledge),
dated by the pledge's announcement, made when and by whom the pledge was. Its note says
where it came from, so going down deletes exactly these reports, whatever role a link or a
split gave them since.

The pledges are read in ranges of their ids, one INSERT .. SELECT each, so a table of any
size migrates in bounded memory and statements of bounded size.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-08 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTE = "announcement of its table row, added by migration 0048"
PLEDGES_PER_STATEMENT = 10_000
ADD_ANNOUNCEMENTS = sa.text(
    "INSERT INTO report (pledge_id, source_id, role, reported_on, note, created_at, "
    "created_by_id) "
    "SELECT p.id, p.source_id, 'announces', p.announced, :note, p.created_at, "
    "p.created_by_id FROM pledge p JOIN source s ON s.id = p.source_id "
    "WHERE s.kind = 'dataset' AND p.id >= :first AND p.id < :after "
    "AND NOT EXISTS (SELECT 1 FROM report a WHERE a.pledge_id = p.id "
    "AND a.role = 'announces') "
    "AND EXISTS (SELECT 1 FROM report f WHERE f.pledge_id = p.id "
    "AND f.source_id = p.source_id AND f.role IN ('allocates', 'delivers')) "
    "ORDER BY p.id"
)


def upgrade() -> None:
    """Add the announcing report of each such pledge, a range of pledge ids at a time."""
    connection = op.get_bind()
    first, last = connection.execute(sa.text("SELECT min(id), max(id) FROM pledge")).one()
    if first is None:
        return
    for start in range(first, last + 1, PLEDGES_PER_STATEMENT):
        connection.execute(
            ADD_ANNOUNCEMENTS,
            {"note": NOTE, "first": start, "after": start + PLEDGES_PER_STATEMENT},
        )


def downgrade() -> None:
    """Delete the reports `upgrade` added, known by their note."""
    op.get_bind().execute(sa.text("DELETE FROM report WHERE note = :note"), {"note": NOTE})
