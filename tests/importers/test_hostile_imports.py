"""Hostile and broken imports on both databases: malformed mappings refused before anything
is read, catalogue additions an admin's right and audited, uploads refused with 4xx and
nothing written, exports that import back as they were."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.accounts import make_user, sign_in
from tests.views.helpers import add_pledge
from tracker.exports import export_pledges
from tracker.importers.mapping import Mapping, MappingError
from tracker.importers.table import TableImportError, import_table
from tracker.models import AuditEvent, Donor, DonorAlias, Item, Pledge, Source
from tracker.services.catalogue import DonorInput, create_donor

MAPPING_BASE = {
    "columns": {"giver": "donor", "amount": "amount"},
    "defaults": {"currency": "EUR", "item": "aid"},
}


def mapping_bytes(**sections: object) -> bytes:
    """A JSON mapping: the base sections with `sections` on top."""
    return json.dumps({**MAPPING_BASE, **sections}).encode()


def written(session: Session) -> tuple[int, ...]:
    """How many pledges, sources, donors, aliases, items and audit events there are."""
    return tuple(
        int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (Pledge, Source, Donor, DonorAlias, Item, AuditEvent)
    )


def post_table(
    client: FlaskClient, content: bytes, name: str, mapping: bytes | None = None, *, dry: bool
):  # type: ignore[no-untyped-def]
    """Post the table upload form (encoded in memory: large files leave no temporary file)."""
    data: dict[str, object] = {"table": FileStorage(io.BytesIO(content), name)}
    if mapping is not None:
        data["mapping"] = FileStorage(io.BytesIO(mapping), "m.json")
    if dry:
        data["dry_run"] = "y"
    boundary, body = encode_multipart(data)
    return client.post(
        "/imports/table", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"columns": {"giver": [1, 2]}}, "columns: giver must be a piece of text, not a list"),
        ({"columns": {"giver": "donor", "amount": "cheese"}}, "'cheese' is not one of"),
        ({"defaults": [1]}, "section 'defaults' must be a map"),
        ({"defaults": {"notes": {"a": 1}}}, "defaults: notes must be a piece of text, not a map"),
        ({"donors": {"X": {"kind": "evil"}}}, "donors: X: kind 'evil' is not one of"),
        ({"donors": {"X": ["a"]}}, "donors: X must be a piece of text, not a list"),
        ({"categories": {"Tanks": "tanks"}}, "categories: Tanks: 'tanks' is not one of"),
        ({"round_amounts": "yes"}, "section 'round_amounts' must be true or false"),
        ({"values": {"stage": ["x"]}}, "section 'stage' must be a map"),
        ({"source": {"url": "javascript:alert(1)"}}, "must be a web address"),
        ({"source": {"url": "JavaScript:alert(1)//http://x"}}, "must be a web address"),
        ({"source": {"title": "t" * 501}}, "longer than 500"),
        ({"units": {"Tanks": "u" * 41}}, "at most 40"),
    ],
)
def test_malformed_mappings_are_refused_whole_before_any_table_is_read(
    sections: dict[str, object], message: str
) -> None:
    with pytest.raises(MappingError) as caught:
        Mapping.loads(mapping_bytes(**sections), "m.json")
    assert message in str(caught.value) and "m.json" in str(caught.value)


@pytest.mark.parametrize(
    "sections",
    [
        {"columns": {"giver": [1, 2]}},
        {"defaults": [1]},
        {"donors": {"Atlantis": {"kind": "evil"}}},
        {"source": {"url": "javascript:alert(document.cookie)"}},
    ],
)
@pytest.mark.parametrize("dry", [True, False])
def test_a_dry_run_fails_wherever_the_real_import_would(
    form_app: Flask, session: Session, sections: dict[str, object], dry: bool
) -> None:
    client = form_app.test_client()
    sign_in(client, make_user(session, "admin"))
    before = written(session)
    response = post_table(
        client, b"giver,amount\nAtlantis,5\n", "t.csv", mapping_bytes(**sections), dry=dry
    )
    assert response.status_code == 422
    assert "mapping m.json" in response.get_data(as_text=True)
    assert written(session) == before


CREATING = {
    "donors": {
        "Atlantis": {"name": "Atlantis", "kind": "country"},
        "Deutschland": "Germany",
    }
}


@pytest.mark.parametrize("dry", [True, False])
def test_an_analyst_cannot_add_donors_or_aliases_through_a_mapping(
    form_app: Flask, session: Session, dry: bool
) -> None:
    client = form_app.test_client()
    sign_in(client, make_user(session, "analyst"))
    before = written(session)
    table = b"giver,amount\nAtlantis,5\nDeutschland,6\n"
    response = post_table(client, table, "t.csv", mapping_bytes(**CREATING), dry=dry)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "only an admin may" in page and "donor &#39;Atlantis&#39;" in page
    assert written(session) == before


def test_an_admin_adds_donors_and_aliases_through_a_mapping_each_audited(
    session: Session,
) -> None:
    admin = make_user(session, "admin")
    table = b"giver,amount\nAtlantis,5\nDeutschland,6\n"
    mapping = Mapping.loads(mapping_bytes(**CREATING), "m.json")
    result = import_table(session, table, "t.csv", mapping=mapping, user=admin)
    assert result.created == 2 and result.new_donors == ["Atlantis"]
    atlantis = session.scalars(select(Donor).where(Donor.name == "Atlantis")).one()
    germany = session.scalars(select(Donor).where(Donor.name == "Germany")).one()
    assert "Deutschland" in {alias.alias for alias in germany.aliases}
    events = {
        (e.action, e.entity_id, e.username)
        for e in session.scalars(select(AuditEvent).where(AuditEvent.entity == "donor"))
    }
    assert ("create", atlantis.id, admin.username) in events
    assert ("update", germany.id, admin.username) in events


def test_an_analyst_cannot_add_items_through_a_mapping(session: Session) -> None:
    analyst = make_user(session, "analyst")
    mapping = Mapping.loads(
        json.dumps(
            {
                "columns": {"giver": "donor", "weapons": "item_lines", "category": "category"},
                "defaults": {"kind": "military"},
                "categories": {"Tanks": "armour"},
            }
        ).encode(),
        "m.json",
    )
    table = b"giver,weapons,category\nGermany,Brand-new tank (3),Tanks\n"
    before = written(session)
    with pytest.raises(TableImportError) as caught:
        import_table(session, table, "t.csv", mapping=mapping, user=analyst)
    assert "item 'Brand-new tank'" in str(caught.value)
    assert written(session) == before
    admin = make_user(session, "admin")
    assert import_table(session, table, "t.csv", mapping=mapping, user=admin).created == 1
    item = session.scalars(select(Item).where(Item.name == "Brand-new tank")).one()
    audit = select(AuditEvent).where(AuditEvent.entity == "item", AuditEvent.entity_id == item.id)
    assert [event.action for event in session.scalars(audit)] == ["create"]


def test_text_over_its_field_limit_is_refused_by_row_and_column(session: Session) -> None:
    table = b"donor,item,amount,currency,unit,notes\nGermany,aid,5,EUR," + b"u" * 41 + b",ok\n"
    before = written(session)
    with pytest.raises(TableImportError) as caught:
        import_table(session, table, "t.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "unit")]
    assert written(session) == before


@pytest.mark.parametrize(
    ("content", "name", "status", "message"),
    [
        (b"", "t.csv", 422, "required"),
        (b" \n", "t.csv", 422, "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "t.csv", 422, "control character"),
        ("donor,notes\nTürkiye,Zusage\n".encode("utf-16"), "t.csv", 422, "needs an item"),
        ("donor,notes\nTürkiye,Zusage\n".encode("cp1252"), "t.csv", 422, "needs an item"),
        (b'donor,item\nGermany,"aid\n', "t.csv", 422, "not a well-formed CSV"),
        (b"donor,item,notes\nGermany,aid," + b"n" * 30_000_000 + b"\n", "t.csv", 413, "5,000"),
        (",".join(f"c{i}" for i in range(10**6)).encode() + b"\n1\n", "t.csv", 413, "columns"),
        (b"PK\x03\x04 not a zip", "t.xlsx", 422, "not a valid zip"),
    ],
)
def test_broken_and_oversized_uploads_get_a_4xx_and_write_nothing(
    form_app: Flask, session: Session, content: bytes, name: str, status: int, message: str
) -> None:
    client = form_app.test_client()
    sign_in(client, make_user(session, "analyst"))
    before = written(session)
    response = post_table(client, content, name, dry=False)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert written(session) == before


def test_a_utf16_export_with_unknown_donor_names_the_row(session: Session) -> None:
    table = "donor,item,amount,currency\nTürkiye,aid,5,EUR\nNarnia,aid,6,EUR\n"
    with pytest.raises(TableImportError) as caught:
        import_table(session, table.encode("utf-16"), "t.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "donor")]


def test_a_donor_named_like_a_formula_exports_guarded_and_imports_back(session: Session) -> None:
    create_donor(session, DonorInput(name="=1+1", kind="organisation"))
    session.commit()
    pledge = add_pledge(session, "=1+1")
    exported = b"".join(export_pledges(session, None, "csv"))
    frame = pd.read_csv(io.BytesIO(exported), dtype=str, keep_default_na=False)
    assert "'=1+1" in set(frame["donor"])
    result = import_table(session, exported, "pledges.csv")
    assert result.unchanged == len(frame) and result.updated == 0
    frame = frame.assign(id="", version="")
    result = import_table(session, frame.to_csv(index=False).encode(), "again.csv")
    assert result.created == len(frame)
    copies = select(Pledge).where(Pledge.donor_id == pledge.donor_id, Pledge.id != pledge.id)
    assert len(session.scalars(copies).all()) == 1


@settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=st.binary(max_size=600), name=st.sampled_from(["t.csv", "t.xlsx"]))
def test_random_bytes_uploaded_get_2xx_or_4xx_and_4xx_writes_nothing(
    form_app: Flask, session: Session, content: bytes, name: str
) -> None:
    client = form_app.test_client()
    sign_in(client, make_user(session, "analyst"))
    before = written(session)
    response = post_table(client, content, name, dry=False)
    assert response.status_code in (200, 413, 422)
    if response.status_code != 200:
        assert written(session) == before


def test_a_file_of_an_unknown_kind_is_refused(session: Session, tmp_path: Path) -> None:
    with pytest.raises(TableImportError) as caught:
        import_table(session, b"x", "t.ods")
    assert str(caught.value).endswith(
        ": only .csv and .xlsx tables can be imported, not a .ods file"
    )


@settings(max_examples=30)
@given(
    columns=st.lists(st.text(max_size=5), min_size=1, max_size=3)
    | st.integers()
    | st.text(min_size=1, max_size=10).filter(str.strip)
    | st.booleans()
)
def test_a_mapping_whose_columns_are_not_a_map_says_so(columns: object) -> None:
    with pytest.raises(MappingError) as raised:
        Mapping.loads(json.dumps({"columns": columns}).encode(), "m.json")
    message = str(raised.value)
    assert message.startswith("mapping m.json: section 'columns' must be a map of file column")
    assert message.endswith("a list" if isinstance(columns, list) else repr(columns))
