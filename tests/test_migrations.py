"""The migrations are the only way the schema is made: they go up, down and up again,
and leave nothing for autogenerate to find."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, inspect, text

from tests.conftest import fresh_engine
from tracker import migrate
from tracker.db import make_engine


@pytest.fixture
def empty_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        engine = fresh_engine("sqlite", tmp_path_factory)
        yield engine
        engine.dispose()
        return
    base = fresh_engine.__globals__["postgres_url"]()
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
        connection.execute(text("CREATE SCHEMA migration_test"))
    engine = make_engine(base, connect_args={"options": "-csearch_path=migration_test"})
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text("DROP SCHEMA migration_test CASCADE"))
    admin.dispose()


def table_names(engine: Engine) -> set[str]:
    """The tables in the engine's database, without Alembic's own."""
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert {"pledge", "donor", "source", "evidence", "audit_event"} <= table_names(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()

    migrate.downgrade(empty_engine, "base")
    assert table_names(empty_engine) == set()
    assert migrate.current_revision(empty_engine) is None

    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()


def test_models_match_migrations(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.check(empty_engine)  # raises when autogenerate would find a difference


def test_check_fails_on_an_unmigrated_database(empty_engine: Engine) -> None:
    from alembic.util.exc import CommandError

    with pytest.raises(CommandError):
        migrate.check(empty_engine)
