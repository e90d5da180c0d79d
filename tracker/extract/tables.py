"""Tables written in plain text: cells set apart by pipes or tabs, under a header row.

A round-up prints its pledges as a table ("Donor | What | Value | Announced", "Country<tab>New
pledge<tab>Total since 2024"). The header tells which cell names the donor, which what is
given and which its figure; a column of totals to date is no pledge and is not read. Each row
is told again as a sentence ("Norway will provide NOK 5.5bn for funding for a Patriot
system") and read by the same rules as the text, its evidence the row as written. A figure
without its currency or scale takes the caption's ("Pledges by country (millions of
euros):").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tracker.extract.patterns import word_union

# Words of a header cell: the donor's column, what is given, and the figure given.
DONOR_HEADS = ("donor", "donors", "country", "countries", "government", "who")
WHAT_HEADS = ("what", "item", "items", "equipment", "support", "purpose", "for", "details")
VALUE_HEADS = ("value", "amount", "sum", "worth", "pledge", "pledged", "new pledge",
               "commitment", "money", "funding", "figure")  # fmt: skip
# A column of what was handed over or of totals is no column of pledges.
RUNNING_HEADS = ("total", "totals", "since", "to date", "so far", "delivered", "cumulative")

_CELL_SPLIT_RE = re.compile(r"\s*\|\s*|\t+")
_RULE_ROW_RE = re.compile(r"[\s|:+=-]*")
_DONOR_HEAD_RE = re.compile(rf"\s*{word_union(DONOR_HEADS)}\s*$", re.IGNORECASE)
_WHAT_HEAD_RE = re.compile(rf"\s*{word_union(WHAT_HEADS)}\s*$", re.IGNORECASE)
_VALUE_HEAD_RE = re.compile(rf"(?:\s*\w+)?\s*{word_union(VALUE_HEADS)}\b", re.IGNORECASE)
_RUNNING_HEAD_RE = re.compile(rf"\b{word_union(RUNNING_HEADS)}\b", re.IGNORECASE)
# The unit of bare figures, in brackets in a caption or a header cell: "(millions of euros)",
# "(€m)", "(in EUR million)", "($bn)".
_UNIT_RE = re.compile(
    r"\(\s*(?:in\s+)?(?P<scale>millions?|billions?|thousands?)\s+of\s+(?P<currency>[a-z ]+?)\s*\)"
    r"|\(\s*(?:in\s+)?(?P<sign>[€£$]|[A-Z]{3})\s*(?P<short>m|mn|million|bn|billion)\s*\)",
    re.IGNORECASE,
)
_BARE_FIGURE_RE = re.compile(r"\s*\d[\d,.]*\s*$")
_NO_FIGURE_RE = re.compile(r"\s*(?:n/?a|-+|–|—|none|undisclosed|not disclosed|tbc|\?)?\s*$",
                           re.IGNORECASE)  # fmt: skip


class TableRow(NamedTuple):
    """One row of a table: where it stands in the text, and the sentence telling it."""

    start: int
    end: int
    told: str


class _Header(NamedTuple):
    """The columns of a table's header (cell indexes) and the unit of its bare figures."""

    donor: int
    what: int | None
    value: int | None
    cells: int
    unit: str | None


def table_rows(text: str) -> list[TableRow]:
    """The rows of every table of pledges in ``text``, each told as a sentence."""
    if "|" not in text and "\t" not in text:
        return []
    rows: list[TableRow] = []
    header: _Header | None = None
    caption = ""
    position = 0
    for line in text.splitlines(keepends=True):
        start, position = position, position + len(line)
        stripped = line.strip()
        cells = _cells(stripped)
        if header is not None:
            if _RULE_ROW_RE.fullmatch(stripped) and "-" in stripped:
                continue
            if len(cells) == header.cells:
                told = _told(cells, header)
                if told:
                    first = start + line.index(stripped[0])
                    rows.append(TableRow(first, start + len(line.rstrip()), told))
                continue
            header = None
        if len(cells) >= 2:
            header = _header(cells, caption)
        if stripped:
            caption = stripped
    return rows


def _cells(line: str) -> list[str]:
    """The cells of a line (pipes at its ends dropped); one cell for a line of text."""
    if "|" not in line and "\t" not in line:
        return [line]
    return [cell.strip() for cell in _CELL_SPLIT_RE.split(line.strip().strip("|").strip())]


def _header(cells: list[str], caption: str) -> _Header | None:
    """The columns a header row names, else None (no donor's column, nothing given, or a
    caption telling totals to date)."""
    donor = next((i for i, cell in enumerate(cells) if _DONOR_HEAD_RE.match(cell)), None)
    if donor is None or _RUNNING_HEAD_RE.search(caption):
        return None  # no donor's column, or a table of totals ("Aid since 2022, by country:")
    what = value = None
    for index, cell in enumerate(cells):
        if index == donor or _RUNNING_HEAD_RE.search(cell):
            continue
        if what is None and _WHAT_HEAD_RE.match(cell):
            what = index
        elif value is None and _VALUE_HEAD_RE.match(cell):
            value = index
    if what is None and value is None:
        return None
    unit_cell = cells[value] if value is not None else ""
    unit = _unit(unit_cell) or _unit(caption)
    return _Header(donor, what, value, len(cells), unit)


def _unit(words: str) -> str | None:
    """The words a bare figure is read with ("million euros", "€ million"), else None."""
    match = _UNIT_RE.search(words)
    if match is None:
        return None
    if match["scale"]:
        return f"{match['scale'].lower().removesuffix('s')} {match['currency'].strip()}"
    short = {"m": "million", "mn": "million", "bn": "billion"}.get(match["short"].lower())
    return f"{short or match['short'].lower()} {match['sign']}"


def _told(cells: list[str], header: _Header) -> str | None:
    """A row told as a sentence of giving, else None (no donor, nothing given)."""
    donor = cells[header.donor]
    what = cells[header.what] if header.what is not None else ""
    value = cells[header.value] if header.value is not None else ""
    if not donor or _NO_FIGURE_RE.fullmatch(value):
        value = ""
    elif header.unit and _BARE_FIGURE_RE.fullmatch(value):
        scale, _, currency = header.unit.partition(" ")
        sign = len(currency) == 1  # "€150 million", "150 million euros"
        value = f"{currency}{value} {scale}" if sign else f"{value} {scale} {currency}"
    if not donor or not (what or value):
        return None
    if value and what:
        return f"{donor} will provide {value} for {what[0].lower()}{what[1:]}."
    return f"{donor} will provide {value or what}."
