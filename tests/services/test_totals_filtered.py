"""Filtered totals from the rollup equal the pledge table's: date ranges split into whole
months and partial ones, donor, group, item and category filters, and their mixes."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import item_named, make_donor, recipient
from tests.services.test_totals import assert_rollup_is_fresh
from tracker.models import Donor, Item, Pledge, Recipient
from tracker.services.dashboard_totals import TABLE_GROUPINGS, DashboardTotals, dashboard_totals
from tracker.services.item_counts import counted_items, item_counts, table_item_counts
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.rollup import MEASURE_NAMES, measure_columns
from tracker.services.totals import (
    BY,
    ROW_MEASURES,
    TotalsFilter,
    _from_rollup,
    aggregate,
    aggregate_from_pledges,
    aggregate_together,
    grand_total,
    pledge_conditions,
    pledged_vs_delivered,
    totals,
    totals_by_kind_and_donor,
    unconverted_by_currency,
)
from tracker.services.totals_edges import _sets
from tracker.services.totals_plan import CANCELLED_APART, rollup_dimension, split_dates
from tracker.views.formatting import quantity_total

FIRST = date(2024, 1, 1)
DAYS = 640
GROUPINGS = [(), *((by,) for by in BY), ("donor", "kind"), ("donor", "stage"),
             ("kind", "stage"), ("kind", "item"), ("donor", "item"), ("group", "month"),
             ("item", "month"), ("category", "stage"), ("kind", "category"),
             ("item", "stage"), ("donor", "kind", "stage"), ("group", "item"),
             ("donor", "kind", CANCELLED_APART), ("month", CANCELLED_APART)]  # fmt: skip


@pytest.fixture
def world(session: Session) -> dict[str, list[int]]:
    """Pledges of five donors (two in a group, the group itself) in four items over
    21 months, a few undated, in every kind, stage, review state, two recipients and
    some currencies."""
    chance = random.Random(17)
    group = make_donor(session, kind="group")
    members = [make_donor(session, kind="country") for _ in range(2)]
    group.members.extend(members)
    others = [make_donor(session) for _ in range(2)]
    session.flush()
    donors: list[Donor] = [group, *members, *others]
    items: list[Item] = [item_named(session, n) for n in ("aid", "drones", "loan", "tanks")]
    other = Recipient(name="Moldova", iso_code="MD")
    session.add(other)
    session.flush()
    recipients = [recipient(session).id, other.id]
    for number in range(90):
        item = chance.choice(items)
        fields: dict[str, object] = {
            "donor_id": chance.choice(donors).id,
            "recipient_id": chance.choice(recipients),
            "item_id": item.id,
            "stage": chance.choice(("announced", "committed", "delivered", "cancelled")),
            "qualifier": chance.choice(("exact", "about", "at_least", "up_to")),
            "announced": None if number % 15 == 0 else FIRST + timedelta(chance.randrange(DAYS)),
            "reviewed": chance.random() < 0.5,
        }
        if number % 7 == 0:  # a kind other than the item's: item × month rows per kind
            fields["kind"] = chance.choice(("humanitarian", "reconstruction"))
        if item.unit:
            fields["quantity"] = chance.randrange(1, 10_000)
        else:
            fields["amount"] = Decimal(chance.randrange(1, 10**9)) / 100
            fields["currency"] = chance.choice(("EUR", "GBP", "UAH", "EUR"))
        create_pledge(session, PledgeInput(**fields))  # type: ignore[arg-type]
    session.flush()
    return {"donors": [d.id for d in donors], "items": [i.id for i in items],
            "categories": sorted({i.category_id for i in items}),
            "group": [group.id], "recipients": recipients}  # fmt: skip


def days() -> st.SearchStrategy[date | None]:
    """A day in or around the pledges' span, or none."""
    return st.none() | st.integers(-40, DAYS + 40).map(lambda n: FIRST + timedelta(n))


@st.composite
def filters(draw: st.DrawFn, world: dict[str, list[int]]) -> TotalsFilter:
    """A mix of date range, donor or group, kind, stage, reviewed, recipient, item and
    category."""
    start, end = draw(days()), draw(days())
    if start and end and start > end:
        start, end = end, start
    who = draw(st.sampled_from(["none", "donor", "group"]))
    return TotalsFilter(
        start=start,
        end=end,
        donor_ids=(draw(st.sampled_from(world["donors"])),) if who == "donor" else (),
        group_id=world["group"][0] if who == "group" else None,
        kind=draw(st.none() | st.sampled_from(["military", "financial", "humanitarian"])),
        stage=draw(st.none() | st.sampled_from(["announced", "delivered", "cancelled"])),
        reviewed=draw(st.none() | st.booleans()),
        recipient_id=draw(st.none() | st.sampled_from(world["recipients"])),
        item_id=draw(st.none() | st.sampled_from(world["items"])),
        category_id=draw(st.none() | st.sampled_from(world["categories"])),
    )


def test_every_filtered_total_equals_the_pledge_tables(
    session: Session, world: dict[str, list[int]]
) -> None:
    assert_rollup_is_fresh(session)

    @settings(max_examples=120,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(filters(world), st.sampled_from(GROUPINGS))
    def check(chosen: TotalsFilter, groups: tuple[str, ...]) -> None:
        got = sorted(aggregate(session, groups, chosen), key=repr)
        want = sorted(aggregate_from_pledges(session, groups, chosen), key=repr)
        assert got == want

    check()


def test_totals_read_together_equal_the_pledge_tables(
    session: Session, world: dict[str, list[int]]
) -> None:
    """Several groupings under one date range (one with its stage filter), their partial
    months' pledges read once, each equal the pledge table's."""

    @settings(max_examples=60,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(filters(world), st.lists(st.sampled_from(GROUPINGS), min_size=1, max_size=4),
           st.sampled_from(["announced", "cancelled"]))  # fmt: skip
    def check(chosen: TotalsFilter, groupings: list[tuple[str, ...]], stage: str) -> None:
        requests = [(groups, chosen) for groups in groupings]
        requests.append((("donor", "kind"), replace(chosen, stage=stage)))
        for (groups, filters), got in zip(
            requests, aggregate_together(session, requests), strict=True
        ):
            want = aggregate_from_pledges(session, groups, filters)
            assert sorted(got, key=repr) == sorted(want, key=repr)

    check()


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2024, 3, 17), date(2025, 6, 9)),  # partial months added at both ends
     (date(2024, 3, 2), date(2025, 6, 28)),  # their days outside taken away
     (date(2024, 5, 3), date(2024, 5, 29)),  # within one month
     (None, date(2025, 2, 11))],
)  # fmt: skip
def test_requests_of_the_same_keys_and_other_stages_read_together(
    session: Session, world: dict[str, list[int]], start: date | None, end: date
) -> None:
    """The dated dashboard's donor reads: the donors, and the same keys of the cancelled
    pledges alone (on PostgreSQL one grouping set that keeps the cancelled apart, the
    second request keeping its rows), beside a stage other than cancelled and a request
    of every measure; each equals the pledge table's, of the measures it asks (0 for the
    others)."""
    dated = TotalsFilter(start=start, end=end)
    requests = [
        (("donor",), dated),
        (("donor",), replace(dated, stage="cancelled")),
        (("donor",), replace(dated, stage="delivered")),
        (("kind", "item"), dated),
        (("donor", CANCELLED_APART), dated),
    ]
    wanted = [frozenset({"eur_cents"}), frozenset({"usd_cents"}), None, None,
              frozenset({"pledges"})]  # fmt: skip
    assert split_dates(start, end).add or split_dates(start, end).subtract
    got = aggregate_together(session, requests, wanted)
    for (groups, filters), measures, read in zip(requests, wanted, got, strict=True):
        kept = MEASURE_NAMES if measures is None else measures | {"pledges"}
        want = [(key, tuple(v if n in kept else 0 for n, v in zip(MEASURE_NAMES, m.values(),
                                                                   strict=True)))
                for key, m in aggregate_from_pledges(session, groups, filters)]  # fmt: skip
        assert sorted((key, m.values()) for key, m in read) == sorted(want)
    assert got[0] and got[3]


def test_totals_of_some_measures_equal_those_of_all(
    session: Session, world: dict[str, list[int]]
) -> None:
    """A read of some measures (rollup, partial months, pledge table) gives each of them
    as a read of all does, to the cent, and 0 for the others."""

    @settings(max_examples=80,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(filters(world), st.sampled_from(GROUPINGS),
           st.frozensets(st.sampled_from(MEASURE_NAMES)))  # fmt: skip
    def check(chosen: TotalsFilter, groups: tuple[str, ...], wanted: frozenset[str]) -> None:
        kept = wanted | {"pledges"}

        def only(values: tuple[int, ...]) -> tuple[int, ...]:
            return tuple(v if n in kept else 0 for n, v in zip(MEASURE_NAMES, values, strict=True))

        want = sorted((key, only(m.values())) for key, m in
                      aggregate_from_pledges(session, groups, chosen))  # fmt: skip
        for read in (aggregate, aggregate_from_pledges):
            got = read(session, groups, chosen, measures=wanted)
            assert sorted((key, m.values()) for key, m in got) == want

    check()


def test_totals_of_some_measures_read_together_equal_those_of_all(
    session: Session, world: dict[str, list[int]]
) -> None:
    """Groupings read together, each for its own measures (or all), give each of them as
    the pledge table does, and 0 for the others; the edge days compute what some wants."""

    edged = [groups for groups in GROUPINGS if "group" not in groups]  # read together

    @settings(max_examples=60,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(filters(world), st.lists(
        st.tuples(st.sampled_from(edged),
                  st.none() | st.frozensets(st.sampled_from(MEASURE_NAMES))),
        min_size=1, max_size=4))  # fmt: skip
    def check(
        chosen: TotalsFilter, asked: list[tuple[tuple[str, ...], frozenset[str] | None]]
    ) -> None:
        # A range with partial months at both ends, so that the edge days are read.
        chosen = replace(chosen, start=chosen.start or FIRST + timedelta(17),
                         end=chosen.end or FIRST + timedelta(400), item_id=None,
                         category_id=None, recipient_id=None, reviewed=None)  # fmt: skip
        if chosen.start > chosen.end:
            chosen = replace(chosen, start=chosen.end, end=chosen.start)
        requests = [(groups, chosen) for groups, _wanted in asked]
        wanted = [measures for _groups, measures in asked]
        for (groups, measures), got in zip(
            asked, aggregate_together(session, requests, wanted), strict=True
        ):
            kept = set(MEASURE_NAMES) if measures is None else measures | {"pledges"}
            want = sorted(
                (key, tuple(v if n in kept else 0
                            for n, v in zip(MEASURE_NAMES, m.values(), strict=True)))
                for key, m in aggregate_from_pledges(session, groups, chosen)
            )  # fmt: skip
            assert sorted((key, m.values()) for key, m in got) == want

    check()


def test_the_shown_donors_items_under_a_date_range_equal_those_of_every_measure(
    session: Session, world: dict[str, list[int]]
) -> None:
    """The donor item counts read from the pledge table with COUNTED_MEASURES show what
    counts of every measure show: the same items, quantities, bounds and markers."""

    @settings(max_examples=40,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(filters(world), st.none() | st.integers(1, 3))
    def check(chosen: TotalsFilter, limit: int | None) -> None:
        dated = replace(chosen, start=chosen.start or FIRST)
        keys = set(world["donors"])
        catalogue = {row.id: (row.name, row.unit) for row in
                     session.execute(select(Item.id, Item.name, Item.unit))}  # fmt: skip
        got = item_counts(session, "donor", dated, keys=keys, limit=limit)
        every = aggregate_from_pledges(session, ("donor", "item"), dated)
        want = counted_items([(key, m.values()) for key, m in every],
                             catalogue, limit)  # fmt: skip
        assert set(got) == set(want)
        for donor_id, counts in got.items():
            other = want[donor_id]
            assert (counts.unquantified, counts.has_money, counts.quantity_items) == (
                other.unquantified, other.has_money, other.quantity_items)  # fmt: skip
            assert [(r.key_id, r.key, r.unit, r.quantity, r.quantity_lower, r.open_ended,
                     r.approximate, r.pledges, r.eur, r.usd, r.unconverted)
                    for r in counts.items] == [
                (r.key_id, r.key, r.unit, r.quantity, r.quantity_lower, r.open_ended,
                 r.approximate, r.pledges, r.eur, r.usd, r.unconverted)
                for r in other.items]  # fmt: skip
            assert [quantity_total(r) for r in counts.items] == [
                quantity_total(r) for r in other.items]  # fmt: skip

    check()


def per_service_call(session: Session, chosen: TotalsFilter) -> DashboardTotals:
    """The dashboard's figures from one totals service call per grouping, with the sizes
    of its long tables and the item counts of its kind and category tables."""
    tables = {by: totals(session, by, chosen) for by in TABLE_GROUPINGS}
    pledged = [row.pledged for row in pledged_vs_delivered(session, "donor", chosen)]
    sizes = {by: len(tables[by]) for by in ("donor", "category", "item")}
    return DashboardTotals(
        tables=tables,
        grand=grand_total(session, chosen),
        unconverted=unconverted_by_currency(session, chosen),
        stages=pledged_vs_delivered(session, "kind", chosen),
        donor_kinds=totals_by_kind_and_donor(session, chosen),
        months=totals(session, "month", chosen),
        stages_by_donor=pledged,
        table_sizes={**sizes, "stages_by_donor": len(pledged)},
        item_counts=table_item_counts(session, chosen),
    )


def test_filtered_dashboards_equal_one_service_call_per_grouping(
    session: Session, world: dict[str, list[int]]
) -> None:
    @settings(max_examples=25,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(filters(world))
    def check(chosen: TotalsFilter) -> None:
        figures = dashboard_totals(session, chosen)
        figures.group_aggregate_eur, figures.group_aggregate_pledges = Decimal(0), 0
        assert figures == per_service_call(session, chosen)
        unconverted = measure_columns()[MEASURE_NAMES.index("unconverted")]
        query = (
            select(Pledge.currency, unconverted)
            .where(*pledge_conditions(chosen))
            .group_by(Pledge.currency)
        )
        counts = {code: int(n) for code, n in session.execute(query) if code and n}
        assert unconverted_by_currency(session, chosen) == dict(sorted(counts.items()))

    check()


def test_dated_dashboards_equal_one_service_call_per_grouping(
    session: Session, world: dict[str, list[int]]
) -> None:
    """Date ranges with no stage, recipient or reviewed filter, alone or with a kind, a
    donor or a group: the dashboard's own reads (donors from the donor × month rows, their
    cancelled part and the chart's donors by kind apart; with a kind, one read of donor ×
    month × kind) give what one service call per grouping gives."""

    @settings(max_examples=40,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(days(), days(), st.none() | st.sampled_from(["military", "financial"]),
           st.sampled_from(["none", "donor", "group"]), st.integers(1, 4))  # fmt: skip
    def check(start: date | None, end: date | None, kind: str | None, who: str, top: int) -> None:
        if start is None and end is None:
            start = FIRST + timedelta(40)
        if start and end and start > end:
            start, end = end, start
        chosen = TotalsFilter(
            start=start, end=end, kind=kind,
            donor_ids=tuple(world["donors"][:3]) if who == "donor" else (),
            group_id=world["group"][0] if who == "group" else None,
        )  # fmt: skip
        figures = dashboard_totals(session, chosen, top=top)
        figures.group_aggregate_eur, figures.group_aggregate_pledges = Decimal(0), 0
        expected = per_service_call(session, chosen)
        expected.donor_kinds = totals_by_kind_and_donor(session, chosen, top=top)
        assert figures == expected

    check()


def test_a_dated_read_of_donor_or_item_months_states_every_id() -> None:
    """A month range of the donor × month, donor × month × kind or item × month rows states
    every donor or item id (unless a filter names them), so that each id's months are one
    range of the primary key: SQLite's planner skip-scanned the whole rollup without it."""
    months = ("2024-04", "2025-07")
    plain = TotalsFilter()
    for dimension, table in (("donor_month", "donor"), ("donor_month_kind", "donor"),
                             ("item_month", "item")):  # fmt: skip
        groups = ("item",) if table == "item" else ("donor",)
        sqlite = str(_from_rollup(dimension, groups, plain, months, dialect="sqlite"))
        assert f"IN (SELECT {table}.id" in sqlite, dimension
        postgresql = str(_from_rollup(dimension, groups, plain, months, dialect="postgresql"))
        assert f"ARRAY(SELECT {table}.id FROM {table})" in postgresql, dimension
        assert "SELECT donor.id" not in str(_from_rollup(dimension, groups, plain, None))
    named = str(_from_rollup("donor_month", ("donor",), replace(plain, donor_ids=(1,)), months,
                             dialect="sqlite"))  # fmt: skip
    assert "SELECT donor.id" not in named
    assert "SELECT" not in str(_from_rollup("month", ("month",), plain, months)).split("WHERE")[1]


@given(days(), days())
def test_a_date_split_covers_each_day_once(start: date | None, end: date | None) -> None:
    if start and end and start > end:
        start, end = end, start
    split = split_dates(start, end)
    low, high = split.months if split.months else ("9999-99", "0000-00")
    span = [FIRST + timedelta(n) for n in range(-80, DAYS + 80)]
    for day in span:
        month = f"{day.year:04d}-{day.month:02d}"
        counted = int((low is None or month >= low) and (high is None or month <= high))
        counted += sum(a <= day <= b for a, b in split.add)
        counted -= sum(a <= day <= b for a, b in split.subtract)
        inside = (start is None or day >= start) and (end is None or day <= end)
        assert counted == int(inside), day
    for a, b in [*split.add, *split.subtract]:
        assert (a.year, a.month) == (b.year, b.month) and a <= b


def test_a_date_split_at_the_ends_of_the_calendar_stays_in_it() -> None:
    late, early = date(9999, 12, 20), date(1, 1, 5)
    assert split_dates(late, None).subtract == [(date(9999, 12, 1), date(9999, 12, 19))]
    assert split_dates(None, early).subtract == [(date(1, 1, 6), date(1, 1, 31))]
    assert split_dates(early, late).months == ("0001-01", "9999-12")


def test_a_date_range_reads_donors_and_items_by_kind_from_month_keyed_rows() -> None:
    """Donor × kind and kind × item under a date range (with a kind, or promised's
    "cancelled" stage) have month-keyed rows to read, other stages the donor × month ×
    kind × stage rows; recipient or reviewed filters do not."""
    dates = TotalsFilter(start=date(2024, 3, 17), end=date(2025, 8, 9))
    dated = {"dated": True}
    assert rollup_dimension(("donor",), dates, **dated) == "donor_month"
    assert rollup_dimension(("donor", "kind"), dates, **dated) == "donor_month_kind"
    with_kind = replace(dates, kind="military")
    assert rollup_dimension(("donor",), with_kind, **dated) == "donor_month_kind"
    assert rollup_dimension(("kind", "item"), with_kind, **dated) == "item_month"
    assert rollup_dimension(("category",), with_kind, **dated) == "item_month"
    cancelled = replace(dates, stage="cancelled")
    assert rollup_dimension(("donor", "kind"), cancelled, **dated) == "donor_month_kind"
    assert rollup_dimension(("kind", "item"), cancelled, **dated) is None
    # Other stages: the donor × month rows by kind and stage; recipient and reviewed: none.
    delivered = replace(dates, stage="delivered")
    assert rollup_dimension(("donor", "kind"), delivered, **dated) == "donormon_ks"
    assert rollup_dimension(("donor", "stage"), dates, **dated) == "donormon_ks"
    assert rollup_dimension(("kind", "item"), delivered, **dated) is None
    for other in (replace(dates, reviewed=True), replace(dates, recipient_id=1)):
        assert rollup_dimension(("donor", "kind"), other, **dated) is None


def test_without_a_date_range_donors_by_kind_are_read_from_donor_kind_rows() -> None:
    """Donor and donor × kind totals with no date range (with a kind, or promised's
    "cancelled" stage, apart or filtered) read the donor × kind rows; another stage, a
    recipient or a reviewed filter, or a grouping by stage, the donor rows."""
    plain = TotalsFilter()
    undated = {"dated": False}
    assert rollup_dimension(("donor",), plain, **undated) == "donor_kind"
    assert rollup_dimension(("donor", "kind"), replace(plain, kind="military"), **undated) == (
        "donor_kind"
    )
    assert rollup_dimension(("donor", "kind", CANCELLED_APART), plain, **undated) == "donor_kind"
    cancelled = replace(plain, stage="cancelled")
    assert rollup_dimension(("donor", "kind"), cancelled, **undated) == "donor_kind"
    assert rollup_dimension(("donor", "kind", "stage"), plain, **undated) == "donor"
    for other in (replace(plain, stage="delivered"), replace(plain, reviewed=True),
                  replace(plain, recipient_id=1)):  # fmt: skip
        assert rollup_dimension(("donor", "kind"), other, **undated) == "donor"
    assert rollup_dimension((), plain, **undated) == "all"


def test_rows_that_keep_the_cancelled_apart_are_grouped_by_their_stage_column() -> None:
    """Donor × month × kind rows hold "cancelled" or "" as their stage: the CANCELLED_APART
    grouping reads the column as it is (no CASE), which PostgreSQL can hash; the month
    rows, which keep every stage, still map the others to ""."""
    months = ("2024-04", "2025-07")
    apart = ("donor", "kind", CANCELLED_APART)
    kept = str(_from_rollup("donor_month_kind", apart, TotalsFilter(), months))
    crossed = str(_from_rollup("month", ("month", CANCELLED_APART), TotalsFilter(), months))
    assert "CASE" not in kept.upper() and "CASE" in crossed.upper()


def test_the_dated_dashboards_donors_and_their_cancelled_part_share_one_grouping() -> None:
    """The partial months' groupings of a dated dashboard: month × kind × stage, kind ×
    item, and the donors with the cancelled part apart in one set, which the request of
    the donors' totals adds up and the cancelled one keeps its rows of."""
    shapes = (
        (("month", "kind", "stage"), None, ROW_MEASURES),
        (("kind", "item"), None, None),
        (("donor",), None, ROW_MEASURES),
        (("donor",), "cancelled", ROW_MEASURES),
    )
    assert _sets(shapes) == {
        ("month", "kind", "stage"): [0],
        ("kind", "item_id"): [1],
        ("donor_id", "cancelled"): [3, 2],
    }


def test_pledge_sums_scaled_per_group_equal_those_scaled_per_pledge(
    session: Session, world: dict[str, list[int]]
) -> None:
    """Where the database sums the pledges' decimals as they are and scales each group's
    sum (PostgreSQL), every measure equals the sum of each pledge's scaled value, per kind
    and item, and in all."""
    dialect = session.get_bind().dialect.name
    for keys in ([Pledge.kind, Pledge.item_id], []):
        sums: dict[str, list[tuple[int, ...]]] = {}
        for chosen in ("", dialect):
            query = select(*keys, *measure_columns(None, chosen)).where(*pledge_conditions(
                TotalsFilter()))  # fmt: skip
            rows: Any = session.execute(query.group_by(*keys) if keys else query)
            sums[chosen] = sorted(tuple(int(v) for v in row[len(keys) :]) for row in rows)
        assert sums[""] == sums[dialect]
        assert any(row[MEASURE_NAMES.index("eur_cents")] for row in sums[""])
