"""The database-formatted pledges CSV equals the cell-by-cell reference writer, byte for byte."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import make_donor, make_pledge, make_source
from tracker.export_sql import CHUNK_ROWS, FIRST_CHUNK_ROWS, pledge_csv_chunks
from tracker.exports import export_pledges, reference_pledges_csv
from tracker.models import Evidence, Report
from tracker.services.totals import TotalsFilter

AWKWARD = ["=1+2", "+A1", "-cmd", "-12.50", "+3", "-", "@SUM(A1)", "\tx", "\rx", "a\rb",
           'say "hi"', "a,b", "line\nbreak", "\\.", "", " ", "Kyiv – Київ", "é'", "-1.", "-.5",
           "+1.2.3", "-٣", "'=x", "''-1", "'-x", "'''@a", "'"]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=25),
    st.builds(lambda a, b: a + b, st.sampled_from(AWKWARD), st.text(max_size=5).filter(
        lambda text: "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text))),
)  # fmt: skip
MONEY = st.decimals(min_value=-(10**11), max_value=10**12, places=2)
QUANTITY = st.decimals(min_value=0, max_value=10**9, places=3)
RATE = st.decimals(min_value=Decimal("0.00000001"), max_value=1000, places=8)
STAMP = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))


def _clip(text: str | None, length: int) -> str | None:
    """Text within a column's length."""
    return None if text is None else text[:length]


@st.composite
def pledge_fields(draw: Any) -> dict[str, Any]:
    """Fields of one pledge with awkward text, every kind of number and some empty cells."""
    maybe = lambda strategy: st.none() | strategy  # noqa: E731
    has_amount = draw(st.booleans())
    fields: dict[str, Any] = {
        "item_text": _clip(draw(maybe(TEXT)), 300),
        "qualifier_text": _clip(draw(maybe(TEXT)), 100),
        "unit": _clip(draw(maybe(TEXT)), 40),
        "review_flag": _clip(draw(maybe(TEXT)), 500),
        "rate_origin": _clip(draw(maybe(TEXT)), 100),
        "source_ref": _clip(draw(maybe(TEXT)), 64),
        "notes": draw(maybe(TEXT)),
        "quantity": draw(maybe(QUANTITY)) if has_amount else draw(QUANTITY),
        "quantity_lower": draw(maybe(QUANTITY)),
        "amount": draw(MONEY) if has_amount else None,
        "currency": "GBP" if has_amount else None,
        "amount_upper": draw(maybe(MONEY)),
        "eur": draw(maybe(MONEY)),
        "usd": draw(maybe(MONEY)),
        "eur_rate": draw(maybe(RATE)),
        "usd_rate": draw(maybe(RATE)),
        "allocated_quantity": draw(maybe(QUANTITY)),
        "delivered_amount": draw(maybe(MONEY)),
        "is_correction": True,
        "reviewed": draw(st.booleans()),
        "announced": draw(maybe(st.dates(date(1, 1, 1), date(2100, 1, 1)))),
        "delivered_on": draw(maybe(st.dates(date(1990, 1, 1), date(2100, 1, 1)))),
        "allocated_on": draw(maybe(st.dates(date(1990, 1, 1), date(2100, 1, 1)))),
        "updated_at": draw(STAMP).replace(tzinfo=UTC),
    }
    return fields


def _add(session: Session, fields: dict[str, Any], donor_name: str, url: str | None) -> None:
    """One pledge from a donor called `donor_name`, with a source, evidence and two reports."""
    source = make_source(session, url=url, title="t")
    evidence = Evidence(source=source, start=0, end=1, text=url or "=evidence")
    session.add(evidence)
    donor = make_donor(session, name=donor_name)
    pledge = make_pledge(session, donor=donor, source_id=source.id, evidence=evidence, **fields)
    other = make_source(session, url="https://example.org/a,b")
    for report_source in (source, other):
        session.add(Report(pledge_id=pledge.id, source_id=report_source.id, role="corroborates"))
    session.flush()


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.tuples(pledge_fields(), TEXT, st.none() | TEXT), min_size=1, max_size=4))
def test_database_formatted_csv_equals_the_reference_writer(
    session: Session, rows: list[tuple[dict[str, Any], str, str | None]]
) -> None:
    nested = session.begin_nested()
    try:
        for number, (fields, donor, url) in enumerate(rows):
            _add(session, fields, f"{donor[:150]} #{number}", _clip(url, 2000))
        expected = b"".join(reference_pledges_csv(session, None))
        assert b"".join(pledge_csv_chunks(session, None)) == expected
        assert b"".join(export_pledges(session, None, "csv")) == expected
    finally:
        nested.rollback()


def test_filters_and_empty_exports_match_the_reference(session: Session) -> None:
    make_pledge(session, notes="kept", kind="military", announced=date(2025, 1, 2))
    make_pledge(session, notes="left out", announced=date(2024, 1, 2))
    for filters in (TotalsFilter(start=date(2025, 1, 1)), TotalsFilter(text="kept"),
                    TotalsFilter(kind="humanitarian")):  # fmt: skip
        expected = b"".join(reference_pledges_csv(session, filters))
        assert b"".join(pledge_csv_chunks(session, filters)) == expected
    only_header = b"".join(pledge_csv_chunks(session, TotalsFilter(kind="humanitarian")))
    assert only_header.count(b"\n") == 1


def test_rows_past_the_first_range_all_arrive_in_id_order(session: Session) -> None:
    donor = make_donor(session)
    for number in range(FIRST_CHUNK_ROWS + 3):
        make_pledge(session, donor=donor, notes=f"n{number}")
    lines = b"".join(pledge_csv_chunks(session, None)).decode().splitlines()[1:]
    ids = [int(line.split(",")[0]) for line in lines]
    assert len(ids) == FIRST_CHUNK_ROWS + 3 and ids == sorted(ids)
    assert FIRST_CHUNK_ROWS < CHUNK_ROWS


def test_rows_quoted_apart_are_rewritten_in_any_block_and_range(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks of two rows and ranges of three: the rows COPY quotes where the csv module
    does not (a carriage return, `\\.`) are found and rewritten wherever they fall."""
    import tracker.export_sql as export_sql

    monkeypatch.setattr(export_sql, "BLOCK_ROWS", 2)
    monkeypatch.setattr(export_sql, "FIRST_CHUNK_ROWS", 3)
    monkeypatch.setattr(export_sql, "CHUNK_ROWS", 3)
    donor = make_donor(session)
    for notes in ("plain", "a\rb", "\\.", "x", None, "=1", "\rx", "-12.50", "y", "\\."):
        make_pledge(session, donor=donor, notes=notes)
    expected = b"".join(reference_pledges_csv(session, None))
    chunks = list(pledge_csv_chunks(session, None))
    assert b"".join(chunks) == expected
    assert len(chunks) >= 5  # the header, then ranges of three rows (blocks of two on PostgreSQL)
    assert expected.count(b"\n") == 11


def test_word_columns_only_ever_hold_words_that_need_no_quoting_or_guard() -> None:
    from tracker.export_cells import neutralise_formula
    from tracker.export_sql import WORD_COLUMNS
    from tracker.models import Pledge
    from tracker.models.pledge import CONVERSION_STATUSES
    from tracker.reference import KINDS, PRECISIONS, QUALIFIERS, STAGES

    words = {
        "kind": KINDS,
        "stage": STAGES,
        "qualifier": QUALIFIERS,
        "announced_precision": PRECISIONS,
        "conversion_status": CONVERSION_STATUSES,
    }
    checks = {str(c.name) for c in Pledge.__table__.constraints if c.name}
    for column in WORD_COLUMNS:
        assert any(column in name for name in checks), column  # a CHECK guards it
        for word in words.get(column, ()):
            assert neutralise_formula(word) == word and not set(word) & set(',"\n\r')
