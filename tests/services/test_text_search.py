"""The text filter `q`: a case-insensitive substring of the donor's or item's name, the
pledge's wording or notes, found through the text search index on both databases, and
the index kept in step by every write (migration 0024)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_pledge
from tests.views.helpers import add_pledge
from tracker.importers.table import import_table
from tracker.models import Donor, Item, Pledge
from tracker.models.pledge_text import PLEDGE_TEXT_TABLE, PLEDGE_TEXT_TRIGGERS
from tracker.services.pledge_list import pledge_page
from tracker.services.pledges import delete_pledge, update_pledge
from tracker.services.totals import TotalsFilter, rebuild_totals
from tracker.services.totals_filter import TRIGRAM, text_condition

# letters in both cases, a space, LIKE's and FTS5's special characters, a non-ASCII letter
ALPHABET = "abcABC x%_\\\"'*é"
texts = st.none() | st.text(ALPHABET, max_size=14)
queries = st.text(ALPHABET, min_size=1, max_size=5)


def contains(haystack: str | None, needle: str) -> bool:
    """The rule the search keeps: `needle` anywhere in `haystack`, ignoring case."""
    return haystack is not None and needle.lower() in haystack.lower()


def expected_ids(session: Session, pledges: list[Pledge], query: str) -> set[int]:
    """The pledges a plain Python substring test finds."""
    return {
        pledge.id
        for pledge in pledges
        if any(
            contains(value, query)
            for value in (
                session.get(Donor, pledge.donor_id).name,  # type: ignore[union-attr]
                session.get(Item, pledge.item_id).name,  # type: ignore[union-attr]
                pledge.item_text,
                pledge.notes,
            )
        )
    }


def found_ids(session: Session, pledges: list[Pledge], query: str) -> set[int]:
    """The pledges `text_condition` finds among `pledges`."""
    ids = [pledge.id for pledge in pledges]
    return set(session.scalars(select(Pledge.id).where(Pledge.id.in_(ids), text_condition(query))))


def assert_index_in_step(session: Session) -> None:
    """SQLite: FTS5's own check of the index, and its entries are the stored pledges with
    a text, each entered with the text stored now (every trigram of the stored wording
    finds its pledge); PostgreSQL maintains its indexes itself."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(
        text(f"INSERT INTO {PLEDGE_TEXT_TABLE} ({PLEDGE_TEXT_TABLE}) VALUES ('integrity-check')")
    )
    entered = set(session.scalars(text(f"SELECT rowid FROM {PLEDGE_TEXT_TABLE}_docsize")))
    with_text = set(
        session.scalars(
            text("SELECT id FROM pledge WHERE item_text IS NOT NULL OR notes IS NOT NULL")
        )
    )
    assert entered == with_text
    for pledge_id, wording in session.execute(
        text("SELECT id, coalesce(item_text, '') || ' ' || coalesce(notes, '') FROM pledge")
    ):
        for start in range(0, max(len(wording) - TRIGRAM, 0), 4):
            piece = wording[start : start + TRIGRAM]
            if piece.strip() == piece and " " not in piece:
                found = session.scalars(
                    select(Pledge.id).where(Pledge.id == pledge_id, text_condition(piece))
                ).all()
                assert found == [pledge_id], (pledge_id, piece)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=6), queries)
def test_search_finds_what_a_substring_test_finds(
    session: Session, wording: list[tuple[str | None, str | None]], query: str
) -> None:
    nested = session.begin_nested()
    try:
        donor, item = donor_named(session, "Germany"), item_named(session, "aid")
        pledges = [
            make_pledge(session, donor=donor, item=item, item_text=item_text, notes=notes)
            for item_text, notes in wording
        ]
        assert found_ids(session, pledges, query) == expected_ids(session, pledges, query)
    finally:
        nested.rollback()


@pytest.mark.parametrize("query", ["MISSILE", "patriot", "t mi", "50%", "a_b", '"q"', "ö"])
def test_search_is_case_insensitive_and_literal(session: Session, query: str) -> None:
    pledges = [
        make_pledge(session, item_text="Patriot missiles", notes=None),
        make_pledge(session, item_text=None, notes='up to 50% of a_b in "q" for Köln'),
        make_pledge(session, item_text="aXb 50 percent", notes="q"),
    ]
    assert found_ids(session, pledges, query) == expected_ids(session, pledges, query)
    assert found_ids(session, pledges, query)


def test_names_are_searched_too(session: Session) -> None:
    pledges = [make_pledge(session, donor=donor_named(session, "Poland")), make_pledge(session)]
    assert found_ids(session, pledges, "olan") == {pledges[0].id}
    assert found_ids(session, pledges, "no such words") == set()


def test_the_index_follows_every_write(session: Session) -> None:
    """Service create, edit and delete, a plain SQL insert, update and delete, a table
    import and a rollup rebuild: the search answers from the stored text each time."""
    made = add_pledge(session, "France", item_text="Leopard tanks", notes="first batch")
    assert found_ids(session, [made], "leopard") == {made.id}
    edited = update_pledge(
        session, made.id, {"item_text": "Marder vehicles", "notes": None},
        expected_version=made.version,
    )  # fmt: skip
    assert found_ids(session, [edited], "leopard") == set()
    assert found_ids(session, [edited], "marder") == {edited.id}
    assert found_ids(session, [edited], "batch") == set()
    delete_pledge(session, edited.id, expected_version=edited.version)
    assert pledge_page(session, TotalsFilter(text="marder")).pledges == []
    raw = make_pledge(session, item_text=None, notes="Gepard guns")
    session.execute(text("UPDATE pledge SET notes = 'IRIS-T launchers' WHERE id = :id"),
                    {"id": raw.id})  # fmt: skip
    session.expire_all()
    assert found_ids(session, [raw], "gepard") == set()
    assert found_ids(session, [raw], "iris-t") == {raw.id}
    assert_index_in_step(session)
    session.execute(text("DELETE FROM pledge WHERE id = :id"), {"id": raw.id})
    session.expunge(raw)
    assert_index_in_step(session)
    content = (
        b"donor,item,stage,amount,currency,qualifier,announced,item_text,notes\n"
        b"Germany,aid,announced,100.00,EUR,exact,2025-07-01,Skynex systems,from the table\n"
        b"Poland,aid,announced,200.00,EUR,exact,2025-07-02,,\n"
    )
    assert import_table(session, content, "wording.csv").created == 2
    rebuild_totals(session)
    imported = pledge_page(session, TotalsFilter(text="SKYNEX")).pledges
    assert [pledge.item_text for pledge in imported] == ["Skynex systems"]
    assert pledge_page(session, TotalsFilter(text="the table")).pledges == imported
    assert_index_in_step(session)


def test_short_texts_are_searched_row_by_row(session: Session) -> None:
    """A text shorter than a trigram has no index entry to look up: it is tested on the
    rows, with the same rule."""
    pledges = [make_pledge(session, item_text="F-16"), make_pledge(session, notes="an F1 car")]
    for query in ("f", "F-", "16", "1"):
        assert len(query) < TRIGRAM
        assert found_ids(session, pledges, query) == expected_ids(session, pledges, query)


def test_a_text_search_pages_by_keyset(session: Session) -> None:
    """Pages of a search continue after their last pledge, as every list does."""
    made = [
        make_pledge(session, item_text=f"drone batch {n}", announced=date(2025, 1, 1 + n))
        for n in range(7)
    ]
    seen: list[int] = []
    after = None
    while True:
        page = pledge_page(session, TotalsFilter(text="Drone"), after=after, size=3)
        seen += [pledge.id for pledge in page.pledges]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [pledge.id for pledge in reversed(made)]


def test_sqlite_keeps_the_index_by_triggers(session: Session) -> None:
    """The triggers exist at the newest schema (a later migration that rebuilds the pledge
    table on SQLite must create them again)."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps its trigram indexes itself")
    names = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert set(PLEDGE_TEXT_TRIGGERS) <= names
