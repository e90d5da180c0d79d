"""Reading a table file, and column mappings that let a foreign table in.

A mapping is a small YAML or JSON file:

    columns:            # file column -> pledge field (donor, announced, kind, stage, amount,
      giver: donor      #   item, item_lines, category, quantity, currency, notes, ...)
    ignore: [other]     # file columns that are read and dropped
    values:             # per field: the file's words -> ours
      stage: {Commitment: committed}
    defaults: {currency: EUR}            # a value for every row where the cell is blank
    item_by_kind: {military: military aid}  # the item when the file names none
    round_amounts: true                  # round amounts half-up to the cent
    negative_is_correction: true         # a negative amount is a correction
    donors:                              # names the catalogue does not know
      EU (Commission and Council): European Union   # an alias of a donor we have
      European Peace Facility: {kind: organisation} # a new donor
    categories: {Tanks: armour}          # file category -> ours, for new items
    units: {Tanks: vehicle}              # file category -> unit of new items
    match: true                          # match each row against pledges from other
                                         #   sources (off by default: rows are curated)

`item_lines` splits a cell such as "M777 howitzer (6); Leopard-2A4 (8)" into
one row per item with its quantity.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

ITEM_LINE = re.compile(r"^\s*(?P<name>.+?)\s*\((?P<count>\d[\d,]*)\)\s*$")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message says what is wrong."""


@dataclass
class Problem:
    """One thing wrong with an imported table, by spreadsheet row (header = 1) and column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """`row 3, column amount: ...`."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Mapping:
    """How the columns and words of a foreign table become pledge fields."""

    columns: dict[str, str]
    ignore: list[str] = field(default_factory=list)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    item_by_kind: dict[str, str] = field(default_factory=dict)
    round_amounts: bool = False
    negative_is_correction: bool = False
    donors: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    match: bool = False

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        """Read a mapping from a .yaml/.yml or .json file."""
        return cls.loads(Path(path).read_bytes(), str(path))

    @classmethod
    def loads(cls, content: bytes, path: str) -> Mapping:
        """Read a mapping from the bytes of a file called `path` (.json, else YAML)."""
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise MappingError(f"mapping {path} is not UTF-8 text") from None
        try:
            data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as error:
            raise MappingError(f"mapping {path} cannot be read: {error}") from None
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            raise MappingError(f"mapping {path} needs a 'columns' section: file column -> field")
        known = {f for f in cls.__dataclass_fields__ if f != "columns"} | {"columns", "name"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise MappingError(f"mapping {path} has unknown sections: {', '.join(unknown)}")
        data.pop("name", None)
        try:
            return cls(**data)
        except TypeError as error:
            raise MappingError(f"mapping {path} cannot be used: {error}") from None

    def apply(self, frame: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
        """The table with our field names and words; `_row` keeps the file row, `_ref` the
        row reference (row number, plus the line for split item lines)."""
        known = set(self.columns) | set(self.ignore) | {"_row"}
        for column in frame.columns:
            if column not in known:
                problems.append(Problem(1, column, "unknown column: not in the mapping"))
        for column in self.columns:
            if column not in frame.columns:
                problems.append(Problem(1, column, "column named in the mapping is missing"))
        present = [c for c in self.columns if c in frame.columns]
        mapped = frame[present].rename(columns=self.columns)
        mapped["_row"] = frame["_row"]
        mapped["_ref"] = frame["_row"].astype(str)
        for name, translation in self.values.items():
            if name in mapped.columns:
                mapped[name] = mapped[name].map(lambda v, t=translation: t.get(v, v))
        for name, value in self.defaults.items():
            if name not in mapped.columns:
                mapped[name] = str(value)
            else:
                mapped[name] = mapped[name].where(mapped[name] != "", str(value))
        if "item_lines" in mapped.columns:
            mapped = split_item_lines(mapped, problems)
        return mapped


def split_item_lines(frame: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """One row per "Name (count)" in the `item_lines` column, with `item` and `quantity`."""
    frame = frame.assign(item_lines=frame["item_lines"].str.split(";")).explode("item_lines")
    frame["_line"] = frame.groupby("_row").cumcount() + 1
    frame["_ref"] = frame["_row"].astype(str) + ":" + frame["_line"].astype(str)
    parts = frame["item_lines"].fillna("").str.extract(ITEM_LINE)
    bad = parts["name"].isna()
    for row, text in zip(frame.loc[bad, "_row"], frame.loc[bad, "item_lines"], strict=True):
        problems.append(
            Problem(int(row), "item_lines", f"{text!r} is not of the form 'Name (count)'")
        )
    frame["item"] = parts["name"].fillna("").astype(object)
    frame["quantity"] = parts["count"].fillna("").str.replace(",", "", regex=False).astype(object)
    return frame.drop(columns=["item_lines", "_line"]).reset_index(drop=True)


def _stripped(cells: pd.Series) -> pd.Series:
    """Text cells without surrounding white space; each distinct value is looked at once."""
    changed: dict[str, str] = {}
    for value in cells.unique():
        if value != (stripped := value.strip()):
            changed[value] = stripped
    if not changed:
        return cells
    return pd.Series([changed.get(v, v) for v in cells], index=cells.index, dtype=object)


def read_table(content: bytes, file_name: str) -> pd.DataFrame:
    """A CSV or XLSX file as text cells ("" for blank) with `_row`, its spreadsheet row."""
    suffix = Path(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False)
    elif suffix in (".csv", ".txt", ""):
        text = content.decode("utf-8-sig")
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    else:
        raise MappingError(f"{file_name}: only .csv and .xlsx tables can be imported")
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        frame[column] = _stripped(frame[column].fillna("").astype(str).astype(object))
    frame["_row"] = range(2, len(frame) + 2)
    return frame
