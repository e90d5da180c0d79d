"""Hostile and broken table files: refused before they are parsed, or read whatever their
encoding; never an exception other than TableImportError (no database needed)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tracker.importers.mapping import Mapping, MappingError
from tracker.importers.table_file import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XLSX_BYTES,
    Problem,
    TableImportError,
    TableTooLarge,
    read_table,
)

HEADER = "donor,item,amount,currency,announced,notes\n"


def workbook(rows: list[list[object]]) -> bytes:
    """An XLSX file of one sheet holding `rows`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet_xml(content: bytes, sheet_xml: bytes) -> bytes:
    """The workbook `content` with its first sheet's XML replaced."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member, sheet_xml if member.filename.endswith("sheet1.xml") else data)
    return out.getvalue()


def refusal(content: bytes, name: str = "t.csv") -> TableImportError:
    """The error read_table raises for `content`."""
    with pytest.raises(TableImportError) as caught:
        read_table(content, name)
    return caught.value


def test_a_header_of_a_million_columns_is_refused_as_too_large() -> None:
    header = ",".join(f"c{i}" for i in range(1_000_000)).encode()
    error = refusal(header + b"\n" + b"1\n")
    assert isinstance(error, TableTooLarge) and error.status == 413
    assert "1000000 columns" in str(error) and f"at most {MAX_COLUMNS}" in str(error)


def test_too_many_rows_are_refused_before_parsing() -> None:
    error = refusal(HEADER.encode() + b"x\n" * (MAX_ROWS + 1))
    assert isinstance(error, TableTooLarge) and f"at most {MAX_ROWS} rows" in str(error)


def test_a_cell_over_the_limit_is_refused_with_its_row_and_column() -> None:
    notes = "n" * (MAX_CELL_CHARS + 1)
    content = f"{HEADER}Germany,aid,5,EUR,2025-01-01,short\nFrance,aid,5,EUR,,{notes}\n"
    error = refusal(content.encode())
    assert isinstance(error, TableTooLarge)
    assert [(p.row, p.column) for p in error.problems] == [(3, "notes")]


def test_an_xlsx_zip_bomb_is_refused_by_its_unzipped_size() -> None:
    content = workbook([["donor", "amount"], ["Germany", "5"]])
    out = io.BytesIO(content)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/padding.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(MAX_XLSX_BYTES // (1 << 20) + 1):
            part.write(b" " * (1 << 20))
    assert len(out.getvalue()) < 2 * 1024 * 1024
    error = refusal(out.getvalue(), "bomb.xlsx")
    assert isinstance(error, TableTooLarge) and "unzips to" in str(error)


def test_an_xlsx_row_of_whitespace_cells_across_the_sheet_is_refused() -> None:
    cells = "".join(
        f'<c r="{column}1" t="inlineStr"><is><t xml:space="preserve">   </t></is></c>'
        for column in ("A", "B", "XFD")
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{cells}</row></sheetData>'
        "</worksheet>"
    ).encode()
    content = with_sheet_xml(workbook([["x"]]), sheet)
    error = refusal(content, "blank.xlsx")
    assert isinstance(error, TableTooLarge) and "16384 cells" in str(error)


def test_an_xlsx_with_entity_expansion_is_refused() -> None:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">{laughs}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    error = refusal(with_sheet_xml(workbook([["x"]]), sheet), "laughs.xlsx")
    assert error.status == 422 and "document type" in str(error)


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    assert "not a valid zip" in str(refusal(b"PK\x03\x04 broken", "t.xlsx"))


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "cp1252", "utf-8-sig"])
def test_csv_in_common_encodings_is_read(encoding: str) -> None:
    text = HEADER + "Türkiye,aid,5,EUR,2025-01-01,Zusage für Kyjiw\n"
    if encoding != "latin-1":
        text += "France,aid,6,EUR,2025-01-02,“quoted” — 5€\n"
    frame = read_table(text.encode(encoding), "t.csv")
    assert frame.loc[0, "donor"] == "Türkiye" and frame.loc[0, "notes"] == "Zusage für Kyjiw"
    if encoding != "latin-1":
        assert frame.loc[1, "notes"] == "“quoted” — 5€"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"\x00\x01\x02binary\xff\xfe\x00junk", "control character"),
        (HEADER.encode(), "a header but no rows"),
        (b'donor,notes\nGermany,"never closed\n', "not a well-formed CSV"),
        (b"donor,donor\nGermany,France\n", "names this column twice"),
        (b"donor,,notes\nGermany,x,y\n", "column 2 of the header has no name"),
        (b"donor,notes\nGermany,a,b,c\n", "not a well-formed CSV"),
    ],
)
def test_broken_csv_is_refused_with_a_reason(content: bytes, message: str) -> None:
    error = refusal(content)
    assert error.status == 422 and message in str(error)


@given(
    separator=st.sampled_from([";", "\t"]),
    bom=st.booleans(),
    cells=st.lists(st.sampled_from(["Germany", "aid", "1000,50", "EUR", "2025-01-01"]), min_size=1),
)
def test_a_table_separated_by_semicolons_or_tabs_is_refused_saying_so(
    separator: str, bom: bool, cells: list[str]
) -> None:
    header = separator.join(["donor", "item", "amount", "currency", "announced"])
    text = ("\ufeff" if bom else "") + header + "\n" + separator.join(cells) + "\n"
    error = refusal(text.encode())
    name = "semicolons" if separator == ";" else "tabs"
    assert error.status == 422
    assert f"the header is one column of 5 names separated by {name}" in str(error)
    assert [(p.row, p.column) for p in error.problems] == [(1, None)]


def test_an_exported_formula_guard_is_taken_off_again() -> None:
    frame = read_table(b"donor,notes\n'=1+1,'-12.50\n'@x,plain\n", "t.csv")
    assert list(frame["donor"]) == ["=1+1", "@x"]
    assert list(frame["notes"]) == ["'-12.50", "plain"]


@settings(max_examples=150)
@given(content=st.binary(max_size=2000), xlsx=st.booleans())
def test_any_bytes_give_a_table_or_a_table_import_error(content: bytes, xlsx: bool) -> None:
    try:
        frame = read_table(content, "t.xlsx" if xlsx else "t.csv")
    except TableImportError as error:
        assert error.problems and error.status in (413, 422)
    else:
        assert len(frame) >= 1 and list(frame.columns)[-1] == "_row"


MAPPING_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.sampled_from(["donor", "amount", "EUR", "military", "armour", "country", "evil"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8) | st.sampled_from(["name", "kind", "url"]), children,
                      max_size=3),
    max_leaves=10,
)  # fmt: skip
SECTIONS = st.sampled_from(
    ["columns", "ignore", "values", "defaults", "item_by_kind", "round_amounts",
     "negative_is_correction", "donors", "categories", "units", "source", "name"]
)  # fmt: skip


@settings(max_examples=200)
@given(data=st.dictionaries(SECTIONS, MAPPING_VALUES, max_size=6))
def test_any_mapping_is_either_usable_or_refused_with_a_mapping_error(
    data: dict[str, object],
) -> None:
    content = json.dumps({"columns": {"giver": "donor"}, **data}).encode()
    try:
        mapping = Mapping.loads(content, "m.json")
    except MappingError as error:
        assert str(error).startswith("mapping m.json")
        return
    frame = read_table(b"giver,amount\nGermany,5\n", "t.csv")
    problems: list[Problem] = []
    try:
        mapping.apply(frame, problems)
    except TableImportError as error:
        assert error.problems
    assert all(isinstance(problem, Problem) for problem in problems)


@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(["", ",,,,,", " , , ,\t, , ", '"","","","","",""']).map(
                lambda blank: (None, blank)
            ),
            st.sampled_from(["Norway", "Poland", "Chile"]).map(
                lambda donor: (donor, f"{donor},aid,5,EUR,2025-01-01,")
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_blank_rows_are_left_out_and_the_others_keep_their_spreadsheet_row(
    lines: list[tuple[str | None, str]],
) -> None:
    text = HEADER + "".join(line + "\n" for _donor, line in lines)
    expected = [(donor, number) for number, (donor, _line) in enumerate(lines, start=2) if donor]
    if not expected:
        assert "a header but no rows" in str(refusal(text.encode()))
        return
    frame = read_table(text.encode(), "t.csv")
    assert list(zip(frame["donor"], frame["_row"], strict=True)) == expected


@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from([None, "   "]).map(lambda blank: (None, blank)),
            st.sampled_from(["Norway", "Poland", "Chile"]).map(lambda donor: (donor, donor)),
        ),
        min_size=1,
        max_size=8,
    ),
    long_at=st.integers(0, 7),
)
def test_an_xlsx_row_keeps_its_sheet_row_number_after_blank_or_missing_rows(
    lines: list[tuple[str | None, str | None]], long_at: int
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["donor", "item", "amount", "currency"])
    for number, (donor, cell) in enumerate(lines, start=2):
        if donor:
            sheet.append([donor, "aid", "5", "EUR"])
        elif cell is not None:
            sheet.cell(row=number, column=1, value=cell)  # a row of a blank cell
        else:
            sheet.append([])  # a row the sheet leaves out
    buffer = io.BytesIO()
    workbook.save(buffer)
    expected = [(donor, number) for number, (donor, _cell) in enumerate(lines, start=2) if donor]
    if not expected:
        assert "a header but no rows" in str(refusal(buffer.getvalue(), "t.xlsx"))
        return
    frame = read_table(buffer.getvalue(), "t.xlsx")
    assert list(zip(frame["donor"], frame["_row"], strict=True)) == expected
    donor, row = expected[long_at % len(expected)]
    sheet.cell(row=row, column=2, value="x" * 5001)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert f"row {row}" in str(refusal(buffer.getvalue(), "t.xlsx"))


FORMULA_HEADER = ["donor", "item", "amount", "currency"]


def test_a_formula_without_a_saved_value_is_refused_naming_sheet_row_and_column() -> None:
    """A program that writes formulas without computing them leaves no value: read as a
    blank cell it would give two misleading messages; it is one clear refusal."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Pledges"
    sheet.append(FORMULA_HEADER)
    sheet.append(["Germany", "aid", "=1000*2", "EUR"])
    sheet.append(["France", "aid", 500, "EUR"])
    out = io.BytesIO()
    book.save(out)
    [problem] = refusal(out.getvalue(), "t.xlsx").problems
    assert (problem.row, problem.column) == (2, "amount")
    assert problem.message.startswith(
        "cell C2 of sheet 'Pledges' holds a formula with no saved value"
    )
    assert "spreadsheet program that stores the values of formulas" in problem.message


def test_a_formula_with_a_saved_value_reads_as_that_value() -> None:
    """What a spreadsheet program saves: the formula and the value it computed, a number or
    (a text cell) the empty string, which reads as a blank cell."""
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>"
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>donor</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>amount</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>notes</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>Germany</t></is></c>'
        b'<c r="B2"><f>1000*2</f><v>2000</v></c><c r="C2" t="str"><f>""</f><v></v></c></row>'
        b"</sheetData></worksheet>"
    )
    frame = read_table(with_sheet_xml(workbook([["x"]]), sheet), "t.xlsx")
    assert frame[["donor", "amount", "notes"]].values.tolist() == [["Germany", "2000", ""]]


formula_cells = st.lists(
    st.lists(st.sampled_from(("Germany", "7", "=1+1", None)), min_size=4, max_size=4),
    min_size=1,
    max_size=6,
)


@settings(max_examples=30)
@given(rows=formula_cells)
def test_every_unsaved_formula_is_named_and_nothing_else_is(rows: list[list[str | None]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(FORMULA_HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    expected = {
        (number, FORMULA_HEADER[column])
        for number, row in enumerate(rows, start=2)
        for column, cell in enumerate(row)
        if cell == "=1+1"
    }
    if not expected:
        assert "holds a formula" not in str(_read_or_refusal(out.getvalue()))
        return
    problems = refusal(out.getvalue(), "t.xlsx").problems
    assert {(p.row, p.column) for p in problems} == expected
    assert all("holds a formula with no saved value" in p.message for p in problems)


def _read_or_refusal(content: bytes) -> object:
    """The table read from an XLSX file, or the refusal it gives."""
    try:
        return read_table(content, "t.xlsx")
    except TableImportError as error:
        return error


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Formula and value cells as writers lay them out; {p} is the namespace prefix, {r} the
# cell's reference attribute (or none), True where the formula has no saved value.
SHEET_CELLS = (
    ('<{p}c{r} t="n"><{p}v>5</{p}v></{p}c>', False),
    ('<{p}c{r} t="inlineStr"><{p}is><{p}t>Germany</{p}t></{p}is></{p}c>', False),
    ("<{p}c{r}><{p}f>1+1</{p}f><{p}v>2</{p}v></{p}c>", False),
    ('<{p}c{r} t="str"><{p}f>IF(A1&gt;0,"","x")</{p}f><{p}v></{p}v></{p}c>', False),
    ('<{p}c{r} s="1"><{p}f t="shared" si="0"/><{p}v>3.5</{p}v></{p}c>', False),
    ("<{p}c{r}><{p}f>1+1</{p}f></{p}c>", True),
    ("<{p}c{r}><{p}f>SUM(A1:A9)</{p}f><{p}v /></{p}c>", True),
    ('<{p}c{r} t="n"><{p}f t="shared" si="0"/><{p}v></{p}v></{p}c>', True),
    ("<{p}c{r}/>", False),
)


@settings(max_examples=80)
@given(
    rows=st.lists(st.lists(st.integers(0, len(SHEET_CELLS) - 1), max_size=6), max_size=8),
    prefix=st.sampled_from(("", "x:")),
    references=st.booleans(),
    chunk=st.integers(1, 300),
)
def test_the_byte_scan_clears_a_sheet_only_when_every_formula_has_its_value(
    rows: list[list[int]], prefix: str, references: bool, chunk: int
) -> None:
    """However its bytes fall into chunks, the scan that spares a sheet the second parse
    says a formula may lack its value exactly when the XML has one that does."""
    from openpyxl.utils import get_column_letter

    from tracker.importers.xlsx_formulas import may_lack_values, parsed_unsaved_formulas

    lines = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            SHEET_CELLS[kind][0].format(
                p=prefix, r=f' r="{get_column_letter(column)}{number}"' if references else ""
            )
            for column, kind in enumerate(row, start=1)
        )
        lines.append(f'<{prefix}row r="{number}">{cells}</{prefix}row>')
    declared = f' xmlns:{prefix[:-1]}="{MAIN_NS}"' if prefix else f' xmlns="{MAIN_NS}"'
    xml = (
        f"<{prefix}worksheet{declared}><{prefix}sheetData>{''.join(lines)}"
        f"</{prefix}sheetData></{prefix}worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("sheet1.xml", xml)
    archive = zipfile.ZipFile(out)
    expected = [
        (number, column)
        for number, row in enumerate(rows, start=1)
        for column, kind in enumerate(row, start=1)
        if SHEET_CELLS[kind][1]
    ]
    assert list(parsed_unsaved_formulas(archive, "sheet1.xml")) == expected
    assert may_lack_values(archive, "sheet1.xml", chunk) == bool(expected)
