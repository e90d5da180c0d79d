"""Currency codes that are no money one pledges (XAU, XDR, XTS, XXX ...) are refused by
one rule: the JSON API's and every table import's (a mapped file, our pledges export read
back, the upload page), with the row and column."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts import make_user, signed_in_client
from tests.importers.test_table import as_csv, exported
from tests.test_input_guard import new_pledge_body
from tests.views.helpers import add_pledge
from tests.views.test_imports_page import pledge_count, post
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge
from tracker.services.entry_checks import NOT_PLEDGED_MONEY, check_entry, not_pledged_money
from tracker.services.pledge_rules import PledgeError

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
        with pytest.raises(PledgeError) as refused:
            check_entry({"currency": code, "amount": "5"}, today=pd.Timestamp("2026-01-01").date())
        assert (refused.value.field, str(refused.value.message)) == ("currency", problem)
    assert not_pledged_money("EUR") is None and not_pledged_money("uah") is None


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
