"""The table import page: in the navigation, shipped mappings, a readable preview of the
first rows, problems counted by column, and the dry run's files kept for the import."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.accounts import make_user, signed_in_client
from tracker.importers.staging import KeptFile, StagingError, UploadStore, shipped_mappings
from tracker.models import AuditEvent, Pledge

WEAPONS = Path(__file__).parent.parent / "data" / "kiel" / "kiel-weapons.csv"


def post(client, **fields):  # type: ignore[no-untyped-def]
    """Send the import form."""
    return client.post("/imports/table", data=fields, content_type="multipart/form-data")


def pledge_count(session: Session) -> int:
    """How many pledges are stored."""
    return int(session.scalar(select(func.count()).select_from(Pledge)) or 0)


def test_the_page_is_in_the_navigation_for_analysts_only(form_app: Flask, session: Session) -> None:
    analyst = signed_in_client(form_app, make_user(session, "analyst"))
    page = analyst.get("/").get_data(as_text=True)
    assert 'href="/imports/table"' in page
    form = analyst.get("/imports/table").get_data(as_text=True)
    for name in shipped_mappings():
        assert f'value="{name}"' in form
    viewer = signed_in_client(form_app, make_user(session, "viewer"))
    assert 'href="/imports/table"' not in viewer.get("/").get_data(as_text=True)


def test_a_dry_run_with_a_shipped_mapping_previews_names_then_imports_the_kept_file(
    form_app: Flask, session: Session, tmp_path: Path
) -> None:
    user = make_user(session, "admin", "importer")  # the weapons table adds catalogue items
    client = signed_in_client(form_app, user)
    before = pledge_count(session)
    preview = post(
        client, table=(io.BytesIO(WEAPONS.read_bytes()), "kiel-weapons.csv"),
        shipped="kiel-weapons.yaml", dry_run="y", reviewed="y",
    )  # fmt: skip
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "The first 50 rows" in page and '<td data-label="Donor">Australia</td>' in page
    assert "M777 howitzer" in page and "donor_id" not in page
    assert pledge_count(session) == before
    kept = list((tmp_path / "uploads").iterdir())
    assert len(kept) == 1
    token = kept[0].name
    assert f'name="token" value="{token}"' in page and "Import these rows" in page

    done = post(client, token=token, shipped="kiel-weapons.yaml", reviewed="y", dry_run="")
    assert done.status_code == 200, done.get_data(as_text=True)
    assert "Imported" in done.get_data(as_text=True)
    created = pledge_count(session) - before
    assert created > 50
    reviewed = select(func.count()).select_from(Pledge).where(Pledge.reviewed.is_(False))
    assert session.scalar(reviewed.where(Pledge.item_text.like("%M777%"))) == 0
    assert list((tmp_path / "uploads").iterdir()) == []
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()[-1]
    assert event.username == "importer"
    expired = post(client, token=token, dry_run="")
    assert expired.status_code == 422 and "expired" in expired.get_data(as_text=True)


def test_problems_are_listed_by_row_and_counted_by_column(
    form_app: Flask, session: Session
) -> None:
    client = signed_in_client(form_app, make_user(session, "analyst"))
    table = (
        b"donor,item,amount,currency\nGermany,aid,12x,EUR\nAtlantis,aid,5,EUR\nGermany,aid,1y,EUR\n"
    )
    response = post(client, table=(io.BytesIO(table), "t.csv"), dry_run="y")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<td>2</td><td>amount</td>" in page and "<strong>amount</strong> 2" in page
    assert "nothing was imported" in page


def test_a_missing_table_or_unknown_mapping_is_named(form_app: Flask, session: Session) -> None:
    client = signed_in_client(form_app, make_user(session, "analyst"))
    assert "choose a table" in post(client, dry_run="y").get_data(as_text=True)
    table = (io.BytesIO(b"donor,item\nGermany,aid\n"), "t.csv")
    response = post(client, table=table, shipped="../../etc/passwd", dry_run="y")
    assert response.status_code == 422
    assert "no shipped mapping" in response.get_data(as_text=True)


def test_the_store_keeps_by_token_refuses_big_files_and_sweeps_old_ones(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=10, max_age_seconds=0)
    token = store.keep({"table": KeptFile("a.csv", b"x,y\n")})
    assert store.load(token) == {"table": KeptFile("a.csv", b"x,y\n")}
    with pytest.raises(StagingError, match="at most 10 bytes"):
        store.keep({"table": KeptFile("b.csv", b"x" * 11)})
    with pytest.raises(StagingError, match="malformed"):
        store.load("../" + token)
    store.sweep()
    with pytest.raises(StagingError, match="expired"):
        store.load(token)


SMALL_WEAPONS = b"".join(WEAPONS.read_bytes().splitlines(keepends=True)[:4])
TABLES = itertools.count(1)


def small_weapons_table() -> bytes:
    """Three rows of the weapons table, its first value changed each call (a new dataset)."""
    return SMALL_WEAPONS.replace(b"28672479", str(28672479 + next(TABLES)).encode())


MAPPING_CHOICES = st.sampled_from(["", *shipped_mappings()])


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(previewed_reviewed=st.booleans(), shipped=MAPPING_CHOICES, reviewed=st.booleans())
def test_the_import_runs_only_with_the_choices_that_were_previewed(
    form_app: Flask, session: Session, previewed_reviewed: bool, shipped: str, reviewed: bool
) -> None:
    client = signed_in_client(form_app, make_user(session, "admin"))
    before = pledge_count(session)
    preview = post(
        client, table=(io.BytesIO(small_weapons_table()), "w.csv"), shipped="kiel-weapons.yaml",
        dry_run="y", **({"reviewed": "y"} if previewed_reviewed else {}),
    )  # fmt: skip
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    token = page.split('name="token" value="')[1].split('"')[0]
    ticked = {"reviewed": "y"} if reviewed else {}

    done = post(client, token=token, shipped=shipped, dry_run="", **ticked)

    if (shipped, reviewed) == ("kiel-weapons.yaml", previewed_reviewed):
        assert done.status_code == 200, done.get_data(as_text=True)
        assert pledge_count(session) == before + 3
        return
    assert done.status_code == 409
    message = done.get_data(as_text=True)
    assert "nothing was imported" in message and "Preview again" in message
    assert f'name="token" value="{token}"' in message
    assert pledge_count(session) == before
    again = post(client, token=token, shipped=shipped, dry_run="y", **ticked)  # a new preview
    assert again.status_code in (200, 422)
    if again.status_code == 200:
        assert post(client, token=token, shipped=shipped, dry_run="", **ticked).status_code == 200
        assert pledge_count(session) > before
