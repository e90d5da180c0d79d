"""Edit conflicts: a write based on an old version is refused with 409, nothing is lost."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from tests.accounts import form_fields, make_user, sign_in
from tests.factories import donor_named, item_named, recipient
from tracker.db import make_engine, make_session_factory
from tracker.models import AuditEvent, Package, Pledge, Report, User
from tracker.services.pledges import (
    EditConflict,
    PledgeError,
    PledgeInput,
    create_pledge,
    update_pledge,
)
from tracker.services.rollup import rebuild_totals
from tracker.services.users import create_user


def new_pledge(session: Session, user: User | None = None) -> Pledge:
    """A €1,000,000 pledge from Norway, created through the service (so it is audited)."""
    pledge = create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, "Norway").id,
            recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id,
            amount=Decimal("1000000"),
            currency="EUR",
        ),
        user=user,
    )
    session.commit()
    return pledge


def editing(app: Flask, pledge: Pledge, *users: User) -> list[tuple[FlaskClient, dict[str, str]]]:
    """A client per user, each with the pledge's edit form open (the fields it would send)."""
    opened = []
    for user in users:
        client = app.test_client()
        sign_in(client, user)
        page = client.get(f"/pledges/{pledge.id}/edit").get_data(as_text=True)
        opened.append((client, form_fields(page, "edit")))
    return opened


def test_the_second_of_two_analysts_gets_409_and_nothing_is_overwritten(
    app: Flask, session: Session
) -> None:
    first_user, second_user = (
        make_user(session, "analyst", "anna"),
        make_user(session, "analyst", "ben"),
    )
    pledge = new_pledge(session, first_user)
    (first, first_form), (second, second_form) = editing(app, pledge, first_user, second_user)
    url = f"/pledges/{pledge.id}/edit"
    assert first_form["version"] == second_form["version"] == "1"

    saved = first.post(url, data={**first_form, "amount": "2000000", "notes": "doubled"})
    assert saved.status_code == 302, saved.get_data(as_text=True)

    refused = second.post(url, data={**second_form, "amount": "3000000", "notes": "tripled"})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "Your changes were not saved" in page
    assert 'changed by <strong class="changed-by">anna</strong>' in page
    assert "3000000" in page and "2000000.00" in page  # both versions side by side
    assert "tripled" in page and "doubled" in page

    session.expire_all()
    stored = session.get(Pledge, pledge.id)
    assert stored is not None
    assert (stored.amount, stored.notes, stored.version) == (Decimal("2000000.00"), "doubled", 2)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.username) for e in events] == [("create", "anna"), ("update", "anna")]


def test_the_audit_records_who_saved_through_the_form(app: Flask, session: Session) -> None:
    analyst = make_user(session, "analyst", "carla")
    pledge = new_pledge(session)
    client = app.test_client()
    sign_in(client, analyst)
    url = f"/pledges/{pledge.id}/edit"
    fields = form_fields(client.get(url).get_data(as_text=True), "edit")
    assert client.post(url, data={**fields, "stage": "committed"}).status_code == 302
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.username, last.user_id) == ("update", "carla", analyst.id)
    assert last.before is not None and last.after is not None
    assert (last.before["stage"], last.after["stage"]) == ("announced", "committed")


@pytest.mark.parametrize("reviewed", [False, True])
def test_the_conflict_page_marks_only_the_fields_that_differ(
    app: Flask, session: Session, reviewed: bool
) -> None:
    """A tick box left as it was is not marked as differing (an unticked one is not sent
    at all), and the confirmations of an unusual entry are not compared: the stored
    pledge keeps no such value."""
    first_user, second_user = make_user(session, "analyst"), make_user(session, "analyst")
    pledge = new_pledge(session)
    pledge.reviewed = reviewed
    session.commit()
    (first, first_form), (second, second_form) = editing(app, pledge, first_user, second_user)
    url = f"/pledges/{pledge.id}/edit"
    assert ("reviewed" in second_form) is reviewed
    assert first.post(url, data={**first_form, "notes": "checked"}).status_code == 302
    refused = second.post(url, data={**second_form, "notes": "my note"})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    marked = re.findall(r'<th scope="row">([^<]*) <span class="marker">\(differs\)', page)
    assert marked == ["Notes"], marked
    assert "Yes, 0 is meant" not in page and "a second pledge like" not in page
    shown = "yes" if reviewed else "no"
    assert f"<td>{shown}</td><td>{shown}</td>" in page


THREADS = 20


@pytest.fixture
def committed_pledge(engine: Engine, backend: str) -> Iterator[tuple[int, list[int]]]:
    """A pledge and 20 analysts committed for real (PostgreSQL only), removed afterwards."""
    if backend != "postgresql":
        pytest.skip("concurrent commits are tested on PostgreSQL, where workers really race")
    factory = make_session_factory(engine)
    with factory() as session:
        users = [
            create_user(session, f"racer{n}", "racing password", "analyst") for n in range(THREADS)
        ]
        pledge = new_pledge(session)
        ids = (pledge.id, [u.id for u in users])
    yield ids
    with factory() as session:
        pledge_id, user_ids = ids
        session.execute(
            delete(AuditEvent).where(
                AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge_id
            )
        )
        session.execute(delete(Pledge).where(Pledge.id == pledge_id))
        session.execute(delete(User).where(User.id.in_(user_ids)))
        rebuild_totals(session)
        session.commit()


def test_twenty_concurrent_editors_lose_nothing(
    engine: Engine, committed_pledge: tuple[int, list[int]]
) -> None:
    pledge_id, user_ids = committed_pledge
    racing_engine = make_engine(engine.url, poolclass=NullPool)
    factory: sessionmaker[Session] = make_session_factory(racing_engine)
    start = threading.Barrier(THREADS, timeout=60)
    accepted: list[int] = []
    refused: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def edit(n: int) -> None:
        """Read the pledge, wait for everyone, then try to save a change from that version."""
        with factory() as session:
            try:
                user = session.get(User, user_ids[n])
                version = session.get(Pledge, pledge_id).version  # type: ignore[union-attr]
                start.wait()
                for _attempt in range(THREADS):
                    try:
                        update_pledge(
                            session, pledge_id, {"notes": f"edit {n}"},
                            expected_version=version, user=user,
                        )  # fmt: skip
                        session.commit()
                        with lock:
                            accepted.append(n)
                        return
                    except EditConflict as conflict:
                        session.rollback()
                        with lock:
                            refused.append(n)
                        version = conflict.current_version
            except BaseException as exc:  # noqa: BLE001 - reported to the main thread
                failures.append(exc)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    racing_engine.dispose()
    assert not failures, failures

    with factory() as session:
        pledge = session.get(Pledge, pledge_id)
        assert pledge is not None
        updates = session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.entity == "pledge",
                AuditEvent.entity_id == pledge_id,
                AuditEvent.action == "update",
            )
            .order_by(AuditEvent.id)
        ).all()
    assert len(accepted) == THREADS  # each retried after its conflicts until it got through
    assert len(refused) >= 1  # they really raced
    assert len(updates) == len(accepted)
    versions = [e.version for e in updates]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert versions == list(range(2, 2 + len(accepted)))
    assert pledge.version == 1 + len(accepted)
    assert sorted(int(e.after["notes"].split()[1]) for e in updates) == sorted(accepted)  # type: ignore[index]
    assert {e.username for e in updates} == {f"racer{n}" for n in accepted}


def test_a_stale_api_write_is_409_naming_who_changed_it(app: Flask, session: Session) -> None:
    first_user = make_user(session, "analyst", "api-first")
    pledge = new_pledge(session, first_user)
    update_pledge(session, pledge.id, {"notes": "first"}, expected_version=1, user=first_user)
    session.commit()
    client = app.test_client()
    sign_in(client, make_user(session, "analyst", "api-second"))
    response = client.patch(f"/api/pledges/{pledge.id}", json={"version": 1, "notes": "second"})
    assert response.status_code == 409
    body = response.get_json()
    assert body["changed_by"] == "api-first"
    assert body["current"]["notes"] == "first" and body["yours"]["notes"] == "second"
    session.expire_all()
    assert session.get(Pledge, pledge.id).notes == "first"  # type: ignore[union-attr]


def test_two_writers_of_one_package_total_at_once_get_the_rule_not_a_crash(
    engine: Engine, backend: str
) -> None:
    """A second writer stating a package's total while the first's is not yet committed
    waits for it, then is refused by the one-total rule (PledgeError on package_total),
    instead of failing on the database's unique index."""
    if backend != "postgresql":
        pytest.skip("concurrent commits are tested on PostgreSQL, where workers really race")
    factory = make_session_factory(engine)
    with factory() as session:
        donor_id = donor_named(session, "Norway").id
        package = Package(name="race package", donor_id=donor_id)
        session.add(package)
        session.flush()
        total = PledgeInput(
            donor_id=donor_id, recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id, amount=Decimal("1000000"), currency="EUR",
            package_id=package.id, package_total=True,
        )  # fmt: skip
        session.commit()
        package_id = package.id
    outcome: list[object] = []

    def second() -> None:
        """State the same package's total from another connection."""
        with factory() as other:
            try:
                create_pledge(other, total)
                other.commit()
                outcome.append("saved")
            except PledgeError as refusal:
                other.rollback()
                outcome.append(refusal.field)
            except BaseException as exc:  # noqa: BLE001 - reported to the main thread
                outcome.append(exc)

    try:
        with factory() as first:
            create_pledge(first, total)  # not committed yet
            racer = threading.Thread(target=second)
            racer.start()
            racer.join(timeout=1.0)
            first.commit()
        racer.join(timeout=60)
        assert outcome == ["package_total"]
    finally:
        with factory() as session:
            ids = select(Pledge.id).where(Pledge.package_id == package_id)
            session.execute(delete(Report).where(Report.pledge_id.in_(ids)))
            session.execute(delete(AuditEvent).where(AuditEvent.entity_id.in_(ids)))
            session.execute(delete(Pledge).where(Pledge.package_id == package_id))
            session.execute(delete(Package).where(Package.id == package_id))
            rebuild_totals(session)
            session.commit()
