"""The bench's server-CPU figure: what the database's server processes spend in a block."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from bench.databases import BenchDatabase
from bench.measure import ServerCpu
from tracker.db import make_engine


def test_the_server_processes_cpu_is_counted_on_postgresql_only(
    engine: Engine, backend: str, tmp_path: Path
) -> None:
    """On PostgreSQL the CPU that another connection's backend spends inside the block is
    counted (three million rows counted); SQLite has no server, so no figure."""
    database = BenchDatabase(backend, str(engine.url), engine, tmp_path)
    with ServerCpu(database) as watch, engine.connect() as connection:
        if backend == "postgresql":
            connection.execute(text("SELECT count(*) FROM generate_series(1, 3000000)"))
    if backend == "sqlite":
        assert watch.seconds is None
    else:
        assert watch.seconds is not None and watch.seconds > 0


def test_a_server_on_another_machine_is_not_watched(tmp_path: Path) -> None:
    """Process ids of another machine mean nothing here: no figure for a remote server
    (the engine is never connected)."""
    url = "postgresql://tracker@db.example.org:5432/tracker"
    database = BenchDatabase("postgresql", url, make_engine(url), tmp_path)
    with ServerCpu(database) as watch:
        pass
    assert watch.seconds is None
