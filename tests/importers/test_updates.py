"""A report that updates a pledge's figure: "Britain has raised its aid pledge to £350m, up
from the £283m it promised in July" moves the July pledge to £350m (no new pledge), an
analyst can undo it, and an update that could name several pledges waits for a decision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tests.services.test_totals import assert_rollup_is_fresh
from tracker.importers.article import ArticleMeta, import_article, read_article
from tracker.models import AuditEvent, Pledge, Report
from tracker.services.pledges import PledgeError, PledgeInput, create_pledge
from tracker.services.reports import StageFigure, record_stage
from tracker.services.totals import TotalRow, grand_total, totals
from tracker.services.updates import UpdateError, UpdateFigure, record_update, undo_update

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "aljazeera-2025-07-10-rome-conference" / "article.txt"
RAISED = ROOT / "tests" / "data" / "seed-raised" / "article.txt"
MISSILES_RAISED = ROOT / "tests" / "data" / "seed-missiles-raised" / "article.txt"


def import_file(session: Session, path: Path) -> list[str]:
    """Import one article file with its meta.json; returns the import's problems."""
    text, meta = read_article(path)
    result = import_article(session, text, meta)
    session.flush()
    return result.problems


def live_pledges(session: Session) -> list[Pledge]:
    """Every pledge counted or awaiting a decision, oldest first."""
    query = select(Pledge).where(Pledge.deleted_at.is_(None)).order_by(Pledge.id)
    return list(session.scalars(query))


def uk_aid(session: Session) -> Pledge:
    """The seed story's promise of up to £283m in aid."""
    query = select(Pledge).where(
        Pledge.donor_id == donor_named(session, "United Kingdom").id,
        Pledge.currency == "GBP",
        Pledge.deleted_at.is_(None),
        Pledge.duplicate_of_id.is_(None),
    )
    return session.scalars(query).one()


def assert_updated_in_the_audit(
    session: Session, pledge: Pledge, field: str, before: int, after: int
) -> None:
    """The pledge's last audit event is an update of `field` from `before` to `after`."""
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.action == "update"
    assert event.before is not None and event.after is not None
    assert Decimal(event.before[field]) == Decimal(before)
    assert Decimal(event.after[field]) == Decimal(after)


def test_a_raised_pledge_updates_the_seed_pledge_and_moves_the_totals_by_the_difference(
    session: Session,
) -> None:
    import_file(session, SEED)
    pledge = uk_aid(session)
    before_total, before_eur, version = grand_total(session), pledge.eur, pledge.version
    count = len(live_pledges(session))

    assert import_file(session, RAISED) == []

    session.refresh(pledge)
    assert len(live_pledges(session)) == count
    assert (pledge.amount, pledge.currency, pledge.qualifier) == (
        Decimal(350_000_000),
        "GBP",
        "exact",
    )
    assert pledge.version == version + 1
    assert before_eur is not None and pledge.eur is not None and pledge.eur > before_eur
    after_total = grand_total(session)
    assert after_total.pledges == before_total.pledges
    assert after_total.eur - before_total.eur == pledge.eur - before_eur
    roles = sorted(report.role for report in pledge.reports)
    assert roles == ["announces", "updates"]
    update = next(r for r in pledge.reports if r.role == "updates")
    assert update.amount == Decimal(350_000_000) and update.eur == pledge.eur
    assert update.reported_on == date(2025, 8, 4)
    assert update.evidence is not None and "raised its aid pledge" in update.evidence.text
    assert_updated_in_the_audit(session, pledge, "amount", 283_000_000, 350_000_000)
    assert_rollup_is_fresh(session)


def uk_missiles(session: Session) -> Pledge:
    """The seed story's promise of more than 5,000 air defence missiles."""
    query = select(Pledge).where(
        Pledge.donor_id == donor_named(session, "United Kingdom").id,
        Pledge.quantity.is_not(None),
        Pledge.deleted_at.is_(None),
        Pledge.duplicate_of_id.is_(None),
    )
    return session.scalars(query).one()


def missiles_total(session: Session) -> TotalRow:
    """The totals row of air defence missiles."""
    return next(row for row in totals(session, "item") if row.key == "air defence missiles")


def test_a_raised_count_updates_the_seed_pledge_and_moves_the_totals_by_the_difference(
    session: Session,
) -> None:
    import_file(session, SEED)
    pledge = uk_missiles(session)
    before_total, version = grand_total(session), pledge.version
    before_missiles = missiles_total(session)
    assert (pledge.quantity, pledge.qualifier) == (Decimal(5_000), "at_least")
    count = len(live_pledges(session))

    assert import_file(session, MISSILES_RAISED) == []

    session.refresh(pledge)
    assert len(live_pledges(session)) == count
    assert (pledge.quantity, pledge.amount, pledge.qualifier) == (Decimal(6_000), None, "exact")
    assert pledge.version == version + 1
    after_total = grand_total(session)
    assert after_total.pledges == before_total.pledges
    assert after_total.eur == before_total.eur
    after_missiles = missiles_total(session)
    assert after_missiles.pledges == before_missiles.pledges
    assert after_missiles.quantity is not None and before_missiles.quantity is not None
    assert after_missiles.quantity - before_missiles.quantity == Decimal(1_000)
    assert not after_missiles.open_ended and before_missiles.open_ended
    update = next(r for r in pledge.reports if r.role == "updates")
    assert update.quantity == Decimal(6_000) and update.amount is None
    assert update.reported_on == date(2025, 8, 4)
    assert update.evidence is not None and "raised the number of" in update.evidence.text
    assert_updated_in_the_audit(session, pledge, "quantity", 5_000, 6_000)
    assert_rollup_is_fresh(session)

    split = undo_update(session, update.id)

    session.refresh(pledge)
    assert (pledge.quantity, pledge.qualifier) == (Decimal(5_000), "at_least")
    assert grand_total(session) == before_total and missiles_total(session) == before_missiles
    assert split.duplicate_of_id == pledge.id and split.quantity == Decimal(6_000)
    assert [r.role for r in pledge.reports] == ["announces"]
    assert_rollup_is_fresh(session)


def test_a_count_whose_earlier_figure_no_pledge_states_is_flagged(session: Session) -> None:
    import_file(session, SEED)
    text = (
        "London, 4 August. Britain has raised the number of air defence missiles it will "
        "send to Ukraine to 4,000, up from 2,000."
    )
    before = grand_total(session)
    result = import_article(session, text, ArticleMeta(published=date(2025, 8, 4)))
    session.flush()
    (new,) = result.pledges
    assert new.quantity == Decimal(4_000) and new.duplicate_of_id == uk_missiles(session).id
    assert new.review_flag is not None and "none states the earlier figure" in new.review_flag
    assert uk_missiles(session).quantity == Decimal(5_000)
    assert grand_total(session) == before
    assert_rollup_is_fresh(session)


@pytest.mark.parametrize(
    ("path", "stated"),
    [
        (RAISED, lambda p: (p.amount, p.currency) == (Decimal(350_000_000), "GBP")),
        (MISSILES_RAISED, lambda p: (p.quantity, p.amount) == (Decimal(6_000), None)),
    ],
)
def test_the_same_update_read_again_corroborates_it(
    session: Session, path: Path, stated: Callable[[Pledge], bool]
) -> None:
    import_file(session, SEED)
    import_file(session, path)
    text, _meta = read_article(path)
    other = text.replace("London, 4 August.", "London, 5 August (Test Post).")
    import_article(session, other, ArticleMeta(published=date(2025, 8, 5)))
    session.flush()
    (pledge,) = [p for p in live_pledges(session) if p.reports and stated(p)]
    session.refresh(pledge)
    assert sorted(r.role for r in pledge.reports) == ["announces", "corroborates", "updates"]
    assert_rollup_is_fresh(session)


def test_undoing_an_update_restores_the_figure_and_keeps_the_report_as_a_possible_duplicate(
    session: Session,
) -> None:
    import_file(session, SEED)
    pledge = uk_aid(session)
    before_total = grand_total(session)
    import_file(session, RAISED)
    update = session.scalars(select(Report).where(Report.role == "updates")).one()

    split = undo_update(session, update.id)

    session.refresh(pledge)
    assert (pledge.amount, pledge.qualifier) == (Decimal(283_000_000), "up_to")
    assert grand_total(session) == before_total
    assert split.duplicate_of_id == pledge.id and split.amount == Decimal(350_000_000)
    assert [r.role for r in split.reports] == ["announces"]
    assert [r.role for r in pledge.reports] == ["announces"]
    assert_rollup_is_fresh(session)
    try:
        undo_update(session, update.id)
    except UpdateError as error:
        assert "announces" in str(error)
    else:
        raise AssertionError("an update was undone twice")


def test_an_update_is_not_undone_over_a_later_change(session: Session) -> None:
    import_file(session, SEED)
    import_file(session, RAISED)
    pledge = uk_aid(session)
    first = session.scalars(select(Report).where(Report.role == "updates")).one()
    record_update(session, pledge.id, UpdateFigure(amount="400000000", currency="GBP"))
    try:
        undo_update(session, first.id)
    except UpdateError as error:
        assert "changed after" in str(error)
    else:
        raise AssertionError("an earlier update was undone over a later one")
    assert pledge.amount == Decimal(400_000_000)


def test_an_update_that_could_name_several_pledges_is_flagged_and_left_out_of_the_totals(
    session: Session,
) -> None:
    import_file(session, SEED)
    seed_pledge = uk_aid(session)
    create_pledge(
        session,
        PledgeInput(
            donor_id=seed_pledge.donor_id, recipient_id=seed_pledge.recipient_id,
            item_id=seed_pledge.item_id, amount="100000000", currency="GBP",
            announced=date(2025, 6, 1), source_id=make_source(session, title="June").id,
        ),
    )  # fmt: skip
    text = "London, 4 August. Britain has raised its aid pledge to Ukraine to £350m."
    before = grand_total(session)
    figures = {p.id: p.amount for p in live_pledges(session)}

    result = import_article(session, text, ArticleMeta(published=date(2025, 8, 4)))
    session.flush()

    (new,) = result.pledges
    assert new.duplicate_of_id in figures and new.amount == Decimal(350_000_000)
    assert new.review_flag is not None and "may update any of" in new.review_flag
    assert any("possible duplicate" in problem for problem in result.problems)
    assert grand_total(session) == before
    assert {p.id: p.amount for p in live_pledges(session) if p.id != new.id} == figures
    assert_rollup_is_fresh(session)


def test_an_update_whose_earlier_figure_no_pledge_states_is_flagged(session: Session) -> None:
    import_file(session, SEED)
    text = "London, 4 August. Britain has raised its aid pledge to Ukraine to £350m, up from £500m."
    result = import_article(session, text, ArticleMeta(published=date(2025, 8, 4)))
    session.flush()
    (new,) = result.pledges
    assert new.review_flag is not None and "none states the earlier figure" in new.review_flag
    assert uk_aid(session).amount == Decimal(283_000_000)


def test_bad_updates_are_refused_with_nothing_written(session: Session) -> None:
    import_file(session, SEED)
    pledge = uk_aid(session)
    version = pledge.version
    for figure, words in (
        (UpdateFigure(quantity=5), "same kind"),
        (UpdateFigure(amount="-5", currency="GBP"), "negative"),
        (UpdateFigure(amount="5"), "currency"),
        (UpdateFigure(amount="5", currency="XXQ"), "XXQ"),
    ):
        try:
            with session.begin_nested():
                record_update(session, pledge.id, figure)
        except PledgeError as error:
            assert words in str(error), (words, str(error))
        else:
            raise AssertionError(f"{figure} was recorded")
    assert pledge.version == version and pledge.amount == Decimal(283_000_000)
    assert session.scalars(select(Report).where(Report.role == "updates")).all() == []


def test_a_figure_cut_below_what_was_delivered_is_flagged(session: Session) -> None:
    import_file(session, SEED)
    pledge = uk_aid(session)
    record_stage(session, pledge.id, StageFigure("delivered", amount="200000000", currency="GBP"))
    record_update(session, pledge.id, UpdateFigure(amount="150000000", currency="GBP"))
    assert pledge.amount == Decimal(150_000_000) and pledge.delivered_amount == Decimal(200_000_000)
    assert pledge.review_flag is not None and "more than the promised" in pledge.review_flag
    assert_rollup_is_fresh(session)


def test_an_update_to_another_currency_is_refused_once_a_delivery_is_recorded(
    session: Session,
) -> None:
    """The delivered £200m stays counted in pounds: an update of the promise to euros would
    leave it summed as euros, so it is refused, naming the currency; in pounds it is taken."""
    import_file(session, SEED)
    pledge = uk_aid(session)
    record_stage(session, pledge.id, StageFigure("delivered", amount="200000000", currency="GBP"))
    version = pledge.version
    euros = UpdateFigure(amount="400000000", currency="EUR")
    with (
        pytest.raises(UpdateError, match="delivered figures in GBP") as refused,
        session.begin_nested(),
    ):
        record_update(session, pledge.id, euros)
    assert refused.value.field == "currency"
    assert pledge.version == version and pledge.currency == "GBP"
    assert session.scalars(select(Report).where(Report.role == "updates")).all() == []
    record_update(session, pledge.id, UpdateFigure(amount="350000000", currency="GBP"))
    assert pledge.amount == Decimal(350_000_000) and pledge.delivered_amount == Decimal(200_000_000)
    assert_rollup_is_fresh(session)


CURRENCIES = ("EUR", "GBP", "USD", "NOK")


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.tuples(st.integers(1, 10**9), st.sampled_from(CURRENCIES)),
    updates=st.lists(
        st.tuples(st.integers(1, 10**9), st.sampled_from(CURRENCIES), st.booleans()),
        min_size=1, max_size=4,
    ),
)  # fmt: skip
def test_totals_equal_a_rebuild_after_any_updates_and_undos(
    session: Session, first: tuple[int, str], updates: list[tuple[int, str, bool]]
) -> None:
    savepoint = session.begin_nested()
    try:
        pledge = create_pledge(
            session,
            PledgeInput(
                donor_id=donor_named(session, "Norway").id, recipient_id=recipient(session).id,
                item_id=item_named(session, "aid").id, amount=first[0], currency=first[1],
                announced=date(2025, 3, 3),
            ),
        )  # fmt: skip
        for amount, currency, undo in updates:
            if (pledge.amount, pledge.currency) == (Decimal(amount), currency):
                continue  # the same figure corroborates: refused as an update
            report = record_update(
                session, pledge.id, UpdateFigure(amount=amount, currency=currency)
            )
            assert (pledge.amount, pledge.currency) == (Decimal(amount), currency)
            if undo:
                undo_update(session, report.id)
            assert_rollup_is_fresh(session)
        counted = session.scalars(
            select(Pledge).where(Pledge.deleted_at.is_(None), Pledge.duplicate_of_id.is_(None))
        ).all()
        assert grand_total(session).pledges == len(counted)
        assert grand_total(session).eur == sum(
            (p.eur for p in counted if p.eur is not None), Decimal(0)
        )
    finally:
        savepoint.rollback()


def stage_sums(session: Session, pledge: Pledge) -> dict[str, Decimal | None]:
    """What the pledge's allocating and delivering reports add up to, by figure."""
    session.flush()
    reports = session.scalars(select(Report).where(Report.pledge_id == pledge.id)).all()
    sums: dict[str, Decimal | None] = {}
    for stage, role in (("allocated", "allocates"), ("delivered", "delivers")):
        for part in ("amount", "eur"):
            values = [getattr(r, part) for r in reports if r.role == role]
            found = [v for v in values if v is not None]
            sums[f"{stage}_{part}"] = sum(found, Decimal(0)) if found else None
    return sums


def assert_stage_figures_are_their_reports(session: Session, pledge: Pledge) -> None:
    """The pledge's stage figures are the sums of its reports' (amounts and EUR values)."""
    sums = stage_sums(session, pledge)
    assert {name: getattr(pledge, name) for name in sums} == sums


def aid_pledge(session: Session, amount: str, currency: str) -> Pledge:
    """Norway's aid pledge of `amount` in `currency`, through the pledge service."""
    data = PledgeInput(
        donor_id=donor_named(session, "Norway").id, recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id, amount=amount, currency=currency,
        announced=date(2025, 3, 3),
    )  # fmt: skip
    return create_pledge(session, data)


def test_an_update_is_undone_only_once_the_pledges_linked_to_it_since_are_unlinked(
    session: Session,
) -> None:
    """Pledge A, updated from £1m to €2m, then repeated by B (€2m, with its delivery) linked
    to it: undone, A would go back to pounds holding B's euro delivery. The undo is refused
    naming B; once B is unlinked it is undone, and the totals and figures are true."""
    from tracker.services.duplicates import link_pledge, unlink_pledge

    a = aid_pledge(session, "1000000", "GBP")
    update = record_update(session, a.id, UpdateFigure(amount="2000000", currency="EUR"))
    b = aid_pledge(session, "2000000", "EUR")
    record_stage(session, b.id, StageFigure("delivered", amount="50000", currency="EUR"))
    link_pledge(session, b.id, a.id)
    version = a.version
    with pytest.raises(UpdateError) as refused:
        undo_update(session, update.id)
    assert str(refused.value) == (
        f"pledge {b.id} was linked to pledge {a.id} after report {update.id} updated it, with "
        "reports of the new figure: unlink it first"
    )
    assert (a.amount, a.currency, a.version) == (Decimal(2_000_000), "EUR", version)
    unlink_pledge(session, b.id)
    split = undo_update(session, update.id)
    assert (a.amount, a.currency, a.delivered_amount) == (Decimal(1_000_000), "GBP", None)
    assert split.duplicate_of_id == a.id and split.amount == Decimal(2_000_000)
    for pledge in (a, b, split):
        assert_stage_figures_are_their_reports(session, pledge)
    assert_rollup_is_fresh(session)


def test_an_update_is_undone_only_once_its_pledge_linked_elsewhere_is_unlinked(
    session: Session,
) -> None:
    from tracker.services.duplicates import link_pledge, unlink_pledge

    a = aid_pledge(session, "1000000", "GBP")
    update = record_update(session, a.id, UpdateFigure(amount="2000000", currency="GBP"))
    other = aid_pledge(session, "2000000", "GBP")
    link_pledge(session, a.id, other.id)
    with pytest.raises(UpdateError) as refused:
        undo_update(session, update.id)
    assert str(refused.value) == (
        f"report {update.id} updated pledge {a.id}, which was linked to pledge {other.id} "
        f"since: unlink pledge {a.id} first"
    )
    assert_rollup_is_fresh(session)
    unlink_pledge(session, a.id)
    undo_update(session, update.id)
    assert (a.amount, a.currency, a.deleted_at) == (Decimal(1_000_000), "GBP", None)
    assert_rollup_is_fresh(session)


def test_a_pledge_linked_before_the_update_stays_linked_when_it_is_undone(
    session: Session,
) -> None:
    """Its reports were the pledge's when the figure moved, and stay so when it moves back."""
    from tracker.services.duplicates import link_pledge

    a = aid_pledge(session, "1000000", "EUR")
    b = aid_pledge(session, "1000000", "EUR")
    record_stage(session, b.id, StageFigure("delivered", amount="50000", currency="EUR"))
    link_pledge(session, b.id, a.id)
    update = record_update(session, a.id, UpdateFigure(amount="3000000", currency="EUR"))
    undo_update(session, update.id)
    assert (a.amount, a.delivered_amount, b.duplicate_of_id) == (1_000_000, 50_000, a.id)
    assert b.deleted_at is not None
    assert_stage_figures_are_their_reports(session, a)
    assert_rollup_is_fresh(session)
