"""The declarative base, the engine factory and session handling.

SQLite gets the pysqlite hooks so that SQLAlchemy, not the driver, decides
when a transaction begins: savepoints then work, and so does the test
isolation that relies on them. Foreign keys are enforced and the journal is
WAL, so readers do not block the writer.

A transaction that will write (a web request that is not a GET, an import
from the command line) opens with BEGIN IMMEDIATE on SQLite: it takes the
write lock first, waiting up to the busy timeout for another writer, instead
of reading under a snapshot that another writer's commit makes stale, which
SQLite answers with "database is locked" at once, whatever the timeout.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import InterfaceError as SAInterfaceError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Execution options of a session that will write: see the module's docstring
WRITE_TRANSACTION = {"sqlite_begin": "IMMEDIATE"}

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The one declarative base; its metadata names every constraint."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DatabaseConfigError(Exception):
    """The database URL is malformed or the database cannot be reached."""


def safe_url(url: str | URL) -> str:
    """The URL as text with any password hidden, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def parse_database_url(url: str) -> URL:
    """Parse a database URL, turning driver names we use into the installed drivers."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseConfigError(
            "TRACKER_DATABASE_URL is not a valid database URL "
            "(expected e.g. sqlite:///instance/tracker.db or postgresql://user@host/db)"
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseConfigError(
            f"TRACKER_DATABASE_URL names an unsupported database "
            f"{parsed.get_backend_name()!r}: use sqlite or postgresql"
        )
    return parsed


def _sqlite_hooks(engine: Engine) -> None:
    """Let SQLAlchemy emit BEGIN itself (IMMEDIATE for writers), wait for locks, enforce
    foreign keys, use WAL."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sqlite_begin") == "IMMEDIATE"
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite files get their folder created and the pysqlite hooks."""
    parsed = parse_database_url(str(url)) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            from pathlib import Path

            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        _sqlite_hooks(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def check_connection(engine: Engine) -> None:
    """Connect once, turning a failure into one line that names the database, not its password."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, SAInterfaceError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseConfigError(
            f"cannot connect to the database {safe_url(engine.url)}: {reason}"
        ) from exc


# Whether the transaction has written nothing: PostgreSQL gives a transaction its id at its
# first write (a row, a row's lock, a table, a sequence's step), and never before
_WROTE_NOTHING = "SELECT pg_current_xact_id_if_assigned() IS NULL"


def end_session(session: Session, *, failed: bool = False) -> None:
    """Close `session`, ending its transaction with ROLLBACK, or with COMMIT when that is the
    same: on PostgreSQL, when the work did not fail and the transaction wrote nothing
    (`only_read`).

    psycopg drops every prepared statement of the connection, and its counts of the
    statements run, at each ROLLBACK, and keeps them through a COMMIT: ended by COMMIT, the
    reads of a page are prepared after `prepare_threshold` runs on a connection, and no
    longer parsed and planned on every request. SQLite's statement cache outlives either."""
    try:
        if not failed and only_read(session):
            session.commit()
    finally:
        session.close()


def only_read(session: Session) -> bool:
    """Whether the session's transaction is an active one on PostgreSQL that wrote nothing:
    no change waits in the session, no savepoint is open, the connection's transaction is
    not in error, and PostgreSQL has given it no transaction id (asked through the driver:
    SQLAlchemy's execution of the question cost twice the round trip's CPU)."""
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active or session.in_nested_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    if session.get_bind().dialect.name != "postgresql":
        return False
    # Here, not at the top: the driver is loaded with a PostgreSQL engine's dialect, and a
    # process on SQLite need not pay for its import
    import psycopg
    from psycopg.pq import TransactionStatus

    driver = session.connection().connection.dbapi_connection
    if driver is None or driver.info.transaction_status != TransactionStatus.INTRANS:
        return False
    try:
        answer = driver.execute(_WROTE_NOTHING).fetchone()
    except psycopg.Error:  # a lost connection: the rollback that follows deals with it
        return False
    return answer is not None and answer[0] is True


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (views render after saving)."""
    return sessionmaker(bind=engine, expire_on_commit=False)
