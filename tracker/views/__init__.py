"""Flask blueprints: thin views over the services, one blueprint per area."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


def register_views(app: Flask) -> None:
    """Wire the database session, CSRF protection, template helpers, error pages and blueprints."""
    from tracker.views import (
        access,
        api,
        api_writes,
        audit,
        auth,
        dashboard,
        database,
        donors,
        errors,
        exports,
        formatting,
        hardening,
        health,
        imports,
        items,
        pledge_reports,
        pledges,
        requests,
        review,
        sources,
        users,
    )

    database.init_app(app)
    csrf.init_app(app)
    formatting.init_app(app)
    errors.init_app(app)
    hardening.init_app(app)
    access.init_app(app)
    areas = [
        auth,
        dashboard,
        pledges,
        pledge_reports,
        donors,
        items,
        sources,
        review,
        exports,
        api,
        audit,
        health,
    ]
    for area in [*areas, imports, requests, users]:
        area.init_app(app)
    # The JSON API does not use browser forms; its writes are guarded by their own checks.
    csrf.exempt(api_writes.bp)
