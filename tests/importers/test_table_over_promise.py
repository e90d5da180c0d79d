"""A new table row whose allocated or delivered figure is above its own promise is imported
and flagged for review with the note the pledge page and an article's reports give
(`pledge_numbers.over_promise`), counted in the summary's "N flagged for review" with the
rows matched to a stored pledge whose stage figures are flagged there; a row promising 0
(a Kiel allocation drawing on a commitment recorded in another row) has no
promise of its own to exceed and is not flagged."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tests.importers.test_table_stage_flags import imported
from tracker.importers.mapping import Mapping
from tracker.importers.table import import_table
from tracker.models import Pledge
from tracker.services.pledge_numbers import over_promise
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.reports import StageFigure, record_stage

ANNOUNCED = date(2025, 7, 10)
FIGURES = st.none() | st.integers(1, 300)
EXAMPLES = count()  # a note naming the example keeps each file new to the database


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(promised=st.integers(0, 200), allocated=FIGURES, delivered=FIGURES, money=st.booleans())
def test_a_figure_above_the_rows_own_promise_is_flagged(
    session: Session, promised: int, allocated: int | None, delivered: int | None, money: bool
) -> None:
    number, unit = ("amount", ",EUR") if money else ("quantity", ",")
    header = f"donor,item,{number},currency,announced,allocated_{number},delivered_{number},notes"
    cells = [
        "Germany", "aid" if money else "air defence missiles", str(promised),
        unit.strip(","), ANNOUNCED.isoformat(), "" if allocated is None else str(allocated),
        "" if delivered is None else str(delivered), f"example {next(EXAMPLES)}",
    ]  # fmt: skip
    with session.begin_nested() as savepoint:
        pledge, reports = imported(session, f"{header}\n{','.join(cells)}\n".encode(), None)
        notes = [
            f"{over_promise(pledge, stage)}: check the reports"
            for stage, figure in (("allocated", allocated), ("delivered", delivered))
            if promised and figure is not None and figure > promised
        ]
        assert pledge.review_flag == ("; ".join(notes) or None)
        for report in reports:  # a stage's report carries its own stage's note only
            stage = {"allocates": "allocated", "delivers": "delivered"}.get(report.role)
            figure = report.amount if money else report.quantity
            over = bool(promised) and figure is not None and figure > promised
            own = f"{over_promise(pledge, stage)}: check the reports" if stage and over else None
            assert report.review_flag == own
        savepoint.rollback()


def test_the_table_and_the_pledge_page_word_it_alike_and_the_summary_counts_it(
    session: Session,
) -> None:
    content = (
        "donor,item,amount,currency,announced,allocated_amount\n"
        f"Germany,aid,1000000,EUR,{ANNOUNCED},1500000\n"
        f"France,aid,1000000,EUR,{ANNOUNCED},\n"
        f"Italy,aid,0,EUR,{ANNOUNCED},1500000\n"
    ).encode()
    result = import_table(session, content, "over.csv")
    assert result.flagged == 1 and result.summary().endswith(", 1 flagged for review.")
    germany, france, italy = session.scalars(
        select(Pledge).where(Pledge.source_id == result.source_id).order_by(Pledge.id)
    ).all()
    assert france.review_flag is None and italy.review_flag is None
    by_hand = record_stage(
        session,
        france.id,
        StageFigure("allocated", amount=1500000, currency="EUR", reported_on=ANNOUNCED),
    )
    assert germany.review_flag == by_hand.review_flag == france.review_flag
    assert germany.review_flag == (
        "allocated €1.5m is more than the promised €1.0m: check the reports"
    )


MATCHING = b"""
columns: {giver: donor, what: item, amount: amount, currency: currency, day: announced,
          given: delivered_amount, given_on: delivered_on, note: notes}
match: true
"""
STORED_DONORS = ("Germany", "France", "Italy")
NEW_DONORS = ("Norway", "Poland")
PROMISE = 1_000_000
DELIVERED = st.sampled_from([PROMISE // 2, PROMISE, PROMISE * 3 // 2])
DELIVERED_ON = st.sampled_from([ANNOUNCED - timedelta(days=5), ANNOUNCED + timedelta(days=3)])
ROWS = st.lists(st.tuples(DELIVERED, DELIVERED_ON), min_size=5, max_size=5)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS, stored=st.integers(0, len(STORED_DONORS)))
def test_the_summary_counts_matched_rows_flagged_as_new_ones(
    session: Session, rows: list[tuple[int, date]], stored: int
) -> None:
    """Rows repeating a stored promise (`match: true`) record their delivery on it; one
    above the promise or dated before its announcement is flagged there, and counted in the
    summary's "N flagged for review" beside the new rows flagged for the same reasons."""
    with session.begin_nested() as savepoint:
        for donor in STORED_DONORS[:stored]:
            data = PledgeInput(
                donor_id=donor_named(session, donor).id, recipient_id=recipient(session).id,
                item_id=item_named(session, "aid").id, amount=PROMISE, currency="EUR",
                announced=ANNOUNCED, reviewed=True,
            )  # fmt: skip
            create_pledge(session, data)
        lines = [
            f"{donor},aid,{PROMISE},EUR,{ANNOUNCED + timedelta(days=2)},{figure},{day},"
            f"example {next(EXAMPLES)}"
            for donor, (figure, day) in zip(STORED_DONORS + NEW_DONORS, rows, strict=True)
        ]
        table = "giver,what,amount,currency,day,given,given_on,note\n" + "\n".join(lines)
        mapping = Mapping.loads(MATCHING, "m.yaml")
        result = import_table(session, table.encode(), "t.csv", mapping=mapping)
        assert result.corroborated == stored
        flagged = sum(figure > PROMISE or day < ANNOUNCED for figure, day in rows)
        assert result.flagged == flagged
        assert (f", {flagged} flagged for review" in result.summary()) == bool(flagged)
        savepoint.rollback()
