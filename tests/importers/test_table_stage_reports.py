"""A new pledge of a table keeps its promise and its allocated and delivered figures as the
reports the pledge page would record: one that announces the promise, one that allocates
and one that delivers, each dated by its stage's day, so its figures are the sums of its
reports and another report recorded later adds to them instead of wiping the one the row
stated. Its stage is the furthest its figures reach, as a recorded figure moves it (a
cancelled pledge stays cancelled)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.importers.test_matching import give
from tracker.importers.mapping import Mapping
from tracker.importers.table import import_table
from tracker.models import Pledge, Report
from tracker.services.pledges import delete_pledge, restore_pledge
from tracker.services.reports import StageFigure, recompute_stage_figures, record_stage

ANNOUNCED = date(2025, 7, 10)
FIGURE = st.none() | st.tuples(st.integers(1, 500), st.none() | st.integers(0, 60))
EXAMPLES = count()
STAGES = st.sampled_from(["", "announced", "committed", "allocated", "delivered", "cancelled"])
ORDER = ("announced", "committed", "allocated", "delivered")
FIELDS = ("allocated_quantity", "allocated_on", "delivered_quantity", "delivered_on")


def cells(figure: tuple[int, int | None] | None) -> list[str]:
    """The figure and day cells of one stage (blank where not stated)."""
    if figure is None:
        return ["", ""]
    number, after = figure
    return [str(number), "" if after is None else str(ANNOUNCED + timedelta(days=after))]


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(allocated=FIGURE, delivered=FIGURE, stage=STAGES)
def test_the_rows_figures_are_its_reports_and_survive_a_later_delivery(
    session: Session,
    allocated: tuple[int, int | None] | None,
    delivered: tuple[int, int | None] | None,
    stage: str,
) -> None:
    row = ["Germany", "air defence missiles", "1000", str(ANNOUNCED), *cells(allocated),
           *cells(delivered), stage, f"example {next(EXAMPLES)}"]  # fmt: skip
    content = (
        "donor,item,quantity,announced,allocated_quantity,allocated_on,delivered_quantity,"
        f"delivered_on,stage,notes\n{','.join(row)}\n"
    ).encode()
    with session.begin_nested() as savepoint:
        result = import_table(session, content, "stages.csv")
        pledge = session.scalars(select(Pledge).where(Pledge.source_id == result.source_id)).one()
        stated = {name: getattr(pledge, name) for name in FIELDS}
        by_figures = "delivered" if delivered else "allocated" if allocated else "announced"
        given = stage or "announced"
        assert pledge.stage == (
            given if given == "cancelled" else max(given, by_figures, key=ORDER.index)
        )
        roles = sorted(session.scalars(select(Report.role).where(Report.pledge_id == pledge.id)))
        expected = sorted(
            ["announces", *(r for r, f in (("allocates", allocated), ("delivers", delivered)) if f)]
        )
        assert roles == expected
        recompute_stage_figures(session, pledge)  # the figures are their reports' sums
        assert {name: getattr(pledge, name) for name in FIELDS} == stated
        later = ANNOUNCED + timedelta(days=100)
        if stage == "cancelled":
            savepoint.rollback()
            return
        record_stage(session, pledge.id, StageFigure("delivered", quantity=1, reported_on=later))
        session.refresh(pledge)
        kept = {k: v for k, v in stated.items() if k.startswith("allocated")}
        assert {name: getattr(pledge, name) for name in kept} == kept
        assert pledge.delivered_quantity == (stated["delivered_quantity"] or 0) + 1
        assert pledge.delivered_on == later
        savepoint.rollback()


MATCHED = b"""
columns: {giver: donor, what: item, amount: amount, currency: currency, day: announced,
          set: allocated_amount}
match: true
"""


def test_a_rows_pledge_is_announced_by_its_row_and_comes_back_after_a_deletion(
    session: Session,
) -> None:
    """A row with a promise and an allocation is two reports of two roles (DESIGN.md: a
    pledge keeps each figure with the report that gave it), as the pledge page records a
    pledge and then its allocation; so a possible duplicate made by such a row, deleted by
    an analyst, is restored like any other (a pledge with no announcing report would be
    taken for one linked away, whose reports another pledge holds)."""
    stored = give(session, "283000000")  # UK aid, 2025-07-10
    table = b"giver,what,amount,currency,day,set\nBritain,aid,400000000,GBP,2025-07-12,1000000\n"
    result = import_table(session, table, "t.csv", mapping=Mapping.loads(MATCHED, "m.yaml"))
    assert result.possible_duplicates == 1
    pledge = session.scalars(select(Pledge).where(Pledge.source_id == result.source_id)).one()
    assert pledge.duplicate_of_id == stored.id
    reports = session.scalars(
        select(Report).where(Report.pledge_id == pledge.id).order_by(Report.id)
    ).all()
    assert [(r.role, r.reported_on, r.amount) for r in reports] == [
        ("announces", date(2025, 7, 12), None),
        ("allocates", date(2025, 7, 12), Decimal("1000000.00")),
    ]
    assert {r.source_id for r in reports} == {result.source_id}
    delete_pledge(session, pledge.id, expected_version=pledge.version)
    restore_pledge(session, pledge.id)
    assert pledge.deleted_at is None and pledge.allocated_amount == Decimal("1000000.00")
