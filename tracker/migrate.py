"""Run the Alembic migrations from code: the CLI and the tests share this."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from tracker.config import ALEMBIC_INI, MIGRATIONS_DIR


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    """An Alembic configuration for this project, bound to `connection` when given.

    The migrations and alembic.ini are read from the package, where the wheel carries them.
    """
    config = AlembicConfig(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest revision in migrations/versions."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class MigrationError(RuntimeError):
    """A migration that would leave the database inconsistent; nothing of it was kept."""


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for schema changes, committed only when it leaves the data whole.

    SQLite alters a table by building a new one, copying the rows, dropping the old
    one and renaming the new. Dropping a table other tables refer to fails while
    foreign keys are enforced, so, as SQLite's documentation prescribes for such
    changes, enforcement is off for the transaction (it can only be switched
    outside one) and `PRAGMA foreign_key_check` must find nothing before commit.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw: Any = connection.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        table, rowid, parent, _key = broken[0]
                        raise MigrationError(
                            f"the migration leaves {len(broken)} row(s) referring to missing "
                            f"rows, e.g. {table} row {rowid} -> {parent}; nothing was changed"
                        )
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision` in one transaction."""
    with schema_transaction(engine) as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` in one transaction."""
    with schema_transaction(engine) as connection:
        command.downgrade(alembic_config(connection), revision)


def check(engine: Engine) -> None:
    """Raise if the models and the migrated schema differ (Alembic's `check`)."""
    with engine.begin() as connection:
        command.check(alembic_config(connection))
