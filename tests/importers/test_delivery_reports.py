"""One delivery, many reports, read from articles: two outlets on the same delivery count it
once, "another 1,000" adds, "3,000 so far" sets the figure; the same article or table row
imported again adds no stage figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.importers.test_matching import (
    SEED,
    give,
    import_file,
    rollup_equals_rebuild,
    uk_missiles,
)
from tracker.importers.article import ArticleMeta, import_article
from tracker.importers.mapping import Mapping
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge, Report
from tracker.services.totals import totals

PROMISE = "of the more than 5,000 air defence missiles it promised in July"


def report_of(session: Session, text: str, day: date, url: str) -> list[Report]:
    """Import one outlet's article (published on `day`, read from `url`); its reports."""
    result = import_article(session, text, ArticleMeta(published=day, url=url))
    session.flush()
    assert result.problems == [] and result.pledges == []
    return result.reports


def stage_roles(pledge: Pledge) -> list[str]:
    """The roles of a pledge's reports other than its announcement, oldest first."""
    return [r.role for r in sorted(pledge.reports, key=lambda r: r.id) if r.role != "announces"]


def test_two_outlets_on_the_same_delivery_count_1000_once_with_two_reports(
    session: Session,
) -> None:
    import_file(session, SEED)
    (first,) = report_of(
        session, f"London, 2 September. Britain has delivered the first 1,000 {PROMISE}.",
        date(2025, 9, 2), "https://example.org/one",
    )  # fmt: skip
    (second,) = report_of(
        session,
        f"Britain has handed over the first 1,000 {PROMISE}, officials told reporters.",
        date(2025, 9, 3), "https://example.net/two",
    )  # fmt: skip
    pledge = uk_missiles(session)
    assert pledge.delivered_quantity == Decimal(1000)
    assert stage_roles(pledge) == ["delivers", "corroborates"]
    assert second.corroborates_id == first.id and second.evidence_id is not None
    by_item = {row.key: row for row in totals(session, "item")}
    assert by_item["air defence missiles"].delivered_quantity == Decimal(1000)
    rollup_equals_rebuild(session)


def test_another_1000_a_week_later_makes_2000_and_3000_so_far_makes_3000(
    session: Session,
) -> None:
    import_file(session, SEED)
    report_of(
        session, f"Britain has delivered the first 1,000 {PROMISE}.", date(2025, 9, 2),
        "https://example.org/first",
    )  # fmt: skip
    (another,) = report_of(
        session, f"Britain has delivered another 1,000 {PROMISE}.", date(2025, 9, 9),
        "https://example.org/another",
    )  # fmt: skip
    assert another.role == "delivers"
    assert uk_missiles(session).delivered_quantity == Decimal(2000)
    (so_far,) = report_of(
        session, f"Britain has delivered 3,000 {PROMISE} so far.", date(2025, 9, 20),
        "https://example.org/so-far",
    )  # fmt: skip
    pledge = uk_missiles(session)
    assert pledge.delivered_quantity == Decimal(3000)
    assert (so_far.role, so_far.quantity) == ("delivers", Decimal(1000))
    assert so_far.note is not None and "3,000" in so_far.note
    rollup_equals_rebuild(session)


def test_a_running_total_with_no_word_of_the_promise_sets_the_figure_not_a_pledge(
    session: Session,
) -> None:
    """A running total that names no promise ("To date, Britain has delivered 3,000 ...") is
    the July pledge's delivered figure to date (3,000 after 1,000), never a second pledge."""
    import_file(session, SEED)
    report_of(
        session, f"Britain has delivered the first 1,000 {PROMISE}.", date(2025, 9, 2),
        "https://example.org/first",
    )  # fmt: skip
    (to_date,) = report_of(
        session, "To date, Britain has delivered 3,000 air defence missiles to Ukraine.",
        date(2025, 9, 20), "https://example.org/to-date",
    )  # fmt: skip
    pledge = uk_missiles(session)
    assert pledge.delivered_quantity == Decimal(3000)
    assert (to_date.role, to_date.quantity) == ("delivers", Decimal(2000))
    rollup_equals_rebuild(session)


def test_one_article_telling_one_delivery_twice_counts_it_once(session: Session) -> None:
    """The lead and a later paragraph (dated apart by the extractor) give 1,000 once; the
    second is a corroborating report with its own evidence."""
    import_file(session, SEED)
    lead, again = report_of(
        session,
        f"London, 2 September. Britain has delivered 1,000 {PROMISE}. The missiles arrived "
        f"in Kyiv last week. Officials confirmed that Britain has delivered 1,000 {PROMISE}.",
        date(2025, 9, 2), "https://example.org/twice",
    )  # fmt: skip
    pledge = uk_missiles(session)
    assert pledge.delivered_quantity == Decimal(1000)
    assert stage_roles(pledge) == ["delivers", "corroborates"]
    assert again.corroborates_id == lead.id and again.evidence_id != lead.evidence_id
    by_item = {row.key: row for row in totals(session, "item")}
    assert by_item["air defence missiles"].delivered_quantity == Decimal(1000)
    rollup_equals_rebuild(session)


def test_the_same_article_read_again_from_its_url_adds_no_stage_figure(
    session: Session,
) -> None:
    import_file(session, SEED)
    text = f"Britain has delivered 1,000 {PROMISE}."
    meta = ArticleMeta(published=date(2025, 9, 2), url="https://example.org/same")
    for again in (text, text + " Updated."):
        import_article(session, again, meta)
        session.flush()
    assert uk_missiles(session).delivered_quantity == Decimal(1000)
    assert stage_roles(uk_missiles(session)) == ["delivers"]


ALLOCATIONS = b"""
columns: {giver: donor, what: item, amount: amount, currency: currency, day: announced,
          given: allocated_amount}
match: true
"""


def test_the_same_table_rows_imported_again_add_no_allocation(session: Session) -> None:
    table = (
        b"giver,what,amount,currency,day,given\n"
        b"Britain,aid,283000000,GBP,2025-07-10,100000000\n"
        b"Norway,aid,50000000,EUR,2025-07-11,20000000\n"
    )
    mapping = Mapping.loads(ALLOCATIONS, "m.yaml")
    import_table(session, table, "t.csv", mapping=mapping)
    session.flush()
    allocated = {row.key: row.allocated_eur for row in totals(session, "donor")}
    reports = session.scalars(select(Report.id).order_by(Report.id)).all()
    again = import_table(session, table, "t.csv", mapping=mapping)
    session.flush()
    assert again.skipped == 2
    assert {row.key: row.allocated_eur for row in totals(session, "donor")} == allocated
    assert session.scalars(select(Report.id).order_by(Report.id)).all() == reports
    rollup_equals_rebuild(session)


def test_two_outlets_on_the_first_tranche_count_it_once(session: Session) -> None:
    """ "disbursed the first €1.5bn tranche of the €18bn" from two outlets: delivered once."""
    texts = (
        ("The European Union has pledged €18bn in loans to Ukraine for 2025.", 1),
        ("The European Commission has disbursed the first €1.5bn tranche of the €18bn loan.", 8),
        ("Brussels has disbursed the first €1.5bn tranche of the €18bn loan, officials said.", 9),
    )
    for text, day in texts:
        meta = ArticleMeta(published=date(2025, 7, day), url=f"https://example.org/{day}")
        assert import_article(session, text, meta).problems == []
        session.flush()
    repeat = session.scalars(select(Report).where(Report.corroborates_id.is_not(None))).one()
    assert repeat.role == "corroborates" and repeat.amount == Decimal(1500000000)
    tranche = session.get_one(Pledge, repeat.pledge_id)
    assert tranche.delivered_amount == Decimal(1500000000)
    rollup_equals_rebuild(session)


MATCHED_STAGES = b"""
columns: {giver: donor, what: item, amount: amount, currency: currency, day: announced,
          set: allocated_amount, given: delivered_amount, count: delivered_quantity}
match: true
"""


def test_a_matched_table_row_records_its_stage_figures_on_the_stored_pledge_once(
    session: Session,
) -> None:
    """A row that repeats a stored pledge (`match: true`) brings its allocated figure to it
    by the stage rules: read as the figure so far, it adds what is not yet recorded; the same
    file again adds nothing, and a later table stating more adds the difference."""
    promise = give(session, "283000000")  # UK aid, 2025-07-10
    mapping = Mapping.loads(MATCHED_STAGES, "m.yaml")
    header = b"giver,what,amount,currency,day,set,given,count\n"
    table = header + b"Britain,aid,283000000,GBP,2025-07-12,100000000,,\n"
    result = import_table(session, table, "t.csv", mapping=mapping)
    session.flush()
    assert (result.created, result.corroborated) == (0, 1)
    session.refresh(promise)
    assert promise.allocated_amount == Decimal(100000000) and promise.stage == "allocated"
    assert sorted(r.role for r in promise.reports) == ["allocates", "announces", "corroborates"]
    allocated = {row.key: row.allocated_eur for row in totals(session, "donor")}
    assert allocated["United Kingdom"] == promise.allocated_eur
    rollup_equals_rebuild(session)

    again = import_table(session, table, "t.csv", mapping=mapping)
    session.flush()
    assert (again.skipped, again.already_reported) == (1, 1)
    session.refresh(promise)
    assert promise.allocated_amount == Decimal(100000000) and len(promise.reports) == 3

    later = header + b"Britain,aid,283000000,GBP,2025-07-12,150000000,,\n"
    import_table(session, later, "later.csv", mapping=mapping)
    session.flush()
    session.refresh(promise)
    assert promise.allocated_amount == Decimal(150000000)
    topped = max(promise.reports, key=lambda r: r.id if r.role == "allocates" else 0)
    assert topped.amount == Decimal(50000000) and topped.note is not None
    same = header + b"Britain,aid,283000000,GBP,2025-07-13,150000000,,\n"
    import_table(session, same, "same.csv", mapping=mapping)
    session.flush()
    session.refresh(promise)
    assert promise.allocated_amount == Decimal(150000000)
    assert [r.role for r in promise.reports].count("allocates") == 2
    rollup_equals_rebuild(session)


def test_a_matched_row_stage_figure_the_pledge_cannot_take_is_flagged_not_recorded(
    session: Session,
) -> None:
    """The row repeats the pledge in euros (the same EUR value): its delivery in euros cannot
    join a promise in pounds. A count delivered beside a row's promise of money only is
    refused with its column before anything is written, matched or not (the row's own
    promise is of money)."""
    promise = give(session, "283000000")  # €328,039,874.81
    mapping = Mapping.loads(MATCHED_STAGES, "m.yaml")
    counted = (
        b"giver,what,amount,currency,day,set,given,count\n"
        b"Britain,aid,283000000,GBP,2025-07-12,,,12\n"
    )
    with pytest.raises(TableImportError) as refused:
        import_table(session, counted, "t.csv", mapping=mapping)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "count")]
    table = (
        b"giver,what,amount,currency,day,set,given,count\n"
        b"Britain,aid,328039875,EUR,2025-07-12,,20000000,\n"
    )
    import_table(session, table, "t.csv", mapping=mapping)
    session.flush()
    session.refresh(promise)
    assert promise.delivered_amount is None and promise.delivered_quantity is None
    (report,) = [r for r in promise.reports if r.role == "corroborates"]
    assert report.review_flag is not None and "is in GBP" in report.review_flag
    assert "delivered figure not recorded" in report.review_flag
    rollup_equals_rebuild(session)


TABLES = st.lists(
    st.tuples(st.sampled_from([50, 100, 150]), st.integers(0, 4)), min_size=1, max_size=5
)


@settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tables=TABLES)
def test_matched_rows_allocate_the_largest_figure_any_table_states(
    session: Session, tables: list[tuple[int, int]]
) -> None:
    """Tables (millions allocated, days after the promise) whose row repeats one stored
    pledge, some of them the same file again: the pledge's allocated figure is the largest
    any states, whatever their order, and the rollup equals a rebuild."""
    savepoint = session.begin_nested()
    try:
        promise = give(session, "283000000")
        mapping = Mapping.loads(MATCHED_STAGES, "m.yaml")
        for millions, day in tables:
            table = (
                b"giver,what,amount,currency,day,set,given,count\n"
                + f"Britain,aid,283000000,GBP,2025-07-{10 + day},{millions}000000,,\n".encode()
            )
            import_table(session, table, f"{millions}-{day}.csv", mapping=mapping)
            session.flush()
        session.refresh(promise)
        assert promise.allocated_amount == Decimal(max(m for m, _d in tables) * 1000000)
        assert all(r.review_flag is None for r in promise.reports if r.role == "allocates")
        rollup_equals_rebuild(session)
    finally:
        savepoint.rollback()
