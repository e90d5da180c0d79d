"""Download routes and the table upload form."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import openpyxl
import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tests.accounts import signed_in_client
from tests.factories import donor_named, item_named, recipient
from tracker import create_app
from tracker.export_cells import timestamp_text
from tracker.exports import PLEDGE_COLUMNS, totals_columns
from tracker.models import Pledge, User
from tracker.services.pledges import EditConflict, PledgeInput, create_pledge
from tracker.views import exports as exports_view
from tracker.views.errors import edit_conflict


@pytest.fixture
def pledge(session: Session) -> Pledge:
    """One committed pledge from Germany."""
    made = create_pledge(
        session,
        PledgeInput(
            donor_id=donor_named(session, "Germany").id,
            recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id,
            amount="-5.00", currency="EUR", is_correction=True,
            announced=date(2025, 7, 1), notes="=1+1",
        ),
    )  # fmt: skip
    session.commit()
    return made


def test_totals_csv_download(client: FlaskClient, pledge: Pledge) -> None:
    response = client.get("/exports/totals.csv?by=stage")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert 'filename="totals-by-stage.csv"' in disposition
    assert not response.data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(response.data), dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(totals_columns("stage"))
    assert frame.loc[0, "eur"] == "-5.00"


def test_pledges_downloads_in_every_format(client: FlaskClient, pledge: Pledge) -> None:
    csv = client.get("/exports/pledges.csv?kind=financial")
    frame = pd.read_csv(io.BytesIO(csv.data), dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(PLEDGE_COLUMNS)
    assert (frame.loc[0, "notes"], frame.loc[0, "amount"]) == ("'=1+1", "-5.00")
    xlsx = client.get("/exports/pledges.xlsx")
    assert 'filename="pledges.xlsx"' in xlsx.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None and sheet.cell(2, 1).value == pledge.id
    assert client.get("/exports/pledges.json").get_json()[0]["amount"] == "-5.00"
    assert client.get("/exports/pledges.csv?kind=military").data.count(b"\n") == 1


def test_bad_filters_and_formats(client: FlaskClient) -> None:
    assert client.get("/exports/totals.csv?by=nothing").status_code == 400
    assert client.get("/exports/pledges.csv?stage=maybe").status_code == 400
    assert client.get("/exports/pledges.pdf").status_code == 404


def upload(client: FlaskClient, content: bytes, name: str, dry_run: bool):  # type: ignore[no-untyped-def]
    """Post the upload form."""
    data = {"table": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "y"  # type: ignore[assignment]
    return client.post("/imports/table", data=data, content_type="multipart/form-data")


def test_upload_preview_then_import(
    form_app: Flask, session: Session, pledge: Pledge, analyst: User
) -> None:
    client = signed_in_client(form_app, analyst)
    assert "Import a table" in client.get("/imports/table").get_data(as_text=True)
    exported = pd.read_csv(io.BytesIO(client.get("/exports/pledges.csv").data), dtype=str,
                           keep_default_na=False)  # fmt: skip
    exported.loc[0, "stage"] = "committed"
    content = exported.to_csv(index=False).encode()
    preview = upload(client, content, "pledges.csv", dry_run=True)
    assert preview.status_code == 200
    assert "stage announced → committed" in preview.get_data(as_text=True)
    session.refresh(pledge)
    assert pledge.stage == "announced"
    done = upload(client, content, "pledges.csv", dry_run=False)
    assert "imported 0 created, 1 updated" in done.get_data(as_text=True)
    session.refresh(pledge)
    assert pledge.stage == "committed"


def test_upload_errors_show_row_and_column(
    form_app: Flask, session: Session, analyst: User
) -> None:
    before = session.scalar(select(func.count()).select_from(Pledge))
    content = b"donor,item,amount,currency\nGermany,aid,12x,EUR\n"
    response = upload(signed_in_client(form_app, analyst), content, "t.csv", dry_run=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<td>2</td><td>amount</td>" in page and "nothing was imported" in page
    assert session.scalar(select(func.count()).select_from(Pledge)) == before


@pytest.mark.parametrize(
    "url",
    ["/exports/pledges.csv", "/exports/pledges.json", "/exports/pledges.xlsx",
     "/exports/totals.csv?by=donor", "/exports/pledges.csv?donor=Germany"],
)  # fmt: skip
def test_a_download_read_to_its_end_leaves_no_transaction_open(
    session_factory: sessionmaker[Session], pledge: Pledge, url: str
) -> None:
    """The request's session is closed when the stream ends, not only when the view returns
    (the stream reads after that): else its connection stays out of the pool, in a
    transaction, until the garbage collector finds it."""
    opened: list[Session] = []

    def factory(**kwargs: Any) -> Session:
        made = session_factory(**kwargs)
        opened.append(made)
        return made

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SESSION_FACTORY": factory})
    response = app.test_client().get(url)
    assert response.status_code == 200
    assert response.get_data()
    response.close()
    assert opened
    assert [made.in_transaction() for made in opened] == [False] * len(opened)


UTC_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\+00:00"
)


def test_timestamps_are_utc_with_their_offset_in_every_export_and_the_api(
    client: FlaskClient, pledge: Pledge
) -> None:
    csv = client.get("/exports/pledges.csv")
    frame = pd.read_csv(io.BytesIO(csv.data), dtype=str, keep_default_na=False)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/exports/pledges.xlsx").data)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    written = {
        "csv": frame.loc[0, "created_at"],
        "xlsx": sheet.cell(2, header.index("created_at") + 1).value,
        "json": client.get("/exports/pledges.json").get_json()[0]["created_at"],
        "api": client.get(f"/api/pledges/{pledge.id}").get_json()["created_at"],
    }
    assert all(UTC_MOMENT.fullmatch(text) for text in written.values()), written
    assert len(set(written.values())) == 1, written
    stored = pledge.created_at
    assert stored is not None
    utc = stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored  # SQLite: naive
    assert datetime.fromisoformat(written["api"]) == utc


@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31)),
    zone=st.sampled_from([None, UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5))]),
)
def test_a_timestamp_is_written_in_utc_with_its_offset(
    moment: datetime, zone: timezone | None
) -> None:
    given_moment = moment.replace(tzinfo=zone)
    text = timestamp_text(given_moment)
    assert UTC_MOMENT.fullmatch(text), text
    back = datetime.fromisoformat(text)
    assert back == (given_moment if zone is not None else moment.replace(tzinfo=UTC))


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("export_pledges", "/exports/pledges.csv"),
        ("export_pledges", "/exports/pledges.csv?excel=1"),
        ("export_totals", "/exports/totals.csv?by=donor"),
    ],
)
def test_a_csv_export_failing_midway_ends_with_a_row_saying_so_and_aborts(
    client: FlaskClient,
    pledge: Pledge,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    url: str,
) -> None:
    """The status (200) is sent with the first bytes: a failure after them is shown as the
    file's last row, and the response still ends in the error (an incomplete transfer)."""
    export = getattr(exports_view, name)

    def failing(*args: Any, **kwargs: Any) -> Iterator[bytes]:
        chunks = export(*args, **kwargs)
        yield next(chunks)
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(exports_view, name, failing)
    response = client.get(url, buffered=False)
    assert response.status_code == 200
    received: list[bytes] = []
    with pytest.raises(OperationalError):
        received.extend(response.response)
    text = b"".join(received).decode("utf-8-sig")
    last = text.splitlines()[-1]
    assert last == exports_view.EXPORT_FAILED.decode().rstrip("\n")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, header=None)
    assert frame.iloc[-1, 0].startswith("EXPORT FAILED")


def test_an_api_edit_conflict_names_when_in_utc_with_its_offset(
    app: Flask, session: Session, pledge: Pledge
) -> None:
    """The 409 an API write gets when another change won the race (views/errors.py)."""
    naive = datetime(2025, 7, 1, 10, 30)  # as SQLite reads the audit's time back
    conflict = EditConflict(pledge, expected_version=1, changed_by="ana", changed_at=naive)
    with app.test_request_context(f"/api/pledges/{pledge.id}", method="PATCH"):
        answer = edit_conflict(conflict)
    assert answer.status_code == 409
    assert answer.get_json()["changed_at"] == "2025-07-01T10:30:00+00:00"
