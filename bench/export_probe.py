"""One CSV export of every pledge, alone in its own process, reporting time and peak memory.

    python -m bench.export_probe project|reference|native|pandas DATABASE_URL OUT_FILE

"project" streams `tracker.exports.export_pledges(session, None, "csv")` to the
file (the database formats the cells: tracker.export_sql); "reference" streams
the cell-by-cell Python writer the project used before (`reference_pledges_csv`);
"native" is the baseline: the database's own CSV of the same SELECT, unformatted:

- SQLite: the `sqlite3` command-line shell, `sqlite3 -csv -header DB "SELECT ..."`
  writing to the file (its time includes starting the shell, a few ms). Where the
  shell is not installed, Python's sqlite3 module fetching the same SELECT with
  `csv.writer` stands in, and the report says so (`"native": "python-sqlite3"`);
  that stand-in is slower than the shell, so ratios against it flatter the export.
- PostgreSQL: `COPY (SELECT ...) TO STDOUT WITH (FORMAT csv, HEADER)` via psycopg.

"pandas" is the earlier baseline: `pandas.read_sql` of the same SELECT, then
`DataFrame.to_csv`.

Peak memory is the process's high-water resident set size (VmHWM in
/proc/self/status), so it counts everything the export really held, the
interpreter and the libraries included; the resident size before the export
started is reported beside it. (`ru_maxrss` is not used: Linux carries it over
from the parent across fork and exec, so a child of a large benchmark process
would report the parent's size.) `first_row_ms` is the time until the first
bytes after the header row were written. Prints one JSON line.
"""

from __future__ import annotations

import csv
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session, configure_mappers

from tracker.db import make_engine
from tracker.exports import export_pledges, pledges_select, reference_pledges_csv

SQLITE_SHELL = "sqlite3"


def _rss_mb() -> float:
    """This process's peak resident set size so far, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: best effort


def native_sql(engine: Engine) -> str:
    """The export's SELECT as plain SQL for `engine`'s database (its few parameters inlined)."""
    statement = pledges_select(None)
    compiled = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    return str(compiled)


def _native(engine: Engine, stream: BinaryIO, out: Path) -> str:
    """The database's own CSV of the export's SELECT into `stream`; returns which tool wrote it."""
    sql = native_sql(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            with (
                driver.cursor() as cursor,
                cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
            ):
                for data in copy:
                    stream.write(data)
        return "postgresql-copy"
    database = str(engine.url.database)
    shell = shutil.which(SQLITE_SHELL)
    if shell is not None:
        subprocess.run([shell, "-csv", "-header", database, sql], stdout=stream, check=True)
        return "sqlite3-shell"
    with sqlite3.connect(database) as connection:
        text_stream = open(stream.fileno(), "w", encoding="utf-8", newline="", closefd=False)  # noqa: SIM115
        writer = csv.writer(text_stream, lineterminator="\n")
        cursor = connection.execute(sql)
        writer.writerow([column[0] for column in cursor.description])
        while rows := cursor.fetchmany(20_000):
            writer.writerows(rows)
        text_stream.flush()
    return "python-sqlite3"


def run(mode: str, url: str, out: Path) -> dict[str, Any]:
    """Export every pledge to `out` the way `mode` says; return the figures."""
    engine = make_engine(url)
    with engine.connect() as connection:  # connect before timing, as a running app would be
        connection.exec_driver_sql("SELECT 1")
    configure_mappers()  # as a running app has (its first request did it)
    before = _rss_mb()
    first_row: float | None = None
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = used.ru_utime + used.ru_stime
    tool = "tracker"
    start = time.perf_counter()
    with out.open("wb") as stream:
        if mode in ("project", "reference"):
            with Session(engine) as session:
                chunks = (
                    export_pledges(session, None, "csv")
                    if mode == "project"
                    else reference_pledges_csv(session, None)
                )
                written = 0
                for chunk in chunks:
                    stream.write(chunk)
                    written += chunk.count(b"\n")
                    if first_row is None and written > 1:
                        first_row = (time.perf_counter() - start) * 1000
        elif mode == "native":
            tool = _native(engine, stream, out)
        elif mode == "pandas":
            import pandas as pd

            with engine.connect() as connection:
                frame = pd.read_sql(pledges_select(None), connection)
            frame.to_csv(stream, index=False)
            del frame
            tool = "pandas"
        else:
            raise SystemExit(f"mode must be project, reference, native or pandas, not {mode!r}")
    seconds = time.perf_counter() - start
    used = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = used.ru_utime + used.ru_stime + children.ru_utime + children.ru_stime
    with out.open("rb") as stream:
        rows = sum(1 for _ in stream) - 1
    return {
        "mode": mode,
        "tool": tool,
        "seconds": seconds,
        "cpu_seconds": cpu - cpu_before,
        "first_row_ms": first_row,
        "peak_rss_mb": _rss_mb(),
        "rss_before_mb": before,
        "rows": rows,
        "bytes": out.stat().st_size,
    }


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    print(json.dumps(run(sys.argv[1], sys.argv[2], Path(sys.argv[3]))))
