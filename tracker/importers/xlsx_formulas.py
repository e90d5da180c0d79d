"""Formula cells of a workbook sheet that hold no saved value.

A workbook stores each formula beside the value it last computed. A program that
writes formulas without computing them (a script, some converters) leaves the
value out, and a reader of values sees a blank cell: an amount of `=1000*2` would
read as no amount at all. `unsaved_formulas` finds those cells in a sheet's XML,
so the table import can refuse the file naming each one. A scan of the sheet's bytes
tells first whether there can be any (`may_lack_values`), so a sheet whose formulas
all have their values, the usual case, is not parsed a second time.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"  # a namespace prefix, as some writers put on every tag
# The start tag of a formula (`<f>`, `<f t="shared" .../>`), and of a cell and its end;
# without a prefix the pattern starts with plain bytes, which the engine finds fast
_FORMULA_TAG = re.compile(rb"<f[\s/>]")
_PREFIXED_FORMULA_TAG = re.compile(rb"<" + _PREFIX + rb"f[\s/>]")
_CELL_TAG = re.compile(rb"<" + _PREFIX + rb"c[\s>]")
_CELL_END = re.compile(rb"</" + _PREFIX + rb"c>")
# A saved value: a `<v>` with text; a text cell's empty `<v>` is a saved empty string
_SAVED_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^>]*)?>[^<]")
_ANY_VALUE = re.compile(rb"<" + _PREFIX + rb"v[\s/>]")
_TEXT_CELL = re.compile(rb"""\st\s*=\s*["'](?:str|s|inlineStr)["']""")
_SCAN_CHUNK = 1 << 20
_OVERLAP = 1024  # more than a cell's start tag and a formula's together
# Cell types whose saved value may be the empty string (a formula giving "")
_TEXT_TYPES = frozenset({"str", "s", "inlineStr"})
_DIGITS = "0123456789"


def _has_value(start_tag: bytes, content: bytes) -> bool:
    """Whether a formula cell (its start tag, and its content from the formula on) holds a
    saved value."""
    if _SAVED_VALUE.search(content):
        return True
    return bool(_TEXT_CELL.search(start_tag)) and bool(_ANY_VALUE.search(content))


def may_lack_values(archive: zipfile.ZipFile, part: str, chunk_size: int = _SCAN_CHUNK) -> bool:
    """Whether a sheet part may hold a formula with no saved value: False for a sheet
    without formulas or whose formulas all have one, found by a scan of its bytes (a
    formula is the first thing in its cell); True where one has none, or the bytes are not
    laid out as expected (`unsaved_formulas` then reads the XML)."""
    carry, pending = b"", False
    with archive.open(part) as stream:
        while chunk := stream.read(chunk_size):
            data, done, pending = carry + chunk, 0, False
            for formula in _formula_tags(data):
                start = data.rfind(b"<", 0, formula.start())
                if start < 0 or not _CELL_TAG.match(data, start):
                    return True
                end = _CELL_END.search(data, formula.end())
                if end is None:  # the cell goes on in the next chunk
                    done, pending = start, True
                    break
                if not _has_value(
                    data[start : formula.start()], data[formula.start() : end.start()]
                ):
                    return True
                done = end.end()
            carry = data[done if pending else _last_cell_start(data, done) :]
    return pending


def _formula_tags(data: bytes) -> Iterator[re.Match[bytes]]:
    """The formula start tags in `data`: by the pattern that starts with plain bytes, which
    the engine finds fast, unless a prefixed tag may be there (the pattern that allows a
    prefix costs ten times as much)."""
    return (_PREFIXED_FORMULA_TAG if b":f" in data else _FORMULA_TAG).finditer(data)


def _last_cell_start(data: bytes, done: int) -> int:
    """Where the last cell that starts in the last _OVERLAP bytes of `data` (after `done`)
    starts: the next chunk is read on from there, so a cell cut by the chunk's end is
    read whole."""
    since = max(done, len(data) - _OVERLAP)
    last = None
    for last in _CELL_TAG.finditer(data, since):  # noqa: B007 - the last one is wanted
        pass
    return since if last is None else last.start()


def _local(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rpartition("}")[2]


def unsaved_formulas(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[int, int]]:
    """(row, column), numbered from 1, of each cell of a sheet part that holds a formula
    with no saved value (`parsed_unsaved_formulas`); a sheet the byte scan clears
    (`may_lack_values`) is not parsed."""
    if may_lack_values(archive, part):
        yield from parsed_unsaved_formulas(archive, part)


def parsed_unsaved_formulas(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[int, int]]:
    """(row, column), numbered from 1, of each cell of a sheet part that holds a formula
    with no saved value, read from its XML. A formula whose saved value is the empty
    string (an empty `<v>` in a text cell) has one."""
    from openpyxl.utils import column_index_from_string

    row = column = 0
    with archive.open(part) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if name == "row":
                    row, column = int(element.get("r") or row + 1), 0
                elif name == "c":
                    reference = element.get("r")
                    column = (
                        column_index_from_string(reference.rstrip(_DIGITS))
                        if reference
                        else column + 1
                    )
            elif name == "c":
                parts = {_local(child.tag): child for child in element}
                value = parts.get("v")
                if "f" in parts and (
                    value is None or (not value.text and element.get("t") not in _TEXT_TYPES)
                ):
                    yield row, column
            elif name == "row":
                element.clear()
