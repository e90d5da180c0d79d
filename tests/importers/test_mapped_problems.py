"""A problem in a table read through a mapping names the file's column, with the pledge
field it becomes beside it (`row 3, column "set_on" (allocated_on): ...`): every kind of
cell problem the import reports, whatever the file calls its columns."""

from __future__ import annotations

import io
import string

import pytest
import yaml
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.accounts import make_user, signed_in_client
from tracker.importers.mapping import Mapping
from tracker.importers.table import TableImportError, import_table
from tracker.models import Pledge

GOOD = {
    "donor": "Germany", "item": "aid", "amount": "5", "currency": "EUR",
    "announced": "2025-07-10",
}  # fmt: skip
# A bad cell of each kind the checks report: (field, cell, what the row holds besides)
BAD_CELLS = [
    ("amount", "5x", {}),
    ("quantity", "many", {}),
    ("stated_amount", "lots", {"stated_currency": "USD"}),
    ("allocated_amount", "1e", {}),
    ("delivered_quantity", "?", {}),
    ("announced", "10/07/2025", {}),
    ("delivered_on", "2025-13-01", {"delivered_amount": "1"}),
    ("allocated_on", "0025-07-01", {"allocated_amount": "1"}),
    ("currency", "EURO", {}),
    ("stated_currency", "POUNDS", {"stated_amount": "5"}),
    ("kind", "weapons", {}),
    ("stage", "maybe", {}),
    ("qualifier", "roughly", {}),
    ("announced_precision", "decade", {}),
    ("is_correction", "perhaps", {}),
    ("reviewed", "sure", {}),
    ("donor", "Narnia", {}),
    ("item", "flux capacitor", {}),
    ("recipient", "Atlantis", {}),
    ("qualifier_text", "q" * 101, {}),
    ("item_text", "i" * 301, {}),
    ("unit", "u" * 41, {}),
    ("id", "abc", {}),
    ("version", "-1", {}),
    ("amount", "-5", {}),  # negative without a correction
    ("currency", "", {"currency": ""}),  # an amount without its currency
    ("delivered_on", "2025-07-11", {}),  # a day dating no figure
    ("package_total", "what", {"package": "p1"}),
]
NAMES = st.text(string.ascii_lowercase + "_ ", min_size=3, max_size=12).map(
    lambda name: f"file {name.strip() or 'col'}"
)


def mapped_table(field: str, cell: str, extra: dict[str, str], file_names: dict[str, str]):
    """The table's bytes and its mapping, the field's column named as the file names it."""
    row = {**GOOD, **extra, field: cell}
    fields = list(row)
    mapping = {"columns": {file_names.get(f, f"file {f}"): f for f in fields}}
    if "package_total" in row:
        mapping["columns"]["file package"] = "package"
    header = ",".join(file_names.get(f, f"file {f}") for f in fields)
    line = ",".join(row[f] for f in fields)
    content = f"{header}\n{line}\n".encode()
    return content, Mapping.loads(yaml.safe_dump(mapping).encode(), "m.yaml")


@pytest.mark.parametrize("bad", BAD_CELLS, ids=lambda bad: f"{bad[0]}={bad[1][:12]!r}")
@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_every_cell_problem_names_the_files_column(
    session: Session, bad: tuple[str, str, dict[str, str]], name: str
) -> None:
    field, cell, extra = bad
    content, mapping = mapped_table(field, cell, extra, {field: name})
    before = session.scalar(select(func.count(Pledge.id)))
    with pytest.raises(TableImportError) as raised:
        import_table(session, content, "t.csv", mapping=mapping)
    mine = [p for p in raised.value.problems if p.field == field]
    assert mine, [str(p) for p in raised.value.problems]
    for problem in raised.value.problems:
        assert problem.row in (None, 2)
        assert problem.field is not None, str(problem)  # every one named by the mapping
        if problem.column is not None:
            assert problem.column.startswith("file "), str(problem)
    [problem] = mine
    assert problem.column == name and problem.row == 2
    assert str(problem).startswith(f'row 2, column "{name}" ({field}): ')
    assert session.scalar(select(func.count(Pledge.id))) == before


def test_a_field_no_column_gives_is_named_as_such(session: Session) -> None:
    mapping = Mapping.loads(b"columns: {giver: donor, sum: amount, day: announced}\n", "m.yaml")
    content = b"giver,sum,day\nGermany,5,2025-07-10\n"
    with pytest.raises(TableImportError) as raised:
        import_table(session, content, "t.csv", mapping=mapping)
    shown = sorted(str(p) for p in raised.value.problems)
    assert "row 2, currency (no column of the file): " in "\n".join(shown)
    assert "row 2, item (no column of the file): a new pledge needs an item" in shown


def test_item_lines_problems_name_their_column(session: Session) -> None:
    mapping = Mapping.loads(b"columns: {giver: donor, kit: item_lines, day: announced}\n", "m.yaml")
    content = b'giver,kit,day\nGermany,"M777 howitzer (6); Gepard",2025-07-10\n'
    with pytest.raises(TableImportError) as raised:
        import_table(session, content, "t.csv", mapping=mapping)
    [problem] = raised.value.problems
    assert str(problem) == (
        "row 2, column \"kit\" (item_lines): ' Gepard' is not of the form 'Name (count)'"
    )


def test_the_upload_page_shows_the_files_column(form_app: Flask, session: Session) -> None:
    client = signed_in_client(form_app, make_user(session, "analyst"))
    content, mapping_bytes = (
        b"giver,sum,currency,day,set_on\nGermany,5,EUR,2025-07-10,2025-13-01\n",
        b"columns: {giver: donor, sum: amount, currency: currency, day: announced,"
        b" set_on: allocated_on}\nitem_by_kind: {financial: aid}\ndefaults: {kind: financial}\n",
    )
    response = client.post(
        "/imports/table",
        data={
            "table": (io.BytesIO(content), "t.csv"),
            "mapping": (io.BytesIO(mapping_bytes), "m.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<td>&#34;set_on&#34; (allocated_on)</td>" in page
