"""Our pledges export read back with its `id`s: allocated and delivered figures and days
as exported pass; changed ones are refused by row and column (they are the sums of the
pledge's reports, recorded on the pledge page), never ignored, and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tests.importers.test_update_source_urls import exported_row
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.reports import StageFigure, record_stage

CHANGED = st.sampled_from(
    [
        ("delivered_amount", "75.00"),
        ("delivered_on", "2025-09-01"),
        ("allocated_amount", "10.00"),
        ("allocated_on", "2025-07-20"),
        ("delivered_quantity", "3"),
    ]
)


def delivered(session: Session) -> Pledge:
    """€100 promised on 2025-07-10, €40 delivered on 2025-08-01."""
    pledge = create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, "Germany").id, recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id, amount="100.00", currency="EUR",
            announced=date(2025, 7, 10),
        ),
    )  # fmt: skip
    figure = StageFigure("delivered", amount="40", currency="EUR", reported_on=date(2025, 8, 1))
    record_stage(session, pledge.id, figure)
    session.flush()
    return pledge


def test_the_row_as_exported_is_unchanged(session: Session) -> None:
    pledge = delivered(session)
    result = import_table(
        session, exported_row(session, pledge).to_csv(index=False).encode(), "t.csv"
    )
    assert (result.updated, result.unchanged) == (0, 1)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changed=CHANGED, notes=st.booleans())
def test_a_changed_stage_cell_is_refused_with_its_column(
    session: Session, changed: tuple[str, str], notes: bool
) -> None:
    with session.begin_nested() as savepoint:
        pledge = delivered(session)
        row = exported_row(session, pledge)
        column, value = changed
        row.loc[0, column] = value
        if notes:
            row.loc[0, "notes"] = "edited too"
        with pytest.raises(TableImportError) as raised:
            import_table(session, row.to_csv(index=False).encode(), "t.csv")
        [problem] = raised.value.problems
        assert (problem.row, problem.column) == (2, column)
        assert "record them on the pledge page" in problem.message
        session.refresh(pledge)
        assert pledge.delivered_amount == 40 and pledge.version == 2 and pledge.notes is None
        savepoint.rollback()
