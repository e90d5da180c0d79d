"""Checks on hand-typed pledges: dates far ahead, amounts of 0, withdrawn currencies,
reviewed only when ticked, and edits that move a number off its evidence sentence;
through the service, the form and the JSON API."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tests.test_input_guard import new_pledge_body
from tests.views.helpers import SENTENCE, add_article_with_evidence, add_pledge
from tests.views.test_pledges import post_new
from tracker.models import Pledge
from tracker.models._types import utcnow
from tracker.services.entry_checks import a_year_after, check_entry, current_currencies
from tracker.services.pledge_rules import PledgeError
from tracker.services.pledges import delete_pledge, update_pledge

TODAY = date(2026, 12, 5)


def test_the_currency_list_is_the_current_iso_4217_one() -> None:
    codes = current_currencies()
    assert {"UAH", "EUR", "USD", "GBP", "PLN"} <= set(codes)
    assert not {"EEK", "SIT", "ROL", "XAU", "XTS"} & set(codes)
    with pytest.raises(PledgeError, match="EEK is not on the current ISO 4217 list"):
        check_entry({"currency": "eek", "amount": "5"}, today=TODAY)
    check_entry({"currency": "UAH", "amount": "5"}, today=TODAY)


@given(ahead=st.integers(min_value=-20_000, max_value=20_000))
def test_a_date_is_refused_exactly_when_it_is_more_than_a_year_ahead(ahead: int) -> None:
    announced = TODAY + timedelta(days=ahead)
    if announced > a_year_after(TODAY):
        with pytest.raises(PledgeError, match="more than a year ahead") as refused:
            check_entry({"announced": announced}, today=TODAY)
        assert refused.value.field == "announced"
    else:
        check_entry({"announced": announced}, today=TODAY)


def test_a_year_after_a_leap_day_is_the_28th() -> None:
    assert a_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


@given(zero=st.sampled_from(["0", "0.00", "0,000", 0, Decimal("0.0")]))
def test_an_amount_of_zero_needs_confirmation(zero: object) -> None:
    with pytest.raises(PledgeError, match="the amount is 0") as refused:
        check_entry({"amount": zero, "currency": "EUR"}, today=TODAY)
    assert refused.value.field == "amount"
    check_entry({"amount": zero, "currency": "EUR"}, today=TODAY, zero_confirmed=True)


def test_only_changed_fields_are_checked(session: Session) -> None:
    old = add_pledge(session, "Norway", amount="0", currency="EUR", announced=date(2099, 1, 1))
    check_entry(
        {"amount": Decimal("0.00"), "currency": "eur", "announced": date(2099, 1, 1)},
        today=TODAY, before=old,
    )  # fmt: skip
    with pytest.raises(PledgeError, match="year ahead"):
        check_entry({"announced": date(2099, 1, 2)}, today=TODAY, before=old)


def test_an_edit_off_the_evidence_is_flagged_and_back_in_the_queue(session: Session) -> None:
    _source, pledge = add_article_with_evidence(session)
    assert "5,000" in SENTENCE
    update_pledge(session, pledge.id, {"reviewed": True}, expected_version=1)
    moved = update_pledge(session, pledge.id, {"quantity": Decimal("6000")}, expected_version=2)
    assert moved.version == 3
    assert moved.review_flag == "edited: quantity 6000 not stated in the evidence sentence"
    assert not moved.reviewed
    back = update_pledge(session, pledge.id, {"quantity": Decimal("5000")}, expected_version=3)
    assert back.review_flag is None
    untouched = update_pledge(session, pledge.id, {"notes": "checked"}, expected_version=4)
    assert untouched.review_flag is None


def test_the_form_applies_the_checks_and_reviews_only_when_ticked(
    client: FlaskClient, session: Session
) -> None:
    far = a_year_after(utcnow().date()) + timedelta(days=1)
    refused = post_new(client, announced=far.isoformat())
    assert refused.status_code == 422
    assert "more than a year ahead" in refused.get_data(as_text=True)
    zero = post_new(client, quantity="", amount="0", currency="EUR")
    assert zero.status_code == 422 and "the amount is 0" in zero.get_data(as_text=True)
    assert post_new(client, quantity="", amount="0", currency="EUR",
                    zero_confirmed="y").status_code == 302  # fmt: skip
    ticked = post_new(client, reviewed="y", notes="ticked")
    assert ticked.status_code == 302
    stored = session.scalars(select(Pledge).where(Pledge.notes == "ticked")).one()
    assert stored.reviewed
    page = client.get("/pledges/new").get_data(as_text=True)
    assert '<option value="UAH">UAH (no ECB rate: shown unconverted)</option>' in page
    assert 'value="EEK"' not in page and 'value="ROL"' not in page


def test_the_api_applies_the_same_checks(client: FlaskClient, session: Session) -> None:
    body = {
        "donor_id": donor_named(session, "Poland").id,
        "recipient_id": recipient(session).id,
        "item_id": item_named(session, "aid").id,
        "amount": "0",
        "currency": "EUR",
        "announced": "2025-07-10",
    }
    zero = client.post("/api/pledges", json=body)
    assert zero.status_code == 422 and zero.get_json()["field"] == "amount"
    assert client.post("/api/pledges", json={**body, "zero_confirmed": "yes"}).status_code == 400
    created = client.post("/api/pledges", json={**body, "zero_confirmed": True})
    assert created.status_code == 201
    stored = session.get(Pledge, created.get_json()["id"])
    assert stored is not None and not stored.reviewed
    url = f"/api/pledges/{stored.id}"
    far = client.patch(url, json={"version": 1, "announced": "2099-01-01"})
    assert far.status_code == 422 and far.get_json()["field"] == "announced"
    old = client.patch(url, json={"version": 1, "amount": "5", "currency": "SIT"})
    assert old.status_code == 422 and old.get_json()["field"] == "currency"


def test_a_currency_the_ecb_does_not_publish_is_kept_unconverted(
    client: FlaskClient, session: Session
) -> None:
    pledge = add_pledge(session, "Norway", amount="1000000", currency="UAH")
    assert pledge.conversion_status == "unconverted" and pledge.eur is None
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert '<span class="badge">unconverted</span>' in page


def pledge_count(session: Session) -> int:
    """How many pledges there are, live or not."""
    return len(session.scalars(select(Pledge.id)).all())


@pytest.mark.parametrize("differ", [None, "quantity", "announced", "donor", "qualifier"])
@pytest.mark.parametrize("deleted", [False, True])
def test_the_form_sent_twice_saves_one_pledge_unless_a_second_is_confirmed(
    client: FlaskClient, session: Session, differ: str | None, deleted: bool
) -> None:
    first = post_new(client, notes="first")
    assert first.status_code == 302
    stored = session.scalars(select(Pledge).where(Pledge.notes == "first")).one()
    if deleted:
        delete_pledge(session, stored.id, expected_version=stored.version)
        session.commit()
    second = {"quantity": "6,000", "announced": "2025-07-11", "donor": "Norway",
              "qualifier": "about"}.get(differ or "", "")  # fmt: skip
    changed = {differ: second} if differ else {}
    before = pledge_count(session)
    again = post_new(client, notes="again", **changed)
    if differ is None and not deleted:
        assert again.status_code == 422
        page = again.get_data(as_text=True)
        assert f"pledge {stored.id} has the same donor, recipient, item, figure and date" in page
        assert pledge_count(session) == before
        confirmed = post_new(client, notes="again", repeat_confirmed="y")
        assert confirmed.status_code == 302
    else:
        assert again.status_code == 302, again.get_data(as_text=True)
    assert pledge_count(session) == before + 1


def test_the_api_refuses_the_same_pledge_twice_unless_confirmed(
    client: FlaskClient, session: Session
) -> None:
    body = {**new_pledge_body(session), "currency": "eur", "announced": "2025-07-10"}
    first = client.post("/api/pledges", json=body)
    assert first.status_code == 201
    again = client.post("/api/pledges", json={**body, "amount": "1,000.00", "currency": "EUR"})
    assert again.status_code == 422 and again.get_json()["field"] == "repeat_confirmed"
    assert f"pledge {first.get_json()['id']} has the same" in again.get_json()["error"]
    assert client.post("/api/pledges", json={**body, "repeat_confirmed": 1}).status_code == 400
    second = client.post("/api/pledges", json={**body, "repeat_confirmed": True})
    assert second.status_code == 201 and second.get_json()["id"] != first.get_json()["id"]
