"""One database session per request, closed at its end (`tracker.db.end_session`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import WRITE_TRANSACTION, end_session, make_engine, make_session_factory

EXTENSION = "tracker.sessions"
View = TypeVar("View", bound=Callable[..., Any])
Chunk = TypeVar("Chunk")


def init_app(app: Flask) -> None:
    """Give the app a session factory: the configured one (tests) or one for DATABASE_URL."""
    factory = app.config.get("SESSION_FACTORY")
    if factory is None:
        factory = make_session_factory(make_engine(app.config["DATABASE_URL"]))
    app.extensions[EXTENSION] = factory
    app.after_request(note_status)
    app.teardown_appcontext(close_session)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITES_FIRST = "_writes_first"


def writes_first(view: View) -> View:
    """Mark a view whose every transaction writes before it reads (or only reads): it needs
    no write lock up front, and so holds none while it does slow work (a password check)."""
    setattr(view, _WRITES_FIRST, True)
    return view


def _takes_write_lock() -> bool:
    """Whether this request's transactions begin by taking SQLite's write lock."""
    if not has_request_context() or request.method in READ_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, _WRITES_FIRST, False)


def db_session() -> Session:
    """The current request's session, opened on first use; a request that may write
    takes SQLite's write lock when it begins (see tracker.db)."""
    if "db_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions[EXTENSION]
        writes = _takes_write_lock()
        g.db_session = factory(execution_options=WRITE_TRANSACTION) if writes else factory()
    session: Session = g.db_session
    return session


_STATUS = "response_status"


def note_status(response: Response) -> Response:
    """Remember the status of the response (the error pages' too), for `close_session`."""
    setattr(g, _STATUS, response.status_code)
    return response


def close_session(exc: BaseException | None = None) -> None:
    """Close the request's session: anything not committed is rolled back, and the whole
    transaction if the request failed (an exception, an error status or no response); a
    transaction that only read ends with COMMIT on PostgreSQL (`end_session`)."""
    session = g.pop("db_session", None)
    status = g.pop(_STATUS, None)
    if session is not None:
        failed = exc is not None or status is None or status >= 400
        end_session(session, failed=failed)


def closed_at_stream_end(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """`chunks` of a streamed response that read through the request's session: the
    request's teardown closes that session when the view returns, before the stream is
    read, and the stream's reads open it again; it is closed again when the stream ends,
    fails or is abandoned, so its connection goes back to the pool then, not when the
    garbage collector finds it."""
    session = db_session()

    def stream() -> Iterator[Chunk]:
        failed = True
        try:
            yield from chunks
            failed = False
        finally:
            end_session(session, failed=failed)

    return stream()
