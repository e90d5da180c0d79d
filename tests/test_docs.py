"""docs/cli.md documents every command the `tracker` CLI offers, and the documentation
names no command that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from tests import REPO_ROOT
from tracker.cli import main

CLI_DOC = REPO_ROOT / "docs" / "cli.md"
DOCUMENTS = sorted([REPO_ROOT / "README.md", *(REPO_ROOT / "docs").glob("*.md")])
# `tracker db upgrade` in running text, or a line of a code block that runs tracker
MENTION = re.compile(r"`(?:[^`\s]*/)?tracker ([^`\n]*)`|^\s*(?:\S*/)?tracker ([^\n]*)$", re.M)
WORD = re.compile(r"[a-z][a-z-]*")


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


def unknown_command(words: list[str]) -> str | None:
    """The command words that name nothing, e.g. "db frobnicate"; None when they resolve.

    Words are read while they name a group's subcommand; after a command, the rest are
    its arguments. A placeholder (COMMAND) or an option (--help) ends the reading.
    """
    command: click.Command = main
    used: list[str] = []
    for word in words:
        if not isinstance(command, click.Group) or not WORD.fullmatch(word):
            return None
        if word not in command.commands:
            return " ".join([*used, word])
        command = command.commands[word]
        used.append(word)
    return None


def mentions(text: str) -> list[list[str]]:
    """The words after `tracker` in each command the text shows."""
    return [(inline or line).split() for inline, line in MENTION.findall(text)]


def test_every_command_is_in_the_cli_doc() -> None:
    documented = CLI_DOC.read_text(encoding="utf-8")
    paths = command_paths(main)
    assert "tracker export totals" in paths and "tracker rates update" in paths
    missing = [path for path in paths if f"`{path}" not in documented]
    assert missing == [], f"commands missing from docs/cli.md: {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_documented_command_exists(document: Path) -> None:
    found = mentions(document.read_text(encoding="utf-8"))
    unknown = [" ".join(words) for words in found if unknown_command(words)]
    assert unknown == [], f"{document.name} shows commands tracker does not have: {unknown}"


def test_a_command_that_is_gone_is_caught() -> None:
    text = "Run `tracker db frobnicate` then\n\n    .venv/bin/tracker seed --all\n"
    assert [unknown_command(words) for words in mentions(text)] == ["db frobnicate", None]
    assert unknown_command(["rates"]) is None and unknown_command(["rate"]) == "rate"
