"""Accounts: creating, hashing, roles, and the `tracker users` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.accounts import form_fields, make_user, sign_in
from tracker.cli import main
from tracker.models import AuditEvent
from tracker.services.users import (
    UserError,
    authenticate,
    create_user,
    find_user,
    list_users,
    role_allows,
    set_active,
    set_password,
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


def account_events(session: Session, user_id: int) -> list[AuditEvent]:
    """The audit events of one account, oldest first."""
    query = select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user_id)
    return list(session.scalars(query.order_by(AuditEvent.id)))


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(["role", "active", "password"]),
                  st.sampled_from(["viewer", "analyst", "admin"]), st.booleans()),
        max_size=5,
    )
)  # fmt: skip
def test_every_change_of_an_account_is_audited_without_its_password(
    session: Session, changes: list[tuple[str, str, bool]]
) -> None:
    nested = session.begin_nested()
    try:
        boss = create_user(session, "boss", PASSWORD, "admin")
        user = create_user(session, "carol", PASSWORD, "viewer", by=boss)
        expected = [("create", None, {"username": "carol", "role": "viewer", "active": True})]
        for what, role, active in changes:
            before = {"username": "carol", "role": user.role, "active": user.active}
            if what == "role":
                set_role(session, "carol", role, by=boss)
            elif what == "active":
                set_active(session, "carol", active, by=boss)
            else:
                set_password(session, "carol", PASSWORD + role, by=boss)
            after = {"username": "carol", "role": user.role, "active": user.active}
            if after != before or what == "password":
                expected.append(("update", before, after))
        events = account_events(session, user.id)
        assert [(e.action, e.before, e.after) for e in events] == expected
        assert {e.username for e in events} == {"boss"}
        assert all("password_hash" not in (e.after or {}) for e in events)
        assert [e.note for e in events if e.before == e.after] == ["password changed"] * sum(
            what == "password" for what, _role, _active in changes
        )
    finally:
        nested.rollback()


def test_an_admin_changing_a_role_on_the_accounts_page_is_audited(
    app: Flask, session: Session
) -> None:
    boss = make_user(session, "admin", "boss")
    client = app.test_client()
    sign_in(client, boss)
    new = form_fields(client.get("/users").get_data(as_text=True).split("<h2>New account</h2>")[1])
    new.update(username="dana", role="viewer", password=PASSWORD, confirm=PASSWORD)
    assert client.post("/users", data=new).status_code == 303
    dana = find_user(session, "dana")
    assert dana is not None
    page = client.get("/users").get_data(as_text=True)
    fields = form_fields(page.split(f'id="account-{dana.id}"')[1])
    fields[f"u{dana.id}-role"] = "admin"
    assert client.post(f"/users/{dana.id}", data=fields).status_code == 303
    events = account_events(session, dana.id)
    assert [(e.action, e.username) for e in events] == [("create", "boss"), ("update", "boss")]
    assert (events[1].before["role"], events[1].after["role"]) == ("viewer", "admin")
    log = client.get("/audit?entity=user").get_data(as_text=True)
    assert f"user {dana.id}" in log and "admin" in log


@pytest.mark.parametrize("name", ["zw\u200bname", "bell\x07", "rtl\u202ename", "iso\u2066late"])
def test_an_account_name_with_an_invisible_character_is_refused(
    session: Session, name: str
) -> None:
    with pytest.raises(UserError, match="must not contain control or invisible characters"):
        create_user(session, name, PASSWORD)
    assert find_user(session, name) is None
