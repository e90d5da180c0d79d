"""A pledge copied through the pledges export (its id and version left out, as for another
database) comes back with the same fields, its delivery day included: the day the export
states, not the announcement's, and none where the original has none."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import count

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests.conftest import seeded_engine
from tracker.exports import export_pledges
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge, Report
from tracker.services.manual_sources import source_for_url

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
        stated = delivered and after is not None  # a day dates a figure: none without one
        day = (ANNOUNCED + timedelta(days=after)).isoformat() if stated else ""
        lines.append(f"{donor},aid,{amount},EUR,{ANNOUNCED},{delivered or ''},{day}")
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
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


ADDRESSES = st.sampled_from(
    ["https://example.org/a", "https://example.org/b?x=1;y=2", "http://news.example.com/3"]
)
STAGED = st.tuples(
    st.integers(1, 10**6),
    st.none() | st.integers(1, 10**6),  # allocated amount
    st.none() | st.integers(0, 400),  # allocated this many days after the announcement
    st.none() | st.integers(1, 10**6),  # delivered amount
    st.none() | st.integers(0, 400),  # delivered this many days after the announcement
    st.lists(ADDRESSES, max_size=3),  # where else the pledge was reported
)
Staged = tuple[int, int | None, int | None, int | None, int | None, list[str]]
EXAMPLES = count()  # a note naming the example keeps each one's file new to the database


def staged_table(rows: list[Staged]) -> bytes:
    """Rows with an allocation and a delivery, each with its day stated or left blank (no
    day where there is no figure: that is refused)."""

    def day(after: int | None) -> str:
        return (ANNOUNCED + timedelta(days=after)).isoformat() if after is not None else ""

    lines = ["donor,item,amount,currency,announced,allocated_amount,allocated_on,"
             "delivered_amount,delivered_on,notes"]  # fmt: skip
    example = next(EXAMPLES)
    for amount, allocated, allocated_after, delivered, delivered_after, _urls in rows:
        lines.append(
            f"Germany,aid,{amount},EUR,{ANNOUNCED},{allocated or ''},"
            f"{day(allocated_after) if allocated else ''},{delivered or ''},"
            f"{day(delivered_after) if delivered else ''},example {example}"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def other_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated, seeded SQLite database with no pledges, for the copies to go into."""
    engine = seeded_engine("sqlite", tmp_path_factory)
    yield engine
    engine.dispose()


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(STAGED, min_size=1, max_size=4))
def test_a_copy_into_a_fresh_database_keeps_the_allocation_day_and_the_source_urls(
    session: Session, other_database: Engine, rows: list[Staged]
) -> None:
    originals = import_table(session, staged_table(rows), "staged.csv")
    pledges = session.scalars(
        select(Pledge).where(Pledge.source_id == originals.source_id).order_by(Pledge.id)
    ).all()
    for pledge, row in zip(pledges, rows, strict=True):
        for address in row[5]:
            source = source_for_url(session, address)
            session.add(Report(pledge_id=pledge.id, source_id=source.id, role="corroborates"))
    session.commit()
    exported = read(b"".join(export_pledges(session, None, "csv")))
    mine = exported[exported["source_id"] == str(originals.source_id)].reset_index(drop=True)
    for row, (_amount, allocated, after, _delivered, _after, urls) in enumerate(rows):
        stated = ANNOUNCED + timedelta(days=after) if allocated and after is not None else None
        assert mine.at[row, "allocated_on"] == (stated.isoformat() if stated else "")
        assert sorted(filter(None, mine.at[row, "source_urls"].split("; "))) == sorted(urls)

    kept = [name for name in PLACE_COLUMNS if name != "source_urls"]
    with other_database.connect() as connection:  # a fresh database, left as it was
        transaction = connection.begin()
        try:
            copy = Session(bind=connection, join_transaction_mode="create_savepoint")
            content = mine.drop(columns=kept).to_csv(index=False).encode()
            copied = import_table(copy, content, "copy.csv")
            copy.flush()
            again = read(b"".join(export_pledges(copy, None, "csv")))
            copy.close()
        finally:
            transaction.rollback()
    copies = again[again["source_id"] == str(copied.source_id)].reset_index(drop=True)
    pd.testing.assert_frame_equal(copies.drop(columns=kept), mine.drop(columns=kept))


def test_a_source_url_that_is_not_a_web_address_is_refused_with_its_row(
    session: Session,
) -> None:
    content = (
        "donor,item,amount,currency,announced,source_urls\n"
        f"Germany,aid,5,EUR,{ANNOUNCED},https://example.org/a; javascript:alert(1)\n"
    ).encode()
    before = session.scalar(select(func.count(Pledge.id)))
    with pytest.raises(TableImportError) as raised:
        import_table(session, content, "bad-urls.csv")
    [problem] = raised.value.problems
    assert (problem.row, problem.column) == (2, "source_urls")
    assert "'javascript:alert(1)' is not a web address" in problem.message
    assert session.scalar(select(func.count(Pledge.id))) == before


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stage=st.sampled_from(["allocated", "delivered"]),
    after=st.integers(0, 400),
    figure=st.sampled_from(["", "0", "0.00"]),
    rows_before=st.integers(0, 3),
)
def test_a_stage_day_without_its_figure_is_refused_with_its_row(
    session: Session, stage: str, after: int, figure: str, rows_before: int
) -> None:
    day = ANNOUNCED + timedelta(days=after)
    good = [f"Norway,aid,{n + 1},EUR,{ANNOUNCED},7,{day}" for n in range(rows_before)]
    content = "\n".join(
        [f"donor,item,amount,currency,announced,{stage}_amount,{stage}_on", *good,
         f"Germany,aid,5,EUR,{ANNOUNCED},{figure},{day}"]
    ).encode()  # fmt: skip
    before = session.scalar(select(func.count(Pledge.id)))
    with pytest.raises(TableImportError) as raised:
        import_table(session, content, "days.csv")
    [problem] = raised.value.problems
    assert (problem.row, problem.column) == (rows_before + 2, f"{stage}_on")
    article = "an" if stage == "allocated" else "a"
    assert problem.message == f"{article} {stage} day needs the {stage} amount or quantity it dates"
    assert session.scalar(select(func.count(Pledge.id))) == before
