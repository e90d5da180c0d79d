"""Nothing counted twice: the same table (same file, same mapping) or the same article
text imported a second time adds no pledge, no report, no audit event and no money,
whatever its rows or sentences did the first time (new pledges, reports of stored pledges,
updates, deliveries). The same page read again from its URL with its text changed is a
new version of the article: its sentences stated before add nothing either (an audit
event and the new version's source are all it writes); tests/importers/test_versions.py
has the versions that state something new."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.importers.test_matching import (
    MATCHING_MAPPING,
    RETOLD,
    SEED,
    give,
    import_file,
    rollup_equals_rebuild,
    uk_missiles,
)
from tracker.importers.article import ArticleImportResult, import_article, read_article
from tracker.importers.mapping import Mapping
from tracker.importers.table import ImportResult, import_table
from tracker.models import AuditEvent, Package, Pledge, Report
from tracker.services.totals import grand_total, totals

ROOT = Path(__file__).resolve().parents[2]
RAISED = ROOT / "tests" / "data" / "seed-raised" / "article.txt"
DELIVERY = (
    "London, 2 September. Britain has delivered the first 1,000 of the more than 5,000 "
    "air defence missiles it promised in July, the defence ministry said on Tuesday."
)


def state(session: Session, *, audit: bool = True) -> tuple[Any, ...]:
    """What an import may add to: every report, the counts of pledges, packages and (unless
    not `audit`) audit events, and the totals."""
    session.flush()
    reports = session.execute(
        select(
            Report.id, Report.pledge_id, Report.role, Report.source_id, Report.source_ref,
            Report.quantity, Report.amount,
        ).order_by(Report.id)
    ).all()  # fmt: skip
    counts = [
        session.scalar(select(func.count()).select_from(model))
        for model in (Pledge, Package, AuditEvent)[: 3 if audit else 2]
    ]
    by = [totals(session, name) for name in ("donor", "kind", "stage", "item")]
    return [tuple(row) for row in reports], counts, grand_total(session), by


def uk_aid(rows: list[tuple[int, str]]) -> bytes:
    """A table of UK aid in pounds, one row per (amount, ISO day), for MATCHING_MAPPING."""
    lines = "".join(f"Britain,aid,{amount},GBP,{day}\n" for amount, day in rows)
    return ("giver,what,amount,currency,day\n" + lines).encode()


def matched(session: Session, table: bytes) -> ImportResult:
    """Import the table with matching on."""
    mapping = Mapping.loads(MATCHING_MAPPING, "m.yaml")
    result = import_table(session, table, "t.csv", mapping=mapping)
    session.flush()
    return result


def test_a_matched_table_imported_twice_adds_no_report_audit_event_or_money(
    session: Session,
) -> None:
    first = give(session, "283000000")  # UK aid, 2025-07-10
    # the same promise (a report of it); another number (a possible duplicate); a new one
    table = uk_aid(
        [(283_000_000, "2025-07-12"), (50_000_000, "2025-07-11"), (7_000_000, "2024-01-01")]
    )
    once = matched(session, table)
    assert (once.created, once.corroborated, once.possible_duplicates) == (2, 1, 1)
    report = session.scalars(
        select(Report).where(Report.pledge_id == first.id, Report.role == "corroborates")
    ).one()
    assert (report.source_id, report.source_ref) == (once.source_id, "2")
    after_once = state(session)

    again = matched(session, table)

    assert state(session) == after_once
    assert again.source_id == once.source_id
    assert (again.created, again.corroborated, again.possible_duplicates) == (0, 0, 0)
    assert (again.skipped, again.already_reported) == (3, 1)
    assert "3 already imported (1 of them as reports of earlier pledges)" in again.summary()
    rollup_equals_rebuild(session)


def test_a_dry_run_of_a_matched_table_imported_before_says_what_is_recorded(
    session: Session,
) -> None:
    give(session, "283000000")
    table = uk_aid([(283_000_000, "2025-07-12")])
    matched(session, table)
    recorded = state(session)
    mapping = Mapping.loads(MATCHING_MAPPING, "m.yaml")
    dry = import_table(session, table, "t.csv", mapping=mapping, dry_run=True)
    assert (dry.created, dry.skipped, dry.already_reported) == (0, 1, 1)
    assert state(session) == recorded


AMOUNTS = (283_000_000, 50_000_000, 7_000_000, 12_500_000)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stored=st.lists(st.sampled_from(AMOUNTS), max_size=3),
    rows=st.lists(
        st.tuples(st.sampled_from(AMOUNTS), st.integers(-20, 20)), min_size=1, max_size=6
    ),
)
def test_any_matched_table_imported_twice_counts_nothing_twice(
    session: Session, stored: list[int], rows: list[tuple[int, int]]
) -> None:
    """Generated tables of UK aid (some rows repeating stored pledges, some twice, some far
    in time): the second import leaves every report, count, audit event and total as the
    first left them, and says every row was recorded, as a pledge or as a report."""
    savepoint = session.begin_nested()
    try:
        for amount in stored:
            give(session, str(amount))
        day = date(2025, 7, 10)
        table = uk_aid(
            [(amount, (day + timedelta(days=shift)).isoformat()) for amount, shift in rows]
        )
        once = matched(session, table)
        after_once = state(session)
        again = matched(session, table)
        assert state(session) == after_once
        assert again.skipped == len(rows) and again.already_reported == once.corroborated
        assert (again.created, again.corroborated) == (0, 0)
    finally:
        savepoint.rollback()


def article(session: Session, text: str, path: Path) -> ArticleImportResult:
    """Import `text` with the metadata of the article file at `path`."""
    _text, meta = read_article(path)
    result = import_article(session, text, meta)
    session.flush()
    return result


def repeated_version(session: Session, text: str, path: Path, recorded: Any) -> None:
    """Import `text`, a new version of the article at `path` that states nothing new:
    a new source and its audit event, and nothing else (compared with `recorded`, the
    `state` without audit events)."""
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    again = article(session, text, path)
    assert not again.already_imported and again.updates is not None
    assert again.source is not None and again.source.id != again.updates.id
    assert again.new_statements == 0 and again.already_recorded > 0
    assert (again.pledges, again.reports, again.requests) == ([], [], [])
    assert state(session, audit=False) == recorded
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1


def test_an_article_imported_again_or_read_again_from_its_url_adds_nothing(
    session: Session,
) -> None:
    text, _meta = read_article(SEED)
    first = article(session, text, SEED)
    assert first.source is not None
    recorded = state(session)
    again = article(session, text, SEED)
    assert again.already_imported and again.source is not None
    assert again.source.id == first.source.id
    assert state(session) == recorded
    updated = text + "\n\nThis story was updated on 11 July."
    repeated_version(session, updated, SEED, state(session, audit=False))
    # the new version imported again is unchanged in its turn
    recorded = state(session)
    assert article(session, updated, SEED).already_imported
    assert state(session) == recorded


def test_an_article_without_a_url_is_told_apart_by_its_text(session: Session) -> None:
    text, meta = read_article(SEED)
    import_article(session, text, replace(meta, url=None))
    again = import_article(session, text + " Updated.", replace(meta, url=None))
    assert not again.already_imported  # another text from nowhere known: another account


def test_a_corroborating_article_imported_again_adds_no_second_report(
    session: Session,
) -> None:
    import_file(session, SEED)
    text, _meta = read_article(RETOLD)
    retold = article(session, text, RETOLD)
    assert len(retold.reports) == 4 and not retold.pledges
    recorded = state(session)
    assert article(session, text, RETOLD).already_imported
    assert state(session) == recorded
    repeated_version(session, text + " (corrected)", RETOLD, state(session, audit=False))


def test_an_updating_article_imported_again_moves_nothing_twice(session: Session) -> None:
    import_file(session, SEED)
    text, _meta = read_article(RAISED)
    raised = article(session, text, RAISED)
    assert [r.role for r in raised.reports] == ["updates"]
    recorded = state(session)
    assert article(session, text, RAISED).already_imported
    assert state(session) == recorded
    repeated_version(session, text + "\n", RAISED, state(session, audit=False))


def test_a_delivery_imported_again_is_not_added_to_the_delivered_figure(
    session: Session,
) -> None:
    from tracker.importers.article import ArticleMeta

    import_file(session, SEED)
    meta = ArticleMeta(published=date(2025, 9, 2), url="https://example.org/delivered")
    first = import_article(session, DELIVERY, meta)
    session.flush()
    assert first.problems == [] and [r.role for r in first.reports] == ["delivers"]
    assert uk_missiles(session).delivered_quantity == Decimal(1000)
    recorded, state_without_audit = state(session), state(session, audit=False)
    assert import_article(session, DELIVERY, meta).already_imported
    assert state(session) == recorded
    updated = import_article(session, DELIVERY + " Updated at 14:00.", meta)
    assert (updated.new_statements, updated.already_recorded) == (0, 1)
    assert state(session, audit=False) == state_without_audit
    session.expire_all()
    assert uk_missiles(session).delivered_quantity == Decimal(1000)
    rollup_equals_rebuild(session)
