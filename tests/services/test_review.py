"""Review decisions on many pledges at once, their reasons, rights and undoing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.accounts import make_user
from tests.factories import donor_named, item_named, make_source, recipient
from tests.services.test_totals import assert_rollup_is_fresh
from tracker.models import AuditEvent, Pledge, ReviewDecision, Source
from tracker.services.duplicates import mark_possible_duplicate
from tracker.services.pledges import PledgeInput, create_pledge, review_pledge, update_pledge
from tracker.services.review import (
    ReviewConflict,
    ReviewError,
    decide,
    decide_queue,
    rejection_of,
    restore_rejected,
    undo_decision,
)
from tracker.services.review_queue import ReviewFilter, queue_count
from tracker.services.totals import TotalsFilter, grand_total


def queued(session: Session, source: Source, donor: str = "Norway", **fields: object) -> Pledge:
    """An unreviewed pledge of `source`, through the pledge service."""
    values: dict[str, object] = {
        "donor_id": donor_named(session, donor).id,
        "recipient_id": recipient(session).id,
        "item_id": item_named(session, "aid").id,
        "amount": Decimal("1000000"),
        "currency": "EUR",
        "announced": date(2025, 7, 10),
        "source_id": source.id,
    }
    values.update(fields)
    return create_pledge(session, PledgeInput(**values))  # type: ignore[arg-type]


def live_eur(session: Session) -> Decimal:
    """The headline EUR total of every live pledge."""
    return grand_total(session, TotalsFilter()).eur


def test_accepting_a_whole_source_reviews_only_its_queued_pledges(session: Session) -> None:
    table, article = make_source(session, kind="dataset"), make_source(session)
    mine = [queued(session, table) for _ in range(3)]
    other = queued(session, article)
    analyst = make_user(session, "analyst")
    decision = decide_queue(
        session, ReviewFilter(source_id=table.id), accept=True, reason="curated", user=analyst
    )
    assert decision.action == "accept" and decision.reason == "curated"
    assert decision.username == analyst.username and f"source {table.id}" in decision.scope
    assert sorted(row.pledge_id for row in decision.pledges) == sorted(p.id for p in mine)
    assert all(p.reviewed for p in mine) and not other.reviewed
    assert queue_count(session, ReviewFilter(source_id=table.id)) == 0
    notes = session.scalars(
        select(AuditEvent.note).where(
            AuditEvent.entity == "pledge", AuditEvent.entity_id == mine[0].id
        )
    )
    assert f"accepted (decision {decision.id}): curated" in list(notes)
    assert_rollup_is_fresh(session)


def test_rejected_pledges_leave_the_totals_and_undo_brings_them_back(session: Session) -> None:
    source = make_source(session)
    pledges = [queued(session, source, amount=Decimal(n * 1000)) for n in (1, 2, 3)]
    before = live_eur(session)
    decision = decide(session, [pledges[0].id, pledges[2].id], accept=False, reason="duplicate")
    assert live_eur(session) == before - Decimal(4000)
    assert rejection_of(session, pledges[0].id) is decision
    assert rejection_of(session, pledges[1].id) is None
    assert_rollup_is_fresh(session)
    undo_decision(session, decision.id)
    assert live_eur(session) == before
    assert all(p.deleted_at is None and not p.reviewed for p in pledges)
    assert rejection_of(session, pledges[0].id) is None and decision.undone_at is not None
    with pytest.raises(ReviewError, match="undone already"):
        undo_decision(session, decision.id)
    assert_rollup_is_fresh(session)


def test_rejecting_a_possible_duplicate_leaves_the_totals_as_they_were(session: Session) -> None:
    """A possible duplicate counts nil while it waits on a decision: rejecting it, undoing
    the rejection and restoring it move no total (they once took it away a second time)."""
    source = make_source(session)
    first = queued(session, source, amount=Decimal(5000))
    repeat = queued(session, source, amount=Decimal(7000))
    mark_possible_duplicate(session, repeat.id, first.id)
    before = grand_total(session, TotalsFilter())
    decision = decide(session, [repeat.id], accept=False, reason="the same promise")
    assert grand_total(session, TotalsFilter()) == before
    assert_rollup_is_fresh(session)
    undo_decision(session, decision.id)
    assert repeat.deleted_at is None and repeat.duplicate_of_id == first.id
    assert grand_total(session, TotalsFilter()) == before
    assert_rollup_is_fresh(session)
    decide(session, [repeat.id], accept=False)
    restore_rejected(session, repeat.id)
    assert grand_total(session, TotalsFilter()) == before
    assert_rollup_is_fresh(session)
    decide(session, [first.id, repeat.id], accept=True)
    assert grand_total(session, TotalsFilter()) == before
    assert_rollup_is_fresh(session)


def test_undoing_an_accept_puts_the_pledges_back_in_the_queue(session: Session) -> None:
    source = make_source(session)
    pledges = [queued(session, source) for _ in range(2)]
    decision = decide(session, [p.id for p in pledges], accept=True)
    assert queue_count(session, ReviewFilter(source_id=source.id)) == 0
    undo_decision(session, decision.id)
    assert queue_count(session, ReviewFilter(source_id=source.id)) == 2


def test_undo_is_refused_when_a_pledge_changed_since(session: Session) -> None:
    source = make_source(session)
    first, second = queued(session, source), queued(session, source)
    decision = decide(session, [first.id, second.id], accept=True)
    update_pledge(session, second.id, {"notes": "checked"}, expected_version=second.version)
    with pytest.raises(ReviewConflict, match=f"pledge {second.id} changed since"):
        undo_decision(session, decision.id)
    assert first.reviewed and second.reviewed and decision.undone_at is None


def test_a_decision_on_a_stale_or_missing_or_decided_pledge_changes_nothing(
    session: Session,
) -> None:
    source = make_source(session)
    fresh, other = queued(session, source), queued(session, source)
    with pytest.raises(ReviewConflict, match="changed since you saw it"):
        decide(session, [fresh.id, other.id], accept=True, expected_versions={other.id: 7})
    with pytest.raises(ReviewError, match="there is no pledge 99999999"):
        decide(session, [fresh.id, 99999999], accept=True)
    decide(session, [other.id], accept=False)
    with pytest.raises(ReviewError, match=f"pledge {other.id} is rejected"):
        decide(session, [fresh.id, other.id], accept=True)
    with pytest.raises(ReviewError, match="no pledges were chosen"):
        decide(session, [], accept=True)
    with pytest.raises(ReviewError, match="at most 500"):
        decide(session, [fresh.id], accept=True, reason="x" * 501)
    assert not fresh.reviewed
    assert session.scalar(select(func.count()).select_from(ReviewDecision)) == 1


def test_the_whole_queue_needs_a_filter(session: Session) -> None:
    with pytest.raises(ReviewError, match="choose a source"):
        decide_queue(session, ReviewFilter(), accept=False)
    with pytest.raises(ReviewError, match="no queued pledge"):
        decide_queue(session, ReviewFilter(kind="humanitarian", flagged=True), accept=True)


def test_rejecting_a_reviewed_pledge_takes_an_admin(session: Session) -> None:
    source = make_source(session)
    pledge = queued(session, source, reviewed=True)
    analyst, admin = make_user(session, "analyst"), make_user(session, "admin")
    with pytest.raises(ReviewError, match="only an admin") as refused:
        decide(session, [pledge.id], accept=False, user=analyst)
    assert refused.value.forbidden
    with pytest.raises(ReviewError, match="only an admin"):
        review_pledge(session, pledge.id, accept=False, expected_version=1, user=analyst)
    assert pledge.deleted_at is None
    decision = decide(session, [pledge.id], accept=False, user=admin)
    with pytest.raises(ReviewError, match="only an admin may undo"):
        undo_decision(session, decision.id, user=analyst)
    undo_decision(session, decision.id, user=admin)
    assert pledge.deleted_at is None and pledge.reviewed


def test_a_rejected_pledge_is_restored_alone(session: Session) -> None:
    source = make_source(session)
    first, second = queued(session, source), queued(session, source)
    decide(session, [first.id, second.id], accept=False, reason="not a pledge")
    restore_rejected(session, first.id)
    assert first.deleted_at is None and second.deleted_at is not None
    with pytest.raises(ReviewError, match="is not rejected"):
        restore_rejected(session, first.id)
    assert_rollup_is_fresh(session)


def test_the_filter_narrows_by_donor_kind_and_flag(session: Session) -> None:
    source = make_source(session)
    queued(session, source, donor="Norway")
    queued(session, source, donor="Germany", notes="x")
    flagged = queued(session, source, donor="Germany")
    session.execute(
        Pledge.__table__.update()
        .where(Pledge.id == flagged.id)
        .values(review_flag="stated conversion differs")
    )
    germany = donor_named(session, "Germany").id
    assert queue_count(session, ReviewFilter(source_id=source.id, donor_id=germany)) == 2
    assert queue_count(session, ReviewFilter(source_id=source.id, flagged=True)) == 1
    assert queue_count(session, ReviewFilter(source_id=source.id, flagged=False)) == 2
    assert queue_count(session, ReviewFilter(source_id=source.id, kind="military")) == 0
    assert "donor Germany, flagged" in ReviewFilter(donor_id=germany, flagged=True).describe(
        session
    )


@settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sets(st.integers(0, 4), min_size=1), st.booleans()), min_size=1, max_size=4
    )
)
def test_any_decisions_undone_newest_first_leave_everything_as_before(
    session: Session, steps: list[tuple[set[int], bool]]
) -> None:
    source = make_source(session)
    pledges = [queued(session, source, amount=Decimal(1000 + n)) for n in range(5)]
    start = [(p.reviewed, p.deleted_at) for p in pledges]
    total = live_eur(session)
    made = []
    for chosen, accept in steps:
        open_ids = [pledges[i].id for i in chosen if pledges[i].deleted_at is None]
        open_ids = [i for i in open_ids if not (accept and session.get(Pledge, i).reviewed)]  # type: ignore[union-attr]
        if open_ids:
            made.append(decide(session, open_ids, accept=accept))
    for decision in reversed(made):
        undo_decision(session, decision.id)
    assert [(p.reviewed, p.deleted_at) for p in pledges] == start
    assert live_eur(session) == total
    assert_rollup_is_fresh(session)
