"""Requests listed apart from pledges, and an audit trail that reads: names, not ids or
rate padding, and the account behind every import."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts import make_user, sign_in
from tests.factories import donor_named
from tests.views.helpers import SENTENCE, add_article_with_evidence, add_pledge, csrf_token
from tracker.models import AuditEvent, Evidence, Request
from tracker.services.audit_log import field_changes, reference_names
from tracker.services.pledges import update_pledge

ASKING = "Kyiv asked for more air defence supplies."


def add_request(session: Session) -> Request:
    """A request for air defence stated in an article beside a pledge."""
    source, _pledge = add_article_with_evidence(session, text=f"{ASKING} {SENTENCE}")
    evidence = Evidence(source=source, start=0, end=len(ASKING), text=ASKING)
    session.add(evidence)
    session.flush()
    need = Request(
        recipient_id=_ukraine(session), item_text="air defence supplies", source=source,
        evidence=evidence,
    )  # fmt: skip
    session.add(need)
    session.commit()
    return need


def _ukraine(session: Session) -> int:
    """The id of the default recipient."""
    from tests.factories import recipient

    return recipient(session).id


def test_requests_have_their_own_page_and_are_marked_apart_on_the_source(
    client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    need = add_request(session)
    listing = client.get("/requests").get_data(as_text=True)
    assert f'id="request-{need.id}"' in listing and "air defence supplies" in listing
    assert ASKING in listing and 'href="/requests"' in listing
    page = client.get(f"/sources/{need.source_id}").get_data(as_text=True)
    assert f'<mark id="evidence-{need.evidence_id}" class="request">{ASKING}' in page
    assert f'<a href="/requests#request-{need.id}">request {need.id}</a>' in page
    assert 'id="legend"' in page and '<mark class="request">Request</mark>' in page


def test_history_names_donors_and_ignores_rate_padding(app: Flask, session: Session) -> None:
    analyst = make_user(session, "analyst", "edith")
    pledge = add_pledge(session, "Norway", amount="1000", currency="EUR")
    denmark = donor_named(session, "Denmark")
    update_pledge(session, pledge.id, {"donor_id": denmark.id}, expected_version=1, user=analyst)
    session.commit()
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "pledge",
            AuditEvent.entity_id == pledge.id,
            AuditEvent.action == "update",
        )
    ).one()
    padded = AuditEvent(
        action="update", entity="pledge", entity_id=pledge.id,
        before={"eur_rate": "1.00000000", "amount": "1000.00"},
        after={"eur_rate": "1", "amount": "1000.50"},
    )  # fmt: skip
    names = reference_names(session, [event, padded])
    assert [(c.name, c.before, c.after) for c in field_changes(event, names=names)] == [
        ("donor", "Norway", "Denmark")
    ]
    assert [(c.name, c.before, c.after) for c in field_changes(padded)] == [
        ("amount", "1000", "1000.5")
    ]
    client = app.test_client()
    sign_in(client, make_user(session, "viewer"))
    page = client.get(f"/pledges/{pledge.id}/history").get_data(as_text=True)
    assert '<th scope="row">donor</th>' in page and "<td>Denmark</td>" in page
    assert "donor_id" not in page and "1.00000000" not in page
    log = client.get("/audit?action=update").get_data(as_text=True)
    assert "Denmark — aid" in log


def test_an_article_imported_in_the_browser_names_its_account(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/sources/new")
    response = client.post(
        "/sources/new",
        data={"csrf_token": token, "text": f"London, 10 July. {SENTENCE}",
              "published": "2025-07-10", "title": "Browser import"},
    )  # fmt: skip
    assert response.status_code == 302
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert events and {e.username for e in events} == {"test-analyst"}
    assert Decimal("1") == Decimal("1.000")  # padding never makes two numbers differ


def test_the_requests_page_takes_any_page_number(client) -> None:  # type: ignore[no-untyped-def]
    for page in ("", "2", "-1", "x"):
        assert client.get("/requests", query_string={"page": page}).status_code == 200
    for unusable in ("²", "99999999999999999999"):  # digits no integer column holds: 400
        response = client.get("/requests", query_string={"page": unusable})
        assert response.status_code == 400 and "page" in response.get_data(as_text=True)
