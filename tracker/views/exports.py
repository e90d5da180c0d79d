"""Downloads of totals and pledges (CSV, XLSX, JSON); the table upload is in views/imports.py."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, request, stream_with_context

from tracker.exports import FORMATS, MEDIA_TYPES, export_filename, export_pledges, export_totals
from tracker.views.database import closed_at_stream_end, db_session
from tracker.views.filters import FilterError, by_from_args, parse_filter_args

bp = Blueprint("exports", __name__)
# The last row of a CSV whose export failed after its first bytes were sent (the status,
# 200, is gone by then): a spreadsheet shows it at the bottom, where the rows stop.
EXPORT_FAILED = (
    b"EXPORT FAILED: the server stopped before the last row; "
    b"this file is incomplete - download it again\n"
)


def failure_shown(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """CSV `chunks` (whole lines each) that end with EXPORT_FAILED when the export fails
    midway; the error still ends the response, so the transfer is incomplete as well."""
    try:
        yield from chunks
    except Exception:
        yield EXPORT_FAILED
        raise


def download(chunks: Iterator[bytes], file_name: str, fmt: str) -> Response:
    """A streamed download with a file name; one charset in its Content-Type. A CSV that
    fails midway ends with a row saying so (EXPORT_FAILED); an XLSX or JSON cut short is no
    longer a readable workbook or document."""
    if fmt == "csv":
        chunks = failure_shown(chunks)
    response = Response(
        stream_with_context(closed_at_stream_end(chunks)), content_type=MEDIA_TYPES[fmt]
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def filter_error(error: FilterError) -> Response:
    """A 400 naming the bad parameter."""
    return Response(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")


def wants_excel(fmt: str) -> bool:
    """`excel=1` on a CSV download: a byte-order mark so Excel reads UTF-8."""
    return fmt == "csv" and request.args.get("excel", "") in ("1", "true", "yes")


@bp.get("/exports/totals.<fmt>")
def totals_download(fmt: str) -> Response:
    """Totals grouped by `by` under the dashboard filters, named after them."""
    if fmt not in FORMATS:
        abort(404)
    session = db_session()
    try:
        by = by_from_args(request.args)
        parsed = parse_filter_args(request.args, session)
    except FilterError as error:
        return filter_error(error)
    chunks = export_totals(session, by, parsed.filter, fmt, excel=wants_excel(fmt))
    return download(chunks, export_filename("totals", fmt, by=by, words=parsed.words), fmt)


@bp.get("/exports/pledges.<fmt>")
def pledges_download(fmt: str) -> Response:
    """Every pledge under the dashboard filters, streamed, named after the filters."""
    if fmt not in FORMATS:
        abort(404)
    session = db_session()
    try:
        parsed = parse_filter_args(request.args, session)
    except FilterError as error:
        return filter_error(error)
    chunks = export_pledges(session, parsed.filter, fmt, excel=wants_excel(fmt))
    return download(chunks, export_filename("pledges", fmt, words=parsed.words), fmt)


def init_app(app: Flask) -> None:
    """Register the export downloads."""
    app.register_blueprint(bp)
