"""`tracker users ...`: create accounts, list them, change roles and passwords.

Passwords never come from the command line (where shell history and process
lists would keep them): an interactive prompt asks twice, or, when standard
input is not a terminal, its first line is the password.
"""

from __future__ import annotations

import getpass
import sys

import click
from sqlalchemy.orm import Session

from tracker.models import ROLES, User
from tracker.services.users import (
    UserError,
    create_user,
    find_user,
    list_users,
    set_active,
    set_password,
    set_role,
)


def read_password() -> str:
    """A new password: typed twice at a terminal, or the first line of piped standard input."""
    if sys.stdin.isatty():
        password: str = click.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
        return password
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise click.ClickException("no password on standard input (expected it on the first line)")
    return password


@click.group()
def users() -> None:
    """Manage accounts: viewers read, analysts change numbers, admins also manage."""


@users.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
def users_create(name: str, role: str) -> None:
    """Create the account NAME; the password is asked for (or read from standard input)."""
    from tracker.cli import session_scope

    password = read_password()
    with session_scope() as session:
        try:
            user = create_user(session, name, password, role)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Created the account {user.username} ({user.role}).")


@users.command("list")
def users_list() -> None:
    """List every account with its role and whether it may sign in."""
    from tracker.cli import session_scope

    with session_scope() as session:
        accounts = list_users(session)
        if not accounts:
            click.echo("No accounts yet: create one with `tracker users create NAME --role admin`.")
        for user in accounts:
            state = "active" if user.active else "disabled"
            click.echo(f"{user.username}\t{user.role}\t{state}")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
def users_set_role(name: str, role: str) -> None:
    """Give the account NAME another ROLE."""
    from tracker.cli import session_scope

    with session_scope() as session:
        try:
            user = set_role(session, name, role)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"The account {user.username} is now {user.role}.")


@users.command("set-password")
@click.argument("name")
def users_set_password(name: str) -> None:
    """Give the account NAME a new password, asked for as `create` asks (an admin's reset)."""
    from tracker.cli import session_scope

    password = read_password()
    with session_scope() as session:
        try:
            user = set_password(session, name, password)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"The account {user.username} has a new password.")


@users.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Stop the account NAME from signing in (its history stays)."""
    from tracker.cli import session_scope

    with session_scope() as session:
        try:
            user = set_active(session, name, False)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"The account {user.username} can no longer sign in.")


@users.command("enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """Let the disabled account NAME sign in again."""
    from tracker.cli import session_scope

    with session_scope() as session:
        try:
            user = set_active(session, name, True)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"The account {user.username} can sign in again.")


USER_OPTION_HELP = (
    "The account the import is recorded under (default: the account named like your "
    "login, else your login marked as the command line)."
)


def acting_user(session: Session, name: str | None) -> User:
    """Who runs an import from the command line, for the audit trail.

    A named account must exist (exit status 2 otherwise). Without a name, the account
    named like the operating-system login is used when there is one; else the login
    itself is recorded, marked "(command line)", on an account that is never stored.
    """
    if name:
        user = find_user(session, name)
        if user is None:
            raise click.BadParameter(f"there is no account {name!r}", param_hint="--user")
        return user
    login = getpass.getuser()
    return find_user(session, login) or User(
        username=f"{login} (command line)"[:80], role="analyst", active=False
    )
