"""A table with package columns and `match: true`: rows that repeat stored pledges become
their reports, the stored pledges take the rows' places in the package, and money counts
once; where the table and the store disagree, nothing is attached and nothing counts twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tests.importers.test_table_packages import MAPPING, mapping, table
from tests.services.test_totals import assert_rollup_is_fresh
from tracker.importers.table import ImportResult, import_table
from tracker.models import AuditEvent, Package, Pledge, Report
from tracker.services.package_money import counting_total, money_counts
from tracker.services.packages import new_package
from tracker.services.pledges import PledgeInput, create_pledge, delete_pledge
from tracker.services.totals import grand_total

MATCHING = MAPPING + b"match: true\n"
DAY = date(2025, 3, 1)


def stored(
    session: Session, item: str, amount: int, package: Package | None = None, total: bool = False
) -> Pledge:
    """A pledge of Germany entered by hand (no table), in `package` if given."""
    data = PledgeInput(
        donor_id=donor_named(session, "Germany").id, recipient_id=recipient(session).id,
        item_id=item_named(session, item).id, amount=str(amount), currency="EUR",
        announced=DAY, package_id=package.id if package else None, package_total=total,
    )  # fmt: skip
    return create_pledge(session, data)


def package_of(session: Session, first: str) -> Package:
    """An empty stored package (named after a throwaway pledge, deleted at once)."""
    pledge = stored(session, first, 1)
    package = new_package(session, pledge)
    delete_pledge(session, pledge.id, expected_version=pledge.version)
    return package


def g1(day: str, total: int, *parts: tuple[str, int]) -> str:
    """Rows of Germany's package G-1 on `day`: its stated total, then its parts."""
    lines = [f"Germany,{day},military aid,,{total},EUR,G-1,Total\n"]
    lines += [f"Germany,{day},{item},,{amount},EUR,G-1,Part\n" for item, amount in parts]
    return "".join(lines)


def matched(session: Session, rows: str) -> ImportResult:
    """Import the rows with matching on."""
    result = import_table(session, table(rows), "matched.csv", mapping=mapping(MATCHING))
    session.flush()
    return result


def assert_money_by_the_rule(session: Session) -> None:
    """Every pledge of every package counts its money by the package rule."""
    for package_id in session.scalars(select(Package.id)):
        total_id = counting_total(session, package_id)
        for pledge in session.scalars(select(Pledge).where(Pledge.package_id == package_id)):
            session.refresh(pledge)
            assert pledge.counts_money is money_counts(pledge, total_id), pledge.id


def test_a_repeated_pledge_joins_the_tables_new_package(session: Session) -> None:
    tanks = stored(session, "tanks", 60_000_000)
    before = grand_total(session)
    result = matched(
        session, g1("2025-03-01", 100_000_000, ("tanks", 60_000_000), ("ammunition", 40_000_000))
    )
    assert (result.created, result.corroborated, result.packages) == (2, 1, 1)
    session.refresh(tanks)
    total = session.scalars(select(Pledge).where(Pledge.package_total.is_(True))).one()
    assert tanks.package_id == total.package_id and not tanks.package_total
    assert not tanks.counts_money and total.counts_money
    roles = session.scalars(select(Report.role).where(Report.pledge_id == tanks.id)).all()
    assert sorted(roles) == ["announces", "corroborates"]
    after = grand_total(session)
    assert (after.pledges - before.pledges, after.eur - before.eur) == (2, Decimal(40_000_000))
    assert_money_by_the_rule(session)
    assert_rollup_is_fresh(session)


def test_a_matched_table_imported_again_adds_no_pledge_package_or_money(
    session: Session,
) -> None:
    stored(session, "tanks", 60_000_000)
    rows = g1("2025-03-01", 100_000_000, ("tanks", 60_000_000), ("ammunition", 40_000_000))
    matched(session, rows)
    counted = grand_total(session)
    reports = session.scalar(select(func.count()).select_from(Report))
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    again = matched(session, rows)
    assert (again.created, again.skipped, again.already_reported) == (0, 3, 1)
    assert (again.corroborated, again.packages) == (0, 0)
    assert "3 already imported (1 of them as reports of earlier pledges)" in again.summary()
    assert session.scalar(select(func.count()).select_from(Report)) == reports
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert grand_total(session) == counted
    assert session.scalar(select(func.count()).select_from(Package)) == 1
    assert_money_by_the_rule(session)
    assert_rollup_is_fresh(session)


def test_rows_repeating_a_stored_package_join_it_and_state_its_total(session: Session) -> None:
    package = package_of(session, "tanks")
    tanks = stored(session, "tanks", 60_000_000, package)
    ammunition = stored(session, "ammunition", 40_000_000, package)
    before = grand_total(session)
    assert before.eur == Decimal(100_000_000)
    result = matched(
        session, g1("2025-03-02", 110_000_000, ("tanks", 60_000_000), ("drones", 10_000_000))
    )
    assert (result.created, result.corroborated, result.packages) == (2, 1, 1)
    assert session.scalar(select(func.count()).select_from(Package)) == 1
    total = session.scalars(select(Pledge).where(Pledge.package_total.is_(True))).one()
    assert total.package_id == package.id and total.amount == Decimal(110_000_000)
    for part in (tanks, ammunition):
        session.refresh(part)
        assert part.package_id == package.id and not part.counts_money
    after = grand_total(session)
    assert after.eur == Decimal(110_000_000) and after.pledges == before.pledges + 2
    assert_money_by_the_rule(session)
    assert_rollup_is_fresh(session)


def test_rows_repeating_two_stored_packages_are_flagged_and_count_nothing_twice(
    session: Session,
) -> None:
    first, second = package_of(session, "tanks"), package_of(session, "ammunition")
    stored(session, "tanks", 60_000_000, first)
    stored(session, "ammunition", 40_000_000, second)
    before = grand_total(session)
    result = matched(
        session, g1("2025-03-01", 100_000_000, ("tanks", 60_000_000), ("ammunition", 40_000_000))
    )
    assert (result.corroborated, result.possible_duplicates) == (0, 3)
    assert grand_total(session) == before
    flagged = session.scalars(select(Pledge).where(Pledge.duplicate_of_id.is_not(None))).all()
    assert len(flagged) == 3
    assert all("repeat pledges of packages" in (p.review_flag or "") for p in flagged)
    assert len({p.package_id for p in flagged}) == 1
    assert_money_by_the_rule(session)
    assert_rollup_is_fresh(session)


def test_a_table_total_beside_a_stored_total_is_flagged(session: Session) -> None:
    package = package_of(session, "tanks")
    stored(session, "military aid", 100_000_000, package, total=True)
    stored(session, "tanks", 60_000_000, package)
    before = grand_total(session)
    result = matched(session, g1("2025-03-01", 130_000_000, ("tanks", 60_000_000)))
    assert result.corroborated == 0
    assert grand_total(session) == before
    assert_money_by_the_rule(session)
    assert_rollup_is_fresh(session)


ITEMS = ("tanks", "ammunition", "drones")


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    store=st.lists(
        st.tuples(st.sampled_from(ITEMS), st.integers(0, 2), st.booleans()),  # item, package, total
        min_size=1, max_size=5,
    ),
    rows=st.lists(
        st.tuples(st.integers(0, 2), st.booleans(), st.one_of(st.none(), st.integers(0, 4))),
        min_size=1, max_size=6,
    ),  # table package, stated total, which stored pledge the row repeats (None: new)
)  # fmt: skip
def test_any_matched_table_of_packages_counts_money_once(
    session: Session,
    store: list[tuple[str, int, bool]],
    rows: list[tuple[int, bool, int | None]],
) -> None:
    """Generated stored pledges (some in packages) and a table whose rows repeat some of
    them: the totals equal a rebuild, every package counts money by the rule, and the money
    added is at most what the table states (a package's total, or its parts' sum)."""
    savepoint = session.begin_nested()
    try:
        packages = [package_of(session, "tanks") for _ in range(3)]
        pledges, has_total = [], set()
        for number, (item, place, total) in enumerate(store):
            amount = (number + 1) * 1_000_000
            total = total and place not in has_total
            has_total |= {place} if total else set()
            pledges.append(stored(session, item, amount, packages[place], total))
        before = grand_total(session)
        lines, stated, seen_total = [], {}, set()
        for number, (key, total, repeats) in enumerate(rows):
            total = total and key not in seen_total
            seen_total |= {key} if total else set()
            if repeats is not None and repeats < len(pledges):
                copy = pledges[repeats]
                item, amount = copy.item.name, int(copy.amount or 0)
            else:
                item, amount = "military aid" if total else "drones", (number + 50) * 10_000_000
            role = "Total" if total else "Part"
            lines.append(f"Germany,2025-03-01,{item},,{amount},EUR,T{key},{role}\n")
            parts, whole = stated.get(key, (0, None))
            stated[key] = (parts + amount, amount) if total else (parts + amount, whole)
        matched(session, "".join(lines))
        # a package adds at most its stated total, or its parts where that total waits on
        # an analyst: never a stored pledge's money again beside the row repeating it
        claimed = sum(max(whole or 0, parts) for parts, whole in stated.values())
        assert grand_total(session).eur <= before.eur + claimed
        assert_money_by_the_rule(session)
        assert_rollup_is_fresh(session)
    finally:
        savepoint.rollback()
