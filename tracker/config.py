"""Settings read from the environment, and where the package finds its own files.

Sign-in lasts for the browser session only: the app never sets Flask-Login's
remember-me cookie, so it has no settings for one. Tests pass their overrides
to `create_app` as a mapping.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The package's own folder. The wheel carries templates/, static/, migrations/,
# alembic.ini, seeds/ and mappings/ inside it; a checkout links them in (see
# pyproject.toml), so both find them here, wherever the package is installed.
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
ALEMBIC_INI = PACKAGE_DIR / "alembic.ini"
SEEDS_DIR = PACKAGE_DIR / "seeds"
MAPPINGS_DIR = PACKAGE_DIR / "mappings"
DEVELOPMENT_SECRET_KEY = "development-key-not-for-production"
ENVIRONMENTS = ("development", "production")
FALSE_WORDS = ("0", "false", "no", "off")


class ConfigError(RuntimeError):
    """The settings are unsafe or inconsistent; the app refuses to start."""


def instance_dir() -> Path:
    """The folder for the app's own files (the SQLite database, ECB rates loaded later).

    `TRACKER_INSTANCE_PATH` when set; otherwise, as Flask places instance folders,
    `<prefix>/var/tracker-instance` for a package installed into site-packages (the
    virtual environment's prefix, so every directory sees the same one) and
    `instance/` beside the package when it runs from a source tree.
    """
    configured = os.environ.get("TRACKER_INSTANCE_PATH", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    if PACKAGE_DIR.parent.name in ("site-packages", "dist-packages"):
        return Path(sys.prefix) / "var" / "tracker-instance"
    return PACKAGE_DIR.parent / "instance"


def database_url() -> str:
    """The database the app and the CLI use: `TRACKER_DATABASE_URL` or the embedded SQLite
    file `tracker.db` in the instance folder."""
    return os.environ.get("TRACKER_DATABASE_URL") or f"sqlite:///{instance_dir() / 'tracker.db'}"


def env_flag(name: str, default: bool) -> bool:
    """A yes/no setting: unset means `default`; 0, false, no, off (any case) mean no."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in FALSE_WORDS


class Config:
    """Settings for a running app; every value can come from the environment."""

    SECRET_KEY = os.environ.get("TRACKER_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    DATABASE_URL = database_url()
    ENVIRONMENT = os.environ.get("TRACKER_ENV", "development").strip().lower()
    WTF_CSRF_ENABLED = True
    TESTING = False
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024

    # Reading is open to everyone unless TRACKER_PUBLIC_READ=0; changing always needs a role.
    PUBLIC_READ = env_flag("TRACKER_PUBLIC_READ", True)
    # Served over HTTPS (directly or behind a proxy): cookies get the Secure flag.
    HTTPS = env_flag("TRACKER_HTTPS", False)
    # How many reverse proxies in front of the app set X-Forwarded-*; 0 trusts none.
    TRUSTED_PROXIES = int(os.environ.get("TRACKER_TRUSTED_PROXIES", "0") or 0)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_FAILURE_WINDOW_MINUTES = 15


def check_settings(config: Mapping[str, Any]) -> None:
    """Refuse settings that would be unsafe: an unknown environment, or production on the
    development secret key."""
    environment = config.get("ENVIRONMENT", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigError(
            f"TRACKER_ENV is {environment!r}: expected one of {', '.join(ENVIRONMENTS)}"
        )
    secret = config.get("SECRET_KEY")
    if environment == "production" and (not secret or secret == DEVELOPMENT_SECRET_KEY):
        raise ConfigError(
            "TRACKER_SECRET_KEY must be set to a long random value when TRACKER_ENV=production "
            "(the development key signs sessions anyone could forge)"
        )
    if int(config.get("TRUSTED_PROXIES", 0)) < 0:
        raise ConfigError("TRACKER_TRUSTED_PROXIES must be 0 or a positive number")
