"""The audit trail, and edits that race each other on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import item_named, make_donor, recipient
from tracker.db import make_engine, make_session_factory
from tracker.models import AuditEvent, Donor, Pledge, User
from tracker.services.audit import changed_fields, history, record, snapshot
from tracker.services.pledges import EditConflict, PledgeInput, create_pledge, update_pledge
from tracker.services.totals import TotalsFilter, grand_total, rebuild_totals


def aid(donor: Donor, session: Session, amount: str = "1000") -> PledgeInput:
    """€`amount` of aid from `donor` to Ukraine, announced 2025-07-10."""
    return PledgeInput(
        donor_id=donor.id, recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id, amount=amount, currency="EUR",
        announced=date(2025, 7, 10),
    )  # fmt: skip


def test_snapshot_is_json_safe(session: Session) -> None:
    pledge = create_pledge(session, aid(make_donor(session), session))
    values = snapshot(pledge)
    assert values["amount"] == "1000.00"
    assert values["announced"] == "2025-07-10"
    assert values["rate_date"] == "2025-07-10"
    assert isinstance(values["created_at"], str) and values["version"] == 1
    assert values["deleted_at"] is None and values["reviewed"] is False


def test_every_change_names_its_user(session: Session) -> None:
    analyst = User(username="ana", password_hash="x", role="analyst")
    session.add(analyst)
    session.flush()
    pledge = create_pledge(session, aid(make_donor(session), session), user=analyst)
    update_pledge(session, pledge.id, {"amount": "2000"}, expected_version=1, user=analyst)
    events = history(session, "pledge", pledge.id)
    assert [(e.action, e.user_id, e.username, e.version) for e in events] == [
        ("create", analyst.id, "ana", 1),
        ("update", analyst.id, "ana", 2),
    ]
    assert pledge.created_by_id == pledge.updated_by_id == analyst.id
    changed = changed_fields(events[1])
    assert changed["amount"] == ("1000.00", "2000.00")
    assert "version" in changed and "donor_id" not in changed


def test_record_refuses_unknown_actions(session: Session) -> None:
    with pytest.raises(ValueError, match="audit action"):
        record(session, action="smash", entity="pledge", entity_id=1, before=None, after=None)


def test_a_stale_conflict_reports_who_changed_it(session: Session) -> None:
    editor = User(username="bo", password_hash="x", role="analyst")
    session.add(editor)
    session.flush()
    pledge = create_pledge(session, aid(make_donor(session), session))
    update_pledge(session, pledge.id, {"notes": "bo's"}, expected_version=1, user=editor)
    with pytest.raises(EditConflict) as conflict:
        update_pledge(session, pledge.id, {"notes": "mine"}, expected_version=1)
    assert conflict.value.changed_by == "bo"
    assert conflict.value.changed_at is not None
    assert "bo" in str(conflict.value)


@pytest.fixture
def committed(engine: Engine, backend: str) -> Iterator[sessionmaker[Session]]:
    """Sessions that really commit on PostgreSQL; the pledges they make are removed after."""
    if backend != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises all writers")
    own_engine = make_engine(engine.url, pool_size=25)  # one connection per racing thread
    factory = make_session_factory(own_engine)
    yield factory
    with factory() as session:
        donors = select(Donor.id).where(Donor.name.like("Race donor%"))
        pledges = select(Pledge.id).where(Pledge.donor_id.in_(donors))
        session.execute(
            delete(AuditEvent).where(
                AuditEvent.entity == "pledge", AuditEvent.entity_id.in_(pledges)
            )
        )
        session.execute(delete(Pledge).where(Pledge.donor_id.in_(donors)))
        session.execute(delete(Donor).where(Donor.id.in_(donors)))
        rebuild_totals(session)
        session.commit()
    own_engine.dispose()


def _race_pledge(factory: sessionmaker[Session]) -> int:
    """A committed pledge for a race; its id."""
    with factory() as session:
        donor = make_donor(session, name="Race donor")
        pledge = create_pledge(session, aid(donor, session))
        session.commit()
        return pledge.id


def test_two_sessions_racing_one_wins(committed: sessionmaker[Session]) -> None:
    pledge_id = _race_pledge(committed)
    with committed() as first, committed() as second:
        assert first.get(Pledge, pledge_id) is not None
        assert second.get(Pledge, pledge_id) is not None  # both hold version 1
        update_pledge(first, pledge_id, {"amount": "2000"}, expected_version=1)
        first.commit()
        with pytest.raises(EditConflict) as conflict:  # its check passes; the flush does not
            update_pledge(second, pledge_id, {"amount": "3000"}, expected_version=1)
        assert conflict.value.current_version == 2
        assert conflict.value.current.amount == Decimal("2000.00")
        second.commit()  # the refused edit left nothing behind to commit
    with committed() as check:
        stored = check.get(Pledge, pledge_id)
        assert stored is not None and stored.amount == Decimal("2000.00") and stored.version == 2
        assert [e.action for e in history(check, "pledge", pledge_id)] == ["create", "update"]
        assert grand_total(check, TotalsFilter(donor_ids=(stored.donor_id,))).eur == 2000


def test_twenty_threads_lose_no_accepted_change(committed: sessionmaker[Session]) -> None:
    pledge_id = _race_pledge(committed)
    barrier = threading.Barrier(20, timeout=60)
    accepted: list[int] = []
    refused: list[int] = []
    failures: list[BaseException] = []

    def edit(n: int) -> None:
        """Load, wait for everyone, then try to set the amount to n."""
        try:
            with committed() as session:
                pledge = session.get(Pledge, pledge_id)
                assert pledge is not None
                version = pledge.version
                barrier.wait()
                try:
                    update_pledge(session, pledge_id, {"amount": str(n)}, expected_version=version)
                    session.commit()
                    accepted.append(n)
                except EditConflict:
                    session.rollback()
                    refused.append(n)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(accepted) + len(refused) == 20 and len(accepted) >= 1
    with committed() as check:
        stored = check.get(Pledge, pledge_id)
        assert stored is not None
        updates = [e for e in history(check, "pledge", pledge_id) if e.action == "update"]
        assert sorted(Decimal(e.after["amount"]) for e in updates if e.after) == sorted(
            Decimal(n) for n in accepted
        )
        assert stored.version == 1 + len(accepted)
        assert stored.amount == Decimal(updates[-1].after["amount"])  # type: ignore[index]
        assert grand_total(check, TotalsFilter(donor_ids=(stored.donor_id,))).eur == stored.eur
