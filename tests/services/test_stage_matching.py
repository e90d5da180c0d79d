"""One delivery, many reports: a stage figure told again corroborates, a cumulative one tops
up, an increment adds; splitting a corroboration counts it, and undoing the split takes it
back, each audited, the rollup always equal to a rebuild."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tests.importers.test_matching import rollup_equals_rebuild
from tracker.models import AuditEvent, Pledge, Report, Source
from tracker.services.duplicates import split_report
from tracker.services.matching import MATCH_DAYS
from tracker.services.pledges import PledgeError, PledgeInput, create_pledge
from tracker.services.reports import StageError, StageFigure, record_stage
from tracker.services.stage_matching import record_stage_report, undo_stage_split
from tracker.services.totals import totals

JULY = date(2025, 7, 10)
SERIAL = itertools.count(1)
SEPTEMBER = date(2025, 9, 2)


def missiles(session: Session) -> Pledge:
    """A reviewed promise of 5,000 air defence missiles by the UK."""
    data = PledgeInput(
        donor_id=donor_named(session, "United Kingdom").id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, "air defence missiles").id,
        quantity=5000, unit="missile", qualifier="at_least", announced=JULY, reviewed=True,
    )  # fmt: skip
    return create_pledge(session, data)


def euros(session: Session) -> Pledge:
    """A reviewed promise of €18bn of budget support by the EU."""
    data = PledgeInput(
        donor_id=donor_named(session, "European Union").id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id,
        amount="18000000000", currency="EUR", announced=JULY, reviewed=True,
    )  # fmt: skip
    return create_pledge(session, data)


def article(session: Session) -> Source:
    """Another outlet's article."""
    return make_source(session, kind="article", sha256=f"{next(SERIAL):064x}")


def deliver(
    session: Session,
    pledge: Pledge,
    source: Source | None,
    quantity: int | None = None,
    *,
    amount: str | None = None,
    day: date = SEPTEMBER,
    wording: str = "plain",
    stage: str = "delivered",
) -> Report:
    """Record a source's stage report on the pledge, told with `wording`."""
    figure = StageFigure(
        stage=stage, quantity=quantity, amount=amount, currency="EUR" if amount else None,
        reported_on=day, source_id=source.id if source is not None else None,
    )  # fmt: skip
    report = record_stage_report(session, pledge.id, figure, wording=wording)
    session.flush()
    session.refresh(pledge)
    return report


def test_two_outlets_on_the_same_delivery_count_it_once_with_two_reports(
    session: Session,
) -> None:
    pledge = missiles(session)
    first = deliver(session, pledge, article(session), 1000)
    second = deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(days=1))
    assert pledge.delivered_quantity == Decimal(1000)
    assert (first.role, second.role) == ("delivers", "corroborates")
    assert second.corroborates_id == first.id and second.quantity == Decimal(1000)
    assert second.review_flag is not None and f"report #{first.id}" in second.review_flag
    by_item = {row.key: row for row in totals(session, "item")}
    assert by_item["air defence missiles"].delivered_quantity == Decimal(1000)
    rollup_equals_rebuild(session)


def test_an_allocation_in_two_outlets_counts_once_within_half_a_percent(
    session: Session,
) -> None:
    pledge = euros(session)
    deliver(session, pledge, article(session), amount="1500000000", stage="allocated")
    again = deliver(session, pledge, article(session), amount="1505000000", stage="allocated")
    assert pledge.allocated_amount == Decimal(1500000000)
    assert again.role == "corroborates" and again.amount == Decimal(1505000000)
    other = deliver(session, pledge, article(session), amount="1600000000", stage="allocated")
    assert other.role == "allocates"
    assert pledge.allocated_amount == Decimal(3100000000)
    rollup_equals_rebuild(session)


def test_a_delivery_typed_by_an_analyst_and_then_reported_counts_once(session: Session) -> None:
    pledge = missiles(session)
    typed = record_stage(
        session, pledge.id, StageFigure("delivered", quantity=1000, reported_on=SEPTEMBER)
    )
    reported = deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(3))
    assert reported.corroborates_id == typed.id
    assert pledge.delivered_quantity == Decimal(1000)


def test_the_same_figure_is_added_again_when_the_rules_say_it_is_another_delivery(
    session: Session,
) -> None:
    pledge = missiles(session)
    source = article(session)
    deliver(session, pledge, source, 1000)
    # the same source, a day out of the window, an increment: each a delivery of its own
    deliver(session, pledge, source, 1000)
    deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(MATCH_DAYS + 1))
    deliver(session, pledge, article(session), 1000, wording="increment")
    assert pledge.delivered_quantity == Decimal(4000)
    assert {r.role for r in pledge.reports} == {"announces", "delivers"}


def test_another_1000_a_week_later_makes_2000(session: Session) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000, wording="cumulative")
    deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(1))
    deliver(
        session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(7), wording="increment"
    )
    assert pledge.delivered_quantity == Decimal(2000)
    rollup_equals_rebuild(session)


def test_a_cumulative_figure_sets_the_stage_figure_by_recording_the_difference(
    session: Session,
) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    so_far = deliver(session, pledge, article(session), 3000, wording="cumulative")
    assert pledge.delivered_quantity == Decimal(3000)
    assert so_far.role == "delivers" and so_far.quantity == Decimal(2000)
    assert so_far.note is not None and "3,000" in so_far.note and "1,000" in so_far.note
    equal = deliver(session, pledge, article(session), 3000, wording="cumulative")
    assert equal.role == "corroborates" and equal.corroborates_id == so_far.id
    smaller = deliver(session, pledge, article(session), 2500, wording="cumulative")
    assert smaller.role == "corroborates" and smaller.review_flag is not None
    assert "less than" in smaller.review_flag
    assert pledge.delivered_quantity == Decimal(3000)
    rollup_equals_rebuild(session)


def test_a_repeated_figure_in_another_unit_is_refused_with_nothing_written(
    session: Session,
) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    reports = len(pledge.reports)
    figure = StageFigure("delivered", quantity=1000, unit="launcher", reported_on=SEPTEMBER)
    with pytest.raises(StageError, match="launcher"):
        record_stage_report(session, pledge.id, figure)
    with pytest.raises(StageError, match="wording"):
        record_stage_report(session, pledge.id, StageFigure("delivered", 5), wording="twice")
    session.refresh(pledge)
    assert len(pledge.reports) == reports


def test_a_split_counts_the_corroboration_and_its_undo_takes_it_back_audited(
    session: Session,
) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    repeat = deliver(session, pledge, article(session), 1000)
    with pytest.raises(PledgeError, match="was not split"):
        undo_stage_split(session, repeat.id)

    assert split_report(session, repeat.id).id == pledge.id
    session.refresh(pledge)
    assert repeat.role == "delivers" and pledge.delivered_quantity == Decimal(2000)
    assert repeat.corroborates_id is not None
    rollup_equals_rebuild(session)

    undo_stage_split(session, repeat.id)
    session.refresh(pledge)
    assert repeat.role == "corroborates" and pledge.delivered_quantity == Decimal(1000)
    rollup_equals_rebuild(session)
    notes = session.scalars(
        select(AuditEvent.note).where(
            AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id,
            AuditEvent.action == "split",
        )
    ).all()  # fmt: skip
    assert len(notes) == 2
    assert "split off" in (notes[0] or "") and "again" in (notes[1] or "")


def test_a_report_repeating_a_split_undone_is_split_as_the_delivery_behind_it(
    session: Session,
) -> None:
    pledge = missiles(session)
    first = deliver(session, pledge, article(session), 1000)
    second = deliver(session, pledge, article(session), 1000)
    split_report(session, second.id)
    third = deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(1))
    assert third.corroborates_id == second.id  # the nearest, newest delivery
    undo_stage_split(session, second.id)
    split_report(session, third.id)
    session.refresh(pledge)
    assert third.role == "delivers" and pledge.delivered_quantity == Decimal(2000)
    assert [r.role for r in (first, second)] == ["delivers", "corroborates"]


def expected_delivered(events: list[tuple[int, int, int, str]]) -> tuple[int, int]:
    """The delivered figure and the number of corroborating reports the rules give for
    `events` (quantity, day, source, wording), recorded in order on one pledge."""
    added: list[tuple[int, int, int]] = []  # (quantity, day, source) of delivering reports
    corroborating = 0
    for quantity, day, source, wording in events:
        current = sum(q for q, _d, _s in added)
        if wording == "increment":
            added.append((quantity, day, source))
        elif wording == "cumulative":
            if quantity > current:
                added.append((quantity - current, day, source))
            else:
                corroborating += 1
        elif any(q == quantity and s != source and abs(d - day) <= MATCH_DAYS for q, d, s in added):
            corroborating += 1
        else:
            added.append((quantity, day, source))
    return sum(q for q, _d, _s in added), corroborating


EVENTS = st.lists(
    st.tuples(
        st.sampled_from([500, 1000, 2000, 3000]),
        st.integers(0, 40),
        st.integers(0, 2),
        st.sampled_from(["plain", "increment", "cumulative"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=EVENTS)
def test_delivered_is_what_the_rules_say_and_the_rollup_equals_a_rebuild(
    session: Session, events: list[tuple[int, int, int, str]]
) -> None:
    savepoint = session.begin_nested()
    try:
        pledge = missiles(session)
        sources = [article(session) for _ in range(3)]
        for quantity, day, source, wording in events:
            deliver(
                session, pledge, sources[source], quantity,
                day=SEPTEMBER + timedelta(days=day), wording=wording,
            )  # fmt: skip
        delivered, corroborating = expected_delivered(events)
        assert pledge.delivered_quantity == Decimal(delivered)
        roles = [r.role for r in pledge.reports]
        assert roles.count("corroborates") == corroborating
        assert roles.count("delivers") + corroborating == len(events)
        assert all(
            r.corroborates_id is not None for r in pledge.reports if r.role == "corroborates"
        )
        rollup_equals_rebuild(session)
    finally:
        savepoint.rollback()
