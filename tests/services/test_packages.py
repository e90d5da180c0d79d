"""A package's total and its parts: money counted once, the parts' items counted, each
change version-checked, audited and all or nothing (services/packages, package_money)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_donor
from tests.services.test_totals import assert_rollup_is_fresh, give
from tracker.importers.article import ArticleMeta, import_article
from tracker.models import AuditEvent, Package, Pledge
from tracker.services.packages import (
    group_package,
    package_view,
    set_package,
    start_package,
)
from tracker.services.pledges import (
    EditConflict,
    PledgeError,
    delete_pledge,
    restore_pledge,
    update_pledge,
)
from tracker.services.rollup import Measures
from tracker.services.totals import TotalsFilter, aggregate, grand_total

MILLION = Decimal(1_000_000)


def donor_total(session: Session, donor_id: int) -> tuple[Decimal, int, int]:
    """EUR, pledge count and items (thousandths) of one donor's counted pledges."""
    row = aggregate_measures(session, donor_id)
    return Decimal(row.eur_cents).scaleb(-2), row.pledges, row.quantity_milli


def aggregate_measures(session: Session, donor_id: int) -> Measures:
    """The summed measures of one donor's counted pledges, from the rollup."""
    measures = Measures()
    for _key, m in aggregate(session, (), TotalsFilter(donor_ids=(donor_id,))):
        measures.add(m)
    return measures


def package_of_three(session: Session) -> tuple[Pledge, Pledge, Pledge, Pledge]:
    """A donor's €820m total, its €50m and €770m parts and 4 radars, in one package."""
    donor = make_donor(session)
    total = give(session, donor, amount=820 * MILLION)
    parts = [give(session, donor, amount=a * MILLION) for a in (50, 770)]
    radars = give(
        session, donor, amount=None, currency=None, quantity=4,
        item_id=item_named(session, "drones").id,
    )  # fmt: skip
    start_package(session, total.id, total=True, expected_version=total.version)
    for part in (*parts, radars):
        set_package(session, part.id, total.package_id, total=False, expected_version=part.version)
    return total, parts[0], parts[1], radars


def test_the_stated_total_counts_and_its_parts_money_does_not(session: Session) -> None:
    total, small, large, radars = package_of_three(session)
    assert donor_total(session, total.donor_id) == (820 * MILLION, 4, 4000)
    assert (small.counts_money, large.counts_money, total.counts_money) == (False, False, True)
    assert radars.counts_money is False and radars.quantity == 4  # its items still count
    assert_rollup_is_fresh(session)


def test_deleting_the_total_counts_the_parts_and_restoring_it_counts_it_again(
    session: Session,
) -> None:
    total, small, large, _ = package_of_three(session)
    delete_pledge(session, total.id, expected_version=total.version)
    assert donor_total(session, total.donor_id)[0] == 820 * MILLION  # 50 + 770
    assert small.counts_money and large.counts_money
    note = session.scalars(
        select(AuditEvent.note)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == small.id)
        .order_by(AuditEvent.id)
    ).all()[-1]
    assert note is not None and "counts again" in note
    restore_pledge(session, total.id)
    assert not small.counts_money and donor_total(session, total.donor_id)[0] == 820 * MILLION
    assert_rollup_is_fresh(session)


def test_unmarking_the_total_counts_the_parts_sum_and_the_total_too(session: Session) -> None:
    total, small, _, _ = package_of_three(session)
    set_package(session, total.id, total.package_id, total=False, expected_version=total.version)
    # no stated total: every pledge of the package is a part, and each counts its money
    assert donor_total(session, total.donor_id)[0] == (820 + 50 + 770) * MILLION
    set_package(session, total.id, total.package_id, total=True, expected_version=total.version)
    set_package(session, small.id, None, total=False, expected_version=small.version)
    assert small.package_id is None and small.counts_money
    assert donor_total(session, total.donor_id)[0] == (820 + 50) * MILLION
    assert_rollup_is_fresh(session)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("second total", "already has a stated total"),
        ("items as total", "is an amount of money"),
        ("total outside", "only a pledge in a package"),
    ],
)
def test_a_refused_package_change_writes_nothing(
    session: Session, change: str, message: str
) -> None:
    total, small, _, radars = package_of_three(session)
    pledge = {"second total": small, "items as total": radars, "total outside": small}[change]
    package_id = None if change == "total outside" else total.package_id
    version, before = pledge.version, donor_total(session, total.donor_id)
    with pytest.raises(PledgeError, match=message) as refused:
        set_package(session, pledge.id, package_id, total=True, expected_version=version)
    assert refused.value.field == "package_total"
    session.refresh(pledge)
    assert pledge.version == version and not pledge.package_total
    assert donor_total(session, total.donor_id) == before


def test_a_package_change_from_an_old_version_is_a_conflict(session: Session) -> None:
    total, small, _, _ = package_of_three(session)
    old = small.version
    update_pledge(session, small.id, {"notes": "checked"}, expected_version=old)
    with pytest.raises(EditConflict):
        set_package(session, small.id, None, total=False, expected_version=old)
    assert small.package_id == total.package_id


def test_the_package_view_lists_the_total_and_the_parts(session: Session) -> None:
    total, small, large, radars = package_of_three(session)
    view = package_view(session, small)
    assert view is not None and view.total is not None
    assert view.total.id == total.id and view.total.amount == 820 * MILLION
    assert [p.id for p in view.parts] == [small.id, large.id, radars.id]
    assert package_view(session, give(session, make_donor(session))) is None


def test_grouping_refuses_pledges_of_two_packages(session: Session) -> None:
    total, small, _, _ = package_of_three(session)
    other = give(session, make_donor(session), amount=10 * MILLION)
    start_package(session, other.id, total=True, expected_version=other.version)
    made = group_package(session, other.id, [small.id], source_id=None)
    assert isinstance(made, str) and "not grouped" in made
    assert small.package_id == total.package_id


ARTICLE = (
    "Norway announced €820 million in new support for Ukraine on Monday. "
    "This includes €50 million for demining and €770 million for air defence.\n\n"
    "Sweden pledged €15 million to Ukraine."
)


def test_an_article_import_makes_one_package_of_a_total_and_its_parts(session: Session) -> None:
    norway = donor_named(session, "Norway")
    before = session.scalar(select(Package.id).order_by(Package.id.desc()))
    result = import_article(session, ARTICLE, ArticleMeta(title="t"))
    mine = [p for p in result.pledges if p.donor_id == norway.id]
    amounts = sorted(p.amount for p in mine if p.amount is not None)
    assert amounts == [50 * MILLION, 770 * MILLION, 820 * MILLION]
    packages = {p.package_id for p in mine}
    assert len(packages) == 1 and None not in packages and packages != {before}
    total = next(p for p in mine if p.package_total)
    assert total.amount == 820 * MILLION
    assert all(not p.counts_money for p in mine if p is not total)
    assert all(p.package_id is None for p in result.pledges if p.donor_id != norway.id)
    assert_rollup_is_fresh(session)


def test_a_refused_new_package_leaves_no_package_behind(session: Session) -> None:
    items = give(
        session, make_donor(session), amount=None, currency=None, quantity=40,
        item_id=item_named(session, "drones").id,
    )  # fmt: skip
    packages = session.scalar(select(func.count()).select_from(Package))
    with pytest.raises(PledgeError, match="is an amount of money"):
        start_package(session, items.id, total=True, expected_version=items.version)
    assert session.scalar(select(func.count()).select_from(Package)) == packages
    assert items.package_id is None


def test_a_new_total_whose_parts_repeat_two_packages_is_held_out_of_the_totals(
    session: Session,
) -> None:
    """Another outlet's account of a package whose parts are now in two packages of their
    own: the parts corroborate, the new stated total is a possible duplicate (its money
    would count the parts' again), and the totals stay as they were."""
    norway = donor_named(session, "Norway")
    first = import_article(session, ARTICLE, ArticleMeta(title="t"))
    mine = [p for p in first.pledges if p.donor_id == norway.id]
    total = next(p for p in mine if p.package_total)
    for part in (p for p in mine if p is not total):
        start_package(session, part.id, total=False, expected_version=part.version)
    delete_pledge(session, total.id, expected_version=total.version)
    before = grand_total(session, TotalsFilter(donor_ids=(norway.id,)))
    retold = ARTICLE.replace("on Monday", "on Monday, its defence ministry said")
    second = import_article(session, retold, ArticleMeta(title="u"))
    new_total = next(p for p in second.pledges if p.donor_id == norway.id)
    assert new_total.amount == 820 * MILLION and new_total.duplicate_of_id is not None
    assert any("possible duplicate" in problem for problem in second.problems)
    after = grand_total(session, TotalsFilter(donor_ids=(norway.id,)))
    assert after == before
    assert_rollup_is_fresh(session)
