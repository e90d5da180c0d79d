"""Downloads of totals and pledges (CSV, XLSX, JSON) and the table upload form."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, render_template, request, stream_with_context
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField

from tracker.exports import FORMATS, MEDIA_TYPES, export_filename, export_pledges, export_totals
from tracker.importers.mapping import Mapping, MappingError
from tracker.importers.table import TableImportError, import_table
from tracker.views.access import current_account, role_required
from tracker.views.database import db_session
from tracker.views.filters import FilterError, by_from_args, filters_from_args

bp = Blueprint("exports", __name__)


class TableImportForm(FlaskForm):
    """A CSV or XLSX table, an optional column mapping, and whether to only preview."""

    table = FileField(
        "Table (CSV or XLSX)",
        validators=[FileRequired(), FileAllowed(["csv", "xlsx"], "CSV or XLSX only")],
    )
    mapping = FileField(
        "Column mapping (YAML or JSON, optional)",
        validators=[FileAllowed(["yaml", "yml", "json"], "YAML or JSON only")],
    )
    dry_run = BooleanField("Preview only (dry run)", default=True)


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


@bp.route("/imports/table", methods=["GET", "POST"])
@role_required("analyst")
def table_import() -> str | BaseResponse:
    """Upload a table; a dry run shows the changes, a real run imports all rows or none."""
    form = TableImportForm()
    result, problems, status = None, [], 200
    if form.validate_on_submit():
        session = db_session()
        upload = form.table.data
        try:
            mapping = None
            if form.mapping.data:
                mapping = Mapping.loads(form.mapping.data.read(), form.mapping.data.filename)
            result = import_table(
                session,
                upload.read(),
                upload.filename,
                mapping=mapping,
                dry_run=form.dry_run.data,
                user=current_account(),
            )
            if form.dry_run.data:
                session.rollback()
            else:
                session.commit()
        except MappingError as error:
            session.rollback()
            form.mapping.errors = [str(error)]
            status = 422
        except TableImportError as error:
            session.rollback()
            problems, status = error.problems, error.status
    elif request.method == "POST":
        status = 422
    body = render_template("imports/table.html", form=form, result=result, problems=problems)
    return (body, status) if status != 200 else body  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    """Register the export and import pages."""
    app.register_blueprint(bp)
