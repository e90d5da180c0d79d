"""The in-process measurements: dashboard, article extraction, table import; the export probe.

Each one returns Figures whose baseline (where the target is a ratio) is measured
in the same run, on the same database, right beside the figure itself.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bench.articles import generate_articles
from bench.databases import BenchDatabase
from bench.report import Figure, python_yardstick
from bench.synthetic import SEED, Catalogue, stated_pledges
from tracker import create_app
from tracker.models import Donor, Item, Pledge, Report, Source

GROUP_BY_SQL = "SELECT donor_id, SUM(eur) FROM pledge GROUP BY donor_id"
IMPORT_COLUMNS = (
    "donor",
    "recipient",
    "item",
    "kind",
    "stage",
    "quantity",
    "unit",
    "amount",
    "currency",
    "qualifier",
    "qualifier_text",
    "announced",
    "reviewed",
)


def _median_ms(action: Callable[[], object], repeats: int) -> float:
    """Median wall time of `action` over `repeats` calls, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_app(database: BenchDatabase, **config: Any) -> Any:
    """The web app on the benchmark database, as it is configured in production."""
    return create_app(
        {"DATABASE_URL": database.url, "SECRET_KEY": "benchmark", "WTF_CSRF_ENABLED": False}
        | config
    )


@contextlib.contextmanager
def served_heap() -> Iterator[None]:
    """Requests timed as a served worker runs them: after start-up a worker collects and
    freezes its heap (tracker/server.py), so a full collection scans only what requests
    made, not the objects the bench itself holds."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def measure_dashboard(database: BenchDatabase, requests: int = 20) -> list[Figure]:
    """Median time of the `/` view (Flask test client) vs the raw GROUP BY over pledges."""
    app = bench_app(database)
    client = app.test_client()
    first = client.get("/")
    figure = Figure(database.backend, "dashboard median", "ms", None, None, 50, "max")
    ratio = Figure(database.backend, "dashboard vs GROUP BY", "ms", None, None, 0.2, "max_ratio")
    if first.status_code != 200:
        figure.note = ratio.note = f"/ answered {first.status_code}"
        return [figure, ratio]

    def view() -> None:
        response = client.get("/")
        assert response.status_code == 200, response.status_code

    def group_by() -> None:
        with database.engine.connect() as connection:
            connection.execute(text(GROUP_BY_SQL)).all()

    uncached_client = bench_app(database, DASHBOARD_CACHE_SIZE=0).test_client()
    uncached_client.get("/")

    def uncached_view() -> None:
        response = uncached_client.get("/")
        assert response.status_code == 200, response.status_code

    group_by()  # warm the page cache the same way the view's first request did
    with served_heap():
        figure.value = _median_ms(view, requests)
    figure.baseline = _median_ms(group_by, max(3, requests // 4))
    ratio.value, ratio.baseline = figure.value, figure.baseline
    figure.extra = ratio.extra = {"requests": requests, "baseline_sql": GROUP_BY_SQL}
    uncached = Figure(database.backend, "dashboard uncached median", "ms", None,
                      figure.baseline, 50, "max", extra={"cache": "content cache off"})  # fmt: skip
    with served_heap():
        uncached.value = _median_ms(uncached_view, requests)
    return [figure, ratio, uncached]


def run_export_probe(database: BenchDatabase, mode: str) -> dict[str, Any]:
    """Run one export in a fresh Python process and read back its time and peak RSS."""
    out = database.scratch / f"export-{mode}.csv"
    command = [sys.executable, "-m", "bench.export_probe", mode, database.url, str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
    if result.returncode != 0:
        raise RuntimeError(f"export probe {mode} failed: {result.stderr.strip()[-2000:]}")
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    out.unlink(missing_ok=True)
    return report


def measure_extraction(count: int, passes: int = 3) -> Figure:
    """Articles per second through tracker.extract.extract on generated ~6 KB articles,
    the best of `passes` passes over the same articles."""
    figure = Figure("-", "extraction", "articles/s", None, None, 200, "min")
    try:
        from tracker.extract import extract
    except ImportError:
        figure.note = "tracker.extract is not there yet"
        return figure
    articles = generate_articles(count)
    extract(articles[0].text, articles[0].published)  # compile patterns, load catalogues
    # Extraction runs on one core: its rate is articles per second of that core's time
    # (process CPU time); the wall-clock rate is kept beside it. On a shared machine
    # even CPU time varies with the neighbours, so the best pass is the figure, and
    # every pass's rate is kept.
    rates: list[float] = []
    wall_rates: list[float] = []
    yardsticks = [python_yardstick()]
    pledges = 0
    for _ in range(passes):
        start, wall_start = time.process_time(), time.perf_counter()
        pledges = sum(len(extract(a.text, a.published).pledges) for a in articles)
        rates.append(count / (time.process_time() - start))
        wall_rates.append(count / (time.perf_counter() - wall_start))
    yardsticks.append(python_yardstick())
    figure.value = max(rates)
    size = sum(len(a.text.encode("utf-8")) for a in articles) / count
    figure.extra = {
        "articles": count,
        "mean_bytes": round(size),
        "pledges_found": pledges,
        "timed_by": f"process CPU time, best of {passes} passes",
        "passes_articles_per_s": [round(rate, 1) for rate in rates],
        "wall_articles_per_s": [round(rate, 1) for rate in wall_rates],
        "python_yardstick_s_before_after": yardsticks,
    }
    return figure


def write_import_file(
    session: Session, catalogue: Catalogue, rows: int, path: Path, seed: int = SEED + 1
) -> None:
    """A table of `rows` new pledges (no id column), in the pledge export's column names."""
    donors = dict(session.execute(select(Donor.id, Donor.name)).tuples().all())
    items = dict(session.execute(select(Item.id, Item.name)).tuples().all())
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(IMPORT_COLUMNS)
        for p in stated_pledges(catalogue, rows, seed=seed):
            writer.writerow(
                [
                    donors[p.donor_id], "Ukraine", items[p.item_id], p.kind, p.stage,
                    "" if p.quantity is None else p.quantity, p.unit or "",
                    "" if p.amount is None else p.amount, p.currency or "",
                    p.qualifier, p.qualifier_text or "", p.announced.isoformat(),
                    "true" if p.reviewed else "false",
                ]
            )  # fmt: skip


def measure_import(
    database: BenchDatabase, catalogue: Catalogue, rows: int, runs: int = 2
) -> Figure:
    """Rows per second through the `tracker import-table FILE --mapping MAP` command, run in
    this process: the best of `runs` imports of different generated files of `rows` new
    pledges, the mapping turning matching on (each row matched against the stored pledges).

    Before each run the ECB rate table and the rate look-ups the process remembers are
    dropped, so every run loads them as a new `tracker` process would. Beside the wall
    time, each run's CPU time of this process and, on PostgreSQL, of the database's
    server processes (`ServerCpu`): on a busy machine those compare, where wall times
    do not.
    """
    from tracker.cli import main

    figure = Figure(database.backend, "table import", "rows/s", None, None, 20000, "min")
    if "import-table" not in main.commands:
        figure.note = "`tracker import-table` is not there yet"
        return figure
    seconds: list[float] = []
    cpu: list[float] = []
    server_cpu: list[float | None] = []
    yardsticks: list[float] = []
    created: list[int] = []
    for run in range(runs):
        path = database.scratch / f"import-{run}.csv"
        mapping = database.scratch / "import-matching.json"
        mapping.write_text(
            json.dumps({"columns": {name: name for name in IMPORT_COLUMNS}, "match": True}),
            encoding="utf-8",
        )
        with Session(database.engine) as session:
            write_import_file(session, catalogue, rows, path, seed=SEED + 1 + run)
            before = session.scalar(select(func.count()).select_from(Pledge)) or 0
        yardsticks.append(python_yardstick())
        _forget_rates()
        try:
            with ServerCpu(database) as server:
                cpu_start = time.process_time()
                elapsed = _timed_import(main, database.url, path, mapping)
                cpu.append(time.process_time() - cpu_start)
        except Exception as error:  # noqa: BLE001 - the report says what went wrong
            figure.note = f"import failed: {str(error).splitlines()[0][:200]}"
            return figure
        with Session(database.engine) as session:
            imported = (session.scalar(select(func.count()).select_from(Pledge)) or 0) - before
        if imported > rows:
            figure.note = f"{imported} of {rows} rows were imported"
            return figure
        seconds.append(elapsed)
        server_cpu.append(server.seconds)
        created.append(imported)
    yardsticks.append(python_yardstick())
    figure.value = rows / min(seconds)
    figure.extra = {
        "rows": rows,
        "runs_seconds": [round(value, 3) for value in seconds],
        "runs_rows_per_s": [round(rows / value) for value in seconds],
        "runs_process_cpu_s": [round(value, 3) for value in cpu],
        "runs_server_cpu_s": [None if value is None else round(value, 3) for value in server_cpu],
        "runs_pledges_created": created,
        "matching": "on (the rest of each file's rows are reports of stored pledges)",
        "python_yardstick_s_before_each_and_after": yardsticks,
    }
    return figure


class ServerCpu:
    """The CPU seconds that PostgreSQL's server processes of the bench's database (its
    backends and their parallel workers, this bench's own connection aside) spend while
    the block runs, read from /proc by a thread that looks for them every POLL_SECONDS
    (`seconds`; None on SQLite, for a server on another machine, or where /proc cannot be
    read). A process that ends between two looks loses its last few milliseconds."""

    POLL_SECONDS = 0.02

    def __init__(self, database: BenchDatabase) -> None:
        """Watch the server processes of `database` (nothing to watch on SQLite)."""
        self.database = database
        self.seconds: float | None = None
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ServerCpu:
        """Start looking (PostgreSQL on this machine only)."""
        host = self.database.engine.url.host
        local = host in (None, "", "localhost", "::1") or str(host).startswith(("127.", "/"))
        if self.database.backend == "postgresql" and local and Path("/proc/self/stat").exists():
            # Autocommit: a transaction would keep the first look's list of processes
            connection = self.database.engine.connect()
            self._connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            self._look()
            self._thread = threading.Thread(target=self._watch, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop looking; `seconds` is what the processes seen spent meanwhile."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._look()
        self._connection.close()
        self.seconds = sum(self._last[pid] - self._first[pid] for pid in self._last)

    def _watch(self) -> None:
        """Look until told to stop."""
        while not self._stop.wait(self.POLL_SECONDS):
            self._look()

    def _look(self) -> None:
        """Read the CPU time of every server process of the database now (a process first
        seen after the start began at none)."""
        pids = self._connection.execute(_SERVER_PROCESSES).scalars().all()
        started = self._thread is not None
        for pid in pids:
            seconds = _process_cpu(pid)
            if seconds is None:
                continue
            self._first.setdefault(pid, 0.0 if started else seconds)
            self._last[pid] = seconds


_SERVER_PROCESSES = text(
    "SELECT pid FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(pid: int) -> float | None:
    """User and system CPU seconds of a process of this machine, None when unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _forget_rates() -> None:
    """Drop what a process remembers of the ECB rates (a new process starts without it)."""
    from tracker import amounts, money

    money.forget_rates()
    amounts._known_currency.cache_clear()


def _timed_import(main: Any, url: str, path: Path, mapping: Path) -> float:
    """Seconds `tracker import-table FILE --mapping MAP` takes on the database at `url`."""
    previous = os.environ.get("TRACKER_DATABASE_URL")
    os.environ["TRACKER_DATABASE_URL"] = url
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its summary is not our table
            main.main(["import-table", str(path), "--mapping", str(mapping)], standalone_mode=False)
        return time.perf_counter() - start
    finally:
        if previous is None:
            os.environ.pop("TRACKER_DATABASE_URL", None)
        else:
            os.environ["TRACKER_DATABASE_URL"] = previous


def write_article_files(folder: Path, count: int, seed: int = 7000) -> Path:
    """The `count` generated articles of `seed` as files, one folder each with the article's
    meta.json (title "bench article <index>", its publication date), as seeds/ holds them."""
    for index, article in enumerate(generate_articles(count, seed=seed)):
        where = folder / f"{index:04d}"
        where.mkdir(parents=True, exist_ok=True)
        (where / "article.txt").write_text(article.text, encoding="utf-8")
        meta = {"title": f"bench article {index}", "published": article.published.isoformat()}
        (where / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def measure_article_import(database: BenchDatabase, count: int) -> Figure:
    """Articles per second through `tracker import-article FOLDER`, run in this process, on
    `count` generated articles written as files: each article extracted (in a worker
    process, while this one stores the one before), matched against the N stored pledges
    and written, each committed on its own. Wall rate; the CPU of this process and of the
    workers per article beside it."""
    from tracker.cli import main

    figure = Figure(database.backend, "article import", "articles/s", None, None, 50, "min")
    folder = write_article_files(database.scratch / "articles", count)
    with Session(database.engine) as session:
        before = session.execute(_IMPORTED_ROWS).one()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu_start = time.perf_counter(), time.process_time()
    previous = os.environ.get("TRACKER_DATABASE_URL")
    os.environ["TRACKER_DATABASE_URL"] = database.url
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its summary is not our table
            status = main.main(["import-article", str(folder)], standalone_mode=False)
    finally:
        if previous is None:
            os.environ.pop("TRACKER_DATABASE_URL", None)
        else:
            os.environ["TRACKER_DATABASE_URL"] = previous
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (workers.ru_utime + workers.ru_stime) - (children.ru_utime + children.ru_stime)
    with Session(database.engine) as session:
        after = session.execute(_IMPORTED_ROWS).one()
    sources, pledges, reports = (now - was for now, was in zip(after, before, strict=True))
    if status or sources != count:
        figure.note = f"{sources} of {count} articles were imported (status {status})"
        return figure
    figure.value = count / elapsed
    figure.extra = {
        "articles": count,
        "through": "`tracker import-article FOLDER` (extraction in worker processes)",
        "new_pledges": pledges,
        "reports_of_stored_pledges": reports,
        "seconds": round(elapsed, 3),
        "process_cpu_ms_per_article": round(cpu * 1000 / count, 2),
        "worker_cpu_ms_per_article": round(worker_cpu * 1000 / count, 2),
    }
    return figure


_IMPORTED_ROWS = select(
    select(func.count()).select_from(Source).scalar_subquery(),
    select(func.count()).select_from(Pledge).scalar_subquery(),
    select(func.count()).select_from(Report).where(Report.role != "announces").scalar_subquery(),
)  # sources, pledges, reports of stored pledges (a new pledge's own report announces it)
