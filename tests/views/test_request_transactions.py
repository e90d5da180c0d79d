"""How a request's transaction ends (tracker.db.end_session): rolled back when the request
failed or wrote what it did not commit itself; on PostgreSQL committed when it only read,
so psycopg keeps the connection's prepared statements (a ROLLBACK drops them all).

These tests need sessions that really commit, so they run on a database of their own
(not on the suite's rolled-back transaction), and on PostgreSQL through a pool of one
connection, so that every request runs on the same one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from flask import Flask, abort
from sqlalchemy import Engine, event, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.conftest import own_postgres_database
from tracker import create_app, migrate
from tracker.db import make_engine, make_session_factory, only_read
from tracker.models import Donor
from tracker.services.reference import seed_reference
from tracker.views.database import db_session

# What the test routes do: write an object flushed, a Core INSERT, an object added but not
# flushed, or only read
WORK = ("flush", "core", "pending", "read")
# How the test routes end: an exception, an HTTP error, a page
ENDINGS = ("raise", "abort", "return")


@pytest.fixture(scope="module")
def own_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated, seeded database of the module's own, on a pool of one connection."""

    def prepared(url: str) -> Engine:
        engine = make_engine(url, pool_size=1, max_overflow=0)
        migrate.upgrade(engine)
        with Session(engine) as session:
            seed_reference(session)
            session.commit()
        return engine

    if backend == "sqlite":
        engine = prepared(f"sqlite:///{tmp_path_factory.mktemp('requests') / 'tracker.db'}")
        yield engine
        engine.dispose()
        return
    with own_postgres_database("requests") as url:
        engine = prepared(url)
        yield engine
        engine.dispose()


def write(session: Session, how: str, name: str) -> None:
    """Write one donor named `name` the way `how` says (or only read the donors)."""
    if how == "read":
        session.scalar(select(func.count()).select_from(Donor))
        return
    if how == "core":
        session.execute(insert(Donor).values(name=name, kind="organisation"))
        return
    session.add(Donor(name=name, kind="organisation"))
    if how == "flush":
        session.flush()


@pytest.fixture
def own_app(own_engine: Engine, tmp_path: Path) -> Flask:
    """The app on the module's database, with routes that write and end in every way."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False,
         "SESSION_FACTORY": make_session_factory(own_engine), "UPLOAD_FOLDER": tmp_path}
    )  # fmt: skip

    def writes_then(how: str, ending: str, name: str) -> str:
        write(db_session(), how, name)
        if ending == "raise":
            raise RuntimeError("the request failed after writing")
        if ending == "abort":
            abort(400)
        return "nothing committed"

    def commits_then_writes(name: str) -> str:
        session = db_session()
        write(session, "flush", name)
        session.commit()
        write(session, "flush", f"{name} (not committed)")
        return "one committed, one not"

    def fails_a_statement() -> str:
        session = db_session()
        session.scalar(select(func.count()).select_from(Donor))
        with suppress(DBAPIError):  # on PostgreSQL the transaction is now in error
            session.execute(text("SELECT 1 / 0"))
        return "a statement failed"

    app.add_url_rule("/test/<how>/<ending>/<name>", view_func=writes_then, methods=["GET", "POST"])
    app.add_url_rule("/test/commit/<name>", view_func=commits_then_writes, methods=["POST"])
    app.add_url_rule("/test/fail", view_func=fails_a_statement)
    return app


def donors_named(engine: Engine, prefix: str) -> list[str]:
    """The names of the stored donors beginning with `prefix`, read on a fresh session."""
    with Session(engine) as session:
        found = session.scalars(select(Donor.name).where(Donor.name.startswith(prefix)))
        return sorted(found)


def prepared_statements(engine: Engine) -> set[str]:
    """The statements prepared on the pool's one PostgreSQL connection, read unprepared in
    a transaction of its own that ends with COMMIT (a ROLLBACK would drop them)."""
    with engine.connect() as connection:
        driver = connection.connection.dbapi_connection
        assert driver is not None
        rows = driver.execute("SELECT statement FROM pg_prepared_statements", prepare=False)
        statements = {row[0] for row in rows}
        driver.commit()
        return statements


@pytest.fixture
def ended(own_engine: Engine) -> Iterator[list[str]]:
    """The ends of the transactions on the module's database, in order, as they happen."""
    seen: list[str] = []

    def committed(_connection: object) -> None:
        seen.append("commit")

    def rolled_back(_connection: object) -> None:
        seen.append("rollback")

    event.listen(own_engine, "commit", committed)
    event.listen(own_engine, "rollback", rolled_back)
    yield seen
    event.remove(own_engine, "commit", committed)
    event.remove(own_engine, "rollback", rolled_back)


@pytest.mark.parametrize("how", WORK)
@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_request_that_failed_or_wrote_without_committing_is_rolled_back(
    own_app: Flask,
    own_engine: Engine,
    backend: str,
    ended: list[str],
    how: str,
    ending: str,
    method: str,
) -> None:
    name = f"Uncommitted {how} {ending} {method}"
    client = own_app.test_client()
    response = client.open(f"/test/{how}/{ending}/{name}", method=method)
    assert response.status_code == {"raise": 500, "abort": 400, "return": 200}[ending]
    if how == "pending":
        assert ended == []  # nothing was sent
    elif how == "read" and ending == "return" and backend == "postgresql":
        assert ended == ["commit"]
    else:
        assert ended == ["rollback"]
    assert donors_named(own_engine, name) == []


def test_a_write_committed_by_the_request_stays_and_what_follows_it_does_not(
    own_app: Flask, own_engine: Engine, ended: list[str]
) -> None:
    response = own_app.test_client().post("/test/commit/Committed by the request")
    assert response.status_code == 200
    assert ended == ["commit", "rollback"]
    assert donors_named(own_engine, "Committed by the request") == ["Committed by the request"]


def test_a_request_whose_statement_failed_is_rolled_back_and_the_next_one_runs(
    own_app: Flask, ended: list[str]
) -> None:
    client = own_app.test_client()
    assert client.get("/test/fail").status_code == 200
    assert ended == ["rollback"]
    assert client.get("/pledges").status_code == 200


@pytest.mark.parametrize("url", ["/pledges", "/donors/1", "/"])
def test_a_read_only_request_ends_with_commit_on_postgresql_only(
    own_app: Flask, backend: str, url: str, ended: list[str]
) -> None:
    client = own_app.test_client()
    assert client.get(url).status_code == 200
    expected = "commit" if backend == "postgresql" else "rollback"
    assert ended == [expected]
    if url == "/":
        kept = client.get(url, headers={"If-None-Match": client.get(url).headers["ETag"]})
        assert kept.status_code == 304
        assert ended == [expected] * 3


@pytest.mark.parametrize("url", ["/pledges", "/donors/1", "/"])
def test_read_only_requests_keep_the_connection_s_prepared_statements(
    own_app: Flask, own_engine: Engine, backend: str, url: str
) -> None:
    if backend != "postgresql":
        pytest.skip("prepared statements are psycopg's")
    client = own_app.test_client()
    for _ in range(7):  # psycopg prepares a statement at its sixth run on a connection
        assert client.get(url).status_code == 200
    prepared = prepared_statements(own_engine)
    assert prepared
    assert client.get(url).status_code == 200
    assert prepared <= prepared_statements(own_engine)
    # A request that fails ends with ROLLBACK, and psycopg drops them all
    assert client.get("/test/flush/raise/Dropping prepared statements").status_code == 500
    assert prepared_statements(own_engine) == set()


def test_only_read_says_yes_only_for_a_postgresql_transaction_that_wrote_nothing(
    own_engine: Engine, backend: str
) -> None:
    reads_count = select(func.count()).select_from(Donor)
    with Session(own_engine) as session:
        assert not only_read(session)  # no transaction yet
        session.scalar(reads_count)
        assert only_read(session) == (backend == "postgresql")
        with session.begin_nested():
            assert not only_read(session)
        assert only_read(session) == (backend == "postgresql")
        session.add(Donor(name="Only read: pending", kind="organisation"))
        assert not only_read(session)
        session.flush()
        assert not session.new
        assert not only_read(session)
        session.rollback()
        session.scalar(reads_count)
        if backend == "postgresql":
            with suppress(DBAPIError):
                session.connection().exec_driver_sql("SELECT 1 / 0")
            assert not only_read(session)  # the transaction is in error
