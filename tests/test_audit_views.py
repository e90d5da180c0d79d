"""The audit trail in the browser: a pledge's history, restoring a version, /audit filters."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts import form_fields, make_user, sign_in
from tests.test_conflicts import new_pledge
from tracker.models import AuditEvent, Pledge
from tracker.models._types import utcnow
from tracker.services.audit_log import AuditFilter, field_changes, recent_events
from tracker.services.pledges import update_pledge


def test_history_shows_who_when_and_fields_before_and_after(app: Flask, session: Session) -> None:
    analyst = make_user(session, "analyst", "dana")
    pledge = new_pledge(session, analyst)
    update_pledge(session, pledge.id, {"stage": "delivered"}, expected_version=1, user=analyst)
    session.commit()
    client = app.test_client()
    assert client.get(f"/pledges/{pledge.id}/history").status_code == 302  # names need an account
    sign_in(client, make_user(session, "viewer"))
    page = client.get(f"/pledges/{pledge.id}/history").get_data(as_text=True)
    assert "Version 2: update" in page and "Version 1: create" in page
    assert "by dana" in page
    assert '<th scope="row">stage</th>' in page
    assert "<td>announced</td>" in page and "<td>delivered</td>" in page
    assert "Restore version" not in page  # only admins restore
    assert client.get("/pledges/999999/history").status_code == 404


def test_an_admin_restores_an_earlier_version_as_a_new_audited_change(
    app: Flask, session: Session
) -> None:
    analyst, admin = make_user(session, "analyst"), make_user(session, "admin", "root")
    pledge = new_pledge(session, analyst)
    update_pledge(
        session, pledge.id, {"amount": Decimal("5000000"), "notes": "typo"},
        expected_version=1, user=analyst,
    )  # fmt: skip
    session.commit()
    client = app.test_client()
    sign_in(client, admin)
    page = client.get(f"/pledges/{pledge.id}/history").get_data(as_text=True)
    assert "Restore version 1" in page and "Restore version 2" not in page
    fields = form_fields(page, "restore")
    assert fields["expected_version"] == "2"
    first_event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id)
        .order_by(AuditEvent.id)
    ).first()
    assert first_event is not None
    response = client.post(f"/pledges/{pledge.id}/history/{first_event.id}/restore", data=fields)
    assert response.status_code == 303

    session.expire_all()
    restored = session.get(Pledge, pledge.id)
    assert restored is not None
    assert (restored.amount, restored.notes, restored.version) == (Decimal("1000000.00"), None, 3)
    last = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert last is not None
    assert (last.action, last.username, last.version) == ("update", "root", 3)
    assert "restored the values of version 1" in (last.note or "")
    after = client.get(f"/pledges/{pledge.id}/history").get_data(as_text=True)
    assert "restored the values of version 1" in after


def test_a_stale_restore_is_refused_with_409(app: Flask, session: Session) -> None:
    admin = make_user(session, "admin")
    pledge = new_pledge(session, admin)
    update_pledge(session, pledge.id, {"notes": "second"}, expected_version=1, user=admin)
    session.commit()
    client = app.test_client()
    sign_in(client, admin)
    fields = form_fields(client.get(f"/pledges/{pledge.id}/history").get_data(as_text=True))
    update_pledge(session, pledge.id, {"notes": "third"}, expected_version=2, user=admin)
    session.commit()
    first_event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id)
        .order_by(AuditEvent.id)
    ).first()
    assert first_event is not None
    response = client.post(f"/pledges/{pledge.id}/history/{first_event.id}/restore", data=fields)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Version 2 (yours)" in page and "second" in page and "third" in page
    session.expire_all()
    assert session.get(Pledge, pledge.id).notes == "third"  # type: ignore[union-attr]


def test_audit_lists_recent_changes_with_filters_and_pages(app: Flask, session: Session) -> None:
    anna, ben = make_user(session, "analyst", "anna2"), make_user(session, "analyst", "ben2")
    pledges = [new_pledge(session, anna) for _ in range(3)]
    update_pledge(session, pledges[0].id, {"notes": "x"}, expected_version=1, user=ben)
    session.commit()
    client = app.test_client()
    assert client.get("/audit").headers["Location"] == "/login?next=/audit"
    sign_in(client, make_user(session, "viewer"))

    page = client.get("/audit?user=ben2").get_data(as_text=True)
    assert "1 change;" in page and f"pledge {pledges[0].id}" in page
    page = client.get("/audit?action=create&user=anna2").get_data(as_text=True)
    assert "3 changes;" in page
    today = utcnow().date()
    between = f"/audit?entity=pledge&since={today}&until={today}&user=anna2"
    assert "3 changes;" in client.get(between).get_data(as_text=True)
    tomorrow = today + timedelta(days=1)
    assert "0 changes;" in client.get(f"/audit?since={tomorrow}").get_data(as_text=True)

    assert client.get("/audit?since=yesterday").status_code == 400
    assert "not a date" in client.get("/audit?since=yesterday").get_data(as_text=True)
    assert client.get("/audit?action=explode").status_code == 400

    mine = recent_events(session, AuditFilter(username="anna2"), page=1, per_page=2)
    assert (mine.total, mine.pages, len(mine.events), mine.has_next) == (3, 2, 2, True)
    second = recent_events(session, AuditFilter(username="anna2"), page=2, per_page=2)
    assert len(second.events) == 1 and not second.has_next and second.has_previous
    assert mine.events[0].id > mine.events[1].id > second.events[0].id


def test_field_changes_leave_out_bookkeeping(session: Session) -> None:
    event = AuditEvent(
        action="update", entity="pledge", entity_id=1,
        before={"stage": "announced", "version": 1, "updated_at": "a", "notes": None},
        after={"stage": "committed", "version": 2, "updated_at": "b", "notes": None},
    )  # fmt: skip
    assert [(c.name, c.before, c.after) for c in field_changes(event)] == [
        ("stage", "announced", "committed")
    ]


def test_an_admin_deletes_softly_and_brings_the_pledge_back(app: Flask, session: Session) -> None:
    admin = make_user(session, "admin", "keeper")
    pledge = new_pledge(session, admin)
    client = app.test_client()
    sign_in(client, admin)
    fields = form_fields(
        client.get(f"/pledges/{pledge.id}/history").get_data(as_text=True), "delete"
    )
    assert client.post(f"/pledges/{pledge.id}/delete", data=fields).status_code == 303
    session.expire_all()
    assert session.get(Pledge, pledge.id).deleted_at is not None  # type: ignore[union-attr]

    response = client.get(f"/pledges/{pledge.id}/history")
    page = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 200
    assert "Bring the deleted pledge back" in page and "Version 2: delete by keeper" in page
    fields = form_fields(page, "undelete")
    assert client.post(f"/pledges/{pledge.id}/undelete", data=fields).status_code == 303
    session.expire_all()
    assert session.get(Pledge, pledge.id).deleted_at is None  # type: ignore[union-attr]
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "delete", "restore"]
    stale = client.post(f"/pledges/{pledge.id}/undelete", data=fields)
    assert stale.status_code == 409
