"""The `tracker` command: migrations, seeding, and one clear line for a bad database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `python -m tracker` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=120,
    )


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    """Environment pointing the CLI at a new SQLite file."""
    return {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def test_upgrade_then_upgrade_again_is_a_no_op(sqlite_env: dict[str, str]) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["db", "upgrade"], env=sqlite_env)
    assert first.exit_code == 0, first.output
    assert "from an empty database to" in first.output
    second = runner.invoke(main, ["db", "upgrade"], env=sqlite_env)
    assert second.exit_code == 0
    assert "already at revision" in second.output


def test_seed_twice_adds_nothing_the_second_time(sqlite_env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=sqlite_env).exit_code == 0
    first = runner.invoke(main, ["seed"], env=sqlite_env)
    assert first.exit_code == 0, first.output
    assert "donors" in first.output
    second = runner.invoke(main, ["seed"], env=sqlite_env)
    assert second.exit_code == 0, second.output
    assert "nothing to add" in second.output


def test_seed_on_an_unmigrated_database_says_what_to_do(sqlite_env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["seed"], env=sqlite_env)
    assert result.exit_code == 2
    assert "run `tracker db upgrade` first" in result.output


def test_malformed_database_url_is_one_line_and_status_2() -> None:
    result = run_cli("db", "upgrade", env={"TRACKER_DATABASE_URL": "not a url"})
    assert result.returncode == 2
    assert "TRACKER_DATABASE_URL is not a valid database URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_hides_the_password() -> None:
    url = "postgresql://analyst:s3cret-pw@127.0.0.1:9/tracker"
    result = run_cli("db", "upgrade", env={"TRACKER_DATABASE_URL": url})
    assert result.returncode == 2
    assert "cannot connect to the database" in result.stderr
    assert "s3cret-pw" not in result.stderr
    assert "Traceback" not in result.stderr


def test_unsupported_database_is_named() -> None:
    result = run_cli("db", "upgrade", env={"TRACKER_DATABASE_URL": "mysql://root@localhost/x"})
    assert result.returncode == 2
    assert "unsupported database 'mysql'" in result.stderr


def test_rebuild_totals_recomputes_a_damaged_rollup(sqlite_env: dict[str, str]) -> None:
    from sqlalchemy import text

    from tracker.db import make_engine

    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=sqlite_env).exit_code == 0
    assert runner.invoke(main, ["seed"], env=sqlite_env).exit_code == 0
    engine = make_engine(sqlite_env["TRACKER_DATABASE_URL"])
    everything = text("SELECT * FROM totals_rollup ORDER BY dimension, key_id, key, kind, stage")
    with engine.connect() as connection:
        kept = connection.execute(everything).all()
    assert kept  # the seed article's pledges count in it
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM totals_rollup WHERE dimension = 'donor'"))
        connection.execute(text("UPDATE totals_rollup SET eur_cents = 0"))
    rebuilt = runner.invoke(main, ["db", "rebuild-totals"], env=sqlite_env)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"Rebuilt the totals rollup: {len(kept)} rows." in rebuilt.output
    with engine.connect() as connection:
        assert connection.execute(everything).all() == kept
    engine.dispose()


def test_rebuild_totals_on_an_unmigrated_database_says_what_to_do(
    sqlite_env: dict[str, str],
) -> None:
    result = CliRunner().invoke(main, ["db", "rebuild-totals"], env=sqlite_env)
    assert result.exit_code == 2
    assert "run `tracker db upgrade` first" in result.output


def test_import_article_before_the_seed_says_what_to_do(sqlite_env: dict[str, str]) -> None:
    """An empty catalogue is a clear one-line error that writes nothing, not a traceback."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from tracker.db import make_engine
    from tracker.models import Pledge, Source

    article = Path(__file__).parents[1] / "seeds" / "aljazeera-2025-07-10-rome-conference"
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=sqlite_env).exit_code == 0
    result = runner.invoke(main, ["import-article", str(article / "article.txt")], env=sqlite_env)
    assert result.exit_code == 2, result.output
    assert "the catalogue has no item" in result.output
    assert "run `tracker seed`" in result.output
    assert "Traceback" not in result.output
    engine = make_engine(sqlite_env["TRACKER_DATABASE_URL"])
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Source)) == 0
        assert session.scalar(select(func.count()).select_from(Pledge)) == 0
    engine.dispose()


@pytest.mark.parametrize(
    "args",
    [["export", "totals", "--by", "donor"], ["export", "pledges"], ["users", "list"],
     ["users", "set-role", "nobody", "viewer"], ["users", "disable", "nobody"],
     ["import-table", "TABLE"]],
)  # fmt: skip
def test_every_command_on_an_unmigrated_database_says_what_to_do(
    sqlite_env: dict[str, str], tmp_path: Path, args: list[str]
) -> None:
    """One line and status 2, as `seed` gives, never a traceback about a missing table."""
    table = tmp_path / "table.csv"
    table.write_text("donor,item,amount,currency\nNorway,aid,1,EUR\n", encoding="utf-8")
    args = [str(table) if arg == "TABLE" else arg for arg in args]
    result = CliRunner().invoke(main, args, env=sqlite_env)
    assert result.exit_code == 2, result.output
    assert "run `tracker db upgrade` first" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("port", ["0", "65536", "99999", "-1"])
def test_serve_refuses_a_port_no_server_listens_on(sqlite_env: dict[str, str], port: str) -> None:
    result = CliRunner().invoke(main, ["serve", "--port", port], env=sqlite_env)
    assert result.exit_code == 2
    assert "'--port'" in result.output and "1<=x<=65535" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_serve_on_a_port_in_use_says_so_in_one_line(sqlite_env: dict[str, str]) -> None:
    import socket

    assert CliRunner().invoke(main, ["db", "upgrade"], env=sqlite_env).exit_code == 0
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), env=sqlite_env)
    assert result.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("url", ["www.reuters.com/world/x", "javascript:alert(1)", "reuters"])
def test_import_article_refuses_a_url_that_is_no_web_address(
    sqlite_env: dict[str, str], tmp_path: Path, url: str
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Germany pledged 500 million euros to Ukraine on Monday.", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import-article", str(article), "--url", url, "--published", "2025-07-10"],
        env=sqlite_env,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--url" in result.output and "is not a web address" in result.output
