"""Reading an uploaded table (CSV or XLSX) safely: limits checked before the parse.

Every table, from the web or the command line, goes through `read_table`. What
could make a worker spin or swell is refused before it is parsed: too many
columns in the header, too many rows, an XLSX whose parts unzip to more than
MAX_XLSX_BYTES, an XML part carrying a document type (entity expansion), a
cell longer than MAX_CELL_CHARS. Text that is not UTF-8 is read as UTF-16 (by
its byte-order mark) or Windows-1252; bytes that are none of these, or hold
control characters, are refused as not a text table. docs/limits.md lists the
limits.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tracker.export_cells import restore_formula
from tracker.importers.xlsx_formulas import unsaved_formulas

MAX_COLUMNS = 100
MAX_ROWS = 500_000
MAX_CELL_CHARS = 5_000
MAX_XLSX_BYTES = 128 * 1024 * 1024
MAX_XLSX_PARTS = 1_000
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", "")
# Control characters a text table never holds (tab, line feed and carriage return are fine)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass
class Problem:
    """One thing wrong with an imported table, by spreadsheet row (header = 1) and column.

    In a table read through a mapping, `column` is the file's column and `field` the
    pledge field it becomes (`Mapping.in_file_terms`); `column` is None where the field
    comes from no column of the file (a mapping's default, say)."""

    row: int | None
    column: str | None
    message: str
    field: str | None = None

    @property
    def place(self) -> str:
        """The column as the file names it, with the field it becomes where that differs:
        `"set_on" (allocated_on)`; blank for a problem of the whole table."""
        if self.column is None:
            return f"{self.field} (no column of the file)" if self.field else ""
        if self.field is None or self.field == self.column:
            return self.column
        return f'"{self.column}" ({self.field})'

    def __str__(self) -> str:
        """`row 3, column amount: ...`; through a mapping `row 3, column "sum" (amount): ...`."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.place}")
        elif self.field is not None:
            where.append(self.place)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class TableImportError(ValueError):
    """A table that cannot be imported; `problems` lists each bad cell by row and column.

    `status` is the HTTP answer that fits: 422 for content that is wrong, 413 for a
    table over a size limit, 409 for a file another import is writing at this moment.
    """

    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        """Keep the problems; the message lists the first few."""
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{len(problems)} problem(s), nothing imported: {shown}{more}")


class TableTooLarge(TableImportError):
    """A table over one of the size limits; refused before it is parsed."""

    status = 413


def _refuse(message: str, row: int | None = None, column: str | None = None) -> TableImportError:
    """An error with one problem."""
    return TableImportError([Problem(row, column, message)])


def _too_large(message: str, row: int | None = None, column: str | None = None) -> TableTooLarge:
    """A size-limit error with one problem."""
    return TableTooLarge([Problem(row, column, message)])


def _control_position(content: bytes, text: str) -> int | None:
    """Where the text holds its first control character (tab and line ends aside), or None.

    In UTF-8 and Windows-1252 a byte below 32 is always that character, so the bytes are
    scanned at C speed; UTF-16 text is searched as text."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        found = _CONTROL.search(text)
        return found.start() if found else None
    codes = np.frombuffer(content, dtype=np.uint8)
    bad = ((codes < 32) & (codes != 9) & (codes != 10) & (codes != 13)) | (codes == 127)
    if not bad.any():
        return None
    found = _CONTROL.search(text)
    return found.start() if found else None


def decode_text(content: bytes) -> str:
    """The table's text: UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252."""
    if not content.strip():
        raise _refuse("the file is empty: a table needs a header row and at least one row")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse("the file starts like UTF-16 text but is not") from None
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise _refuse(
                    "the file is not text in UTF-8, UTF-16 or Windows-1252: "
                    "save it as a CSV in UTF-8"
                ) from None
    position = _control_position(content, text)
    if position is not None:
        line = text.count("\n", 0, position) + 1
        raise _refuse(
            f"the file holds a control character ({text[position]!r}) at line {line}: "
            "it is not a text table (save it as CSV or XLSX)"
        )
    return text


def _check_header(names: list[str]) -> list[str]:
    """Column names stripped; too many, blank or repeated names are refused."""
    if len(names) > MAX_COLUMNS:
        raise _too_large(f"the header has {len(names)} columns; at most {MAX_COLUMNS} are allowed")
    stripped = [str(name).strip() for name in names]
    seen: set[str] = set()
    for number, name in enumerate(stripped, start=1):
        if not name:
            raise _refuse(f"column {number} of the header has no name", row=1)
        if name in seen:
            raise _refuse("the header names this column twice", row=1, column=name)
        seen.add(name)
    return stripped


def _check_separator(header: list[str]) -> None:
    """Refuse a header of one column that holds semicolons or tabs: a table whose cells are
    separated by those (as some spreadsheets save "CSV"), in which a comma may be a decimal
    comma ("1,5") that must not be read as a thousands separator."""
    if len(header) != 1:
        return
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if separator in header[0]:
            raise _refuse(
                f"the header is one column of {header[0].count(separator) + 1} names separated "
                f'by {name}: save the table as CSV with commas between cells ("CSV UTF-8, '
                'comma delimited") and numbers written with a decimal point',
                row=1,
            )


def _read_csv(content: bytes) -> tuple[list[str], pd.DataFrame]:
    """The header and the cells of a CSV file, after the limits on its shape."""
    text = decode_text(content)
    lines = text.count("\n")
    if lines > MAX_ROWS + 1:
        raise _too_large(f"the file has {lines} lines; at most {MAX_ROWS} rows are allowed")
    try:
        header = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or None])), [])
    except csv.Error as error:
        raise _refuse(f"the header cannot be read: {error}", row=1) from None
    _check_separator(header)
    names = _check_header(header)
    _check_line_lengths(content, len(names))
    try:  # a truly empty line is a row of blanks, so every row keeps its number
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, header=None, skiprows=1,
            names=range(len(names)), engine="c", skip_blank_lines=False,
        )  # fmt: skip
    except pd.errors.EmptyDataError:
        raise _refuse("the table has a header but no rows") from None
    except pd.errors.ParserError as error:
        raise _refuse(f"the file is not a well-formed CSV table: {_first_line(error)}") from None
    except ValueError as error:
        raise _refuse(f"the file cannot be read as CSV: {_first_line(error)}") from None
    if not isinstance(frame.index, pd.RangeIndex):  # every row longer: pandas made an index
        raise _refuse(
            f"the file is not a well-formed CSV table: a row has more cells than the "
            f"header names ({len(names)} columns)"
        )
    return names, frame


def _check_line_lengths(content: bytes, columns: int) -> None:
    """Refuse, before the parse, a line so long that one of its cells must be over the limit.

    A cell of n characters takes at most 2n + 3 on the line (quoted, every quote doubled,
    a separator) and a character at most 4 bytes, so a line of more bytes than 4 times that
    for every column holds a longer cell. The lines are measured on the bytes, in one pass.
    """
    longest = 4 * (2 * MAX_CELL_CHARS + 3) * columns
    if len(content) <= longest:
        return
    breaks = np.flatnonzero(np.frombuffer(content, dtype=np.uint8) == ord("\n"))
    lengths = np.diff(np.concatenate(([-1], breaks, [len(content)]))) - 1
    line = int(lengths.argmax())
    if int(lengths[line]) > longest:
        raise _too_large(
            f"line {line + 1} is {int(lengths[line]):,} bytes long, so one of its cells is over "
            f"the limit of {MAX_CELL_CHARS:,} characters"
        )


def _first_line(error: Exception) -> str:
    """The first line of an error's message."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _check_xlsx_archive(content: bytes) -> zipfile.ZipFile:
    """The XLSX's zip, after checking its parts unzip to a bounded size and declare no DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse("the file is not an XLSX workbook (it is not a valid zip archive)") from None
    if len(members) > MAX_XLSX_PARTS:
        raise _too_large(f"the workbook has {len(members)} parts; at most {MAX_XLSX_PARTS}")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_BYTES:
        raise _too_large(
            f"the workbook unzips to {unpacked:,} bytes; at most {MAX_XLSX_BYTES:,} are allowed"
        )
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(member) as part:
                head = part.read(4096)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            raise _refuse(f"the workbook part {member.filename} cannot be unzipped") from None
        if _DOCTYPE.search(head):
            raise _refuse(
                f"the workbook part {member.filename} declares a document type or entities; "
                "workbooks never need one, so it is refused"
            )
    return archive


def _xlsx_cell(value: Any) -> str:
    """A workbook cell as text, the way it reads in the sheet ("" for blank)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _xlsx_rows(archive: zipfile.ZipFile) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The first sheet's rows with their row numbers, streamed; rows of blanks dropped.
    A sheet with a formula that has no saved value is refused once its rows are read."""
    from openpyxl import load_workbook

    workbook = load_workbook(archive.fp, read_only=True, data_only=True)  # type: ignore[arg-type]
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # type: ignore[union-attr]
        header: tuple[Any, ...] = ()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(row) > MAX_COLUMNS:
                raise _too_large(f"a row has {len(row)} cells; at most {MAX_COLUMNS} columns")
            header = row if number == 1 else header
            if any(cell is not None and str(cell).strip() for cell in row):
                yield number, row  # the reader fills the rows the sheet leaves out
        part = sheet._worksheet_path  # type: ignore[union-attr]
        _refuse_unsaved_formulas(archive, part, sheet.title, [_xlsx_cell(c) for c in header])
    finally:
        workbook.close()


def _refuse_unsaved_formulas(
    archive: zipfile.ZipFile, part: str, title: str, header: list[str]
) -> None:
    """Refuse a sheet with formulas that have no saved value (they read as blank cells),
    naming each cell by its row, its column's name and its place in the sheet."""
    from openpyxl.utils import get_column_letter

    problems = []
    for row, column in unsaved_formulas(archive, part):
        name = header[column - 1].strip() if column <= len(header) else ""
        problems.append(
            Problem(
                row, name or None,
                f"cell {get_column_letter(column)}{row} of sheet {title!r} holds a formula "
                "with no saved value (it would read as blank): save the workbook in a "
                "spreadsheet program that stores the values of formulas, then import it again",
            )
        )  # fmt: skip
    if problems:
        raise TableImportError(problems)


def _read_xlsx(content: bytes) -> tuple[list[str], pd.DataFrame, list[int]]:
    """The header, the cells of an XLSX workbook's first sheet and each row's number in it."""
    archive = _check_xlsx_archive(content)
    rows: list[list[str]] = []
    numbers: list[int] = []
    try:
        for number, row in _xlsx_rows(archive):
            if len(rows) > MAX_ROWS:
                raise _too_large(f"the sheet has more than {MAX_ROWS} rows")
            rows.append([_xlsx_cell(cell) for cell in row])
            numbers.append(number)
    except TableImportError:
        raise
    except Exception as error:  # noqa: BLE001 - any failure of the workbook reader is the file's
        raise _refuse(f"the workbook cannot be read: {_first_line(error)}") from None
    if not rows:
        raise _refuse("the workbook's first sheet is empty: it needs a header row")
    width = max(len(row) for row in rows)
    while width > 0 and all(len(row) < width or not row[width - 1] for row in rows):
        width -= 1  # trailing columns with neither a name nor a value
    names = _check_header((rows[0] + [""] * width)[:width])
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    return names, pd.DataFrame(body, columns=names, dtype=object), numbers[1:]


def _cleaned(cells: pd.Series, column: str, numbers: list[int]) -> pd.Series:
    """Text cells without surrounding white space or an export's formula guard, each distinct
    value looked at once; a cell over MAX_CELL_CHARS is refused with its row."""
    distinct = cells.unique()
    if len(distinct) and max(map(len, distinct)) > MAX_CELL_CHARS:
        lengths = cells.str.len().to_numpy()
        row = int(lengths.argmax())
        raise _too_large(
            f"a cell of {int(lengths[row]):,} characters; at most {MAX_CELL_CHARS:,}",
            row=numbers[row],
            column=column,
        )
    changed: dict[str, str] = {}
    for value in distinct:
        stripped = value.strip()
        if stripped.startswith("'"):
            stripped = restore_formula(stripped)
        if value != stripped:
            changed[value] = stripped
    if not changed:
        return cells
    return pd.Series([changed.get(v, v) for v in cells], index=cells.index, dtype=object)


def read_table(content: bytes, file_name: str) -> pd.DataFrame:
    """A CSV or XLSX file as text cells ("" for blank) with `_row`, its spreadsheet row.

    Rows with no cell filled (",,,," as spreadsheets save the rows below a table) are left
    out after every row has its number, so a problem names the row a spreadsheet shows.
    Raises TableTooLarge (a limit) or TableImportError (a file that is not a table).
    """
    suffix = Path(file_name).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        names, frame, numbers = _read_xlsx(content)
    elif suffix in CSV_SUFFIXES:
        names, frame = _read_csv(content)
        numbers = list(range(2, len(frame) + 2))
    else:
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        raise _refuse(f"only .csv and .xlsx tables can be imported, not {kind}")
    if frame.empty:
        raise _refuse("the table has a header but no rows")
    if len(frame) > MAX_ROWS:
        raise _too_large(f"the table has {len(frame)} rows; at most {MAX_ROWS} are allowed")
    frame.columns = names
    for column in frame.columns:
        frame[column] = _cleaned(
            frame[column].fillna("").astype(str).astype(object), column, numbers
        )
    frame["_row"] = numbers
    filled = (frame[list(frame.columns[:-1])] != "").any(axis=1)
    if not filled.any():
        raise _refuse("the table has a header but no rows")
    return frame if filled.all() else frame[filled].reset_index(drop=True)
