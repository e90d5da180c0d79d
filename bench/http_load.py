"""The served app under load: `/` against the trivial `/healthz`, and both beside exports.

The server is `python -m tracker serve --workers 2` on a free loopback port,
exactly as in production. The load generator is a few threads, each with its
own keep-alive `http.client` connection (it reconnects when the server closes
one), bounded both by a duration and by a request count. Any status but 200 or
any connection error counts as an error.

Two pages are compared in ROUNDS short loads each, taken in turn (A B, B A, A B, ...)
with a short warm-up of the page before each load, and each page's figure is the
median of its rounds: a stretch of the machine's other work then falls on both
pages alike instead of on whichever ran during it. The spread of the rounds is kept
beside the figure.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench.databases import BenchDatabase
from bench.report import Figure

HOST = "127.0.0.1"
CLIENT_THREADS = 4
WORKERS = 2
ROUNDS = 5
WARM_UP_REQUESTS = 20


@dataclass
class LoadResult:
    """What one load run achieved."""

    path: str
    requests: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Successful requests per second."""
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(port: int, server: subprocess.Popen[bytes], limit: float = 60) -> None:
    """Wait until the server answers /healthz, or fail when it exits or takes too long."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer on port {port} within {limit:.0f} s")


def generate_load(port: int, path: str, seconds: float, max_requests: int) -> LoadResult:
    """GET `path` from CLIENT_THREADS threads until `seconds` pass or `max_requests` are sent."""
    lock = threading.Lock()
    counts = {"sent": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if counts["sent"] >= max_requests:
                    break
                counts["sent"] += 1
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            if not ok:
                with lock:
                    counts["errors"] += 1
        connection.close()

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(path, counts["sent"], counts["errors"], time.monotonic() - start)


@dataclass
class Comparison:
    """The rounds of two pages' loads taken in turn: each page's results, round by round."""

    page: list[LoadResult]
    baseline: list[LoadResult]

    @property
    def errors(self) -> int:
        """Failed requests over every round of both pages."""
        return sum(result.errors for result in (*self.page, *self.baseline))

    def describe(self) -> dict[str, Any]:
        """The rounds' rates and ratios, their median and spread, for a figure's `extra`."""
        rates = {
            name: [round(result.per_second, 1) for result in results]
            for name, results in (("page", self.page), ("baseline", self.baseline))
        }
        ratios = [
            page.per_second / base.per_second if base.per_second else 0.0
            for page, base in zip(self.page, self.baseline, strict=True)
        ]
        return {
            "rounds": len(ratios),
            "page_per_second": rates["page"],
            "baseline_per_second": rates["baseline"],
            "round_ratios": [round(ratio, 3) for ratio in ratios],
            "ratio_median": round(statistics.median(ratios), 3) if ratios else None,
            "ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)] if ratios else None,
        }


def compare_loads(
    port: int, page: str, baseline: str, seconds: float, max_requests: int, rounds: int = ROUNDS
) -> Comparison:
    """`rounds` loads of `page` and of `baseline`, `seconds` / `rounds` each, in turn and in
    alternating order, each after WARM_UP_REQUESTS unmeasured requests of its page."""
    comparison = Comparison([], [])
    share = seconds / rounds
    for number in range(rounds):
        order = ((page, comparison.page), (baseline, comparison.baseline))
        for path, results in order if number % 2 == 0 else order[::-1]:
            generate_load(port, path, share, WARM_UP_REQUESTS)
            results.append(generate_load(port, path, share, max(1, max_requests // rounds)))
    return comparison


def fill_ratio(figure: Figure, comparison: Comparison) -> None:
    """Give a ratio figure the medians of its rounds (page over baseline) and their spread;
    no value when any request failed."""
    figure.value = statistics.median(r.per_second for r in comparison.page)
    figure.baseline = statistics.median(r.per_second for r in comparison.baseline)
    figure.extra |= comparison.describe()
    if comparison.errors:
        figure.note = f"{comparison.errors} requests failed"
        figure.value = None


@contextmanager
def served(database: BenchDatabase) -> Iterator[int]:
    """`tracker serve` on a free loopback port for the block; yields the port."""
    port = free_port()
    env = os.environ | {"TRACKER_DATABASE_URL": database.url}
    command = [sys.executable, "-m", "tracker", "serve", "--host", HOST, "--port", str(port),
               "--workers", str(WORKERS)]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr is not None:
            server.stderr.close()


def measure_http(database: BenchDatabase, seconds: float, max_requests: int) -> Figure:
    """Requests/s for `/` vs `/healthz` under `tracker serve` with two gunicorn workers."""
    figure = Figure(database.backend, "HTTP / vs /healthz", "req/s", None, None, 0.25, "min_ratio")
    try:
        with served(database) as port:
            generate_load(port, "/", 1.0, 50)  # both workers import and open their pools
            comparison = compare_loads(port, "/", "/healthz", seconds, max_requests)
    except RuntimeError as error:
        figure.note = str(error)
        return figure
    figure.extra = {
        "seconds": seconds,
        "max_requests": max_requests,
        "client_threads": CLIENT_THREADS,
        "workers": WORKERS,
    }
    fill_ratio(figure, comparison)
    return figure


EXPORT_PATH = "/exports/pledges.csv"
STREAMS = 2
SAMPLES = 40


def _latency_ms(port: int, path: str) -> float | None:
    """One GET of `path` on a new connection, in milliseconds; None unless it answered 200."""
    start = time.perf_counter()
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        connection.close()
    except (OSError, http.client.HTTPException):
        return None
    return (time.perf_counter() - start) * 1000 if response.status == 200 else None


def _stream_exports(port: int, started: threading.Event, stop: threading.Event) -> None:
    """Read the pledges export to its end, again and again until `stop` is set."""
    while not stop.is_set():
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=600)
            connection.request("GET", EXPORT_PATH)
            response = connection.getresponse()
            started.set()
            while response.read(64 * 1024) and not stop.is_set():
                pass
            connection.close()
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    started.set()


def measure_beside_exports(database: BenchDatabase, seconds: float = 60) -> list[Figure]:
    """Latency of `/healthz` and `/` while two exports stream, against the same pages idle.

    Each of the two streams reads the pledges export to its end and starts it again, so
    both stay busy however small N is; SAMPLES requests of each page are timed (within
    `seconds`) while they run.
    """
    pages = ("/healthz", "/")
    figures = [
        Figure(database.backend, f"{path} beside {STREAMS} exports", "ms", None, None, 50, "max")
        for path in pages
    ]
    stop = threading.Event()
    busy: dict[str, list[float | None]] = {path: [] for path in pages}
    try:
        with served(database) as port:
            for path in pages:
                _latency_ms(port, path)  # warm both pages in the workers
            idle = {path: [_latency_ms(port, path) for _ in range(10)] for path in pages}
            starts = [threading.Event() for _ in range(STREAMS)]
            streams = [threading.Thread(target=_stream_exports, args=(port, started, stop),
                                        daemon=True) for started in starts]  # fmt: skip
            for stream in streams:
                stream.start()
            for started in starts:
                started.wait(60)
            deadline = time.monotonic() + seconds
            while len(busy["/"]) < SAMPLES and time.monotonic() < deadline:
                for path in pages:
                    busy[path].append(_latency_ms(port, path))
            stop.set()
            for stream in streams:
                stream.join(timeout=30)
    except RuntimeError as error:
        for figure in figures:
            figure.note = str(error)
        return figures
    finally:
        stop.set()
    for figure, path in zip(figures, pages, strict=True):
        answered = [ms for ms in busy[path] if ms is not None]
        baseline = [ms for ms in idle[path] if ms is not None]
        figure.baseline = statistics.median(baseline) if baseline else None
        figure.extra = {
            "samples": len(busy[path]),
            "failed": len(busy[path]) - len(answered),
            "p90_ms": statistics.quantiles(answered, n=10)[-1] if len(answered) > 1 else None,
            "workers": WORKERS,
            "streams": STREAMS,
        }
        if answered and len(answered) == len(busy[path]):
            figure.value = statistics.median(answered)
        else:
            figure.note = f"{len(busy[path]) - len(answered)} of {len(busy[path])} requests failed"
    return figures
