"""Any sequence of the writes an analyst can make keeps the stored totals true.

A Hypothesis state machine drives the services the pages and the API call (create, edit,
delete and restore, corroborate, link and unlink, split and undo, keep separate, mark a
possible duplicate, record allocations and deliveries as an analyst types them or as a
source tells them (plain, "another", "so far"), split a repeated stage report and undo it,
confirm a flagged report, update a figure and undo it (after a link of it or to it too),
review decisions, their undo and a rejection restored, packages started, joined and
grouped, restoring an earlier version, moving an item to another category) over a few
pledges of two donors. After every step, on SQLite and PostgreSQL:

- the rollup the writes kept equals one rebuilt from the pledge table;
- a live pledge's allocated and delivered figures are the sums of its allocating and
  delivering reports;
- every live pledge has its one announcing report;
- a write the rules refuse leaves every table as it was.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tests.services.test_totals import rollup_rows
from tracker.models import AuditEvent, ItemCategory, Package, Pledge, Report, ReviewDecision
from tracker.services import duplicates
from tracker.services.catalogue import ItemInput, update_item
from tracker.services.packages import group_package, set_package, start_package
from tracker.services.pledges import (
    EditConflict,
    PledgeInput,
    create_pledge,
    delete_pledge,
    restore_pledge,
    restore_version,
    update_pledge,
)
from tracker.services.reports import (
    StageFigure,
    add_corroboration,
    confirm_report,
    record_stage,
)
from tracker.services.review import decide, restore_rejected, undo_decision
from tracker.services.stage_matching import (
    record_analyst_stage,
    record_stage_report,
    undo_stage_split,
)
from tracker.services.totals import rebuild_totals
from tracker.services.updates import UpdateFigure, record_update, undo_update

DAY = date(2025, 7, 10)
DONORS = ("United Kingdom", "Germany")
ITEMS = ("aid", "grant", "air defence missiles")
REFUSED = (ValueError, LookupError, EditConflict)
FINGERPRINTED = ("pledge", "report", "package", "review_decision", "totals_rollup", "item")

figures = st.one_of(
    st.fixed_dictionaries({"amount": st.sampled_from(["0", "1000000", "2500000.50", "7000000"]),
                           "currency": st.sampled_from(["EUR", "GBP"])}),
    st.fixed_dictionaries({"quantity": st.sampled_from(["0", "10", "250", "5000"])}),
)  # fmt: skip
stages = st.sampled_from(("announced", "committed", "allocated", "delivered", "cancelled"))
days = st.integers(-20, 20).map(lambda n: DAY + timedelta(days=n))
picks = st.integers(0, 10_000)


# The writes that name one row (a pledge, a report, a review decision): the model, which
# of its rows they may name, and the service function
ONE_ID_WRITES: dict[str, tuple[Any, tuple[Any, ...], Any]] = {
    "undelete": (Pledge, (Pledge.deleted_at.is_not(None),), restore_pledge),
    "unlink": (Pledge, (), duplicates.unlink_pledge),
    "split": (Report, (Report.role == "corroborates",), duplicates.split_report),
    "undo the split": (Pledge, (), duplicates.undo_split),
    "undo a stage split": (Report, (Report.corroborates_id.is_not(None),), undo_stage_split),
    "keep separate": (Pledge, (), duplicates.keep_separate),
    "confirm a flagged report": (Report, (Report.review_flag.is_not(None),), confirm_report),
    "undo an update": (Report, (Report.role == "updates",), undo_update),
    "undo a review decision": (ReviewDecision, (), undo_decision),
    "restore a rejection": (Pledge, (), restore_rejected),
}


def fingerprint(session: Session) -> dict[str, str]:
    """A digest of each table a write may touch, to tell that a refused one changed nothing."""
    session.flush()
    digests = {}
    for table in FINGERPRINTED:
        rows = session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
        digests[table] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    return digests


def write_sequences(session: Session) -> type[RuleBasedStateMachine]:
    """The state machine over the test's session (each run in a savepoint rolled back)."""

    class Writes(RuleBasedStateMachine):
        """The writes of the pages and the API, in any order."""

        def __init__(self) -> None:
            super().__init__()
            self.savepoint = session.begin_nested()
            self.sources = [make_source(session, kind="article", title=f"s{n}") for n in (1, 2)]

        def teardown(self) -> None:
            self.savepoint.rollback()
            session.expunge_all()

        def ids(self, model: Any, *conditions: Any) -> list[int]:
            return list(session.scalars(select(model.id).where(*conditions).order_by(model.id)))

        def pick(self, model: Any, n: int, *conditions: Any) -> int | None:
            ids = self.ids(model, *conditions)
            return ids[n % len(ids)] if ids else None

        def attempt(self, write: Any) -> Exception | None:
            """Run a write; one the rules refuse must leave every table as it was. Returns
            the refusal, or None for a write made."""
            before = fingerprint(session)
            step = session.begin_nested()
            try:
                write()
                session.flush()
            except REFUSED as refusal:
                step.rollback()
                session.expire_all()
                assert fingerprint(session) == before
                return refusal
            step.commit()
            return None

        def version(self, pledge_id: int) -> int:
            return session.get_one(Pledge, pledge_id).version

        @rule(donor=st.sampled_from(DONORS), item=st.sampled_from(ITEMS), figure=figures,
              stage=stages, day=days, source=st.integers(0, 2))  # fmt: skip
        def create(
            self, donor: str, item: str, figure: dict[str, str], stage: str, day: date, source: int
        ) -> None:
            data = PledgeInput(
                donor_id=donor_named(session, donor).id, recipient_id=recipient(session).id,
                item_id=item_named(session, item).id, stage=stage, announced=day,
                source_id=self.sources[source].id if source < 2 else None, **figure,
            )  # fmt: skip
            self.attempt(lambda: create_pledge(session, data))

        @rule(n=picks, figure=figures, stage=stages, item=st.sampled_from(ITEMS), day=days)
        def edit(self, n: int, figure: dict[str, str], stage: str, item: str, day: date) -> None:
            pledge_id = self.pick(Pledge, n)
            if pledge_id is None:
                return
            changes = {
                "quantity": None,
                "amount": None,
                "currency": None,
                **figure,
                "stage": stage,
                "item_id": item_named(session, item).id,
                "announced": day,
            }
            self.attempt(lambda: update_pledge(
                session, pledge_id, changes, expected_version=self.version(pledge_id)))  # fmt: skip

        @rule(n=picks)
        def delete(self, n: int) -> None:
            pledge_id = self.pick(Pledge, n)
            if pledge_id is not None:
                self.attempt(lambda: delete_pledge(
                    session, pledge_id, expected_version=self.version(pledge_id)))  # fmt: skip

        @rule(n=picks, source=st.integers(0, 1), day=days)
        def corroborate(self, n: int, source: int, day: date) -> None:
            pledge_id = self.pick(Pledge, n)
            if pledge_id is not None:
                self.attempt(lambda: add_corroboration(
                    session, pledge_id, source_id=self.sources[source].id, evidence_id=None,
                    reported_on=day))  # fmt: skip

        @rule(n=picks, m=picks)
        def link(self, n: int, m: int) -> None:
            a, b = self.pick(Pledge, n), self.pick(Pledge, m)
            if a is not None and b is not None:
                self.attempt(lambda: duplicates.link_pledge(session, a, b))

        @rule(n=picks, m=picks)
        def mark_a_possible_duplicate(self, n: int, m: int) -> None:
            a, b = self.pick(Pledge, n), self.pick(Pledge, m)
            if a is not None and b is not None:
                self.attempt(lambda: duplicates.mark_possible_duplicate(session, a, b))

        @rule(write=st.sampled_from(sorted(ONE_ID_WRITES)), n=picks)
        def write_naming_one_row(self, write: str, n: int) -> None:
            """The undos, restores and decisions that name one pledge, report or decision."""
            model, condition, call = ONE_ID_WRITES[write]
            row_id = self.pick(model, n, *condition)
            if row_id is not None:
                self.attempt(lambda: call(session, row_id))

        @rule(n=picks, stage=st.sampled_from(("allocated", "delivered")), figure=figures,
              day=days, analyst=st.booleans(), add=st.booleans())  # fmt: skip
        def stage_figure(
            self, n: int, stage: str, figure: dict[str, str], day: date, analyst: bool, add: bool
        ) -> None:
            pledge_id = self.pick(Pledge, n)
            if pledge_id is None:
                return
            said = StageFigure(stage=stage, reported_on=day, **figure)
            if analyst:
                self.attempt(lambda: record_analyst_stage(
                    session, pledge_id, said, expected_version=self.version(pledge_id),
                    add=add))  # fmt: skip
            else:
                self.attempt(lambda: record_stage(session, pledge_id, said))

        @rule(n=picks, stage=st.sampled_from(("allocated", "delivered")), figure=figures,
              day=days, wording=st.sampled_from(("plain", "increment", "cumulative")),
              source=st.integers(0, 1))  # fmt: skip
        def stage_report_read_from_a_source(
            self, n: int, stage: str, figure: dict[str, str], day: date, wording: str,
            source: int,
        ) -> None:  # fmt: skip
            pledge_id = self.pick(Pledge, n)
            if pledge_id is not None:
                said = StageFigure(stage=stage, reported_on=day,
                                   source_id=self.sources[source].id, **figure)  # fmt: skip
                self.attempt(lambda: record_stage_report(session, pledge_id, said, wording=wording))

        @rule(n=picks, parts=st.lists(picks, min_size=1, max_size=3))
        def group_a_package(self, n: int, parts: list[int]) -> None:
            total_id = self.pick(Pledge, n)
            if total_id is None:
                return
            part_ids = [self.pick(Pledge, m) or total_id for m in parts]
            before = fingerprint(session)
            grouped = group_package(session, total_id, part_ids, source_id=None)
            if isinstance(grouped, str):  # refused, with a message
                session.expire_all()
                assert fingerprint(session) == before, grouped

        @rule(n=picks, figure=figures, day=days)
        def update_figure(self, n: int, figure: dict[str, str], day: date) -> None:
            pledge_id = self.pick(Pledge, n)
            if pledge_id is not None:
                said = UpdateFigure(reported_on=day, source_id=self.sources[0].id, **figure)
                self.attempt(lambda: record_update(session, pledge_id, said))

        @rule(n=picks, m=picks, figure=figures, into=st.booleans())
        def update_link_and_undo(self, n: int, m: int, figure: dict[str, str], into: bool) -> None:
            """A figure updated, then a pledge linked to the updated one (`into`) or it to
            another, then the update undone: refused, naming the link to undo first, when
            the link was made; undone to the earlier figure when it was refused."""
            pledge_id, other_id = self.pick(Pledge, n), self.pick(Pledge, m)
            if pledge_id is None or other_id is None:
                return
            earlier = (session.get_one(Pledge, pledge_id).amount,
                       session.get_one(Pledge, pledge_id).quantity)  # fmt: skip
            said = UpdateFigure(reported_on=DAY, source_id=self.sources[0].id, **figure)
            updates: list[Report] = []
            if self.attempt(lambda: updates.append(record_update(session, pledge_id, said))):
                return
            one, other = (other_id, pledge_id) if into else (pledge_id, other_id)
            linked = self.attempt(lambda: duplicates.link_pledge(session, one, other)) is None
            refusal = self.attempt(lambda: undo_update(session, updates[0].id))
            if linked:  # the message names the pledge linked and what to do
                assert refusal is not None, "an update undone over a later link"
                assert f"linked to pledge {other}" in str(refusal), refusal
                assert str(one) in str(refusal) and "unlink" in str(refusal), refusal
            else:
                assert refusal is None, refusal
                pledge = session.get_one(Pledge, pledge_id)
                assert (pledge.amount, pledge.quantity) == earlier

        @rule(n=picks, accept=st.booleans())
        def review(self, n: int, accept: bool) -> None:
            pledge_id = self.pick(Pledge, n)
            if pledge_id is not None:
                self.attempt(lambda: decide(session, [pledge_id], accept=accept))

        @rule(n=picks, m=picks, total=st.booleans(), fresh=st.booleans())
        def package(self, n: int, m: int, total: bool, fresh: bool) -> None:
            pledge_id = self.pick(Pledge, n)
            if pledge_id is None:
                return
            version = self.version(pledge_id)
            if fresh:
                self.attempt(lambda: start_package(
                    session, pledge_id, total=total, expected_version=version))  # fmt: skip
                return
            package_id = self.pick(Package, m)
            self.attempt(
                lambda: set_package(
                    session,
                    pledge_id,
                    package_id,
                    total=total and package_id is not None,
                    expected_version=version,
                )
            )

        @rule(n=picks, m=picks)
        def restore_an_earlier_version(self, n: int, m: int) -> None:
            pledge_id = self.pick(Pledge, n)
            if pledge_id is None:
                return
            event_id = self.pick(
                AuditEvent, m, AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge_id
            )
            if event_id is not None:
                self.attempt(
                    lambda: restore_version(
                        session, pledge_id, event_id, expected_version=self.version(pledge_id)
                    )
                )

        @rule(item=st.sampled_from(ITEMS), category=st.sampled_from(("grant", "budget support",
              "air defence", "missiles")))  # fmt: skip
        def move_item(self, item: str, category: str) -> None:
            moved = item_named(session, item)
            category_id = session.scalars(
                select(ItemCategory.id).where(ItemCategory.name == category)
            ).one()
            data = ItemInput(name=moved.name, category_id=category_id, unit=moved.unit)
            self.attempt(lambda: update_item(session, moved.id, data))

        @invariant()
        def the_rollup_equals_a_rebuild(self) -> None:
            session.flush()
            kept = rollup_rows(session)
            rebuild_totals(session)
            assert rollup_rows(session) == kept

        @invariant()
        def stage_figures_are_the_sums_of_their_reports(self) -> None:
            # a linked pledge's reports are the other pledge's now: its own figures wait
            # for an unlink, which counts them again
            for pledge in session.scalars(select(Pledge).where(Pledge.deleted_at.is_(None))):
                reports = session.scalars(select(Report).where(Report.pledge_id == pledge.id))
                sums: dict[str, Decimal] = {}
                for report in reports:
                    stage = {"allocates": "allocated", "delivers": "delivered"}.get(report.role)
                    for part in ("quantity", "amount"):
                        value = getattr(report, part)
                        if stage and value is not None:
                            key = f"{stage}_{part}"
                            sums[key] = sums.get(key, Decimal(0)) + value
                for stage in ("allocated", "delivered"):
                    for part in ("quantity", "amount"):
                        key = f"{stage}_{part}"
                        assert getattr(pledge, key) == sums.get(key), (pledge.id, key)

        @invariant()
        def a_live_pledge_has_one_announcing_report(self) -> None:
            for pledge in session.scalars(select(Pledge).where(Pledge.deleted_at.is_(None))):
                roles = session.scalars(
                    select(Report.role).where(Report.pledge_id == pledge.id)
                ).all()
                assert roles.count("announces") == 1, (pledge.id, roles)

    return Writes


def test_any_sequence_of_writes_keeps_the_totals_true(session: Session) -> None:
    run_state_machine_as_test(
        write_sequences(session),
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
