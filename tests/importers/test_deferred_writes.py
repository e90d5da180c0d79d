"""The end of each article's transaction sent without waiting for it
(tracker.importers.deferred_writes), on databases of their own whose commits are real: the
rows of importing the files one by one, an article refused by its last statement rolled
back alone and named, the next article matched against what was committed before it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from tests.conftest import own_postgres_database
from tests.importers.test_article_batch import _highest_ids, database_state
from tests.importers.test_article_files import folder_of_articles
from tracker import migrate
from tracker.db import make_engine
from tracker.importers import deferred_writes
from tracker.importers.article import import_article, read_article
from tracker.importers.article_files import SQLITE_CHECKPOINT_PAGES, import_article_files
from tracker.models import Source
from tracker.services.reference import seed_reference

REFUSED = "refused by the test"
# The source's audit event, the last statement of an article before its commit, refused
# for the article titled "refused"
TRIGGERS = {
    "postgresql": [
        "CREATE FUNCTION refuse_title() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.after::jsonb ->> 'title' = 'refused' THEN "
        f"RAISE EXCEPTION '{REFUSED}'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER refuse_title BEFORE INSERT ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION refuse_title()",
    ],
    "sqlite": [
        "CREATE TRIGGER refuse_title BEFORE INSERT ON audit_event "
        "WHEN json_extract(NEW.after, '$.title') = 'refused' "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    ],
}


@contextmanager
def seeded_database(backend: str, tmp_path: Path, name: str) -> Iterator[Engine]:
    """A migrated, seeded database of its own, with the trigger refusing one title."""

    @contextmanager
    def sqlite() -> Iterator[str]:
        yield f"sqlite:///{tmp_path / f'{name}.db'}"

    with sqlite() if backend == "sqlite" else own_postgres_database(name) as url:
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
            with Session(engine) as session:
                seed_reference(session)
                session.commit()
            with engine.begin() as connection:
                for statement in TRIGGERS[backend]:
                    connection.exec_driver_sql(statement)
            yield engine
        finally:
            engine.dispose()


# The new pledges of the article titled "refused", refused as they are written
PLEDGE_TRIGGERS = {
    "postgresql": [
        "CREATE FUNCTION refuse_pledge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF (SELECT title FROM source WHERE id = NEW.source_id) = 'refused' THEN "
        f"RAISE EXCEPTION '{REFUSED}'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER refuse_pledge BEFORE INSERT ON pledge "
        "FOR EACH ROW EXECUTE FUNCTION refuse_pledge()",
    ],
    "sqlite": [
        "CREATE TRIGGER refuse_pledge BEFORE INSERT ON pledge "
        "WHEN (SELECT title FROM source WHERE id = NEW.source_id) = 'refused' "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END",
    ],
}


def articles(tmp_path: Path) -> list[Path]:
    """Three generated articles, the second titled "refused", then the first retold."""
    paths = folder_of_articles(tmp_path, seed=23, count=3, moldova_at=None)
    meta = paths[1].parent / "meta.json"
    meta.write_text(
        json.dumps(json.loads(meta.read_text(encoding="utf-8")) | {"title": "refused"}),
        encoding="utf-8",
    )
    return paths


def stored_state(engine: Engine, highest: dict[str, int]) -> dict[str, Any]:
    """The rows the imports made (tests.importers.test_article_batch), read afresh."""
    with Session(engine) as session:
        return database_state(session, highest)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_refused_article_among_several_is_rolled_back_alone(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend == "postgresql":
        pytest.importorskip("psycopg")
        import os

        if not os.environ.get("TRACKER_TEST_POSTGRES_URL"):
            pytest.skip("TRACKER_TEST_POSTGRES_URL is not set")
    paths = articles(tmp_path)
    sent: list[str] = []
    tables: list[str] = []
    send = deferred_writes.DeferredWrites.send

    def recorded(self: Any, statement: str, parameters: Any = None) -> None:
        sent.append(statement.split()[0])
        if sent[-1] == "INSERT":
            tables.append(statement.split()[2])
        send(self, statement, parameters)

    monkeypatch.setattr(deferred_writes.DeferredWrites, "send", recorded)
    with seeded_database(backend, tmp_path, "together") as engine:
        with Session(engine) as session:
            highest = _highest_ids(session)
        pragmas: list[str] = []
        listen = (engine, "before_cursor_execute", lambda *a: pragmas.append(str(a[2])))
        event.listen(*listen)
        with Session(engine) as session:
            outcomes = list(import_article_files(session, paths, workers=0))
            retold = outcomes[-1].result
            assert retold is not None
            roles = {report.role for report in retold.reports}
        event.remove(*listen)
        with engine.connect() as connection:
            checkpoints = (
                connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
                if backend == "sqlite"
                else None
            )
        together = stored_state(engine, highest)
        with Session(engine) as session:
            titles = session.scalars(select(Source.title).order_by(Source.id)).all()
    with seeded_database(backend, tmp_path, "apart") as engine:
        with Session(engine) as session:
            for path in paths:
                text_, meta = read_article(path)
                try:
                    import_article(session, text_, meta)
                    session.commit()
                except Exception:  # noqa: BLE001 - the refused article, as the command does
                    session.rollback()
        apart = stored_state(engine, highest)

    errors = [outcome.error for outcome in outcomes]
    assert errors[0] is None and errors[2:] == [None, None]
    assert errors[1] is not None and errors[1].startswith(f"{paths[1]}: ") and REFUSED in errors[1]
    assert together == apart
    assert "refused" not in titles and len(titles) == 3
    assert "corroborates" in roles
    if backend == "postgresql":  # the last statements and the commits were sent unwaited
        assert sent.count("COMMIT") == 4 and "INSERT" in sent
        # the new pledges and their reports too, their ids taken before
        assert {"pledge", "report", "audit_event"} <= set(tables)
    else:  # the log checkpointed less often while the files were imported, then as before
        assert sent == []
        assert f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}" in pragmas
        assert checkpoints == 1000


def test_statements_sent_are_waited_for_before_a_read(session: Session) -> None:
    """A statement SQLAlchemy sends on the connection waits for those sent before it, and
    reads what they wrote."""
    if not deferred_writes.DeferredWrites.supported(session):
        assert session.get_bind().dialect.name == "sqlite"
        return
    writes = deferred_writes.DeferredWrites(session)
    session.execute(text("CREATE TEMPORARY TABLE sent_rows (n integer)"))
    with deferred_writes.waited_before_reads(session.get_bind(), writes):
        writes.send("INSERT INTO sent_rows VALUES (%(n)s)", {"n": 1})
        writes.send("INSERT INTO sent_rows VALUES (%(n)s)", {"n": 2})
        assert writes.pending
        assert session.execute(text("SELECT sum(n) FROM sent_rows")).scalar_one() == 3
        assert not writes.pending


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_article_whose_pledges_are_refused_is_rolled_back_alone(
    backend: str, tmp_path: Path
) -> None:
    """The pledges' INSERT sent without waiting (PostgreSQL) and refused by the database:
    the article is rolled back whole, the others stored as when imported one by one, and
    the ids taken for the refused one are not reused (as an INSERT that failed)."""
    if backend == "postgresql":
        pytest.importorskip("psycopg")
        import os

        if not os.environ.get("TRACKER_TEST_POSTGRES_URL"):
            pytest.skip("TRACKER_TEST_POSTGRES_URL is not set")
    paths = articles(tmp_path)
    states = []
    for name in ("together", "apart"):
        with seeded_database(backend, tmp_path, f"pledges_{name}") as engine:
            with engine.begin() as connection:
                connection.exec_driver_sql(
                    "DROP TRIGGER refuse_title"
                    + (" ON audit_event" if backend == "postgresql" else "")
                )
                for statement in PLEDGE_TRIGGERS[backend]:
                    connection.exec_driver_sql(statement)
            with Session(engine) as session:
                highest = _highest_ids(session)
            errors: list[str | None] = []
            with Session(engine) as session:
                if name == "together":
                    errors = [o.error for o in import_article_files(session, paths, workers=0)]
                else:
                    for path in paths:
                        text_, meta = read_article(path)
                        try:
                            import_article(session, text_, meta)
                            session.commit()
                            errors.append(None)
                        except Exception as error:  # noqa: BLE001 - as the command does
                            session.rollback()
                            errors.append(str(error))
            states.append(stored_state(engine, highest))
            with Session(engine) as session:
                titles = session.scalars(select(Source.title).order_by(Source.id)).all()
            assert [error is None for error in errors] == [True, False, True, True]
            assert REFUSED in (errors[1] or "")
            assert "refused" not in titles and len(titles) == 3
    together, apart = states
    if backend == "sqlite":
        assert together == apart
        return
    # PostgreSQL: the report ids taken for the refused article are skipped, as a sequence
    # skips the numbers of any INSERT that failed; the rest is stored as one by one
    assert {name: rows for name, rows in together.items() if name not in REPORT_IDS} == {
        name: rows for name, rows in apart.items() if name not in REPORT_IDS
    }
    for name in REPORT_IDS:
        assert len(together[name]) == len(apart[name])
    assert [_without_report(r) for r in together["report"]] == [
        _without_report(r) for r in apart["report"]
    ]


# The tables whose rows hold the ids of reports (the reports', the audit events')
REPORT_IDS = ("report", "audit_event")


def _without_report(row: dict[str, Any]) -> dict[str, Any]:
    """A report's row less its own id."""
    return {key: value for key, value in row.items() if key != "id"}
