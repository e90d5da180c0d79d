"""`tracker db reconvert --stale`: stale conversions derived again at newer rates, audited,
in one transaction, the rollup kept equal to a rebuild."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.factories import donor_named
from tests.rates_files import (
    CUTOFF,
    NEW_GBP,
    NEW_USD,
    newer_history_csv,
    shipped_and_newer_history,
    shipped_history_until,
    use_history,
    weekdays_after,
)
from tests.services.test_totals import assert_rollup_is_fresh, give
from tracker.cli import main
from tracker.models import AuditEvent, Pledge
from tracker.rates_file import update_rates
from tracker.services.pledge_numbers import derive_pledge_numbers
from tracker.services.pledges import delete_pledge
from tracker.services.reconvert import reconvert_stale
from tracker.services.totals import grand_total

JULY_10 = date(2025, 7, 10)
NEW_LAST = weekdays_after(CUTOFF, 9)[-1]
CENT = Decimal("0.01")


def load_newer_rates(folder: Path) -> None:
    """Load the test's newer history through the same function the command calls."""
    source = folder / "newer.csv"
    source.write_text(newer_history_csv(), encoding="utf-8")
    update_rates(str(source))


def test_stale_pledges_convert_at_the_newer_rates(
    session: Session, rates_to_cutoff: Path, tmp_path: Path
) -> None:
    uk = donor_named(session, "United Kingdom")
    pounds = give(session, uk, amount="1000000", currency="GBP", announced=JULY_10)
    euros = give(session, uk, amount="500", currency="EUR", announced=JULY_10)
    gone = give(session, uk, amount="70", currency="GBP", announced=JULY_10)
    delete_pledge(session, gone.id, expected_version=gone.version)
    earlier = give(session, uk, amount="300", currency="GBP", announced=date(2025, 3, 3))
    hryvnia = give(session, uk, amount="900", currency="UAH", announced=JULY_10)
    later = give(session, uk, amount="20", currency="GBP", announced=date(2025, 9, 1))
    assert {p.conversion_status for p in (pounds, euros, gone, later)} == {"stale"}
    assert pounds.rate_date == CUTOFF and grand_total(session).stale == 3
    untouched = {p.id: p.version for p in (earlier, hryvnia)}

    load_newer_rates(tmp_path)
    done = reconvert_stale(session)

    assert (done.found, done.changed, done.now_current) == (4, 4, 3)
    assert done.rates_until == NEW_LAST
    gbp, usd = Decimal(NEW_GBP), Decimal(NEW_USD)
    assert (pounds.conversion_status, pounds.rate_date) == ("converted", JULY_10)
    assert (pounds.eur_rate, pounds.usd_rate) == (gbp, usd)
    assert pounds.eur == (Decimal("1000000") / gbp).quantize(CENT, rounding=ROUND_HALF_EVEN)
    assert pounds.usd == (Decimal("1000000") * usd / gbp).quantize(CENT, ROUND_HALF_EVEN)
    assert (euros.conversion_status, euros.usd) == ("native", Decimal("500") * usd)
    assert gone.conversion_status == "converted" and gone.deleted_at is not None
    # announced after the newer rates too: still stale, now at their last day
    assert (later.conversion_status, later.rate_date) == ("stale", NEW_LAST)
    assert {p.id: p.version for p in (earlier, hryvnia)} == untouched
    assert hryvnia.conversion_status == "unconverted"
    assert grand_total(session).stale == 1
    assert_rollup_is_fresh(session)

    notes = session.scalars(
        select(AuditEvent.note)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == pounds.id)
        .order_by(AuditEvent.id)
    ).all()
    assert notes[-1] == f"conversion derived again at the ECB rates to {NEW_LAST}"
    # a second run finds the one still stale and changes nothing
    again = reconvert_stale(session)
    assert (again.found, again.changed, again.now_current) == (1, 0, 0)


def test_nothing_stale_changes_nothing(session: Session, rates_to_cutoff: Path) -> None:
    give(session, donor_named(session, "France"), announced=date(2025, 3, 3))
    assert reconvert_stale(session).found == 0


def test_the_command_reconverts_the_seed_in_one_transaction(
    rates_to_cutoff: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"TRACKER_DATABASE_URL": url, "TRACKER_INSTANCE_PATH": str(rates_to_cutoff.parent)}
    runner = CliRunner()
    for command in (["db", "upgrade"], ["seed"]):
        assert runner.invoke(main, command, env=env).exit_code == 0
    engine = create_engine(url)
    stale = select(Pledge).where(Pledge.conversion_status == "stale")
    with Session(engine) as session:
        before = {p.id: p.eur for p in session.scalars(stale)}
    assert len(before) == 2  # the £283m and the conference's €10bn, both after CUTOFF

    refused = runner.invoke(main, ["db", "reconvert"], env=env)
    assert refused.exit_code == 2 and "--stale" in refused.output
    source = tmp_path / "newer.csv"
    source.write_text(newer_history_csv(), encoding="utf-8")
    assert runner.invoke(main, ["rates", "update", str(source)], env=env).exit_code == 0
    result = runner.invoke(main, ["db", "reconvert", "--stale"], env=env)
    assert result.exit_code == 0, result.output
    assert f"2 stale pledges; 2 converted again at the ECB rates to {NEW_LAST}" in result.output

    with Session(engine) as session:
        assert session.scalars(stale).all() == []
        pledges = [session.get_one(Pledge, pledge_id) for pledge_id in before]
        assert {p.rate_date for p in pledges} == {JULY_10}
        pounds = next(p for p in pledges if p.currency == "GBP")
        assert pounds.eur != before[pounds.id]
        assert pounds.eur == (pounds.amount / Decimal(NEW_GBP)).quantize(CENT, ROUND_HALF_EVEN)
        assert_rollup_is_fresh(session)
        session.rollback()
    engine.dispose()


Spec = tuple[Decimal, str, date | None, str, bool]
pledge_specs = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2),
        st.sampled_from(["EUR", "GBP", "USD", "JPY", "UAH"]),
        st.one_of(st.none(), st.dates(date(2025, 6, 16), date(2025, 7, 31))),
        st.sampled_from(["exact", "about", "at_least", "up_to"]),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=pledge_specs)
def test_reconverted_pledges_equal_new_ones_and_the_rollup_a_rebuild(
    session: Session, rates_to_cutoff: Path, specs: list[Spec]
) -> None:
    savepoint = session.begin_nested()
    use_history(rates_to_cutoff, shipped_history_until(CUTOFF))
    donor = donor_named(session, "Norway")
    pledges = []
    for amount, currency, announced, qualifier, deleted in specs:
        pledge = give(
            session, donor, amount=amount, currency=currency, announced=announced,
            qualifier=qualifier,
        )  # fmt: skip
        if deleted:
            delete_pledge(session, pledge.id, expected_version=pledge.version)
        pledges.append(pledge)
    was_stale = {p.id: p.conversion_status == "stale" for p in pledges}
    versions = {p.id: p.version for p in pledges}

    use_history(rates_to_cutoff, shipped_and_newer_history())
    done = reconvert_stale(session)

    assert done.found == sum(was_stale.values())
    for pledge in pledges:
        fresh = derive_pledge_numbers(
            quantity=pledge.quantity, amount=pledge.amount, currency=pledge.currency,
            qualifier=pledge.qualifier, announced=pledge.announced,
        )  # fmt: skip
        if was_stale[pledge.id]:
            assert {name: getattr(pledge, name) for name in fresh} == fresh
        else:
            assert pledge.version == versions[pledge.id]
        if pledge.announced is not None and pledge.announced <= NEW_LAST:
            assert pledge.conversion_status != "stale"
    assert_rollup_is_fresh(session)
    savepoint.rollback()
