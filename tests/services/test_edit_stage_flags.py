"""An edit that moves a pledge's promise below what was allocated or delivered, or its
announcement after them, is saved and flagged for review with the notes a report recorded
on the pledge gets (`pledge_numbers.stage_notes`); an edit that leaves the promise and its
day alone adds none."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tracker.models import Pledge
from tracker.services.pledge_numbers import early_stage_note
from tracker.services.pledges import PledgeInput, create_pledge, update_pledge
from tracker.services.reports import StageFigure, record_stage

ANNOUNCED = date(2025, 7, 10)
DELIVERED_ON = date(2025, 8, 1)


def delivered_pledge(session: Session) -> Pledge:
    """100 missiles promised, 40 delivered on DELIVERED_ON."""
    pledge = create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, "Germany").id, recipient_id=recipient(session).id,
            item_id=item_named(session, "air defence missiles").id, quantity=100,
            announced=ANNOUNCED,
        ),
    )  # fmt: skip
    record_stage(
        session, pledge.id, StageFigure("delivered", quantity=40, reported_on=DELIVERED_ON)
    )
    session.refresh(pledge)
    assert pledge.review_flag is None
    return pledge


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quantity=st.integers(1, 200), moved=st.integers(-30, 60))
def test_an_edit_past_the_deliveries_is_flagged(
    session: Session, quantity: int, moved: int
) -> None:
    with session.begin_nested() as savepoint:
        pledge = delivered_pledge(session)
        day = ANNOUNCED + timedelta(days=moved)
        update_pledge(
            session, pledge.id, {"quantity": quantity, "announced": day},
            expected_version=pledge.version,
        )  # fmt: skip
        session.refresh(pledge)
        expected = []
        if quantity < 40:
            expected.append(
                f"delivered 40 missiles is more than the promised {quantity} "
                f"missile{'s' if quantity != 1 else ''}: check the reports"
            )
        early = early_stage_note("delivered", DELIVERED_ON, day)
        if early is not None:
            expected.append(early)
        assert pledge.review_flag == ("; ".join(expected) or None)
        assert pledge.quantity == quantity and pledge.delivered_quantity == 40
        savepoint.rollback()


def test_an_edit_of_the_notes_adds_no_stage_note(session: Session) -> None:
    pledge = delivered_pledge(session)
    update_pledge(session, pledge.id, {"notes": "checked"}, expected_version=pledge.version)
    session.refresh(pledge)
    assert pledge.review_flag is None
