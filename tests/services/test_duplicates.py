"""Link and unlink in any order: once every link is undone, each pledge, its reports and
the totals are exactly as before; a split-off pledge can be linked back to its original
after any of them (both databases)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_donor
from tests.services.test_totals import assert_rollup_is_fresh, give
from tracker.models import Pledge, Report, TotalsRollup
from tracker.services.duplicates import link_pledge, split_report, undo_split, unlink_pledge
from tracker.services.pledges import PledgeError, delete_pledge, restore_pledge
from tracker.services.reports import StageFigure, add_corroboration, record_stage

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


def take_steps(session: Session, pledges: list[Pledge], steps: list[tuple[bool, int, int]]) -> None:
    """Link (True) or unlink each pledge named; a step the rules refuse is passed over."""
    for is_link, one, other in steps:
        try:
            if is_link:
                link_pledge(session, pledges[one].id, pledges[other].id)
            else:
                unlink_pledge(session, pledges[one].id)
        except PledgeError:
            continue  # a link to itself or to a linked pledge, an unlink of a live one


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
        take_steps(session, pledges, steps)
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


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
@example(steps=[(True, 0, 1), (False, 0, 0)])  # the split-off pledge linked away and back
@example(steps=[(True, 1, 0)])  # another pledge linked into the split-off one
def test_a_split_off_pledge_can_be_linked_back_after_any_links_undone_or_not(
    session: Session, steps: list[tuple[bool, int, int]]
) -> None:
    """Pledge 0 is split off the original; links among pledges 0 to 3 (the split-off one
    linked elsewhere and back, others linked into it) never make it forget where it came
    from: once it is live, undoing the split links it to the original."""
    nested = session.begin_nested()
    try:
        donor = make_donor(session)
        original = give(session, donor, amount=999)
        report = add_corroboration(
            session, original.id, source_id=None, evidence_id=None, reported_on=None
        )
        split = split_report(session, report.id)
        pledges = [split, *(give(session, donor, amount=1000 + n) for n in range(PLEDGES - 1))]
        take_steps(session, pledges, steps)
        if split.deleted_at is not None:
            unlink_pledge(session, split.id)
        assert undo_split(session, split.id).id == original.id
        assert split.duplicate_of_id == original.id and split.deleted_at is not None
        assert session.get(Report, report.id).pledge_id == original.id  # type: ignore[union-attr]
        assert_rollup_is_fresh(session)
    finally:
        nested.rollback()


def test_a_linked_pledge_is_brought_back_by_an_unlink_not_an_undelete(session: Session) -> None:
    """A linked pledge is deleted, its reports moved to the pledge it repeats: an admin's
    undelete would make it live with no report at all (and `unlink` refuse it), so it is
    refused with the way back named; an undone split linked back is refused alike."""
    donor = make_donor(session)
    first, repeat = give(session, donor, amount="7000"), give(session, donor, amount="7000")
    link_pledge(session, repeat.id, first.id)
    before = state(session, [first, repeat])
    with pytest.raises(PledgeError, match=f"linked to pledge {first.id}.*unlink it"):
        restore_pledge(session, repeat.id)
    assert state(session, [first, repeat]) == before
    unlink_pledge(session, repeat.id)
    assert repeat.deleted_at is None and [r.role for r in repeat.reports] == ["announces"]
    report = add_corroboration(session, first.id, source_id=None, evidence_id=None,
                               reported_on=None)  # fmt: skip
    split = split_report(session, report.id)
    undo_split(session, split.id)
    with pytest.raises(PledgeError, match="unlink it"):
        restore_pledge(session, split.id)
    delete_pledge(session, first.id, expected_version=first.version)
    restore_pledge(session, first.id)  # an ordinary delete is undone as before
    assert first.deleted_at is None
    assert_rollup_is_fresh(session)


@pytest.mark.parametrize(
    ("ours", "theirs", "figure", "refused"),
    [
        ({"amount": 1000, "currency": "EUR"}, {"amount": 1000, "currency": "GBP"},
         {"amount": 400, "currency": "EUR"}, "is in EUR, pledge {target} in GBP"),
        ({"amount": 1000, "currency": "EUR"}, {"quantity": 10, "amount": None, "currency": None,
         "unit": "systems"}, {"amount": 400, "currency": "EUR"}, "promises things, not money"),
        ({"quantity": 10, "amount": None, "currency": None, "unit": "systems"},
         {"quantity": 10, "amount": None, "currency": None, "unit": "tanks"},
         {"quantity": 4}, "counts systems, pledge {target} counts tanks"),
        ({"quantity": 10, "amount": None, "currency": None, "unit": "systems"},
         {"amount": 1000, "currency": "EUR"}, {"quantity": 4}, "promises money"),
        ({"amount": 1000, "currency": "EUR"}, {"amount": 1000, "currency": "EUR"},
         {"amount": 400, "currency": "EUR"}, None),
        ({"quantity": 10, "amount": None, "currency": None, "unit": "systems"},
         {"quantity": 10, "amount": None, "currency": None, "unit": "System"},
         {"quantity": 4}, None),
    ],
)  # fmt: skip
def test_a_pledge_whose_stage_figures_are_in_another_currency_or_unit_is_not_linked(
    session: Session,
    ours: dict[str, object],
    theirs: dict[str, object],
    figure: dict[str, object],
    refused: str | None,
) -> None:
    """A link adds the pledge's deliveries to the target's figures as they stand: a
    delivery in euros is not added to pounds, nor a count of systems to tanks or money."""
    donor = make_donor(session)
    pledge, target = give(session, donor, **ours), give(session, donor, **theirs)
    record_stage(session, pledge.id, StageFigure(stage="delivered", **figure))  # type: ignore[arg-type]
    before = state(session, [pledge, target])
    if refused is None:
        link_pledge(session, pledge.id, target.id)
        assert target.delivered_quantity == figure.get("quantity")
        assert target.delivered_amount == figure.get("amount")
        assert_rollup_is_fresh(session)
        return
    with pytest.raises(PledgeError, match="cannot be linked") as no:
        link_pledge(session, pledge.id, target.id)
    assert refused.format(target=target.id) in str(no.value)
    assert state(session, [pledge, target]) == before
