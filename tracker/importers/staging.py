"""Uploaded tables kept between a dry run and the real import, and the shipped mappings.

A dry run stores the uploaded table (and mapping) under a random token in a folder
of the instance directory; the real import reads them back by that token, so the
analyst does not upload twice, and imports exactly what was previewed: the choices
previewed (mapping, reviewed) are kept beside the files, and an import with other choices
is refused with a request for a new preview. Each kept upload is size-limited, and uploads older
than `max_age` are removed whenever another is kept; an import removes its own.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tracker.config import MAPPINGS_DIR

MAPPING_SUFFIXES = (".yaml", ".yml", ".json")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
KEPT_MAX_AGE_SECONDS = 2 * 60 * 60
KEPT_MAX_BYTES = 32 * 1024 * 1024
PREVIEWED = "previewed.json"


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


@dataclass(frozen=True)
class PreviewedChoices:
    """What a dry run previewed besides the kept files: the shipped mapping chosen ("" for
    none or an uploaded one, which is kept with the files), the SHA-256 of that mapping's
    text, and whether the new pledges count as reviewed. The import runs only with these."""

    shipped: str = ""
    shipped_sha256: str = ""
    reviewed: bool = False

    @classmethod
    def of(cls, shipped: str, reviewed: bool, *, uploaded_mapping: bool) -> PreviewedChoices:
        """The choices of a request; an unknown shipped name is kept as given (refused later)."""
        if uploaded_mapping:
            return cls(reviewed=reviewed)
        path = shipped_mappings().get(shipped)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""
        return cls(shipped, digest, reviewed)

    def changes_from(self, previewed: PreviewedChoices) -> list[str]:
        """What differs from the `previewed` choices, in words ([] when nothing)."""
        changes = []
        if self.shipped != previewed.shipped:
            was, now = previewed.shipped or "none", self.shipped or "none"
            changes.append(f"the column mapping was {was} and is now {now}")
        elif self.shipped_sha256 != previewed.shipped_sha256:
            changes.append(f"the column mapping {self.shipped} was changed on the server")
        if self.reviewed != previewed.reviewed:
            state = "ticked" if self.reviewed else "cleared"
            changes.append(f'"import as reviewed" was {state}')
        return changes


class PreviewChanged(StagingError):
    """An import whose choices are not those its dry run previewed."""

    def __init__(self, changes: list[str]) -> None:
        super().__init__(
            f"nothing was imported: {'; '.join(changes)} since the preview. "
            "Preview again to see what these choices import."
        )


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

    def keep(
        self, files: dict[str, KeptFile], choices: PreviewedChoices = PreviewedChoices()
    ) -> str:
        """Store the files (by role: "table", "mapping") and the choices previewed with them,
        and return their token."""
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
        self.remember(token, choices)
        return token

    def remember(self, token: str, choices: PreviewedChoices) -> None:
        """Record the choices a dry run of the files under `token` previewed."""
        path = self._folder(token) / PREVIEWED
        path.write_text(json.dumps(asdict(choices)), encoding="utf-8")

    def check_previewed(self, token: str, choices: PreviewedChoices) -> None:
        """Refuse (PreviewChanged) an import of the files under `token` with other choices
        than their dry run previewed."""
        path = self._folder(token) / PREVIEWED
        if not path.is_file():
            raise PreviewChanged(["the choices of the preview were not kept"])
        previewed = PreviewedChoices(**json.loads(path.read_text(encoding="utf-8")))
        changes = choices.changes_from(previewed)
        if changes:
            raise PreviewChanged(changes)

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
