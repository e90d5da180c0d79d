"""Pledge pages: list, detail, and the new/edit forms with CSRF, inline errors and versions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.views.helpers import SENTENCE, add_article_with_evidence, add_pledge, csrf_token
from tracker.models import Pledge
from tracker.services.pledges import update_pledge

LABELS = (
    "Donor",
    "Recipient",
    "Kind",
    "Item",
    "Quantity",
    "Amount",
    "Currency",
    "Qualifier",
    "Announced",
    "Stage",
    "Source URL",
    "Notes",
)


def valid_form(**overrides: str) -> dict[str, str]:
    """A complete, valid pledge form submission."""
    data = {
        "donor": "Britain", "recipient": "", "kind": "", "item": "air defence missiles",
        "item_text": "", "quantity": "5,000", "amount": "", "currency": "",
        "qualifier": "at_least", "qualifier_text": "more than", "announced": "2025-07-10",
        "announced_precision": "day", "stage": "announced",
        "source_url": "https://news.example/article", "notes": "From the briefing.",
    }  # fmt: skip
    data.update(overrides)
    return data


def post_new(client, **overrides: str):  # type: ignore[no-untyped-def]
    """Submit the new-pledge form with a real CSRF token."""
    token = csrf_token(client, "/pledges/new")
    page = client.get("/pledges/new").get_data(as_text=True)
    recipient = page.split('id="recipient"')[1].split('value="')[1].split('"')[0]
    data = valid_form(recipient=recipient, **overrides)
    return client.post("/pledges/new", data={"csrf_token": token, **data})


def test_list_search_sort_and_pages(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", notes="budget line 7")
    add_pledge(session, "France", "tanks", quantity="12")
    page = client.get("/pledges").get_data(as_text=True)
    assert "Germany" in page and "France" in page and "2 pledges, €1.0m." in page
    page = client.get("/pledges?q=budget line").get_data(as_text=True)
    assert "Germany" in page and "France" not in page
    page = client.get("/pledges?q=TANK").get_data(as_text=True)
    assert "France" in page and "Germany" not in page
    ascending = client.get("/pledges?sort=donor&dir=asc").get_data(as_text=True)
    assert ascending.index("France") < ascending.index("Germany")
    descending = client.get("/pledges?sort=donor&dir=desc").get_data(as_text=True)
    assert descending.index("Germany") < descending.index("France")
    refused = client.get("/pledges?sort=evil")
    assert refused.status_code == 400 and "sort=&#39;evil&#39; is not one of" in refused.text


def test_list_pages_by_fifty_after_the_last_pledge_shown(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    made = [add_pledge(session, "Norway", "aid") for _ in range(51)]
    first = client.get("/pledges?sort=id&dir=asc").get_data(as_text=True)
    assert "51 pledges" in first and 'rel="next"' in first
    assert f"after={made[49].id}" in first
    second = client.get(f"/pledges?sort=id&dir=asc&after={made[49].id}").get_data(as_text=True)
    assert second.count('<a href="/pledges/') == 1 and f'data-id="{made[50].id}"' in second
    assert 'rel="next"' not in second and 'rel="first"' in second


def test_detail_shows_every_field_and_the_evidence_link(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    source, pledge = add_article_with_evidence(session)
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert SENTENCE in page
    assert f'href="/sources/{source.id}#evidence-{pledge.evidence_id}"' in page
    assert "≥ 5,000 missiles" in page and "more than" in page and "not reviewed" in page
    for label in (
        "Donor",
        "Recipient",
        "Kind",
        "Item",
        "Quantity",
        "Amount",
        "Currency",
        "Qualifier",
        "Announced",
        "Stage",
        "Rate used",
        "Stated conversion",
        "Review",
    ):
        assert f"<dt>{label}</dt>" in page


def test_detail_shows_rate_and_stated_conversion(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(
        session,
        "United Kingdom",
        "aid",
        amount="283000000",
        currency="GBP",
        stated_amount="384000000",
        stated_currency="USD",
    )
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    rate = page.split('id="rate"')[1].split("</dd>")[0]
    session.refresh(pledge)  # the rates as stored, with the column's decimal places
    assert f"1 EUR = {pledge.eur_rate} GBP = {pledge.usd_rate} USD" in rate
    assert "US$384,000,000.00" in page.split('id="stated"')[1].split("</dd>")[0]
    assert "£283,000,000.00" in page


def test_missing_pledge_is_404_without_a_traceback(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/pledges/999999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "There is no pledge 999999." in page and "Traceback" not in page


def test_new_form_has_visible_labels_and_pickers(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/pledges/new").get_data(as_text=True)
    for label in LABELS:
        assert f">{label}</label>" in page, label
    assert 'list="donor-names"' in page and '<option value="Britain">' in page
    assert 'list="item-names"' in page and '<option value="air defence missiles">' in page
    assert '<option value="GBP">GBP</option>' in page
    assert '<option selected value="1">' in page or "Ukraine" in page


def test_new_pledge_from_aliases_is_saved(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    response = post_new(client)
    assert response.status_code == 302
    pledge = session.scalars(select(Pledge).order_by(Pledge.id.desc())).first()
    assert pledge is not None
    assert response.headers["Location"] == f"/pledges/{pledge.id}"
    assert pledge.donor.name == "United Kingdom"
    assert pledge.quantity == Decimal("5000") and pledge.qualifier == "at_least"
    assert not pledge.reviewed and pledge.source is not None  # reviewed only when ticked
    assert pledge.source.url == "https://news.example/article"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Pledge {pledge.id} saved." in page


def test_new_money_pledge_is_converted(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    response = post_new(
        client,
        item="aid",
        quantity="",
        amount="283,000,000",
        currency="GBP",
        qualifier="up_to",
        qualifier_text="up to",
    )
    assert response.status_code == 302
    pledge = session.scalars(select(Pledge).order_by(Pledge.id.desc())).first()
    assert pledge is not None and pledge.amount == Decimal("283000000.00")
    assert pledge.eur is not None and pledge.eur > 0


def test_unknown_donor_and_item_are_inline_errors(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    response = post_new(client, donor="Atlantis", item="death rays")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "No donor is known as &#39;Atlantis&#39;" in page
    assert "No catalogue item is called &#39;death rays&#39;" in page
    assert 'aria-invalid="true"' in page and 'value="Atlantis"' in page
    assert session.scalars(select(Pledge)).first() is None


def test_shape_errors_name_the_field(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    cases = [
        ({"quantity": "lots"}, "quantity-errors"),
        ({"quantity": "", "amount": "5", "currency": ""}, "amount-errors"),
        ({"quantity": "", "currency": "EUR"}, "currency-errors"),
        ({"quantity": "", "qualifier": "exact"}, "qualifier-errors"),
        ({"qualifier": "unknown"}, "qualifier-errors"),
        ({"announced": "10/07/2025"}, "announced-errors"),
        ({"source_url": "not a url"}, "source_url-errors"),
        ({"donor": ""}, "donor-errors"),
        ({"stage": "rumoured"}, "stage-errors"),
    ]
    for overrides, error_id in cases:
        response = post_new(client, **overrides)
        assert response.status_code == 422, overrides
        assert f'id="{error_id}"' in response.get_data(as_text=True), overrides
    assert session.scalars(select(Pledge)).first() is None


def test_post_without_csrf_token_is_refused(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/pledges/new", data=valid_form(recipient="1"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "CSRF" in page and "Traceback" not in page
    assert session.scalars(select(Pledge)).first() is None


def test_edit_form_carries_the_version_and_saves(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Germany", "aid", amount="1000000", currency="EUR")
    page = client.get(f"/pledges/{pledge.id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page and 'value="Germany"' in page
    token = csrf_token(client, f"/pledges/{pledge.id}/edit")
    data = valid_form(
        donor="Germany",
        item="aid",
        quantity="",
        amount="2,500,000",
        currency="EUR",
        qualifier="exact",
        recipient=str(pledge.recipient_id),
        version="1",
    )
    response = client.post(f"/pledges/{pledge.id}/edit", data={"csrf_token": token, **data})
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Pledge, pledge.id)
    assert stored is not None and stored.amount == Decimal("2500000.00") and stored.version == 2


def edit_article_pledge(client, pledge: Pledge, **changes: str):  # type: ignore[no-untyped-def]
    """Post the edit form of `add_article_with_evidence`'s pledge with some fields changed."""
    token = csrf_token(client, f"/pledges/{pledge.id}/edit")
    data = valid_form(
        donor="United Kingdom",
        recipient=str(pledge.recipient_id),
        version=str(pledge.version),
        **changes,
    )
    return client.post(f"/pledges/{pledge.id}/edit", data={"csrf_token": token, **data})


def test_edit_keeps_an_article_source_when_the_url_is_blank(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    source, pledge = add_article_with_evidence(session)
    response = edit_article_pledge(client, pledge, source_url="", notes="checked")
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Pledge, pledge.id)
    assert stored is not None and stored.source_id == source.id and stored.notes == "checked"


def test_invalid_edit_is_422_and_changes_nothing(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Germany", "aid", amount="1000000", currency="EUR")
    token = csrf_token(client, f"/pledges/{pledge.id}/edit")
    data = valid_form(
        donor="Germany",
        item="aid",
        quantity="",
        amount="-5",
        currency="EUR",
        recipient=str(pledge.recipient_id),
        qualifier="exact",
        version="1",
    )
    response = client.post(f"/pledges/{pledge.id}/edit", data={"csrf_token": token, **data})
    assert response.status_code == 422
    assert 'id="amount-errors"' in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Pledge, pledge.id).version == 1  # type: ignore[union-attr]


def test_stale_edit_is_a_409_and_keeps_the_newer_values(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Germany", "aid", amount="1000000", currency="EUR")
    token = csrf_token(client, f"/pledges/{pledge.id}/edit")
    update_pledge(session, pledge.id, {"notes": "other analyst"}, expected_version=1)
    session.commit()
    data = valid_form(
        donor="Germany",
        item="aid",
        quantity="",
        amount="9",
        currency="EUR",
        qualifier="exact",
        recipient=str(pledge.recipient_id),
        version="1",
    )
    response = client.post(f"/pledges/{pledge.id}/edit", data={"csrf_token": token, **data})
    assert response.status_code == 409
    assert "version 2" in response.get_data(as_text=True)
    session.expire_all()
    stored = session.get(Pledge, pledge.id)
    assert stored is not None and stored.notes == "other analyst"
    assert stored.amount == Decimal("1000000.00")


def test_edit_of_missing_pledge_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/pledges/999999/edit").status_code == 404


def test_list_filters_by_the_shared_vocabulary(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    germany = add_pledge(session, "Germany", "aid", amount="5000000", currency="EUR")
    tanks = add_pledge(session, "Germany", "tanks", quantity="12", reviewed=False)
    france = add_pledge(session, "France", "aid", amount="3000000", currency="EUR")

    def listed(query: str) -> set[int]:
        response = client.get(f"/pledges?{query}")
        assert response.status_code == 200, query
        return {p.id for p in (germany, tanks, france) if f'data-id="{p.id}"' in response.text}

    assert listed("donor=Germany") == {germany.id, tanks.id}
    assert listed(f"donor={france.donor_id}&kind=financial") == {france.id}
    assert listed("reviewed=0") == {tanks.id}
    assert listed("reviewed=1&kind=financial") == {germany.id, france.id}
    assert listed("item=tanks") == {tanks.id}
    assert listed("category=armour&donor=Britain") == set()
    page = client.get("/pledges?donor=Germany&kind=financial").text
    assert 'value="Germany"' in page and "1 pledge, €5.0m." in page
    assert 'href="/exports/pledges.csv?donor=' in page
    excel = client.get(f"/exports/pledges.csv?donor={germany.donor_id}&kind=financial&excel=1")
    assert excel.data.startswith(b"\xef\xbb\xbf") and b"&amp;excel=1" in page.encode()
    assert 'filename="pledges-germany-financial.csv"' in excel.headers["Content-Disposition"]


def test_the_kept_list_follows_every_saved_change_and_who_may_enter_pledges(
    client, anonymous_client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    """The list's content is kept per query and data version: a new pledge shows at once,
    and the New pledge button only ever to those who may enter one."""
    first = add_pledge(session, "Germany", "aid", amount="10.00", currency="EUR")
    before = client.get("/pledges?sort=id&dir=desc").get_data(as_text=True)
    assert f'data-id="{first.id}"' in before and "New pledge" in before
    assert client.get("/pledges?sort=id&dir=desc").get_data(as_text=True) == before
    second = add_pledge(session, "France", "aid", amount="20.00", currency="EUR")
    after = client.get("/pledges?sort=id&dir=desc").get_data(as_text=True)
    assert f'data-id="{second.id}"' in after
    seen = anonymous_client.get("/pledges?sort=id&dir=desc")
    assert seen.status_code == 200 and f'data-id="{second.id}"' in seen.get_data(as_text=True)
    assert "New pledge" not in seen.get_data(as_text=True)


@given(whole=st.integers(min_value=2**31, max_value=10**12 - 1))  # a quantity: 12 digits
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_amount_or_quantity_in_plain_digits_past_two_billion_is_saved(
    client, session: Session, whole: int
) -> None:  # type: ignore[no-untyped-def]
    """€3bn written "3000000000" is an amount like any other (the guard's limit on values
    written in digits is for ids and page numbers), and so is a quantity of as many rounds."""
    response = post_new(client, amount=str(whole), currency="EUR", quantity=str(whole))
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    pledge_id = int(response.headers["Location"].rsplit("/", 1)[1])
    pledge = session.get(Pledge, pledge_id)
    assert pledge is not None
    session.refresh(pledge)
    assert (pledge.amount, pledge.quantity) == (Decimal(whole), Decimal(whole))


@pytest.mark.parametrize("currency", ["EUR", "USD", "GBP", "JPY"])
def test_the_rate_used_reads_the_way_the_ecb_quotes_it(
    client, session: Session, currency: str
) -> None:  # type: ignore[no-untyped-def]
    """The ECB quotes units of a currency per euro: the page says "1 EUR = 140.66 JPY", and
    the amount divided by that rate is the euro figure shown (not "1 JPY = 140.66 EUR")."""
    pledge = add_pledge(session, "Norway", "aid", amount="1000000", currency=currency)
    session.refresh(pledge)  # the rates as stored, with the column's decimal places
    assert pledge.eur_rate is not None and pledge.eur is not None
    rate = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    rate = rate.split('id="rate"')[1].split("</dd>")[0]
    stated = f"1 EUR = {pledge.eur_rate} {currency}" if currency != "EUR" else ""
    if currency != "USD":
        stated += f"{' = ' if stated else '1 EUR = '}{pledge.usd_rate} USD"
    assert stated in rate
    assert f"1 {currency} = " not in rate or currency == "EUR"
    assert abs(pledge.amount / pledge.eur_rate - pledge.eur) < Decimal("0.01")


def test_a_blank_donor_or_item_says_it_is_required_once(client) -> None:  # type: ignore[no-untyped-def]
    """A blank name is "required", not also "no donor is known as ''"."""
    response = post_new(client, donor="  ", item="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("donor", "item"):
        errors = page.split(f'id="{name}-errors"')[1].split("</ul>")[0]
        assert errors.count("<li>") == 1, errors
    assert "is known as &#39;" not in page and "is called &#39;&#39;" not in page


def test_an_edit_moving_a_pledge_off_its_evidence_source_is_refused_at_the_source_url(
    client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    source, pledge = add_article_with_evidence(session)
    response = edit_article_pledge(client, pledge, source_url="https://elsewhere.example/report")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="source_url-errors"' in page and f"of source {source.id}" in page
    session.expire_all()
    stored = session.get(Pledge, pledge.id)
    assert stored is not None and stored.source_id == source.id and stored.version == 1
