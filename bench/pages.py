"""The pledge list and the pledges export: how they compare with what the database does alone.

- Export: `tracker.exports.export_pledges(session, None, "csv")` in a fresh process
  (bench/export_probe.py) against the database's own CSV of the same SELECT
  (`sqlite3 -csv`, or COPY on PostgreSQL): time ratio ≤ 2, first row ≤ 100 ms,
  peak RSS ≤ 300 MB. The cell-by-cell Python writer the export used before is timed
  too (not in quick runs), to show what the database's formatting saves.
- `/pledges` and `/api/pledges`: each URL is asked once of a fresh app (no page
  has been drawn before: cold), for page 1, a deep page, the last page, each sort
  in both directions and a few filters; the slowest is the figure (≤ 50 ms), each
  URL's time is in `extra`.
- Throughput: requests per second of `/pledges` against `/` under the same load
  on the served app (bench/http_load.py), ≥ 0.5.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bench.databases import BenchDatabase
from bench.http_load import compare_loads, fill_ratio, generate_load, served
from bench.measure import bench_app, run_export_probe, served_heap
from bench.report import Figure
from tracker.models import Donor, Item, ItemCategory, Pledge
from tracker.services.pledge_list import SORTS
from tracker.services.totals import pledge_conditions

LIST_PATHS = ("/pledges", "/api/pledges")


def measure_export(database: BenchDatabase, quick: bool) -> list[Figure]:
    """The pledges CSV export against the database's own CSV of the same SELECT."""
    native = run_export_probe(database, "native")
    project = run_export_probe(database, "project")
    reference = None if quick else run_export_probe(database, "reference")
    pandas = run_export_probe(database, "pandas")
    backend = database.backend
    time_figure = Figure(backend, "export CSV time", "s", project["seconds"],
                         native["seconds"], 2.0, "max_ratio")  # fmt: skip
    first_row = Figure(backend, "export CSV first row", "ms", project["first_row_ms"],
                       None, 100, "max")  # fmt: skip
    memory_figure = Figure(backend, "export CSV peak RSS", "MB", project["peak_rss_mb"],
                           native["peak_rss_mb"], 300, "max")  # fmt: skip
    pandas_figure = Figure(backend, "export CSV time vs pandas", "s", project["seconds"],
                           pandas["seconds"], 1.0, "max_ratio")  # fmt: skip
    extra = {"project": project, "native": native, "pandas": pandas, "reference_writer": reference}
    for figure in (time_figure, pandas_figure, first_row, memory_figure):
        figure.extra = extra
    if project["rows"] != native["rows"]:
        time_figure.note = f"row counts differ: {project['rows']} vs {native['rows']}"
    if native["tool"] == "python-sqlite3":
        time_figure.note = "sqlite3 shell missing: baseline is Python's sqlite3 + csv.writer"
    return [time_figure, pandas_figure, first_row, memory_figure]


def _nth_id(session: Session, order: Select[Any], offset: int) -> int | None:
    """The id at `offset` in the list's order (found once, untimed, to name a page)."""
    return session.scalar(order.offset(max(offset, 0)).limit(1))


def list_queries(database: BenchDatabase) -> dict[str, str]:
    """Query strings naming page 1, a deep and the last page, each sort both ways, filters."""
    with Session(database.engine) as session:
        count = session.scalar(select(Pledge.id).order_by(Pledge.id.desc()).limit(1)) or 0
        ordered = (
            select(Pledge.id)
            .where(*pledge_conditions(None))
            .order_by(Pledge.announced.desc(), Pledge.id.desc())
        )
        deep = _nth_id(session, ordered, count // 2)
        last = _nth_id(session, ordered, count - 20)
        donor = session.scalar(select(Donor.id).order_by(Donor.id).limit(1))
        item = session.scalar(select(Item.id).order_by(Item.id.desc()).limit(1))
        category = session.scalar(select(ItemCategory.id).order_by(ItemCategory.id).limit(1))
        group = session.scalar(select(Donor.id).where(Donor.kind == "group").limit(1))
        donor_name = session.scalar(select(Donor.name).where(Donor.id == donor)) or "a"
    queries = {"page 1": "", "deep page": f"after={deep}", "last page": f"after={last}"}
    for sort in SORTS:
        for direction in ("asc", "desc"):
            queries[f"sort {sort} {direction}"] = f"sort={sort}&dir={direction}"
    queries |= {
        "kind": "kind=humanitarian",
        "stage": "stage=delivered",
        "donor": f"donor={donor}",
        "item": f"item={item}",
        "category": f"category={category}",
        "month": "from=2022-03-01&to=2022-03-31",
        "reviewed": "reviewed=0",
        "text": f"q={donor_name[:5]}",
        "text, none found": "q=no-such-words",
        "text, one letter": "q=e",
        "donor, deep, by amount": f"donor={donor}&sort=eur&dir=asc&after={deep}",
    }
    if group is not None:
        queries["group"] = f"group={group}"
    return queries


def measure_lists(database: BenchDatabase) -> list[Figure]:
    """The slowest cold request of each list over page positions, sorts and filters."""
    queries = list_queries(database)
    figures = []
    for path in LIST_PATHS:
        client = bench_app(database).test_client()
        client.get(f"{path}?id=warm-up&kind=financial&stage=allocated")  # load the templates
        timings: dict[str, float] = {}
        failed: list[str] = []
        with served_heap():
            for label, query in queries.items():
                url = f"{path}?sort=announced&dir=desc&{query}" if path.startswith("/api") else (
                    f"{path}?{query}")  # fmt: skip
                start = time.perf_counter()
                response = client.get(url)
                timings[label] = round((time.perf_counter() - start) * 1000, 2)
                if response.status_code != 200:
                    failed.append(f"{label}: {response.status_code}")
        worst = max(timings, key=timings.__getitem__)
        figure = Figure(database.backend, f"{path} slowest cold page", "ms", timings[worst],
                        None, 50, "max", extra={"slowest": worst, "ms": timings})  # fmt: skip
        if failed:
            figure.value, figure.note = None, "; ".join(failed)[:200]
        figures.append(figure)
    return figures


def measure_list_throughput(database: BenchDatabase, seconds: float, limit: int) -> Figure:
    """Requests/s of `/pledges` against `/` on the served app, in alternating rounds."""
    figure = Figure(database.backend, "HTTP /pledges vs /", "req/s", None, None, 0.5, "min_ratio")
    try:
        with served(database) as port:
            generate_load(port, "/pledges", 1.0, 50)  # both workers draw both pages once
            generate_load(port, "/", 1.0, 50)
            comparison = compare_loads(port, "/pledges", "/", seconds, limit)
    except RuntimeError as error:
        figure.note = str(error)
        return figure
    figure.extra = {"seconds": seconds}
    fill_ratio(figure, comparison)
    return figure


def measure_pages(database: BenchDatabase, quick: bool) -> list[Figure]:
    """Every figure of this file for one database."""
    seconds, limit = (1.0, 500) if quick else (10.0, 100_000)
    return [
        *measure_export(database, quick),
        *measure_lists(database),
        measure_list_throughput(database, seconds, limit),
    ]
