"""A currency typed on the pledge page's allocation or delivery form with no amount is
refused on the currency field (422, saying what is wrong) rather than dropped, unless it
is the promise's own currency, which the page fills in."""

from __future__ import annotations

from html import escape

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge, csrf_token
from tracker.models import Pledge
from tracker.services.reports import StageError, StageFigure, check_typed_currency


def post_stage(client: FlaskClient, pledge: Pledge, **fields: str):  # type: ignore[no-untyped-def]
    """Send the pledge page's stage form with these fields."""
    url = f"/pledges/{pledge.id}"
    form = {
        "csrf_token": csrf_token(client, url), "version": str(pledge.version),
        "stage": "delivered", "quantity": "", "amount": "", "currency": "",
        "reported_on": "2025-09-02", **fields,
    }  # fmt: skip
    return client.post(f"{url}/stage", data=form)


def currency_errors(page: str) -> str:
    """The errors shown under the form's currency field."""
    return page.split('id="currency-errors"')[1].split("</ul>")[0]


def test_a_currency_with_a_count_of_things_is_refused_on_its_field(
    client: FlaskClient, session: Session
) -> None:
    pledge = add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000")
    response = post_stage(client, pledge, quantity="1000", currency="EUR")
    assert response.status_code == 422
    said = currency_errors(response.get_data(as_text=True))
    assert (
        escape(
            f"pledge {pledge.id} promises a quantity, not money: a delivery of it is a quantity "
            "too, with no currency; clear the currency (EUR)"
        )
        in said
    )
    session.refresh(pledge)
    assert pledge.delivered_quantity is None and pledge.version == 1
    assert post_stage(client, pledge, quantity="1000").status_code == 303
    session.refresh(pledge)
    assert pledge.delivered_quantity == 1000


def test_a_pledge_of_things_and_money_takes_its_own_currency_beside_a_count(
    client: FlaskClient, session: Session
) -> None:
    pledge = add_pledge(
        session, "Germany", "air defence systems", quantity="4", amount="100000000",
        currency="EUR",
    )  # fmt: skip
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert 'name="currency" type="text" value="EUR"' in page  # filled in by the page
    refused = post_stage(client, pledge, quantity="2", currency="USD")
    assert refused.status_code == 422
    assert "a currency (USD) goes with an amount: give the delivery&#39;s amount in EUR" in (
        currency_errors(refused.get_data(as_text=True))
    )
    assert post_stage(client, pledge, quantity="2", currency="EUR").status_code == 303
    session.refresh(pledge)
    assert pledge.delivered_quantity == 2 and pledge.delivered_amount is None


@given(
    typed=st.text(alphabet="abcdefgXYZ ", max_size=4),
    own=st.none() | st.sampled_from(["EUR", "GBP"]),
    amount=st.sampled_from([None, "", " ", "5"]),
)
def test_only_a_typed_currency_other_than_the_promises_with_no_amount_is_refused(
    typed: str, own: str | None, amount: str | None
) -> None:
    pledge = Pledge(id=7, currency=own, unit=None if own else "missiles")
    figure = StageFigure("allocated", quantity="3", amount=amount, currency=typed)
    code = typed.strip().upper()
    refused = (amount is None or not amount.strip()) and code and code != own
    if refused:
        with pytest.raises(StageError) as caught:
            check_typed_currency(figure, pledge)
        assert caught.value.field == "currency" and code in caught.value.message
    else:
        check_typed_currency(figure, pledge)
