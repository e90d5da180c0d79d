"""Security headers, cookie flags, error pages without stack traces, production settings."""

from __future__ import annotations

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from tests.accounts import make_user, sign_in
from tracker import create_app
from tracker.config import DEVELOPMENT_SECRET_KEY, ConfigError
from tracker.views.hardening import CONTENT_SECURITY_POLICY


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    for path in ("/", "/login", "/no-such-page"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self';" in CONTENT_SECURITY_POLICY
        assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers


def test_pages_have_no_inline_script(client: FlaskClient, session: Session) -> None:
    sign_in(client, make_user(session, "admin"))
    for path in ("/", "/login", "/audit"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " on" + "click=" not in page, path


def test_session_cookie_is_httponly_and_lax(app: Flask) -> None:
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.config.get("SESSION_COOKIE_SECURE")


def https_app(session_factory: sessionmaker[Session], **extra: object) -> Flask:
    """The app configured as served over HTTPS."""
    config = {"TESTING": True, "SECRET_KEY": "t", "SESSION_FACTORY": session_factory}
    return create_app({**config, "HTTPS": True, **extra})


def test_https_makes_cookies_secure_and_adds_hsts(
    session_factory: sessionmaker[Session], session: Session
) -> None:
    app = https_app(session_factory)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    client = app.test_client()
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_proxy_headers_are_trusted_only_when_configured(
    session_factory: sessionmaker[Session],
) -> None:
    def address_seen(app: Flask) -> str:
        """The client address the app sees behind a forwarding proxy."""

        @app.get("/_address")
        def address() -> str:
            """Echo the remote address."""
            from flask import request

            return request.remote_addr or ""

        return app.test_client().get("/_address", headers={"X-Forwarded-For": "203.0.113.9"}).text

    plain = create_app({"TESTING": True, "SESSION_FACTORY": session_factory})
    assert address_seen(plain) == "127.0.0.1"
    proxied = https_app(session_factory, TRUSTED_PROXIES=1)
    assert address_seen(proxied) == "203.0.113.9"


def test_errors_are_clear_pages_or_json_without_tracebacks(
    session_factory: sessionmaker[Session],
) -> None:
    app = create_app({"TESTING": True, "SESSION_FACTORY": session_factory})

    @app.get("/_boom")
    def boom() -> str:
        """Fail unexpectedly."""
        raise RuntimeError("secret internal detail")

    @app.get("/api/_boom")
    def api_boom() -> str:
        """Fail unexpectedly under /api."""
        raise RuntimeError("secret internal detail")

    @app.get("/api/_gone")
    def api_gone() -> str:
        """A deliberate 410 under /api."""
        abort(410, description="that record was removed")

    client = app.test_client()
    page = client.get("/_boom")
    assert page.status_code == 500
    text = page.get_data(as_text=True)
    assert "could not finish this request" in text
    assert "secret internal detail" not in text and "Traceback" not in text

    api = client.get("/api/_boom")
    assert api.status_code == 500 and api.is_json
    assert "secret internal detail" not in api.get_data(as_text=True)
    assert client.get("/api/_gone").get_json() == {
        "error": "that record was removed",
        "status": 410,
    }

    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert 'Not found <span class="status">(404)</span>' in missing.get_data(as_text=True)
    assert client.get("/api/no-such-thing").get_json()["status"] == 404


def test_production_refuses_the_development_key() -> None:
    with pytest.raises(ConfigError, match="TRACKER_SECRET_KEY must be set"):
        create_app({"ENVIRONMENT": "production", "SECRET_KEY": DEVELOPMENT_SECRET_KEY})
    with pytest.raises(ConfigError, match="TRACKER_ENV is 'prod'"):
        create_app({"ENVIRONMENT": "prod", "SECRET_KEY": "x" * 40})
    app = create_app({"ENVIRONMENT": "production", "SECRET_KEY": "x" * 40})
    assert app.config["ENVIRONMENT"] == "production"


def test_the_cli_server_refuses_production_on_the_default_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_cli import run_cli

    env = {
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "TRACKER_ENV": "production",
    }
    result = run_cli("serve", "--port", "5999", env=env)
    assert result.returncode == 2
    assert "TRACKER_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.integers(min_value=2**31, max_value=10**30))
def test_a_path_id_no_database_integer_holds_is_a_404_on_every_page(
    app: Flask, client: FlaskClient, number: int
) -> None:
    """/pledges/9223372036854775808 names no pledge: 404, as the query string's ids are
    refused with a 400 (it overflowed SQLite's driver: a 500)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or not rule.arguments:
            continue
        if not all(f"<int:{name}>" in rule.rule for name in rule.arguments):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(number))
        assert client.get(url).status_code == 404, url
