"""The days a pledge or a report may carry are the days the filters can name (1900-01-01
to 2199-12-31, tracker.limits): a year mistyped as "0001" or "9999" is refused on every
path in (pledge service, JSON API, table, the allocation and delivery form, the article
form), with a message naming the field, and nothing is written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tests.test_input_guard import new_pledge_body
from tests.views.helpers import add_pledge, csrf_token
from tracker.importers.table import TableImportError, import_table
from tracker.limits import FIRST_DAY, LAST_DAY, day_out_of_range
from tracker.models import Pledge, Report
from tracker.models._types import utcnow
from tracker.services.pledges import PledgeError, PledgeInput, create_pledge
from tracker.services.totals import TotalsFilter, totals

HEADER = "donor,recipient,item,amount,currency,qualifier,announced\n"
EDGES = st.sampled_from(
    [date(1, 1, 1), date(1899, 12, 31), FIRST_DAY, LAST_DAY, date(2200, 1, 1), date(9999, 12, 31)]
)
DAYS = EDGES | st.dates()
FIXTURES = [HealthCheck.function_scoped_fixture]
NOT_DAYS = ["2025-02-03garbage", "2025-02-03 to 2025-03-01", "2025-02-03/04", "20250203", "3.2.25"]


def pledge_count(session: Session) -> int:
    """How many pledges are stored."""
    return int(session.scalar(select(func.count()).select_from(Pledge)) or 0)


@settings(max_examples=40, suppress_health_check=FIXTURES)
@given(day=DAYS)
def test_the_pledge_service_stores_a_day_exactly_when_it_is_in_range(
    session: Session, day: date
) -> None:
    data = PledgeInput(
        donor_id=donor_named(session, "Norway").id, recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id, amount="5", currency="EUR", announced=day,
    )  # fmt: skip
    nested = session.begin_nested()
    try:
        if FIRST_DAY <= day <= LAST_DAY:
            assert create_pledge(session, data).announced == day
        else:
            before = pledge_count(session)
            with pytest.raises(PledgeError, match="check the year") as refused:
                create_pledge(session, data)
            assert refused.value.field == "announced"
            assert pledge_count(session) == before
    finally:
        nested.rollback()


def test_a_pledge_on_the_first_and_last_day_is_within_a_date_filter(session: Session) -> None:
    for day in (FIRST_DAY, LAST_DAY):
        add_pledge(session, "Norway", announced=day)
        rows = totals(session, "donor", TotalsFilter(start=day, end=day))
        assert [(row.key, row.pledges) for row in rows] == [("Norway", 1)]


@settings(max_examples=30, suppress_health_check=FIXTURES)
@given(day=DAYS, time=st.sampled_from(["", " 00:00:00", "T10:30", "T10:30:00.5+02:00"]))
def test_a_table_cell_is_read_as_its_day_only_when_in_range(
    session: Session, day: date, time: str
) -> None:
    cell = f"{day.year:04d}-{day.month:02d}-{day.day:02d}{time}"
    table = f"{HEADER}Norway,Ukraine,aid,5,EUR,exact,{cell}\n".encode()
    if FIRST_DAY <= day <= LAST_DAY:
        result = import_table(session, table, "t.csv", dry_run=True)
        assert result.created == 1
        return
    with pytest.raises(TableImportError) as refused:
        import_table(session, table, "t.csv", dry_run=True)
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (2, "announced")
    assert problem.message == day_out_of_range("announced", day)


@pytest.mark.parametrize("cell", NOT_DAYS)
def test_a_table_cell_with_more_than_a_day_is_refused(session: Session, cell: str) -> None:
    table = f"{HEADER}Norway,Ukraine,aid,5,EUR,exact,{cell}\n".encode()
    with pytest.raises(TableImportError) as refused:
        import_table(session, table, "t.csv")
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (2, "announced")
    assert "is not a date: write it as YYYY-MM-DD" in problem.message
    assert pledge_count(session) == 0


@pytest.mark.parametrize("typed", ["0001-01-01", "1899-12-31", "9999-01-01"])
def test_a_delivery_dated_out_of_range_is_refused_on_the_pledge_page(
    client: FlaskClient, session: Session, typed: str
) -> None:
    pledge = add_pledge(session, "Norway", "aid", amount="1000", currency="GBP")
    url = f"/pledges/{pledge.id}"
    form = {
        "csrf_token": csrf_token(client, url), "version": str(pledge.version),
        "stage": "delivered", "quantity": "", "amount": "100", "currency": "GBP",
        "reported_on": typed, "source_url": "",
    }  # fmt: skip
    response = client.post(f"{url}/stage", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"date {typed} is" in page and "check the year" in page
    reports = select(func.count()).select_from(Report).where(Report.pledge_id == pledge.id)
    assert session.scalar(reports) == 1  # the announcement only
    form["reported_on"] = "2025-09-01"
    assert client.post(f"{url}/stage", data=form).status_code == 303


def test_a_delivery_more_than_a_year_ahead_is_refused(
    client: FlaskClient, session: Session
) -> None:
    pledge = add_pledge(session, "Norway", "aid", amount="1000", currency="GBP")
    url = f"/pledges/{pledge.id}"
    ahead = (utcnow().date() + timedelta(days=400)).isoformat()
    form = {
        "csrf_token": csrf_token(client, url), "version": str(pledge.version),
        "stage": "allocated", "amount": "100", "currency": "GBP", "reported_on": ahead,
    }  # fmt: skip
    response = client.post(f"{url}/stage", data=form)
    assert response.status_code == 422
    assert "more than a year ahead" in response.get_data(as_text=True)


def test_the_api_refuses_an_announcement_out_of_range(
    client: FlaskClient, session: Session
) -> None:
    body = {**new_pledge_body(session), "announced": "0001-01-01"}
    response = client.post("/api/pledges", json=body)
    assert response.status_code == 422
    assert response.get_json()["field"] == "announced"
    assert "0001-01-01 is outside 1900-01-01 to 2199-12-31" in response.get_json()["error"]
    assert pledge_count(session) == 0


def test_the_article_form_refuses_a_publication_day_out_of_range(
    client: FlaskClient, session: Session
) -> None:
    form = {
        "csrf_token": csrf_token(client, "/sources/new"), "text": "Norway pledged 5 euros.",
        "published": "0025-07-10",
    }  # fmt: skip
    response = client.post("/sources/new", data=form)
    assert response.status_code == 422
    assert "published 0025-07-10 is outside" in response.get_data(as_text=True)
