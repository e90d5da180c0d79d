"""The table import page: upload, preview the first rows with names, then import.

A dry run keeps the uploaded files on the server under a token (see
tracker.importers.staging), so the real import needs no second upload; the import runs
only with the choices that were previewed (another mapping asks for a new preview).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, render_template
from flask.typing import ResponseReturnValue

from tracker.config import instance_dir
from tracker.forms.imports import TableImportForm
from tracker.importers.mapping import Mapping, MappingError
from tracker.importers.preview import problems_by_column
from tracker.importers.staging import (
    KeptFile,
    PreviewChanged,
    PreviewedChoices,
    StagingError,
    UploadStore,
    mapping_title,
    shipped_mappings,
)
from tracker.importers.table import ImportResult, TableImportError, import_table
from tracker.views.access import current_account, role_required
from tracker.views.database import db_session

bp = Blueprint("imports", __name__)


def upload_store() -> UploadStore:
    """Where dry runs keep their uploads: UPLOAD_FOLDER, else instance/uploads."""
    folder = current_app.config.get("UPLOAD_FOLDER") or instance_dir() / "uploads"
    return UploadStore(Path(folder))


def submitted_files(form: TableImportForm) -> dict[str, KeptFile]:
    """The table and mapping of this request, or those kept under the form's token."""
    if form.token.data and not form.table.data:
        return upload_store().load(form.token.data)
    content = form.table.data.read() if form.table.data else b""
    if not content:
        raise StagingError("choose a table to upload: a CSV or XLSX file with rows is required")
    files = {"table": KeptFile(form.table.data.filename or "table.csv", content)}
    if form.mapping.data:
        upload = form.mapping.data
        files["mapping"] = KeptFile(upload.filename or "mapping.yaml", upload.read())
    return files


def chosen_mapping(form: TableImportForm, files: dict[str, KeptFile]) -> Mapping | None:
    """The uploaded mapping, else the chosen shipped one, else none (our own export)."""
    if "mapping" in files:
        return Mapping.loads(files["mapping"].content, files["mapping"].name)
    shipped = shipped_mappings()
    if form.shipped.data:
        if form.shipped.data not in shipped:
            raise MappingError(f"there is no shipped mapping {form.shipped.data!r}")
        return Mapping.load(shipped[form.shipped.data])
    return None


@bp.route("/imports/table", methods=["GET", "POST"])
@role_required("analyst")
def table_import() -> ResponseReturnValue:
    """Upload a table; a dry run previews and keeps the files, a real run imports all or none."""
    form = TableImportForm()
    form.offer_mappings({name: mapping_title(path) for name, path in shipped_mappings().items()})
    result: ImportResult | None = None
    problems: list = []
    token, status = "", 200
    if form.validate_on_submit():
        session = db_session()
        try:
            files = submitted_files(form)
            kept = bool(form.token.data and not form.table.data)
            choices = PreviewedChoices.of(
                form.shipped.data or "", bool(form.reviewed.data),
                uploaded_mapping="mapping" in files,
            )  # fmt: skip
            if kept and not form.dry_run.data:
                upload_store().check_previewed(form.token.data, choices)
            mapping = chosen_mapping(form, files)
            table = files["table"]
            result = import_table(
                session, table.content, table.name, mapping=mapping, dry_run=form.dry_run.data,
                reviewed=form.reviewed.data, user=current_account(),
            )  # fmt: skip
            if form.dry_run.data and kept:
                session.rollback()
                token = form.token.data
                upload_store().remember(token, choices)
            elif form.dry_run.data:
                session.rollback()
                token = upload_store().keep(files, choices)
            else:
                session.commit()
                upload_store().discard(form.token.data or "")
        except PreviewChanged as error:
            form.shipped.errors = [str(error)]
            token, status = form.token.data, 409
        except StagingError as error:
            form.table.errors = [str(error)]
            status = 422
        except MappingError as error:
            session.rollback()
            form.mapping.errors = [str(error)]
            status = 422
        except TableImportError as error:
            session.rollback()
            problems, status = error.problems, error.status
    elif form.is_submitted():
        status = 422
    body = render_template(
        "imports/table.html",
        form=form,
        result=result,
        problems=problems,
        problem_columns=problems_by_column(problems),
        token=token,
    )
    return body, status


def init_app(app: Flask) -> None:
    """Register the import page."""
    app.register_blueprint(bp)
