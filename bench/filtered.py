"""The filtered dashboard and `/api/totals?by=donor`, beside the raw filtered GROUP BY.

For each filter of FILTERS (a day-level date range, a donor, a group, a kind, a stage
and three combinations) the uncached dashboard (content cache off, every request reads
the data version and the totals) and `/api/totals?by=donor&<filter>` are timed (median
of REPEATS, one call when the first one takes over SLOW_MS) beside
`SELECT donor_id, SUM(eur) FROM pledge WHERE <filter> GROUP BY donor_id` in the same
run. `measure_filtered` is called twice in a run: at a checkpoint of N/10 pledges (the
rollup rebuilt there) and at N, so `growth_figures` gives how each figure grew with N.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bench.databases import BenchDatabase
from bench.report import Figure
from bench.synthetic import Catalogue
from tracker.models import Donor, DonorGroupMember

REPEATS = 3
SLOW_MS = 5000.0
DAY_RANGE = ("2021-03-17", "2023-08-09")
GROUP_NAME = "G7"
DASHBOARD_TARGET_MS = 50.0
RATIO_TARGET = 0.05
GROWTH_TARGET = 1.5


@dataclass(frozen=True)
class FilterCase:
    """One filter: its query string and the WHERE clause of the raw GROUP BY."""

    name: str
    query: str
    where: str


def filter_cases(database: BenchDatabase, catalogue: Catalogue) -> list[FilterCase]:
    """The filters measured: the donor is the catalogue's first, the group G7 (its members
    that the synthetic pledges name, and the group itself)."""
    with Session(database.engine) as session:
        group_id = session.scalars(select(Donor.id).where(Donor.name == GROUP_NAME)).one()
        members = set(
            session.scalars(
                select(DonorGroupMember.member_id).where(DonorGroupMember.group_id == group_id)
            )
        )
    members.add(group_id)
    in_group = ", ".join(str(d) for d in sorted(members))
    donor = catalogue.donor_ids[0]
    start, end = DAY_RANGE
    dates = f"from={start}&to={end}"
    date_sql = f"announced BETWEEN '{start}' AND '{end}'"
    return [
        FilterCase("date range", dates, date_sql),
        FilterCase("donor", f"donor={donor}", f"donor_id = {donor}"),
        FilterCase("group", f"group={group_id}", f"donor_id IN ({in_group})"),
        FilterCase("kind", "kind=military", "kind = 'military'"),
        FilterCase("stage", "stage=delivered", "stage = 'delivered'"),
        FilterCase("date+group", f"{dates}&group={group_id}",
                   f"{date_sql} AND donor_id IN ({in_group})"),
        FilterCase("date+kind", f"{dates}&kind=military", f"{date_sql} AND kind = 'military'"),
        FilterCase("donor+stage", f"donor={donor}&stage=delivered",
                   f"donor_id = {donor} AND stage = 'delivered'"),
    ]  # fmt: skip


def _median_ms(action: Callable[[], object]) -> tuple[float, float]:
    """Median wall time and median process CPU time of `action` in milliseconds: REPEATS
    calls, or one if it is slow. (On SQLite the CPU time includes the database's work; on a
    shared machine it is the steadier of the two.)"""
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(REPEATS):
        start, cpu_start = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
        if times[0] > SLOW_MS:
            break
    return statistics.median(times), statistics.median(cpu)


def measure_filtered(
    database: BenchDatabase, catalogue: Catalogue, pledges: int
) -> dict[str, dict[str, float]]:
    """{filter: {"dashboard", "api", "group_by": ms, and each one's "_cpu" ms}} for every
    filter, at `pledges` pledges."""
    from bench.measure import bench_app, served_heap

    client = bench_app(database, DASHBOARD_CACHE_SIZE=0).test_client()
    client.get("/")
    measured: dict[str, dict[str, float]] = {}
    with served_heap():
        for case in filter_cases(database, catalogue):
            measured[case.name] = _measure_case(client, database, case, pledges)
    return measured


def _measure_case(
    client: Any, database: BenchDatabase, case: FilterCase, pledges: int
) -> dict[str, float]:
    """One filter's timings: the dashboard, `/api/totals` and the raw GROUP BY."""

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    def group_by(where: str = case.where) -> None:
        with database.engine.connect() as connection:
            sql = f"SELECT donor_id, SUM(eur) FROM pledge WHERE {where} GROUP BY donor_id"
            connection.execute(text(sql)).all()

    def dashboard(query: str = case.query) -> None:
        get(f"/?{query}")

    def api(query: str = case.query) -> None:
        get(f"/api/totals?by=donor&{query}")

    timed = {"dashboard": _median_ms(dashboard), "api": _median_ms(api),
             "group_by": _median_ms(group_by)}  # fmt: skip
    measured: dict[str, float] = {"pledges": pledges}
    for name, (wall, cpu) in timed.items():
        measured[name] = wall
        measured[f"{name}_cpu"] = cpu
    return measured


def filtered_figures(
    backend: str, at_n: dict[str, dict[str, float]], at_tenth: dict[str, dict[str, float]] | None
) -> list[Figure]:
    """The table's figures: each page's time, its ratio to the GROUP BY, and its growth
    from the N/10 checkpoint (when there was one)."""
    figures: list[Figure] = []
    for name, times in at_n.items():
        extra: dict[str, Any] = {"at_n": times}
        if at_tenth is not None:
            extra["at_tenth"] = at_tenth[name]
        for page, label in (("dashboard", "filtered dashboard"), ("api", "filtered /api/totals")):
            figures.append(Figure(backend, f"{label} {name}", "ms", times[page], None,
                                  DASHBOARD_TARGET_MS, "max", extra=extra))  # fmt: skip
            figures.append(Figure(backend, f"{label} {name} vs GROUP BY", "ms", times[page],
                                  times["group_by"], RATIO_TARGET, "max_ratio",
                                  extra=extra))  # fmt: skip
            if at_tenth is not None:
                figures.append(Figure(backend, f"{label} {name} growth N/10 → N", "ms",
                                      times[page], at_tenth[name][page], GROWTH_TARGET,
                                      "max_ratio", extra=extra))  # fmt: skip
    return figures
