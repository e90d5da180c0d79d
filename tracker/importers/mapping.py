"""Column mappings that let a foreign table in, checked whole before any table is read.

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

A row belongs to a package when a column is mapped to `package` (rows with the same
value are one package) and, optionally, one to `package_total` (true on the package's
stated total, false or blank on its parts; `values` can translate the file's words, e.g.
{Total: true, Item: false}). See tracker.importers.table_packages, and
tracker.importers.package_matches for packages whose rows are matched (`match: true`).

`item_lines` splits a cell such as "M777 howitzer (6); Leopard-2A4 (8)" into
one row per item with its quantity.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tracker.importers.table_file import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    Problem,
    TableImportError,
    TableTooLarge,
    read_table,
)
from tracker.limits import SOURCE_TEXT_LIMITS
from tracker.reference import CATEGORY_KIND, DONOR_KINDS, KINDS
from tracker.services.manual_sources import is_web_address
from tracker.services.pledge_numbers import STAGE_DAYS, STAGE_FIGURES

__all__ = ["Mapping", "MappingError", "Problem", "TableImportError", "read_table"]

MAX_MAPPING_BYTES = 1024 * 1024
ITEM_LINE = re.compile(r"^\s*(?P<name>.+?)\s*\((?P<count>\d[\d,]*)\)\s*$")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message says what is wrong and where."""


# The pledge fields a file column can become (see tracker.importers.table.parse_columns)
FIELDS = frozenset(
    {
        "id", "version", "donor", "donor_id", "recipient", "recipient_id", "item", "item_id",
        "item_lines", "category", "kind", "stage", "quantity", "unit", "amount", "currency",
        "qualifier", "qualifier_text", "announced", "announced_precision", "is_correction",
        "stated_amount", "stated_currency", "item_text", "notes", "reviewed", "package",
        "package_total",
    }
) | frozenset(STAGE_FIGURES) | frozenset(STAGE_DAYS)  # fmt: skip
# Fields that put a row into a package (tracker.importers.table_packages).
PACKAGE_FIELDS = ("package", "package_total")
NAME_LIMIT = 200
UNIT_LIMIT = 40


def _text(value: Any, where: str, limit: int = MAX_CELL_CHARS) -> str:
    """A scalar as text (numbers and booleans as written); lists, maps and blanks refused."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise MappingError(f"{where} must be a piece of text, not {_shape(value)}")
    if "\x00" in value:
        raise MappingError(f"{where} holds a NUL character")
    if len(value) > limit:
        raise MappingError(f"{where} is {len(value):,} characters long; at most {limit:,}")
    return value.strip()


def _shape(value: Any) -> str:
    """How a YAML/JSON value looks, for messages."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _section(data: dict[str, Any], name: str, kind: type) -> Any:
    """One section of the mapping, checked to be a map (dict) or a list."""
    value = data.get(name)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        what = "a map of name: value" if kind is dict else "a list"
        raise MappingError(f"section {name!r} must be {what}, not {_shape(value)}")
    return value


def _text_map(
    data: dict[str, Any],
    name: str,
    *,
    keys: frozenset[str] | tuple[str, ...] | None = None,
    values: frozenset[str] | tuple[str, ...] | None = None,
    limit: int = MAX_CELL_CHARS,
) -> dict[str, str]:
    """A section mapping text to text, each key (and value) optionally from a fixed list."""
    out: dict[str, str] = {}
    for key, value in _section(data, name, dict).items():
        key_text = _text(key, f"{name}: key {key!r}", limit)
        if keys is not None and key_text not in keys:
            raise MappingError(f"{name}: {key_text!r} is not one of: {', '.join(sorted(keys))}")
        text = _text(value, f"{name}: {key_text}", limit)
        if values is not None and text not in values:
            raise MappingError(
                f"{name}: {key_text}: {text!r} is not one of: {', '.join(sorted(values))}"
            )
        out[key_text] = text
    return out


def _flag(data: dict[str, Any], name: str) -> bool:
    """A true/false section."""
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise MappingError(f"section {name!r} must be true or false, not {_shape(value)}")
    return value


def _donors(data: dict[str, Any]) -> dict[str, str | dict[str, str]]:
    """`donors`: a name -> the donor it is an alias of, or {name, kind} of a new donor."""
    out: dict[str, str | dict[str, str]] = {}
    for name, target in _section(data, "donors", dict).items():
        name_text = _text(name, f"donors: name {name!r}", NAME_LIMIT)
        where = f"donors: {name_text}"
        if not isinstance(target, dict):
            out[name_text] = _text(target, where, NAME_LIMIT)
            continue
        unknown = sorted(set(target) - {"name", "kind"})
        if unknown:
            raise MappingError(f"{where}: unknown keys {', '.join(map(str, unknown))}")
        kind = _text(target.get("kind", "organisation"), f"{where}: kind")
        if kind not in DONOR_KINDS:
            raise MappingError(f"{where}: kind {kind!r} is not one of: {', '.join(DONOR_KINDS)}")
        new_name = _text(target.get("name", name_text), f"{where}: name", NAME_LIMIT)
        out[name_text] = {"name": new_name, "kind": kind}
    return out


def _source(data: dict[str, Any]) -> dict[str, str]:
    """`source`: title, publisher and an http(s) URL of the dataset."""
    source = _text_map(
        data, "source", keys=tuple(SOURCE_TEXT_LIMITS), limit=max(SOURCE_TEXT_LIMITS.values())
    )
    for key, value in source.items():
        if len(value) > SOURCE_TEXT_LIMITS[key]:
            raise MappingError(f"source: {key} is longer than {SOURCE_TEXT_LIMITS[key]} characters")
    url = source.get("url")
    if url is not None and not is_web_address(url):
        raise MappingError(f"source: url {url!r} must be a web address (http:// or https://)")
    return source


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
        """Read and check a mapping from the bytes of a file called `path` (.json, else YAML).

        Every section is checked here, before any table is read, so a dry run refuses
        whatever the real import would.
        """
        if len(content) > MAX_MAPPING_BYTES:
            raise MappingError(f"mapping {path} is over {MAX_MAPPING_BYTES:,} bytes")
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise MappingError(f"mapping {path} is not UTF-8 text") from None
        try:
            data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
        except (ValueError, RecursionError, yaml.YAMLError) as error:
            reason = (str(error).strip().splitlines() or ["unreadable"])[0]
            raise MappingError(f"mapping {path} cannot be read: {reason}") from None
        if not isinstance(data, dict) or data.get("columns") is None:
            raise MappingError(f"mapping {path} needs a 'columns' section: file column -> field")
        if not isinstance(data["columns"], dict):
            shape = _shape(data["columns"])
            raise MappingError(
                f"mapping {path}: section 'columns' must be a map of file column: field, "
                f"not {shape}"
            )
        known = {f for f in cls.__dataclass_fields__ if f != "columns"} | {"columns", "name"}
        unknown = sorted(map(str, set(data) - known))
        if unknown:
            raise MappingError(f"mapping {path} has unknown sections: {', '.join(unknown)}")
        try:
            return cls._checked(data)
        except MappingError as error:
            raise MappingError(f"mapping {path}: {error}") from None

    @classmethod
    def _checked(cls, data: dict[str, Any]) -> Mapping:
        """A mapping from parsed YAML/JSON, every section checked for shape and words."""
        columns = _text_map(data, "columns", values=FIELDS)
        twice = sorted({f for f in columns.values() if list(columns.values()).count(f) > 1})
        if twice:
            raise MappingError(f"columns: more than one file column becomes {', '.join(twice)}")
        ignore = [_text(name, "ignore: entry") for name in _section(data, "ignore", list)]
        values: dict[str, dict[str, str]] = {}
        for name in _section(data, "values", dict):
            if name not in FIELDS:
                raise MappingError(f"values: {name!r} is not a pledge field")
            values[name] = {
                f"{key}": value for key, value in _text_map(data["values"], name).items()
            }
        defaults = _text_map(data, "defaults", keys=FIELDS)
        categories = _text_map(data, "categories", values=tuple(CATEGORY_KIND))
        _check_package_fields(columns, defaults)
        return cls(
            columns=columns,
            ignore=ignore,
            values=values,
            defaults=defaults,
            item_by_kind=_text_map(data, "item_by_kind", keys=KINDS, limit=NAME_LIMIT),
            round_amounts=_flag(data, "round_amounts"),
            negative_is_correction=_flag(data, "negative_is_correction"),
            donors=_donors(data),
            categories=categories,
            units=_text_map(data, "units", limit=UNIT_LIMIT),
            source=_source(data),
            match=_flag(data, "match"),
        )

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
            lines: list[Problem] = []
            mapped = split_item_lines(mapped, lines)
            problems.extend(self.in_file_terms(lines))
        return mapped

    def file_column(self, name: str) -> str | None:
        """The file's column that pledge field `name` is read from: the column mapped to it,
        or to `item_lines` for the item and quantity split from it; None where no column
        gives it (the mapping alone sets it, or nothing does)."""
        for column, field_name in self.columns.items():
            if field_name == name:
                return column
        if name in ("item", "quantity"):
            return self.file_column("item_lines")
        if name.endswith("_id") and name != "id":  # donor_id: read from the donor column too
            return self.file_column(name.removesuffix("_id"))
        return None

    def in_file_terms(self, problems: list[Problem]) -> list[Problem]:
        """The problems found in the mapped table (named by pledge field) named by the file's
        column, with the field kept beside it: `row 12, column "set_on" (allocated_on)`."""
        return [
            problem
            if problem.column is None or problem.field is not None
            else Problem(
                problem.row, self.file_column(problem.column), problem.message, problem.column
            )
            for problem in problems
        ]


def _check_package_fields(columns: dict[str, str], defaults: dict[str, str]) -> None:
    """Package columns: `package_total` needs a `package` column, and `package` names each
    row's package in a cell, never by default (with `match: true`, see
    tracker.importers.package_matches)."""
    given = set(columns.values()) | set(defaults)
    if "package_total" in given and "package" not in columns.values():
        raise MappingError(
            "columns: package_total says whether a row is its package's stated total: "
            "map a file column to package too"
        )
    if "package" in defaults:
        raise MappingError("defaults: package cannot have a default: name it in a column")


def split_item_lines(frame: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """One row per "Name (count)" in the `item_lines` column, with `item` and `quantity`."""
    lines = int(frame["item_lines"].str.count(";").sum()) + len(frame)
    if lines > MAX_ROWS:
        raise TableTooLarge(
            [Problem(None, "item_lines", f"{lines} item lines; at most {MAX_ROWS} rows")]
        )
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
