"""Our pledges export read back with its `id`s: the addresses of a row's `source_urls`
that its pledge's reports do not name yet become corroborating reports of that pledge
(audited), once each; addresses already there, or taken out of the cell, change nothing."""

from __future__ import annotations

import io
from datetime import date
from itertools import count

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tracker.exports import export_pledges
from tracker.importers.table import import_table
from tracker.models import AuditEvent, Pledge, Report, Source
from tracker.services.pledges import PledgeInput, create_pledge

ADDRESSES = st.sampled_from(
    ["https://example.org/first", "https://example.org/a", "http://news.example.com/b?x=1"]
)
EXAMPLES = count()


def pledge_reported_at(session: Session, url: str) -> Pledge:
    """A pledge whose announcing report comes from the source at `url`."""
    source = make_source(session, url=url)
    pledge = create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, "Germany").id, recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id, amount="100.00", currency="EUR",
            announced=date(2025, 7, 1), source_id=source.id,
            notes=f"example {next(EXAMPLES)}",
        ),
    )  # fmt: skip
    session.flush()
    return pledge


def exported_row(session: Session, pledge: Pledge) -> pd.DataFrame:
    """The pledge's row of our export, as text cells."""
    data = b"".join(export_pledges(session, None, "csv"))
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    return frame[frame["id"] == str(pledge.id)].reset_index(drop=True)


def report_urls(session: Session, pledge: Pledge) -> list[str]:
    """The URLs of the sources of the pledge's reports, by report id."""
    query = (
        select(Source.url)
        .join(Report, Report.source_id == Source.id)
        .where(Report.pledge_id == pledge.id)
        .order_by(Report.id)
    )
    return [url for url in session.scalars(query) if url is not None]


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(added=st.lists(ADDRESSES, max_size=4), dry_run=st.booleans())
def test_new_addresses_of_an_updating_row_become_reports_once(
    session: Session, added: list[str], dry_run: bool
) -> None:
    with session.begin_nested() as savepoint:
        pledge = pledge_reported_at(session, "https://example.org/first")
        row = exported_row(session, pledge)
        before = report_urls(session, pledge)
        row.loc[0, "source_urls"] = "; ".join([*before, *added])
        content = row.to_csv(index=False).encode()
        events = session.scalar(select(func.count(AuditEvent.id)))
        result = import_table(session, content, "back.csv", dry_run=dry_run)
        new = list(dict.fromkeys(a for a in added if a not in before))
        assert (result.updated, result.unchanged) == ((1, 0) if new else (0, 1))
        shown = [f"reported at {address}" for address in new]
        assert all(any(s in line for line in result.changes) for s in shown) or not dry_run
        if dry_run:
            assert report_urls(session, pledge) == before
        else:
            assert report_urls(session, pledge) == before + new
            roles = session.scalars(select(Report.role).where(Report.pledge_id == pledge.id))
            assert list(roles).count("corroborates") == len(new)
            later = session.scalar(select(func.count(AuditEvent.id)))
            assert later - events == len(new) + 1  # one per report, and the import's own
            session.refresh(pledge)
            assert pledge.version == 1  # the promise itself is as it was
            again = import_table(session, content, "back.csv")  # the same file again
            assert (again.updated, again.unchanged) == (0, 1)
            assert report_urls(session, pledge) == before + new
        savepoint.rollback()


def test_an_address_taken_out_of_the_cell_removes_no_report(session: Session) -> None:
    pledge = pledge_reported_at(session, "https://example.org/kept")
    row = exported_row(session, pledge)
    row.loc[0, "source_urls"] = ""
    result = import_table(session, row.to_csv(index=False).encode(), "back.csv")
    assert (result.updated, result.unchanged) == (0, 1)
    assert report_urls(session, pledge) == ["https://example.org/kept"]


def test_a_changed_figure_and_a_new_address_are_one_updated_row(session: Session) -> None:
    pledge = pledge_reported_at(session, "https://example.org/first")
    row = exported_row(session, pledge)
    row.loc[0, "amount"] = "150.00"
    row.loc[0, "source_urls"] = "https://example.org/first; https://example.org/second"
    result = import_table(session, row.to_csv(index=False).encode(), "back.csv")
    assert (result.updated, result.unchanged) == (1, 0)
    session.refresh(pledge)
    assert pledge.amount == 150 and pledge.version == 2
    assert report_urls(session, pledge) == [
        "https://example.org/first",
        "https://example.org/second",
    ]
