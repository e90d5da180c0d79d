"""The data version: read it in one indexed query; every dashboard-visible write bumps it.

Writers do not call anything by hand. Two Session events, registered once for every
Session when this module is imported, add one to the counter inside the writing
transaction:

- `before_flush`: the unit of work adds, changes or deletes a pledge, donor, alias,
  group membership, item, item alias, category or recipient;
- `do_orm_execute`: an INSERT, UPDATE or DELETE statement run through a Session targets
  one of those tables or the totals rollup (the bulk pledge insert, the rollup upsert
  of every pledge write, `rebuild_totals`).

A write to a table the extractor's vocabulary or the dashboard's reference names are
read from (NAME_TABLES) also adds one to `names_version`, in the same statement: the
cached vocabulary (tracker.importers.vocabulary) and the dashboard's names
(tracker.views.dashboard) are keyed by it, so pledge writes leave them in use.

The bump is the first row lock of the writing transaction on PostgreSQL, so writers
queue on it in one order and cannot deadlock over it. A reader must read the version
before the data it caches: the data is then at least as new as the version says.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from tracker.models import DATA_VERSION_ROW, DataVersion

__all__ = [
    "NAME_TABLES",
    "WATCHED_TABLES",
    "Versions",
    "bump_data_version",
    "read_data_version",
    "read_versions",
]

WATCHED_TABLES = frozenset(
    {
        "pledge",
        "totals_rollup",
        "donor",
        "donor_alias",
        "donor_group_member",
        "item",
        "item_alias",
        "item_category",
        "recipient",
    }
)
# The tables the extractor's vocabulary and the dashboard's reference names (donors,
# groups, items, categories, recipients) are read from (a subset of WATCHED_TABLES)
NAME_TABLES = frozenset(
    {"donor", "donor_alias", "item", "item_alias", "item_category", "recipient"}
)
_READ = select(DataVersion.version, DataVersion.names_version).where(
    DataVersion.id == DATA_VERSION_ROW
)
_BUMP = (
    update(DataVersion)
    .where(DataVersion.id == DATA_VERSION_ROW)
    .values(version=DataVersion.version + 1)
)
_BUMP_WITH_NAMES = (
    update(DataVersion)
    .where(DataVersion.id == DATA_VERSION_ROW)
    .values(version=DataVersion.version + 1, names_version=DataVersion.names_version + 1)
)


class Versions(NamedTuple):
    """The data version and the names' version, read together."""

    data: int
    names: int


def read_versions(session: Session) -> Versions:
    """The current data and names versions: one primary-key lookup (0 before the row
    exists), run on the session's connection as a plain Core statement (no ORM entity is
    loaded: the ORM's execution path cost a warm page a fifth of its CPU)."""
    row = session.connection().execute(_READ).first()
    return Versions(int(row[0] or 0), int(row[1] or 0)) if row is not None else Versions(0, 0)


def read_data_version(session: Session) -> int:
    """The current data version (see `read_versions`)."""
    return read_versions(session).data


def _bump(connection: Connection, names: bool = False) -> None:
    """Add one to the counter (and to the names' counter when `names`) on `connection`,
    creating the row if a database lacks it."""
    if connection.execute(_BUMP_WITH_NAMES if names else _BUMP).rowcount == 0:
        connection.execute(
            insert(DataVersion).values(id=DATA_VERSION_ROW, version=1, names_version=int(names))
        )


def bump_data_version(session: Session, *, names: bool = False) -> None:
    """Add one to the data version in the session's transaction (writes the events miss);
    `names` for a write to one of NAME_TABLES."""
    _bump(session.connection(), names)


def _table_name(thing: Any) -> str | None:
    """The table a mapped object or a DML statement writes to, if any."""
    table = getattr(thing, "__table__", None)
    if table is None:
        table = getattr(thing, "table", None)
    name = getattr(table, "name", None)
    return name if isinstance(name, str) else None


def _on_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Bump when the flush writes a watched row (the names' counter too for a name row)."""
    tables = {_table_name(type(obj)) for obj in (*session.new, *session.dirty, *session.deleted)}
    if tables & WATCHED_TABLES:
        bump_data_version(session, names=bool(tables & NAME_TABLES))


def _on_execute(state: ORMExecuteState) -> None:
    """Bump before an INSERT/UPDATE/DELETE statement on a watched table runs."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = _table_name(state.statement)
    if table in WATCHED_TABLES:
        bump_data_version(state.session, names=table in NAME_TABLES)


if not event.contains(Session, "before_flush", _on_flush):
    event.listen(Session, "before_flush", _on_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
