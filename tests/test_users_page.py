"""The accounts page: an admin creates accounts and changes roles; nobody else gets in."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from tests.accounts import form_fields, make_user, sign_in
from tracker.services.users import authenticate, find_user

PASSWORD = "a fresh long password"


def test_an_admin_creates_an_account_and_changes_its_role(app: Flask, session: Session) -> None:
    client = app.test_client()
    sign_in(client, make_user(session, "admin", "boss"))
    page = client.get("/users").get_data(as_text=True)
    assert "boss" in page and "Accounts" in page
    new = form_fields(page.split("<h2>New account</h2>")[1])
    new.update(username="ivan", role="analyst", password=PASSWORD, confirm=PASSWORD)
    response = client.post("/users", data=new)
    assert response.status_code == 303
    assert authenticate(session, "ivan", PASSWORD) is not None
    ivan = find_user(session, "ivan")
    assert ivan is not None and ivan.role == "analyst"

    page = client.get("/users").get_data(as_text=True)
    row = page.split(f'id="account-{ivan.id}"')[1]
    fields = form_fields(row)
    assert fields[f"u{ivan.id}-role"] == "analyst" and fields[f"u{ivan.id}-active"] == "y"
    fields[f"u{ivan.id}-role"] = "viewer"
    del fields[f"u{ivan.id}-active"]
    assert client.post(f"/users/{ivan.id}", data=fields).status_code == 303
    session.expire_all()
    assert (ivan.role, ivan.active) == ("viewer", False)


def test_bad_new_accounts_say_what_is_wrong(app: Flask, session: Session) -> None:
    client = app.test_client()
    sign_in(client, make_user(session, "admin"))
    new = form_fields(client.get("/users").get_data(as_text=True).split("<h2>New account</h2>")[1])
    differ = client.post("/users", data={**new, "username": "jo", "password": PASSWORD,
                                         "confirm": PASSWORD + "x"})  # fmt: skip
    assert differ.status_code == 400 and "The passwords differ." in differ.get_data(as_text=True)
    short = client.post("/users", data={**new, "username": "jo", "password": "short",
                                        "confirm": "short"})  # fmt: skip
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    assert find_user(session, "jo") is None


def test_a_refused_account_change_names_the_field(app: Flask, session: Session) -> None:
    client = app.test_client()
    sign_in(client, make_user(session, "admin"))
    other = make_user(session, "analyst", "ana")
    page = client.get("/users").get_data(as_text=True)
    fields = form_fields(page.split(f'id="account-{other.id}"')[1])
    fields[f"u{other.id}-role"] = "superuser"
    response = client.post(f"/users/{other.id}", data=fields)
    assert response.status_code == 400
    refusal = "The account form was refused. Role: &#34;superuser&#34; is not one of viewer,"
    assert refusal in response.get_data(as_text=True)
    session.expire_all()
    assert other.role == "analyst"


def test_the_last_admin_cannot_demote_themselves(app: Flask, session: Session) -> None:
    admin = make_user(session, "admin", "solo")
    client = app.test_client()
    sign_in(client, admin)
    page = client.get("/users").get_data(as_text=True)
    fields = form_fields(page.split(f'id="account-{admin.id}"')[1])
    fields[f"u{admin.id}-role"] = "viewer"
    response = client.post(f"/users/{admin.id}", data=fields, follow_redirects=True)
    assert "last active admin" in response.get_data(as_text=True)
    session.expire_all()
    assert admin.role == "admin"


def test_analysts_cannot_see_the_accounts(app: Flask, session: Session) -> None:
    client = app.test_client()
    sign_in(client, make_user(session, "analyst"))
    assert client.get("/users").status_code == 403
    assert "Accounts</a>" not in client.get("/").get_data(as_text=True)
