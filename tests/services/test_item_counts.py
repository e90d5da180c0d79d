"""Item counts beside money: the rollup's answer equals the pledge table's, and each
row lists its quantity items, its unquantified pledges and whether it has money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tests.views.helpers import add_pledge
from tracker.services.item_counts import (
    item_counts,
    rollup_donor_item_counts,
    table_item_counts,
)
from tracker.services.pledges import PledgeInput, create_pledge, delete_pledge
from tracker.services.totals import TotalsFilter, rollup_serves

ITEMS = ("air defence missiles", "aid", "tanks", "military aid")
EVERY_DAY = TotalsFilter(start=date(2000, 1, 1))  # reads the pledge table, covers them all


def summary(counts: dict) -> dict:  # type: ignore[type-arg]
    """The comparable content of item counts."""
    return {
        key: (
            value.has_money,
            value.unquantified,
            value.quantity_items,
            [(row.key, row.quantity, row.quantity_lower, row.open_ended) for row in value.items],
        )
        for key, value in counts.items()
    }


def test_rollup_and_pledge_table_give_the_same_item_counts(session: Session) -> None:
    assert rollup_serves(TotalsFilter()) and not rollup_serves(EVERY_DAY)
    for n, (qualifier, stage) in enumerate(
        [(q, s) for q in ("exact", "at_least", "about", "unknown", "up_to")
         for s in ("announced", "delivered")]
    ):  # fmt: skip
        donor = ("Germany", "France", "Poland")[n % 3]
        item = ITEMS[n % len(ITEMS)]
        money = item in ("aid", "military aid")
        number = None if qualifier == "unknown" else str(100 * (n + 1))
        add_pledge(session, donor, item, qualifier=qualifier, stage=stage,
                   amount=number if money else None, currency="EUR" if money and number else None,
                   quantity=None if money else number)  # fmt: skip
    rollup, pledges = table_item_counts(session), table_item_counts(session, EVERY_DAY)
    for by in ("kind", "category"):
        assert summary(rollup[by]) == summary(pledges[by])
    donors = set(item_counts(session, "donor", EVERY_DAY))
    assert len(donors) == 3
    assert summary(rollup_donor_item_counts(session, donors)) == summary(
        item_counts(session, "donor", EVERY_DAY, keys=donors)
    )
    assert rollup["kind"]["military"].unquantified == 1
    assert {row.unit for row in rollup["kind"]["military"].items} == {"missile", "vehicle"}


def test_a_row_of_items_lists_counts_and_unquantified(session: Session) -> None:
    add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000",
               qualifier="at_least")  # fmt: skip
    add_pledge(session, "United Kingdom", "air defence missiles", qualifier="unknown")
    uk = add_pledge(session, "United Kingdom", "tanks", quantity="4")
    counts = item_counts(session, "donor", EVERY_DAY, keys={uk.donor_id})[uk.donor_id]
    assert not counts.has_money and counts.unquantified == 1
    assert [(row.unit, row.quantity, row.open_ended) for row in counts.items] == [
        ("missile", Decimal(5000), True),
        ("vehicle", Decimal(4), False),
    ]


QUANTITY_ITEMS = ("air defence missiles", "tanks", "drones", "interceptor drones")
GIVEN = st.tuples(
    st.sampled_from(("Germany", "France", "Poland")),
    st.sampled_from((*QUANTITY_ITEMS, "aid")),
    st.sampled_from(("1", "2", "5", None)),  # few sizes: quantities tie
    st.sampled_from(("exact", "at_least", "about")),
    st.sampled_from(("announced", "delivered", "cancelled")),
    st.booleans(),  # deleted afterwards: its rollup rows hold zeros
)


@settings(max_examples=25,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(GIVEN, min_size=1, max_size=12), st.sampled_from((None, 1, 2)))
def test_the_shown_donors_counts_from_sql_equal_the_pledge_tables(
    session: Session, pledges: list[tuple[str, str, str | None, str, str, bool]], limit: int | None
) -> None:
    savepoint = session.begin_nested()
    try:
        donor_ids = set()
        for donor, item, quantity, qualifier, stage, deleted in pledges:
            number = quantity if item != "aid" else None
            fields = {"amount": "1000", "currency": "EUR"} if item == "aid" else {}
            pledge = create_pledge(session, PledgeInput(
                donor_id=donor_named(session, donor).id, recipient_id=recipient(session).id,
                item_id=item_named(session, item).id, quantity=Decimal(number) if number else None,
                qualifier=qualifier if number or item == "aid" else "unknown", stage=stage,
                announced=date(2025, 7, 10), **fields,
            ))  # type: ignore[arg-type]  # fmt: skip
            donor_ids.add(pledge.donor_id)
            if deleted:
                delete_pledge(session, pledge.id, expected_version=pledge.version)
        from_sql = rollup_donor_item_counts(session, donor_ids, limit=limit)
        from_pledges = item_counts(session, "donor", EVERY_DAY, keys=donor_ids, limit=limit)
        assert summary(from_sql) == summary(from_pledges)
        for counts in from_sql.values():
            assert limit is None or len(counts.items) <= limit
            assert counts.quantity_items >= len(counts.items)
    finally:
        savepoint.rollback()


def test_a_donor_whose_money_pledges_are_deleted_shows_no_money(session: Session) -> None:
    add_pledge(session, "Germany", "tanks", quantity="4")
    money = add_pledge(session, "Germany", "aid", amount="1000", currency="EUR")
    delete_pledge(session, money.id, expected_version=money.version)
    counts = rollup_donor_item_counts(session, {money.donor_id})[money.donor_id]
    assert not counts.has_money and counts.quantity_items == 1
