"""COPY text as PostgreSQL reads it: one line a row, tabs between fields, \\N for NULL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from tracker.importers.pledge_text import copy_text


def test_every_kind_of_value_is_written_as_copy_reads_it() -> None:
    columns = {
        "amount": [Decimal("1.50"), None, Decimal("-2")],
        "rate": [Decimal("0.8338")] * 3,
        "announced": [date(2024, 2, 29), date(2024, 2, 29), None],
        "created_at": [datetime(2024, 3, 1, 12, 0, tzinfo=UTC)] * 3,
        "reviewed": [True, False, True],
        "donor_id": [7, 7, 12],
        "notes": ["tab\there", "line\nbreak", "back\\slash"],
    }
    assert copy_text(columns).splitlines() == [
        "1.50\t0.8338\t2024-02-29\t2024-03-01T12:00:00+00:00\tt\t7\ttab\\there",
        "\\N\t0.8338\t2024-02-29\t2024-03-01T12:00:00+00:00\tf\t7\tline\\nbreak",
        "-2\t0.8338\t\\N\t2024-03-01T12:00:00+00:00\tt\t12\tback\\\\slash",
    ]
    assert copy_text(columns).endswith("\n")


def test_no_rows_is_no_text() -> None:
    assert copy_text({"amount": [], "notes": []}) == ""
    assert copy_text({"notes": [""]}) == "\n"
