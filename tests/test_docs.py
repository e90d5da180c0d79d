"""The README documents every command the `tracker` CLI offers."""

from __future__ import annotations

import click

from tests import REPO_ROOT
from tracker.cli import main


def command_paths(group: click.Group, prefix: str = "tracker") -> list[str]:
    """Every runnable command below `group`, as the words a user types."""
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, path))
        else:
            paths.append(path)
    return paths


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    paths = command_paths(main)
    assert "tracker export totals" in paths and "tracker users create" in paths
    missing = [path for path in paths if path not in readme]
    assert missing == [], f"undocumented commands: {missing}"
