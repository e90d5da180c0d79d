"""One delivery, many reports: a stage figure told again corroborates, a cumulative one tops
up, an increment adds; splitting a corroboration counts it, and undoing the split takes it
back, each audited, the rollup always equal to a rebuild."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tests.importers.test_matching import rollup_equals_rebuild
from tracker.models import AuditEvent, Evidence, Pledge, Report, Source
from tracker.services.duplicates import split_report
from tracker.services.matching import MATCH_DAYS
from tracker.services.pledges import PledgeError, PledgeInput, create_pledge
from tracker.services.reports import StageError, StageFigure, record_stage
from tracker.services.stage_matching import (
    StageRepeats,
    record_analyst_stage,
    record_stage_report,
    undo_stage_split,
)
from tracker.services.totals import totals

JULY = date(2025, 7, 10)
SERIAL = itertools.count(1)
SEPTEMBER = date(2025, 9, 2)


def missiles(session: Session) -> Pledge:
    """A reviewed promise of 5,000 air defence missiles by the UK."""
    data = PledgeInput(
        donor_id=donor_named(session, "United Kingdom").id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, "air defence missiles").id,
        quantity=5000, unit="missile", qualifier="at_least", announced=JULY, reviewed=True,
    )  # fmt: skip
    return create_pledge(session, data)


def euros(session: Session) -> Pledge:
    """A reviewed promise of €18bn of budget support by the EU."""
    data = PledgeInput(
        donor_id=donor_named(session, "European Union").id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id,
        amount="18000000000", currency="EUR", announced=JULY, reviewed=True,
    )  # fmt: skip
    return create_pledge(session, data)


def article(session: Session) -> Source:
    """Another outlet's article."""
    return make_source(session, kind="article", sha256=f"{next(SERIAL):064x}")


def make_evidence(session: Session, source: Source) -> int:
    """The id of a sentence of `source` that states a delivery."""
    evidence = Evidence(source_id=source.id, start=0, end=20, text="delivered 1,000 again")
    session.add(evidence)
    session.flush()
    return evidence.id


def deliver(
    session: Session,
    pledge: Pledge,
    source: Source | None,
    quantity: int | None = None,
    *,
    amount: str | None = None,
    day: date = SEPTEMBER,
    wording: str = "plain",
    stage: str = "delivered",
) -> Report:
    """Record a source's stage report on the pledge, told with `wording`."""
    figure = StageFigure(
        stage=stage, quantity=quantity, amount=amount, currency="EUR" if amount else None,
        reported_on=day, source_id=source.id if source is not None else None,
    )  # fmt: skip
    report = record_stage_report(session, pledge.id, figure, wording=wording)
    session.flush()
    session.refresh(pledge)
    return report


def test_two_outlets_on_the_same_delivery_count_it_once_with_two_reports(
    session: Session,
) -> None:
    pledge = missiles(session)
    first = deliver(session, pledge, article(session), 1000)
    second = deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(days=1))
    assert pledge.delivered_quantity == Decimal(1000)
    assert (first.role, second.role) == ("delivers", "corroborates")
    assert second.corroborates_id == first.id and second.quantity == Decimal(1000)
    assert second.review_flag is not None and f"report #{first.id}" in second.review_flag
    by_item = {row.key: row for row in totals(session, "item")}
    assert by_item["air defence missiles"].delivered_quantity == Decimal(1000)
    rollup_equals_rebuild(session)


def test_an_allocation_in_two_outlets_counts_once_within_half_a_percent(
    session: Session,
) -> None:
    pledge = euros(session)
    deliver(session, pledge, article(session), amount="1500000000", stage="allocated")
    again = deliver(session, pledge, article(session), amount="1505000000", stage="allocated")
    assert pledge.allocated_amount == Decimal(1500000000)
    assert again.role == "corroborates" and again.amount == Decimal(1505000000)
    other = deliver(session, pledge, article(session), amount="1600000000", stage="allocated")
    assert other.role == "allocates"
    assert pledge.allocated_amount == Decimal(3100000000)
    rollup_equals_rebuild(session)


def test_a_delivery_typed_by_an_analyst_and_then_reported_counts_once(session: Session) -> None:
    pledge = missiles(session)
    typed = record_stage(
        session, pledge.id, StageFigure("delivered", quantity=1000, reported_on=SEPTEMBER)
    )
    reported = deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(3))
    assert reported.corroborates_id == typed.id
    assert pledge.delivered_quantity == Decimal(1000)


def test_the_same_figure_is_added_again_when_the_rules_say_it_is_another_delivery(
    session: Session,
) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    # a day out of the window, an increment: each a delivery of its own
    deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(MATCH_DAYS + 1))
    deliver(session, pledge, article(session), 1000, wording="increment")
    assert pledge.delivered_quantity == Decimal(3000)
    assert {r.role for r in pledge.reports} == {"announces", "delivers"}


def test_one_source_telling_the_same_figure_twice_counts_it_once_with_its_evidence(
    session: Session,
) -> None:
    """The lead and a later paragraph of one article: the second corroborates the first,
    whatever day each is dated; an increment of the same source still adds."""
    pledge = missiles(session)
    source = article(session)
    first = deliver(session, pledge, source, 1000)
    evidence = make_evidence(session, source)
    figure = StageFigure(
        "delivered", quantity=1000, reported_on=SEPTEMBER + timedelta(MATCH_DAYS + 20),
        source_id=source.id, evidence_id=evidence,
    )  # fmt: skip
    again = record_stage_report(session, pledge.id, figure)
    session.refresh(pledge)
    assert pledge.delivered_quantity == Decimal(1000)
    assert (again.role, again.corroborates_id) == ("corroborates", first.id)
    assert again.evidence_id == evidence and again.quantity == Decimal(1000)
    assert again.review_flag is not None and f"report #{first.id}" in again.review_flag
    more = deliver(session, pledge, source, 1000, wording="increment")
    assert more.role == "delivers" and pledge.delivered_quantity == Decimal(2000)
    rollup_equals_rebuild(session)


def test_another_1000_a_week_later_makes_2000(session: Session) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000, wording="cumulative")
    deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(1))
    deliver(
        session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(7), wording="increment"
    )
    assert pledge.delivered_quantity == Decimal(2000)
    rollup_equals_rebuild(session)


def test_a_cumulative_figure_sets_the_stage_figure_by_recording_the_difference(
    session: Session,
) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    so_far = deliver(session, pledge, article(session), 3000, wording="cumulative")
    assert pledge.delivered_quantity == Decimal(3000)
    assert so_far.role == "delivers" and so_far.quantity == Decimal(2000)
    assert so_far.note is not None and "3,000" in so_far.note and "1,000" in so_far.note
    equal = deliver(session, pledge, article(session), 3000, wording="cumulative")
    assert equal.role == "corroborates" and equal.corroborates_id == so_far.id
    smaller = deliver(session, pledge, article(session), 2500, wording="cumulative")
    assert smaller.role == "corroborates" and smaller.review_flag is not None
    assert "less than" in smaller.review_flag
    assert pledge.delivered_quantity == Decimal(3000)
    rollup_equals_rebuild(session)


def test_a_repeated_figure_in_another_unit_is_refused_with_nothing_written(
    session: Session,
) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    reports = len(pledge.reports)
    figure = StageFigure("delivered", quantity=1000, unit="launcher", reported_on=SEPTEMBER)
    with pytest.raises(StageError, match="launcher"):
        record_stage_report(session, pledge.id, figure)
    with pytest.raises(StageError, match="wording"):
        record_stage_report(session, pledge.id, StageFigure("delivered", 5), wording="twice")
    session.refresh(pledge)
    assert len(pledge.reports) == reports


def test_a_split_counts_the_corroboration_and_its_undo_takes_it_back_audited(
    session: Session,
) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    repeat = deliver(session, pledge, article(session), 1000)
    with pytest.raises(PledgeError, match="was not split"):
        undo_stage_split(session, repeat.id)

    assert split_report(session, repeat.id).id == pledge.id
    session.refresh(pledge)
    assert repeat.role == "delivers" and pledge.delivered_quantity == Decimal(2000)
    assert repeat.corroborates_id is not None
    rollup_equals_rebuild(session)

    undo_stage_split(session, repeat.id)
    session.refresh(pledge)
    assert repeat.role == "corroborates" and pledge.delivered_quantity == Decimal(1000)
    rollup_equals_rebuild(session)
    notes = session.scalars(
        select(AuditEvent.note).where(
            AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id,
            AuditEvent.action == "split",
        )
    ).all()  # fmt: skip
    assert len(notes) == 2
    assert "split off" in (notes[0] or "") and "again" in (notes[1] or "")


def test_a_report_repeating_a_split_undone_is_split_as_the_delivery_behind_it(
    session: Session,
) -> None:
    pledge = missiles(session)
    first = deliver(session, pledge, article(session), 1000)
    second = deliver(session, pledge, article(session), 1000)
    split_report(session, second.id)
    third = deliver(session, pledge, article(session), 1000, day=SEPTEMBER + timedelta(1))
    assert third.corroborates_id == second.id  # the nearest, newest delivery
    undo_stage_split(session, second.id)
    split_report(session, third.id)
    session.refresh(pledge)
    assert third.role == "delivers" and pledge.delivered_quantity == Decimal(2000)
    assert [r.role for r in (first, second)] == ["delivers", "corroborates"]


def expected_delivered(events: list[tuple[int, int, int, str]]) -> tuple[int, int]:
    """The delivered figure and the number of corroborating reports the rules give for
    `events` (quantity, day, source, wording), recorded in order on one pledge: a plain
    figure repeats a delivery of the same figure from the same source, or within the window."""
    added: list[tuple[int, int, int]] = []  # (quantity, day, source) of delivering reports
    corroborating = 0
    for quantity, day, source, wording in events:
        current = sum(q for q, _d, _s in added)
        if wording == "increment":
            added.append((quantity, day, source))
        elif wording == "cumulative":
            if quantity > current:
                added.append((quantity - current, day, source))
            else:
                corroborating += 1
        elif any(
            q == quantity and (s == source or abs(d - day) <= MATCH_DAYS) for q, d, s in added
        ):
            corroborating += 1
        else:
            added.append((quantity, day, source))
    return sum(q for q, _d, _s in added), corroborating


EVENTS = st.lists(
    st.tuples(
        st.sampled_from([500, 1000, 2000, 3000]),
        st.integers(0, 40),
        st.integers(0, 2),
        st.sampled_from(["plain", "increment", "cumulative"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=EVENTS)
def test_delivered_is_what_the_rules_say_and_the_rollup_equals_a_rebuild(
    session: Session, events: list[tuple[int, int, int, str]]
) -> None:
    savepoint = session.begin_nested()
    try:
        pledge = missiles(session)
        sources = [article(session) for _ in range(3)]
        for quantity, day, source, wording in events:
            deliver(
                session, pledge, sources[source], quantity,
                day=SEPTEMBER + timedelta(days=day), wording=wording,
            )  # fmt: skip
        delivered, corroborating = expected_delivered(events)
        assert pledge.delivered_quantity == Decimal(delivered)
        roles = [r.role for r in pledge.reports]
        assert roles.count("corroborates") == corroborating
        assert roles.count("delivers") + corroborating == len(events)
        assert all(
            r.corroborates_id is not None for r in pledge.reports if r.role == "corroborates"
        )
        rollup_equals_rebuild(session)
    finally:
        savepoint.rollback()


def typed(
    session: Session,
    pledge: Pledge,
    quantity: int,
    *,
    day: date = SEPTEMBER,
    source: Source | None = None,
    corroborate: int | None = None,
    add: bool = False,
) -> Report:
    """An analyst's delivery typed on the pledge page, as of the pledge's version."""
    figure = StageFigure(
        "delivered", quantity=quantity, reported_on=day,
        source_id=source.id if source is not None else None,
    )  # fmt: skip
    report = record_analyst_stage(
        session, pledge.id, figure, expected_version=pledge.version, corroborate=corroborate,
        add=add,
    )  # fmt: skip
    session.flush()
    session.refresh(pledge)
    return report


def test_an_analysts_figure_repeating_a_report_is_written_only_once_the_analyst_decides(
    session: Session,
) -> None:
    pledge = missiles(session)
    reported = deliver(session, pledge, article(session), 1000)
    version, reports = pledge.version, len(pledge.reports)
    with pytest.raises(StageRepeats, match=f"report #{reported.id}") as question:
        typed(session, pledge, 1000, day=SEPTEMBER + timedelta(2))
    assert question.value.repeated_id == reported.id and question.value.field == "repeats"
    session.refresh(pledge)
    assert (pledge.version, len(pledge.reports)) == (version, reports)

    same = typed(session, pledge, 1000, day=SEPTEMBER + timedelta(2), corroborate=reported.id)
    assert (same.role, same.corroborates_id, same.review_flag) == (
        "corroborates", reported.id, None,
    )  # fmt: skip
    assert pledge.delivered_quantity == Decimal(1000)
    another = typed(session, pledge, 1000, day=SEPTEMBER + timedelta(2), add=True)
    assert another.role == "delivers" and pledge.delivered_quantity == Decimal(2000)
    assert another.note is not None and f"report #{reported.id}" in another.note
    events = session.scalars(
        select(AuditEvent.note).where(
            AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id,
            AuditEvent.action == "record",
        )
    ).all()  # fmt: skip
    assert f"corroborated by report {same.id}" in events and "delivered 1,000 missiles" in events
    rollup_equals_rebuild(session)


def test_an_analysts_figure_that_repeats_nothing_is_added_unasked(session: Session) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    other = typed(session, pledge, 500)
    later = typed(session, pledge, 1000, day=SEPTEMBER + timedelta(MATCH_DAYS + 1))
    assert (other.role, later.role) == ("delivers", "delivers")
    assert other.note is None and pledge.delivered_quantity == Decimal(2500)


def test_two_typed_figures_without_a_source_are_asked_about_too(session: Session) -> None:
    pledge = missiles(session)
    first = typed(session, pledge, 1000)
    with pytest.raises(StageRepeats) as question:
        typed(session, pledge, 1000, day=SEPTEMBER + timedelta(1))
    assert question.value.repeated_id == first.id


def test_an_answer_about_another_report_is_refused_with_nothing_written(
    session: Session,
) -> None:
    pledge = missiles(session)
    reported = deliver(session, pledge, article(session), 1000)
    reports = len(pledge.reports)
    with pytest.raises(StageError, match=f"does not repeat report #{reported.id}"):
        typed(session, pledge, 1200, corroborate=reported.id)
    with pytest.raises(StageError, match="does not repeat report #999"):
        typed(session, pledge, 1000, corroborate=999)
    session.refresh(pledge)
    assert len(pledge.reports) == reports and pledge.delivered_quantity == Decimal(1000)


def test_bad_typed_figures_are_refused_or_flagged_never_a_crash(session: Session) -> None:
    pledge = missiles(session)
    deliver(session, pledge, article(session), 1000)
    for quantity, unit, match in ((-5, None, "negative"), (1000, "launcher", "launcher")):
        figure = StageFigure("delivered", quantity=quantity, unit=unit, reported_on=SEPTEMBER)
        with pytest.raises(StageError, match=match):
            record_analyst_stage(session, pledge.id, figure, expected_version=pledge.version)
    early = typed(session, pledge, 700, day=JULY - timedelta(30))
    assert early.review_flag is not None and "before the pledge was announced" in early.review_flag


ANSWERS = st.lists(
    st.tuples(
        st.sampled_from([500, 1000]),
        st.integers(0, 30),
        st.sampled_from(["corroborates", "adds"]),
        st.booleans(),  # typed by the analyst (else reported by an article)
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=ANSWERS)
def test_an_analysts_entry_is_never_dropped_unasked(
    session: Session, answers: list[tuple[int, int, str, bool]]
) -> None:
    """Whatever came before, a typed figure is either added or asked about with nothing
    written; the answer then adds it or keeps it as a corroboration, never both."""
    savepoint = session.begin_nested()
    try:
        pledge = missiles(session)
        for quantity, day, answer, by_analyst in answers:
            when = SEPTEMBER + timedelta(days=day)
            if not by_analyst:
                deliver(session, pledge, article(session), quantity, day=when)
                continue
            before, reports = pledge.delivered_quantity or 0, len(pledge.reports)
            try:
                report = typed(session, pledge, quantity, day=when)
            except StageRepeats as question:
                session.refresh(pledge)
                assert len(pledge.reports) == reports
                decided = {"corroborate": question.repeated_id}
                report = typed(
                    session, pledge, quantity, day=when,
                    **(decided if answer == "corroborates" else {"add": True}),
                )  # fmt: skip
                assert report.role == ("corroborates" if answer == "corroborates" else "delivers")
            added = Decimal(0) if report.role == "corroborates" else Decimal(quantity)
            assert pledge.delivered_quantity == before + added
            assert len(pledge.reports) == reports + 1
        rollup_equals_rebuild(session)
    finally:
        savepoint.rollback()
