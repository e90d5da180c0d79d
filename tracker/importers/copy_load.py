"""Pledge rows into PostgreSQL by COPY, their references checked set-wise.

A COPY into the pledge table fires one foreign-key trigger per row and reference:
for 100,000 rows naming a donor, a recipient, an item and a source that is
400,000 single-row look-ups, more than half of the COPY's time. When the role may
set `session_replication_role` (a superuser, or a role granted SET on it), and
the pledge table has no triggers or rules of its own that replica mode would also
skip, those triggers are off for the COPY alone and the import makes the same
check itself: each referenced table is read once for the distinct ids the rows
use, taking the lock the triggers take (FOR KEY SHARE), so the rows referred to
cannot be deleted before the import commits. An id that is gone fails the import,
as the trigger would have, and nothing is written. Otherwise the COPY runs with
its triggers, and a row they refuse fails the import the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from sqlalchemy import Connection, Integer, Table, any_, literal, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from tracker.importers.mapping import Problem
from tracker.importers.pledge_text import copy_text
from tracker.models import Pledge
from tracker.services.data_version import bump_data_version

REPLICATION_ROLE = "session_replication_role"
ROW_TRIGGERS_MAY_BE_OFF = """
SELECT (current_setting('is_superuser') = 'on' OR {granted})
   AND NOT EXISTS (SELECT 1 FROM pg_trigger
                   WHERE tgrelid = CAST(:table AS regclass) AND NOT tgisinternal)
   AND NOT EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = CAST(:table AS regclass))
"""
PLEDGE_TABLE: Table = Pledge.__table__  # type: ignore[assignment]


def row_triggers_may_be_off(connection: Connection, table: str = "pledge") -> bool:
    """Whether the COPY may run without the per-row foreign-key triggers (see above)."""
    driver: Any = connection.connection.driver_connection
    granted = (
        "has_parameter_privilege('session_replication_role', 'SET')"
        if driver.info.server_version >= 150000
        else "false"
    )
    query = ROW_TRIGGERS_MAY_BE_OFF.format(granted=granted)
    return bool(connection.execute(text(query), {"table": table}).scalar_one())


@contextmanager
def references_checked_setwise(
    connection: Connection, table: Table, columns: Mapping[str, Sequence[Any]] | None
) -> Iterator[None]:
    """Rows inserted into `table` (PostgreSQL) in the block, with its per-row foreign-key
    triggers off when the role may turn them off (as for the pledges' COPY); after the
    block the references of `columns` are locked and checked set-wise. `columns` None:
    every row the block writes refers only to rows this transaction has already written
    or locked (the import's new pledges, their source and user), so there is nothing
    left to check. A failure inside the block undoes the setting with its savepoint."""
    if not row_triggers_may_be_off(connection, table.name):
        with _missing_references_reported():
            yield
        return
    previous = connection.execute(text(f"SHOW {REPLICATION_ROLE}")).scalar_one()
    _set_replication_role(connection, "replica")
    yield
    _set_replication_role(connection, previous)
    if columns is not None:
        lock_references(connection, columns, table)


def copy_pledges(session: Session, chunks: Iterable[dict[str, list[Any]]]) -> None:
    """COPY each chunk of pledge columns as it comes, then check the references when
    the triggers did not."""
    from psycopg.copy import QueuedLibpqWriter

    connection = session.connection()
    driver: Any = connection.connection.driver_connection
    triggers_off = row_triggers_may_be_off(connection)
    previous = (
        connection.execute(text(f"SHOW {REPLICATION_ROLE}")).scalar_one() if triggers_off else ""
    )
    made: list[dict[str, list[Any]]] = []
    with _missing_references_reported(), ExitStack() as stack:
        cursor = stack.enter_context(driver.cursor())
        copy: Any = None
        for columns in chunks:
            if copy is None:
                bump_data_version(session)  # the COPY bypasses the Session events that bump it
                if triggers_off:
                    _set_replication_role(connection, "replica")
                names = ", ".join(f'"{name}"' for name in columns)
                statement = f"COPY pledge ({names}) FROM STDIN"
                copy = stack.enter_context(cursor.copy(statement, writer=QueuedLibpqWriter(cursor)))
            copy.write(copy_text(columns))
            made.append(columns)
    if triggers_off and made:
        _set_replication_role(connection, previous)
        lock_references(connection, joined_columns(made))


@contextmanager
def _missing_references_reported() -> Iterator[None]:
    """A row the foreign-key triggers refuse (a referenced row deleted while importing)
    fails the import with the database's own words, as the set-wise check does."""
    from psycopg.errors import ForeignKeyViolation

    from tracker.importers.table import TableImportError

    try:
        yield
    except ForeignKeyViolation as error:
        column = str(error.diag.column_name or "") or None
        detail = error.diag.message_detail or str(error).splitlines()[0]
        raise TableImportError([Problem(None, column, detail)]) from error


def joined_columns(chunks: list[dict[str, list[Any]]]) -> dict[str, list[Any]]:
    """Chunks of columns as one set of columns."""
    if len(chunks) == 1:
        return chunks[0]
    return (
        {name: [v for chunk in chunks for v in chunk[name]] for name in chunks[0]} if chunks else {}
    )


def _set_replication_role(connection: Connection, role: str) -> None:
    """Set `session_replication_role` until the end of the transaction at most."""
    connection.execute(
        text("SELECT set_config(:name, :role, true)"), {"name": REPLICATION_ROLE, "role": role}
    )


def lock_references(
    connection: Connection, columns: Mapping[str, Sequence[Any]], table: Table = PLEDGE_TABLE
) -> None:
    """Lock (FOR KEY SHARE) every row the columns of `table` (the pledges by default) refer
    to; raise TableImportError naming the ids that do not exist."""
    from tracker.importers.table import TableImportError

    problems: list[Problem] = []
    foreign_keys = sorted(table.foreign_keys, key=lambda key: key.parent.name)
    for key in foreign_keys:
        ids = sorted({value for value in columns.get(key.parent.name, ()) if value is not None})
        if not ids:
            continue
        # One array parameter, not one bound parameter per id: an import's possible
        # duplicates name thousands of pledges, and the driver parsed a placeholder each
        wanted = any_(literal(ids, postgresql.ARRAY(Integer)))
        query = (
            select(key.column)
            .where(key.column == wanted)
            .with_for_update(read=True, key_share=True)
        )
        gone = sorted(set(ids) - set(connection.execute(query).scalars()))
        if gone:
            shown = ", ".join(map(str, gone[:10])) + (" ..." if len(gone) > 10 else "")
            problems.append(
                Problem(
                    None,
                    key.parent.name,
                    f"no {key.column.table.name} has id {shown} (deleted while importing?)",
                )
            )
    if problems:
        raise TableImportError(problems)
