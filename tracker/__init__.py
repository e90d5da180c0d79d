"""The pledge tracker: who promised what, to whom, when, how sure, and where it was read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by `create_app` alone: the core's modules run without Flask
    from flask import Flask


def create_app(config: dict[str, Any] | type | None = None) -> Flask:
    """Build the web app; `config` (a mapping or a Config class) overrides the environment's.

    Raises ConfigError for unsafe settings (the development secret key in production).
    """
    from flask import Flask

    from tracker.config import STATIC_DIR, TEMPLATES_DIR, Config, check_settings
    from tracker.views import register_views

    app = Flask(__name__, template_folder=TEMPLATES_DIR, static_folder=STATIC_DIR)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    check_settings(app.config)

    register_views(app)
    return app
