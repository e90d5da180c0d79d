"""An article's allocations and deliveries, attached to the pledges they name.

"Britain has delivered the first 1,000 of the more than 5,000 air defence missiles it
promised in July" is not a new pledge: it is a delivering report of the July pledge.
The pledge is found among the live pledges of the same donor and recipient,
announced before the report (or within the matching window after it), of the same
item, else category, else kind (never of another kind); where the sentence states the
promised figure ("of the €18bn"), only among the pledges of that number. Anything that
keeps the report from being recorded (no such pledge, several, a deleted one, a figure
in another unit or below zero) is returned as a message for the import's result:
nothing is written for that report, and the rest of the article is imported. A report
that repeats an allocation or delivery already recorded (another outlet's account of it,
a cumulative "so far" figure) adds nothing again (tracker.services.stage_matching).

A table row matched to a stored pledge (`match: true`) states that pledge's allocated and
delivered figures as of the row's date: they are recorded on it by the same rules, read as
cumulative (the whole allocated or delivered so far), so a row that states what is
recorded adds nothing, one that states more adds the difference, and one that states less
is kept as a flagged corroboration. The row's own report is its key, so the same file
imported again skips the row and records nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

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
from tracker.services.pledge_numbers import derive_pledge_numbers, with_flag
from tracker.services.pledges import PledgeInput, find_donor, find_item, find_recipient
from tracker.services.reports import StageError, StageFigure
from tracker.services.stage_matching import record_stage_report

# How a table row's stage figure is told: the pledge's figure at that stage as of the row
TABLE_ROW_WORDING = "cumulative"


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
    name: 3 same item, 2 same category, 1 same kind, 0 not at all. A pledge of another
    kind fits not at all, whatever its item: "€4.5bn of support disbursed" (financial)
    is no delivery of a humanitarian pledge of the generic item "aid"."""
    item_id, category_id, kind = words
    if pledge.kind != kind:
        return 0
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
    if found.promised is not None:  # "the sixth tranche of the €18bn": a pledge of €18bn
        promised = found.promised
        said = Figures(
            promised.quantity, promised.amount, promised.currency, None, promised.qualifier
        )  # "of up to €18bn" is no account of "up to €33bn", though that range holds €18bn
        scored = [(score, p) for score, p in scored if same_number(Figures.of(p), said)]
    best = max((score for score, _p in scored), default=0)
    fitting = [p for score, p in scored if score == best and score > 0]
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


def row_stage_figures(columns: dict[str, list[Any]], index: int) -> list[StageFigure]:
    """The allocated and delivered figures of the table row at `index` of the import's
    `columns` (none where its cells are blank or 0), as stage figures of its source dated
    as a new pledge's figures are (`stage_columns`): by the row's `allocated_on` or
    `delivered_on` where the table has that column, else by its announcement."""
    figures = []
    for stage in ("allocated", "delivered"):
        quantity, amount = columns[f"{stage}_quantity"][index], columns[f"{stage}_amount"][index]
        if quantity is None and amount is None:
            continue
        figures.append(
            StageFigure(
                stage=stage, quantity=quantity, amount=amount,
                currency=columns["currency"][index] if amount is not None else None,
                reported_on=columns[f"{stage}_on"][index], source_id=columns["source_id"][index],
                unit=columns["unit"][index],
            )
        )  # fmt: skip
    return figures


@dataclass
class RowStages:
    """What recording the stage figures of matched table rows did, by row index: why a
    figure was not recorded (another unit or currency than the pledge's), and which rows
    left a report to check (its figure above the promise or dated before the
    announcement, a smaller running total kept as a flagged corroboration) or a figure
    not recorded: the rows the import counts as flagged for review."""

    refused: dict[int, str] = field(default_factory=dict)
    flagged: set[int] = field(default_factory=set)


def record_matched_row_stages(
    session: Session,
    columns: dict[str, list[Any]],
    matched: Sequence[tuple[int, int]],
    *,
    user: User | None = None,
) -> RowStages:
    """Record the stage figures of the table rows `matched` (row index, id of the stored
    pledge the row repeats) on those pledges by the stage rules."""
    done = RowStages()
    for index, pledge_id in matched:
        for figure in row_stage_figures(columns, index):
            try:
                report = record_stage_report(
                    session, pledge_id, figure, wording=TABLE_ROW_WORDING, user=user
                )
            except StageError as error:
                said = f"{figure.stage} figure not recorded on pledge {pledge_id}: {error}"
                refused = done.refused
                refused[index] = f"{refused[index]}; {said}" if index in refused else said
                done.flagged.add(index)
                continue
            if report.review_flag is not None:
                done.flagged.add(index)
    return done


def with_refusal(flag: str, refusal: str | None) -> str:
    """A matched row's review flag, with why its stage figures were not recorded."""
    return flag if refusal is None else with_flag(flag, refusal)
