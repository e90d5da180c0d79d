"""Accounts: creating, hashing, roles, and the `tracker users` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from tracker.cli import main
from tracker.services.users import (
    UserError,
    authenticate,
    create_user,
    list_users,
    role_allows,
    set_active,
    set_role,
)

PASSWORD = "a long enough password"


def test_passwords_are_stored_as_scrypt_hashes(session: Session) -> None:
    user = create_user(session, "alice", PASSWORD, "analyst")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert authenticate(session, "alice", PASSWORD) is user
    assert authenticate(session, "ALICE", PASSWORD) is user
    assert authenticate(session, "alice", "a wrong password") is None
    assert authenticate(session, "nobody", PASSWORD) is None


def test_disabled_accounts_cannot_sign_in(session: Session) -> None:
    create_user(session, "bob", PASSWORD)
    set_active(session, "bob", False)
    assert authenticate(session, "bob", PASSWORD) is None


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("carol", "short", "viewer", "at least 10 characters"),
        ("carol", PASSWORD, "owner", "unknown role 'owner'"),
        ("", PASSWORD, "viewer", "must not be empty"),
        ("two words", PASSWORD, "viewer", "must not contain spaces"),
        ("x" * 81, PASSWORD, "viewer", "at most 80 characters"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason(
    session: Session, name: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        create_user(session, name, password, role)


def test_names_are_unique_ignoring_case(session: Session) -> None:
    create_user(session, "Dora", PASSWORD)
    with pytest.raises(UserError, match="already exists"):
        create_user(session, "dora", PASSWORD)


def test_roles_include_the_lower_ones(session: Session) -> None:
    assert role_allows("admin", "analyst") and role_allows("admin", "viewer")
    assert role_allows("analyst", "viewer") and not role_allows("analyst", "admin")
    assert not role_allows("viewer", "analyst")
    create_user(session, "erin", PASSWORD)
    assert set_role(session, "erin", "admin").role == "admin"
    with pytest.raises(UserError, match="no account named 'frank'"):
        set_role(session, "frank", "admin")
    assert [u.username for u in list_users(session)] == ["erin"]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """A migrated SQLite database for the CLI."""
    env = {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'users.db'}"}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def test_cli_creates_lists_and_changes_accounts(cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    created = runner.invoke(
        main, ["users", "create", "grace", "--role", "analyst"], input=PASSWORD + "\n", env=cli_env
    )
    assert created.exit_code == 0, created.output
    assert "Created the account grace (analyst)" in created.output
    assert PASSWORD not in created.output

    listed = runner.invoke(main, ["users", "list"], env=cli_env)
    assert listed.output.splitlines() == ["grace\tanalyst\tactive"]

    changed = runner.invoke(main, ["users", "set-role", "grace", "admin"], env=cli_env)
    assert changed.exit_code == 0 and "now admin" in changed.output
    last = runner.invoke(main, ["users", "disable", "grace"], env=cli_env)
    assert last.exit_code == 2 and "last active admin" in last.output
    runner.invoke(main, ["users", "create", "hana", "--role", "admin"], input=PASSWORD, env=cli_env)
    disabled = runner.invoke(main, ["users", "disable", "grace"], env=cli_env)
    assert disabled.exit_code == 0
    assert runner.invoke(main, ["users", "list"], env=cli_env).output.splitlines() == [
        "grace\tadmin\tdisabled",
        "hana\tadmin\tactive",
    ]


def test_cli_sets_a_new_password(cli_env: dict[str, str]) -> None:
    from tracker.db import make_engine

    runner = CliRunner()
    runner.invoke(main, ["users", "create", "iris"], input=PASSWORD + "\n", env=cli_env)
    new_password = "another long passphrase"
    changed = runner.invoke(
        main, ["users", "set-password", "iris"], input=new_password + "\n", env=cli_env
    )
    assert changed.exit_code == 0 and "iris has a new password" in changed.output
    assert new_password not in changed.output
    short = runner.invoke(main, ["users", "set-password", "iris"], input="short\n", env=cli_env)
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    nobody = runner.invoke(main, ["users", "set-password", "jo"], input=PASSWORD, env=cli_env)
    assert nobody.exit_code == 2 and "no account named 'jo'" in nobody.output
    engine = make_engine(cli_env["TRACKER_DATABASE_URL"])
    with Session(engine) as session:
        assert authenticate(session, "iris", new_password) is not None
        assert authenticate(session, "iris", PASSWORD) is None
    engine.dispose()


def test_cli_refuses_bad_input_with_one_line(cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    empty = runner.invoke(main, ["users", "create", "henry"], input="", env=cli_env)
    assert empty.exit_code == 2 and "no password on standard input" in empty.output
    short = runner.invoke(main, ["users", "create", "henry"], input="short\n", env=cli_env)
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    role = runner.invoke(main, ["users", "create", "henry", "--role", "boss"], env=cli_env)
    assert role.exit_code == 2 and "'boss' is not one of" in role.output
    runner.invoke(main, ["users", "create", "henry"], input=PASSWORD + "\n", env=cli_env)
    again = runner.invoke(main, ["users", "create", "henry"], input=PASSWORD + "\n", env=cli_env)
    assert again.exit_code == 2 and "already exists" in again.output
    assert "Traceback" not in again.output


def test_cli_never_takes_the_password_as_an_argument(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main, ["users", "create", "ivy", "--password", PASSWORD], env=cli_env
    )
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_settings_and_account_commands_are_documented() -> None:
    import re

    from tests import REPO_ROOT
    from tracker.cli_users import users

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    config = (REPO_ROOT / "tracker" / "config.py").read_text(encoding="utf-8")
    settings = set(re.findall(r'"(TRACKER_[A-Z_]+)"', config))
    assert {"TRACKER_ENV", "TRACKER_PUBLIC_READ", "TRACKER_HTTPS"} <= settings
    for name in sorted(settings):
        assert f"`{name}`" in readme, f"{name} is missing from README's Configuration table"
    cli_doc = (REPO_ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in users.commands:
        assert f"tracker users {command}" in cli_doc, f"`tracker users {command}` is undocumented"


def test_the_last_active_admin_cannot_be_demoted_or_disabled(session: Session) -> None:
    create_user(session, "only-admin", PASSWORD, "admin")
    with pytest.raises(UserError, match="last active admin"):
        set_role(session, "only-admin", "analyst")
    with pytest.raises(UserError, match="last active admin"):
        set_active(session, "only-admin", False)
    create_user(session, "second-admin", PASSWORD, "admin")
    assert set_role(session, "only-admin", "analyst").role == "analyst"
