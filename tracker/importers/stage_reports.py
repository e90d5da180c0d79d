"""An article's allocations and deliveries, attached to the pledges they name.

"Britain has delivered the first 1,000 of the more than 5,000 air defence missiles it
promised in July" is not a new pledge: it is a delivering report of the July pledge.
The pledge is found among the live pledges of the same donor and recipient,
announced before the report (or within the matching window after it), of the same
item, else category, else kind; where several remain, the one whose number is the
promised figure the sentence states. Anything that keeps the report from being
recorded (no such pledge, several, a deleted one, a figure in another unit or
below zero) is returned as a message for the import's result: nothing is written
for that report, and the rest of the article is imported. A report that repeats an
allocation or delivery already recorded (another outlet's account of it, a cumulative
"so far" figure) adds nothing again (tracker.services.stage_matching).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.extract.models import ExtractedStageReport
from tracker.models import Item, ItemCategory, Pledge, Report, Source, User
from tracker.services.matching import (
    MATCH_DAYS,
    Figures,
    Stated,
    candidates_query,
    same_number,
)
from tracker.services.pledge_numbers import derive_pledge_numbers
from tracker.services.pledges import PledgeInput, find_donor, find_item, find_recipient
from tracker.services.reports import StageError, StageFigure
from tracker.services.stage_matching import record_stage_report


def stated_pledge(session: Session, data: PledgeInput) -> Stated:
    """What matching compares of a pledge about to be stored (its EUR value derived)."""
    assert data.donor_id is not None and data.recipient_id is not None
    assert data.item_id is not None
    item = session.get(Item, data.item_id)
    assert item is not None
    amount = None if data.amount is None else Decimal(str(data.amount))
    quantity = None if data.quantity is None else Decimal(str(data.quantity))
    eur = None
    if amount is not None and data.currency is not None:
        eur = derive_pledge_numbers(
            quantity=quantity, amount=amount, currency=data.currency,
            qualifier=data.qualifier, announced=data.announced,
        )["eur"]  # fmt: skip
    figures = Figures(quantity, amount, data.currency, eur, data.qualifier)
    return Stated(
        data.donor_id, data.recipient_id, data.item_id, item.category_id, data.announced,
        figures, data.source_id,
    )  # fmt: skip


def _fits(pledge: Pledge, pledge_category: int, words: tuple[int | None, int | None, str]) -> int:
    """How closely a candidate fits the (item id, category id, kind) the report's words
    name: 3 same item, 2 same category, 1 same kind, 0 not at all."""
    item_id, category_id, kind = words
    if item_id is not None and pledge.item_id == item_id:
        return 3
    if category_id is not None and pledge_category == category_id:
        return 2
    return 1 if pledge.kind == kind else 0


def _named_pledge(
    session: Session, found: ExtractedStageReport, source: Source
) -> tuple[Pledge | None, str | None]:
    """The pledge the report names, or a message saying why none can be chosen."""
    what = f"{found.stage} report {found.evidence!r}"
    donor = find_donor(session, found.donor)
    recipient = find_recipient(session, found.recipient or "Ukraine")
    if donor is None or recipient is None:
        return None, f"{what}: no pledge of {found.donor} is recorded; not recorded"
    day = found.announced or source.published
    latest = day + timedelta(days=MATCH_DAYS) if day is not None else None
    item = find_item(session, found.item)
    category_id = item.category_id if item is not None else None
    if item is None and found.category:
        category_id = session.scalar(
            select(ItemCategory.id).where(ItemCategory.name == found.category)
        )
    words = (item.id if item is not None else None, category_id, found.kind)
    rows = session.execute(
        candidates_query(donor.id, recipient.id, earliest=None, latest=latest)
    ).all()
    scored = [(_fits(p, pledge_category, words), p) for p, pledge_category in rows]
    best = max((score for score, _p in scored), default=0)
    fitting = [p for score, p in scored if score == best and score > 0]
    if found.promised is not None and len(fitting) > 1:
        promised = found.promised
        said = Figures(promised.quantity, promised.amount, promised.currency, None, "exact")
        fitting = [p for p in fitting if same_number(Figures.of(p), said)] or fitting
    if len(fitting) == 1:
        return fitting[0], None
    if fitting:
        ids = ", ".join(f"#{p.id}" for p in fitting)
        return None, f"{what}: several pledges could be meant ({ids}); not recorded"
    deleted = session.scalar(
        select(Pledge.id).where(
            Pledge.donor_id == donor.id,
            Pledge.recipient_id == recipient.id,
            Pledge.deleted_at.is_not(None),
            Pledge.item_id == (item.id if item is not None else -1),
        )
    )
    if deleted is not None:
        return None, f"{what}: the pledge it names (#{deleted}) is deleted; not recorded"
    return None, f"{what}: no matching pledge of {donor.name} is recorded; not recorded"


def attach_stage_report(
    session: Session,
    found: ExtractedStageReport,
    source: Source,
    evidence_id: int,
    *,
    user: User | None = None,
) -> Report | str:
    """Record the allocation or delivery on the pledge it names, or say why not: added to
    its stage figure, or a corroborating report of the stage report it repeats (see
    tracker.services.stage_matching)."""
    pledge, problem = _named_pledge(session, found, source)
    if pledge is None:
        return problem or f"{found.stage} report {found.evidence!r}: not recorded"
    figure = StageFigure(
        stage=found.stage, quantity=found.quantity, amount=found.amount,
        currency=found.currency, reported_on=found.announced or source.published,
        source_id=source.id, evidence_id=evidence_id, unit=found.unit,
    )  # fmt: skip
    try:
        return record_stage_report(session, pledge.id, figure, wording=found.wording, user=user)
    except StageError as error:
        return f"{found.stage} report {found.evidence!r}: {error}; not recorded"
