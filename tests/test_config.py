"""Where the package finds its own files, and where it keeps the instance's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests import REPO_ROOT
from tracker import config


def test_bundled_folders_are_found_beside_the_package() -> None:
    assert Path(config.__file__).resolve().parent == config.PACKAGE_DIR
    assert (config.TEMPLATES_DIR / "base.html").is_file()
    assert (config.STATIC_DIR / "style.css").is_file()
    assert (config.MIGRATIONS_DIR / "env.py").is_file() and config.ALEMBIC_INI.is_file()
    assert any(config.SEEDS_DIR.glob("*/article.txt"))
    assert any(config.MAPPINGS_DIR.glob("*.yaml"))
    # in a checkout they are the repository's own folders, linked into the package
    assert (config.TEMPLATES_DIR / "base.html").resolve() == REPO_ROOT / "templates" / "base.html"


def test_the_instance_folder_is_the_setting_when_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "here"))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    assert config.instance_dir() == tmp_path / "here"
    assert config.database_url() == f"sqlite:///{tmp_path / 'here' / 'tracker.db'}"


def test_the_instance_folder_of_a_checkout_and_of_an_installed_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TRACKER_INSTANCE_PATH", raising=False)
    assert config.instance_dir() == REPO_ROOT / "instance"
    installed = tmp_path / "lib" / "python3.11" / "site-packages" / "tracker"
    monkeypatch.setattr(config, "PACKAGE_DIR", installed)
    assert config.instance_dir() == Path(sys.prefix) / "var" / "tracker-instance"
