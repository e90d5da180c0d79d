"""Matching an article's pledges at once picks, for each, the candidates the database's own
order gives: the CANDIDATE_LIMIT newest of its donor and recipient within the window,
whatever their items, deleted ones too (tracker.services.matching.candidates_query), on
both databases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.factories import item_named, make_donor, make_item, make_pledge, make_source, recipient
from tracker.models._types import utcnow
from tracker.services import matching
from tracker.services.matching import (
    MATCH_DAYS,
    Figures,
    Match,
    Stated,
    candidates_query,
    classify,
    find_matches,
    generic_money_item,
)

FIRST = date(2025, 3, 1)
days = st.one_of(st.none(), st.integers(0, 40).map(lambda n: FIRST + timedelta(days=n)))
# Items by index: 0 is "aid" (the generic item, related to every sum), 1 and 2 two items of
# another category
items = st.sampled_from([0, 1, 2])
stored_pledges = st.lists(
    st.tuples(days, st.sampled_from([1, 2, 3]), st.booleans(), st.booleans(), items),
    max_size=14,
)


def expected_match(session: Session, one: Stated) -> Match:
    """The match of `one` among the rows `candidates_query` reads in the database's order."""
    day = one.announced
    window = timedelta(days=MATCH_DAYS)
    rows = session.execute(
        candidates_query(
            one.donor_id, one.recipient_id,
            earliest=day - window if day else None, latest=day + window if day else None,
            exclude_source_id=one.source_id, live_only=False,
        )
    ).all()  # fmt: skip
    pairs = [(pledge, category_id) for pledge, category_id in rows]
    live = [p for p in pairs if p[0].deleted_at is None and p[0].duplicate_of_id is None]
    generic = generic_money_item(session)  # "aid": related to every sum
    match = classify(one, live, generic)
    if match.outcome == "new":
        gone = classify(one, [p for p in pairs if p[0].deleted_at is not None], generic)
        if gone.outcome != "new":
            return Match("new", gone.pledge_id, f"matches deleted pledge #{gone.pledge_id}")
    return match


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stored=stored_pledges, asked=st.lists(st.tuples(days, st.sampled_from([1, 2, 3]), items)))
def test_each_stated_pledge_is_matched_among_the_newest_candidates_of_its_window(
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    stored: list[tuple[date | None, int, bool, bool, int]],
    asked: list[tuple[date | None, int, int]],
) -> None:
    monkeypatch.setattr(matching, "CANDIDATE_LIMIT", 3)  # a few rows overflow it
    savepoint = session.begin_nested()
    try:
        donor, ukraine = make_donor(session), recipient(session)
        things = [item_named(session, "aid"), make_item(session), make_item(session)]
        source = make_source(session)
        for day, millions, deleted, own_source, item in stored:
            make_pledge(
                session, donor=donor, recipient=ukraine, item=things[item], announced=day,
                amount=Decimal(millions * 1_000_000), currency="EUR",
                eur=Decimal(millions * 1_000_000), deleted_at=utcnow() if deleted else None,
                source_id=source.id if own_source else None,
            )  # fmt: skip
        stated = [
            Stated(
                donor.id, ukraine.id, things[item].id, things[item].category_id, day,
                Figures(None, Decimal(m * 1_000_000), "EUR", Decimal(m * 1_000_000), "exact"),
                source.id,
            )
            for day, m, item in asked
        ]  # fmt: skip
        assert find_matches(session, stated) == [expected_match(session, one) for one in stated]
    finally:
        savepoint.rollback()


def test_the_candidate_read_has_one_text_whatever_the_number_of_windows(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    savepoint = session.begin_nested()
    try:
        donors, ukraine = [make_donor(session) for _ in range(5)], recipient(session)
        aid = item_named(session, "aid")
        source = make_source(session)
        session.flush()

        million = Figures(None, Decimal(1_000_000), "EUR", Decimal(1_000_000), "exact")

        def stated(count: int) -> list[Stated]:
            return [
                Stated(
                    donors[n].id, ukraine.id, aid.id, aid.category_id,
                    FIRST + timedelta(days=40 * n), million, source.id,
                )
                for n in range(count)
            ]  # fmt: skip

        sent: list[tuple[str, int]] = []

        def record(statement: object, parameters: object) -> None:
            if "window_range" in str(statement):
                sent.append((str(statement), len(parameters)))  # type: ignore[arg-type]

        connection = session.connection()
        postgres = connection.dialect.name == "postgresql"
        if postgres:  # sent through the driver (its pipeline): its cursor's statements
            import psycopg

            execute = psycopg.Cursor.execute

            def through_driver(cursor: Any, query: Any, params: Any, **options: Any) -> Any:
                record(query, params)
                return execute(cursor, query, params, **options)

            monkeypatch.setattr(psycopg.Cursor, "execute", through_driver)

        def through_sqlalchemy(*args: Any) -> None:
            record(args[2], args[3])

        event.listen(connection, "before_cursor_execute", through_sqlalchemy)
        try:
            for count in (1, 2, 3, 5, 5, 5, 5, 5, 5, 5):
                find_matches(session, stated(count))
        finally:
            event.remove(connection, "before_cursor_execute", through_sqlalchemy)
        texts = {statement for statement, _count in sent}
        if postgres:
            # one array a column: one text, few parameters (psycopg converts it once)
            assert len(texts) == 1
            assert all(count <= 50 for _statement, count in sent)
            # planned with its own values every time: never prepared, however often it
            # runs, and the connection's other statements still are
            prepared = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %(text)s",
                {"text": "%window_range%"},
            ).scalar()
            assert prepared == 0
            assert connection.connection.driver_connection.prepare_threshold == 5
        else:  # padded to a power of two: 1, 2, 4 and 8 windows, 5 taking the 8's text
            assert len(texts) == 4
    finally:
        savepoint.rollback()
