"""A table matched against stored pledges (`match: true`) dates the allocation and the
delivery it records by the columns its mapping names for them, as a new pledge's figures
are dated; the row's announcement only where the mapping names no such column."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.importers.test_matching import give, rollup_equals_rebuild
from tracker.importers.mapping import Mapping
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge

DATED = b"""
columns: {giver: donor, what: item, amount: amount, currency: currency, day: announced,
          set: allocated_amount, set_on: allocated_on, given: delivered_amount,
          given_on: delivered_on}
match: true
"""
UNDATED = b"""
columns: {giver: donor, what: item, amount: amount, currency: currency, day: announced,
          set: allocated_amount, given: delivered_amount}
match: true
"""
ROW_DAY = date(2025, 7, 12)
DAYS = st.none() | st.integers(0, 300).map(lambda n: ROW_DAY + timedelta(days=n))


def matched(session: Session, mapping: bytes, cells: str) -> Pledge:
    """The stored promise after one table row repeating it is imported with `mapping`."""
    promise = give(session, "283000000")  # UK aid, 2025-07-10
    header = "giver,what,amount,currency,day,set,given"
    header += ",set_on,given_on" if b"_on" in mapping else ""
    table = f"{header}\nBritain,aid,283000000,GBP,{ROW_DAY},{cells}\n".encode()
    result = import_table(session, table, "t.csv", mapping=Mapping.loads(mapping, "m.yaml"))
    session.flush()
    assert result.corroborated == 1
    session.refresh(promise)
    return promise


@settings(
    max_examples=12,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(allocated_on=DAYS, delivered_on=DAYS)
def test_a_matched_row_dates_its_figures_by_the_mapped_day_columns(
    session: Session, allocated_on: date | None, delivered_on: date | None
) -> None:
    savepoint = session.begin_nested()
    try:
        days = f"{allocated_on or ''},{delivered_on or ''}"
        promise = matched(session, DATED, f"100000000,20000000,{days}")
        assert promise.allocated_amount == 100000000 and promise.delivered_amount == 20000000
        assert (promise.allocated_on, promise.delivered_on) == (allocated_on, delivered_on)
        stage_days = {r.role: r.reported_on for r in promise.reports}
        assert (stage_days["allocates"], stage_days["delivers"]) == (allocated_on, delivered_on)
        rollup_equals_rebuild(session)
    finally:
        savepoint.rollback()


def test_without_day_columns_a_matched_row_dates_its_figures_by_its_announcement(
    session: Session,
) -> None:
    promise = matched(session, UNDATED, "100000000,20000000")
    assert (promise.allocated_on, promise.delivered_on) == (ROW_DAY, ROW_DAY)


def test_a_bad_day_in_a_mapped_day_column_is_refused_with_its_row(session: Session) -> None:
    promise = give(session, "283000000")
    table = (
        "giver,what,amount,currency,day,set,given,set_on,given_on\n"
        f"Britain,aid,283000000,GBP,{ROW_DAY},100000000,,12/07/2025,\n"
    ).encode()
    with pytest.raises(TableImportError) as raised:
        import_table(session, table, "t.csv", mapping=Mapping.loads(DATED, "m.yaml"))
    [problem] = raised.value.problems
    assert (problem.row, problem.column, problem.field) == (2, "set_on", "allocated_on")
    assert str(problem).startswith('row 2, column "set_on" (allocated_on): ')
    assert "'12/07/2025' is not a date" in problem.message
    session.refresh(promise)
    assert promise.allocated_amount is None and len(promise.reports) == 1
