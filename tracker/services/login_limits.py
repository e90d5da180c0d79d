"""The sign-in limit: too many failures for one account or from one address in a window.

Failures live in the database, so every server process counts the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from tracker.models import LoginFailure
from tracker.models._types import utcnow


@dataclass(frozen=True)
class LoginLimit:
    """How many failures are allowed per account and per address within `window`."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


def normalise_username(username: str) -> str:
    """Account names are counted case-insensitively, as they are matched."""
    return username.strip().lower()[:80]


def login_blocked(
    session: Session, username: str, address: str, limit: LoginLimit, now: datetime | None = None
) -> bool:
    """Whether this account or this address has used up its failures in the window."""
    since = (now or utcnow()) - limit.window
    recent = LoginFailure.at > since
    by_account = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(recent, LoginFailure.username == normalise_username(username))
    )
    if (by_account or 0) >= limit.per_account:
        return True
    by_address = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(recent, LoginFailure.address == address[:45])
    )
    return (by_address or 0) >= limit.per_address


def record_login_failure(
    session: Session, username: str, address: str, now: datetime | None = None
) -> None:
    """Count one failed attempt."""
    session.add(
        LoginFailure(
            username=normalise_username(username), address=address[:45], at=now or utcnow()
        )
    )
    session.flush()


def forget_login_failures(
    session: Session, username: str, limit: LoginLimit, now: datetime | None = None
) -> None:
    """After a successful sign-in, clear the account's failures and any older than the window."""
    cutoff = (now or utcnow()) - limit.window
    session.execute(
        delete(LoginFailure).where(
            or_(LoginFailure.username == normalise_username(username), LoginFailure.at <= cutoff)
        )
    )
    session.flush()
