"""Totals through the one totals service, and the rollup that keeps them fast."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_donor, recipient
from tracker.amounts import MAX_INTEGER_DIGITS
from tracker.models import Donor, ItemCategory, Pledge, TotalsRollup
from tracker.services.pledges import (
    PledgeInput,
    create_pledge,
    delete_pledge,
    restore_pledge,
    review_pledge,
    update_pledge,
)
from tracker.services.rollup import KEY_COLUMNS, MEASURE_NAMES
from tracker.services.totals import (
    BY,
    TotalsFilter,
    aggregate,
    aggregate_from_pledges,
    grand_total,
    pledged_vs_delivered,
    rebuild_totals,
    totals,
    totals_by_kind_and_donor,
    unconverted_by_currency,
)

JULY_10 = date(2025, 7, 10)


def give(session: Session, donor: Donor, **fields: object) -> Pledge:
    """Create a pledge by `donor` through the service: €1m of aid unless told otherwise."""
    values: dict[str, object] = {
        "donor_id": donor.id,
        "recipient_id": recipient(session).id,
        "item_id": item_named(session, "aid").id,
        "amount": Decimal("1000000"),
        "currency": "EUR",
        "announced": JULY_10,
    }
    values.update(fields)
    return create_pledge(session, PledgeInput(**values))  # type: ignore[arg-type]


def rollup_rows(session: Session) -> dict[tuple[object, ...], tuple[int, ...]]:
    """The rollup's rows that count something, as plain tuples."""
    result = {}
    for row in session.scalars(select(TotalsRollup)):
        measures = tuple(int(getattr(row, n)) for n in MEASURE_NAMES)
        if any(measures):
            result[tuple(getattr(row, k) for k in KEY_COLUMNS)] = measures
    return result


def assert_rollup_is_fresh(session: Session) -> None:
    """The rollup kept by the writes equals one rebuilt from the pledge table."""
    session.flush()
    kept = rollup_rows(session)
    rebuild_totals(session)
    assert rollup_rows(session) == kept


def test_worked_examples_total_with_bounds(session: Session) -> None:
    uk = donor_named(session, "United Kingdom")
    give(session, uk, amount="283000000", currency="GBP", qualifier="up_to")
    give(session, uk, amount="10000000000", qualifier="at_least")
    row = totals(session, "donor", TotalsFilter(donor_ids=(uk.id,)))[0]
    assert row.key == "United Kingdom" and row.key_id == uk.id and row.pledges == 2
    assert row.eur == Decimal("10328039874.81")
    assert row.eur_lower == Decimal("10000000000.00")
    assert row.usd == Decimal("384101889.42") + Decimal("11709000000.00")
    assert row.open_ended and not row.approximate and row.unconverted == 0
    assert grand_total(session).eur == row.eur
    assert_rollup_is_fresh(session)


def test_quantities_with_bounds_by_item(session: Session) -> None:
    donor = make_donor(session)
    missiles = item_named(session, "air defence missiles")
    for quantity, qualifier in (("5000", "at_least"), ("1000", "about"), ("300", "up_to")):
        give(session, donor, item_id=missiles.id, amount=None, currency=None,
             quantity=quantity, qualifier=qualifier)  # fmt: skip
    (row,) = totals(session, "item")
    assert (row.key, row.unit, row.pledges) == ("air defence missiles", "missile", 3)
    assert row.quantity == Decimal(6300) and row.quantity_lower == Decimal(6000)
    assert row.open_ended and row.approximate
    assert row.eur == 0 and row.unconverted == 0
    (kind_row,) = totals(session, "kind")
    assert kind_row.key == "military" and kind_row.quantity is None


def test_stale_and_unconverted_are_counted_apart(session: Session) -> None:
    donor = make_donor(session)
    give(session, donor, amount="1000000", currency="UAH")
    give(session, donor, amount="2000000", currency="UAH")
    give(session, donor, amount="100", currency="GBP", announced=date(2099, 1, 1))
    give(session, donor, amount="100")
    total = grand_total(session)
    assert total.pledges == 4 and total.unconverted == 2 and total.stale == 1
    assert total.eur > Decimal(100) and total.eur < Decimal(300)
    assert unconverted_by_currency(session) == {"UAH": 2}
    dated = TotalsFilter(start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert unconverted_by_currency(session, dated) == {"UAH": 2}
    assert grand_total(session, dated).stale == 0
    assert_rollup_is_fresh(session)


def test_a_euro_pledge_before_the_ecb_data_counts_in_the_eur_totals(session: Session) -> None:
    """No ECB rate before 1999-01-04: its EUR value is its amount, its USD value None, and
    the rollup, the rebuild and the stage figures all count it in euros."""
    from tracker.services.reports import StageFigure, record_stage

    donor = make_donor(session)
    early = give(session, donor, amount="2500000", announced=date(1998, 11, 3))
    assert (early.eur, early.eur_lower, early.usd) == (Decimal("2500000.00"),) * 2 + (None,)
    assert (early.conversion_status, early.eur_rate, early.rate_date) == ("native", 1, None)
    give(session, donor, amount="1000000")
    record_stage(session, early.id, StageFigure("delivered", amount="1000000", currency="EUR"))
    assert early.delivered_eur == Decimal("1000000.00")
    total = grand_total(session)
    assert total.eur == Decimal("3500000.00") and total.usd == Decimal("1170900.00")
    assert (total.unconverted, total.stale, total.delivered_eur) == (0, 0, Decimal("1000000.00"))
    assert unconverted_by_currency(session) == {}
    assert_rollup_is_fresh(session)
    update_pledge(session, early.id, {"amount": "3000000"}, expected_version=early.version)
    assert grand_total(session).eur == Decimal("4000000.00")
    assert_rollup_is_fresh(session)


def test_group_totals_count_each_pledge_once(session: Session) -> None:
    alpha = make_donor(session, name="Alpha coalition", kind="group")
    beta = make_donor(session, name="Beta coalition", kind="group")
    both = make_donor(session, name="Member of both", kind="country")
    only_alpha = make_donor(session, name="Member of alpha", kind="country")
    alpha.members.extend([both, only_alpha])
    beta.members.append(both)
    session.flush()
    give(session, both, amount="100")
    give(session, only_alpha, amount="10")
    give(session, alpha, amount="1")
    give(session, beta, amount="1000")
    chosen = TotalsFilter(group_id=alpha.id)
    assert grand_total(session, chosen).eur == Decimal("111.00")
    rows = {r.key: r for r in totals(session, "group") if r.key_id in (alpha.id, beta.id)}
    assert rows["Alpha coalition"].eur == Decimal("111.00")
    assert rows["Alpha coalition"].pledges == 3
    assert rows["Beta coalition"].eur == Decimal("1100.00")
    donors = totals(session, "donor", chosen)
    assert [r.key for r in donors] == ["Member of both", "Member of alpha", "Alpha coalition"]
    assert grand_total(session).eur == Decimal("1111.00")
    dated = TotalsFilter(group_id=alpha.id, start=date(2025, 1, 1))
    assert grand_total(session, dated).eur == Decimal("111.00")
    by_month = totals(session, "month", chosen)
    assert [(r.key, r.eur) for r in by_month] == [("2025-07", Decimal("111.00"))]


def test_filters(session: Session) -> None:
    donor = make_donor(session)
    other = make_donor(session)
    drones = item_named(session, "drones")
    give(session, donor, amount="100", announced=date(2025, 1, 5))
    give(session, donor, amount="200", announced=date(2025, 3, 5), stage="delivered")
    give(session, other, amount="400", announced=None, reviewed=True)
    give(session, other, item_id=drones.id, amount="800", announced=date(2025, 3, 9))
    eur = lambda f: grand_total(session, f).eur  # noqa: E731
    assert eur(TotalsFilter()) == Decimal(1500)
    assert eur(TotalsFilter(start=date(2025, 2, 1))) == Decimal(1000)
    assert eur(TotalsFilter(end=date(2025, 2, 1))) == Decimal(100)
    assert eur(TotalsFilter(donor_ids=(donor.id,))) == Decimal(300)
    assert eur(TotalsFilter(kind="military")) == Decimal(800)
    assert eur(TotalsFilter(stage="delivered")) == Decimal(200)
    assert eur(TotalsFilter(reviewed=True)) == Decimal(400)
    assert eur(TotalsFilter(recipient_id=recipient(session).id)) == Decimal(1500)
    assert eur(TotalsFilter(recipient_id=10**6)) == Decimal(0)
    assert eur(TotalsFilter(donor_ids=(other.id,), kind="financial")) == Decimal(400)
    months = [(r.key, r.eur) for r in totals(session, "month")]
    assert months == [("2025-01", 100), ("2025-03", 1000), ("undated", 400)]
    months = [r.key for r in totals(session, "month", TotalsFilter(donor_ids=(donor.id,)))]
    assert months == ["2025-01", "2025-03"]
    categories = totals(session, "category", TotalsFilter(start=date(2025, 1, 1)))
    assert [(r.key, r.eur) for r in categories] == [("drones", 800), ("grant", 300)]
    drones_category = session.scalars(
        select(ItemCategory).where(ItemCategory.name == "drones")
    ).one()
    assert categories[0].key_id == drones_category.id
    stages = [(r.key, r.pledges) for r in totals(session, "stage")]
    assert stages == [("announced", 3), ("delivered", 1)]
    stacks = totals_by_kind_and_donor(session, top=1)
    assert [(s.key_id, s.eur_by_kind) for s in stacks] == [
        (other.id, {"financial": Decimal(400), "military": Decimal(800)})
    ]
    side_by_side = {r.key_id: r for r in pledged_vs_delivered(session, "donor")}
    assert side_by_side[donor.id].pledged.eur == 300
    assert side_by_side[donor.id].delivered.eur == 200
    assert side_by_side[other.id].delivered.pledges == 0


def test_soft_delete_leaves_the_totals_and_restore_brings_it_back(session: Session) -> None:
    donor = make_donor(session)
    give(session, donor, amount="5")
    pledge = give(session, donor, amount="7")
    delete_pledge(session, pledge.id, expected_version=1)
    assert grand_total(session).eur == Decimal(5) and grand_total(session).pledges == 1
    assert totals(session, "donor")[0].pledges == 1
    restore_pledge(session, pledge.id)
    assert grand_total(session).eur == Decimal(12)
    assert_rollup_is_fresh(session)


def test_unreviewed_pledges_drop_out_of_reviewed_totals(session: Session) -> None:
    donor = make_donor(session)
    pledge = give(session, donor, amount="9")
    reviewed = TotalsFilter(reviewed=True)
    assert grand_total(session, reviewed).pledges == 0
    review_pledge(session, pledge.id, accept=True, expected_version=1)
    assert grand_total(session, reviewed).eur == Decimal(9)


def test_rollup_matches_the_pledge_table_after_random_writes(session: Session) -> None:
    chance = random.Random(20250710)
    donors = [make_donor(session) for _ in range(4)]
    items = [item_named(session, n) for n in ("aid", "drones", "loan", "tanks")]
    qualifiers = ("exact", "about", "at_least", "up_to")
    live: list[Pledge] = []
    gone: list[Pledge] = []

    def random_fields() -> dict[str, object]:
        item = chance.choice(items)
        fields: dict[str, object] = {
            "donor_id": chance.choice(donors).id,
            "item_id": item.id,
            "kind": chance.choice((None, None, "humanitarian")),  # not always the item's
            "unit": None,
            "stage": chance.choice(("announced", "committed", "delivered", "cancelled")),
            "qualifier": chance.choice(qualifiers),
            "announced": date(2024, 1, 1) + timedelta(days=chance.randrange(700)),
            "reviewed": chance.random() < 0.5,
            "amount": None,
            "currency": None,
            "quantity": None,
        }
        if item.unit:
            fields["quantity"] = chance.randrange(1, 10_000)
        else:
            fields["amount"] = Decimal(chance.randrange(1, 10**9)) / 100
            fields["currency"] = chance.choice(("EUR", "GBP", "USD", "UAH", "JPY"))
        return fields

    for _ in range(150):
        action = chance.random()
        if action < 0.45 or not live:
            fields = random_fields()
            live.append(
                create_pledge(session, PledgeInput(recipient_id=recipient(session).id, **fields))
            )  # type: ignore[arg-type]
        elif action < 0.75:
            pledge = chance.choice(live)
            update_pledge(session, pledge.id, random_fields(), expected_version=pledge.version)
        elif action < 0.9:
            pledge = live.pop(chance.randrange(len(live)))
            delete_pledge(session, pledge.id, expected_version=pledge.version)
            gone.append(pledge)
        elif gone:
            pledge = gone.pop(chance.randrange(len(gone)))
            restore_pledge(session, pledge.id)
            live.append(pledge)
    assert_rollup_is_fresh(session)
    everything = TotalsFilter(start=date(2000, 1, 1))  # the rollup's month-keyed rows
    for by in BY:
        assert totals(session, by) == totals(session, by, everything), by
        for chosen in (TotalsFilter(), everything):
            got = sorted(aggregate(session, (by,), chosen), key=repr)
            assert got == sorted(aggregate_from_pledges(session, (by,), chosen), key=repr)
    assert grand_total(session) == grand_total(session, everything)
    assert grand_total(session).pledges == len(live)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    digits=st.integers(1, MAX_INTEGER_DIGITS),
    cents=st.integers(0, 99),
    currency=st.sampled_from(["EUR", "GBP", "USD", "JPY", "CHF", "PLN"]),
    quantity=st.decimals(0, Decimal("999999999999.999"), places=3),
)
def test_the_largest_figures_are_stored_and_counted_to_the_cent(
    session: Session, digits: int, cents: int, currency: str, quantity: Decimal
) -> None:
    """A figure as long as the limits allow reads back as written, and the totals read
    from the pledges (a text filter: no rollup row answers it) and from the rollup count
    its euros and its quantity exactly, on SQLite's floats as on PostgreSQL."""
    amount = Decimal("9" * digits) + Decimal(cents).scaleb(-2)
    nested = session.begin_nested()  # each example on the database as it was
    try:
        donor = make_donor(session)
        pledge = give(session, donor, amount=amount, currency=currency)
        counted = give(
            session,
            donor,
            item_id=item_named(session, "missiles").id,
            amount=None,
            currency=None,
            quantity=quantity,
            kind="military",
        )
        session.flush()
        session.expire_all()
        assert (pledge.amount, counted.quantity) == (amount, quantity)
        from_pledges = TotalsFilter(text=donor.name)
        from_rollup = TotalsFilter(donor_ids=(donor.id,))
        for filters in (from_pledges, from_rollup):
            rows = {row.key: (row.eur, row.quantity) for row in totals(session, "item", filters)}
            assert rows == {"aid": (pledge.eur, None), "missiles": (Decimal(0), quantity)}
    finally:
        nested.rollback()
