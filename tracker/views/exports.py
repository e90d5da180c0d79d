"""Downloads of totals and pledges (CSV, XLSX, JSON); the table upload is in views/imports.py."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, request, stream_with_context

from tracker.exports import FORMATS, MEDIA_TYPES, export_filename, export_pledges, export_totals
from tracker.views.database import db_session
from tracker.views.filters import FilterError, by_from_args, filters_from_args

bp = Blueprint("exports", __name__)


def download(chunks: Iterator[bytes], file_name: str, fmt: str) -> Response:
    """A streamed download with a file name."""
    response = Response(stream_with_context(chunks), mimetype=MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def filter_error(error: FilterError) -> Response:
    """A 400 naming the bad parameter."""
    return Response(f"{error}\n", status=400, mimetype="text/plain")


@bp.get("/exports/totals.<fmt>")
def totals_download(fmt: str) -> Response:
    """Totals grouped by `by` under the dashboard filters."""
    if fmt not in FORMATS:
        abort(404)
    session = db_session()
    try:
        by = by_from_args(request.args)
        filters = filters_from_args(request.args, session)
    except FilterError as error:
        return filter_error(error)
    chunks = export_totals(session, by, filters, fmt)
    return download(chunks, export_filename("totals", fmt, by=by), fmt)


@bp.get("/exports/pledges.<fmt>")
def pledges_download(fmt: str) -> Response:
    """Every pledge under the dashboard filters, streamed."""
    if fmt not in FORMATS:
        abort(404)
    session = db_session()
    try:
        filters = filters_from_args(request.args, session)
    except FilterError as error:
        return filter_error(error)
    return download(export_pledges(session, filters, fmt), export_filename("pledges", fmt), fmt)


def init_app(app: Flask) -> None:
    """Register the export downloads."""
    app.register_blueprint(bp)
