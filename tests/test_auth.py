"""Signing in and out, the sign-in limit, and closed reading."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.accounts import TEST_PASSWORD, make_user, sign_in
from tracker import create_app
from tracker.models import LoginFailure, User
from tracker.models._types import utcnow


@pytest.fixture
def client(anonymous_client: FlaskClient) -> FlaskClient:
    """These tests start with nobody signed in."""
    return anonymous_client


def csrf_token(page: str) -> str:
    """The CSRF token embedded in a rendered form."""
    match = (
        re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        or re.search(r'type="hidden" name="csrf_token" value="([^"]+)"', page)
        or re.search(r'name="csrf_token" value="([^"]+)"', page)
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def post_login(client: FlaskClient, username: str, password: str, next_url: str = "") -> object:
    """Load the sign-in form and submit it, as a browser would."""
    form_page = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login" + (f"?next={next_url}" if next_url else ""),
        data={"username": username, "password": password, "csrf_token": csrf_token(form_page)},
    )


def test_sign_in_shows_the_user_and_sign_out_needs_the_token(
    client: FlaskClient, session: Session
) -> None:
    make_user(session, "analyst", "olga")
    response = post_login(client, "olga", TEST_PASSWORD, next_url="/audit")
    assert response.status_code == 302
    assert response.headers["Location"] == "/audit"
    home = client.get("/").get_data(as_text=True)
    assert "Signed in as <strong>olga</strong> (analyst)" in home

    refused = client.post("/logout", data={})
    assert refused.status_code == 400
    assert "Signed in as" in client.get("/").get_data(as_text=True)

    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Signed in as" not in page and "Sign in" in page


def alert_of(page: str) -> str:
    """The page's error paragraph (role="alert"), or "" when it has none."""
    match = re.search(r'<p class="error" role="alert">([^<]*)</p>', page)
    return match.group(1) if match else ""


TYPED = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(TYPED, min_size=1, max_size=30), password=st.text(TYPED, min_size=1, max_size=40)
)
def test_wrong_credentials_answer_401_alike_for_any_name_and_password(
    client: FlaskClient, session: Session, name: str, password: str
) -> None:
    """A known account with a wrong password and an unknown account answer alike: 401 and
    one message."""
    assume(name.strip() and password.strip() and password != TEST_PASSWORD)
    client.application.config.update(
        LOGIN_MAX_FAILURES_PER_ACCOUNT=10**6, LOGIN_MAX_FAILURES_PER_ADDRESS=10**6
    )
    known = session.scalar(select(User).where(User.username == "wanda")) or make_user(
        session, "viewer", "wanda"
    )
    wrong_password = post_login(client, known.username, password)
    unknown_account = post_login(client, "nobody-" + name, password)
    for response in (wrong_password, unknown_account):
        assert response.status_code == 401
    messages = {alert_of(r.get_data(as_text=True)) for r in (wrong_password, unknown_account)}
    assert messages == {"The account name or password is wrong, or the account is disabled."}
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_an_incomplete_or_tokenless_sign_in_form_answers_400_with_a_message(
    client: FlaskClient, session: Session
) -> None:
    make_user(session, "viewer", "xena")
    empty = post_login(client, "xena", "")
    assert empty.status_code == 400
    assert "enter both the account name and the password" in alert_of(empty.get_data(as_text=True))
    expired = client.post("/login", data={"username": "xena", "password": TEST_PASSWORD})
    assert expired.status_code == 400
    assert "CSRF token is missing" in expired.get_data(as_text=True)
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_next_never_leads_off_the_site(client: FlaskClient, session: Session) -> None:
    make_user(session, "viewer", "quinn")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = post_login(client, "quinn", TEST_PASSWORD, next_url=target)
        assert response.headers["Location"] == "/", target
        sign_in(client, None)


def test_five_failures_lock_the_account_with_429(client: FlaskClient, session: Session) -> None:
    make_user(session, "analyst", "rosa")
    for _ in range(5):
        assert post_login(client, "rosa", "wrong password!").status_code == 401
    blocked = post_login(client, "ROSA", TEST_PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"] == "900"
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_failures_older_than_the_window_do_not_count(client: FlaskClient, session: Session) -> None:
    make_user(session, "analyst", "sven")
    long_ago = utcnow() - timedelta(minutes=16)
    session.add_all(
        LoginFailure(username="sven", address="127.0.0.1", at=long_ago) for _ in range(10)
    )
    session.commit()
    assert post_login(client, "sven", TEST_PASSWORD).status_code == 302
    remaining = session.scalar(select(func.count()).select_from(LoginFailure))
    assert remaining == 0


def test_one_address_is_limited_across_accounts(client: FlaskClient, session: Session) -> None:
    make_user(session, "viewer", "tara")
    for n in range(20):
        post_login(client, f"guess{n}", "wrong password!")
    assert post_login(client, "tara", TEST_PASSWORD).status_code == 429


def test_a_success_clears_the_account_failures(client: FlaskClient, session: Session) -> None:
    make_user(session, "viewer", "uma")
    for _ in range(4):
        post_login(client, "uma", "wrong password!")
    assert post_login(client, "uma", TEST_PASSWORD).status_code == 302
    sign_in(client, None)
    for _ in range(4):
        post_login(client, "uma", "wrong password!")
    assert post_login(client, "uma", TEST_PASSWORD).status_code == 302


def closed_app(session_factory: sessionmaker[Session]) -> Flask:
    """The app with reading closed to anonymous visitors."""
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "SESSION_FACTORY": session_factory,
         "PUBLIC_READ": False}
    )  # fmt: skip


def test_closed_reading_sends_visitors_to_sign_in(
    session_factory: sessionmaker[Session], session: Session
) -> None:
    client = closed_app(session_factory).test_client()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/")
    assert client.get("/login").status_code == 200
    api = client.get("/api/pledges")
    assert api.status_code == 401
    assert api.get_json()["error"].startswith("sign in first")

    assert client.get("/healthz").status_code == 200  # load balancers need no account
    sign_in(client, make_user(session, "viewer"))
    assert client.get("/").status_code == 200


def test_reading_is_public_by_default(client: FlaskClient) -> None:
    assert client.get("/").status_code == 200


def test_a_disabled_account_is_signed_out(client: FlaskClient, session: Session) -> None:
    user = make_user(session, "analyst", "vera")
    sign_in(client, user)
    assert "Signed in as" in client.get("/").get_data(as_text=True)
    user.active = False
    session.commit()
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_a_new_password_signs_out_the_sessions_opened_with_the_old_one(
    client: FlaskClient, session: Session
) -> None:
    from tracker.services.users import set_password

    make_user(session, "analyst", "wanda")
    assert post_login(client, "wanda", TEST_PASSWORD).status_code == 302
    assert "Signed in as <strong>wanda</strong>" in client.get("/").get_data(as_text=True)
    set_password(session, "wanda", "a brand new passphrase")
    session.commit()
    assert "Signed in as" not in client.get("/").get_data(as_text=True)
    assert post_login(client, "wanda", "a brand new passphrase").status_code == 302
    assert "Signed in as <strong>wanda</strong>" in client.get("/").get_data(as_text=True)
