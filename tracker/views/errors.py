"""Error pages: a status, a plain message, a way back; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.services.pledges import EditConflict, PledgeNotFound

log = logging.getLogger(__name__)

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Edit conflict",
    413: "Upload too large",
    500: "Something went wrong",
}


def render_error(status: int, message: str) -> tuple[str, int]:
    """The error page for `status` with `message`."""
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def http_error(error: HTTPException) -> tuple[str, int]:
    """Any HTTP error (400, 404, 405, 413, a refused CSRF token ...) as a page."""
    status = error.code or 500
    message = error.description or TITLES.get(status, "Error")
    if status >= 500:
        message = "The server could not finish this request. It has been logged."
    return render_error(status, message)


def unexpected_error(error: Exception) -> tuple[str, int]:
    """An exception nobody caught: log it, show a 500 page without details."""
    if isinstance(error, HTTPException):
        return http_error(error)
    log.exception("unhandled error", exc_info=error)
    return http_error(InternalServerError())


def edit_conflict(error: EditConflict) -> tuple[str, int]:
    """A save based on an old version of a pledge: refuse it, overwrite nothing."""
    return (
        render_template("errors/conflict.html", status=409, title=TITLES[409], conflict=error),
        409,
    )


def pledge_not_found(error: PledgeNotFound) -> tuple[str, int]:
    """A service was asked for a pledge that does not exist."""
    return render_error(404, str(error) or "There is no such pledge.")


def init_app(app: Flask) -> None:
    """Register the error pages."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(EditConflict, edit_conflict)
    app.register_error_handler(PledgeNotFound, pledge_not_found)
    app.register_error_handler(Exception, unexpected_error)
