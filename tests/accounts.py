"""Accounts for tests: create one per role and sign a test client in as it."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.models import User
from tracker.services.users import create_user

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
            flask_session["_user_id"] = str(user.id)
            flask_session["_fresh"] = True
