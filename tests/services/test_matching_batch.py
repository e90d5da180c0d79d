"""The batched reads of matching decide as `classify` over every candidate would.

A table's rows are paired with the stored pledges by the database, which lets through
only the pairs whose item is the same or whose number may agree (`may_agree`); an
article's pledges share one query. Both must give the answer of the rules applied to
every live pledge of the same donor and recipient in the window, oldest first for a
table, as before they were batched. Figures are drawn around the rules' edges (0.5% and
1% apart, ranges, unknown numbers, figures of 0, other currencies).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tracker.importers.stage_reports import stated_pledge
from tracker.models import Item, Pledge
from tracker.services import match_candidates
from tracker.services.match_candidates import (
    CANDIDATE_COLUMNS,
    CATEGORY_ARRAY_LIMIT,
    SQLITE_PAIRING_INDEX,
    Pair,
    bucket_days,
    day_bucket,
)
from tracker.services.matching import (
    MATCH_DAYS,
    SAME_CURRENCY_GAP,
    SAME_EUR_GAP,
    Figures,
    Match,
    Stated,
    classify,
    find_match,
    match_many,
    number_verdict,
)
from tracker.services.pledges import PledgeInput, create_pledge, delete_pledge

DAY = date(2024, 3, 1)
BASE = Decimal("1000000")
ITEMS = ("air defence missiles", "air defence systems", "aid", "grant")  # two of each category
QUALIFIERS = ("exact", "about", "at_least", "up_to", "unknown")


@st.composite
def figures(draw: st.DrawFn) -> dict[str, Any]:
    """A pledge's number: a quantity or an amount near BASE, edges of the gaps included."""
    qualifier = draw(st.sampled_from(QUALIFIERS + ("exact",) * 5))
    if qualifier == "unknown":
        return {"qualifier": qualifier}
    steps = draw(st.integers(-12, 12))  # tenths of a percent away from BASE
    number = BASE * (1 + Decimal(steps) / 1000)
    if draw(st.integers(0, 9)) == 0:
        number = Decimal(0)  # a figure of 0 states no number (a Kiel commitment of €0)
    if draw(st.booleans()):
        return {"qualifier": qualifier, "quantity": number}
    currency = draw(st.sampled_from(("EUR", "EUR", "GBP", "USD")))
    return {"qualifier": qualifier, "amount": number, "currency": currency}


pledge_specs = st.fixed_dictionaries(
    {
        "donor": st.sampled_from(("United Kingdom", "Germany")),
        "item": st.sampled_from(ITEMS),
        "day": st.integers(-17, 16).map(lambda day: None if day == -17 else day),
        "figures": figures(),
    }
)


def _input(session: Session, spec: dict[str, Any]) -> PledgeInput:
    """The pledge service's input for a drawn pledge."""
    day = None if spec["day"] is None else DAY + timedelta(days=spec["day"])
    return PledgeInput(
        donor_id=donor_named(session, spec["donor"]).id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, spec["item"]).id,
        announced=day,
        **spec["figures"],
    )


def _stated(session: Session, pledge: Pledge, source_id: int | None) -> Stated:
    """What matching compares of a stored pledge, restated by another source."""
    item = session.get_one(Item, pledge.item_id)
    return Stated(
        pledge.donor_id, pledge.recipient_id, pledge.item_id, item.category_id,
        pledge.announced, Figures.of(pledge), source_id,
    )  # fmt: skip


def _reference(session: Session, one: Stated) -> Match:
    """The rules over every live pledge of the donor and recipient in the window."""
    rows = session.execute(
        select(Pledge, Item.category_id)
        .join(Item, Item.id == Pledge.item_id)
        .where(Pledge.deleted_at.is_(None), Pledge.duplicate_of_id.is_(None))
        .order_by(Pledge.id)
    ).all()
    window = timedelta(days=MATCH_DAYS)
    candidates = [
        (pledge, category)
        for pledge, category in rows
        if pledge.donor_id == one.donor_id
        and pledge.recipient_id == one.recipient_id
        and (
            pledge.announced is None and one.announced is None
            or pledge.announced is not None and one.announced is not None
            and abs(pledge.announced - one.announced) <= window
        )
    ]  # fmt: skip
    candidates.sort(key=lambda pair: pair[0].announced or date.min)
    return classify(one, candidates) if candidates else Match("new")


@settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stored=st.lists(pledge_specs, min_size=1, max_size=8), rows=st.lists(pledge_specs,
       min_size=1, max_size=8))  # fmt: skip
def test_a_tables_rows_are_matched_as_the_rules_over_every_candidate_say(
    session: Session, stored: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> None:
    savepoint = session.begin_nested()
    try:
        for spec in stored:
            create_pledge(session, _input(session, spec))
        probes = [stated_pledge(session, _input(session, spec)) for spec in rows]
        assert match_many(session, probes) == [_reference(session, p) for p in probes]
    finally:
        savepoint.rollback()


def test_an_article_sees_its_pledges_matched_deleted_ones_named(session: Session) -> None:
    source = make_source(session)
    spec = {"donor": "Germany", "item": "drones", "day": 0, "figures": {"quantity": BASE}}
    kept = create_pledge(session, replace(_input(session, spec), source_id=source.id))
    gone = create_pledge(session, _input(session, {"donor": "Germany", "item": "aid",
                         "day": 3, "figures": {"amount": BASE, "currency": "EUR"}}))  # fmt: skip
    delete_pledge(session, gone.id, expected_version=gone.version)
    session.flush()
    assert find_match(session, _stated(session, kept, None)) == Match(
        "corroborates", kept.id, f"corroborates #{kept.id}"
    )
    assert find_match(session, _stated(session, gone, None)) == Match(
        "new", gone.id, f"matches deleted pledge #{gone.id}"
    )
    assert find_match(session, _stated(session, kept, source.id)) == Match("new")


@settings(
    max_examples=30,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    shift=st.integers(0, 2 * bucket_days(MATCH_DAYS)),
    scan_from_pledges=st.booleans(),
    categories_in_array=st.booleans(),
    stored=st.lists(pledge_specs, min_size=1, max_size=8),
    rows=st.lists(pledge_specs, min_size=1, max_size=8),
)
def test_rows_pair_alike_wherever_their_windows_fall_among_the_day_buckets(
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    shift: int,
    scan_from_pledges: bool,
    categories_in_array: bool,
    stored: list[dict[str, Any]],
    rows: list[dict[str, Any]],
) -> None:
    """The same pairs whether a window lies inside one day bucket or across two (the
    PostgreSQL join keys on the bucket), whichever side SQLite starts from, and whether
    PostgreSQL reads the categories from an array or joins the items."""
    monkeypatch.setattr(match_candidates, "SCAN_FROM_PLEDGES", 0 if scan_from_pledges else 1e9)
    monkeypatch.setattr(
        match_candidates, "CATEGORY_ARRAY_LIMIT", CATEGORY_ARRAY_LIMIT if categories_in_array else 0
    )

    def shifted(spec: dict[str, Any]) -> dict[str, Any]:
        day = spec["day"]
        return spec | {"day": None if day is None else day + shift}

    savepoint = session.begin_nested()
    try:
        for spec in stored:
            create_pledge(session, _input(session, shifted(spec)))
        probes = [stated_pledge(session, _input(session, shifted(spec))) for spec in rows]
        assert match_many(session, probes) == [_reference(session, p) for p in probes]
    finally:
        savepoint.rollback()


@st.composite
def ranged_figures(draw: st.DrawFn) -> dict[str, Any]:
    """A number with any qualifier, ranges as often as points, from below 0 to twice BASE: a
    range holds the other figure, or misses it, on either side."""
    qualifier = draw(st.sampled_from(QUALIFIERS))
    if qualifier == "unknown":
        return {"qualifier": qualifier}
    number = BASE * Decimal(draw(st.integers(-300, 2000))) / 1000
    figures = {"qualifier": qualifier, "is_correction": number < 0}  # negative: a correction
    if draw(st.booleans()):
        return figures | {"quantity": number}
    return figures | {"amount": number, "currency": draw(st.sampled_from(("EUR", "GBP")))}


def _loosely_near(a: Figures, b: Figures) -> bool:
    """Whether the figures the rules compare lie within the gap of the sum of their sizes
    (`match_candidates._near`, slack left out): the only pairs the database may let
    through beyond `same_number`'s."""
    if a.quantity is not None and b.quantity is not None:
        x, y, gap = a.quantity, b.quantity, Decimal(0)
    elif a.amount is None or b.amount is None:
        return False
    elif a.currency == b.currency:
        x, y, gap = a.amount, b.amount, SAME_CURRENCY_GAP
    elif a.eur is None or b.eur is None:
        return False
    else:
        x, y, gap = a.eur, b.eur, SAME_EUR_GAP
    return abs(x - y) <= (abs(x) + abs(y)) * (gap + Decimal("0.00001")) + Decimal("0.001")


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stored=ranged_figures(), row=ranged_figures(), scan_from_pledges=st.booleans())
def test_the_database_pairs_other_items_only_where_their_numbers_may_agree(
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    stored: dict[str, Any],
    row: dict[str, Any],
    scan_from_pledges: bool,
) -> None:
    """A pledge of another item of the category is paired with a row when `same_number`
    accepts the two (ranges holding the other's figure included), and otherwise only when
    their figures are near in the looser sense of `_near`: a range that misses the other
    figure never brings a pair back."""
    monkeypatch.setattr(match_candidates, "SCAN_FROM_PLEDGES", 0 if scan_from_pledges else 1e9)
    savepoint = session.begin_nested()
    try:
        spec = {"donor": "Germany", "item": "air defence missiles", "day": 0}
        pledge = create_pledge(session, _input(session, spec | {"figures": stored}))
        other_item = spec | {"item": "air defence systems", "figures": row}
        probe = stated_pledge(session, _input(session, other_item))
        paired = bool(match_candidates.related_pairs(session, [probe], MATCH_DAYS))
        verdict = number_verdict(Figures.of(pledge), probe.figures)
        agree = verdict is True
        assert paired >= agree
        if paired and not agree:  # a figure of 0 says nothing: pairing it decides nothing
            assert verdict is None or _loosely_near(Figures.of(pledge), probe.figures)
    finally:
        savepoint.rollback()


def test_a_range_pairs_only_figures_it_holds(session: Session) -> None:
    """A range ("at least 5,000", "up to 3,000") is paired with the figures it holds, not
    with those it misses; two ranges of one kind only when near."""
    savepoint = session.begin_nested()
    try:
        spec = {"donor": "Germany", "item": "air defence missiles", "day": 0}
        create_pledge(session, _input(session, spec | {"figures": {"qualifier": "at_least",
                      "quantity": Decimal(5000)}}))  # fmt: skip
        create_pledge(session, _input(session, spec | {"figures": {"qualifier": "up_to",
                      "quantity": Decimal(3000)}}))  # fmt: skip
        other_item = spec | {"item": "air defence systems"}
        expected = {
            ("exact", 6000): {"at_least"},
            ("exact", 5000): {"at_least"},
            ("exact", 4000): set(),
            ("exact", 3000): {"up_to"},
            ("about", 2000): {"up_to"},
            ("at_least", 2000): {"up_to"},
            ("at_least", 4000): set(),
            ("up_to", 6000): {"at_least"},
            ("at_least", 6000): set(),
            ("up_to", 2000): set(),
        }
        for (qualifier, quantity), qualifiers in expected.items():
            figures = {"qualifier": qualifier, "quantity": Decimal(quantity)}
            probe = stated_pledge(session, _input(session, other_item | {"figures": figures}))
            pairs = match_candidates.related_pairs(session, [probe], MATCH_DAYS)
            assert {pair.qualifier for pair in pairs} == qualifiers, (qualifier, quantity)
    finally:
        savepoint.rollback()


def test_a_window_touches_at_most_two_day_buckets() -> None:
    window = timedelta(days=MATCH_DAYS)
    for offset in range(3 * bucket_days(MATCH_DAYS)):
        day = DAY + timedelta(days=offset)
        first, last = day_bucket(day - window, MATCH_DAYS), day_bucket(day + window, MATCH_DAYS)
        assert last - first in (0, 1)


@settings(
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stored=st.lists(pledge_specs, min_size=1, max_size=6),
       rows=st.lists(pledge_specs, min_size=1, max_size=6))  # fmt: skip
def test_pairing_leaves_the_connection_as_it_was_and_pairs_every_row_it_is_given(
    session: Session, stored: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> None:
    """The rows' temporary table is gone afterwards and SQLite's temporary page cache is
    back at its setting; each pair names a row given, and the pairs of a row are exactly
    the live pledges the rules relate to it (same donor, recipient and category, in the
    window, of another source, whose item is the same or whose number may agree)."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    before = connection.exec_driver_sql("PRAGMA temp.cache_size").scalar() if sqlite else None
    savepoint = session.begin_nested()
    try:
        for spec in stored:
            create_pledge(session, _input(session, spec))
        probes = [stated_pledge(session, _input(session, spec)) for spec in rows]
        pairs = match_candidates.related_pairs(session, probes, MATCH_DAYS)
        assert all(0 <= pair.row < len(probes) for pair in pairs)
        for index, probe in enumerate(probes):
            mine = {pair.id for pair in pairs if pair.row == index}
            pledges = session.scalars(select(Pledge).where(Pledge.id.in_(mine))).all()
            assert all(p.donor_id == probe.donor_id for p in pledges)
            assert all(p.recipient_id == probe.recipient_id for p in pledges)
            # every candidate that `classify` would find a number or item match with is there
            reference = _reference(session, probe)
            if reference.pledge_id is not None:
                assert reference.pledge_id in mine
    finally:
        savepoint.rollback()
    assert not session.connection().dialect.has_table(session.connection(), "match_stated")
    if sqlite:
        assert connection.exec_driver_sql("PRAGMA temp.cache_size").scalar() == before


def test_a_pair_names_the_columns_the_pairing_selects_in_their_order() -> None:
    """`Pair` is made from each result row by position: its fields are the row's index, the
    candidate columns and the category, in the order the pairing query selects them."""
    assert Pair._fields == ("row", *(column.key for column in CANDIDATE_COLUMNS), "category_id")


def test_sqlite_pairs_through_the_pledges_donor_and_day_index() -> None:
    """The index named for SQLite's pairing is the pledge table's (donor, day) index."""
    index = next(i for i in Pledge.__table__.indexes if i.name == SQLITE_PAIRING_INDEX)
    assert [column.name for column in index.columns][:2] == ["donor_id", "announced"]


def test_sqlite_pairing_statement_reads_the_pledges_through_that_index(session: Session) -> None:
    """The hinted statement reads the pledges through the (donor, day) index, gives the rows
    the query gives, typed as the query types them; PostgreSQL never takes this path."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("INDEXED BY is SQLite's")
    for offset in (0, 3):
        spec = {"donor": "Germany", "item": "aid", "day": offset,
                "figures": {"qualifier": "exact", "amount": BASE, "currency": "EUR"}}  # fmt: skip
        create_pledge(session, _input(session, spec))
    session.flush()
    query = (
        select(Pledge.id, Pledge.announced, Pledge.amount, Pledge.currency)
        .where(Pledge.donor_id + 0 > 0)
        .order_by(Pledge.id)
    )
    statement = match_candidates._through_pairing_index(query, connection.dialect)
    plan = " ".join(
        str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}")
    )
    assert f"USING INDEX {SQLITE_PAIRING_INDEX}" in plan
    assert connection.execute(statement).all() == connection.execute(query).all()
