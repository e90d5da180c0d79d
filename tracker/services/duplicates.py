"""An analyst's decisions on repeated pledges: link, split and keep separate, each undoable.

- `link_pledge(p, target)`: p is the same promise as target. Its reports move to
  target (its announcement becomes a corroboration) and p leaves the totals
  (deleted, `duplicate_of_id` = target). `unlink_pledge(p)` undoes it. Pledges linked
  to p before follow it to target, their reports still theirs, so every link can be
  undone in any order. Only a pledge of the same donor and recipient can be linked to.
- `split_report(report)`: a corroborating report is in fact another promise. It
  becomes the announcement of a new pledge with the same donor, item and number,
  counted in the totals, in no package, at the stage the original stood at before its
  allocations and deliveries. Linking that pledge back (`undo_split`) undoes it, after
  any links of it elsewhere are undone (the audit's split event says where it came from). A
  report that corroborates an allocation or delivery is split into one of its own
  instead (`tracker.services.stage_matching.split_stage_report`).
- `keep_separate(p)`: a possible duplicate is its own promise and counts.
  `mark_possible_duplicate(p, of)` undoes it (or flags a pledge by hand).

Every decision goes through the pledge service (rollup and audit in step, all or
nothing) and leaves an audit event on each pledge it touches.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Pledge, Report, User
from tracker.models._types import utcnow
from tracker.services.audit import record, snapshot
from tracker.services.pledge_rules import input_from_pledge
from tracker.services.pledges import ENTITY, PledgeError, change_pledge, create_pledge
from tracker.services.reports import (
    misfit_stage_report,
    recompute_stage_figures,
    stage_without_reports,
)
from tracker.services.stage_matching import split_stage_report


def _pledge(session: Session, pledge_id: int, *, live: bool = True) -> Pledge:
    """The pledge with this id; when `live`, it must not be deleted."""
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        raise PledgeError(None, f"there is no pledge with id {pledge_id}")
    if live and pledge.deleted_at is not None:
        raise PledgeError(None, f"pledge {pledge_id} is deleted: restore it first")
    return pledge


def _recount(
    session: Session, pledge: Pledge, *, action: str, user: User | None, note: str
) -> None:
    """Recompute the pledge's stage figures from its reports, audited even when they stay."""
    version = pledge.version
    before = snapshot(pledge)
    change_pledge(
        session, pledge, lambda p: recompute_stage_figures(session, p), action=action,
        user=user, expected_version=version, note=note,
    )  # fmt: skip
    if pledge.version == version:
        record(
            session, action=action, entity=ENTITY, entity_id=pledge.id, before=before,
            after=snapshot(pledge), user=user, version=pledge.version, note=note,
        )  # fmt: skip


def link_pledge(
    session: Session, pledge_id: int, target_id: int, *, user: User | None = None
) -> Pledge:
    """Make pledge `pledge_id` a set of reports of `target_id`; returns the target."""
    if pledge_id == target_id:
        raise PledgeError(None, f"pledge {pledge_id} cannot be linked to itself")
    pledge, target = _pledge(session, pledge_id), _pledge(session, target_id)
    if target.duplicate_of_id is not None:
        raise PledgeError(
            None, f"pledge {target_id} is itself a possible duplicate: decide on it first"
        )
    if (pledge.donor_id, pledge.recipient_id) != (target.donor_id, target.recipient_id):
        raise PledgeError(
            None, f"pledge {target_id} is {target.donor.name}'s to {target.recipient.name}, "
            f"pledge {pledge_id} {pledge.donor.name}'s to {pledge.recipient.name}: a pledge "
            "repeats only one of the same donor and recipient (check the number)",
        )  # fmt: skip
    reports = session.scalars(select(Report).where(Report.pledge_id == pledge.id)).all()
    misfit = misfit_stage_report(reports, pledge.unit, target)
    if misfit is not None:
        raise PledgeError(
            None, f"pledge {pledge_id} cannot be linked to pledge {target_id}: {misfit}, and "
            "a pledge's figures add up as they stand (record that figure on pledge "
            f"{target_id} in its own unit or currency, or keep the two separate)",
        )  # fmt: skip
    followers = session.scalars(
        select(Pledge).where(Pledge.duplicate_of_id == pledge.id, Pledge.deleted_at.is_not(None))
    ).all()
    for follower in followers:
        change_pledge(
            session, follower, lambda p: setattr(p, "duplicate_of_id", target.id),
            action="link", user=user, expected_version=follower.version,
            note=f"follows pledge {pledge.id}, linked to pledge {target.id}",
        )  # fmt: skip
    followed = {follower.id for follower in followers}

    def retire(p: Pledge) -> None:
        """Out of the totals, pointing at the pledge it repeats."""
        p.deleted_at = utcnow()
        p.duplicate_of_id = target.id

    change_pledge(
        session, pledge, retire, action="link", user=user, expected_version=pledge.version,
        note=f"linked to pledge {target.id}: reports {', '.join(str(r.id) for r in reports)}",
    )  # fmt: skip
    for report in reports:
        report.pledge_id = target.id
        if report.moved_from_id not in followed:  # a follower's reports stay its own
            report.moved_from_id = None if report.moved_from_id == target.id else pledge.id
        if report.role == "announces":
            report.role = "corroborates"
    _recount(session, target, action="link", user=user, note=f"pledge {pledge.id} linked here")
    return target


def _link_event(session: Session, pledge_id: int) -> AuditEvent | None:
    """The newest event that linked the pledge to another (the one an unlink undoes): the
    link event that took it out of the totals. The link events a pledge gets as the target
    of others' links and unlinks leave it as live or as deleted as it was, and are not it."""
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.entity == ENTITY,
            AuditEvent.entity_id == pledge_id,
            AuditEvent.action == "link",
        )
        .order_by(AuditEvent.id.desc())
    )
    for event in session.scalars(query):
        before, after = event.before or {}, event.after or {}
        if before.get("deleted_at") is None and after.get("deleted_at") is not None:
            return event
    return None


def unlink_pledge(session: Session, pledge_id: int, *, user: User | None = None) -> Pledge:
    """Undo `link_pledge`: the pledge and its reports come back as before the link."""
    pledge = _pledge(session, pledge_id, live=False)
    if pledge.deleted_at is None or pledge.duplicate_of_id is None:
        raise PledgeError(None, f"pledge {pledge_id} is not linked to another pledge")
    target = _pledge(session, pledge.duplicate_of_id, live=False)
    event = _link_event(session, pledge_id)
    earlier = (event.before or {}).get("duplicate_of_id") if event is not None else None
    moved = session.scalars(select(Report).where(Report.moved_from_id == pledge.id)).all()
    for report in moved:
        report.pledge_id, report.moved_from_id = pledge.id, None
        own = (report.source_id, report.evidence_id) == (pledge.source_id, pledge.evidence_id)
        if own and report.role == "corroborates":
            report.role = "announces"

    def revive(p: Pledge) -> None:
        """Back in the pledge table as it was before the link."""
        p.deleted_at = None
        p.duplicate_of_id = earlier

    change_pledge(
        session, pledge, revive, action="link", user=user, expected_version=pledge.version,
        note=f"unlinked from pledge {target.id}",
    )  # fmt: skip
    _recount(session, target, action="link", user=user, note=f"pledge {pledge.id} unlinked")
    return pledge


def split_report(session: Session, report_id: int, *, user: User | None = None) -> Pledge:
    """Make a corroborating report the announcement of a new pledge of its own (or, when it
    repeats an allocation or delivery, an allocation or delivery of its own); returns the
    pledge it now counts on."""
    report = session.get(Report, report_id)
    if report is None:
        raise PledgeError(None, f"there is no report with id {report_id}")
    if report.role == "corroborates" and report.corroborates_id is not None:
        return split_stage_report(session, report_id, user=user)
    if report.role != "corroborates":
        raise PledgeError(
            None, f"report {report_id} {report.role} pledge {report.pledge_id}: only a "
            "corroborating report can be split off",
        )  # fmt: skip
    original = _pledge(session, report.pledge_id)
    data = replace(
        input_from_pledge(original), source_id=report.source_id, evidence_id=report.evidence_id,
        source_ref=None, reviewed=False, duplicate_of_id=None, package_id=None,
        package_total=False, stage=stage_without_reports(session, original),
    )  # fmt: skip
    report.moved_from_id = original.id
    report.review_flag = None
    new = create_pledge(session, data, user=user, announcing=report)
    record(
        session, action="split", entity=ENTITY, entity_id=original.id, before=None,
        after={"report": report.id, "pledge": new.id}, user=user, version=original.version,
        note=f"report {report.id} split off as pledge {new.id}",
    )  # fmt: skip
    return new


def undo_split(session: Session, pledge_id: int, *, user: User | None = None) -> Pledge:
    """Undo `split_report`: the split-off pledge goes back to being a report of the original."""
    original = split_from(session, pledge_id)
    if original is None:
        raise PledgeError(None, f"pledge {pledge_id} was not split off another pledge")
    return link_pledge(session, pledge_id, original, user=user)


def split_from(session: Session, pledge_id: int) -> int | None:
    """The pledge `pledge_id` came from: the one its announcing report was moved from (a
    split, an update undone), or else the one the audit's split event names.

    The report's `moved_from_id` also says where a link moved a report from, so a link of
    the split-off pledge elsewhere overwrites it and the unlink clears it; the audit's
    split event keeps it."""
    moved = session.scalar(
        select(Report.moved_from_id).where(
            Report.pledge_id == pledge_id,
            Report.role == "announces",
            Report.moved_from_id.is_not(None),
        )
    )
    if moved is not None:
        return moved
    query = (
        select(AuditEvent.entity_id)
        .where(
            AuditEvent.entity == ENTITY,
            AuditEvent.action == "split",
            AuditEvent.after["pledge"].as_integer() == pledge_id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def keep_separate(session: Session, pledge_id: int, *, user: User | None = None) -> Pledge:
    """A possible duplicate is its own promise: it counts in the totals from now on."""
    pledge = _pledge(session, pledge_id)
    if pledge.duplicate_of_id is None:
        raise PledgeError(None, f"pledge {pledge_id} is not marked as a possible duplicate")
    of = pledge.duplicate_of_id

    def separate(p: Pledge) -> None:
        """No longer waiting on a decision."""
        p.duplicate_of_id = None

    return change_pledge(
        session, pledge, separate, action="separate", user=user,
        expected_version=pledge.version, note=f"kept separate from pledge {of}",
    )  # fmt: skip


def mark_possible_duplicate(
    session: Session, pledge_id: int, of_id: int, *, user: User | None = None
) -> Pledge:
    """Mark a pledge as possibly repeating `of_id`: it leaves the totals until decided."""
    pledge, of = _pledge(session, pledge_id), _pledge(session, of_id)
    if pledge.id == of.id:
        raise PledgeError(None, f"pledge {pledge_id} cannot duplicate itself")

    def mark(p: Pledge) -> None:
        """Waiting on a decision again."""
        p.duplicate_of_id = of.id

    return change_pledge(
        session, pledge, mark, action="separate", user=user, expected_version=pledge.version,
        note=f"possible duplicate of pledge {of.id}",
    )  # fmt: skip
