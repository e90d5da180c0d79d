"""Cheaper pledge inserts: CHECKs of allowed values as OR chains; partial indexes

SQLite evaluates `x IN ('a', 'b', 'c', ...)` (more than two constants) through a
temporary index it builds on every execution of the statement, so each row of a
bulk insert paid for five of them on the pledge table. The same rules written as
`x = 'a' OR x = 'b' ...` cost a comparison each. Every CHECK of allowed values is
rewritten that way, on both databases, so the schema has one form.

ix_pledge_evidence_id and ix_pledge_package_id become partial indexes of the rows
that have one: pledges from tables have neither, and a look-up by either column
(`evidence_id = ?`) is still served by them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("military", "financial", "humanitarian", "reconstruction")
CHECKS: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {
    "donor": [("kind", ("country", "organisation", "group"), False)],
    "item_category": [("kind", KINDS, False)],
    "source": [("kind", ("article", "dataset", "manual"), False)],
    "user": [("role", ("viewer", "analyst", "admin"), False)],
    "totals_rollup": [
        ("dimension", ("all", "donor", "item", "category", "month", "currency"), False)
    ],
    "pledge": [
        ("kind", KINDS, False),
        ("stage", ("announced", "committed", "allocated", "delivered", "cancelled"), False),
        ("qualifier", ("exact", "about", "at_least", "up_to", "unknown"), False),
        ("announced_precision", ("day", "week", "month", "year"), True),
        ("conversion_status", ("native", "converted", "stale", "unconverted"), True),
    ],
}
PARTIAL_INDEXES = ("evidence_id", "package_id")


def _check(column: str, values: tuple[str, ...], nullable: bool, *, chained: bool) -> str:
    """The CHECK text: an OR chain (this revision) or an IN list (the one before)."""
    if chained:
        check = " OR ".join(f"{column} = '{v}'" for v in values)
    else:
        check = f"{column} IN ({', '.join(repr(v) for v in values)})"
    return f"{column} IS NULL OR {check}" if nullable else check


def _rewrite_checks(*, chained: bool) -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values, nullable in checks:
                name = op.f(f"ck_{table}_{column}")
                batch_op.drop_constraint(name, type_="check")
                batch_op.create_check_constraint(
                    name, _check(column, values, nullable, chained=chained)
                )


def upgrade() -> None:
    _rewrite_checks(chained=True)
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        for column in PARTIAL_INDEXES:
            batch_op.drop_index(f"ix_pledge_{column}")
            condition = sa.text(f"{column} IS NOT NULL")
            batch_op.create_index(
                f"ix_pledge_{column}",
                [column],
                unique=False,
                sqlite_where=condition,
                postgresql_where=condition,
            )


def downgrade() -> None:
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        for column in PARTIAL_INDEXES:
            batch_op.drop_index(f"ix_pledge_{column}")
            batch_op.create_index(f"ix_pledge_{column}", [column], unique=False)
    _rewrite_checks(chained=False)
