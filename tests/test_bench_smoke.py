"""`python -m bench` runs at N=1,000 and reports every figure (how fast is not checked here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import REPO_ROOT
from tests.conftest import own_postgres_database

DATABASE_FIGURES = (
    "dashboard median",
    "dashboard vs GROUP BY",
    "dashboard uncached median",
    "export CSV time",
    "export CSV time vs pandas",
    "export CSV first row",
    "export CSV peak RSS",
    "/pledges slowest cold page",
    "/api/pledges slowest cold page",
    "HTTP /pledges vs /",
    "HTTP / vs /healthz",
    "/healthz beside 2 exports",
    "/ beside 2 exports",
    "table import",
    "article import",
    *(
        f"filtered {page} {case}{suffix}"
        for page in ("dashboard", "/api/totals")
        for case in (
            "date range",
            "donor",
            "group",
            "kind",
            "stage",
            "date+group",
            "date+kind",
            "donor+stage",
        )
        for suffix in ("", " vs GROUP BY", " growth N/10 → N")
    ),  # fmt: skip
)


@pytest.fixture
def bench_postgres_url(backend: str) -> Iterator[str | None]:
    """For PostgreSQL, a database of its own beside the test database, dropped afterwards."""
    if backend == "sqlite":
        yield None
        return
    with own_postgres_database("bench_smoke") as url:
        yield url


def test_smoke_run_produces_every_figure(
    backend: str, bench_postgres_url: str | None, tmp_path: Path
) -> None:
    """A quick run on this backend exits 0, prints the table and measures every figure."""
    env = dict(os.environ)
    if bench_postgres_url:
        env["TRACKER_BENCH_POSTGRES_URL"] = bench_postgres_url
    results = tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--n", "1000", "--quick", "--backend", backend,
               "--output", str(results)]  # fmt: skip
    run = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240
    )
    assert run.returncode == 0, run.stderr
    assert "Benchmark at N=1,000 pledges" in run.stdout
    document = json.loads(results.read_text())
    assert document["settings"]["n"] == 1000
    assert document["machine"]["cpus"]
    assert document["machine"]["python_yardstick_s"] > 0
    figures = {(f["backend"], f["name"]): f for f in document["figures"]}
    expected = {("-", "extraction")} | {(backend, name) for name in DATABASE_FIGURES}
    assert set(figures) == expected
    unmeasured = {key: f["note"] for key, f in figures.items() if f["value"] is None}
    assert not unmeasured
    for figure in figures.values():
        assert figure["passed"] in (True, False)
        assert figure["name"] in run.stdout
