"""The pledge list's keyset pages: every pledge once, in the sort's order, each sort on an index."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge
from tracker.models import Pledge
from tracker.services.pledge_list import SORTS, pledge_page
from tracker.services.totals import TotalsFilter, pledge_conditions

DONORS = ("Germany", "France", "Poland", "United Kingdom")


def sort_value(pledge: Pledge, sort: str) -> object:
    """The value a pledge is sorted by."""
    named = {"donor": pledge.donor.name, "item": pledge.item.name}
    return named[sort] if sort in named else getattr(pledge, sort)


@pytest.fixture
def listed(session: Session) -> list[Pledge]:
    """Pledges with repeated, missing and distinct values in every sorted column."""
    made = []
    for n in range(23):
        money = n % 3 != 0
        made.append(
            add_pledge(
                session,
                DONORS[n % 4],
                "aid" if money else "air defence missiles",
                amount=str(1000 * (n % 5 + 1)) if money else None,
                currency="EUR" if money else None,
                quantity=None if money else str(n + 1),
                announced=None if n % 7 == 0 else date(2025, 1, 1) + timedelta(days=n % 4),
                stage=("announced", "committed", "delivered")[n % 3],
            )
        )
    return made


def walk(session: Session, sort: str, descending: bool, size: int) -> list[Pledge]:
    """Every page of the list, followed by `after` to the end."""
    seen: list[Pledge] = []
    after = None
    while True:
        page = pledge_page(session, TotalsFilter(), sort=sort, descending=descending,
                           after=after, size=size)  # fmt: skip
        seen += page.pledges
        if page.next_after is None:
            return seen
        after = page.next_after


def test_pages_hold_every_pledge_once_in_order(session: Session, listed: list[Pledge]) -> None:
    @settings(max_examples=30,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(st.sampled_from(sorted(SORTS)), st.booleans(), st.integers(1, 25))
    def check(sort: str, descending: bool, size: int) -> None:
        seen = walk(session, sort, descending, size)
        assert sorted(p.id for p in seen) == sorted(p.id for p in listed)
        valued = [p for p in seen if sort_value(p, sort) is not None]
        empty = seen[len(valued) :]
        assert all(sort_value(p, sort) is None for p in empty)  # rows without a value last
        keys = [(sort_value(p, sort), p.id) for p in valued]
        assert keys == sorted(keys, reverse=descending)
        assert [p.id for p in empty] == sorted((p.id for p in empty), reverse=descending)

    check()


def test_filters_narrow_the_pages(session: Session, listed: list[Pledge]) -> None:
    page = pledge_page(session, TotalsFilter(kind="financial", stage="delivered"), size=100)
    want = {p.id for p in listed if p.kind == "financial" and p.stage == "delivered"}
    assert {p.id for p in page.pledges} == want and page.next_after is None
    assert sum(p.eur or 0 for p in page.pledges) == Decimal(
        sum(p.eur or 0 for p in listed if p.id in want)
    )


def test_an_unknown_cursor_or_sort_is_refused(session: Session) -> None:
    with pytest.raises(LookupError):
        pledge_page(session, TotalsFilter(), after=2**31 - 1)
    with pytest.raises(ValueError):
        pledge_page(session, TotalsFilter(), sort="notes")


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_each_sort_is_served_by_an_index(session: Session, sort: str) -> None:
    """The page query reads an index in the sort's order instead of sorting the table."""
    from sqlalchemy.dialects import postgresql, sqlite

    from tracker.services import pledge_list

    query = pledge_list._base(pledge_conditions(TotalsFilter())).order_by(
        SORTS[sort].desc(), Pledge.id.desc()
    )
    if sort in pledge_list.NULLABLE:
        query = query.where(SORTS[sort].is_not(None))
    query = query.limit(51)
    dialect = session.get_bind().dialect.name
    compiled = query.compile(
        dialect=postgresql.dialect() if dialect == "postgresql" else sqlite.dialect(),
        compile_kwargs={"literal_binds": True},
    )
    if dialect == "postgresql":
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_sort = off"))
        plan = "\n".join(r[0] for r in session.execute(text(f"EXPLAIN {compiled}")))
        assert "Index" in plan
        sorts = [line for line in plan.splitlines() if re.match(r"\s*(->\s*)?Sort\s+\(", line)]
        assert not sorts, plan  # an Incremental Sort (within one donor or item) is allowed
    elif sort not in ("donor", "item"):  # SQLite's planner orders names in a temporary b-tree
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        plan = "\n".join(str(r[-1]) for r in rows)
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_a_filter_matching_many_pledges_walks_the_sort_index_with_the_same_pages(
    session: Session, listed: list[Pledge], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MANY_MATCHES (per the rollup) SQLite tests donor and item filters row by row
    along the sort's index; the pages are the same as through the filter's index."""
    from tracker.services import pledge_list
    from tracker.services.totals import rebuild_totals

    rebuild_totals(session)
    germany = listed[0].donor_id
    for filters in (
        TotalsFilter(donor_ids=(germany,)),
        TotalsFilter(category_id=listed[0].item.category_id),
    ):
        looked_up = [pledge_page(session, filters, size=4, after=None)]
        monkeypatch.setattr(pledge_list, "MANY_MATCHES", 1)
        walked = [pledge_page(session, filters, size=4, after=None)]
        monkeypatch.setattr(pledge_list, "MANY_MATCHES", 10**9)
        while walked[-1].next_after is not None:
            looked_up.append(pledge_page(session, filters, size=4, after=looked_up[-1].next_after))
            monkeypatch.setattr(pledge_list, "MANY_MATCHES", 1)
            walked.append(pledge_page(session, filters, size=4, after=walked[-1].next_after))
            monkeypatch.setattr(pledge_list, "MANY_MATCHES", 10**9)
        assert [[p.id for p in page.pledges] for page in walked] == [
            [p.id for p in page.pledges] for page in looked_up
        ]
        conditions = pledge_list.list_conditions(session, filters)
        monkeypatch.setattr(pledge_list, "MANY_MATCHES", 1)
        walking = pledge_list.list_conditions(session, filters)
        monkeypatch.setattr(pledge_list, "MANY_MATCHES", 10**9)
        if session.get_bind().dialect.name == "sqlite":
            compiled = [str(c.compile(compile_kwargs={"literal_binds": True})) for c in walking]
            assert any("pledge.donor_id + 0" in c or "pledge.item_id + 0" in c for c in compiled)
        else:
            assert [str(c) for c in walking] == [str(c) for c in conditions]
