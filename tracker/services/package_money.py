"""Money counted once in a package: the stated total's, or the parts' where none counts.

A package (tracker.models.Package) groups the pledges of one announcement. One of them
may be marked as its stated total (`Pledge.package_total`: "$820m in additional security
assistance"); the others are its itemised parts ("$50m ... and $770m"). The rule:

- a pledge outside a package, and a package's stated total, count their money;
- a part counts its money only while its package has no stated total that counts
  (a live one, not awaiting a duplicate decision): delete the total, and the parts'
  sum counts in its place;
- quantities always count: the parts' items are what the package holds.

`Pledge.counts_money` holds the outcome, so the totals' money measures stay tests of
the pledge's own columns (tracker.models.totals.COUNTS_MONEY). The pledge service calls
`prepare_money` before it writes a pledge and `sync_package_money` after, for the
packages the pledge left and joined, so the other pledges of those packages and their
share of the totals rollup follow in the same savepoint.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Pledge, User
from tracker.services.audit import record, snapshot
from tracker.services.pledge_rules import PledgeError
from tracker.services.rollup import TotalsDelta, add_contribution

ENTITY = "pledge"


def counting_total(
    session: Session, package_id: int, *, other_than: int | None = None
) -> int | None:
    """The id of the package's stated total when it counts (live, not awaiting a duplicate
    decision), else None; `other_than` leaves one pledge out of the search."""
    query = select(Pledge.id).where(
        Pledge.package_id == package_id,
        Pledge.package_total.is_(True),
        Pledge.deleted_at.is_(None),
        Pledge.duplicate_of_id.is_(None),
    )
    if other_than is not None:
        query = query.where(Pledge.id != other_than)
    return session.scalar(query)


def counts_money_of(in_package: bool, is_total: bool, package_counts_a_total: bool) -> bool:
    """The rule: money counts outside a package, for a package's stated total, and for a
    part of a package whose stated total does not count (or that states none)."""
    return not in_package or is_total or not package_counts_a_total


def money_counts(pledge: Pledge, total_id: int | None) -> bool:
    """Whether `pledge`'s money counts, given the id of its package's counting total."""
    return counts_money_of(
        pledge.package_id is not None,
        bool(pledge.package_total) or total_id == pledge.id,
        total_id is not None,
    )


def prepare_money(session: Session, pledge: Pledge) -> None:
    """Before `pledge` is written: check its package fields and set its `counts_money`.

    A stated total must be in a package, state an amount of money, and be its package's
    only one (PledgeError naming `package_total`). Reads without flushing, so the pledge
    is written once (one version) with its flag.
    """
    with session.no_autoflush:
        if pledge.package_total:
            if pledge.package_id is None:
                raise PledgeError(
                    "package_total", "only a pledge in a package can be its stated total"
                )
            if pledge.amount is None:
                raise PledgeError(
                    "package_total",
                    "a package's stated total is an amount of money: this pledge states none",
                )
            others = select(Pledge.id).where(
                Pledge.package_id == pledge.package_id, Pledge.package_total.is_(True)
            )
            if pledge.id is not None:
                others = others.where(Pledge.id != pledge.id)
            other = session.scalar(others)
            if other is not None:
                raise PledgeError(
                    "package_total",
                    f"package {pledge.package_id} already has a stated total (pledge {other}): "
                    "unmark it first",
                )
        total_id = None
        if pledge.package_id is not None and not pledge.package_total:
            total_id = counting_total(session, pledge.package_id, other_than=pledge.id)
        wanted = money_counts(pledge, total_id)
        if pledge.counts_money is not wanted:
            pledge.counts_money = wanted


def sync_package_money(
    session: Session,
    delta: TotalsDelta,
    package_ids: Iterable[int | None],
    *,
    written: int,
    user: User | None = None,
) -> None:
    """After pledge `written` was stored: set `counts_money` of the other pledges of these
    packages by the rule, moving their share of the totals in `delta`; each one whose
    flag changes gets an audit event saying why."""
    for package_id in sorted({p for p in package_ids if p is not None}):
        total_id = counting_total(session, package_id)
        members = session.scalars(
            select(Pledge)
            .where(Pledge.package_id == package_id, Pledge.id != written)
            .order_by(Pledge.id)
        ).all()
        for member in members:
            wanted = money_counts(member, total_id)
            if member.counts_money is wanted:
                continue
            before = snapshot(member)
            add_contribution(session, delta, member, -1)
            member.counts_money = wanted
            session.flush()
            add_contribution(session, delta, member, 1)
            note = (
                f"its money counts again: package {package_id} has no counted stated total"
                if wanted
                else f"its money is counted in package {package_id}'s stated total "
                f"(pledge {total_id})"
            )
            record(
                session, action="update", entity=ENTITY, entity_id=member.id, before=before,
                after=snapshot(member), user=user, version=member.version, note=note,
            )  # fmt: skip
