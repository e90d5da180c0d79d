"""The pledge list's planned reads give the same pages as the plain query: a text search
read by id or along the sort's index, and name sorts with filters on both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_donor, make_pledge
from tracker.models import Donor, Pledge
from tracker.services import pledge_list
from tracker.services.pledge_list import SORTS, pledge_page
from tracker.services.totals import TotalsFilter, rebuild_totals

DONORS = ("Germany", "France", "Poland", "Norway")
ITEMS = ("aid", "air defence missiles")
WORDING = ("Patriot batteries", "drones", None, "patriot missiles", "aid package")


@pytest.fixture
def stored(session: Session) -> list[Pledge]:
    """Pledges over four donors and two items, some with wording, some undated."""
    made = []
    for n in range(26):
        made.append(
            make_pledge(
                session,
                donor=donor_named(session, DONORS[n % 4]),
                item=item_named(session, ITEMS[n % 2]),
                kind=("financial", "military")[n % 2],
                item_text=WORDING[n % 5],
                notes="second report" if n % 6 == 0 else None,
                announced=None if n % 9 == 0 else date(2025, 1, 1) + timedelta(days=n % 5),
            )
        )
    rebuild_totals(session)
    return made


def walk(session: Session, filters: TotalsFilter, sort: str, descending: bool) -> list[int]:
    """The ids of every page in turn, pages of 4 followed by `after`."""
    ids: list[int] = []
    after = None
    while True:
        page = pledge_page(session, filters, sort=sort, descending=descending, after=after,
                           size=4)  # fmt: skip
        ids += [pledge.id for pledge in page.pledges]
        if page.next_after is None:
            return ids
        after = page.next_after


def expected(pledges: list[Pledge], filters: TotalsFilter, sort: str, desc: bool) -> list[int]:
    """The order the list promises, computed in Python: valued rows by (value, id), then
    the rows without a value by id."""
    chosen = [
        p for p in pledges
        if (filters.kind is None or p.kind == filters.kind)
        and (filters.text is None or any(
            value is not None and filters.text.lower() in value.lower()
            for value in (p.donor.name, p.item.name, p.item_text, p.notes)))
    ]  # fmt: skip
    named = {"donor": lambda p: p.donor.name, "item": lambda p: p.item.name}
    value = named.get(sort, lambda p: getattr(p, sort))
    valued = sorted((p for p in chosen if value(p) is not None),
                    key=lambda p: (value(p), p.id), reverse=desc)  # fmt: skip
    empty = sorted((p for p in chosen if value(p) is None), key=lambda p: p.id, reverse=desc)
    return [p.id for p in valued + empty]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(sorted(SORTS)),
    st.booleans(),
    st.sampled_from([None, "military"]),
    st.sampled_from([None, "patriot", "PORT", "germ", "no such words", "ai"]),
    st.booleans(),
)
def test_every_plan_gives_the_promised_pages(
    session: Session,
    stored: list[Pledge],
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
    descending: bool,
    kind: str | None,
    text: str | None,
    many: bool,
) -> None:
    """Whether a text search's matches count as many (read along the sort's index) or few
    (named by id), and whatever the sort and filters, the pages walk the same order."""
    monkeypatch.setattr(pledge_list, "MANY_MATCHES", 0 if many else 10**6)
    filters = TotalsFilter(kind=kind, text=text)
    assert walk(session, filters, sort, descending) == expected(stored, filters, sort, descending)


def test_few_text_matches_are_named_by_id(session: Session, stored: list[Pledge]) -> None:
    conditions = pledge_list.list_conditions(session, TotalsFilter(text="patriot"))
    compiled = " ".join(str(condition) for condition in conditions)
    assert "pledge.id IN" in compiled


@pytest.fixture
def coalition(session: Session, stored: list[Pledge]) -> Donor:
    """A group of the first two donors, with one pledge of its own."""
    group = make_donor(session, name="Test coalition", kind="group")
    group.members.extend([stored[0].donor, stored[1].donor])
    make_pledge(session, donor=group, item=stored[0].item, announced=date(2025, 1, 2))
    session.flush()
    return group


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(sorted(SORTS)),
    st.booleans(),
    st.sampled_from(["donor", "donors", "group", "item", "category", "text", "name"]),
    st.sampled_from([None, "military"]),
    st.booleans(),
)
def test_a_filter_read_part_by_part_gives_the_promised_pages(
    session: Session,
    stored: list[Pledge],
    coalition: Donor,
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
    descending: bool,
    named: str,
    kind: str | None,
    in_parts: bool,
) -> None:
    """A donor, group, item, category or text filter read part by part (each named donor
    or item, and the wording, by its own index, merged) or as one query: the pages walk
    the same order, each match once."""
    monkeypatch.setattr(pledge_list, "MAX_PARTS", 64 if in_parts else 0)
    monkeypatch.setattr(pledge_list, "_cheaper_in_parts", lambda *_args: True)
    germany, france = stored[0].donor_id, stored[1].donor_id
    item = stored[1].item
    pledges = session.scalars(select(Pledge)).all()
    chosen = {
        "donor": (TotalsFilter(kind=kind, donor_ids=(germany,)), {germany}),
        "donors": (TotalsFilter(kind=kind, donor_ids=(germany, france)), {germany, france}),
        "group": (TotalsFilter(kind=kind, group_id=coalition.id), {germany, france, coalition.id}),
        "item": (TotalsFilter(kind=kind, item_id=item.id), None),
        "category": (TotalsFilter(kind=kind, category_id=item.category_id), None),
        "text": (TotalsFilter(kind=kind, text="pat"), None),  # wording only
        "name": (TotalsFilter(kind=kind, text="missiles"), None),  # an item name and wording
    }
    filters, donors = chosen[named]
    plain = TotalsFilter(kind=kind, text=filters.text)
    wanted = [
        pledge.id
        for pledge in (
            session.get(Pledge, i) for i in expected(list(pledges), plain, sort, descending)
        )
        if pledge is not None
        and (donors is None or pledge.donor_id in donors)
        and (filters.item_id is None or pledge.item_id == filters.item_id)
        and (filters.category_id is None or pledge.item.category_id == filters.category_id)
    ]
    assert walk(session, filters, sort, descending) == wanted
    uses_parts = pledge_list.list_parts(session, filters) is not None
    assert uses_parts == in_parts


def test_parts_are_read_when_they_cost_less_than_a_walk(
    session: Session, stored: list[Pledge], coalition: Donor
) -> None:
    """One part always; more when parts × matches ≤ all pledges (from the rollup)."""
    rebuild_totals(session)
    germany = stored[0].donor_id
    assert pledge_list.list_parts(session, TotalsFilter(donor_ids=(germany,))) is not None
    # 3 donors holding about half of the pledges: walking the sort's index reads less
    assert pledge_list.list_parts(session, TotalsFilter(group_id=coalition.id)) is None
    for n in range(60):
        make_pledge(session, item=stored[0].item, announced=date(2024, 1, 1) + timedelta(days=n))
    rebuild_totals(session)
    assert pledge_list.list_parts(session, TotalsFilter(group_id=coalition.id)) is not None
