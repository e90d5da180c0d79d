"""Safe defaults for every request and response: parameters a view could choke on are
refused up front, security headers, secure cookies, and proxy headers only when
configured. (Error pages live in errors.py.)

The parameter guard answers 400 naming the parameter for what no view can use:
a NUL anywhere or another control character in the query string (PostgreSQL
cannot even store a NUL), a query
value over MAX_QUERY_VALUE_CHARS, more than MAX_PARAMETERS parameters, and a
value written in digits that is not a whole number a database integer holds (a
superscript "²", or more than MAX_WHOLE_NUMBER) unless the parameter holds a decimal
(DECIMAL_PARAMETERS: €3bn is "3000000000"); an id in the path past MAX_WHOLE_NUMBER
matches no route (DatabaseInteger). docs/limits.md lists
the limits.
"""

from __future__ import annotations

import re

from flask import Flask, Response, abort, request
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

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
MAX_PARAMETERS = 100
MAX_QUERY_VALUE_CHARS = 2_000
MAX_WHOLE_NUMBER = 2**31 - 1  # the largest id or page number a database integer column holds
# Parameters that hold an amount or a quantity (a decimal, checked by its own form), not an id
DECIMAL_PARAMETERS = frozenset({"amount", "quantity"})
# Control characters: never part of a parameter (tab, line feed, carriage return are)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parameter_problem(name: str, value: str, *, query: bool) -> str | None:
    """What is wrong with one request parameter, or None when a view may read it."""
    # Free text posted in a form (a pasted article) may hold a form feed; a NUL nowhere
    if (
        "\x00" in name
        or "\x00" in value
        or (query and (_CONTROL.search(name) or _CONTROL.search(value)))
    ):
        return f"The parameter {name[:40]!r} holds a control character (such as NUL)."
    if query and len(value) > MAX_QUERY_VALUE_CHARS:
        return f"The parameter {name[:40]!r} is longer than {MAX_QUERY_VALUE_CHARS:,} characters."
    if (
        value.isdigit()
        and name not in DECIMAL_PARAMETERS
        and not (
            value.isascii()
            and len(value) <= len(str(MAX_WHOLE_NUMBER))
            and int(value) <= MAX_WHOLE_NUMBER
        )
    ):
        return (
            f"The parameter {name[:40]!r} is not a whole number from 0 to {MAX_WHOLE_NUMBER:,} "
            "written with the digits 0-9."
        )
    return None


class UnusableParameter(BadRequest):
    """A 400 for one request parameter; `field` names it (the JSON API reports it)."""

    def __init__(self, field: str, description: str) -> None:
        """Keep the parameter's name beside the message."""
        super().__init__(description=description)
        self.field = field


def refuse_unusable_parameters() -> None:
    """Answer 400 before any view runs when a query or form parameter is unusable."""
    sources = ((request.args, True), (request.form, False))
    if sum(len(values) for values, _query in sources) > MAX_PARAMETERS:
        abort(400, description=f"The request has more than {MAX_PARAMETERS} parameters.")
    for values, query in sources:
        for name, value in values.items(multi=True):
            problem = parameter_problem(name, value, query=query)
            if problem is not None:
                raise UnusableParameter(name[:40], problem)


def digits_up_to(limit: int) -> str:
    """A regular expression for the whole numbers 0 to `limit` written in digits: shorter
    numbers, then at each digit of `limit` a smaller digit followed by any, then `limit`."""
    text = str(limit)
    parts = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for position, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - position - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            parts.append(f"{text[:position]}[0-{int(digit) - 1}]{tail}")
    return f"(?:{'|'.join([*parts, text])})"


class DatabaseInteger(IntegerConverter):
    """`<int:...>` in a route: a number up to MAX_WHOLE_NUMBER, as in the query string; a
    larger one matches no route (404 for every method: were it matched by its digits and
    refused after, a route of another method for the same path would answer 405) instead
    of reaching the database, whose driver cannot even send a number past 2**63."""

    regex = digits_up_to(MAX_WHOLE_NUMBER)

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_WHOLE_NUMBER, signed: bool = False) -> None:  # fmt: skip
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def add_security_headers(response: Response) -> Response:
    """Put the security headers on a response (keeping any a view set itself)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def add_hsts(response: Response) -> Response:
    """Tell browsers to use HTTPS only (when the app is served over HTTPS)."""
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Install the parameter guard, the headers, the cookie flags and, when configured,
    ProxyFix; before any route is added, the `int` converter routes read ids with."""
    app.url_map.converters["int"] = DatabaseInteger
    app.before_request(refuse_unusable_parameters)
    app.after_request(add_security_headers)
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
        app.after_request(add_hsts)
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
