"""Requests per second under gunicorn: `/` against the trivial `/healthz`, served the same way.

The server is `python -m tracker serve --workers 2` on a free loopback port,
exactly as in production. The load generator is a few threads, each with its
own keep-alive `http.client` connection (it reconnects when the server closes
one), bounded both by a duration and by a request count. Any status but 200 or
any connection error counts as an error.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from bench.databases import BenchDatabase
from bench.report import Figure

HOST = "127.0.0.1"
CLIENT_THREADS = 4
WORKERS = 2


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


def measure_http(database: BenchDatabase, seconds: float, max_requests: int) -> Figure:
    """Requests/s for `/` vs `/healthz` under `tracker serve` with two gunicorn workers."""
    figure = Figure(database.backend, "HTTP / vs /healthz", "req/s", None, None, 0.25, "min_ratio")
    port = free_port()
    env = os.environ | {"TRACKER_DATABASE_URL": database.url}
    command = [sys.executable, "-m", "tracker", "serve", "--host", HOST, "--port", str(port),
               "--workers", str(WORKERS)]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _wait_until_up(port, server)
        generate_load(port, "/", 1.0, 50)  # both workers import and open their pools
        trivial = generate_load(port, "/healthz", seconds, max_requests)
        dashboard = generate_load(port, "/", seconds, max_requests)
    except RuntimeError as error:
        figure.note = str(error)
        return figure
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr is not None:
            server.stderr.close()
    figure.value, figure.baseline = dashboard.per_second, trivial.per_second
    figure.extra = {
        "seconds": seconds,
        "max_requests": max_requests,
        "client_threads": CLIENT_THREADS,
        "workers": WORKERS,
        "dashboard": vars(dashboard),
        "trivial": vars(trivial),
    }
    errors = dashboard.errors + trivial.errors
    if errors:
        figure.note = f"{errors} requests failed"
        figure.value = None
    return figure
