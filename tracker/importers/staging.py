"""Uploaded tables kept between a dry run and the real import, and the shipped mappings.

A dry run stores the uploaded table (and mapping) under a random token in a folder
of the instance directory; the real import reads them back by that token, so the
analyst does not upload twice. Each kept upload is size-limited, and uploads older
than `max_age` are removed whenever another is kept; an import removes its own.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from tracker.config import MAPPINGS_DIR

MAPPING_SUFFIXES = (".yaml", ".yml", ".json")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
KEPT_MAX_AGE_SECONDS = 2 * 60 * 60
KEPT_MAX_BYTES = 32 * 1024 * 1024


class StagingError(ValueError):
    """A kept upload that cannot be stored or found (expired, unknown or too large)."""


@dataclass(frozen=True)
class KeptFile:
    """One uploaded file: the name it was uploaded under and its bytes."""

    name: str
    content: bytes


def shipped_mappings(folder: Path = MAPPINGS_DIR) -> dict[str, Path]:
    """The mapping files that come with the app, by file name, sorted."""
    if not folder.is_dir():
        return {}
    return {
        path.name: path
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix in MAPPING_SUFFIXES
    }


def mapping_title(path: Path) -> str:
    """A mapping's `name:` line when it has one, else its file name (for the chooser)."""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:40]:
        if line.startswith("name:"):
            return line.removeprefix("name:").strip().strip("\"'") or path.name
    return path.name


class UploadStore:
    """Uploads kept on disk by token; see the module's docstring."""

    def __init__(
        self,
        root: Path,
        *,
        max_age_seconds: int = KEPT_MAX_AGE_SECONDS,
        max_bytes: int = KEPT_MAX_BYTES,
    ) -> None:
        """Keep uploads under `root` (created when first needed)."""
        self.root = root
        self.max_age_seconds = max_age_seconds
        self.max_bytes = max_bytes

    def keep(self, files: dict[str, KeptFile]) -> str:
        """Store the files (by role: "table", "mapping") and return their token."""
        size = sum(len(f.content) for f in files.values())
        if size > self.max_bytes:
            raise StagingError(
                f"the upload is {size:,} bytes; at most {self.max_bytes:,} bytes are kept"
            )
        self.sweep()
        token = secrets.token_urlsafe(16)
        folder = self.root / token
        folder.mkdir(parents=True, mode=0o700)
        names = {}
        for role, kept in files.items():
            (folder / role).write_bytes(kept.content)
            names[role] = kept.name
        (folder / "names.json").write_text(json.dumps(names), encoding="utf-8")
        return token

    def load(self, token: str) -> dict[str, KeptFile]:
        """The files kept under `token`; StagingError when it is malformed or gone."""
        folder = self._folder(token)
        names = json.loads((folder / "names.json").read_text(encoding="utf-8"))
        return {role: KeptFile(name, (folder / role).read_bytes()) for role, name in names.items()}

    def discard(self, token: str) -> None:
        """Remove the files kept under `token` (nothing when already gone)."""
        if TOKEN.match(token or ""):
            shutil.rmtree(self.root / token, ignore_errors=True)

    def sweep(self) -> None:
        """Remove every kept upload older than the maximum age."""
        if not self.root.is_dir():
            return
        oldest = time.time() - self.max_age_seconds
        for folder in self.root.iterdir():
            if folder.is_dir() and TOKEN.match(folder.name) and folder.stat().st_mtime < oldest:
                shutil.rmtree(folder, ignore_errors=True)

    def _folder(self, token: str) -> Path:
        """The folder of a live token."""
        if not TOKEN.match(token or ""):
            raise StagingError("the kept upload's token is malformed: upload the file again")
        folder = self.root / token
        if not (folder / "names.json").is_file():
            raise StagingError("the kept upload has expired or was imported: upload it again")
        return folder
