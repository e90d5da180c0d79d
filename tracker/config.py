"""Settings read from the environment, with a class per use (tests subclass it)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'tracker.db'}"
DEVELOPMENT_SECRET_KEY = "development-key-not-for-production"


def database_url() -> str:
    """The database the app and the CLI use: `TRACKER_DATABASE_URL` or the embedded SQLite file."""
    return os.environ.get("TRACKER_DATABASE_URL") or DEFAULT_DATABASE_URL


class Config:
    """Settings for a running app; every value can come from the environment."""

    SECRET_KEY = os.environ.get("TRACKER_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    DATABASE_URL = database_url()
    WTF_CSRF_ENABLED = True
    TESTING = False
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024


class TestConfig(Config):
    """Settings for the test suite: the tests supply the database session themselves."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
