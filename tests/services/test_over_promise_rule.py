"""A stage figure above the promise is flagged by one rule on every path that writes one
(`pledge_numbers.exceeds`): the pledge page's allocation or delivery, an edit of the promise
(the form, or a table row that updates the pledge by its `id`), and a new table row. A
promise of 0 or below is none to exceed (a Kiel allocation drawing on a commitment in another
row states 0 as its own; a correction takes back), so none of them flags it. Nor is a
promise without a ceiling (`CEILING_SLACK`): an exact figure or an "up to" is passed by any
figure above it, an "about" only beyond the slack matching allows a sum of one currency, a
floor ("more than 5,000 missiles", "at least €2bn") never."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tests.importers.test_update_source_urls import exported_row
from tracker.importers.table import import_table
from tracker.models import Pledge, Report
from tracker.services.matching import SAME_CURRENCY_GAP
from tracker.services.pledge_numbers import OVER_PROMISE_MIDDLE
from tracker.services.pledges import PledgeInput, create_pledge, update_pledge
from tracker.services.reports import StageFigure, record_stage

ANNOUNCED = date(2025, 7, 10)
PROMISES = st.integers(-50, 2_000)
FIGURES = st.integers(1, 2_100)
QUALIFIERS = st.sampled_from(["exact", "about", "at_least", "up_to"])
STAGES = st.sampled_from(["allocated", "delivered"])
EXAMPLES = count()  # a note naming the example keeps each table new to the database
EXAMPLE_SETTINGS = settings(
    max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def exceeded(promised: int, figure: Decimal | int, qualifier: str) -> bool:
    """Whether a stage figure should be flagged above a promise stated with `qualifier`."""
    if promised <= 0 or qualifier == "at_least":
        return False
    if qualifier == "about":
        return figure > promised * (1 + SAME_CURRENCY_GAP)
    return figure > promised


def is_over(flag: str | None) -> bool:
    """Whether a review flag says a figure is above the promise."""
    return OVER_PROMISE_MIDDLE in (flag or "")


def promise(session: Session, amount: int, qualifier: str = "exact") -> Pledge:
    """Germany's promise of `amount` euros of aid stated with `qualifier` (a negative one is
    a correction)."""
    data = PledgeInput(
        donor_id=donor_named(session, "Germany").id, recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id, amount=amount, currency="EUR",
        qualifier=qualifier, announced=ANNOUNCED, is_correction=amount < 0,
        notes=f"example {next(EXAMPLES)}",
    )  # fmt: skip
    return create_pledge(session, data)


@EXAMPLE_SETTINGS
@given(promised=PROMISES, figure=FIGURES, stage=STAGES, qualifier=QUALIFIERS)
def test_the_pledge_page_flags_a_figure_above_a_ceiling_above_0(
    session: Session, promised: int, figure: int, stage: str, qualifier: str
) -> None:
    with session.begin_nested() as savepoint:
        pledge = promise(session, promised, qualifier)
        report = record_stage(
            session, pledge.id,
            StageFigure(stage, amount=figure, currency="EUR", reported_on=ANNOUNCED),
        )  # fmt: skip
        expected = exceeded(promised, figure, qualifier)
        assert is_over(report.review_flag) == is_over(pledge.review_flag) == expected
        savepoint.rollback()


@EXAMPLE_SETTINGS
@given(
    promised=st.one_of(st.just(1000), PROMISES), figure=FIGURES, stage=STAGES,
    qualifier=QUALIFIERS, by_table=st.booleans(),
)  # fmt: skip
def test_an_edit_of_the_promise_or_its_qualifier_flags_it_by_the_same_rule(
    session: Session, promised: int, figure: int, stage: str, qualifier: str, by_table: bool
) -> None:
    with session.begin_nested() as savepoint:
        pledge = promise(session, 1000)
        record_stage(
            session, pledge.id,
            StageFigure(stage, amount=figure, currency="EUR", reported_on=ANNOUNCED),
        )  # fmt: skip
        change = {"amount": str(promised), "is_correction": promised < 0, "qualifier": qualifier}
        if by_table:
            row = exported_row(session, pledge)
            row.loc[0, ["amount", "is_correction", "qualifier"]] = [
                f"{promised}.00", str(promised < 0), qualifier,
            ]  # fmt: skip
            result = import_table(session, row.to_csv(index=False).encode(), "edit.csv")
            assert result.updated == ((promised, qualifier) != (1000, "exact"))
        else:
            update_pledge(session, pledge.id, change, expected_version=pledge.version)
        session.refresh(pledge)
        assert pledge.amount == promised
        assert is_over(pledge.review_flag) == exceeded(promised, figure, qualifier)
        savepoint.rollback()


@EXAMPLE_SETTINGS
@given(promised=PROMISES, figure=FIGURES, stage=STAGES, qualifier=QUALIFIERS)
def test_a_new_table_row_flags_it_by_the_same_rule(
    session: Session, promised: int, figure: int, stage: str, qualifier: str
) -> None:
    with session.begin_nested() as savepoint:
        content = (
            f"donor,item,amount,currency,qualifier,announced,is_correction,{stage}_amount,notes\n"
            f"Germany,aid,{promised},EUR,{qualifier},{ANNOUNCED},{promised < 0},{figure},"
            f"example {next(EXAMPLES)}\n"
        ).encode()
        result = import_table(session, content, "new.csv")
        pledge = session.scalars(select(Pledge).where(Pledge.source_id == result.source_id)).one()
        flags = session.scalars(select(Report.review_flag).where(Report.pledge_id == pledge.id))
        expected = exceeded(promised, figure, qualifier)
        assert is_over(pledge.review_flag) == expected
        assert [is_over(flag) for flag in flags].count(True) == expected
        assert result.flagged == expected
        savepoint.rollback()


def test_more_than_5000_missiles_are_not_exceeded_by_5200_delivered(session: Session) -> None:
    data = PledgeInput(
        donor_id=donor_named(session, "United Kingdom").id, recipient_id=recipient(session).id,
        item_id=item_named(session, "air defence missiles").id, quantity=5_000,
        qualifier="at_least", qualifier_text="more than", announced=ANNOUNCED,
    )  # fmt: skip
    pledge = create_pledge(session, data)
    report = record_stage(
        session, pledge.id, StageFigure("delivered", quantity=5_200, reported_on=ANNOUNCED)
    )
    assert pledge.delivered_quantity == 5_200
    assert not is_over(report.review_flag)
    assert not is_over(pledge.review_flag)
