"""Fixtures shared by the whole suite.

Every database test runs twice: on SQLite and on PostgreSQL (when
TRACKER_TEST_POSTGRES_URL names a throwaway database; under CI it must).
The schema is built by the migrations, the reference data is seeded once,
and each test runs inside a transaction that is rolled back afterwards;
code under test that commits only releases a savepoint.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tracker import create_app, migrate
from tracker.db import DatabaseConfigError, check_connection, make_engine
from tracker.models import User
from tracker.services.reference import seed_reference
from tracker.views.access import session_user_id

POSTGRES_ENV = "TRACKER_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The throwaway PostgreSQL database for tests; skip (or fail under CI) without one."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} must be set under CI: PostgreSQL tests are mandatory")
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    return url


@contextmanager
def own_postgres_database(purpose: str) -> Iterator[str]:
    """The URL of an empty PostgreSQL database of its own (`tracker_<purpose>_<pid>`), made
    beside the test database for a process the test starts, and dropped afterwards."""
    test_url = make_url(postgres_url())
    name = f"tracker_{purpose}_{os.getpid()}"
    admin = make_engine(test_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield test_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def reset_postgres(engine: Engine) -> None:
    """Empty the throwaway database so the migrations start from nothing."""
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def fresh_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """An engine on an empty database of the given backend."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "tracker-test.db"
        return make_engine(f"sqlite:///{path}")
    engine = make_engine(postgres_url())
    try:
        check_connection(engine)
    except DatabaseConfigError as exc:
        pytest.fail(str(exc)) if os.environ.get("CI") else pytest.skip(str(exc))
    reset_postgres(engine)
    return engine


def seeded_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """An engine on a new database of the given backend, migrated and seeded."""
    engine = fresh_engine(backend, tmp_path_factory)
    migrate.upgrade(engine)
    with Session(engine) as session:
        seed_reference(session)
        session.commit()
    return engine


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend a test runs on."""
    return str(request.param)


@pytest.fixture(scope="session")
def engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated, seeded database for the whole session."""
    engine = seeded_engine(backend, tmp_path_factory)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back when the test ends."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions on the test's connection; their commits release savepoints only."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for the test body."""
    with session_factory() as session:
        yield session


@pytest.fixture
def app(session_factory: sessionmaker[Session]):  # type: ignore[no-untyped-def]
    """The web app, on the test's database transaction."""
    return create_app({"TESTING": True, "SECRET_KEY": "test", "SESSION_FACTORY": session_factory})


@pytest.fixture
def form_app(session_factory: sessionmaker[Session], tmp_path):  # type: ignore[no-untyped-def]
    """The web app with CSRF off, for tests that post forms (uploads, hostile input) directly;
    uploads kept between a dry run and the import live in the test's own folder."""
    return create_app(
        {"TESTING": True, "SECRET_KEY": "t", "SESSION_FACTORY": session_factory,
         "WTF_CSRF_ENABLED": False, "UPLOAD_FOLDER": tmp_path / "uploads"}
    )  # fmt: skip


@pytest.fixture
def analyst(session: Session) -> User:
    """An analyst account for tests of the write pages (it cannot sign in with a password)."""
    user = User(username="test-analyst", password_hash="!", role="analyst", active=True)
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def client(app, analyst: User):  # type: ignore[no-untyped-def]
    """A test client signed in as an analyst (see `anonymous_client` for nobody)."""
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = session_user_id(analyst)
        flask_session["_fresh"] = True
    return client


@pytest.fixture
def anonymous_client(app):  # type: ignore[no-untyped-def]
    """A test client nobody is signed in to."""
    return app.test_client()


@pytest.fixture
def rates_to_cutoff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An instance folder of the test's own whose loaded ECB rates end on CUTOFF; the
    process goes back to the shipped rates afterwards."""
    from tests.rates_files import CUTOFF, rates_in_use_until
    from tracker.money import forget_rates

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    yield rates_in_use_until(CUTOFF)
    forget_rates()
