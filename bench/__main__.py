"""`python -m bench [--n N] [--backend sqlite|postgresql|both] [--quick]` (also `make bench`).

Builds a fresh database per backend, loads N synthetic pledges in bulk, rebuilds
the totals rollup, then measures the filtered dashboard and totals API (also at a
checkpoint of N/10 pledges during the load, for their growth with N), the dashboard,
the CSV export, the table import and HTTP throughput against baselines taken in the
same run; article extraction is measured once (it touches no database). Prints one
table and writes bench/results.json. `--quick` shortens every phase for the smoke test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.databases import BenchDatabase, bench_database
from bench.filtered import filtered_figures, measure_filtered
from bench.http_load import measure_beside_exports, measure_http
from bench.measure import (
    measure_article_import,
    measure_dashboard,
    measure_extraction,
    measure_import,
)
from bench.pages import measure_pages
from bench.report import RESULTS_FILE, Figure, format_table, python_yardstick, write_results
from bench.synthetic import Catalogue, analyze_loaded, bulk_load, prepare_catalogue
from tracker.services.totals import rebuild_totals

IMPORT_ROWS = 100_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="pledges to generate")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="short phases, for the smoke test")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE, help="results JSON file")
    parser.add_argument("--import-rows", type=int, default=None, help="rows in the import table")
    parser.add_argument("--only-filtered", action="store_true",
                        help="load and measure the filtered pages only")  # fmt: skip
    parser.add_argument("--http-seconds", type=float, default=None, help="length of each load run")
    return parser.parse_args(argv)


def log(message: str) -> None:
    """Progress on standard error, so the table on standard output stays clean."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rebuild(database: BenchDatabase) -> None:
    """Rebuild the rollup from the pledges, then bring the database to rest (`analyze_loaded`)."""
    with Session(database.engine) as session:
        rebuild_totals(session)
        session.commit()
    analyze_loaded(database.engine)


def load(
    database: BenchDatabase, n: int, at_tenth: dict[str, dict[str, dict[str, float]]]
) -> Catalogue:
    """Generate and write N pledges, then rebuild the rollup from them. At N/10 pledges
    the rollup is rebuilt and the filtered pages measured into `at_tenth["figures"]`."""
    with Session(database.engine) as session:
        catalogue = prepare_catalogue(session)
        session.commit()

    def checkpoint() -> None:
        log(f"{database.backend}: filtered pages at {n // 10} pledges")
        rebuild(database)
        at_tenth["figures"] = measure_filtered(database, catalogue, n // 10)

    start = time.perf_counter()
    bulk_load(database.engine, catalogue, n, checkpoint=(n // 10, checkpoint))
    loaded = time.perf_counter() - start
    with database.engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM pledge")).scalar_one()
    if stored != n:
        raise RuntimeError(f"{database.backend}: the load stored {stored} pledges, not {n}")
    rebuild(database)
    log(f"{database.backend}: {n} pledges in {loaded:.1f} s, rollup after "
        f"{time.perf_counter() - start - loaded:.1f} s")  # fmt: skip
    return catalogue


def guarded(
    figures: list[Figure], what: str, backend: str, step: Callable[[], list[Figure]]
) -> None:
    """Run one measurement; a crash becomes an unmeasured figure with the reason, not a stop."""
    log(f"{backend}: {what}")
    try:
        figures.extend(step())
    except Exception as error:  # noqa: BLE001 - reported in the table and the JSON
        reason = f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"
        figures.append(Figure(backend, what, "-", None, None, 0, "max", note=reason))
        log(f"{backend}: {what} failed: {reason}")


def run_backend(backend: str, args: argparse.Namespace, figures: list[Figure]) -> None:
    """Every database measurement on one backend, on its own fresh database."""
    import_rows = args.import_rows or (2000 if args.quick else IMPORT_ROWS)
    http_seconds = args.http_seconds or (1.0 if args.quick else 10.0)
    max_requests = 500 if args.quick else 100_000
    with bench_database(backend) as database:
        log(f"{backend}: database {database.describe()}")
        at_tenth: dict[str, dict[str, dict[str, float]]] = {}
        catalogue = load(database, args.n, at_tenth)
        guarded(
            figures,
            "filtered pages",
            backend,
            lambda: filtered_figures(
                backend, measure_filtered(database, catalogue, args.n), at_tenth.get("figures")
            ),
        )
        if args.only_filtered:
            return
        guarded(figures, "dashboard", backend, lambda: measure_dashboard(database))
        guarded(figures, "pages and export", backend, lambda: measure_pages(database, args.quick))
        guarded(figures, "http", backend,
                lambda: [measure_http(database, http_seconds, max_requests)])  # fmt: skip
        guarded(figures, "pages beside exports", backend,
                lambda: measure_beside_exports(database))  # fmt: skip
        guarded(figures, "table import", backend,
                lambda: [measure_import(database, catalogue, import_rows)])  # fmt: skip
        guarded(figures, "article import", backend,
                lambda: [measure_article_import(database, 20 if args.quick else 200)])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 0 when it ran (targets missed are reported, not fatal)."""
    args = parse_args(argv)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    figures: list[Figure] = []
    started = time.perf_counter()
    yardstick = python_yardstick()
    articles = 40 if args.quick else 400
    if not args.only_filtered:
        guarded(figures, "extraction", "-", lambda: [measure_extraction(articles)])
    for backend in backends:
        run_backend(backend, args, figures)
    settings: dict[str, Any] = {
        "n": args.n,
        "backends": backends,
        "quick": args.quick,
        "seconds": round(time.perf_counter() - started, 1),
        "python_yardstick_s_at_start": yardstick,
    }
    write_results(figures, settings, args.output)
    print(f"Benchmark at N={args.n:,} pledges ({', '.join(backends)}); "
          f"Python yardstick {yardstick:.3f} s at the start")  # fmt: skip
    print(format_table(figures))
    print(f"Results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
