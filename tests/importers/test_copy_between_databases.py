"""A pledge copied through the pledges export (its id and version left out, as for another
database) comes back with the same fields, its delivery day included: the day the export
states, not the announcement's, and none where the original has none."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tracker.exports import export_pledges
from tracker.importers.table import import_table

# Columns that name where a copy lives, not what it says
PLACE_COLUMNS = [
    "id", "version", "source_id", "source_ref", "source_url", "evidence_id", "evidence",
    "sources", "source_urls", "created_at", "updated_at", "package_id",
]  # fmt: skip
ANNOUNCED = date(2025, 3, 3)
ROW = st.tuples(
    st.sampled_from(["Germany", "France", "Norway"]),
    st.integers(1, 10**6),
    st.none() | st.integers(1, 10**6),  # delivered amount
    st.none() | st.integers(0, 400),  # delivered this many days after the announcement
)


def read(content: bytes) -> pd.DataFrame:
    """An export as text cells."""
    return pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)


def table(rows: list[tuple[str, int, int | None, int | None]]) -> bytes:
    """Rows in our export's own columns, with a delivery day stated or left blank."""
    lines = ["donor,item,amount,currency,announced,delivered_amount,delivered_on"]
    for donor, amount, delivered, after in rows:
        day = (ANNOUNCED + timedelta(days=after)).isoformat() if after is not None else ""
        lines.append(f"{donor},aid,{amount},EUR,{ANNOUNCED},{delivered or ''},{day}")
    return ("\n".join(lines) + "\n").encode()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=4))
def test_a_copy_through_the_export_keeps_every_field(
    session: Session, rows: list[tuple[str, int, int | None, int | None]]
) -> None:
    originals = import_table(session, table(rows), "originals.csv")
    session.commit()
    exported = read(b"".join(export_pledges(session, None, "csv")))
    mine = exported[exported["source_id"] == str(originals.source_id)].reset_index(drop=True)
    for row, (_donor, _amount, delivered, after) in enumerate(rows):
        stated = ANNOUNCED + timedelta(days=after) if delivered and after is not None else None
        assert mine.at[row, "delivered_on"] == (stated.isoformat() if stated else "")

    copy = mine.drop(columns=PLACE_COLUMNS).to_csv(index=False).encode()
    copied = import_table(session, copy, "copy.csv")
    session.commit()
    again = read(b"".join(export_pledges(session, None, "csv")))
    copies = again[again["source_id"] == str(copied.source_id)].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        copies.drop(columns=PLACE_COLUMNS), mine.drop(columns=PLACE_COLUMNS)
    )
