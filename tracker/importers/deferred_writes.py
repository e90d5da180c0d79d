"""The end of an article's transaction sent to PostgreSQL without waiting for it.

The last statements of an article import return nothing the import reads: the new
pledges' and reports' INSERTs (their ids taken from the sequences beforehand:
tracker.importers.article_rows.reserved_ids), the audit events' INSERT, the totals'
upsert, the source's audit event, and the commit. Each used to
be a round trip in which the process waited while the server worked. On PostgreSQL they
are now sent in psycopg's pipeline mode as they come (`send`), the process goes on with
what needs no answer from the server (the new pledges made persistent objects, the
import's description, the next files read and handed to the extraction workers), and the
import waits for all of them at once (`wait`) before the next statement that reads a
result, or before the article's outcome is given. The statements reach the server in the
order they are sent, in the article's own transaction, so the rows are those of sending
them one at a time; an error in any of them is raised by `wait` (as SQLAlchemy raises a
driver's error), and the article is rolled back alone, as before.

The commit (`commit`) is sent the same way only when the session's transaction is the
connection's own (not a savepoint inside a transaction of the caller's): SQLAlchemy, told
to commit after the wait, finds the driver's transaction ended and sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


class DeferredWrites:
    """Statements returning nothing, sent to PostgreSQL in pipeline mode; waited for once."""

    def __init__(self, session: Session) -> None:
        """Nothing sent yet."""
        self.session = session
        self._driver: Any = None
        self._pipeline: Any = None
        self._cursors: list[Any] = []
        self._sent: list[tuple[str, Any]] = []
        self._error: Any = None  # the first error a statement sent answered, as it came

    @staticmethod
    def supported(session: Session) -> bool:
        """Whether the session's database takes statements in pipeline mode (PostgreSQL with
        a libpq of version 14 or later)."""
        if session.get_bind().dialect.name != "postgresql":
            return False
        import psycopg  # as tracker.db does: a process on SQLite need not load it

        return bool(psycopg.Pipeline.is_supported())

    @property
    def pending(self) -> bool:
        """Whether statements were sent and not waited for."""
        return self._pipeline is not None

    def sends_on(self, driver: Any) -> bool:
        """Whether the statements sent went through this driver connection."""
        return driver is self._driver

    def send(self, statement: str, parameters: Mapping[str, Any] | None = None) -> None:
        """Send `statement` (the driver's text, its parameters named in its style) in the
        session's transaction, without waiting for it."""
        self.session.flush()  # as session.execute would: the ORM's pending rows go first
        if self._pipeline is None:
            self._driver = self.session.connection().connection.driver_connection
            self._pipeline = self._driver.pipeline()
            self._pipeline.__enter__()
        import psycopg

        cursor = self._driver.cursor()
        self._cursors.append(cursor)
        self._sent.append((statement, parameters))
        try:
            cursor.execute(statement, parameters)
        except psycopg.Error as error:  # an earlier statement's answer, read on the way
            self._error = self._error or error

    def commit(self, *, wait_for_disk: bool) -> bool:
        """Send the commit of the session's transaction (without waiting for the disk unless
        `wait_for_disk`), when that transaction is the connection's own; False, sending
        nothing, when it is not (the caller commits through the session as usual)."""
        connection = self.session.connection()
        if connection.in_nested_transaction() or self.session.in_nested_transaction():
            return False
        if not wait_for_disk:
            self.send("SET LOCAL synchronous_commit = off")
        self.send("COMMIT")
        return True

    def wait(self) -> None:
        """Wait for the statements sent: their errors raised here, as DBAPIError."""
        if self._pipeline is None:
            return
        import psycopg

        pipeline, self._pipeline = self._pipeline, None
        cursors, self._cursors = self._cursors, []
        sent, self._sent = self._sent, []
        error, self._error = self._error, None
        try:
            pipeline.__exit__(None, None, None)
        except psycopg.Error as late:
            error = error or late
        failed = _failed(sent, cursors) if error is not None else None
        for cursor in cursors:
            cursor.close()
        if failed is not None:
            raise DBAPIError.instance(*failed, error, psycopg.Error) from error

    def abandon(self) -> None:
        """Leave pipeline mode after a failure elsewhere, ignoring what the statements sent
        answer (the caller rolls the transaction back)."""
        if self._pipeline is None:
            return
        pipeline, self._pipeline = self._pipeline, None
        cursors, self._cursors, self._sent, self._error = self._cursors, [], [], None
        try:
            pipeline.__exit__(None, None, None)
        except Exception:  # noqa: BLE001, S110 - the transaction is rolled back next
            pass
        finally:
            for cursor in cursors:
                cursor.close()


def _failed(sent: list[tuple[str, Any]], cursors: list[Any]) -> tuple[str, Any]:
    """The statement whose error the pipeline raised: the first without a result."""
    for (statement, parameters), cursor in zip(sent, cursors, strict=True):
        if cursor.pgresult is None or cursor.pgresult.error_message:
            return statement, parameters
    return sent[-1] if sent else ("", None)


@contextmanager
def waited_before_reads(engine: Engine | Connection, writes: DeferredWrites) -> Iterator[None]:
    """While the block runs, every statement SQLAlchemy sends on `engine` through the
    connection `writes` sent its statements on first waits for them (a statement in
    pipeline mode gives SQLAlchemy no result to read)."""

    def before(_connection: Any, cursor: Any, *_args: Any) -> None:
        if writes.pending and writes.sends_on(cursor.connection):
            writes.wait()

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)
