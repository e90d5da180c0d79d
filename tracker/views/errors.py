"""Error pages: a status, a plain message, a way back; never a stack trace.

Under /api the same errors are JSON: {"error": message, "status": code}.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.export_cells import timestamp_text
from tracker.services.pledges import EditConflict, PledgeNotFound
from tracker.views.access import api_error, is_api_request
from tracker.views.conflicts import compared_fields

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Edit conflict",
    413: "Upload too large",
    429: "Too many attempts",
    500: "Something went wrong",
}


def render_error(status: int, message: str) -> Response:
    """The error page (JSON under /api) for `status` with `message`."""
    if is_api_request():
        return api_error(status, message)
    title = TITLES.get(status, "Error")
    page = render_template("errors/error.html", status=status, title=title, message=message)
    return Response(page, status=status, mimetype="text/html")


def http_error(error: HTTPException) -> Response:
    """Any HTTP error (400, 404, 405, 413, a refused CSRF token ...) as a page."""
    status = error.code or 500
    message = error.description or TITLES.get(status, "Error")
    if status >= 500:
        message = (
            "The server could not finish this request; nothing was saved. It has been logged: "
            "try again, and tell the administrator if it keeps happening."
        )
    response = render_error(status, message)
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def unexpected_error(error: Exception) -> Response:
    """An exception nobody caught: log it, show a 500 page without details."""
    if isinstance(error, HTTPException):
        return http_error(error)
    log.exception("unhandled error", exc_info=error)
    return http_error(InternalServerError())


def edit_conflict(error: EditConflict) -> Response:
    """A save based on an old version of a pledge: refuse it, overwrite nothing, show both."""
    if is_api_request():
        response = jsonify(
            {
                "error": str(error),
                "status": 409,
                "pledge_id": error.current.id,
                "current_version": error.current_version,
                "expected_version": error.expected_version,
                "changed_by": error.changed_by,
                "changed_at": timestamp_text(error.changed_at) if error.changed_at else None,
            }
        )
        response.status_code = 409
        return response
    yours_label, rows = compared_fields(error)
    page = render_template(
        "errors/conflict.html",
        status=409,
        title=TITLES[409],
        conflict=error,
        yours_label=yours_label,
        rows=rows,
    )
    return Response(page, status=409, mimetype="text/html")


def pledge_not_found(error: PledgeNotFound) -> Response:
    """A service was asked for a pledge that does not exist."""
    return render_error(404, str(error) or "There is no such pledge.")


def init_app(app: Flask) -> None:
    """Register the error pages."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(EditConflict, edit_conflict)
    app.register_error_handler(PledgeNotFound, pledge_not_found)
    app.register_error_handler(Exception, unexpected_error)
