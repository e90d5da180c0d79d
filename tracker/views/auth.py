"""Signing in and out, and who is making the current request."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from tracker.forms.auth import LoginForm, LogoutForm
from tracker.models import User
from tracker.services.login_limits import (
    LoginLimit,
    claim_login_attempt,
    forget_login_failures,
    login_blocked,
    withdraw_login_attempt,
)
from tracker.services.users import authenticate
from tracker.views.access import SignedInUser, current_account
from tracker.views.database import db_session, writes_first

bp = Blueprint("auth", __name__)

TOO_MANY_ATTEMPTS = (
    "Too many failed sign-in attempts for this account or from your address. "
    "Wait {minutes} minutes and try again."
)
# One message whichever of the two was wrong, so a failure never tells that an account exists.
WRONG_CREDENTIALS = "The account name or password is wrong, or the account is disabled."
INCOMPLETE_FORM = "Could not sign in: enter both the account name and the password."


def current_user_or_none() -> User | None:
    """The signed-in user of this request (for services that record who acted), or None."""
    return current_account()


def configured_limit() -> LoginLimit:
    """The sign-in limit from the app's settings."""
    config = current_app.config
    return LoginLimit(
        per_account=int(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        per_address=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
        window=timedelta(minutes=int(config["LOGIN_FAILURE_WINDOW_MINUTES"])),
    )


def safe_next_url(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
@writes_first
def login() -> ResponseReturnValue:
    """The sign-in form; too many failures answer 429 with a clear message.

    Each transaction here either writes first or only reads, so none holds SQLite's write
    lock while a password is checked (see tracker.views.database.writes_first).
    """
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next_url(request.args.get("next")))
    form = LoginForm()
    if not form.validate_on_submit():
        if request.method != "POST":
            return render_template("auth/login.html", form=form)
        return render_template("auth/login.html", form=form, error=INCOMPLETE_FORM), 400
    session = db_session()
    limit = configured_limit()
    address = request.remote_addr or "unknown"
    username = form.username.data or ""
    session.commit()  # end what was read about the current user: the claim writes first
    attempt = claim_login_attempt(session, username, address)
    session.commit()  # the claim counts for every other attempt before this one is checked
    blocked = login_blocked(session, username, address, limit)
    session.commit()
    if blocked:
        withdraw_login_attempt(session, attempt)
        session.commit()
        minutes = int(limit.window.total_seconds() // 60)
        message = TOO_MANY_ATTEMPTS.format(minutes=minutes)
        response = render_template("auth/login.html", form=form, error=message)
        return response, 429, {"Retry-After": str(int(limit.window.total_seconds()))}
    user = authenticate(session, username, form.password.data or "")
    session.commit()
    if user is None:
        return render_template("auth/login.html", form=form, error=WRONG_CREDENTIALS), 401
    forget_login_failures(session, user.username, limit)
    session.commit()
    login_user(SignedInUser(user))
    flash(f"Signed in as {user.username} ({user.role}).")
    return redirect(safe_next_url(request.args.get("next")))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out (POST with the CSRF token, so other sites cannot do it)."""
    form = LogoutForm()
    if not form.validate_on_submit():
        flash("Could not sign out: the form expired. Try again.")
        return redirect(url_for("dashboard.index")), 303
    logout_user()
    flash("Signed out.")
    return redirect(url_for("dashboard.index")), 303


def init_app(app: Flask) -> None:
    """Register the sign-in routes."""
    app.register_blueprint(bp)
