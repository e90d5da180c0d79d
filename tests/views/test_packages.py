"""A pledge's package on its page and through the API: the page says what the pledge is
in its package; an analyst sets or unsets the package and its stated total, version-checked
and audited; refusals are 4xx with a message on the field."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge, csrf_token
from tracker.models import AuditEvent, Pledge
from tracker.views.formatting import money


def post_package(client, pledge: Pledge, package: str, total: bool = False):  # type: ignore[no-untyped-def]
    """Submit the package form of the pledge page as of the pledge's version."""
    url = f"/pledges/{pledge.id}"
    form = {"csrf_token": csrf_token(client, url), "version": str(pledge.version),
            "package": package}  # fmt: skip
    if total:
        form["stated_total"] = "y"
    return client.post(f"{url}/package", data=form)


def test_an_analyst_makes_a_package_of_a_total_and_a_part(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    total = add_pledge(session, amount="820000000", currency="USD")
    part = add_pledge(session, amount="50000000", currency="USD")
    assert post_package(client, total, "new", total=True).status_code == 303
    session.expire_all()
    assert total.package_id is not None and total.package_total
    assert post_package(client, part, f"#{total.package_id}").status_code == 303
    session.expire_all()
    assert part.package_id == total.package_id and not part.counts_money
    page = client.get(f"/pledges/{part.id}").get_data(as_text=True)
    shown = page.split('id="package"')[1].split("</dd>")[0]
    assert f"part of package #{total.package_id}" in shown and "stated total" in shown
    stated = money(Decimal("820000000"), "USD")
    assert (
        f"#{total.id}</a> {stated}" in shown and "its money is counted in the stated total" in shown
    )
    page = client.get(f"/pledges/{total.id}").get_data(as_text=True)
    shown = page.split('id="package"')[1].split("</dd>")[0]
    assert "package total" in shown and f"#{part.id}</a>" in shown
    assert money(Decimal("50000000"), "USD") in shown
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == part.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.username == "test-analyst"
    assert event.note == f"package {total.package_id}: part"
    assert post_package(client, part, "").status_code == 303  # out of the package again
    session.expire_all()
    assert part.package_id is None and part.counts_money


def test_refused_package_changes_say_why_on_the_form(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    items = add_pledge(session, item="drones", quantity="40")
    response = post_package(client, items, "new", total=True)
    assert response.status_code == 422
    assert "is an amount of money" in response.get_data(as_text=True)
    response = post_package(client, items, "999999")
    assert response.status_code == 422 and "no package with id 999999" in response.get_data(
        as_text=True
    )
    response = post_package(client, items, "many")
    assert response.status_code == 422 and "package number" in response.get_data(as_text=True)
    session.expire_all()
    assert items.package_id is None and items.version == 1
    stale = client.post(
        f"/pledges/{items.id}/package",
        data={"csrf_token": csrf_token(client, f"/pledges/{items.id}"), "version": "7",
              "package": "new"},
    )  # fmt: skip
    assert stale.status_code == 409


def test_the_api_sets_and_shows_the_stated_total(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    total = add_pledge(session, amount="820000000", currency="USD")
    part = add_pledge(session, amount="50000000", currency="USD")
    post_package(client, total, "new")
    session.expire_all()
    package_id = total.package_id
    body = {"version": part.version, "package_id": package_id}
    assert client.patch(f"/api/pledges/{part.id}", json=body).status_code == 200
    bad = client.patch(
        f"/api/pledges/{total.id}", json={"version": total.version, "package_total": "yes"}
    )
    assert bad.status_code == 422 and bad.get_json()["field"] == "package_total"
    marked = client.patch(
        f"/api/pledges/{total.id}", json={"version": total.version, "package_total": True}
    )
    assert marked.status_code == 200
    shown = client.get(f"/api/pledges/{part.id}").get_json()
    assert shown["package_id"] == package_id and shown["counts_money"] is False
    assert shown["package"]["total_id"] == total.id
    assert shown["package"]["total_amount"] == "820000000.00"
    second = client.patch(
        f"/api/pledges/{part.id}", json={"version": shown["version"], "package_total": True}
    )
    assert second.status_code == 422 and "already has a stated total" in second.get_json()["error"]
