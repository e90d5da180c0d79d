"""Importing from the command line as reviewed, and under a named account."""

from __future__ import annotations

import getpass
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests import test_cli_tables
from tracker.cli import main
from tracker.models import AuditEvent, Pledge

env = test_cli_tables.env  # fixture: a migrated, seeded SQLite file

TABLE = "donor,item,amount,currency,announced\nGermany,aid,5000000,EUR,2025-07-01\n" + (
    "Norway,aid,7000000,EUR,2025-07-02\n"
)


def stored(env: dict[str, str]) -> tuple[list[bool], list[str | None]]:
    """The reviewed flags of the table's pledges and who the import events name."""
    engine = create_engine(env["TRACKER_DATABASE_URL"])
    with Session(engine) as session:
        flags = list(session.scalars(select(Pledge.reviewed).where(Pledge.source_ref.is_not(None))))
        names = list(
            session.scalars(
                select(AuditEvent.username).where(
                    AuditEvent.action == "import", AuditEvent.note.like("%.csv:%")
                )
            )
        )
    engine.dispose()
    return flags, names


def test_a_curated_table_is_imported_as_reviewed_under_the_login(
    env: dict[str, str], tmp_path: Path
) -> None:
    table = tmp_path / "curated.csv"
    table.write_text(TABLE)
    result = CliRunner().invoke(main, ["import-table", str(table), "--reviewed"], env=env)
    assert result.exit_code == 0, result.output
    assert "2 created as reviewed" in result.output
    flags, names = stored(env)
    assert flags == [True, True]
    assert names[-1] == f"{getpass.getuser()} (command line)"


def test_a_table_without_the_flag_waits_for_review_under_a_named_account(
    env: dict[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    created = runner.invoke(
        main, ["users", "create", "ana", "--role", "analyst"], input="pw-long-enough-1\n", env=env
    )
    assert created.exit_code == 0, created.output
    table = tmp_path / "queued.csv"
    table.write_text(TABLE)
    result = runner.invoke(main, ["import-table", str(table), "--user", "ana"], env=env)
    assert result.exit_code == 0, result.output
    flags, names = stored(env)
    assert flags == [False, False] and names[-1] == "ana"


def test_an_unknown_account_exits_2_and_imports_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    table = tmp_path / "t.csv"
    table.write_text(TABLE)
    result = CliRunner().invoke(main, ["import-table", str(table), "--user", "nobody"], env=env)
    assert result.exit_code == 2 and "there is no account 'nobody'" in result.output
    assert stored(env) == ([], [])
