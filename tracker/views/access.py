"""Who may do what: sign-in sessions, role checks on routes, and the list of write routes.

Every route that accepts POST, PUT, PATCH or DELETE carries `role_required` (pages)
or `api_role_required` (JSON API). `write_routes(app)` lists them with the role
each one needs, and the test suite fails when one has no check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import AnonymousUserMixin, LoginManager, current_user

from tracker.models import User
from tracker.services.users import role_allows
from tracker.views.database import db_session

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REQUIRED_ROLE_ATTRIBUTE = "required_role"
# Routes anyone may reach even when reading is closed (signing in needs them).
ALWAYS_OPEN_ENDPOINTS = frozenset({"auth.login", "static", "health.healthz"})
# Write routes that need no role: signing in and out.
OPEN_WRITE_ENDPOINTS = frozenset({"auth.login", "auth.logout"})

View = TypeVar("View", bound=Callable[..., Any])


def session_user_id(user: User) -> str:
    """What the session cookie keeps of a signed-in account: its id and a fingerprint of its
    password hash, so a new password signs out every session opened with the old one."""
    fingerprint = hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]
    return f"{user.id}:{fingerprint}"


class SignedInUser:
    """The Flask-Login face of a User row: id, name, role."""

    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.session_id = session_user_id(user)
        self.username = user.username
        self.role = user.role
        self.active = user.active

    @property
    def is_authenticated(self) -> bool:
        """Signed-in accounts are authenticated."""
        return True

    @property
    def is_active(self) -> bool:
        """Inactive accounts cannot sign in."""
        return self.active

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session cookie (see `session_user_id`)."""
        return self.session_id

    def has_role(self, needed: str) -> bool:
        """Whether this account's role includes `needed`."""
        return role_allows(self.role, needed)


class Anonymous(AnonymousUserMixin):
    """Nobody signed in: no role at all."""

    username = None
    role = None

    def has_role(self, needed: str) -> bool:
        """Anonymous visitors have no role."""
        return False


login_manager = LoginManager()
login_manager.anonymous_user = Anonymous
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    """The signed-in account for the session, unless it was removed or deactivated or its
    password changed since the session began."""
    account_id, _, _fingerprint = user_id.partition(":")
    if not account_id.isdigit():
        return None
    user = db_session().get(User, int(account_id))
    if user is None or not user.active or session_user_id(user) != user_id:
        return None
    return SignedInUser(user)


def current_account() -> User | None:
    """The User row of whoever is signed in (for services that record who did it), or None."""
    if not current_user.is_authenticated:
        return None
    return db_session().get(User, current_user.id)


def is_api_request() -> bool:
    """Requests to /api/... get JSON answers, pages get HTML."""
    return request.path == "/api" or request.path.startswith("/api/")


def api_error(status: int, message: str) -> Response:
    """A JSON error body with its status."""
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


def return_path() -> str:
    """Where signing in should lead back to, always a page a GET can show: this page for a
    GET, the page the form was sent from (on this site) for a POST, else the dashboard."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("dashboard.index")


def refuse(needed: str | None, *, api: bool) -> ResponseReturnValue:
    """The answer to a request without the needed role: sign in first, or 403."""
    if not current_user.is_authenticated:
        if api:
            return api_error(401, "sign in first: this needs an account")
        return redirect(url_for("auth.login", next=return_path()))
    if api:
        return api_error(403, f"your role ({current_user.role}) may not do this: it needs {needed}")
    abort(403, description=f"Your role ({current_user.role}) may not do this: it needs {needed}.")


def role_required(role: str, *, api: bool = False) -> Callable[[View], View]:
    """Let only accounts whose role includes `role` call the view.

    Anonymous visitors are sent to /login (API: 401 JSON); signed-in accounts
    without the role get 403.
    """
    role_allows("viewer", role)  # an unknown role fails at import time, not per request

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                return refuse(role, api=api)
            return view(*args, **kwargs)

        setattr(guarded, REQUIRED_ROLE_ATTRIBUTE, role)
        return cast(View, guarded)

    return decorate


def api_role_required(role: str) -> Callable[[View], View]:
    """`role_required` for JSON API views: 401 and 403 come back as JSON."""
    return role_required(role, api=True)


@dataclass(frozen=True)
class WriteRoute:
    """A URL rule that changes data, and the role its view demands (None: no check)."""

    rule: str
    endpoint: str
    methods: frozenset[str]
    required_role: str | None

    @property
    def is_api(self) -> bool:
        """Whether the route belongs to the JSON API."""
        return self.rule == "/api" or self.rule.startswith("/api/")


def write_routes(app: Flask) -> list[WriteRoute]:
    """Every URL rule accepting POST, PUT, PATCH or DELETE, with the role its view checks."""
    routes = []
    for rule in app.url_map.iter_rules():
        methods = frozenset(rule.methods or ()) & WRITE_METHODS
        if not methods:
            continue
        view = app.view_functions[rule.endpoint]
        routes.append(
            WriteRoute(
                rule=rule.rule,
                endpoint=rule.endpoint,
                methods=methods,
                required_role=getattr(view, REQUIRED_ROLE_ATTRIBUTE, None),
            )
        )
    return sorted(routes, key=lambda r: (r.rule, r.endpoint))


def unguarded_write_routes(app: Flask) -> list[WriteRoute]:
    """Write routes whose view checks no role (signing in and out excepted)."""
    return [
        route
        for route in write_routes(app)
        if route.required_role is None and route.endpoint not in OPEN_WRITE_ENDPOINTS
    ]


def require_sign_in_when_reading_is_closed() -> ResponseReturnValue | None:
    """With PUBLIC_READ off, every route but sign-in and static files needs an account."""
    if current_app.config.get("PUBLIC_READ", True) or current_user.is_authenticated:
        return None
    if request.endpoint in ALWAYS_OPEN_ENDPOINTS:
        return None
    return refuse("viewer", api=is_api_request())


def init_app(app: Flask) -> None:
    """Attach Flask-Login and the closed-reading gate to the app."""
    login_manager.init_app(app)
    app.before_request(require_sign_in_when_reading_is_closed)
