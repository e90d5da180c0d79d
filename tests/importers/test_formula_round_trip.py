"""Text the pledges export guards against formulas (a leading apostrophe) comes back from
our own table import exactly as it was: the guard taken off, the text's own apostrophes
kept, on both databases (their exports are formatted by SQL)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge
from tracker.export_cells import FORMULA_STARTS, GUARD, neutralise_formula, restore_formula
from tracker.exports import export_pledges
from tracker.importers.table import import_table
from tracker.importers.table_file import read_table

# What a cell may hold after its start: any character but the control ones a table never
# holds, line breaks included. The pledge service stores text trimmed (a tab or carriage
# return start only survives inside), so the stored texts drawn are trimmed too.
BODY = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n"), max_size=12)
STARTS = st.sampled_from([*FORMULA_STARTS, GUARD, GUARD * 2, GUARD + "-", ""])
GUARDED_TEXT = st.builds(lambda start, body: start + body, STARTS, BODY).filter(
    lambda text: text.strip() and text == text.rstrip()
)
STORED_TEXT = GUARDED_TEXT.filter(lambda text: text == text.strip())


@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=12) | GUARDED_TEXT)
def test_restore_takes_off_exactly_the_guard_that_neutralise_put_on(text: str) -> None:
    guarded = neutralise_formula(text)
    assert guarded in (text, GUARD + text)
    assert restore_formula(guarded) == text
    assert neutralise_formula(restore_formula(guarded)) == guarded


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.tuples(STORED_TEXT, STORED_TEXT), min_size=1, max_size=3))
def test_the_pledges_export_imports_back_with_the_same_text(
    session: Session, texts: list[tuple[str, str]]
) -> None:
    pledges = [add_pledge(session, notes=notes, item_text=worded) for notes, worded in texts]
    exported = b"".join(export_pledges(session, None, "csv"))
    frame = read_table(exported, "pledges.csv").set_index("id")
    for pledge, (notes, worded) in zip(pledges, texts, strict=True):
        assert frame.loc[str(pledge.id), "notes"] == notes
        assert frame.loc[str(pledge.id), "item_text"] == worded
    result = import_table(session, exported, "pledges.csv")
    assert (result.updated, result.unchanged) == (0, len(frame))
    for pledge, (notes, worded) in zip(pledges, texts, strict=True):
        session.refresh(pledge)
        assert (pledge.notes, pledge.item_text) == (notes, worded)
