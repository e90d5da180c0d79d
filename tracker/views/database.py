"""One database session per request, closed (and rolled back if uncommitted) at its end."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import WRITE_TRANSACTION, make_engine, make_session_factory

EXTENSION = "tracker.sessions"


def init_app(app: Flask) -> None:
    """Give the app a session factory: the configured one (tests) or one for DATABASE_URL."""
    factory = app.config.get("SESSION_FACTORY")
    if factory is None:
        factory = make_session_factory(make_engine(app.config["DATABASE_URL"]))
    app.extensions[EXTENSION] = factory
    app.teardown_appcontext(close_session)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def db_session() -> Session:
    """The current request's session, opened on first use; a request that may write
    takes SQLite's write lock when it begins (see tracker.db)."""
    if "db_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions[EXTENSION]
        writes = has_request_context() and request.method not in READ_METHODS
        g.db_session = factory(execution_options=WRITE_TRANSACTION) if writes else factory()
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session; anything not committed is rolled back."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
