"""Formula cells of a workbook sheet that hold no saved value.

A workbook stores each formula beside the value it last computed. A program that
writes formulas without computing them (a script, some converters) leaves the
value out, and a reader of values sees a blank cell: an amount of `=1000*2` would
read as no amount at all. `unsaved_formulas` finds those cells in a sheet's XML,
so the table import can refuse the file naming each one.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

# The start tag of a formula (`<f>`, `<f t="shared" .../>`, with any namespace prefix)
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_SCAN_CHUNK = 1 << 20
_TAG_OVERLAP = 64
# Cell types whose saved value may be the empty string (a formula giving "")
_TEXT_TYPES = frozenset({"str", "s", "inlineStr"})
_DIGITS = "0123456789"


def has_formula(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet part holds any formula, by a scan of its bytes in chunks (no parse)."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-_TAG_OVERLAP:]
    return False


def _local(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rpartition("}")[2]


def unsaved_formulas(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[int, int]]:
    """(row, column), numbered from 1, of each cell of a sheet part that holds a formula
    with no saved value. A formula whose saved value is the empty string (an empty `<v>`
    in a text cell) has one. Sheets without a formula are not parsed."""
    if not has_formula(archive, part):
        return
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
