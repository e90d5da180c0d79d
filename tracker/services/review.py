"""Reviewing imported pledges at scale: decisions on many pledges at once (the queue and
its filter are in services.review_queue), and undoing a decision.

A decision accepts (the pledges become reviewed) or rejects (they leave the totals,
kept and restorable) a selection of pledges or every queued pledge a filter matches,
with the analyst's reason. It is written as one ReviewDecision with a row per pledge,
one audit event per pledge and one totals delta, all in a savepoint of the caller's
transaction: a refused decision leaves nothing behind. Undoing a decision puts each
pledge back as it was, unless one was changed since (then nothing is undone).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.models import (
    Item,
    Pledge,
    ReviewDecision,
    ReviewDecisionPledge,
    User,
)
from tracker.models._types import utcnow
from tracker.services.audit import audit_event, snapshot
from tracker.services.data_version import bump_data_version
from tracker.services.review_queue import ReviewFilter, queue_query
from tracker.services.rollup import (
    Measures,
    TotalsDelta,
    apply_totals_delta,
    counted,
    pledge_keys,
    pledge_measures,
)
from tracker.services.users import role_allows

__all__ = [
    "MAX_REASON",
    "ReviewConflict",
    "ReviewError",
    "decide",
    "decide_queue",
    "latest_decisions",
    "rejection_of",
    "require_may_reject",
    "restore_rejected",
    "undo_decision",
]

MAX_REASON = 500
ENTITY = "pledge"


class ReviewError(ValueError):
    """A decision that cannot be made as asked; nothing was changed.

    `forbidden` is true when the acting account's role is not enough (a 403, not a 409).
    """

    def __init__(self, message: str, *, forbidden: bool = False) -> None:
        """Keep whether the refusal is about rights."""
        super().__init__(message)
        self.forbidden = forbidden


class ReviewConflict(ReviewError):
    """A pledge changed since the analyst saw it (a 409): reload and decide again."""


def require_may_reject(pledge: Pledge, user: User | None) -> None:
    """Rejecting a pledge an analyst already reviewed takes an admin (the system may)."""
    if pledge.reviewed and user is not None and not role_allows(user.role, "admin"):
        raise ReviewError(
            f"pledge {pledge.id} is already reviewed: only an admin may reject it",
            forbidden=True,
        )


def _clean_reason(reason: str | None) -> str | None:
    """The reason, trimmed; ReviewError when it is longer than the column holds."""
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise ReviewError(f"the reason is {len(text)} characters long; at most {MAX_REASON}")
    return text or None


def _apply(
    session: Session,
    pledges: Sequence[Pledge],
    mutate: Callable[[Pledge], None],
    *,
    action: str,
    note: str,
    user: User | None,
) -> None:
    """Change every pledge, keep the rollup in step and audit each, in one savepoint.

    The same bookkeeping as a single pledge's change, done once for all of them: one
    read of the items' categories, one totals delta, one flush of the audit events.
    """
    user_id = user.id if user is not None else None
    bump_data_version(session)  # first: the lock under which categories are read
    item_ids = {p.item_id for p in pledges}
    rows = session.execute(select(Item.id, Item.category_id).where(Item.id.in_(item_ids)))
    categories = {item_id: category_id for item_id, category_id in rows}
    delta: TotalsDelta = {}
    before = {}
    for pledge in pledges:
        before[pledge.id] = snapshot(pledge)
        _count(delta, pledge, categories, -1)
    try:
        with session.begin_nested():
            for pledge in pledges:
                mutate(pledge)
                pledge.updated_by_id = user_id
            session.flush()
            for pledge in pledges:
                _count(delta, pledge, categories, 1)
            apply_totals_delta(session, delta)
            session.add_all(
                audit_event(
                    action=action,
                    entity=ENTITY,
                    entity_id=pledge.id,
                    before=before[pledge.id],
                    after=snapshot(pledge),
                    user=user,
                    version=pledge.version,
                    note=note,
                )  # fmt: skip
                for pledge in pledges
            )
            session.flush()
    except StaleDataError:
        raise ReviewConflict(
            "another change to these pledges was saved meanwhile: reload the queue and decide again"
        ) from None


def _count(delta: TotalsDelta, pledge: Pledge, categories: Mapping[int, int], sign: int) -> None:
    """Add (1) or take away (-1) what a counted pledge counts for; rejected ones, and
    possible duplicates awaiting a decision, count nil (services.rollup.add_contribution,
    with the categories read once for all pledges)."""
    if not counted(pledge):
        return
    measures = pledge_measures(pledge)
    for key in pledge_keys(pledge, categories[pledge.item_id]):
        delta.setdefault(key, Measures()).add(measures, sign)


def decide(
    session: Session,
    pledge_ids: Sequence[int],
    *,
    accept: bool,
    reason: str | None = None,
    user: User | None = None,
    expected_versions: Mapping[int, int] | None = None,
    scope: str | None = None,
) -> ReviewDecision:
    """Accept or reject the named pledges at once; ReviewError (nothing changed) when one
    is missing, already rejected, already accepted, or changed since the analyst saw it."""
    wanted = sorted(set(pledge_ids))
    if not wanted:
        raise ReviewError("no pledges were chosen")
    cleaned = _clean_reason(reason)
    pledges = list(session.scalars(select(Pledge).where(Pledge.id.in_(wanted))))
    missing = sorted(set(wanted) - {p.id for p in pledges})
    if missing:
        raise ReviewError(f"there is no pledge {', '.join(map(str, missing))}")
    for pledge in pledges:
        if pledge.deleted_at is not None:
            raise ReviewError(f"pledge {pledge.id} is rejected or deleted: restore it first")
        if accept and pledge.reviewed:
            raise ReviewError(f"pledge {pledge.id} is already reviewed")
        if not accept:
            require_may_reject(pledge, user)
        expected = (expected_versions or {}).get(pledge.id)
        if expected is not None and expected != pledge.version:
            raise ReviewConflict(
                f"pledge {pledge.id} was changed since you saw it (now version {pledge.version}, "
                f"you saw {expected}): reload the queue and decide again"
            )
    return _decide(session, pledges, accept, cleaned, user, scope or _selection(len(pledges)))


def _selection(count: int) -> str:
    """The scope of a decision on chosen pledges."""
    return "one pledge" if count == 1 else f"a selection of {count} pledges"


def decide_queue(
    session: Session,
    review_filter: ReviewFilter,
    *,
    accept: bool,
    reason: str | None = None,
    user: User | None = None,
) -> ReviewDecision:
    """Accept or reject every queued pledge the filter matches (a whole source at once)."""
    if review_filter == ReviewFilter():
        raise ReviewError("choose a source, donor, kind or flag before deciding on the queue")
    cleaned = _clean_reason(reason)
    pledges: list[Pledge] = list(session.scalars(queue_query(review_filter)))
    if not pledges:
        raise ReviewError("no queued pledge matches the filter")
    return _decide(session, pledges, accept, cleaned, user, review_filter.describe(session))


def _decide(
    session: Session,
    pledges: Sequence[Pledge],
    accept: bool,
    reason: str | None,
    user: User | None,
    scope: str,
) -> ReviewDecision:
    """Write the decision and change its pledges, all in one savepoint."""
    action = "accept" if accept else "reject"
    now = utcnow()

    def mark(pledge: Pledge) -> None:
        """Accepted pledges become reviewed; rejected ones leave the totals."""
        if accept:
            pledge.reviewed = True
        else:
            pledge.deleted_at = now

    with session.begin_nested():
        decision = ReviewDecision(
            action=action,
            reason=reason,
            scope=scope[:300],
            user_id=user.id if user is not None else None,
            username=user.username if user is not None else None,
        )
        session.add(decision)
        session.flush()
        note = f"{action}ed (decision {decision.id})" + (f": {reason}" if reason else "")
        _apply(session, pledges, mark, action="review", note=note, user=user)
        session.add_all(
            ReviewDecisionPledge(decision_id=decision.id, pledge_id=p.id, version=p.version)
            for p in pledges
        )
        session.flush()
    return decision


def undo_decision(
    session: Session, decision_id: int, *, user: User | None = None
) -> ReviewDecision:
    """Put every pledge of a decision back as it was before it; refused (nothing changed)
    when the decision was undone already or one of its pledges was changed since."""
    decision = session.get(ReviewDecision, decision_id)
    if decision is None:
        raise ReviewError(f"there is no review decision {decision_id}")
    if decision.undone_at is not None:
        raise ReviewError(f"decision {decision_id} was undone already")
    if decision.action == "reject" and user is not None:
        was_reviewed = session.scalars(
            select(Pledge.id)
            .join(ReviewDecisionPledge, ReviewDecisionPledge.pledge_id == Pledge.id)
            .where(ReviewDecisionPledge.decision_id == decision_id, Pledge.reviewed.is_(True))
        ).first()
        if was_reviewed is not None and not role_allows(user.role, "admin"):
            raise ReviewError(
                f"decision {decision_id} rejected reviewed pledges: only an admin may undo it",
                forbidden=True,
            )
    versions = {row.pledge_id: row.version for row in decision.pledges}
    pledges = list(
        session.scalars(select(Pledge).where(Pledge.id.in_(versions)).order_by(Pledge.id))
    )
    changed = [p.id for p in pledges if p.version != versions[p.id]]
    if changed:
        shown = ", ".join(map(str, changed[:10])) + (" …" if len(changed) > 10 else "")
        raise ReviewConflict(
            f"decision {decision_id} cannot be undone: pledge {shown} changed since; "
            "undo by hand from the pledge's history"
        )

    def revert(pledge: Pledge) -> None:
        """Back to unreviewed (an accept) or back into the totals (a reject)."""
        if decision.action == "accept":
            pledge.reviewed = False
        else:
            pledge.deleted_at = None

    action = "review" if decision.action == "accept" else "restore"
    with session.begin_nested():
        _apply(
            session, pledges, revert, action=action, note=f"undid decision {decision_id}",
            user=user,
        )  # fmt: skip
        decision.undone_at = utcnow()
        decision.undone_by = user.username if user is not None else None
        _carry_versions(session, decision, pledges, versions)
        session.flush()
    return decision


def _carry_versions(
    session: Session,
    decision: ReviewDecision,
    pledges: Sequence[Pledge],
    versions: Mapping[int, int],
) -> None:
    """An earlier decision that left a pledge at the version this one changed stays
    undoable: undoing this one puts the pledge back as that decision left it."""
    earlier = session.scalars(
        select(ReviewDecisionPledge)
        .join(ReviewDecision, ReviewDecision.id == ReviewDecisionPledge.decision_id)
        .where(
            ReviewDecision.id < decision.id,
            ReviewDecision.undone_at.is_(None),
            ReviewDecisionPledge.pledge_id.in_(versions),
        )
    )
    now = {p.id: p.version for p in pledges}
    for row in earlier:
        if row.version == versions[row.pledge_id] - 1:
            row.version = now[row.pledge_id]


def restore_rejected(session: Session, pledge_id: int, *, user: User | None = None) -> Pledge:
    """Bring one rejected pledge back into the queue and the totals, audited."""
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        raise ReviewError(f"there is no pledge {pledge_id}")
    decision = rejection_of(session, pledge_id)
    if decision is None:
        raise ReviewError(f"pledge {pledge_id} is not rejected")

    def restore(p: Pledge) -> None:
        """Clear the rejection's deletion mark."""
        p.deleted_at = None

    note = f"restored after decision {decision.id}"
    _apply(session, [pledge], restore, action="restore", note=note, user=user)
    return pledge


def rejection_of(session: Session, pledge_id: int) -> ReviewDecision | None:
    """The standing decision that rejected a pledge, or None (not rejected, or undone)."""
    query = (
        select(ReviewDecision)
        .join(ReviewDecisionPledge, ReviewDecisionPledge.decision_id == ReviewDecision.id)
        .where(
            ReviewDecisionPledge.pledge_id == pledge_id,
            ReviewDecision.action == "reject",
            ReviewDecision.undone_at.is_(None),
            exists().where(Pledge.id == pledge_id, Pledge.deleted_at.is_not(None)),
        )
        .order_by(ReviewDecision.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def latest_decisions(session: Session, limit: int = 10) -> list[tuple[ReviewDecision, int]]:
    """The newest decisions with how many pledges each changed, newest first."""
    counts = (
        select(ReviewDecisionPledge.decision_id, func.count().label("n"))
        .group_by(ReviewDecisionPledge.decision_id)
        .subquery()
    )
    query = (
        select(ReviewDecision, counts.c.n)
        .join(counts, counts.c.decision_id == ReviewDecision.id)
        .order_by(ReviewDecision.id.desc())
        .limit(limit)
    )
    return [(decision, int(n)) for decision, n in session.execute(query)]
