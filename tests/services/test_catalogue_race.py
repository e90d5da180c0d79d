"""An item moved to another category while pledges of it are being written: the totals
rollup still equals a rebuild (PostgreSQL, where the writers really wait on each other)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from tests.factories import donor_named, item_named, recipient
from tests.services.test_totals import rollup_rows
from tracker.db import make_engine, make_session_factory
from tracker.models import AuditEvent, ItemCategory, Pledge
from tracker.services.catalogue import ItemInput, update_item
from tracker.services.pledges import PledgeInput, create_pledge, update_pledge
from tracker.services.rollup import rebuild_totals


def aid_pledge(session: Session, amount: str) -> PledgeInput:
    """A pledge of `amount` euros of aid from Norway."""
    return PledgeInput(
        donor_id=donor_named(session, "Norway").id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id,
        amount=Decimal(amount),
        currency="EUR",
    )


@pytest.fixture
def racing_factory(engine: Engine, backend: str) -> Iterator[sessionmaker[Session]]:
    """Sessions that commit for real (PostgreSQL only); what they wrote is removed afterwards."""
    if backend != "postgresql":
        pytest.skip("concurrent commits are tested on PostgreSQL, where writers really wait")
    racing_engine = make_engine(engine.url, poolclass=NullPool)
    factory = make_session_factory(racing_engine)
    with factory() as session:
        last_pledge = session.scalar(select(func.max(Pledge.id))) or 0
        last_event = session.scalar(select(func.max(AuditEvent.id))) or 0
        aid = item_named(session, "aid")
        category_id = aid.category_id
    yield factory
    with factory() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id > last_event))
        session.execute(delete(Pledge).where(Pledge.id > last_pledge))
        item_named(session, "aid").category_id = category_id
        session.flush()
        rebuild_totals(session)
        session.commit()
    racing_engine.dispose()


def test_pledge_writes_waiting_on_a_category_move_count_in_the_new_category(
    racing_factory: sessionmaker[Session],
) -> None:
    with racing_factory() as session:
        edited = create_pledge(session, aid_pledge(session, "1000000"))
        session.commit()
        edited_id, edited_version = edited.id, edited.version
        humanitarian = session.scalar(
            select(ItemCategory.id).where(ItemCategory.name == "humanitarian")
        )
    failures: list[BaseException] = []
    read = threading.Barrier(3, timeout=30)

    def write(change: str) -> None:
        """Load the item and pledge, wait until the move is flushed, then write a pledge."""
        with racing_factory() as session:
            try:
                data = aid_pledge(session, "2000000")
                session.get(Pledge, edited_id)
                read.wait()  # the mover flushes its new category now, holding the lock
                read.wait()
                if change == "create":
                    create_pledge(session, data)
                else:
                    update_pledge(
                        session, edited_id, {"amount": Decimal("3000000")},
                        expected_version=edited_version,
                    )  # fmt: skip
                session.commit()
            except BaseException as exc:  # noqa: BLE001 - reported to the main thread
                failures.append(exc)

    writers = [threading.Thread(target=write, args=(c,)) for c in ("create", "update")]
    for writer in writers:
        writer.start()
    with racing_factory() as mover:
        aid = item_named(mover, "aid")
        read.wait()
        update_item(mover, aid.id, ItemInput(name="aid", category_id=humanitarian, unit=None))
        read.wait()
        time.sleep(0.5)  # the writers are now waiting for the mover's lock
        mover.commit()
    for writer in writers:
        writer.join(timeout=60)
    assert not failures, failures

    with racing_factory() as session:
        kept = rollup_rows(session)
        rebuild_totals(session)
        assert rollup_rows(session) == kept
        session.rollback()
