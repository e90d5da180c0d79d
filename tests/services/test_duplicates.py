"""Link and unlink in any order: once every link is undone, each pledge, its reports and
the totals are exactly as before (both databases)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_donor
from tests.services.test_totals import assert_rollup_is_fresh, give
from tracker.models import Pledge, Report, TotalsRollup
from tracker.services.duplicates import link_pledge, unlink_pledge
from tracker.services.pledges import PledgeError

PLEDGES = 4
STEPS = st.lists(
    st.tuples(st.booleans(), st.integers(0, PLEDGES - 1), st.integers(0, PLEDGES - 1)),
    max_size=10,
)


def state(session: Session, pledges: list[Pledge]) -> list[tuple[object, ...]]:
    """What an undo must give back: each pledge's standing and its reports, the totals."""
    session.flush()
    rows = [(p.deleted_at, p.duplicate_of_id, p.stage) for p in pledges]
    reports = session.execute(
        select(Report.id, Report.pledge_id, Report.role, Report.moved_from_id)
        .where(Report.pledge_id.in_([p.id for p in pledges]))
        .order_by(Report.id)
    ).all()
    totals = session.execute(
        select(
            TotalsRollup.dimension, TotalsRollup.key, TotalsRollup.pledges, TotalsRollup.eur_cents
        )
        .where(TotalsRollup.pledges != 0)
        .order_by(TotalsRollup.dimension, TotalsRollup.key, TotalsRollup.kind, TotalsRollup.stage)
    ).all()
    return [*rows, *reports, *totals]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
@example(steps=[(True, 2, 0), (True, 0, 1)])  # a chain of links, undone from its end
@example(steps=[(True, 1, 0), (True, 0, 2), (False, 1, 0), (False, 0, 0)])  # from its start
def test_undoing_every_link_restores_the_pledges_exactly(
    session: Session, steps: list[tuple[bool, int, int]]
) -> None:
    nested = session.begin_nested()
    try:
        donor = make_donor(session)
        pledges = [give(session, donor, amount=1000 + n) for n in range(PLEDGES)]
        before = state(session, pledges)
        for is_link, one, other in steps:
            try:
                if is_link:
                    link_pledge(session, pledges[one].id, pledges[other].id)
                else:
                    unlink_pledge(session, pledges[one].id)
            except PledgeError:
                continue  # a link to itself or to a linked pledge, an unlink of a live one
        while linked := [p for p in pledges if p.duplicate_of_id is not None]:
            unlink_pledge(session, linked[-1].id)
        assert state(session, pledges) == before
        assert_rollup_is_fresh(session)
    finally:
        nested.rollback()


def test_a_pledge_of_another_donor_or_recipient_cannot_be_linked_to(session: Session) -> None:
    ours, theirs = make_donor(session), make_donor(session)
    pledge, other = give(session, ours, amount=1000), give(session, theirs, amount=1000)
    before = state(session, [pledge, other])
    with pytest.raises(PledgeError, match="a pledge repeats only one of the same donor") as no:
        link_pledge(session, pledge.id, other.id)
    assert f"pledge {other.id} is {theirs.name}'s to Ukraine" in str(no.value)
    assert state(session, [pledge, other]) == before
