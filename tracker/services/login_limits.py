"""The sign-in limit: too many failures for one account or from one address in a window.

Failures live in the database, so every server process counts the same ones.
An attempt is counted before its password is checked: `claim_login_attempt`
records it as a failure and the caller commits; only then is the window
counted, the claim included. However many attempts arrive at once, the one
whose count comes last among any six sees all six claims, so no more than
`per_account` passwords are checked per window. A refused attempt withdraws
its claim; a successful one clears the account's failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select
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


def _count(session: Session, since: datetime, condition: ColumnElement[bool]) -> int:
    """How many failures match `condition` after `since`."""
    query = select(func.count()).select_from(LoginFailure).where(LoginFailure.at > since)
    return int(session.scalar(query.where(condition)) or 0)


def claim_login_attempt(
    session: Session, username: str, address: str, now: datetime | None = None
) -> LoginFailure:
    """Count one attempt as a failure until it proves otherwise; commit before checking it."""
    attempt = LoginFailure(
        username=normalise_username(username), address=address[:45], at=now or utcnow()
    )
    session.add(attempt)
    session.flush()
    return attempt


def login_blocked(
    session: Session, username: str, address: str, limit: LoginLimit, now: datetime | None = None
) -> bool:
    """Whether the committed attempts of this account or address, a claimed one included,
    are over the limit in the window."""
    since = (now or utcnow()) - limit.window
    if _count(session, since, LoginFailure.username == normalise_username(username)) > (
        limit.per_account
    ):
        return True
    return _count(session, since, LoginFailure.address == address[:45]) > limit.per_address


def withdraw_login_attempt(session: Session, attempt: LoginFailure) -> None:
    """Take back the claim of an attempt that was refused without a password check."""
    session.execute(delete(LoginFailure).where(LoginFailure.id == attempt.id))
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
