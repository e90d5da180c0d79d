"""Currency codes that are no money one pledges (XAU, XDR, XTS, XXX ...) are refused by
one rule, the pledge service's (`pledge_rules.not_pledged_money`): every pledge it writes
(a new one, an edit, an article's pledges, the JSON API) on its field, and every table
import (a mapped file, our pledges export read back, the upload page) with the row and
column; nothing is written."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.accounts import make_user, signed_in_client
from tests.importers.test_table import as_csv, exported
from tests.test_input_guard import new_pledge_body
from tests.views.helpers import add_pledge
from tests.views.test_imports_page import pledge_count, post
from tracker.extract import extract
from tracker.importers.article import ArticleMeta, import_article
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge, Source
from tracker.services.pledge_rules import NOT_PLEDGED_MONEY, PledgeError, not_pledged_money
from tracker.services.pledges import update_pledge

CODES = sorted(NOT_PLEDGED_MONEY)
# the code as someone may type it in a cell: any case, spaces around it
CASES = st.sampled_from([str.upper, str.lower, str.title])
TYPED = st.tuples(st.sampled_from(CODES), CASES, st.text(" ", max_size=2)).map(
    lambda parts: f"{parts[2]}{parts[1](parts[0])}{parts[2]}"
)


def test_the_rule_names_every_code_and_only_those() -> None:
    for code in CODES:
        problem = not_pledged_money(code.lower())
        assert problem is not None and problem.startswith(f"{code} is ")
    assert not_pledged_money("EUR") is None and not_pledged_money("uah") is None


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TYPED, field=st.sampled_from(["currency", "stated_currency"]))
def test_the_pledge_service_refuses_such_a_code_on_its_field(
    session: Session, typed: str, field: str
) -> None:
    before = pledge_count(session)
    change = {"currency": typed} if field == "currency" else {
        "stated_amount": "7000000", "stated_currency": typed}  # fmt: skip
    with pytest.raises(PledgeError) as refused:
        add_pledge(session, "Germany", "aid", **{"amount": "6000000", "currency": "EUR", **change})
    assert (refused.value.field, refused.value.message) == (field, not_pledged_money(typed))
    assert pledge_count(session) == before
    stored = add_pledge(session, "Germany", "aid", amount="6000000", currency="EUR")
    with pytest.raises(PledgeError) as refused:
        update_pledge(session, stored.id, change, expected_version=stored.version)
    assert (refused.value.field, refused.value.message) == (field, not_pledged_money(typed))
    session.refresh(stored)
    assert (stored.currency, stored.stated_currency, stored.version) == ("EUR", None, 1)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TYPED)
def test_an_articles_pledge_in_such_a_code_is_refused_and_nothing_is_written(
    session: Session, typed: str
) -> None:
    text = f"Germany pledged €6m in aid to Ukraine, its ministry said ({typed.strip()})."
    extraction = extract(text, date(2025, 7, 10))
    [found] = extraction.pledges
    reviewed = replace(extraction, pledges=(replace(found, currency=typed),))
    before = (pledge_count(session), session.scalar(select(func.count(Source.id))))
    with pytest.raises(PledgeError) as refused, session.begin_nested():
        import_article(session, text, ArticleMeta(published=date(2025, 7, 10)),
                       extraction=reviewed)  # fmt: skip
    assert refused.value.field == "currency"
    assert str(not_pledged_money(typed)) in refused.value.message
    assert found.evidence in refused.value.message
    assert (pledge_count(session), session.scalar(select(func.count(Source.id)))) == before


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TYPED, column=st.sampled_from(["currency", "stated_currency"]))
def test_a_table_row_in_such_a_code_is_refused_with_its_row_and_column(
    session: Session, typed: str, column: str
) -> None:
    table = (
        "donor,item,amount,currency,stated_amount,stated_currency\n"
        "Germany,aid,5000000,EUR,,\n"
        f"Germany,aid,6000000,{typed if column == 'currency' else 'EUR'},"
        f"{'7000000' if column == 'stated_currency' else ''},"
        f"{typed if column == 'stated_currency' else ''}\n"
    ).encode()
    before = pledge_count(session)
    for dry_run in (True, False):
        with pytest.raises(TableImportError) as caught:
            import_table(session, table, "t.csv", dry_run=dry_run)
        [problem] = caught.value.problems
        assert (problem.row, problem.column) == (3, column)
        assert problem.message == not_pledged_money(typed)
    assert pledge_count(session) == before


def test_our_export_read_back_with_such_a_code_is_refused(session: Session) -> None:
    add_pledge(session, "Germany", "aid", amount="100", currency="EUR")
    frame = exported(session)
    frame.loc[0, "currency"] = "XAU"
    with pytest.raises(TableImportError) as caught:
        import_table(session, as_csv(frame), "pledges.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.message) == (
        2, "currency", not_pledged_money("XAU"),
    )  # fmt: skip
    assert session.scalars(select(Pledge.currency)).all() == ["EUR"]


def test_the_upload_page_refuses_such_a_code_with_row_and_column(
    form_app: Flask, session: Session
) -> None:
    client = signed_in_client(form_app, make_user(session, "analyst"))
    table = b"donor,item,amount,currency\nGermany,aid,5,EUR\nGermany,aid,5,XXX\n"
    response = post(client, table=(io.BytesIO(table), "t.csv"), dry_run="y")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<td>3</td><td>currency</td>" in page and "not money one pledges" in page
    assert pledge_count(session) == 0


@pytest.mark.parametrize(
    ("field", "change"),
    [("currency", {"currency": "XTS"}),
     ("stated_currency", {"stated_amount": "1100", "stated_currency": "xdr"})],
)  # fmt: skip
def test_the_api_refuses_such_a_code_on_its_field_with_the_same_message(
    client: FlaskClient, session: Session, field: str, change: dict[str, str]
) -> None:
    response = client.post("/api/pledges", json={**new_pledge_body(session), **change})
    assert (response.status_code, response.get_json()["field"]) == (422, field)
    assert response.get_json()["error"] == not_pledged_money(change[field])
    assert pledge_count(session) == 0
