"""The catalogue pages: admins add and edit donors and items through the forms."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.accounts import form_fields, make_user, signed_in_client
from tests.factories import donor_named, item_named, make_item
from tests.services.test_totals import assert_rollup_is_fresh
from tests.views.helpers import add_pledge
from tracker.models import AuditEvent, Donor, Item, ItemCategory
from tracker.services.pledges import find_donor


@pytest.fixture
def admin_client(app, session: Session) -> FlaskClient:  # type: ignore[no-untyped-def]
    """A test client signed in as an admin."""
    return signed_in_client(app, make_user(session, "admin"))


def submit(client: FlaskClient, url: str, **changes: str | list[str]) -> tuple[int, str]:
    """Load the form at `url`, change some fields as a person would, post it back."""
    fields: dict[str, str | list[str]] = dict(form_fields(client.get(url).get_data(as_text=True)))
    fields.update(changes)
    response = client.post(url, data=fields)
    return response.status_code, response.get_data(as_text=True)


def counts(session: Session) -> tuple[int | None, ...]:
    """How many donors, items and audit events there are."""
    tables = (Donor, Item, AuditEvent)
    return tuple(session.scalar(select(func.count()).select_from(t)) for t in tables)


def category_id(session: Session, name: str) -> str:
    """A seeded category's id, as the form's select submits it."""
    return str(session.scalar(select(ItemCategory.id).where(ItemCategory.name == name)))


def test_an_admin_adds_a_donor(admin_client: FlaskClient, session: Session) -> None:
    page = admin_client.get("/donors").get_data(as_text=True)
    assert 'id="new-donor"' in page
    status, _ = submit(admin_client, "/donors/new", name="Nordic Fund", kind="organisation",
                       aliases="Nordic fund for Ukraine\nNordic Ukraine Fund")  # fmt: skip
    assert status == 302
    donor = find_donor(session, "nordic ukraine fund")
    assert donor is not None and donor.name == "Nordic Fund" and donor.kind == "organisation"
    page = admin_client.get(f"/donors/{donor.id}").get_data(as_text=True)
    assert "Nordic fund for Ukraine" in page and 'id="edit-donor"' in page
    audit = admin_client.get("/audit?entity=donor").get_data(as_text=True)
    assert f'href="/donors/{donor.id}">donor {donor.id}</a>' in audit
    assert "Nordic Fund, Nordic fund for Ukraine, Nordic Ukraine Fund" in audit


def test_a_renamed_donor_shows_everywhere_and_old_files_still_find_it(
    admin_client: FlaskClient, session: Session
) -> None:
    pledge = add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    germany = donor_named(session, "Germany")
    assert "Germany" in admin_client.get("/?by=donor").get_data(as_text=True)  # now cached
    edit = f"/donors/{germany.id}/edit"
    page = admin_client.get(edit).get_data(as_text=True)
    assert 'value="Germany"' in page and "DE\nDEU\nFederal Republic of Germany" in page
    status, _ = submit(admin_client, edit, name="Bundesrepublik Deutschland")
    assert status == 302
    session.expire_all()
    assert find_donor(session, "Germany") == find_donor(session, "bundesrepublik deutschland")
    dashboard = admin_client.get("/?by=donor").get_data(as_text=True)
    assert "Bundesrepublik Deutschland" in dashboard
    assert "Bundesrepublik Deutschland" in admin_client.get(f"/pledges/{pledge.id}").get_data(
        as_text=True
    )
    assert "Bundesrepublik Deutschland" in admin_client.get("/pledges").get_data(as_text=True)
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "donor")).one()
    assert event.action == "update" and event.before and event.after
    assert (event.before["name"], event.after["name"]) == ("Germany", "Bundesrepublik Deutschland")


def test_a_donor_form_sets_groups_and_members(admin_client: FlaskClient, session: Session) -> None:
    status, _ = submit(admin_client, "/donors/new", name="Baltic club", kind="group",
                       members="EE\nLatvia\n\nlithuania")  # fmt: skip
    assert status == 302
    club = session.scalars(select(Donor).where(Donor.name == "Baltic club")).one()
    assert [m.iso_code for m in club.members] == ["EE", "LV", "LT"]
    poland = donor_named(session, "Poland")
    status, _ = submit(admin_client, f"/donors/{poland.id}/edit", groups=[str(club.id)])
    assert status == 302
    session.expire_all()
    assert "Poland" in [m.name for m in club.members]
    page = admin_client.get(f"/donors/{poland.id}/edit").get_data(as_text=True)
    checked = re.search(rf'<input checked id="(groups-\d+)" name="groups" type="checkbox" '
                        rf'value="{club.id}">', page)  # fmt: skip
    assert checked and f'<label for="{checked.group(1)}">Baltic club</label>' in page


@pytest.mark.parametrize(
    ("url", "changes", "error_field", "message"),
    [
        ("/donors/new", {"name": ""}, "name", "This field is required."),
        ("/donors/new", {"name": "France"}, "name", "&#39;France&#39; already names France."),
        ("/donors/new", {"aliases": "UK"}, "aliases",
         "&#39;UK&#39; already names United Kingdom."),
        ("/donors/new", {"members": "Atlantis", "kind": "group"}, "members",
         "No donor is known as"),
        ("/donors/new", {"iso_code": "G"}, "iso_code", "Two letters, e.g. GB."),
        ("/donors/new", {"kind": "planet"}, "kind",
         "Kind: &#34;planet&#34; is not one of country,"),
        ("/items/new", {"name": ""}, "name", "This field is required."),
        ("/items/new", {"name": "Tanks"}, "name", "already has an item called &#39;tanks&#39;"),
        ("/items/new", {"category": "999999"}, "category",
         "Category: no item category with id 999999."),
        ("/items/new", {"category": "air defence"}, "category",
         "Category: &#34;air defence&#34; is not an id (a whole number)"),
        ("/items/new", {"unit": "u" * 41}, "unit", "Field cannot be longer than 40 characters."),
    ],
)  # fmt: skip
def test_an_invalid_form_is_shown_again_with_its_errors_and_nothing_is_written(
    admin_client: FlaskClient,
    session: Session,
    url: str,
    changes: dict[str, str],
    error_field: str,
    message: str,
) -> None:
    before = counts(session)
    status, page = submit(admin_client, url, **{"name": "Nordic sandbags", **changes})
    assert status == 422
    assert f'id="{error_field}-errors"' in page and message in page
    assert "was not saved" in page and 'aria-invalid="true"' in page
    assert counts(session) == before


def test_an_invalid_donor_edit_changes_nothing(admin_client: FlaskClient, session: Session) -> None:
    uk = donor_named(session, "United Kingdom")
    aliases = sorted(a.key for a in uk.aliases)
    status, page = submit(admin_client, f"/donors/{uk.id}/edit", name="Britannia",
                          aliases="Britain\nDEU")  # fmt: skip
    assert status == 422 and "&#39;DEU&#39; already names Germany." in page
    assert 'value="Britannia"' in page
    session.expire_all()
    assert uk.name == "United Kingdom" and sorted(a.key for a in uk.aliases) == aliases


def test_an_admin_adds_and_edits_an_item(admin_client: FlaskClient, session: Session) -> None:
    page = admin_client.get("/items").get_data(as_text=True)
    assert 'id="new-item"' in page
    status, _ = submit(admin_client, "/items/new", name="mine clearing vehicles",
                       category=category_id(session, "armour"), unit="vehicle")  # fmt: skip
    assert status == 302
    item = item_named(session, "mine clearing vehicles")
    assert item.category.name == "armour" and item.unit == "vehicle"
    status, _ = submit(admin_client, f"/items/{item.id}/edit", name="demining vehicles")
    assert status == 302
    page = admin_client.get("/items").get_data(as_text=True)
    assert f'<li id="item-{item.id}">demining vehicles' in page
    assert f'href="/items/{item.id}/edit" aria-label="Edit demining vehicles">Edit</a>' in page
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "item").order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "update"]


def test_moving_an_item_moves_its_totals_on_the_dashboard(
    admin_client: FlaskClient, session: Session
) -> None:
    add_pledge(session, "Germany", "military aid", amount="100000000", currency="EUR")
    add_pledge(session, "France", "military aid", quantity="", amount="50000000", currency="EUR",
               stage="delivered")  # fmt: skip
    add_pledge(session, "France", "drones", quantity="300")
    dashboard = admin_client.get("/?by=category").get_data(as_text=True)
    assert "other military" in dashboard
    item = item_named(session, "military aid")
    status, _ = submit(
        admin_client, f"/items/{item.id}/edit", category=category_id(session, "drones")
    )
    assert status == 302
    session.expire_all()
    assert_rollup_is_fresh(session)
    page = admin_client.get("/?by=category").get_data(as_text=True)
    table = page.split('id="totals-category"')[1].split("</table>")[0]
    assert "other military" not in table and "€150.0m" in table


def test_only_admins_see_the_catalogue_links(client: FlaskClient, session: Session) -> None:
    germany = donor_named(session, "Germany")
    assert 'id="new-donor"' not in client.get("/donors").get_data(as_text=True)
    assert 'id="edit-donor"' not in client.get(f"/donors/{germany.id}").get_data(as_text=True)
    items = client.get("/items").get_data(as_text=True)
    assert 'id="new-item"' not in items and "/edit" not in items
    assert client.get(f"/donors/{germany.id}/edit").status_code == 403


def test_a_post_without_csrf_token_is_refused(admin_client: FlaskClient, session: Session) -> None:
    before = counts(session)
    response = admin_client.post("/items/new", data={"name": "sandbags", "category": "1"})
    assert response.status_code == 400
    assert counts(session) == before


def test_an_item_named_as_the_plural_of_another_is_added_once_the_admin_confirms(
    admin_client: FlaskClient, session: Session
) -> None:
    make_item(session, name="Test widget")
    session.commit()
    before = counts(session)
    status, page = submit(admin_client, "/items/new", name="Test widgets")
    assert status == 422
    assert 'id="plural_confirmed-errors"' in page
    assert "has an item called &#39;Test widget&#39;" in page
    assert counts(session) == before
    fields = dict(form_fields(page))
    fields["plural_confirmed"] = "y"
    saved = admin_client.post("/items/new", data=fields)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert session.scalars(select(Item).where(Item.name == "Test widgets")).one()
