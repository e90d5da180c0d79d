"""Packages: putting pledges into the package of their announcement, marking its stated
total, and what the pledge page and the API show of a pledge's package.

Every change is an edit of the pledge's `package_id` and `package_total` through the
pledge service (version-checked, audited, one savepoint, the totals rollup in step);
the rule that counts a package's money once is tracker.services.package_money's.
An article import groups the pledges its extraction found to be a total and its parts
(`ExtractedPledge.part_of`) with `group_extracted_packages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.extract.models import Extraction
from tracker.models import Package, Pledge, Source, User
from tracker.money import format_money
from tracker.services.pledges import PledgeError, update_pledge

NAME_LIMIT = 300


@dataclass(frozen=True)
class PackageMember:
    """One pledge of a package, as its page lists it."""

    id: int
    item: str
    quantity: Decimal | None
    unit: str | None
    amount: Decimal | None
    currency: str | None
    counts_money: bool
    deleted: bool


@dataclass(frozen=True)
class PackageView:
    """A pledge's package: its stated total (if any) and its parts, in pledge order."""

    id: int
    name: str
    total: PackageMember | None
    parts: list[PackageMember] = field(default_factory=list)


def _member(pledge: Pledge) -> PackageMember:
    return PackageMember(
        pledge.id, pledge.item_text or pledge.item.name, pledge.quantity, pledge.unit,
        pledge.amount, pledge.currency, pledge.counts_money, pledge.deleted_at is not None,
    )  # fmt: skip


def package_view(session: Session, pledge: Pledge) -> PackageView | None:
    """The package `pledge` is in, with its total and parts; None outside a package."""
    if pledge.package_id is None or pledge.package is None:
        return None
    members = session.scalars(
        select(Pledge).where(Pledge.package_id == pledge.package_id).order_by(Pledge.id)
    ).all()
    total = next((p for p in members if p.package_total), None)
    parts = [_member(p) for p in members if not p.package_total]
    return PackageView(
        pledge.package.id, pledge.package.name, _member(total) if total else None, parts
    )


def package_fields(session: Session, pledge: Pledge) -> dict[str, Any]:
    """What the API shows of a pledge's package: whether the pledge is its stated total,
    whether its money counts, the package and its total's and parts' ids."""
    view = package_view(session, pledge)
    total = view.total if view is not None else None
    return {
        "package_total": bool(pledge.package_total),
        "counts_money": bool(pledge.counts_money),
        "package": None if view is None else {
            "id": view.id, "name": view.name,
            "total_id": total.id if total is not None else None,
            "total_amount": str(total.amount) if total and total.amount is not None else None,
            "total_currency": total.currency if total is not None else None,
            "part_ids": [part.id for part in view.parts],
        },
    }  # fmt: skip


def package_name(pledge: Pledge) -> str:
    """A name for a new package headed by `pledge`: donor, money or item, and date."""
    what = format_money(pledge.amount, pledge.currency or "EUR") if pledge.amount else None
    words = [pledge.donor.name, what or pledge.item_text or pledge.item.name, "package"]
    if pledge.announced is not None:
        words.append(f"of {pledge.announced.isoformat()}")
    return " ".join(words)[:NAME_LIMIT]


def new_package(session: Session, pledge: Pledge, source_id: int | None = None) -> Package:
    """A new, empty package for the announcement `pledge` belongs to."""
    package = Package(
        name=package_name(pledge), donor_id=pledge.donor_id, announced=pledge.announced,
        source_id=source_id if source_id is not None else pledge.source_id,
    )  # fmt: skip
    session.add(package)
    session.flush()
    return package


def set_package(
    session: Session,
    pledge_id: int,
    package_id: int | None,
    *,
    total: bool,
    expected_version: int,
    user: User | None = None,
) -> Pledge:
    """Put a pledge into package `package_id` (None: out of any package), as its stated
    total or as a part, from the version the analyst saw. The package's other pledges
    follow (their money counts or not, see package_money)."""
    if total and package_id is None:
        raise PledgeError("package_total", "only a pledge in a package can be its stated total")
    where = f"package {package_id}" if package_id is not None else "no package"
    role = "stated total" if total else "part"
    note = f"{where}: {role}" if package_id is not None else where
    return update_pledge(
        session, pledge_id, {"package_id": package_id, "package_total": total},
        expected_version=expected_version, user=user, note=note,
    )  # fmt: skip


def start_package(
    session: Session,
    pledge_id: int,
    *,
    total: bool,
    expected_version: int,
    user: User | None = None,
) -> Pledge:
    """Make a new package with the pledge in it (as its stated total, or a part)."""
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        raise PledgeError(None, f"there is no pledge with id {pledge_id}")
    with session.begin_nested():  # a refused change leaves no empty package behind
        package = new_package(session, pledge)
        return set_package(
            session, pledge_id, package.id, total=total, expected_version=expected_version,
            user=user,
        )  # fmt: skip


def group_package(
    session: Session,
    total_id: int,
    part_ids: Sequence[int],
    *,
    source_id: int | None,
    user: User | None = None,
) -> Package | str:
    """Group a stated total and its parts (live pledges) into one package; a message (and
    nothing written) when they cannot be: a pledge already in another package, or one
    the pledge service refuses to change.

    Pledges already in the same package stay; the total is marked the stated total when
    it states money and the package has none yet.
    """
    pledges = [session.get(Pledge, i) for i in dict.fromkeys([total_id, *part_ids])]
    live = [p for p in pledges if p is not None and p.deleted_at is None]
    total = live[0] if live and live[0].id == total_id else None
    if total is None or len(live) < 2:
        return f"package of pledge {total_id}: fewer than two live pledges; not grouped"
    packages = {p.package_id for p in live if p.package_id is not None}
    if len(packages) > 1:
        shown = ", ".join(f"#{i}" for i in sorted(packages))
        return f"package of pledge {total_id}: its pledges are in packages {shown}; not grouped"
    try:
        with session.begin_nested():
            return _grouped(session, total, live, packages, source_id, user)
    except PledgeError as error:
        return f"package of pledge {total_id}: {error}; not grouped"


def _grouped(
    session: Session,
    total: Pledge,
    live: list[Pledge],
    packages: set[int],
    source_id: int | None,
    user: User | None,
) -> Package:
    """`live` pledges in the one package some of them are in (else a new one), `total` its
    stated total when it states money and the package has none yet."""
    package = (
        session.get_one(Package, packages.pop())
        if packages
        else new_package(session, total, source_id)
    )
    has_total = session.scalar(
        select(Pledge.id).where(Pledge.package_id == package.id, Pledge.package_total.is_(True))
    )
    for pledge in live:
        mark = pledge is total and total.amount is not None and has_total in (None, total.id)
        if pledge.package_id == package.id and bool(pledge.package_total) == mark:
            continue
        set_package(
            session, pledge.id, package.id, total=mark, expected_version=pledge.version,
            user=user,
        )  # fmt: skip
    return package


def group_extracted_packages(
    session: Session,
    extraction: Extraction,
    placed: Sequence[int | None],
    source: Source,
    *,
    user: User | None = None,
) -> list[str]:
    """Group the pledges an article import stored or corroborated (`placed[i]`: the pledge
    extracted pledge i became, None when it was not stored) by the extraction's totals and
    parts; returns the messages of groups that could not be made."""
    parts: dict[int, list[int]] = {}
    for index, found in enumerate(extraction.pledges):
        part_id = placed[index] if index < len(placed) else None
        if found.part_of is not None and part_id is not None:
            parts.setdefault(found.part_of, []).append(part_id)
    problems: list[str] = []
    for total_index, part_ids in sorted(parts.items()):
        total_id = placed[total_index] if total_index < len(placed) else None
        if total_id is None:
            continue
        made = group_package(session, total_id, part_ids, source_id=source.id, user=user)
        if isinstance(made, str):
            problems.append(made)
            problems += _hold_new_total(session, total_id, part_ids, source, user)
    return problems


def _hold_new_total(
    session: Session, total_id: int, part_ids: Sequence[int], source: Source, user: User | None
) -> list[str]:
    """A stated total this source made, whose parts repeat pledges of stored packages it
    could not join: a possible duplicate of the first of them, out of the totals until an
    analyst decides, so the parts' money (counted in their packages) is not counted again
    in it (the rule tables follow too: tracker.importers.package_matches)."""
    from tracker.services.duplicates import mark_possible_duplicate

    total = session.get(Pledge, total_id)
    if total is None or total.source_id != source.id or total.duplicate_of_id is not None:
        return []
    held = session.scalars(
        select(Pledge.id)
        .where(Pledge.id.in_(part_ids), Pledge.package_id.is_not(None), Pledge.id != total_id)
        .order_by(Pledge.id)
    ).first()
    if held is None:
        return []
    mark_possible_duplicate(session, total_id, held, user=user)
    return [f"pledge {total_id}: left out of the totals as a possible duplicate of pledge {held}"]
