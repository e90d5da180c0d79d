"""The pledges export lists a pledge's source URLs in the reports' order: by day, oldest
first (undated reports first), then by id: the pledge page's list read backwards. The
same in every format and on the web as on the command line, on both databases."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from itertools import count

import pandas as pd
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tracker.exports import export_pledges
from tracker.models import Pledge, Report
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.reports import reports_of

FIRST = date(2025, 3, 3)
EXAMPLES = count()
# Each report: its day (days after FIRST, or undated); reports are inserted in this order
DAYS = st.lists(st.none() | st.integers(0, 5), min_size=1, max_size=6)


def pledge_with_reports(session: Session, days: list[int | None]) -> tuple[Pledge, list[str]]:
    """A pledge given one report per day in `days` (inserted in that order, so ids rise
    while days jump about), each from its own source; and the sources' URLs in the
    export's order."""
    example = next(EXAMPLES)
    pledge = create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, "Germany").id, recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id, amount="100.00", currency="EUR",
            announced=FIRST, notes=f"example {example}",
        ),
    )  # fmt: skip
    made: list[tuple[date | None, int, str]] = []
    for number, after in enumerate(days):
        url = f"https://example.org/{example}/{number}"
        day = None if after is None else FIRST + timedelta(days=after)
        report = Report(
            pledge_id=pledge.id, source_id=make_source(session, url=url).id,
            role="corroborates", reported_on=day,
        )  # fmt: skip
        session.add(report)
        session.flush()
        made.append((day, report.id, url))
    made.sort(key=lambda r: (r[0] is not None, r[0] or FIRST, r[1]))
    return pledge, [url for _day, _id, url in made]


def urls_of(frame: pd.DataFrame, pledge: Pledge) -> list[str]:
    """The `source_urls` cell of the pledge's row, split."""
    cell = frame.loc[frame["id"] == str(pledge.id), "source_urls"].item()
    return cell.split("; ") if cell else []


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=DAYS)
def test_the_export_lists_urls_oldest_report_first(
    session: Session, days: list[int | None]
) -> None:
    pledge, expected = pledge_with_reports(session, days)
    csv = b"".join(export_pledges(session, None, "csv"))
    frame = pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False)
    assert urls_of(frame, pledge) == expected
    records = json.loads(b"".join(export_pledges(session, None, "json")))
    [mine] = [r for r in records if r["id"] == pledge.id]
    assert mine["source_urls"] == "; ".join(expected)
    page_order = [r.source.url for r in reports_of(session, pledge.id) if r.source is not None]
    assert [u for u in reversed(page_order) if u] == expected


def test_the_web_export_and_the_api_give_the_same_order(
    session: Session, client: FlaskClient
) -> None:
    pledge, expected = pledge_with_reports(session, [3, None, 1, 3, 0, None])
    session.commit()
    response = client.get("/exports/pledges.csv")
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(response.data), dtype=str, keep_default_na=False)
    assert urls_of(frame, pledge) == expected
    assert client.get(f"/api/pledges/{pledge.id}").get_json()["source_urls"] == "; ".join(expected)
