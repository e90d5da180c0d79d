"""An XLSX workbook of one sheet, streamed while its rows are still being read.

An XLSX file is a zip of XML parts. The zip is produced by stream-zip, which
writes each member as its bytes arrive, so the first bytes of the workbook
leave before the last row is read and memory stays flat however many rows
there are. The worksheet XML is written here, row by row: numbers go in as
their exact decimal text (money with two places and a two-decimal format),
booleans as booleans, everything else as inline text with any formula start
neutralised.
"""

from __future__ import annotations

import re
import stat
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from stream_zip import ZIP_64, stream_zip

from tracker.export_cells import MONEY_COLUMNS, neutralise_formula, number_text, timestamp_text

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 does not allow in text: dropped from cells.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MONEY_STYLE = 1  # index into cellXfs below: built-in number format 2, "0.00"
ROWS_PER_CHUNK = 2000


def _parts(sheet_name: str) -> list[tuple[str, str]]:
    """The fixed parts of a one-sheet workbook: content types, relationships, workbook, styles."""
    sheet = escape(sheet_name[:31], {'"': "&quot;"})
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    return [
        (
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_type}"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>",
        ),
        (
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        ),
        (
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
            f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        (
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        ),
        (
            "xl/styles.xml",
            f'<styleSheet xmlns="{_MAIN_NS}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>",
        ),
    ]


def column_letters(index: int) -> str:
    """The spreadsheet name of the 0-based column `index`: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _text_cell(ref: str, text: str) -> str:
    """An inline-string cell."""
    clean = escape(_NOT_XML.sub("", text))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{clean}</t></is></c>'


def cell_xml(ref: str, value: Any, column: str) -> str:
    """One cell's XML; an empty string for an empty cell."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        style = f' s="{MONEY_STYLE}"' if column in MONEY_COLUMNS else ""
        return f'<c r="{ref}"{style}><v>{number_text(value, column)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        return _text_cell(ref, timestamp_text(value))
    if isinstance(value, date):
        return _text_cell(ref, value.isoformat())
    return _text_cell(ref, neutralise_formula(str(value)))


def _sheet(rows: Iterable[tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> Iterator[bytes]:
    """The worksheet XML: the header row, then every row, in blocks of ROWS_PER_CHUNK."""
    yield (_XML_HEAD + f'<worksheet xmlns="{_MAIN_NS}"><sheetData>').encode("utf-8")
    number = 0
    letters: list[str] = []
    for columns, block in rows:
        if number == 0:
            letters = [column_letters(i) for i in range(len(columns))]
            header = "".join(
                _text_cell(f"{c}1", name) for c, name in zip(letters, columns, strict=True)
            )
            yield f'<row r="1">{header}</row>'.encode()
            number = 1
        lines = []
        for row in block:
            number += 1
            cells = "".join(
                cell_xml(f"{letter}{number}", value, column)
                for letter, value, column in zip(letters, row, columns, strict=True)
            )
            lines.append(f'<row r="{number}">{cells}</row>')
            if len(lines) >= ROWS_PER_CHUNK:
                yield "".join(lines).encode("utf-8")
                lines = []
        if lines:
            yield "".join(lines).encode("utf-8")
    yield b"</sheetData></worksheet>"


def stream_xlsx(
    rows: Iterable[tuple[Sequence[str], Iterable[Sequence[Any]]]], *, sheet_name: str = "data"
) -> Iterator[bytes]:
    """A workbook's bytes from (column names, rows) blocks, yielded as they are zipped."""
    now = datetime.now(UTC).replace(tzinfo=None)
    mode = stat.S_IFREG | 0o644

    def members() -> Iterator[tuple[str, datetime, int, Any, Iterable[bytes]]]:
        for name, xml in _parts(sheet_name):
            yield name, now, mode, ZIP_64, [(_XML_HEAD + xml).encode("utf-8")]
        yield "xl/worksheets/sheet1.xml", now, mode, ZIP_64, _sheet(rows)

    yield from stream_zip(
        members(),
        chunk_size=1 << 16,
        get_compressobj=lambda: zlib.compressobj(6, zlib.DEFLATED, -15),
    )
