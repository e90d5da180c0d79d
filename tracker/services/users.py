"""Accounts: create them, change their role, check a password.

Passwords are hashed with werkzeug's scrypt (memory-hard, salted, and the
hash string names its method and parameters, so stronger settings can come
later without breaking existing accounts). Every change of an account is audited
(entity "user": its name, role and whether it may sign in, never the hash), with
the admin who made it (`by`; None for the command line).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.models import ROLES, User
from tracker.services.audit import record

PASSWORD_HASH_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 80
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
ENTITY = "user"

# A hash to compare against when the account does not exist, so that a wrong
# name takes as long to refuse as a wrong password.
_UNKNOWN_USER_HASH = generate_password_hash("no such account", method=PASSWORD_HASH_METHOD)


class UserError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def role_allows(role: str, needed: str) -> bool:
    """Whether `role` includes the rights of `needed` (viewer < analyst < admin)."""
    if needed not in ROLE_RANK:
        raise ValueError(f"unknown role {needed!r}: expected one of {', '.join(ROLES)}")
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


def check_role(role: str) -> str:
    """The role, or a UserError naming the allowed ones."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """The salted scrypt hash of `password`, as stored in User.password_hash."""
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


def find_user(session: Session, username: str) -> User | None:
    """The account with this name (compared case-insensitively), or None."""
    return session.scalars(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).one_or_none()


def get_user(session: Session, username: str) -> User:
    """The account with this name, or a UserError saying there is none."""
    user = find_user(session, username)
    if user is None:
        raise UserError(f"there is no account named {username!r}")
    return user


def account_snapshot(user: User) -> dict[str, Any]:
    """What the audit keeps of an account: its name, role and whether it may sign in."""
    return {"username": user.username, "role": user.role, "active": user.active}


def _audit(
    session: Session,
    user: User,
    before: dict[str, Any] | None,
    *,
    by: User | None,
    note: str | None = None,
) -> None:
    """Record the change of `user` from `before` (None: created) unless nothing changed."""
    after = account_snapshot(user)
    if before == after and note is None:
        return
    action = "create" if before is None else "update"
    record(
        session, action=action, entity=ENTITY, entity_id=user.id, before=before, after=after,
        user=by, note=note,
    )  # fmt: skip


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str = "viewer",
    *,
    by: User | None = None,
) -> User:
    """A new active account; the name must be new, the role known, the password long enough."""
    username = username.strip()
    if not username:
        raise UserError("the account name must not be empty")
    if len(username) > MAX_USERNAME_LENGTH:
        raise UserError(f"the account name must have at most {MAX_USERNAME_LENGTH} characters")
    if any(ch.isspace() for ch in username):
        raise UserError("the account name must not contain spaces")
    if not username.isprintable():
        raise UserError("the account name must not contain control or invisible characters")
    check_role(role)
    check_password_strength(password)
    if find_user(session, username) is not None:
        raise UserError(f"an account named {username!r} already exists")
    user = User(username=username, password_hash=hash_password(password), role=role, active=True)
    session.add(user)
    session.flush()
    _audit(session, user, None, by=by)
    return user


def keep_an_admin(session: Session, user: User, *, role: str, active: bool) -> None:
    """Refuse a change that would leave no active admin to manage the accounts."""
    if user.role != "admin" or not user.active or (role == "admin" and active):
        return
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == "admin", User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise UserError(f"{user.username} is the last active admin: make another admin first")


def set_role(session: Session, username: str, role: str, *, by: User | None = None) -> User:
    """Give an existing account another role (the last active admin stays one)."""
    user = get_user(session, username)
    keep_an_admin(session, user, role=check_role(role), active=user.active)
    before = account_snapshot(user)
    user.role = role
    session.flush()
    _audit(session, user, before, by=by)
    return user


def set_password(session: Session, username: str, password: str, *, by: User | None = None) -> User:
    """Replace an account's password (audited as such; the hash is not kept)."""
    check_password_strength(password)
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    session.flush()
    _audit(session, user, account_snapshot(user), by=by, note="password changed")
    return user


def set_active(session: Session, username: str, active: bool, *, by: User | None = None) -> User:
    """Allow (True) or stop (False) an account from signing in (not the last active admin)."""
    user = get_user(session, username)
    keep_an_admin(session, user, role=user.role, active=active)
    before = account_snapshot(user)
    user.active = active
    session.flush()
    _audit(session, user, before, by=by)
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by name."""
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active account whose password matches; None for a wrong name or password or a
    disabled account."""
    user = find_user(session, username)
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user
