"""An article's revisions of earlier promises ("Germany raised its pledge to €2bn").

Before an article's pledges are stored, each one the extractor marked as an update is
matched to the pledge it names (`services.updates.find_updated`): one clear match is
updated by a report of this article (no new pledge); a pledge already at the new
figure is corroborated. Those leave the article's pledges. Where several pledges could
be meant, or none states the earlier figure the sentence gives, the update is stored
as a new pledge and, after the others are stored, marked as a possible duplicate of
the first candidate with the reason as its review flag (out of the totals until an
analyst decides). An update that names no stored pledge is a new pledge as any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.extract.models import ExtractedPledge, ExtractedPromisedFigure, Extraction
from tracker.models import ItemCategory, Pledge, Report, Source, User
from tracker.services.matching import Figures
from tracker.services.pledge_numbers import derive_pledge_numbers, with_flag
from tracker.services.pledges import (
    PledgeError,
    change_pledge,
    find_donor,
    find_item,
    find_recipient,
)
from tracker.services.reports import add_corroboration
from tracker.services.updates import UpdateFigure, UpdateMatch, find_updated, record_update

EvidenceFor = Callable[[int, int, str], int]


def _figures(found: ExtractedPledge | ExtractedPromisedFigure, announced: date | None) -> Figures:
    """What matching compares of a figure (its EUR value derived for other currencies)."""
    eur = None
    if found.amount is not None and found.currency is not None:
        eur = derive_pledge_numbers(
            quantity=None, amount=found.amount, currency=found.currency,
            qualifier=found.qualifier, announced=announced,
        )["eur"]  # fmt: skip
    return Figures(found.quantity, found.amount, found.currency, eur, found.qualifier)


def _day(found: ExtractedPledge, source: Source) -> date | None:
    """The day of an update: the article's, unless the sentence dates it later (a date it
    names may be the earlier promise's: "up from the £283m it promised in July")."""
    days = [day for day in (found.announced, source.published) if day is not None]
    return max(days) if days else None


def _match(session: Session, found: ExtractedPledge, source: Source) -> UpdateMatch:
    """The pledge an extracted update names, by the rules of `find_updated`."""
    donor = find_donor(session, found.donor)
    recipient = find_recipient(session, found.recipient or "Ukraine")
    if donor is None or recipient is None:
        return UpdateMatch("none")
    item = find_item(session, found.item)
    category_id = item.category_id if item is not None else None
    if item is None and found.category:
        category_id = session.scalar(
            select(ItemCategory.id).where(ItemCategory.name == found.category)
        )
    day = _day(found, source)
    previous = _figures(found.previous, day) if found.previous is not None else None
    return find_updated(
        session, donor_id=donor.id, recipient_id=recipient.id,
        words=(item.id if item is not None else None, category_id), day=day,
        new=_figures(found, day), previous=previous, exclude_source_id=source.id,
    )  # fmt: skip


def _attach(
    session: Session,
    found: ExtractedPledge,
    match: UpdateMatch,
    source: Source,
    evidence_id: int,
    user: User | None,
) -> Report:
    """The report of this article on the pledge it updates or corroborates."""
    assert match.pledge_id is not None
    day = _day(found, source)
    if match.outcome == "corroborates":
        return add_corroboration(
            session, match.pledge_id, source_id=source.id, evidence_id=evidence_id,
            reported_on=day, review_flag=match.reason, user=user,
        )  # fmt: skip
    figure = UpdateFigure(
        quantity=found.quantity, amount=found.amount, currency=found.currency,
        qualifier=found.qualifier, qualifier_text=found.qualifier_text, reported_on=day,
        source_id=source.id, evidence_id=evidence_id,
    )  # fmt: skip
    return record_update(session, match.pledge_id, figure, user=user)


def apply_updates(
    session: Session,
    extraction: Extraction,
    source: Source,
    evidence_for: EvidenceFor,
    reports: list[Report],
    problems: list[str],
    user: User | None = None,
) -> tuple[Extraction, dict[int, UpdateMatch]]:
    """Record the article's updates of stored pledges; returns the extraction without them
    (package indices kept in step) and the ambiguous ones, by their index in it."""
    kept: list[int] = []
    ambiguous: dict[int, UpdateMatch] = {}
    for index, found in enumerate(extraction.pledges):
        if found.updates is None:
            kept.append(index)
            continue
        match = _match(session, found, source)
        if match.outcome in ("updates", "corroborates"):
            evidence_id = evidence_for(found.evidence_start, found.evidence_end, found.evidence)
            try:
                reports.append(_attach(session, found, match, source, evidence_id, user))
                continue
            except PledgeError as error:
                problems.append(f"{found.donor}: {found.evidence!r}: {error}; stored as a pledge")
        elif match.outcome == "ambiguous":
            ambiguous[len(kept)] = match
        kept.append(index)
    if len(kept) == len(extraction.pledges):
        return extraction, ambiguous
    return keep_pledges(extraction, kept), ambiguous


def keep_pledges(extraction: Extraction, kept: Sequence[int]) -> Extraction:
    """The extraction with only the pledges at `kept`, their `part_of` renumbered (a part
    whose total left is no longer a part)."""
    position = {old: new for new, old in enumerate(kept)}
    pledges = tuple(
        replace(p, part_of=position.get(p.part_of) if p.part_of is not None else None)
        for p in (extraction.pledges[i] for i in kept)
    )
    return replace(extraction, pledges=pledges)


def flag_ambiguous_updates(
    session: Session,
    placed: Sequence[int | None],
    ambiguous: dict[int, UpdateMatch],
    new_pledges: Sequence[Pledge],
    problems: list[str],
    user: User | None = None,
) -> None:
    """Mark each new pledge an ambiguous update became as a possible duplicate of its first
    candidate, with the reason as its review flag (`placed`: the pledge each of the
    article's pledges became or corroborates)."""
    new = {p.id: p for p in new_pledges}
    for index, match in ambiguous.items():
        placed_id = placed[index] if index < len(placed) else None
        pledge = new.get(placed_id) if placed_id is not None else None
        if pledge is None or pledge.duplicate_of_id is not None or match.pledge_id is None:
            continue
        of, reason = match.pledge_id, match.reason

        def mark(p: Pledge, of: int = of, reason: str = reason) -> None:
            """Waiting on an analyst: which pledge does it update?"""
            p.duplicate_of_id = of
            p.review_flag = with_flag(p.review_flag, reason)

        change_pledge(
            session, pledge, mark, action="separate", user=user,
            expected_version=pledge.version, note=f"possible update: {reason}",
        )  # fmt: skip
        problems.append(f"pledge {pledge.id} {reason}: marked as a possible duplicate of #{of}")
