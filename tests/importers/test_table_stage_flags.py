"""A table row whose allocation or delivery is dated before its announcement is imported
and flagged for review, by the rule the pledge page and an article's reports follow
(`pledge_numbers.early_stage_note`): the pledge carries the note, and the row's report of
that stage its own note only (not the other stage's, nor the rest of the pledge's flag); a
day on or after the announcement, or none stated, flags nothing."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.importers.mapping import Mapping
from tracker.importers.table import import_table
from tracker.models import Pledge, Report
from tracker.services.pledge_numbers import early_stage_note
from tracker.services.reports import StageFigure, record_stage

MAPPED = b"""
columns: {giver: donor, what: item, n: quantity, day: announced, set: allocated_quantity,
          set_on: allocated_on, given: delivered_quantity, given_on: delivered_on,
          remark: notes}
"""
ANNOUNCED = date(2025, 7, 10)
OFFSETS = st.none() | st.integers(-400, 400)  # days after the announcement, or no figure
EXAMPLES = count()  # a note naming the example keeps each file new to the database


def day_after(offset: int | None) -> str:
    """The cell of a stage day `offset` days after the announcement (blank: none)."""
    return "" if offset is None else (ANNOUNCED + timedelta(days=offset)).isoformat()


def expected_notes(allocated: int | None, delivered: int | None) -> list[str]:
    """The notes the rule gives a row with these stage days."""
    days = {"allocated": allocated, "delivered": delivered}
    notes = []
    for stage, offset in days.items():
        day = None if offset is None else ANNOUNCED + timedelta(days=offset)
        note = early_stage_note(stage, day, ANNOUNCED)
        if note is not None:
            notes.append(note)
    return notes


def imported(
    session: Session, content: bytes, mapping: Mapping | None
) -> tuple[Pledge, list[Report]]:
    """The one pledge a one-row table makes, and the row's reports of it."""
    result = import_table(session, content, "stages.csv", mapping=mapping)
    pledge = session.scalars(select(Pledge).where(Pledge.source_id == result.source_id)).one()
    reports = session.scalars(select(Report).where(Report.pledge_id == pledge.id)).all()
    return pledge, list(reports)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(allocated=OFFSETS, delivered=OFFSETS, mapped=st.booleans())
def test_a_stage_dated_before_the_announcement_is_flagged(
    session: Session, allocated: int | None, delivered: int | None, mapped: bool
) -> None:
    example = next(EXAMPLES)
    cells = [
        "Germany", "air defence missiles", "100", ANNOUNCED.isoformat(),
        "" if allocated is None else "30", day_after(allocated),
        "" if delivered is None else "20", day_after(delivered), f"example {example}",
    ]  # fmt: skip
    if mapped:
        header, mapping = "giver,what,n,day,set,set_on,given,given_on,remark", MAPPED
    else:
        header, mapping = (
            (
                "donor,item,quantity,announced,allocated_quantity,allocated_on,"
                "delivered_quantity,delivered_on,notes"
            ),
            None,
        )
    content = f"{header}\n{','.join(cells)}\n".encode()
    rules = Mapping.loads(mapping, "m.yaml") if mapping else None
    with session.begin_nested() as savepoint:
        pledge, reports = imported(session, content, rules)
        notes = expected_notes(allocated, delivered)
        assert pledge.review_flag == ("; ".join(notes) or None)
        for report in reports:  # a stage's report carries its own stage's note only
            stage = {"allocates": "allocated", "delivers": "delivered"}.get(report.role)
            own = stage and early_stage_note(stage, report.reported_on, ANNOUNCED)
            assert report.review_flag == (own or None)
        for stage, offset in (("allocated", allocated), ("delivered", delivered)):
            day = None if offset is None else ANNOUNCED + timedelta(days=offset)
            assert getattr(pledge, f"{stage}_on") == day  # the figure is kept as stated
        savepoint.rollback()


def test_the_table_and_the_pledge_page_word_it_alike(session: Session) -> None:
    content = (
        "donor,item,quantity,announced,delivered_quantity,delivered_on\n"
        f"Germany,air defence missiles,100,{ANNOUNCED},20,2025-07-01\n"
        f"France,air defence missiles,100,{ANNOUNCED},,\n"
    ).encode()
    result = import_table(session, content, "early.csv")
    assert result.flagged == 1 and result.summary().endswith(", 1 flagged for review.")
    germany, france = session.scalars(
        select(Pledge).where(Pledge.source_id == result.source_id).order_by(Pledge.id)
    ).all()
    assert france.review_flag is None
    by_hand = record_stage(
        session, france.id, StageFigure("delivered", quantity=20, reported_on=date(2025, 7, 1))
    )
    assert germany.review_flag == by_hand.review_flag == france.review_flag
    assert germany.review_flag == (
        "delivered on 2025-07-01, before the pledge was announced (2025-07-10): check the dates"
    )
