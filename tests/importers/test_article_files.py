"""Many article files at once (tracker.importers.article_files, `tracker import-article FILES`):
the rows of importing them one by one, each its own transaction, in the order given."""

from __future__ import annotations

import multiprocessing
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from bench.articles import generate_articles
from bench.measure import write_article_files
from tests.conftest import own_postgres_database
from tests.importers.test_article_batch import _highest_ids, database_state
from tests.test_cli import run_cli
from tracker.cli import main
from tracker.extract.models import Extraction
from tracker.importers import article as article_module
from tracker.importers import extraction_pool
from tracker.importers.article import import_article, read_article
from tracker.importers.article_files import article_files, import_article_files
from tracker.importers.extraction_pool import ExtractionPool, Task
from tracker.importers.vocabulary import database_vocabulary, names_key
from tracker.models import Pledge, Recipient, Report, Source

# Names a recipient the seeded database lacks: the import adds it, and the names' key the
# next articles are read with changes
MOLDOVA = "Germany pledged €50 million in humanitarian aid to Moldova on Monday.\n"
RETOLD = "\nAnother outlet retold the story."


@contextmanager
def own_session(connection: Connection) -> Iterator[Session]:
    """A session whose commits release savepoints inside one that is rolled back after."""
    outer = connection.begin_nested()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()


def folder_of_articles(root: Path, seed: int, count: int, moldova_at: int | None) -> list[Path]:
    """`count` generated articles as files, then the first retold (a corroboration of
    it), one of them with the Moldova sentence in front when `moldova_at` says which."""
    folder = write_article_files(root / "articles", count, seed=seed)
    files = article_files([folder])
    retold = root / "retold" / "article.txt"
    retold.parent.mkdir()
    retold.write_text(files[0].read_text(encoding="utf-8") + RETOLD, encoding="utf-8")
    if moldova_at is not None:
        target = files[moldova_at % count]
        target.write_text(MOLDOVA + target.read_text(encoding="utf-8"), encoding="utf-8")
    return [*files, retold]


def imported_one_by_one(session: Session, paths: list[Path]) -> None:
    """Each file imported on its own and committed, as `import-article FILE` does."""
    for path in paths:
        text, meta = read_article(path)
        import_article(session, text, meta)
        session.commit()


def state_after(connection: Connection, run: Any) -> dict[str, Any]:
    """The rows `run(session)` leaves, normalised (tests.importers.test_article_batch), a
    recipient by its name (PostgreSQL does not give a rolled-back recipient's id again)."""
    with own_session(connection) as session:
        highest = _highest_ids(session)
        run(session)
        state = database_state(session, highest)
        names: dict[Any, Any] = dict(session.execute(select(Recipient.id, Recipient.name)).all())
    state = _named(state, names)
    state["totals_rollup"] = sorted(
        (*row[:5], names.get(row[5], row[5]), *row[6:]) for row in state["totals_rollup"]
    )  # its sixth column is the recipient's id
    return state


def _named(value: Any, names: dict[Any, Any]) -> Any:
    """`value` with every `recipient_id` in it, however deep, replaced by the name."""
    if isinstance(value, dict):
        return {
            key: names.get(item) if key == "recipient_id" else _named(item, names)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_named(item, names) for item in value]
    return value


@settings(
    max_examples=4,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    count=st.integers(1, 3),
    ahead=st.integers(0, 3),
    moldova_at=st.none() | st.integers(0, 2),
)
def test_several_files_store_the_rows_of_importing_them_one_by_one(
    connection: Connection, seed: int, count: int, ahead: int, moldova_at: int | None
) -> None:
    with tempfile.TemporaryDirectory() as root:
        paths = folder_of_articles(Path(root), seed, count, moldova_at)

        def at_once(session: Session) -> None:
            outcomes = list(import_article_files(session, paths, workers=1, ahead=ahead))
            assert [o.error for o in outcomes] == [None] * len(paths)

        together = state_after(connection, at_once)
        apart = state_after(connection, lambda session: imported_one_by_one(session, paths))
    assert together == apart
    assert len(together["source"]) == len(paths)
    assert any(report["role"] == "corroborates" for report in together["report"])


def test_a_later_file_corroborates_an_earlier_one(session: Session, tmp_path: Path) -> None:
    paths = folder_of_articles(tmp_path, seed=11, count=1, moldova_at=None)
    outcomes = list(import_article_files(session, paths, workers=1))
    first, retold = (outcome.result for outcome in outcomes)
    assert first is not None and retold is not None
    corroborated = {r.pledge_id for r in retold.reports if r.role == "corroborates"}
    assert corroborated and corroborated <= {pledge.id for pledge in first.pledges}
    assert len(retold.pledges) < len(first.pledges)


def test_a_new_recipient_is_read_by_the_next_files(session: Session, tmp_path: Path) -> None:
    paths = folder_of_articles(tmp_path, seed=5, count=3, moldova_at=0)
    outcomes = list(import_article_files(session, paths, workers=1, ahead=3))
    assert all(outcome.error is None for outcome in outcomes)
    assert session.scalar(select(Recipient.id).where(Recipient.name == "Moldova")) is not None
    # Germany's €50 million of the opening sentence (the article's other pledges, which name no
    # recipient, are the place its opening is about: Moldova's too)
    moldova = [p for p in outcomes[0].result.pledges if p.recipient.name == "Moldova"]  # type: ignore[union-attr]
    assert [p.amount for p in moldova if p.donor.name == "Germany"].count(Decimal(50_000_000)) == 1


def test_a_directory_is_its_files_in_order_without_meta_or_hidden_files(tmp_path: Path) -> None:
    for name in ("b/article.txt", "b/meta.json", "a/article.txt", ".hidden/x.txt", "c.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text", encoding="utf-8")
    single = tmp_path / "c.html"
    assert article_files([tmp_path, single]) == [
        tmp_path / "a/article.txt", tmp_path / "b/article.txt", single, single,
    ]  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def cli_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The command's environment on a migrated, seeded database of each backend (the
    command runs in a process of its own, as `tracker` does)."""

    @contextmanager
    def sqlite() -> Iterator[str]:
        yield f"sqlite:///{tmp_path / 'cli.db'}"

    with sqlite() if request.param == "sqlite" else own_postgres_database("files") as url:
        env = {"TRACKER_DATABASE_URL": url}
        assert run_cli("db", "upgrade", env=env).returncode == 0
        assert run_cli("seed", env=env).returncode == 0
        yield env


def test_a_bad_file_is_named_and_the_others_import(cli_env: dict[str, str], tmp_path: Path) -> None:
    good = [tmp_path / "one.txt", tmp_path / "two.txt"]
    for path, article in zip(good, generate_articles(2, seed=3), strict=True):
        path.write_text(article.text, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02 binary")
    missing = tmp_path / "missing.txt"
    files = [str(good[0]), str(bad), str(missing), str(good[1])]
    result = run_cli("import-article", *files, env=cli_env)
    assert result.returncode == 1, result.stderr
    assert f"{bad}: " in result.stderr and f"{missing}: cannot read" in result.stderr
    assert result.stdout.startswith(f"{good[0]}: Imported source #")
    assert f"{good[1]}: Imported source #" in result.stdout
    assert result.stdout.rstrip().endswith("2 of 4 articles imported, 2 failed.")
    again = run_cli("import-article", *map(str, good), env=cli_env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("Already imported as source #") == 2


def test_url_and_title_name_one_article(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["import-article", str(tmp_path), "--url", "https://example.org/a"]
    )
    assert result.exit_code == 2
    assert "give one FILE" in result.output


def test_the_counts_in_the_database_follow_the_files(session: Session, tmp_path: Path) -> None:
    paths = folder_of_articles(tmp_path, seed=21, count=2, moldova_at=None)
    before = session.scalar(select(func.count()).select_from(Source))
    outcomes = list(import_article_files(session, paths, workers=0))
    assert session.scalar(select(func.count()).select_from(Source)) == (before or 0) + 3
    stored = sum(len(o.result.pledges) for o in outcomes if o.result is not None)
    assert stored and session.scalar(select(func.count()).select_from(Pledge)) >= stored
    assert session.scalar(select(func.count()).select_from(Report)) >= stored


def test_a_dry_run_of_several_files_writes_nothing(session: Session, tmp_path: Path) -> None:
    paths = folder_of_articles(tmp_path, seed=8, count=2, moldova_at=1)
    before = session.scalar(select(func.count()).select_from(Source))
    outcomes = list(import_article_files(session, paths, dry_run=True, workers=1))
    assert all(o.result is not None and o.result.dry_run for o in outcomes)
    assert all(o.result.pledge_count for o in outcomes if o.result is not None)
    assert session.scalar(select(func.count()).select_from(Source)) == before
    assert session.scalar(select(Recipient.id).where(Recipient.name == "Moldova")) is None


def test_only_the_last_commit_of_several_files_waits_for_the_disk(
    session: Session, tmp_path: Path
) -> None:
    """On PostgreSQL each article but the last commits without waiting for the disk; the
    last one's commit waits, and with it the earlier ones'. Files that end with a failure
    get one empty transaction that waits for the others. A dry run and SQLite's commits
    are left as they are."""
    first = folder_of_articles(tmp_path / "first", seed=17, count=2, moldova_at=None)
    second = folder_of_articles(tmp_path / "second", seed=19, count=1, moldova_at=None)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02 binary")
    sent: list[str] = []

    def record(*args: object) -> None:
        statement = str(args[2])
        if "synchronous_commit" in statement or "pg_current_xact_id()" in statement:
            sent.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        outcomes = list(import_article_files(session, first, workers=0))
        assert [o.error for o in outcomes] == [None] * len(first)
        waited = list(sent)
        sent.clear()
        outcomes = list(import_article_files(session, [*second, bad], workers=0))
        assert [o.error is None for o in outcomes] == [True, True, False]
        failed_last = list(sent)
        sent.clear()
        list(import_article_files(session, first, dry_run=True, workers=0))  # writes nothing
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert sent == []
    if connection.dialect.name != "postgresql":
        assert waited == failed_last == []
        return
    off = "SET LOCAL synchronous_commit = off"
    assert waited == [off] * (len(first) - 1)
    assert failed_last == [off, off, "SELECT pg_current_xact_id()"]


def test_each_article_is_extracted_once_here_or_in_a_worker(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = folder_of_articles(tmp_path, seed=13, count=5, moldova_at=None)
    here: list[str] = []
    tasks: list[Task] = []

    def extract_here(text: str, *args: Any) -> Extraction:
        here.append(text)
        return extract(text, *args)

    def submit(pool: ExtractionPool, *args: Any) -> Task:
        tasks.append(submitted(pool, *args))
        return tasks[-1]

    extract, submitted = article_module.extract, ExtractionPool.submit
    monkeypatch.setattr(article_module, "extract", extract_here)
    monkeypatch.setattr(ExtractionPool, "submit", submit)
    outcomes = list(import_article_files(session, paths, workers=1, ahead=2))
    assert [outcome.error for outcome in outcomes] == [None] * len(paths)
    # the pool is closed: every task is finished or was cancelled before a worker took it
    in_worker = [
        task for task in tasks if not task.future.cancelled() and task.future.result() is not None
    ]
    assert len(tasks) == len(paths)
    assert len(here) + len(in_worker) == len(paths)


def test_a_worker_skips_a_task_given_up_and_notes_the_one_it_begins(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress = multiprocessing.get_context("spawn").Array("q", 2)
    monkeypatch.setattr(extraction_pool, "_WORKER_VOCABULARY", None)
    monkeypatch.setattr(extraction_pool, "_WORKER_PROGRESS", None)  # put back after the test
    extraction_pool._start_worker(progress)
    key = names_key(session)
    vocabulary = pickle.dumps(database_vocabulary(session, key))
    text = "Germany pledged €50 million in humanitarian aid to Ukraine on Monday.\n"
    progress[1] = 2  # the import has given up the tasks up to the second
    assert extraction_pool._extract_in_worker(2, text, None, key, vocabulary) is None
    assert progress[0] == 0
    done = extraction_pool._extract_in_worker(3, text, None, key, vocabulary)
    assert done is not None and len(done.pledges) == 1
    assert progress[0] == 3


def test_a_worker_starts_without_the_web_app() -> None:
    # what a spawned worker imports: the extractor, not Flask (a third of its start-up)
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, tracker.importers.extraction_pool; "
         "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')))"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert loaded.stdout.strip() == "[]"


def test_a_figure_no_pledge_holds_or_a_date_years_ahead_is_named_and_writes_nothing(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """An absurd figure refuses its article with the sentence named, alone or among others;
    a publication date more than a year ahead is refused, from the option or meta.json."""
    huge = tmp_path / "huge.txt"
    huge.write_text(
        "Germany pledged 99999999999999999999999999999 euros to Ukraine on Monday.\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.txt"
    good.write_text(generate_articles(1, seed=5)[0].text, encoding="utf-8")
    alone = run_cli("import-article", str(huge), "--published", "2025-07-10", env=cli_env)
    assert alone.returncode == 2, alone.stderr
    assert "too large" in alone.stderr and "Germany pledged 9999" in alone.stderr
    assert "Traceback" not in alone.stderr
    several = run_cli(
        "import-article", str(huge), str(good), "--published", "2025-07-10", env=cli_env
    )
    assert several.returncode == 1, several.stderr
    assert f"{huge}: " in several.stderr and "too large" in several.stderr
    assert several.stdout.rstrip().endswith("1 of 2 articles imported, 1 failed.")
    ahead = run_cli("import-article", str(good), "--published", "9999-12-31", env=cli_env)
    assert ahead.returncode == 2 and "more than a year ahead" in ahead.stderr
    dated = tmp_path / "dated"
    dated.mkdir()
    (dated / "article.txt").write_text("Norway pledged 100 drones.", encoding="utf-8")
    (dated / "meta.json").write_text('{"published": "3000-01-01"}', encoding="utf-8")
    meta = run_cli("import-article", str(dated / "article.txt"), env=cli_env)
    assert meta.returncode == 2 and "more than a year ahead" in meta.stderr
    (dated / "meta.json").write_text('{"published": "0001-01-01"}', encoding="utf-8")
    early = run_cli("import-article", str(dated / "article.txt"), env=cli_env)
    assert early.returncode == 2, early.stderr
    assert "published 0001-01-01 is outside 1900-01-01 to 2199-12-31: check the year" in (
        early.stderr
    )
    assert "Traceback" not in ahead.stderr + meta.stderr + early.stderr
    again = run_cli("import-article", str(good), env=cli_env)  # only `good` was stored
    assert "Already imported as source #" in again.stdout
    assert "Already imported" not in run_cli("import-article", str(huge), env=cli_env).stdout
