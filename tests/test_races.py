"""Requests that race on real, committed transactions (both databases): sign-ins against
the attempt limit, one file imported twenty times at once, sign-ins and edits together on
SQLite without "database is locked"."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from tests.accounts import TEST_PASSWORD, sign_in
from tests.factories import donor_named, item_named, recipient
from tracker import create_app
from tracker.db import WRITE_TRANSACTION, make_engine, make_session_factory
from tracker.importers.table import TableImportError, import_table
from tracker.models import AuditEvent, LoginFailure, Pledge, Source, User
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.rollup import rebuild_totals
from tracker.services.users import create_user
from tracker.views import auth

WORKERS = 20


@pytest.fixture
def committing(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions that commit for real on the test database; what they wrote is removed after."""
    racing_engine = make_engine(engine.url, poolclass=NullPool)
    factory = make_session_factory(racing_engine)
    with factory() as session:
        last = {
            model: session.scalar(select(func.max(model.id))) or 0
            for model in (AuditEvent, Pledge, Source, User)
        }
    yield factory
    with factory() as session:
        session.execute(delete(LoginFailure))
        for model in (AuditEvent, Pledge, Source, User):
            session.execute(delete(model).where(model.id > last[model]))
        rebuild_totals(session)
        session.commit()
    racing_engine.dispose()


def racing_app(factory: sessionmaker[Session]) -> Flask:
    """The web app on committing sessions, CSRF off so threads can post directly."""
    return create_app(
        {"TESTING": True, "SECRET_KEY": "t", "SESSION_FACTORY": factory,
         "WTF_CSRF_ENABLED": False}
    )  # fmt: skip


def all_at_once(task: Callable[[int], Any], count: int = WORKERS) -> list[Any]:
    """Run `task(0..count-1)` in threads released together; results (or exceptions) in order."""
    start = threading.Barrier(count, timeout=60)

    def run(number: int) -> Any:
        start.wait()
        try:
            return task(number)
        except Exception as error:  # noqa: BLE001 - the test looks at every outcome
            return error

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_racing_wrong_passwords_get_at_most_five_checks(
    committing: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with committing() as session:
        create_user(session, "target", TEST_PASSWORD, "analyst")
        session.commit()
    checks: list[str] = []
    real_authenticate = auth.authenticate

    def counted(session: Session, username: str, password: str) -> User | None:
        checks.append(username)
        return real_authenticate(session, username, password)

    monkeypatch.setattr(auth, "authenticate", counted)
    app = racing_app(committing)

    def wrong_password(number: int) -> int:
        with app.test_client() as client:
            form = {"username": "target", "password": f"wrong {number}"}
            return client.post("/login", data=form).status_code

    statuses = all_at_once(wrong_password)
    assert all(isinstance(status, int) for status in statuses), statuses
    assert len(checks) <= 5
    assert statuses.count(429) == WORKERS - len(checks)
    assert set(statuses) <= {401, 429}
    with committing() as session:
        failures = session.scalar(select(func.count()).select_from(LoginFailure))
    assert failures == len(checks)


def test_sign_ins_and_edits_at_once_all_succeed(committing: sessionmaker[Session]) -> None:
    with committing() as session:
        for number in range(WORKERS // 2):  # two sign-ins per account: within its limit
            user = create_user(session, f"editor{number}", TEST_PASSWORD, "analyst")
        data = PledgeInput(
            donor_id=donor_named(session, "Norway").id,
            recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id,
            amount="1000",
            currency="EUR",
        )
        pledge = create_pledge(session, data, user=user)
        session.commit()
        pledge_id = pledge.id
    app = racing_app(committing)

    def sign_in_or_edit(number: int) -> int:
        with app.test_client() as client:
            form = {"username": f"editor{number // 2}", "password": TEST_PASSWORD}
            signed_in = client.post("/login", data=form)
            if number % 2 or signed_in.status_code != 302:
                return signed_in.status_code
            current = client.get(f"/api/pledges/{pledge_id}").get_json()
            body = {"version": current["version"], "notes": f"edit {number}"}
            return client.patch(f"/api/pledges/{pledge_id}", json=body).status_code

    statuses = all_at_once(sign_in_or_edit)
    assert all(isinstance(status, int) for status in statuses), statuses
    assert set(statuses) <= {200, 302, 409}, statuses
    assert 200 in statuses


def test_one_file_imported_twenty_times_at_once_is_imported_once(
    committing: sessionmaker[Session],
) -> None:
    table = b"donor,item,amount,currency,announced\n" + b"".join(
        f"Norway,aid,{n},EUR,2025-07-{n:02d}\n".encode() for n in range(1, 11)
    )

    def run_import(_number: int) -> tuple[int, int]:
        with committing(execution_options=WRITE_TRANSACTION) as session:
            result = import_table(session, table, "race.csv")
            session.commit()
            return result.created, result.skipped

    outcomes = all_at_once(run_import)
    results = [o for o in outcomes if isinstance(o, tuple)]
    refusals = [o for o in outcomes if isinstance(o, TableImportError)]
    assert len(results) + len(refusals) == WORKERS, outcomes
    assert results.count((10, 0)) == 1
    assert all(result == (0, 10) for result in results if result != (10, 0))
    assert all(refusal.status == 409 and "already imported" in str(refusal) for refusal in refusals)
    with committing() as session:
        sources = session.scalars(select(Source).where(Source.file_name == "race.csv")).all()
        assert len(sources) == 1
        count = select(func.count()).select_from(Pledge).where(Pledge.source_id == sources[0].id)
        assert session.scalar(count) == 10


def test_one_pledge_sent_ten_times_at_once_is_saved_once(
    committing: sessionmaker[Session],
) -> None:
    with committing() as session:
        typist = create_user(session, "typist", TEST_PASSWORD, "analyst")
        body = {
            "donor_id": donor_named(session, "Norway").id, "recipient_id": recipient(session).id,
            "item_id": item_named(session, "aid").id, "amount": "4321", "currency": "EUR",
            "announced": "2025-07-10", "notes": "sent twice",
        }  # fmt: skip
        session.commit()
    app = racing_app(committing)

    def send(_number: int) -> int:
        with app.test_client() as client:
            sign_in(client, typist)
            return client.post("/api/pledges", json=body).status_code

    statuses = all_at_once(send, 10)
    assert sorted(statuses) == [201] + [422] * 9, statuses
    with committing() as session:
        saved = select(func.count()).select_from(Pledge).where(Pledge.notes == "sent twice")
        assert session.scalar(saved) == 1
