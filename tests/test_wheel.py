"""The built wheel runs anywhere: installed into a fresh virtual environment outside the
checkout, its `tracker` command migrates, seeds and serves the full app.

The test stays offline: the wheel is built with the build backend already installed
(`--no-build-isolation`), and the fresh environment gets the app's dependencies by a
.pth line naming this interpreter's site-packages, so only the wheel itself is installed
(`--no-deps --no-index`). The fresh environment's own site-packages comes first on its
path, so `tracker` is imported from the wheel, never from the checkout.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests import REPO_ROOT

BUNDLED = ("templates", "static", "migrations", "alembic.ini", "seeds", "mappings")
SERVE_TIMEOUT_S = 60


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run `command`, failing the test with its output when it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(home: Path) -> dict[str, str]:
    """The environment without anything pointing at the checkout or its database."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TRACKER_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["HOME"] = str(home)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the checkout."""
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
               "--no-index", "--quiet", "--wheel-dir", str(out), str(REPO_ROOT)]  # fmt: skip
    run(command, cwd=out, env=dict(os.environ))
    (built,) = out.glob("tracker-*.whl")
    return built


def test_the_wheel_carries_the_top_level_folders(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for folder in ("templates", "static", "migrations", "seeds", "mappings"):
        in_repo = sorted(
            path.relative_to(REPO_ROOT).as_posix()
            for path in (REPO_ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        )
        assert in_repo, folder
        missing = [name for name in in_repo if f"tracker/{name}" not in names]
        assert missing == [], f"not in the wheel: {missing}"
    assert "tracker/alembic.ini" in names
    assert "tracker/templates/base.html" in names
    assert not any(name.startswith(BUNDLED) for name in names), "files outside the package"


def test_the_installed_wheel_serves_the_seeded_app_from_anywhere(
    wheel: Path, tmp_path: Path
) -> None:
    venv, elsewhere = tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env(elsewhere)
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=elsewhere, env=env)
    python, tracker = venv / "bin" / "python", venv / "bin" / "tracker"
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(run([str(python), "-c", purelib], cwd=elsewhere, env=env).strip())
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        cwd=elsewhere, env=env)  # fmt: skip

    where = run([str(python), "-c", "import tracker; print(tracker.__file__)"], elsewhere, env)
    assert Path(where.strip()).is_relative_to(site)
    assert "Migrated" in run([str(tracker), "db", "upgrade"], cwd=elsewhere, env=env)
    seeded = run([str(tracker), "seed"], cwd=elsewhere, env=env)
    assert "aljazeera-2025-07-10-rome-conference: Imported" in seeded
    assert (venv / "var" / "tracker-instance" / "tracker.db").is_file()

    port = free_port()
    server = subprocess.Popen(
        [str(tracker), "serve", "--port", str(port), "--workers", "1"],
        cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        page = fetch_when_up(f"http://127.0.0.1:{port}/")
        stylesheet = fetch_when_up(f"http://127.0.0.1:{port}/static/style.css")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    assert page is not None, f"the server never answered:\n{output}"
    assert "United Kingdom" in page and "5,000" in page, page[:2000]
    assert stylesheet


def fetch_when_up(url: str) -> str | None:
    """The body of `url` once the server answers 200, or None after SERVE_TIMEOUT_S."""
    deadline = time.monotonic() + SERVE_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    return None
