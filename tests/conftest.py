"""Fixtures shared by the whole suite.

Every database test runs twice: on SQLite and on PostgreSQL (when
TRACKER_TEST_POSTGRES_URL names a throwaway database; under CI it must).
The schema is built by the migrations, the reference data is seeded once,
and each test runs inside a transaction that is rolled back afterwards;
code under test that commits only releases a savepoint.

Under pytest-xdist (`make test` runs `pytest -n auto`) each worker gets a PostgreSQL
database of its own, named after the test database with the worker's id appended
(`<name>_gw0`, `<name>_gw1`, ...): made when the worker starts, dropped when it ends, and
any left by a worker that died dropped by the controller at the end of the run. SQLite
files and other temporary folders come from `tmp_path_factory`, which xdist already
gives each worker apart; servers the tests start take a free port each.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tracker import create_app, migrate
from tracker.db import DatabaseConfigError, check_connection, make_engine
from tracker.models import User
from tracker.services.reference import seed_reference
from tracker.views.access import session_user_id

POSTGRES_ENV = "TRACKER_TEST_POSTGRES_URL"

# No Hypothesis example has a deadline: the tests check behaviour, never speed, and on a
# loaded machine (two workers on two cores, or other work beside) an example that takes
# 250 ms instead of 150 ms is no fault. A test's own `@settings` still sets its examples.
settings.register_profile("tracker", deadline=None)
settings.load_profile("tracker")


def postgres_url() -> str:
    """The throwaway PostgreSQL database for tests; skip (or fail under CI) without one."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} must be set under CI: PostgreSQL tests are mandatory")
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    return url


def admin_engine(url: URL) -> Engine:
    """An autocommitting engine on the server's `postgres` database, to make and drop others."""
    return make_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def create_database(admin: Engine, name: str) -> None:
    """Make the database `name` empty and new (dropping one left under that name)."""
    drop_databases(admin, [name])
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))


def drop_databases(admin: Engine, names: Iterable[str]) -> None:
    """Drop the databases `names`, closing whatever connections they still have."""
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def own_postgres_database(purpose: str) -> Iterator[str]:
    """The URL of an empty PostgreSQL database of its own (`tracker_<purpose>_<pid>`), made
    beside the test database for a process the test starts, and dropped afterwards."""
    test_url = make_url(postgres_url())
    name = f"tracker_{purpose}_{os.getpid()}"
    admin = admin_engine(test_url)
    create_database(admin, name)
    try:
        yield test_url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_databases(admin, [name])
        admin.dispose()


XDIST_WORKER_ENV = "PYTEST_XDIST_WORKER"  # set by pytest-xdist in each worker: gw0, gw1, ...
WORKER_DATABASE = pytest.StashKey[URL]()  # the worker's own PostgreSQL database


def worker_database(url: URL, worker: str) -> URL:
    """The PostgreSQL database of one xdist worker: the test database's name + `_<worker>`."""
    return url.set(database=f"{url.database}_{worker}")


def worker_databases(admin: Engine, url: URL) -> list[str]:
    """The names of the workers' databases of the test database at `url` that exist now."""
    own = re.compile(re.escape(f"{url.database}_gw") + r"\d+")
    with admin.connect() as connection:
        names = connection.execute(text("SELECT datname FROM pg_database")).scalars()
        return [name for name in names if own.fullmatch(name)]


def pytest_configure(config: pytest.Config) -> None:
    """In an xdist worker, point the PostgreSQL tests at a new database of the worker's own,
    so that workers never reset or fill each other's schema."""
    worker, url = os.environ.get(XDIST_WORKER_ENV), os.environ.get(POSTGRES_ENV)
    if not (worker and url):
        return
    own = worker_database(make_url(url), worker)
    config.stash[WORKER_DATABASE] = own
    os.environ[POSTGRES_ENV] = own.render_as_string(hide_password=False)
    admin = admin_engine(own)
    try:
        create_database(admin, str(own.database))
    except OperationalError:
        pass  # the server is unreachable: the tests say so, each through `fresh_engine`
    finally:
        admin.dispose()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop this worker's database; in the xdist controller, drop any a dead worker left."""
    own = session.config.stash.get(WORKER_DATABASE, None)
    url = os.environ.get(POSTGRES_ENV)
    if own is None and not (url and session.config.pluginmanager.has_plugin("dsession")):
        return  # neither a worker with a database of its own nor the xdist controller
    base = own or make_url(str(url))
    admin = admin_engine(base)
    try:
        drop_databases(admin, [str(own.database)] if own else worker_databases(admin, base))
    except OperationalError:
        pass  # the server is gone: nothing can be dropped, and the tests have said why
    finally:
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
def seeded_engines() -> Iterator[dict[str, Engine]]:
    """Each backend's migrated, seeded database, built when a test first needs it and kept to
    the session's end: however the tests of the two backends come in turn (an xdist worker
    gets them in batches), neither database is built twice."""
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(scope="session")
def engine(
    backend: str, seeded_engines: dict[str, Engine], tmp_path_factory: pytest.TempPathFactory
) -> Engine:
    """A migrated, seeded database for the whole session."""
    if backend not in seeded_engines:
        seeded_engines[backend] = seeded_engine(backend, tmp_path_factory)
    return seeded_engines[backend]


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
