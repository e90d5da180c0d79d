"""`/healthz`: the process is up and serving, without touching the database."""

from __future__ import annotations

from flask import Blueprint, Flask, Response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Answer "ok" as plain text; load balancers and the benchmark call it."""
    return Response("ok\n", mimetype="text/plain")


def init_app(app: Flask) -> None:
    """Register the health check."""
    app.register_blueprint(bp)
