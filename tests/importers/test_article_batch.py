"""An article's pledges written together leave the database as writing them one by one did.

The reference below is the import's earlier loop: each stated pledge matched with
`find_match`, then stored with `create_pledge` or `add_corroboration`. The batched
import (`import_article`) must give the same rows — pledges, reports, evidence,
donors, audit events, sources, requests — and the same totals rollup, on
generated articles that state new pledges, repeat stored ones (corroborations and
possible duplicates) and repeat a deleted one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from bench.articles import Article, generate_articles
from tracker.db import Base
from tracker.extract.models import Extraction
from tracker.importers import article as article_import
from tracker.importers.article import ArticleImportResult, ArticleMeta, import_article
from tracker.importers.stage_reports import stated_pledge
from tracker.models import Pledge
from tracker.models.source import Source
from tracker.services.matching import find_match
from tracker.services.pledges import create_pledge, delete_pledge
from tracker.services.reports import add_corroboration

# Rows compared, with the tables their id columns refer to (ids are compared as offsets
# from the first id the import gave in that table: PostgreSQL does not reuse ids).
TABLES = ("donor", "donor_alias", "source", "evidence", "pledge", "report", "request",
          "audit_event")  # fmt: skip
REFERENCES = {
    "pledge_id": "pledge", "duplicate_of_id": "pledge", "evidence_id": "evidence",
    "source_id": "source", "donor_id": "donor", "report": "report", "pledges": "pledge",
    "reports": "report", "requests": "request",
}  # fmt: skip
TIMES = {"created_at", "updated_at", "at"}
REPORT_IN_NOTE = re.compile(r"(?<=report )(\d+)")
PLEDGE_IN_FLAG = re.compile(r"(?<=#)(\d+)")  # "corroborates #12", "possible duplicate of #12"


def store_one_by_one(
    session: Session,
    extraction: Extraction,
    source: Source,
    meta: ArticleMeta,
    evidence_for: Callable[[int, int, str], int],
    result: ArticleImportResult,
    user: Any,
    names: Any = None,
    writes: Any = None,
) -> list[int | None]:
    """The pledges of an article the way the import stored them before: one at a time,
    each looking its names up again (`names` and `writes` are left unused); returns the
    pledge each extracted pledge became or corroborates."""
    placed: list[int | None] = []
    for found in extraction.pledges:
        evidence_id = evidence_for(found.evidence_start, found.evidence_end, found.evidence)
        data = article_import._pledge_input(session, found, source, evidence_id)
        match = find_match(session, stated_pledge(session, data))
        if match.outcome == "corroborates" and match.pledge_id is not None:
            placed.append(match.pledge_id)
            result.reports.append(
                add_corroboration(
                    session, match.pledge_id, source_id=source.id, evidence_id=evidence_id,
                    reported_on=data.announced or meta.published, review_flag=match.reason,
                    user=user,
                )
            )  # fmt: skip
            continue
        if match.outcome == "possible_duplicate":
            data = replace(data, duplicate_of_id=match.pledge_id)
        elif match.pledge_id is not None:
            result.problems.append(
                f"{found.donor}: {found.evidence!r} {match.reason}; stored as a new pledge"
            )
        result.pledges.append(create_pledge(session, data, user=user))
        placed.append(result.pledges[-1].id)
    return placed


def import_all(session: Session, articles: list[Article], suffix: str = "") -> None:
    """Import each article (its text with `suffix` appended), flushing after each."""
    for index, article in enumerate(articles):
        meta = ArticleMeta(title=f"article {index}{suffix}", published=article.published)
        import_article(session, article.text + suffix, meta)
        session.flush()


def _highest_ids(session: Session) -> dict[str, int]:
    """The highest id stored in each compared table."""
    tables = Base.metadata.tables
    return {name: int(session.scalar(select(func.max(tables[name].c.id))) or 0) for name in TABLES}


def _first_new_ids(session: Session, highest: dict[str, int]) -> dict[str, int]:
    """The first id the import gave in each compared table (PostgreSQL's sequences go on
    after a rollback, so it need not be one above the highest stored before)."""
    tables = Base.metadata.tables
    return {
        name: int(
            session.scalar(select(func.min(tables[name].c.id)).where(tables[name].c.id > top))
            or top + 1
        )
        for name, top in highest.items()
    }


def _mapped(value: Any, table: str, starts: dict[str, int]) -> Any:
    """An id of `table` as an offset when the import made it; stored rows keep theirs."""
    if isinstance(value, list):
        return [_mapped(v, table, starts) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value >= starts[table]:
        return ("new", value - starts[table])
    return value


def _normalised(record: dict[str, Any], table: str, starts: dict[str, int]) -> dict[str, Any]:
    """A row (or an audit snapshot) with timestamps dropped and new ids as offsets."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in TIMES:
            continue
        if key == "id":
            value = _mapped(value, table, starts)
        elif key in REFERENCES:
            value = _mapped(value, REFERENCES[key], starts)
        elif key == "entity_id" and record.get("entity") in starts:
            value = _mapped(value, record["entity"], starts)
        elif key == "note" and isinstance(value, str):
            value = REPORT_IN_NOTE.sub(lambda m: str(_mapped(int(m[1]), "report", starts)), value)
        elif key == "review_flag" and isinstance(value, str):
            value = PLEDGE_IN_FLAG.sub(lambda m: str(_mapped(int(m[1]), "pledge", starts)), value)
        elif isinstance(value, dict):
            value = _normalised(value, record.get("entity") or table, starts)
        out[key] = value
    return out


def database_state(session: Session, highest: dict[str, int]) -> dict[str, Any]:
    """The rows the imports made, normalised, and the whole totals rollup."""
    session.flush()
    starts = _first_new_ids(session, highest)
    state: dict[str, Any] = {}
    for name in TABLES:
        table: Table = Base.metadata.tables[name]
        rows = session.execute(
            select(table).where(table.c.id >= starts[name]).order_by(table.c.id)
        ).mappings()
        state[name] = [_normalised(dict(row), name, starts) for row in rows]
    rollup = Base.metadata.tables["totals_rollup"]
    state["totals_rollup"] = sorted(
        tuple(
            _mapped(value, "donor", starts) if name == "key_id" and row["dimension"] == "donor"
            else value
            for name, value in row.items()
        )
        for row in session.execute(select(rollup)).mappings()
    )  # fmt: skip
    return state


@contextmanager
def undone(session: Session) -> Iterator[None]:
    """Run the block in a savepoint that is rolled back afterwards."""
    savepoint = session.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()
        session.expire_all()


def both_paths(
    session: Session, monkeypatch: pytest.MonkeyPatch, run: Callable[[], None]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The state `run` leaves with the batched import, then with the one-by-one one."""
    with undone(session):
        highest = _highest_ids(session)
        run()
        batched = database_state(session, highest)
    with undone(session), monkeypatch.context() as patch:
        patch.setattr(article_import, "_store_pledges", store_one_by_one)
        highest = _highest_ids(session)
        run()
        one_by_one = database_state(session, highest)
    return batched, one_by_one


@settings(
    max_examples=3,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(seed=3275, repeated=2)  # corroborations flagged "corroborates #N" on PostgreSQL
@given(seed=st.integers(0, 10_000), repeated=st.integers(1, 3))
def test_batched_article_import_writes_what_one_pledge_at_a_time_wrote(
    session: Session, monkeypatch: pytest.MonkeyPatch, seed: int, repeated: int
) -> None:
    stored = generate_articles(repeated, seed=seed)
    with undone(session):
        import_all(session, stored)  # pledges the next articles repeat
        first = session.scalars(select(Pledge).order_by(Pledge.id).limit(1)).one()
        delete_pledge(session, first.id, expected_version=first.version)
        session.flush()
        fresh = generate_articles(2, seed=seed + 1)

        def run() -> None:
            import_all(session, stored, suffix="\nAnother outlet retold the story.")
            import_all(session, fresh)

        batched, one_by_one = both_paths(session, monkeypatch, run)
    for name, rows in batched.items():
        for index, (row, expected) in enumerate(zip(rows, one_by_one[name], strict=False)):
            assert row == expected, f"{name} row {index}"
        assert len(rows) == len(one_by_one[name]), name
    assert batched["pledge"] and batched["report"]
    roles = {row["role"] for row in batched["report"]}
    assert roles >= {"announces", "corroborates"}
    notes = [row["note"] or "" for row in batched["audit_event"]]
    assert any("corroborated by report" in note for note in notes)
