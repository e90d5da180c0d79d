"""Steps a migration that adds totals rollup dimensions takes: the dimension column's
CHECK, and the new rows from a rebuild of the rollup when pledges exist.

The SQLite rollup is a WITHOUT ROWID table (migration 0035); the CHECK's batch rebuild
keeps it so.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


def set_dimension_check(op: Any, dimensions: Collection[str], *, with_rowid: bool = False) -> None:
    """Replace the dimension column's CHECK by one allowing `dimensions` (`op`: Alembic's).
    `with_rowid`: for the revisions before 0035, whose SQLite rollup still had a rowid."""
    name = op.f("ck_totals_rollup_dimension")
    kwargs = {} if with_rowid else {"sqlite_with_rowid": False}
    with op.batch_alter_table("totals_rollup", schema=None, table_kwargs=kwargs) as batch_op:
        batch_op.drop_constraint(name, type_="check")
        batch_op.create_check_constraint(
            name, " OR ".join(f"dimension = '{value}'" for value in dimensions)
        )


def rebuild_when_pledged(op: Any, dimensions: Collection[str]) -> None:
    """Rebuild the rollup's rows of `dimensions` when the pledge table holds any."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM pledge LIMIT 1")).first() is not None:
        from tracker.services.rollup import rebuild_totals

        session = Session(bind=bind)
        rebuild_totals(session, dimensions)
        session.flush()
