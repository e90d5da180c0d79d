"""A dataset is known by its rows: the same table saved in another encoding (UTF-8, UTF-8
with a byte-order mark, Windows-1252, UTF-16) or with other line endings imports once."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.importers.table import import_note, import_table
from tracker.importers.table_file import read_table
from tracker.importers.table_identity import file_sha256, rows_sha256
from tracker.models import AuditEvent, Pledge, Source
from tracker.models.audit import NOTE_LENGTH

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
SAVED = st.tuples(st.sampled_from(ENCODINGS), st.sampled_from(("\n", "\r\n")))
# Notes a spreadsheet could save in any of the encodings (Windows-1252 holds these letters)
NOTE = st.text(st.sampled_from("abcxyz ,;\"'éüßÉ€–çø"), max_size=25)
ROW = st.tuples(
    st.sampled_from(("Germany", "France", "Norway", "United Kingdom")),
    st.integers(1, 10**9),
    NOTE,
)


def table(rows: list[tuple[str, int, str]], encoding: str, newline: str) -> bytes:
    """The rows as our pledges table, saved as `encoding` with `newline` line endings."""
    lines = ["donor,item,amount,currency,notes"]
    for donor, amount, note in rows:
        quoted = '"' + note.replace('"', '""') + '"'
        lines.append(f"{donor},aid,{amount},EUR,{quoted}")
    return (newline.join(lines) + newline).encode(encoding)


def _also_utf8(data: bytes, saved: tuple[str, str]) -> bool:
    """True for Windows-1252 bytes that are also UTF-8 of other letters ("É–" saved as
    C9 96 reads "ɖ"): no decoding can tell which was meant, and the import reads UTF-8."""
    if saved[0] != "cp1252" or data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def counts(session: Session) -> tuple[int | None, ...]:
    """How many pledges, sources and audit events there are."""
    models = (Pledge, Source, AuditEvent)
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in models)


@settings(max_examples=20)
@given(rows=st.lists(ROW, min_size=1, max_size=5), first=SAVED, second=SAVED)
def test_the_rows_hash_ignores_encoding_and_line_endings(
    rows: list[tuple[str, int, str]], first: tuple[str, str], second: tuple[str, str]
) -> None:
    one, other = table(rows, *first), table(rows, *second)
    assume(not (_also_utf8(one, first) or _also_utf8(other, second)))
    assert rows_sha256(read_table(one, "a.csv")) == rows_sha256(read_table(other, "b.csv"))
    assert (file_sha256(one) == file_sha256(other)) == (one == other)


@settings(max_examples=10)
@given(rows=st.lists(ROW, min_size=1, max_size=4), first=SAVED, second=SAVED)
def test_other_rows_are_another_dataset(
    rows: list[tuple[str, int, str]], first: tuple[str, str], second: tuple[str, str]
) -> None:
    changed = [*rows[:-1], (rows[-1][0], rows[-1][1] + 1, rows[-1][2])]
    one, other = table(rows, *first), table(changed, *second)
    assert rows_sha256(read_table(one, "a.csv")) != rows_sha256(read_table(other, "b.csv"))


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=4), first=SAVED, second=SAVED)
def test_the_same_rows_in_another_encoding_import_nothing_again(
    session: Session,
    rows: list[tuple[str, int, str]],
    first: tuple[str, str],
    second: tuple[str, str],
) -> None:
    savepoint = session.begin_nested()
    try:
        before = counts(session)
        imported = import_table(session, table(rows, *first), "pledges.csv")
        assert imported.created == len(rows)
        after_first = counts(session)
        assert after_first[0] == before[0] + len(rows)
        again = import_table(session, table(rows, *second), "pledges-resaved.csv")
        assert again.created == 0 and again.skipped == len(rows)
        assert again.source_id == imported.source_id
        assert counts(session) == after_first
        note = session.scalar(
            select(AuditEvent.note)
            .where(AuditEvent.action == "import")
            .order_by(AuditEvent.id.desc())
        )
        assert note is not None and file_sha256(table(rows, *first)) in note
    finally:
        savepoint.rollback()


@given(
    summary=st.text(max_size=2 * NOTE_LENGTH),
    file_hash=st.text("0123456789abcdef", min_size=64, max_size=64),
)
def test_the_import_note_keeps_the_file_hash_whole_however_long_the_summary(
    summary: str, file_hash: str
) -> None:
    note = import_note(summary, file_hash)
    assert len(note) <= NOTE_LENGTH
    assert note.endswith(f" (file SHA-256 {file_hash})")
    assert summary.startswith(note.removesuffix(f" (file SHA-256 {file_hash})"))
