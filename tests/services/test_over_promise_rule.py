"""A stage figure above the promise is flagged by one rule on every path that writes one
(`pledge_numbers.exceeds`): the pledge page's allocation or delivery, an edit of the promise
(the form, or a table row that updates the pledge by its `id`), and a new table row. A
promise of 0 or below is none to exceed (a Kiel allocation drawing on a commitment in another
row states 0 as its own; a correction takes back), so none of them flags it."""

from __future__ import annotations

from datetime import date
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tests.importers.test_update_source_urls import exported_row
from tracker.importers.table import import_table
from tracker.models import Pledge, Report
from tracker.services.pledge_numbers import OVER_PROMISE_MIDDLE
from tracker.services.pledges import PledgeInput, create_pledge, update_pledge
from tracker.services.reports import StageFigure, record_stage

ANNOUNCED = date(2025, 7, 10)
PROMISES = st.integers(-50, 200)
FIGURES = st.integers(1, 300)
STAGES = st.sampled_from(["allocated", "delivered"])
EXAMPLES = count()  # a note naming the example keeps each table new to the database
EXAMPLE_SETTINGS = settings(
    max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def is_over(flag: str | None) -> bool:
    """Whether a review flag says a figure is above the promise."""
    return OVER_PROMISE_MIDDLE in (flag or "")


def promise(session: Session, amount: int) -> Pledge:
    """Germany's promise of `amount` euros of aid (a negative one is a correction)."""
    data = PledgeInput(
        donor_id=donor_named(session, "Germany").id, recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id, amount=amount, currency="EUR",
        announced=ANNOUNCED, is_correction=amount < 0, notes=f"example {next(EXAMPLES)}",
    )  # fmt: skip
    return create_pledge(session, data)


@EXAMPLE_SETTINGS
@given(promised=PROMISES, figure=FIGURES, stage=STAGES)
def test_the_pledge_page_flags_a_figure_above_a_promise_above_0(
    session: Session, promised: int, figure: int, stage: str
) -> None:
    with session.begin_nested() as savepoint:
        pledge = promise(session, promised)
        report = record_stage(
            session, pledge.id,
            StageFigure(stage, amount=figure, currency="EUR", reported_on=ANNOUNCED),
        )  # fmt: skip
        assert is_over(report.review_flag) == is_over(pledge.review_flag) == (0 < promised < figure)
        savepoint.rollback()


@EXAMPLE_SETTINGS
@given(promised=PROMISES, figure=FIGURES, stage=STAGES, by_table=st.booleans())
def test_an_edit_of_the_promise_flags_it_by_the_same_rule(
    session: Session, promised: int, figure: int, stage: str, by_table: bool
) -> None:
    with session.begin_nested() as savepoint:
        pledge = promise(session, 1000)
        record_stage(
            session, pledge.id,
            StageFigure(stage, amount=figure, currency="EUR", reported_on=ANNOUNCED),
        )  # fmt: skip
        change = {"amount": str(promised), "is_correction": promised < 0}
        if by_table:
            row = exported_row(session, pledge)
            row.loc[0, ["amount", "is_correction"]] = [f"{promised}.00", str(promised < 0)]
            result = import_table(session, row.to_csv(index=False).encode(), "edit.csv")
            assert result.updated == 1
        else:
            update_pledge(session, pledge.id, change, expected_version=pledge.version)
        session.refresh(pledge)
        assert pledge.amount == promised
        assert is_over(pledge.review_flag) == (0 < promised < figure)
        savepoint.rollback()


@EXAMPLE_SETTINGS
@given(promised=PROMISES, figure=FIGURES, stage=STAGES)
def test_a_new_table_row_flags_it_by_the_same_rule(
    session: Session, promised: int, figure: int, stage: str
) -> None:
    with session.begin_nested() as savepoint:
        content = (
            f"donor,item,amount,currency,announced,is_correction,{stage}_amount,notes\n"
            f"Germany,aid,{promised},EUR,{ANNOUNCED},{promised < 0},{figure},"
            f"example {next(EXAMPLES)}\n"
        ).encode()
        result = import_table(session, content, "new.csv")
        pledge = session.scalars(select(Pledge).where(Pledge.source_id == result.source_id)).one()
        flags = session.scalars(select(Report.review_flag).where(Report.pledge_id == pledge.id))
        assert is_over(pledge.review_flag) == (0 < promised < figure)
        assert [is_over(flag) for flag in flags].count(True) == (0 < promised < figure)
        savepoint.rollback()
