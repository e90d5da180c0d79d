"""Item counts beside money: the rollup's answer equals the pledge table's, and each
row lists its quantity items, its unquantified pledges and whether it has money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge
from tracker.services.item_counts import (
    item_counts,
    rollup_donor_item_counts,
    table_item_counts,
)
from tracker.services.totals import TotalsFilter, rollup_serves

ITEMS = ("air defence missiles", "aid", "tanks", "military aid")
EVERY_DAY = TotalsFilter(start=date(2000, 1, 1))  # reads the pledge table, covers them all


def summary(counts: dict) -> dict:  # type: ignore[type-arg]
    """The comparable content of item counts."""
    return {
        key: (
            value.has_money,
            value.unquantified,
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
