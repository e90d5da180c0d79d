"""docs/limits.md states the limits the code applies: a changed limit needs the doc too."""

from __future__ import annotations

from tests import REPO_ROOT as PROJECT_ROOT
from tracker.config import Config
from tracker.importers import mapping, table_file
from tracker.limits import FIRST_DAY, LAST_DAY, SOURCE_TEXT_LIMITS, TEXT_LIMITS
from tracker.views import hardening


def test_every_limit_is_documented_with_its_value() -> None:
    doc = (PROJECT_ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    stated = {
        "MAX_COLUMNS": f"{table_file.MAX_COLUMNS:,}",
        "MAX_ROWS": f"{table_file.MAX_ROWS:,}",
        "MAX_CELL_CHARS": f"{table_file.MAX_CELL_CHARS:,}",
        "MAX_XLSX_BYTES": f"{table_file.MAX_XLSX_BYTES // (1024 * 1024)} MiB",
        "MAX_XLSX_PARTS": f"{table_file.MAX_XLSX_PARTS:,} parts",
        "MAX_MAPPING_BYTES": f"{mapping.MAX_MAPPING_BYTES // (1024 * 1024)} MB",
        "MAX_CONTENT_LENGTH": f"{Config.MAX_CONTENT_LENGTH // (1024 * 1024)} MB",
        "MAX_PARAMETERS": f"{hardening.MAX_PARAMETERS} names",
        "MAX_QUERY_VALUE_CHARS": f"{hardening.MAX_QUERY_VALUE_CHARS:,}",
        "MAX_WHOLE_NUMBER": f"{hardening.MAX_WHOLE_NUMBER:,}",
        **{f"{name} length": f"{limit:,}" for name, limit in TEXT_LIMITS.items()},
        **{f"source {name} length": f"{n:,}" for name, n in SOURCE_TEXT_LIMITS.items()},
        "FIRST_DAY": FIRST_DAY.isoformat(),
        "LAST_DAY": LAST_DAY.isoformat(),
    }
    missing = {name: text for name, text in stated.items() if text not in doc}
    assert missing == {}
    for name in ("MAX_COLUMNS", "MAX_ROWS", "MAX_CELL_CHARS", "MAX_XLSX_BYTES"):
        assert name in doc
