"""Issue 13's bad input on every path that records an allocation or delivery: a report on a
deleted pledge, a figure in another unit or kind than the promise, a negative figure, a
figure dated before the announcement. Each path answers with a clear message on the field,
row or sentence at fault (4xx on the web, never 500) and writes nothing, or records the
figure flagged for review (the early day): the article import, a table import (new rows
and rows naming a pledge by `id`), the pledge page's stage form and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html import escape
from itertools import count

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.importers.test_matching import (
    SEED,
    delivery,
    import_file,
    import_stage_reports,
    uk_missiles,
)
from tests.views.helpers import add_pledge
from tests.views.test_stage_currency import post_stage
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge, Report
from tracker.services.pledge_numbers import negative_stage_figure
from tracker.services.pledges import delete_pledge

ANNOUNCED = date(2025, 7, 10)
CASES = ("deleted", "other unit", "negative", "early")
EXAMPLES = count()  # a note naming the example keeps each table new to the database
FEW = settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])


def written(session: Session) -> tuple[int, int]:
    """How many pledges and reports are stored."""
    return (
        session.scalar(select(func.count()).select_from(Pledge)) or 0,
        session.scalar(select(func.count()).select_from(Report)) or 0,
    )


@dataclass(frozen=True)
class Row:
    """One new table row: a promise of money or of things, and a stage figure."""

    money: bool
    stage: str
    as_amount: bool  # the stage figure given as an amount (else as a quantity)
    figure: int
    correction: bool
    day_offset: int

    def table(self) -> bytes:
        """The one-row table."""
        promise = ("amount", "-500" if self.correction else "500") if self.money else (
            "quantity", "-500" if self.correction else "500")  # fmt: skip
        figure = f"{self.stage}_{'amount' if self.as_amount else 'quantity'}"
        currency = "EUR" if self.money else ""
        day = ANNOUNCED + timedelta(days=self.day_offset)
        item = "aid" if self.money else "air defence missiles"
        return (
            f"donor,item,{promise[0]},currency,announced,is_correction,{figure},"
            f"{self.stage}_on,notes\nGermany,{item},{promise[1]},{currency},{ANNOUNCED},"
            f"{self.correction},{self.figure},{day},example {next(EXAMPLES)}\n"
        ).encode()


ROWS = st.builds(
    Row, money=st.booleans(), stage=st.sampled_from(["allocated", "delivered"]),
    as_amount=st.booleans(), figure=st.integers(-300, 300).filter(bool),
    correction=st.booleans(), day_offset=st.integers(-60, 60),
)  # fmt: skip


@FEW
@given(row=ROWS)
def test_a_new_table_rows_bad_stage_figure_is_refused_by_its_column_or_flagged(
    session: Session, row: Row
) -> None:
    column = f"{row.stage}_{'amount' if row.as_amount else 'quantity'}"
    other_kind = row.as_amount != row.money
    negative = row.figure < 0 and not row.correction
    before = written(session)
    with session.begin_nested() as savepoint:
        if other_kind or negative:
            with pytest.raises(TableImportError) as refused:
                import_table(session, row.table(), "stages.csv")
            said = {(p.row, p.column) for p in refused.value.problems}
            assert (2, column) in said, refused.value.problems
            assert written(session) == before
        else:
            result = import_table(session, row.table(), "stages.csv")
            pledge = session.scalars(
                select(Pledge).where(Pledge.source_id == result.source_id)
            ).one()
            early = row.day_offset < 0
            assert ("before the pledge was announced" in (pledge.review_flag or "")) == early
            assert result.flagged == bool(pledge.review_flag)
        savepoint.rollback()


def test_a_table_row_naming_a_deleted_pledge_says_it_is_deleted(session: Session) -> None:
    pledge = add_pledge(session, "Germany", "aid", amount="100", currency="EUR")
    delete_pledge(session, pledge.id, expected_version=pledge.version)
    table = f"id,amount,currency\n{pledge.id},200,EUR\n".encode()
    with pytest.raises(TableImportError) as refused:
        import_table(session, table, "t.csv")
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (2, "id")
    assert problem.message == f"pledge {pledge.id} is deleted: restore it before a table updates it"
    session.refresh(pledge)
    assert pledge.amount == 100 and pledge.deleted_at is not None


@FEW
@given(case=st.sampled_from(CASES), figure=st.integers(1, 4000))
def test_an_articles_bad_stage_report_is_said_and_nothing_half_written(
    session: Session, case: str, figure: int
) -> None:
    with session.begin_nested() as savepoint:
        import_file(session, SEED)
        pledge = uk_missiles(session)
        if case == "deleted":
            delete_pledge(session, pledge.id, expected_version=pledge.version)
        fields: dict[str, object] = {
            "deleted": {}, "other unit": {"unit": "launcher"},
            "negative": {"quantity": Decimal(-figure)},
            "early": {"announced": ANNOUNCED - timedelta(days=1 + figure % 13)},
        }[case]  # fmt: skip
        before = written(session)
        problems = import_stage_reports(
            session, delivery(**{"quantity": Decimal(figure), **fields})
        )
        session.refresh(pledge)
        if case == "early":
            assert problems == [] and pledge.delivered_quantity == figure
            assert "before the pledge was announced" in (pledge.review_flag or "")
        else:
            words = {"deleted": "is deleted", "other unit": "not launcher", "negative": "negative"}
            assert len(problems) == 1 and words[case] in problems[0], problems
            assert "not recorded" in problems[0] and pledge.delivered_quantity is None
            assert written(session)[1] == before[1]
        savepoint.rollback()


@FEW
@given(case=st.sampled_from(CASES), figure=st.integers(1, 4000))
def test_the_stage_forms_bad_figure_is_refused_on_its_field_or_flagged(
    client: FlaskClient, session: Session, case: str, figure: int
) -> None:
    money = case == "other unit" and figure % 2 == 0  # a count on money, or euros on pounds
    pledge = (
        add_pledge(session, "United Kingdom", "aid", amount="5000", currency="GBP")
        if money else add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000")
    )  # fmt: skip
    typed = {"quantity": str(figure)}
    if case == "deleted":
        delete_pledge(session, pledge.id, expected_version=pledge.version)
        session.commit()
    elif case == "other unit":
        typed = {"amount": str(figure), "currency": "EUR"}
    elif case == "negative":
        typed = {"quantity": str(-figure)}
    day = (ANNOUNCED - timedelta(days=1 + figure % 13)) if case == "early" else ANNOUNCED
    before = written(session)
    response = post_stage(client, pledge, reported_on=day.isoformat(), **typed)
    page = response.get_data(as_text=True)
    session.refresh(pledge)
    if case == "early":
        assert response.status_code == 303 and pledge.delivered_quantity == figure
        assert "before the pledge was announced" in (pledge.review_flag or "")
        return
    assert response.status_code == 422, page[:300]
    said = {
        "deleted": f"pledge {pledge.id} is deleted: restore it before adding reports to it",
        "other unit": "give the delivery" if not money else "not EUR",
        "negative": "is negative",
    }[case]
    assert escape(said) in page or said in page, page
    assert written(session) == before and pledge.delivered_quantity is None


@pytest.mark.parametrize(
    "field", ["allocated_amount", "delivered_quantity", "delivered_on", "allocated_on"]
)
def test_the_api_says_where_allocations_and_deliveries_are_recorded(
    client: FlaskClient, session: Session, field: str
) -> None:
    pledge = add_pledge(session, "Germany", "aid", amount="100", currency="EUR")
    value = "2025-09-01" if field.endswith("_on") else "-5"
    response = client.patch(
        f"/api/pledges/{pledge.id}", json={"version": pledge.version, field: value}
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == field and "record an allocation or delivery" in body["error"]
    session.refresh(pledge)
    assert pledge.version == 1 and pledge.delivered_amount is None


@FEW
@given(
    stage=st.sampled_from(["allocated", "delivered"]), money=st.booleans(),
    figure=st.integers(1, 4000),
)  # fmt: skip
def test_a_negative_stage_figure_is_told_alike_on_its_field_on_every_path(
    client: FlaskClient, session: Session, stage: str, money: bool, figure: int
) -> None:
    """The stage form's field, the API's field and the table's column each say what is wrong
    with a figure below 0 and what to do, in the one wording of `negative_stage_figure`."""
    number = "amount" if money else "quantity"
    name = f"{stage}_{number}"
    said = negative_stage_figure(name)
    assert said.startswith(f"{stage} {number} is negative: give what was {stage} as a number")
    pledge = (
        add_pledge(session, "Germany", "aid", amount="5000", currency="EUR")
        if money else add_pledge(session, "Germany", "air defence missiles", quantity="5000")
    )  # fmt: skip
    typed = {number: str(-figure), "currency": "EUR" if money else ""}
    response = post_stage(client, pledge, stage=stage, **typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    errors = page.split(f'id="{number}-errors"')[1].split("</ul>")[0]
    assert escape(said) in errors, errors

    response = client.patch(
        f"/api/pledges/{pledge.id}", json={"version": pledge.version, name: -figure}
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == name and body["error"].startswith(said)

    item, promise = ("aid", "amount,currency") if money else ("air defence missiles", "quantity")
    cells = "5000,EUR" if money else "5000"
    table = (
        f"donor,item,{promise},announced,{name},notes\n"
        f"Germany,{item},{cells},{ANNOUNCED},{-figure},example {next(EXAMPLES)}\n"
    ).encode()
    with pytest.raises(TableImportError) as refused:
        import_table(session, table, "negative.csv")
    assert [(p.row, p.column, p.message) for p in refused.value.problems] == [(2, name, said)]
    session.refresh(pledge)
    assert getattr(pledge, name) is None
