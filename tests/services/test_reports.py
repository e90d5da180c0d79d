"""Allocations and deliveries recorded by the report service: bad figures refused with a
message naming the field and nothing written, doubtful ones kept and flagged, and a stage
carried by reports that leave (a link undone) steps back (tracker.services.reports)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import item_named, make_donor
from tests.services.test_totals import JULY_10, assert_rollup_is_fresh, give
from tracker.models import Pledge, Report
from tracker.services.duplicates import link_pledge, split_report, unlink_pledge
from tracker.services.pledge_rules import blank_to_none
from tracker.services.pledges import delete_pledge
from tracker.services.reports import (
    StageError,
    StageFigure,
    add_corroboration,
    record_stage,
)


def missiles(session: Session, **fields: object) -> Pledge:
    """A promise of 5,000 missiles, announced on 10 July 2025."""
    values: dict[str, object] = {
        "amount": None, "currency": None, "quantity": 5000,
        "item_id": item_named(session, "drones").id,
    }  # fmt: skip
    values.update(fields)
    return give(session, make_donor(session), **values)


def reports_of(session: Session, pledge: Pledge) -> int:
    return session.scalar(select(func.count()).where(Report.pledge_id == pledge.id)) or 0


@pytest.mark.parametrize(
    ("money", "figure", "field", "words"),
    [
        (False, StageFigure("delivered", quantity="-5"), "quantity", "negative"),
        (False, StageFigure("delivered", quantity="0"), "quantity", "must be above 0"),
        (False, StageFigure("delivered", amount="5", currency="EUR"), "amount", "not money"),
        (True, StageFigure("delivered", quantity="5"), "quantity", "promises an amount"),
        (True, StageFigure("allocated", amount="5", currency="USD"), "currency", "not USD"),
        (True, StageFigure("allocated", amount="-5", currency="EUR"), "amount", "negative"),
        (False, StageFigure("shipped", quantity="5"), "stage", "is not one of"),
        (
            False,
            StageFigure("delivered", quantity="3", unit="launchers"),
            "quantity",
            "not launchers",
        ),
    ],
)
def test_a_bad_figure_is_refused_naming_the_field_and_nothing_is_written(
    session: Session, money: bool, figure: StageFigure, field: str, words: str
) -> None:
    pledge = give(session, make_donor(session)) if money else missiles(session)
    version, reports = pledge.version, reports_of(session, pledge)
    with pytest.raises(StageError, match=words) as refused:
        record_stage(session, pledge.id, figure)
    assert refused.value.field == field
    session.refresh(pledge)
    assert pledge.version == version and reports_of(session, pledge) == reports
    assert pledge.delivered_quantity is None and pledge.allocated_amount is None
    assert pledge.stage == "announced"
    assert_rollup_is_fresh(session)


@pytest.mark.parametrize(
    ("figure", "field"),
    [
        (StageFigure("delivered", quantity="1000"), "quantity"),
        (StageFigure("delivered", quantity="10", unit="launchers"), "quantity"),
        (StageFigure("allocated", amount="500000000", currency="EUR"), "amount"),
    ],
)
def test_a_promise_of_money_with_no_figure_takes_no_stage_figure_until_it_has_one(
    session: Session, figure: StageFigure, field: str
) -> None:
    """ "More aid" (qualifier unknown, a money item): a count of "items" or "launchers" was
    added to it, and an amount refused as if it promised things; both are refused now,
    saying to record the promised amount first."""
    pledge = give(session, make_donor(session), amount=None, currency=None, qualifier="unknown")
    assert pledge.unit is None
    version = pledge.version
    with pytest.raises(
        StageError, match="money with no figure stated.*amount and currency first"
    ) as refused:
        record_stage(session, pledge.id, figure)
    assert refused.value.field == field
    session.refresh(pledge)
    assert pledge.version == version and reports_of(session, pledge) == 1
    assert pledge.delivered_quantity is None and pledge.allocated_amount is None
    assert_rollup_is_fresh(session)
    counted = missiles(session, quantity=None, qualifier="unknown")  # "more drones"
    record_stage(session, counted.id, StageFigure("delivered", quantity="40"))
    assert counted.delivered_quantity == 40 and counted.stage == "delivered"


def test_a_report_on_a_deleted_pledge_is_refused(session: Session) -> None:
    pledge = missiles(session)
    delete_pledge(session, pledge.id, expected_version=pledge.version)
    reports = reports_of(session, pledge)
    with pytest.raises(StageError, match="is deleted: restore it"):
        record_stage(session, pledge.id, StageFigure("delivered", quantity="5"))
    with pytest.raises(StageError, match="is deleted"):
        add_corroboration(session, pledge.id, source_id=None, evidence_id=None, reported_on=None)
    assert reports_of(session, pledge) == reports and pledge.delivered_quantity is None


def test_an_early_or_too_large_delivery_is_kept_and_flagged(session: Session) -> None:
    pledge = missiles(session)
    early = StageFigure("delivered", quantity="1000", reported_on=date(2025, 7, 1))
    report = record_stage(session, pledge.id, early)
    assert (
        report.review_flag is not None and "before the pledge was announced" in report.review_flag
    )
    assert pledge.delivered_quantity == 1000 and pledge.stage == "delivered"
    more = record_stage(session, pledge.id, StageFigure("delivered", quantity="4500"))
    assert more.review_flag is not None and "more than the promised" in more.review_flag
    assert pledge.review_flag is not None and "more than the promised" in pledge.review_flag
    assert pledge.delivered_quantity == 5500
    assert_rollup_is_fresh(session)


def test_unlinking_takes_the_stage_its_reports_carried_back(session: Session) -> None:
    target = missiles(session, stage="committed")
    repeat = missiles(session, donor_id=target.donor_id)
    record_stage(session, repeat.id, StageFigure("allocated", quantity="100"))
    record_stage(session, repeat.id, StageFigure("delivered", quantity="40"))
    link_pledge(session, repeat.id, target.id)
    assert (target.stage, target.delivered_quantity) == ("delivered", Decimal(40))
    unlink_pledge(session, repeat.id)
    assert target.delivered_quantity is None and target.allocated_quantity is None
    assert target.stage == "committed"  # as it was created, no report supports more
    assert repeat.stage == "delivered"  # the reports are back on the pledge that had them
    assert_rollup_is_fresh(session)


def test_unlinking_keeps_the_stage_its_own_reports_support(session: Session) -> None:
    target = missiles(session)
    record_stage(session, target.id, StageFigure("allocated", quantity="100"))
    repeat = missiles(session, donor_id=target.donor_id)
    record_stage(session, repeat.id, StageFigure("delivered", quantity="40"))
    link_pledge(session, repeat.id, target.id)
    unlink_pledge(session, repeat.id)
    assert (target.stage, target.allocated_quantity) == ("allocated", Decimal(100))


def test_a_stage_set_by_hand_stays_when_reports_leave(session: Session) -> None:
    target = missiles(session, stage="delivered")  # delivered in full, no figure
    repeat = missiles(session, donor_id=target.donor_id)
    record_stage(session, repeat.id, StageFigure("delivered", quantity="40"))
    link_pledge(session, repeat.id, target.id)
    unlink_pledge(session, repeat.id)
    assert target.stage == "delivered"


def test_a_split_off_promise_starts_at_the_stage_before_the_originals_deliveries(
    session: Session,
) -> None:
    original = missiles(session, announced=JULY_10)
    record_stage(session, original.id, StageFigure("delivered", quantity="40"))
    report = add_corroboration(
        session, original.id, source_id=None, evidence_id=None, reported_on=None
    )
    new = split_report(session, report.id)
    assert original.stage == "delivered"
    assert new.stage == "announced" and new.delivered_quantity is None
    assert_rollup_is_fresh(session)


@pytest.mark.parametrize("blank", ["", "  ", "\t", "\u00a0"])
def test_a_stage_figure_s_field_left_blank_is_not_given(session: Session, blank: str) -> None:
    """One rule for a field left out, the pledge form's (`pledge_rules.blank_to_none`): a blank
    amount beside a delivered count is no figure."""
    pledge = missiles(session)
    record_stage(session, pledge.id, StageFigure("delivered", quantity="100", amount=blank))
    assert pledge.delivered_quantity == Decimal(100) and pledge.delivered_amount is None
    with pytest.raises(StageError, match="needs a quantity or an amount"):
        record_stage(session, pledge.id, StageFigure("delivered", quantity=blank, amount=blank))
    assert blank_to_none(blank) is None and blank_to_none(" 0 ") == "0"
