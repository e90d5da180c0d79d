"""The JSON API (reads): totals, pledges, donors, and the OpenAPI description.

Errors are JSON `{"error": message, ...}` with a fitting status; Decimals are strings.
Writes live in tracker.views.api_writes, one blueprint that access rules can wrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from tracker.exports import (
    PLEDGE_COLUMNS,
    json_value,
    pledges_select,
    totals_records,
)
from tracker.models import Donor, Pledge
from tracker.services.packages import package_fields
from tracker.services.pledge_list import page_ids
from tracker.services.reports import report_fields, reports_of, stage_figures
from tracker.services.totals import grand_total, rollup_serves
from tracker.views.database import db_session
from tracker.views.filters import (
    FilterError,
    by_from_args,
    filters_from_args,
    parse_filter_args,
)
from tracker.views.hardening import UnusableParameter
from tracker.views.pledges import keyset_args

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 50


def error_response(status: int, message: str, **extra: Any) -> Response:
    """A JSON error body with `status`."""
    response = jsonify({"error": message, **extra})
    response.status_code = status
    return response


def pledge_record(pledge_id: int) -> dict[str, Any] | None:
    """One pledge as the API shows it (the columns of the pledges export), whether it
    counts or not (deleted, rejected, linked to another, awaiting a duplicate decision)."""
    query = pledges_select(None, counted_only=False).where(Pledge.id == pledge_id)
    rows = db_session().execute(query).all()
    if not rows:
        return None
    return _records(rows)[0]


def _records(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Result rows of `pledges_select` as JSON-ready records (the cells as `json_value` writes
    them; no frame is built for a page of rows)."""
    return [
        {name: json_value(value, name) for name, value in zip(PLEDGE_COLUMNS, row, strict=True)}
        for row in rows
    ]


def _int_arg(name: str, default: int, low: int, high: int | None = None) -> int:
    """A whole-number query parameter within bounds, or a FilterError naming it."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
        bounds = f"{low} to {high}" if high is not None else f"{low} or more"
        raise FilterError(name, f"{name}={text!r} must be a whole number from {bounds}")
    return int(text)


@bp.errorhandler(FilterError)
def on_filter_error(error: FilterError) -> Response:
    """A bad query parameter: 400 naming it."""
    return error_response(400, str(error), field=error.field)


@bp.errorhandler(HTTPException)
def on_http_error(error: HTTPException) -> Response:
    """Any HTTP error under /api as JSON; a refused parameter is named in `field`."""
    extra = {"field": error.field} if isinstance(error, UnusableParameter) else {}
    return error_response(error.code or 500, error.description or error.name, **extra)


@bp.get("/totals")
def api_totals() -> Response:
    """Totals grouped by `by` under the filters (tracker.services.filter_args)."""
    session = db_session()
    by = by_from_args(request.args)
    filters = filters_from_args(request.args, session)
    return jsonify({"by": by, "totals": totals_records(session, by, filters)})


@bp.get("/pledges")
def api_pledges() -> Response:
    """One keyset page of pledges under the filters, in the order of `sort` and `dir` (oldest
    id first by default); `next` links the page after it. `total` comes from the totals
    rollup when it covers the filters, else it is null: pledges are never counted per call."""
    session = db_session()
    parsed = parse_filter_args(request.args, session)
    sort, descending, after = keyset_args(request.args, default_sort="id", default_dir="asc")
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    if _int_arg("page", 1, 1) != 1:
        raise FilterError("page", "pages are named by after=<id>, not by number: follow `next`")
    try:
        ids, next_after = page_ids(session, parsed.filter, sort=sort, descending=descending,
                                   after=after, size=per_page)  # fmt: skip
    except LookupError as missing:
        raise FilterError("after", str(missing)) from missing
    rows = list(session.execute(pledges_select(None).where(Pledge.id.in_(ids)))) if ids else []
    position = {pledge_id: index for index, pledge_id in enumerate(ids)}
    rows.sort(key=lambda row: position[row.id])
    total = grand_total(session, parsed.filter).pledges if rollup_serves(parsed.filter) else None
    direction = "desc" if descending else "asc"
    link: dict[str, Any] = dict(parsed.arg_dict(), sort=sort, dir=direction, per_page=per_page)
    return jsonify(
        {
            "sort": sort,
            "dir": direction,
            "per_page": per_page,
            "after": after,
            "next_after": next_after,
            "next": None if next_after is None else url_for(
                "api.api_pledges", **link, after=str(next_after)),
            "total": total,
            "pledges": _records(rows),
        }
    )  # fmt: skip


@bp.get("/pledges/<int:pledge_id>")
def api_pledge(pledge_id: int) -> Response:
    """One pledge, with its version for a later PATCH, its reports and stage figures."""
    record = pledge_record(pledge_id)
    if record is None:
        return error_response(404, f"there is no pledge with id {pledge_id}")
    session = db_session()
    pledge = session.get(Pledge, pledge_id)
    assert pledge is not None
    record["reports"] = [
        {name: json_value(value, name) for name, value in report_fields(report).items()}
        for report in reports_of(session, pledge_id)
    ]
    record.update(package_fields(session, pledge))
    record["deleted_at"] = json_value(pledge.deleted_at, "deleted_at")
    record["duplicate_of_id"] = pledge.duplicate_of_id
    record["stages"] = {
        stage: {name: json_value(value, name) for name, value in figures.items()}
        for stage, figures in stage_figures(pledge).items()
    }
    return jsonify(record)


@bp.get("/donors")
def api_donors() -> Response:
    """Every donor with its kind, ISO code and aliases."""
    donors = db_session().scalars(select(Donor).order_by(Donor.name)).all()
    return jsonify(
        {
            "donors": [
                {
                    "id": donor.id,
                    "name": donor.name,
                    "kind": donor.kind,
                    "iso_code": donor.iso_code,
                    "aliases": [alias.alias for alias in donor.aliases],
                }
                for donor in donors
            ]
        }
    )


@bp.get("/openapi.json")
def api_openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    from tracker.views.openapi import openapi_document

    return jsonify(openapi_document())


def init_app(app: Flask) -> None:
    """Register the API blueprints (reads and writes)."""
    from tracker.views import api_writes

    app.register_blueprint(bp)
    app.register_blueprint(api_writes.bp)
