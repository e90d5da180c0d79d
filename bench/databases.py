"""The databases a benchmark run uses: a fresh SQLite file, a PostgreSQL database.

SQLite lives in a temporary folder that is removed afterwards. PostgreSQL is the
database named by TRACKER_BENCH_POSTGRES_URL (emptied first: it must be a
throwaway one), or, when that is not set, a database `tracker_bench_<pid>`
created on 127.0.0.1:5432 as user postgres and dropped at the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.db import make_engine, safe_url
from tracker.services.reference import seed_reference

POSTGRES_ENV = "TRACKER_BENCH_POSTGRES_URL"
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"


@dataclass
class BenchDatabase:
    """A migrated, seeded database for one backend, with its URL and a scratch folder."""

    backend: str
    url: str
    engine: Engine
    scratch: Path

    def describe(self) -> str:
        """The URL without its password, for the report."""
        return safe_url(self.url)


def _prepare(backend: str, url: str, scratch: Path) -> BenchDatabase:
    """Migrate the database at `url` to the newest schema and load the reference data."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session:
        seed_reference(session)
        session.commit()
    return BenchDatabase(backend=backend, url=url, engine=engine, scratch=scratch)


def _empty_postgres(url: str) -> None:
    """Drop and recreate the public schema of the throwaway database at `url`."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _admin(statement: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) outside a transaction on the local server."""
    engine = make_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@contextmanager
def bench_database(backend: str) -> Iterator[BenchDatabase]:
    """A fresh database of `backend` for one run, removed (or emptied) afterwards."""
    scratch = Path(tempfile.mkdtemp(prefix=f"tracker-bench-{backend}-"))
    created: str | None = None
    try:
        if backend == "sqlite":
            url = f"sqlite:///{scratch / 'bench.db'}"
        else:
            url = os.environ.get(POSTGRES_ENV, "")
            if url:
                _empty_postgres(url)
            else:
                created = f"tracker_bench_{os.getpid()}"
                _admin(f'DROP DATABASE IF EXISTS "{created}"')
                _admin(f'CREATE DATABASE "{created}"')
                url = f"{POSTGRES_SERVER}/{created}"
        database = _prepare(backend, url, scratch)
        try:
            yield database
        finally:
            database.engine.dispose()
    finally:
        if created is not None:
            _admin(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')
        shutil.rmtree(scratch, ignore_errors=True)
