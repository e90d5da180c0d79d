"""What makes two table files the same dataset: their rows, not their bytes.

The same table saved as UTF-8, UTF-8 with a byte-order mark, Windows-1252 or UTF-16, with
CRLF or LF line endings, is one dataset: `rows_sha256` hashes the table as read (column
names, then each row's number and cells, in Unicode NFC with line breaks as LF), so an
import of it again finds the dataset and adds nothing. `file_sha256` is the hash of the
bytes, kept as evidence of the exact file imported.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata

import pandas as pd

_LINE_BREAK = r"\r\n?"


def _canonical(cells: list[str]) -> bytes:
    """The cells as one JSON array, in NFC, UTF-8."""
    text = json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    return unicodedata.normalize("NFC", text).encode("utf-8")


def rows_sha256(frame: pd.DataFrame) -> str:
    """The SHA-256 of the table `read_table` gave: the same rows in any encoding or line
    endings give the same hash. Columns are hashed one after another, in file order."""
    digest = hashlib.sha256()
    names = [str(name) for name in frame.columns]
    digest.update(_canonical(names))
    for name in names:
        cells = frame[name].astype(str)
        if cells.str.contains("\r", regex=False).any():
            cells = cells.str.replace(_LINE_BREAK, "\n", regex=True)
        digest.update(_canonical(cells.tolist()))
    return digest.hexdigest()


def file_sha256(content: bytes) -> str:
    """The SHA-256 of the file's bytes."""
    return hashlib.sha256(content).hexdigest()
