"""The streamed XLSX writer: a valid workbook whose first bytes leave before the last row."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl

from tracker.xlsx_stream import column_letters, stream_xlsx

COLUMNS = ["donor", "amount", "quantity", "reviewed", "announced", "notes"]


def blocks(count: int, rows: int, seen: list[int]) -> Iterator[tuple[list[str], list[Any]]]:
    """`count` blocks of `rows` rows each, recording in `seen` how many blocks were read."""
    for block in range(count):
        seen.append(block)
        yield COLUMNS, [
            (f"Donor {block}-{i}", Decimal("1234.50"), Decimal("3"), True, date(2025, 7, 10),
             f"note {i} " + "x" * 200)
            for i in range(rows)
        ]  # fmt: skip


def test_column_letters() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"
    ]  # fmt: skip


def test_first_bytes_leave_before_the_last_block_is_read() -> None:
    seen: list[int] = []
    stream = stream_xlsx(blocks(20, 2000, seen))
    first = next(iter(stream))
    assert first.startswith(b"PK")  # a zip's local file header
    assert len(seen) < 20, "the whole table was read before anything was sent"
    rest = b"".join(stream)
    assert len(seen) == 20
    sheet = openpyxl.load_workbook(io.BytesIO(first + rest), read_only=True).active
    assert sheet is not None
    assert sum(1 for _ in sheet.iter_rows()) == 1 + 20 * 2000


def test_cells_keep_their_types_and_exact_values() -> None:
    rows = [
        ("=HYPERLINK(\"x\")", Decimal("0.10"), Decimal("5000"), False, date(2025, 7, 7),
         "bell\x07 and <tags> & ampersands"),
        ("Norway", Decimal("-12.34"), None, True, None, None),
    ]  # fmt: skip
    data = b"".join(stream_xlsx([(COLUMNS, rows)], sheet_name="pledges"))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["pledges"]
    assert [c.value for c in sheet[1]] == COLUMNS
    first = [c.value for c in sheet[2]]
    assert first[0] == '\'=HYPERLINK("x")'  # a formula start is neutralised, stored as text
    assert sheet.cell(2, 1).data_type == "s"
    assert first[1] == Decimal("0.10") or first[1] == 0.1
    assert sheet.cell(2, 2).number_format == "0.00"
    assert first[2:5] == [5000, False, "2025-07-07"]
    assert first[5] == "bell and <tags> & ampersands"  # a control character XML forbids is dropped
    second = [c.value for c in sheet[3]]
    assert second[:2] == ["Norway", -12.34] and second[2] is None and second[3] is True
