"""Bulk pledge rows keep their references whole, whether the database checks each row
or the import checks them all at once (PostgreSQL with the per-row triggers off)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tracker.importers import copy_load
from tracker.importers.bulk import write_pledge_columns
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge
from tracker.models._types import utcnow

postgresql_only = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def pledge_columns(session: Session, donor_id: int, rows: int = 3) -> dict[str, list[Any]]:
    """Columns of `rows` new money pledges of `donor_id`, as the bulk path writes them."""
    now, source = utcnow(), make_source(session, kind="dataset")
    values: dict[str, Any] = {
        "donor_id": donor_id,
        "recipient_id": recipient(session).id,
        "item_id": item_named(session, "aid").id,
        "kind": "financial",
        "stage": "announced",
        "qualifier": "unknown",
        "is_correction": False,
        "reviewed": False,
        "source_id": source.id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    columns = {name: [value] * rows for name, value in values.items()}
    columns["source_ref"] = [str(row) for row in range(rows)]
    return columns


def write(session: Session, columns: dict[str, list[Any]]) -> None:
    """The bulk write of one chunk, in a savepoint (undone when it fails)."""
    with session.begin_nested():
        write_pledge_columns(session, [columns])


def pledges_of(session: Session, donor_id: int) -> int:
    return session.scalar(select(func.count()).where(Pledge.donor_id == donor_id)) or 0


def test_rows_referring_to_a_missing_donor_write_nothing(session: Session) -> None:
    missing = (session.scalar(select(func.max(Pledge.donor_id))) or 0) + 1000
    columns = pledge_columns(session, missing)
    postgresql = session.get_bind().dialect.name == "postgresql"
    bulk_checked = postgresql and copy_load.row_triggers_may_be_off(session.connection())
    with pytest.raises(TableImportError if postgresql else IntegrityError) as raised:
        write(session, columns)
    if bulk_checked:
        assert f"column donor_id: no donor has id {missing}" in str(raised.value)
    assert pledges_of(session, missing) == 0


def test_rows_referring_to_existing_rows_are_written(session: Session) -> None:
    donor = donor_named(session, "Germany")
    before = pledges_of(session, donor.id)
    write(session, pledge_columns(session, donor.id))
    assert pledges_of(session, donor.id) == before + 3


@postgresql_only
def test_the_triggers_are_on_again_after_the_copy(session: Session) -> None:
    assert copy_load.row_triggers_may_be_off(session.connection())  # the tests run as superuser
    import_table(session, b"donor,item,amount,currency\nGermany,aid,10.00,EUR\n", "one.csv")
    connection = session.connection()
    assert connection.execute(text("SHOW session_replication_role")).scalar_one() == "origin"
    with pytest.raises(IntegrityError), session.begin_nested():
        write_with_triggers = pledge_columns(session, 10**9, rows=1)
        names = ", ".join(write_with_triggers)
        marks = ", ".join(f":{name}" for name in write_with_triggers)
        row = {name: values[0] for name, values in write_with_triggers.items()}
        connection.execute(text(f"INSERT INTO pledge ({names}) VALUES ({marks})"), row)


@postgresql_only
def test_without_the_privilege_the_copy_keeps_its_triggers(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        copy_load, "row_triggers_may_be_off", lambda _connection, _table="pledge": False
    )
    donor = donor_named(session, "France")
    before = pledges_of(session, donor.id)
    write(session, pledge_columns(session, donor.id))
    assert pledges_of(session, donor.id) == before + 3
    with pytest.raises(TableImportError, match=r"Key \(donor_id\)=\(1000000000\) is not present"):
        write(session, pledge_columns(session, 10**9))


@postgresql_only
def test_a_trigger_of_the_table_s_own_keeps_the_row_triggers_on(session: Session) -> None:
    connection = session.connection()
    connection.execute(
        text(
            "CREATE FUNCTION pledge_noop() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN NEW; END $$"
        )
    )
    connection.execute(
        text(
            "CREATE TRIGGER pledge_noop BEFORE INSERT ON pledge "
            "FOR EACH ROW EXECUTE FUNCTION pledge_noop()"
        )
    )
    assert not copy_load.row_triggers_may_be_off(connection)


@postgresql_only
def test_copy_data_is_sent_by_the_writer_thread(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import formats the next chunk while the last one is sent: every block of COPY
    data is queued for psycopg's writer thread rather than sent by the importing one."""
    from psycopg.copy import QueuedLibpqWriter

    queued: list[int] = []
    queue = QueuedLibpqWriter.write

    def counted(writer: QueuedLibpqWriter, data: Any) -> None:
        queued.append(len(data))
        queue(writer, data)

    monkeypatch.setattr(QueuedLibpqWriter, "write", counted)
    donor = donor_named(session, "Poland")
    before = pledges_of(session, donor.id)
    write(session, pledge_columns(session, donor.id))
    assert queued and pledges_of(session, donor.id) == before + 3


@postgresql_only
def test_report_rows_are_checked_set_wise_and_the_triggers_come_back(session: Session) -> None:
    """Reports written beside an import's pledges (corroborating ones, by COPY) go in with
    the per-row triggers off; a report naming a pledge that is not there fails the import,
    and afterwards the triggers are on again."""
    from tracker.importers.column_insert import insert_columns
    from tracker.models import Report

    table: Any = Report.__table__
    source, now = make_source(session, kind="dataset"), utcnow()
    donor = donor_named(session, "Germany")
    write(session, pledge_columns(session, donor.id, rows=1))
    pledge_id = session.scalar(select(func.max(Pledge.id)).where(Pledge.donor_id == donor.id))
    report = {"source_id": [source.id], "role": ["corroborates"], "created_at": [now]}
    with session.begin_nested():
        insert_columns(session, table, {"pledge_id": [pledge_id], **report})
    assert (
        session.scalar(
            select(func.count()).where(Report.pledge_id == pledge_id, Report.source_id == source.id)
        )
        == 1
    )
    missing = (pledge_id or 0) + 10**6
    with (
        pytest.raises(TableImportError, match=f"no pledge has id {missing}"),
        session.begin_nested(),
    ):
        insert_columns(session, table, {"pledge_id": [missing], **report})
    connection = session.connection()
    assert connection.execute(text("SHOW session_replication_role")).scalar_one() == "origin"
    assert session.scalar(select(func.count()).where(Report.pledge_id == missing)) == 0
