"""Totals and pledge tables as DataFrames, written out as CSV, XLSX or JSON.

One column list per table (TOTALS_COLUMNS, PLEDGE_COLUMNS) fixes names and
order for every format. Totals come from the totals service, never summed here.
The pledge table is read in chunks (`yield_per`, a server-side cursor on
PostgreSQL) and written one DataFrame per chunk, so a million pledges stream in
bounded memory and the first bytes leave before the query ends.

Cells are written as analysts' spreadsheets expect: money with two decimals,
`.` as decimal point, no thousands separators, UTF-8 with a header row. Text
that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
carriage return) gets a leading apostrophe, as OWASP recommends; numbers,
negative ones too, stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from tracker.export_cells import (
    FORMULA_STARTS,
    MONEY_COLUMNS,
    NUMBER_COLUMNS,
    QUANTITY_COLUMNS,
    RATE_COLUMNS,
    csv_text_columns,
    neutralise_formula,
    number_text,
    timestamp_text,
)
from tracker.models import (
    Donor,
    Evidence,
    Item,
    ItemCategory,
    Package,
    Pledge,
    Recipient,
    Report,
    Source,
)
from tracker.services.reports import OLDEST_FIRST
from tracker.services.totals import pledge_conditions
from tracker.xlsx_stream import stream_xlsx

if TYPE_CHECKING:
    from tracker.services.totals import TotalRow, TotalsFilter

__all__ = [
    "FORMATS",
    "FORMULA_STARTS",
    "MEDIA_TYPES",
    "MONEY_COLUMNS",
    "NUMBER_COLUMNS",
    "PLEDGE_COLUMNS",
    "QUANTITY_COLUMNS",
    "RATE_COLUMNS",
    "cell_records",
    "export_filename",
    "export_pledges",
    "export_totals",
    "frame_records",
    "neutralise_formula",
    "pledge_frames",
    "pledges_select",
    "reference_pledges_csv",
    "totals_cells",
    "totals_columns",
    "totals_frame",
    "totals_records",
]

FORMATS = ("csv", "xlsx", "json")
MAX_NAME = 150
EXCEL_BOM = "\ufeff".encode()
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
CHUNK_ROWS = 20_000
JSON_SLICE_ROWS = 5000

TOTALS_VALUE_COLUMNS = (
    "pledges",
    "quantity",
    "quantity_lower",
    "unit",
    "eur",
    "eur_lower",
    "usd",
    "open_ended",
    "approximate",
    "unconverted",
    "allocated_eur",
    "delivered_eur",
    "allocated_quantity",
    "delivered_quantity",
)

PLEDGE_COLUMNS = (
    "id",
    "version",
    "donor_id",
    "donor",
    "recipient_id",
    "recipient",
    "item_id",
    "item",
    "category",
    "item_text",
    "kind",
    "stage",
    "quantity",
    "unit",
    "quantity_lower",
    "quantity_upper",
    "amount",
    "currency",
    "qualifier",
    "qualifier_text",
    "amount_lower",
    "amount_upper",
    "is_correction",
    "eur",
    "eur_lower",
    "usd",
    "eur_rate",
    "usd_rate",
    "rate_date",
    "rate_origin",
    "conversion_status",
    "stated_amount",
    "stated_currency",
    "review_flag",
    "announced",
    "announced_precision",
    "package_id",
    "source_id",
    "source_ref",
    "source_url",
    "evidence_id",
    "evidence",
    "allocated_amount",
    "allocated_quantity",
    "delivered_amount",
    "delivered_quantity",
    "delivered_on",
    "sources",
    "source_urls",
    "reviewed",
    "notes",
    "created_at",
    "updated_at",
    "package",
    "package_total",
    "counts_money",
    "allocated_on",  # appended: the columns before it keep their places
)


def totals_columns(by: str) -> tuple[str, ...]:
    """The totals table's columns: the group key named after `by`, then the values."""
    return (by, *TOTALS_VALUE_COLUMNS)


def export_filename(
    table: str, fmt: str, *, by: str | None = None, words: Sequence[str] = ()
) -> str:
    """A file name saying what the file holds, after its filters:
    `totals-by-donor-united-kingdom-2025-01-01-to-2025-12-31.csv`, `pledges-financial.xlsx`."""
    from tracker.services.filter_args import slug

    stem = f"totals-by-{by}" if table == "totals" else "pledges"
    named = "-".join(part for part in (slug(word) for word in words) if part)
    if named:
        stem = f"{stem}-{named}"[:MAX_NAME].rstrip("-")
    return f"{stem}.{fmt}"


# --- building the frames ------------------------------------------------------


def totals_cells(session: Session, by: str, filters: TotalsFilter) -> list[tuple[Any, ...]]:
    """The totals service's rows for `by` under `filters`, each as its cells in the
    order of `totals_columns(by)`."""
    from tracker.services.totals import totals

    rows: list[TotalRow] = totals(session, by, filters)
    return [(row.key, *(getattr(row, name) for name in TOTALS_VALUE_COLUMNS)) for row in rows]


def totals_frame(session: Session, by: str, filters: TotalsFilter) -> pd.DataFrame:
    """The totals service's rows for `by` under `filters`, as a DataFrame in column order."""
    records = totals_cells(session, by, filters)
    return raw_frame(records, totals_columns(by))  # object columns: a missing unit stays None


def totals_records(session: Session, by: str, filters: TotalsFilter) -> list[dict[str, Any]]:
    """`frame_records(totals_frame(...))` without the frame: the same JSON-ready records,
    for a page of a few rows where building a DataFrame cost more than the totals."""
    return cell_records(totals_columns(by), totals_cells(session, by, filters))


def _source_urls() -> Any:
    """The URLs of a pledge's reports' sources joined by "; ", in the reports' order, oldest
    first: aggregated from a subquery that sorts them (SQLite before 3.44 has no ORDER BY
    inside an aggregate's parentheses, and a window over each pledge's reports cost half
    the export's time again)."""
    report_source = aliased(Source)
    ordered = (
        select(report_source.url.label("url"))
        .select_from(Report)
        .join(report_source, report_source.id == Report.source_id)
        .where(Report.pledge_id == Pledge.id, report_source.url.is_not(None))
        .order_by(*OLDEST_FIRST)
        .correlate(Pledge)
        .subquery()
    )
    return select(func.aggregate_strings(ordered.c.url, "; ")).scalar_subquery()


def pledges_select(filters: TotalsFilter | None, *, counted_only: bool = True) -> Select[Any]:
    """One row per pledge with every field, its names, source URL and evidence sentence,
    how many reports it has and the URLs of their sources (through report.pledge_id), and
    its package's name and whether it is the package's stated total: the pledges the
    totals count under `filters`, or (`counted_only` False, no filters) every pledge,
    deleted ones and possible duplicates too."""
    donor, recipient, item = aliased(Donor), aliased(Recipient), aliased(Item)
    named: dict[str, Any] = {
        "sources": select(func.count(Report.id))
        .where(Report.pledge_id == Pledge.id)
        .scalar_subquery(),
        "source_urls": _source_urls(),
        "donor": donor.name,
        "recipient": recipient.name,
        "item": item.name,
        "category": ItemCategory.name,
        "source_url": Source.url,
        "evidence": Evidence.text,
        "package": Package.name,
    }
    columns = [
        (named[name] if name in named else getattr(Pledge, name)).label(name)
        for name in PLEDGE_COLUMNS
    ]
    return (
        select(*columns)
        .join(donor, donor.id == Pledge.donor_id)
        .join(recipient, recipient.id == Pledge.recipient_id)
        .join(item, item.id == Pledge.item_id)
        .join(ItemCategory, ItemCategory.id == item.category_id)
        .outerjoin(Source, Source.id == Pledge.source_id)
        .outerjoin(Evidence, Evidence.id == Pledge.evidence_id)
        .outerjoin(Package, Package.id == Pledge.package_id)
        .where(*(pledge_conditions(filters) if counted_only else ()))
        .order_by(Pledge.id)
    )


def pledge_frames(
    session: Session, filters: TotalsFilter | None, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """The pledge table, one DataFrame per chunk of rows, read through a streaming cursor.

    The query runs on the session's connection as a Core statement (no ORM row
    handling) with `stream_results`: a server-side cursor on PostgreSQL, `fetchmany`
    on SQLite. Each frame holds the values as the database driver gave them (object
    columns, nothing guessed), so the writers format every column exactly once.
    """
    statement = pledges_select(filters).execution_options(yield_per=chunk_rows, stream_results=True)
    result = session.connection().execute(statement)
    empty = True
    for partition in result.partitions():
        empty = False
        yield raw_frame(partition, PLEDGE_COLUMNS)
    if empty:
        yield raw_frame([], PLEDGE_COLUMNS)


def raw_frame(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """Result rows as a frame of object columns, the values untouched (no dtype inference)."""
    if not rows:
        return pd.DataFrame({name: [] for name in columns}, dtype=object)
    transposed = zip(*rows, strict=True)
    cells = (np.fromiter(column, dtype=object, count=len(rows)) for column in transposed)
    data = dict(zip(columns, cells, strict=True))
    return pd.DataFrame(data, dtype=object, copy=False)


# --- cell values --------------------------------------------------------------


def json_value(value: Any, column: str) -> Any:
    """A cell for JSON: Decimals as strings (money with two decimals), dates in ISO form."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, Decimal):
        return number_text(value, column)
    if isinstance(value, datetime):
        return timestamp_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready records, in column order."""
    return cell_records(list(frame.columns), frame.itertuples(index=False, name=None))


def cell_records(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows of cells (in the order of `columns`) as JSON-ready records."""
    return [
        {column: json_value(value, column) for column, value in zip(columns, row, strict=True)}
        for row in rows
    ]


# --- writers ------------------------------------------------------------------


def csv_chunks(frames: Iterable[pd.DataFrame]) -> Iterator[bytes]:
    """CSV bytes, a header then one block per frame, each formatted column by column.

    The formatted columns go straight to the csv module's writer (the one
    `DataFrame.to_csv` uses underneath), without building another frame first.
    """
    header = True
    for frame in frames:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if header:
            writer.writerow([str(name) for name in frame.columns])
            header = False
        writer.writerows(zip(*csv_text_columns(frame), strict=True))
        yield buffer.getvalue().encode("utf-8")


def json_chunks(frames: Iterable[pd.DataFrame]) -> Iterator[bytes]:
    """A JSON array of row objects, streamed one frame at a time."""
    yield b"["
    first = True
    for chunk in frames:
        for start in range(0, len(chunk), JSON_SLICE_ROWS):  # records cost more than cells
            frame = chunk.iloc[start : start + JSON_SLICE_ROWS]
            records = frame_records(frame)
            if not records:
                continue
            text = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
            yield (("\n" if first else ",\n") + text).encode("utf-8")
            first = False
    yield b"\n]\n"


def xlsx_chunks(frames: Iterable[pd.DataFrame], *, sheet_name: str = "data") -> Iterator[bytes]:
    """An XLSX workbook streamed as its rows are read (see tracker.xlsx_stream)."""
    blocks = ((list(frame.columns), frame.itertuples(index=False, name=None)) for frame in frames)
    return stream_xlsx(blocks, sheet_name=sheet_name)


def write_frames(frames: Iterable[pd.DataFrame], fmt: str) -> Iterator[bytes]:
    """Bytes of `frames` in `fmt` (csv, xlsx or json)."""
    if fmt == "csv":
        return csv_chunks(frames)
    if fmt == "json":
        return json_chunks(frames)
    if fmt == "xlsx":
        return xlsx_chunks(frames)
    raise ValueError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")


def for_excel(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """CSV bytes behind a UTF-8 byte-order mark, which tells Excel the encoding."""
    yield EXCEL_BOM
    yield from chunks


def export_totals(
    session: Session, by: str, filters: TotalsFilter, fmt: str, *, excel: bool = False
) -> Iterator[bytes]:
    """The totals table for `by` under `filters` as bytes of `fmt` (`excel`: CSV with a BOM)."""
    chunks = write_frames([totals_frame(session, by, filters)], fmt)
    return for_excel(chunks) if excel and fmt == "csv" else chunks


def export_pledges(
    session: Session, filters: TotalsFilter | None, fmt: str, *, excel: bool = False
) -> Iterator[bytes]:
    """The pledge table under `filters` as bytes of `fmt`, streamed chunk by chunk
    (`excel`: CSV with a byte-order mark). CSV is formatted by the database
    (tracker.export_sql), the same bytes `reference_pledges_csv` writes, several times faster."""
    if fmt == "csv":
        from tracker.export_sql import pledge_csv_chunks

        chunks = pledge_csv_chunks(session, filters)
        return for_excel(chunks) if excel else chunks
    return write_frames(pledge_frames(session, filters), fmt)


def reference_pledges_csv(session: Session, filters: TotalsFilter | None) -> Iterator[bytes]:
    """The pledges CSV written cell by cell from the frames (export_cells' rules in Python):
    the reference the database-formatted export is checked against."""
    return csv_chunks(pledge_frames(session, filters))
