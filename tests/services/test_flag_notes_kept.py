"""A pledge's review flag keeps the notes others wrote: a reconversion at newer rates and
an edit replace only the notes they derive (on a stated conversion; on a number moved off
the evidence; on stage figures against a changed promise), added beside the others."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import donor_named
from tests.services.test_edit_stage_flags import delivered_pledge
from tests.services.test_reconvert import JULY_10, load_newer_rates
from tests.services.test_totals import give
from tests.views.helpers import add_article_with_evidence
from tracker.services.pledge_numbers import (
    NOTE_SEPARATOR,
    early_stage_note,
    is_stage_note,
    is_stated_conversion_note,
    stated_review_flag,
    with_stated_note,
)
from tracker.services.pledges import update_pledge
from tracker.services.reconvert import reconvert_stale

EARLIER = "may update any of #3, #4: link it or keep it separate"


def stated_notes(flag: str | None) -> list[str]:
    """The stated-conversion notes of a review flag."""
    return [n for n in (flag or "").split(NOTE_SEPARATOR) if is_stated_conversion_note(n)]


def test_a_reconversion_keeps_the_earlier_note(
    session: Session, rates_to_cutoff: Path, tmp_path: Path
) -> None:
    uk = donor_named(session, "United Kingdom")
    pounds = give(session, uk, amount="1000000", currency="GBP", announced=JULY_10)
    pounds.review_flag = EARLIER
    session.flush()
    assert pounds.conversion_status == "stale"
    load_newer_rates(tmp_path)
    assert reconvert_stale(session).changed == 1
    assert pounds.conversion_status == "converted" and pounds.review_flag == EARLIER


def test_a_reconversion_replaces_its_own_note_and_keeps_the_others(
    session: Session, rates_to_cutoff: Path, tmp_path: Path
) -> None:
    uk = donor_named(session, "United Kingdom")
    pounds = give(
        session, uk, amount="1000000", currency="GBP", announced=JULY_10,
        stated_amount="2000000", stated_currency="USD",
    )  # fmt: skip
    [before] = stated_notes(pounds.review_flag)
    pounds.review_flag = f"{pounds.review_flag}{NOTE_SEPARATOR}{EARLIER}"
    session.flush()
    load_newer_rates(tmp_path)
    reconvert_stale(session)
    [after] = stated_notes(pounds.review_flag)
    assert after != before  # the ECB figure at the newer rates
    assert after == stated_review_flag(
        Decimal("1000000"), "GBP", Decimal("2000000"), "USD", JULY_10
    )
    assert pounds.review_flag == f"{EARLIER}{NOTE_SEPARATOR}{after}"


def test_an_edit_that_adds_its_note_keeps_the_earlier_one(session: Session) -> None:
    _, pledge = add_article_with_evidence(session)  # "more than 5,000 air defence missiles"
    pledge.review_flag = EARLIER
    session.flush()
    update_pledge(session, pledge.id, {"quantity": 6000}, expected_version=pledge.version)
    assert pledge.review_flag == (
        f"{EARLIER}{NOTE_SEPARATOR}edited: quantity 6000 not stated in the evidence sentence"
    )


def test_an_edit_that_drops_the_stated_conversion_drops_only_its_note(session: Session) -> None:
    pledge = give(
        session, donor_named(session, "United Kingdom"), amount="1000000", currency="GBP",
        stated_amount="2000000", stated_currency="USD",
    )  # fmt: skip
    pledge.review_flag = f"{EARLIER}{NOTE_SEPARATOR}{pledge.review_flag}"
    session.flush()
    changes = {"stated_amount": None, "stated_currency": None}
    update_pledge(session, pledge.id, changes, expected_version=pledge.version)
    assert pledge.review_flag == EARLIER
    pledge.review_flag = None
    session.flush()
    update_pledge(session, pledge.id, {"notes": "checked"}, expected_version=pledge.version)
    assert pledge.review_flag is None


NOTES = st.text(st.characters(blacklist_characters=";", blacklist_categories=("Cs",)), min_size=1)
OTHER_NOTES = st.lists(NOTES.filter(lambda n: not is_stated_conversion_note(n)), max_size=4)
STATED = st.builds(
    lambda gap: f"stated conversion $1.0m differs from the ECB figure $1.{gap}m, more than 2%",
    st.integers(1, 9),
)


@given(others=OTHER_NOTES, old=st.lists(STATED, max_size=2), new=st.none() | STATED)
def test_the_stated_note_is_replaced_in_any_flag(
    others: list[str], old: list[str], new: str | None
) -> None:
    flag = NOTE_SEPARATOR.join([*old, *others]) or None
    result = with_stated_note(flag, new)
    parts = (result or "").split(NOTE_SEPARATOR) if result else []
    assert [p for p in parts if not is_stated_conversion_note(p)] == [p for p in others if p]
    assert stated_notes(result) == ([] if new is None else [new])


def test_an_edit_moving_the_number_again_replaces_its_own_note_only(session: Session) -> None:
    _, pledge = add_article_with_evidence(session)  # "more than 5,000 air defence missiles"
    pledge.review_flag = EARLIER
    session.flush()
    for quantity in (6000, 7000):
        update_pledge(session, pledge.id, {"quantity": quantity}, expected_version=pledge.version)
        assert pledge.review_flag == (
            f"{EARLIER}{NOTE_SEPARATOR}edited: quantity {quantity} not stated in the evidence "
            "sentence"
        )
    update_pledge(session, pledge.id, {"notes": "checked"}, expected_version=pledge.version)
    assert pledge.review_flag.endswith("quantity 7000 not stated in the evidence sentence")
    update_pledge(session, pledge.id, {"quantity": 5000}, expected_version=pledge.version)
    assert pledge.review_flag == EARLIER


def test_an_edit_of_the_promise_restates_the_stage_notes_and_keeps_the_others(
    session: Session,
) -> None:
    pledge = delivered_pledge(session)  # 100 missiles promised, 40 delivered
    update_pledge(session, pledge.id, {"quantity": 30}, expected_version=pledge.version)
    pledge.review_flag = f"{EARLIER}{NOTE_SEPARATOR}{pledge.review_flag}"
    session.flush()
    update_pledge(session, pledge.id, {"quantity": 35}, expected_version=pledge.version)
    over = "delivered 40 missiles is more than the promised 35 missiles: check the reports"
    assert pledge.review_flag == f"{EARLIER}{NOTE_SEPARATOR}{over}"
    update_pledge(session, pledge.id, {"quantity": 50}, expected_version=pledge.version)
    assert pledge.review_flag == EARLIER


def test_the_stage_notes_are_worded_as_before_and_known_as_stage_notes() -> None:
    day, announced = date(2025, 7, 1), date(2025, 7, 10)
    early = early_stage_note("delivered", day, announced)
    assert early == (
        "delivered on 2025-07-01, before the pledge was announced (2025-07-10): check the dates"
    )
    assert is_stage_note(early) and not is_stage_note(EARLIER)
