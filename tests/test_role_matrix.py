"""Every write route × every kind of visitor, with the status each must get.

The routes come from the app's URL map: any rule accepting POST, PUT, PATCH or
DELETE is checked, so a new write route fails here until its view carries
`role_required` / `api_role_required` and is listed in EXPECTED_ROLES.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from tests.accounts import make_user, sign_in
from tests.factories import make_pledge, make_source
from tracker import create_app
from tracker.services.audit import record, snapshot
from tracker.views.access import (
    OPEN_WRITE_ENDPOINTS,
    WriteRoute,
    unguarded_write_routes,
    write_routes,
)

# The role each write route needs. Analysts create, edit, review and import; admins
# also manage accounts and the catalogue, delete and restore.
EXPECTED_ROLES = {
    "pledges.new": "analyst",
    "pledges.edit": "analyst",
    "review.accept": "analyst",
    "review.reject": "analyst",
    "review.restore": "analyst",
    "review.decide_many": "analyst",
    "review.undo": "analyst",
    "sources.new": "analyst",
    "imports.table_import": "analyst",
    "api_writes.api_create_pledge": "analyst",
    "api_writes.api_update_pledge": "analyst",
    "audit.restore_pledge_version": "admin",
    "audit.delete_pledge_softly": "admin",
    "audit.undelete_pledge": "admin",
    "users.create": "admin",
    "users.update": "admin",
    "donors.new": "admin",
    "donors.edit": "admin",
    "items.new": "admin",
    "items.edit": "admin",
    "pledge_reports.record": "analyst",
    "pledge_reports.package": "analyst",
    "pledge_reports.link": "analyst",
    "pledge_reports.unlink": "analyst",
    "pledge_reports.separate": "analyst",
    "pledge_reports.split": "analyst",
    "pledge_reports.unsplit": "analyst",
    "pledge_reports.unsplit_stage": "analyst",
    "pledge_reports.confirm": "analyst",
    "pledge_reports.unupdate": "analyst",
}
VISITORS = ("anonymous", "viewer", "analyst", "admin")
ROLE_RANK = {"viewer": 1, "analyst": 2, "admin": 3}


def route_listing_app() -> Flask:
    """The app, built only to read its URL map at collection time."""
    return create_app({"TESTING": True, "SESSION_FACTORY": sessionmaker()})


def guarded_write_routes() -> list[WriteRoute]:
    """The write routes that need a role (signing in and out need none)."""
    return [r for r in write_routes(route_listing_app()) if r.endpoint not in OPEN_WRITE_ENDPOINTS]


def test_every_write_route_checks_a_role() -> None:
    unguarded = unguarded_write_routes(route_listing_app())
    assert unguarded == [], "write routes without role_required/api_role_required: " + ", ".join(
        f"{r.rule} ({r.endpoint})" for r in unguarded
    )


def test_every_write_route_needs_the_expected_role() -> None:
    found = {r.endpoint: r.required_role for r in guarded_write_routes()}
    missing = sorted(set(found) - set(EXPECTED_ROLES))
    assert not missing, f"add these write routes to EXPECTED_ROLES: {missing}"
    assert found == {e: role for e, role in EXPECTED_ROLES.items() if e in found}


def test_a_new_write_route_without_a_check_is_found(session_factory: sessionmaker[Session]) -> None:
    app = create_app({"TESTING": True, "SESSION_FACTORY": session_factory})

    @app.post("/pledges/<int:pledge_id>/forgotten")
    def forgotten(pledge_id: int) -> str:
        """A write route someone forgot to guard."""
        return "changed"

    assert [r.endpoint for r in unguarded_write_routes(app)] == ["forgotten"]


def url_arguments(session: Session) -> dict[str, Any]:
    """Real rows for the route arguments, so allowed requests reach the view's own checks."""
    source = make_source(session)
    pledge = make_pledge(session, source=source)
    event = record(
        session, action="create", entity="pledge", entity_id=pledge.id, before=None,
        after=snapshot(pledge), version=pledge.version,
    )  # fmt: skip
    session.commit()
    return {
        "pledge_id": pledge.id,
        "source_id": source.id,
        "donor_id": pledge.donor_id,
        "item_id": pledge.item_id,
        "event_id": event.id,
        "user_id": make_user(session, "viewer").id,
        "id": pledge.id,
    }


def expected_outcome(route: WriteRoute, visitor: str) -> str:
    """'login' (redirect to /login or 401), 'forbidden' (403) or 'allowed'."""
    if visitor == "anonymous":
        return "login"
    needed = route.required_role or EXPECTED_ROLES[route.endpoint]
    return "allowed" if ROLE_RANK[visitor] >= ROLE_RANK[needed] else "forbidden"


MATRIX = [
    pytest.param(route, method, visitor, id=f"{method} {route.rule} as {visitor}")
    for route in guarded_write_routes()
    for method in sorted(route.methods)
    for visitor in VISITORS
]


@pytest.mark.parametrize(("route", "method", "visitor"), MATRIX)
def test_role_matrix(
    session_factory: sessionmaker[Session],
    session: Session,
    route: WriteRoute,
    method: str,
    visitor: str,
) -> None:
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "SESSION_FACTORY": session_factory,
         "WTF_CSRF_ENABLED": False}
    )  # fmt: skip
    client = app.test_client()
    arguments = url_arguments(session)
    if visitor != "anonymous":
        sign_in(client, make_user(session, visitor))
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == route.endpoint)
    path = rule.build({name: arguments.get(name, 1) for name in rule.arguments})[1]  # type: ignore[index]
    response = client.open(path, method=method, data={})

    outcome = expected_outcome(route, visitor)
    where = f"{method} {path} as {visitor}"
    if outcome == "login":
        if route.is_api:
            assert response.status_code == 401, where
            assert response.is_json, where
        else:
            assert response.status_code == 302, where
            assert response.headers["Location"].startswith("/login?next="), where
    elif outcome == "forbidden":
        assert response.status_code == 403, where
        if route.is_api:
            assert response.is_json, where
    else:
        assert response.status_code not in (401, 403, 429), where
        assert response.status_code < 500, where
        assert "/login" not in response.headers.get("Location", ""), where


# Pages that name accounts: they need a signed-in account even when reading is public.
ACCOUNT_NAMING_PAGES = ("/audit", "/pledges/{pledge_id}/history")


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("page", ACCOUNT_NAMING_PAGES)
def test_pages_naming_accounts_need_an_account(
    session_factory: sessionmaker[Session], session: Session, page: str, visitor: str
) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SESSION_FACTORY": session_factory,
                      "PUBLIC_READ": True})  # fmt: skip
    client = app.test_client()
    path = page.format(**url_arguments(session))
    if visitor != "anonymous":
        sign_in(client, make_user(session, visitor))
    response = client.get(path)
    if visitor == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"] == "/login?next=" + path
    else:
        assert response.status_code == 200, path
