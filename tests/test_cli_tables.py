"""`tracker export totals|pledges` and `tracker import-table` on a fresh SQLite file."""

from __future__ import annotations

import errno
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from tracker.cli import main
from tracker.config import MAPPINGS_DIR
from tracker.db import make_engine

KIEL = Path(__file__).parent / "data" / "kiel" / "kiel-bilateral-activities.csv"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A migrated, seeded SQLite database for the commands."""
    environment = {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=environment).exit_code == 0
    assert runner.invoke(main, ["seed"], env=environment).exit_code == 0
    return environment


def test_import_dry_run_then_import_then_export(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    mapping = str(MAPPINGS_DIR / "kiel-bilateral-activities.yaml")
    dry = runner.invoke(
        main, ["import-table", str(KIEL), "--mapping", mapping, "--dry-run"], env=env
    )
    assert dry.exit_code == 0, dry.output
    assert "row 2: create pledge: " in dry.output and "would import 5565 created" in dry.output
    before = runner.invoke(main, ["export", "pledges"], env=env)
    assert before.output.count("\n") == 1 + 4  # header and the seed article's four pledges

    done = runner.invoke(main, ["import-table", str(KIEL), "--mapping", mapping], env=env)
    assert done.exit_code == 0, done.output
    assert "imported 5565 created" in done.output

    out = tmp_path / "totals.csv"
    result = runner.invoke(
        main, ["export", "totals", "--by", "stage", "--donor", "Germany", "-o", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(frame["stage"]) == {"committed", "allocated"}

    json_out = runner.invoke(main, ["export", "totals", "--by", "donor", "--format", "json",
                                    "--stage", "committed"], env=env)  # fmt: skip
    assert "United States" in {row["donor"] for row in json.loads(json_out.output)}

    pledges = runner.invoke(main, ["export", "pledges", "--donor", "Malta"], env=env)
    frame = pd.read_csv(io.StringIO(pledges.output), dtype=str, keep_default_na=False)
    assert len(frame) == 7 and set(frame["donor"]) == {"Malta"}


def test_bad_table_exits_2_with_row_and_column(env: dict[str, str], tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("donor,item,amount,currency,announced\nGermany,aid,5,EUR,2025-13-01\n")
    result = CliRunner().invoke(main, ["import-table", str(table)], env=env)
    assert result.exit_code == 2
    assert "row 2, column announced" in result.output
    assert "nothing was imported" in result.output


def test_unknown_donor_filter_is_refused(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["export", "totals", "--donor", "Atlantis"], env=env)
    assert result.exit_code == 2
    assert "no donor is called 'Atlantis'" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02\xff\xfe binary \x00", "control character"),
        (b"giver,sum\n", "a header but no rows"),
        (b'donor,item\nGermany,"aid\n', "not a well-formed CSV"),
        (",".join(f"c{i}" for i in range(200_000)).encode() + b"\n1\n", "at most 100"),
    ],
)
def test_broken_tables_exit_2_with_a_message_and_leave_no_source(
    env: dict[str, str], tmp_path: Path, content: bytes, message: str
) -> None:
    table = tmp_path / "broken.csv"
    table.write_bytes(content)
    before = source_count(env)
    result = CliRunner().invoke(main, ["import-table", str(table)], env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output and "nothing was imported" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, ValueError)
    assert source_count(env) == before


def source_count(env: dict[str, str]) -> int:
    """How many sources the command's database holds."""
    engine = make_engine(env["TRACKER_DATABASE_URL"])
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM source")).scalar_one()
    engine.dispose()
    return int(count)


def test_a_malformed_mapping_exits_2_naming_the_section(
    env: dict[str, str], tmp_path: Path
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("giver,amount\nGermany,5\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {giver: [1, 2]}\n")
    result = CliRunner().invoke(
        main, ["import-table", str(table), "--mapping", str(mapping)], env=env
    )
    assert result.exit_code == 2
    assert "columns: giver must be a piece of text, not a list" in result.output


def test_an_export_to_a_missing_folder_stops_with_one_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "no such folder" / "pledges.csv"
    result = CliRunner().invoke(main, ["export", "pledges", "-o", str(target)], env=env)
    assert result.exit_code == 2
    assert result.output == f"Error: cannot write {target}: No such file or directory\n"
    assert not target.parent.exists()


def test_an_export_that_fails_midway_leaves_the_old_file_whole(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker import exports

    def disk_full(*_args: object, **_kwargs: object) -> Iterator[bytes]:
        yield b"id,donor\n"
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "totals.csv"
    target.write_bytes(b"yesterday's export\n")
    monkeypatch.setattr(exports, "export_totals", disk_full)
    result = CliRunner().invoke(
        main, ["export", "totals", "--by", "kind", "-o", str(target)], env=env
    )
    assert result.exit_code == 2
    assert result.output == f"Error: cannot write {target}: No space left on device\n"
    assert target.read_bytes() == b"yesterday's export\n"
    assert [p.name for p in tmp_path.iterdir() if "totals" in p.name] == ["totals.csv"]
    monkeypatch.undo()
    written = CliRunner().invoke(
        main, ["export", "totals", "--by", "kind", "-o", str(target)], env=env
    )
    assert written.exit_code == 0 and target.read_text().startswith("kind,pledges,")
    opened = tmp_path / "opened.csv"
    opened.write_bytes(b"")
    assert target.stat().st_mode & 0o777 == opened.stat().st_mode & 0o777


def test_a_downgrade_to_no_known_revision_stops_with_one_line(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["db", "downgrade", "zzz"], env=env)
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot migrate down to 'zzz': Can't locate revision")
    assert result.output.count("\n") == 1


def test_an_upgrade_to_no_known_revision_stops_with_one_line(env: dict[str, str]) -> None:
    before = CliRunner().invoke(main, ["db", "current"], env=env).output
    result = CliRunner().invoke(main, ["db", "upgrade", "zzz"], env=env)
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot migrate up to 'zzz': Can't locate revision")
    assert result.output.count("\n") == 1
    assert CliRunner().invoke(main, ["db", "current"], env=env).output == before


def test_import_table_names_a_file_of_an_unknown_kind_once(tmp_path: Path) -> None:
    page = tmp_path / "pledges.html"
    page.write_text("<table><tr><td>Germany</td></tr></table>", encoding="utf-8")
    env = {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    result = CliRunner().invoke(main, ["import-table", str(page)], env=env)
    assert result.exit_code == 2
    assert "pledges.html: only .csv and .xlsx tables can be imported, not a .html file" in (
        result.output
    )
    assert "pledges.html: pledges.html" not in result.output


WEAPONS = Path(__file__).parent / "data" / "kiel" / "kiel-weapons.csv"


def test_the_command_line_may_add_the_items_a_mapped_table_names(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    mapping = str(MAPPINGS_DIR / "kiel-weapons.yaml")
    monkeypatch.setattr("getpass.getuser", lambda: "nobody-with-an-account")
    signed = runner.invoke(
        main, ["users", "create", "ann", "--role", "analyst"], input="pw-of-ann-12345\n", env=env
    )
    assert signed.exit_code == 0, signed.output
    refused = runner.invoke(
        main, ["import-table", str(WEAPONS), "--mapping", mapping, "--user", "ann"], env=env
    )
    assert refused.exit_code != 0 and "only an admin may" in refused.output
    done = runner.invoke(main, ["import-table", str(WEAPONS), "--mapping", mapping], env=env)
    assert done.exit_code == 0, done.output
    assert "new items" in done.output
