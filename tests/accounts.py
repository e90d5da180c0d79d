"""Accounts for tests: create one per role and sign a test client in as it."""

from __future__ import annotations

import itertools

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.models import User
from tracker.services.users import create_user
from tracker.views.access import session_user_id

TEST_PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(session: Session, role: str = "viewer", username: str | None = None) -> User:
    """A new active account with TEST_PASSWORD, committed (to the test's savepoint)."""
    user = create_user(session, username or f"{role}{next(_counter)}", TEST_PASSWORD, role)
    session.commit()
    return user


def sign_in(client: FlaskClient, user: User | None) -> None:
    """Make the client's next requests come from `user` (None: anonymous)."""
    with client.session_transaction() as flask_session:
        flask_session.clear()
        if user is not None:
            flask_session["_user_id"] = session_user_id(user)
            flask_session["_fresh"] = True


def form_fields(page: str, action_contains: str = "") -> dict[str, str]:
    """The values a browser would submit from the page's first form whose action matches."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    form = next(
        f
        for f in soup.find_all("form")
        if f.get("method", "get").lower() == "post"
        and action_contains in (f.get("action") or "")
        and not (f.get("class") and "logout" in f.get("class"))
    )
    values: dict[str, str] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            values[name] = chosen.get("value", chosen.text) if chosen else ""
        elif field.name == "textarea":
            values[name] = field.text
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values[name] = field.get("value", "y")
        else:
            values[name] = field.get("value", "")
    return values


def signed_in_client(app: Flask, user: User) -> FlaskClient:
    """A new test client of `app`, signed in as `user`."""
    client = app.test_client()
    sign_in(client, user)
    return client
