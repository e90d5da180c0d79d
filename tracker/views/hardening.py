"""Safe defaults for every response: security headers, error pages without stack traces,
secure cookies and proxy headers when configured."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.views.access import api_error, is_api_request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"

log = logging.getLogger(__name__)


def add_security_headers(response: Response) -> Response:
    """Put the security headers on a response (keeping any a view set itself)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def add_hsts(response: Response) -> Response:
    """Tell browsers to use HTTPS only (when the app is served over HTTPS)."""
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def render_http_error(error: HTTPException) -> Response:
    """A 4xx/5xx as a page (or JSON under /api) saying what went wrong, never a traceback."""
    status = error.code or 500
    message = error.description or error.name
    if is_api_request():
        response = api_error(status, message)
    else:
        response = Response(
            render_template("error.html", status=status, title=error.name, message=message),
            status=status,
            mimetype="text/html",
        )
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def render_unexpected_error(error: Exception) -> Response:
    """Any other exception: logged in full, answered with a plain 500."""
    if isinstance(error, HTTPException):
        return render_http_error(error)
    log.exception("unexpected error while answering a request", exc_info=error)
    return render_http_error(
        InternalServerError(
            description="Something went wrong on our side; nothing was saved. "
            "Try again, and tell the administrator if it keeps happening."
        )
    )


def init_app(app: Flask) -> None:
    """Install headers, error handlers, cookie flags and, when configured, ProxyFix."""
    app.after_request(add_security_headers)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected_error)
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
        app.after_request(add_hsts)
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
