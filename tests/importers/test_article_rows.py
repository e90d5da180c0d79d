"""The row writes of an article import: ids handed back in the rows' order, one statement
per table, and input checks that skip only the rows the caller vouches for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.factories import item_named, make_donor, make_source, recipient
from tracker.importers.article_rows import inserted_ids
from tracker.models import Evidence
from tracker.services.pledge_rules import PledgeError, PledgeInput, check_inputs


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block."""
    seen: list[str] = []
    connection = session.connection()

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sizes=st.lists(st.integers(1, 1200), min_size=1, max_size=3))
def test_inserted_ids_are_those_of_the_rows_in_their_order(
    session: Session, sizes: list[int]
) -> None:
    savepoint = session.begin_nested()
    try:
        source = make_source(session)
        for size in sizes:
            texts = [f"sentence {n} of {size}" for n in range(size)]
            rows = [
                {"source_id": source.id, "start": n, "end": n + 1, "text": text}
                for n, text in enumerate(texts)
            ]
            with statements(session) as sent:
                ids = inserted_ids(session, Evidence, rows)
            # one statement (SQLite: per 1,000 rows, SQLAlchemy's batch), never one per row
            assert len([s for s in sent if "evidence" in s]) <= -(-size // 1000)
            stored = dict(session.execute(select(Evidence.id, Evidence.text).where(
                Evidence.id.in_(ids))).all())  # fmt: skip
            assert [stored[evidence_id] for evidence_id in ids] == texts
            assert ids == sorted(ids)  # the order one INSERT at a time gives
    finally:
        savepoint.rollback()


def test_inserted_rows_keep_their_text_whatever_it_holds(session: Session) -> None:
    texts = ["{a,b}", 'say "NULL"', "NULL", "", "back\\slash, comma", "Київ € 5 000", "x" * 3000]
    source = make_source(session)
    rows = [{"source_id": source.id, "start": n, "end": n, "text": t} for n, t in enumerate(texts)]
    ids = inserted_ids(session, Evidence, rows)
    stored = dict(
        session.execute(select(Evidence.id, Evidence.text).where(Evidence.id.in_(ids))).all()
    )
    assert [stored[evidence_id] for evidence_id in ids] == texts


def test_inserted_ids_of_no_rows_send_nothing(session: Session) -> None:
    with statements(session) as sent:
        assert inserted_ids(session, Evidence, []) == []
    assert sent == []


def _input(session: Session, **fields: object) -> PledgeInput:
    donor, ukraine, aid = make_donor(session), recipient(session), item_named(session, "aid")
    values: dict[str, object] = {
        "donor_id": donor.id, "recipient_id": ukraine.id, "item_id": aid.id,
        "amount": Decimal("1000000"), "currency": "EUR",
    }  # fmt: skip
    return PledgeInput(**(values | fields))  # type: ignore[arg-type]


def test_check_inputs_does_not_look_up_rows_the_caller_knows(session: Session) -> None:
    data = _input(session)
    with statements(session) as sent:
        (checked,) = check_inputs(
            session, [data], known={"donor_id": {data.donor_id}, "recipient_id": set()}
        )
    assert checked.amount == Decimal("1000000.00")
    assert not [s for s in sent if "FROM donor" in s]
    assert [s for s in sent if "FROM recipient" in s]  # not vouched for: read


def test_check_inputs_still_refuses_ids_the_caller_does_not_know(session: Session) -> None:
    data = _input(session)
    known = {"donor_id": {data.donor_id}}
    with pytest.raises(PledgeError, match="there is no recipient with id 987654"):
        check_inputs(session, [_input(session, recipient_id=987654)], known=known)
    with pytest.raises(PledgeError, match="there is no item with id 987654"):
        check_inputs(session, [data, _input(session, item_id=987654)], known=known)
