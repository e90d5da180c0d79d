"""Reports of a pledge: corroborations, and allocations and deliveries with their figures.

A pledge's allocated and delivered figures are the sums of its allocating and
delivering reports (partial deliveries add up), each with the day of the latest
one; its stage is the furthest those figures reach. Recording a stage goes through
the pledge service's `change_pledge`, so the totals rollup and the audit follow in
the same savepoint. A figure larger than the promise, or dated before the
announcement, is recorded and flagged for review; a negative figure, a figure in
another unit or currency than the promise, or a report on a deleted pledge is
refused with a StageError naming the field (a unit is compared where the source names
one: "3 launchers" are not added to a promise of missiles).
When reports leave a pledge (a link undone), a stage they carried steps back to what
the remaining reports support, or the stage the pledge was created with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.models import STAGE_ROLES, AuditEvent, Pledge, Report, User
from tracker.money import MoneyError, format_money, format_quantity, parse_amount, parse_quantity
from tracker.services.audit import record
from tracker.services.pledge_numbers import (
    STAGE_ORDER,
    negative_stage_figure,
    stage_eur,
    stage_report_flag,
    with_flag,
)
from tracker.services.pledge_rules import blank_to_none, same_unit
from tracker.services.pledges import ENTITY, PledgeError, change_pledge, check_version

STAGE_OF_ROLE = {role: stage for stage, role in STAGE_ROLES.items()}

REPORT_FIELDS = (
    "id", "role", "reported_on", "quantity", "amount", "currency", "eur", "source_id",
    "source_title", "source_url", "evidence_id", "evidence", "review_flag", "corroborates_id",
    "note",
)  # fmt: skip
# A pledge's reports newest first, undated ones last, as its page lists them; the pledges
# export joins their source URLs the other way round (NEWEST_FIRST reversed: oldest first)
NEWEST_FIRST = (Report.reported_on.desc().nulls_last(), Report.id.desc())
OLDEST_FIRST = (Report.reported_on.asc().nulls_first(), Report.id.asc())


class StageError(PledgeError):
    """An allocation or delivery that cannot be recorded; nothing was written."""


@dataclass(frozen=True)
class StageFigure:
    """What a report says was allocated or delivered: a quantity, or an amount in a currency."""

    stage: str
    quantity: Decimal | int | str | None = None
    amount: Decimal | int | str | None = None
    currency: str | None = None
    reported_on: date | None = None
    source_id: int | None = None
    evidence_id: int | None = None
    unit: str | None = None  # what a quantity counts, when the source names it

    @property
    def noun(self) -> str:
        """What the figure records, in a message: "delivery" or "allocation"."""
        return "delivery" if self.stage == "delivered" else "allocation"


def _live_pledge(session: Session, pledge_id: int) -> Pledge:
    """The pledge a report is about: it must exist and not be deleted."""
    pledge = session.get(Pledge, pledge_id)
    if pledge is None:
        raise StageError(None, f"there is no pledge with id {pledge_id}")
    if pledge.deleted_at is not None:
        raise StageError(
            None, f"pledge {pledge_id} is deleted: restore it before adding reports to it"
        )
    return pledge


def _parsed(figure: StageFigure, field: str, pledge_id: int) -> Decimal | None:
    """The figure's `field` ("quantity" or "amount"; None when not given); a negative one
    is refused, in the words every path uses (`negative_stage_figure`)."""
    value: Decimal | int | str | None = blank_to_none(getattr(figure, field))
    if value is None:
        return None
    label = figure.noun
    try:
        if field == "quantity":
            number = parse_quantity(value, field=field, allow_negative=True)
        else:
            number = parse_amount(value, field=field, allow_negative=True)
    except MoneyError as error:
        raise StageError(field, f"{label} of pledge {pledge_id}: {error}") from None
    if number < 0:
        raise StageError(field, negative_stage_figure(f"{figure.stage}_{field}"))
    return number


def _checked_number(figure: StageFigure, pledge: Pledge) -> tuple[Decimal | None, Decimal | None]:
    """The figure's quantity and amount, checked against the promise's unit and currency."""
    label = figure.noun
    quantity = _parsed(figure, "quantity", pledge.id)
    amount = _parsed(figure, "amount", pledge.id)
    if quantity is None and amount is None:
        raise StageError("quantity", f"a {label} needs a quantity or an amount")
    for name, value in (("quantity", quantity), ("amount", amount)):
        if value is not None and value <= 0:
            raise StageError(name, f"a {label} of {value} records nothing: it must be above 0")
    if quantity is not None and pledge.quantity is None and pledge.qualifier != "unknown":
        raise StageError(
            "quantity",
            f"pledge {pledge.id} promises an amount of money, not a number of "
            f"{pledge.unit or 'items'}: give the {label} as an amount in {pledge.currency}",
        )
    if pledge.qualifier == "unknown" and pledge.unit is None:
        # no figure, and its item counts no things: money whose amount is not known yet
        raise StageError(
            "amount" if quantity is None else "quantity",
            f"pledge {pledge.id} promises money with no figure stated (qualifier unknown): "
            f"record the promised amount and currency first (edit the pledge), then the "
            f"{label} as an amount in that currency",
        )
    if quantity is not None and not same_unit(figure.unit, pledge.unit):
        raise StageError(
            "quantity",
            f"pledge {pledge.id} promises {pledge.unit}, not {figure.unit}: a {label} of "
            f"{figure.unit} is not added to it",
        )
    if amount is not None:
        currency = (figure.currency or "").strip().upper()
        if pledge.amount is None:
            raise StageError(
                "amount",
                f"pledge {pledge.id} promises {pledge.unit or 'items'}, not money: "
                f"give the {label} as a quantity",
            )
        if currency != pledge.currency:
            raise StageError(
                "currency",
                f"pledge {pledge.id} is in {pledge.currency}: give the {label} in "
                f"{pledge.currency}, not {currency or 'no currency'}",
            )
    return quantity, amount


def check_typed_currency(figure: StageFigure, pledge: Pledge) -> None:
    """Refuse (StageError on the currency) a currency typed with a figure that has no
    amount, unless it is the promise's own (the pledge page fills that in): a count of
    things has no currency, and a sum needs its amount, so the analyst says which was meant
    rather than see the currency dropped."""
    currency = (figure.currency or "").strip().upper()
    if blank_to_none(figure.amount) is not None or not currency or currency == pledge.currency:
        return
    label = figure.noun
    if pledge.currency is None:
        raise StageError(
            "currency",
            f"pledge {pledge.id} promises a quantity, not money: a {label} of it is a "
            f"quantity too, with no currency; clear the currency ({currency})",
        )
    raise StageError(
        "currency",
        f"a currency ({currency}) goes with an amount: give the {label}'s amount in "
        f"{pledge.currency}, or clear the currency",
    )


def misfit_stage_report(reports: Iterable[Report], unit: str | None, target: Pledge) -> str | None:
    """Why the allocating and delivering reports of a pledge that counts `unit` cannot join
    `target`'s figures, which add up their quantities and amounts as they stand (a sum in
    another currency, a count of other things: what `_checked_number` refuses of a new
    figure); None when every one can."""
    for report in reports:
        if report.role not in STAGE_OF_ROLE:
            continue
        said = f"its {STAGE_OF_ROLE[report.role]} figure (report {report.id})"
        if report.amount is not None and report.currency != target.currency:
            kept = f"in {target.currency}" if target.currency else "promises things, not money"
            return f"{said} is in {report.currency}, pledge {target.id} {kept}"
        if report.quantity is not None and (
            target.quantity is None or not same_unit(unit, target.unit)
        ):
            kept = f"counts {target.unit or 'items'}" if target.quantity is not None else (
                "promises money")  # fmt: skip
            return f"{said} counts {unit or 'items'}, pledge {target.id} {kept}"
    return None


def checked_stage_figure(
    session: Session, pledge_id: int, figure: StageFigure
) -> tuple[Pledge, Decimal | None, Decimal | None]:
    """The live pledge a stage figure is about, with the figure's quantity and amount
    checked against its promise (StageError as `record_stage` refuses them)."""
    if figure.stage not in STAGE_ROLES:
        raise StageError("stage", f"stage {figure.stage!r} is not one of: allocated, delivered")
    pledge = _live_pledge(session, pledge_id)
    return (pledge, *_checked_number(figure, pledge))


def _stage_of_figures(pledge: Pledge) -> str | None:
    """The furthest stage the pledge's allocated and delivered figures reach, if any."""
    for stage in reversed(tuple(STAGE_ROLES)):
        if any(getattr(pledge, f"{stage}_{part}") is not None for part in ("quantity", "amount")):
            return stage
    return None


def _created_stage(session: Session, pledge: Pledge) -> str:
    """The stage the pledge was created with (its create audit event), else "announced"."""
    after = session.scalar(
        select(AuditEvent.after)
        .where(
            AuditEvent.entity == ENTITY,
            AuditEvent.entity_id == pledge.id,
            AuditEvent.action == "create",
        )
        .order_by(AuditEvent.id)
        .limit(1)
    )
    stage = (after or {}).get("stage")
    return stage if stage in STAGE_ORDER else "announced"


def stage_without_reports(session: Session, pledge: Pledge) -> str:
    """The stage a pledge stands at without its allocating and delivering reports: the
    stage it was created with when its figures carry its stage, else its own stage."""
    if pledge.stage in STAGE_ORDER and _stage_of_figures(pledge) == pledge.stage:
        with session.no_autoflush:
            return _created_stage(session, pledge)
    return pledge.stage


def _furthest(*stages: str) -> str:
    """The furthest of these stages along STAGE_ORDER."""
    return max(stages, key=STAGE_ORDER.index)


def recompute_stage_figures(session: Session, pledge: Pledge) -> None:
    """Set the pledge's allocated and delivered figures to the sums of its reports', and its
    stage to the furthest they reach. A stage set by hand beyond them stays; a stage that
    its reports carried steps back when they leave (a link undone): to the furthest of
    what the remaining reports support and the stage the pledge was created with."""
    session.flush()
    reports = session.scalars(select(Report).where(Report.pledge_id == pledge.id)).all()
    carried = _stage_of_figures(pledge)
    supported = "announced"
    for stage, role in STAGE_ROLES.items():
        mine = [r for r in reports if r.role == role]
        quantities = [r.quantity for r in mine if r.quantity is not None]
        amounts = [r.amount for r in mine if r.amount is not None]
        euros = [r.eur for r in mine if r.eur is not None]
        days = [r.reported_on for r in mine if r.reported_on is not None]
        setattr(pledge, f"{stage}_quantity", sum(quantities, Decimal(0)) if quantities else None)
        setattr(pledge, f"{stage}_amount", sum(amounts, Decimal(0)) if amounts else None)
        setattr(pledge, f"{stage}_eur", sum(euros, Decimal(0)) if euros else None)
        setattr(pledge, f"{stage}_on", max(days) if days else None)
        if mine:
            supported = stage
    if pledge.stage not in STAGE_ORDER:  # cancelled: reports do not move it
        return
    reached = pledge.stage
    if carried == reached and STAGE_ORDER.index(supported) < STAGE_ORDER.index(reached):
        with session.no_autoflush:
            reached = _created_stage(session, pledge)
    pledge.stage = _furthest(reached, supported)


def record_stage(
    session: Session,
    pledge_id: int,
    figure: StageFigure,
    *,
    expected_version: int | None = None,
    user: User | None = None,
) -> Report:
    """Add an allocating or delivering report to a pledge and move its figures and stage.

    `expected_version` (the version the analyst saw) refuses a write on a pledge changed
    since; imports pass None. A figure above the promise or dated before the
    announcement is kept and flagged for review.
    """
    if figure.stage not in STAGE_ROLES:
        raise StageError("stage", f"stage {figure.stage!r} is not one of: allocated, delivered")
    pledge = _live_pledge(session, pledge_id)
    if expected_version is not None:
        check_version(session, pledge, expected_version)
    quantity, amount = _checked_number(figure, pledge)
    report = Report(
        pledge_id=pledge.id, source_id=figure.source_id, evidence_id=figure.evidence_id,
        role=STAGE_ROLES[figure.stage], reported_on=figure.reported_on, quantity=quantity,
        amount=amount, currency=pledge.currency if amount is not None else None,
        eur=stage_eur(amount, pledge.eur_rate),
        created_by_id=user.id if user is not None else None,
    )  # fmt: skip

    def add_report(p: Pledge) -> None:
        """Store the report and recompute the figures it moves."""
        session.add(report)
        recompute_stage_figures(session, p)
        report.review_flag = stage_report_flag(p, figure.stage, figure.reported_on)
        if report.review_flag:
            p.review_flag = with_flag(p.review_flag, report.review_flag)

    shown = format_quantity(quantity, pledge.unit) if quantity is not None else ""
    if amount is not None:
        shown = format_money(amount, pledge.currency or "EUR")
    change_pledge(
        session, pledge, add_report, action="record", user=user,
        expected_version=pledge.version if expected_version is None else expected_version,
        note=f"{figure.stage} {shown}",
    )  # fmt: skip
    return report


def add_corroboration(
    session: Session,
    pledge_id: int,
    *,
    source_id: int | None,
    evidence_id: int | None,
    reported_on: date | None,
    review_flag: str | None = None,
    user: User | None = None,
) -> Report:
    """Record another source's report of the same promise: the pledge and its totals stay."""
    report = corroboration(
        session, pledge_id, source_id=source_id, evidence_id=evidence_id,
        reported_on=reported_on, review_flag=review_flag, user=user,
    )  # fmt: skip
    session.add(report)
    session.flush()
    record(session, **corroboration_event(session, report, user))
    return report


def corroboration(
    session: Session,
    pledge_id: int,
    *,
    source_id: int | None,
    evidence_id: int | None,
    reported_on: date | None,
    review_flag: str | None = None,
    user: User | None = None,
) -> Report:
    """The corroborating report of a live pledge, not yet added (see `add_corroboration`)."""
    pledge = _live_pledge(session, pledge_id)
    return Report(
        pledge_id=pledge.id, source_id=source_id, evidence_id=evidence_id, role="corroborates",
        reported_on=reported_on, review_flag=review_flag,
        created_by_id=user.id if user is not None else None,
    )  # fmt: skip


def corroboration_event(session: Session, report: Report, user: User | None) -> dict[str, Any]:
    """The audit details of a stored corroborating report (for `record` or `audit_event`)."""
    pledge = session.get_one(Pledge, report.pledge_id)
    return {
        "action": "record", "entity": ENTITY, "entity_id": pledge.id, "before": None,
        "after": {"report": report.id, "role": report.role, "source_id": report.source_id},
        "user": user, "version": pledge.version, "note": f"corroborated by report {report.id}",
    }  # fmt: skip


def reports_of(session: Session, pledge_id: int) -> list[Report]:
    """A pledge's reports, newest first (undated ones last), with sources and evidence."""
    query = (
        select(Report)
        .options(joinedload(Report.source), joinedload(Report.evidence))
        .where(Report.pledge_id == pledge_id)
        .order_by(*NEWEST_FIRST)
    )
    return list(session.scalars(query))


def report_fields(report: Report) -> dict[str, Any]:
    """One report's REPORT_FIELDS, by name."""
    source, evidence = report.source, report.evidence
    return {
        "id": report.id, "role": report.role, "reported_on": report.reported_on,
        "quantity": report.quantity, "amount": report.amount, "currency": report.currency,
        "eur": report.eur, "source_id": report.source_id,
        "source_title": source.title if source is not None else None,
        "source_url": source.url if source is not None else None,
        "evidence_id": report.evidence_id,
        "evidence": evidence.text if evidence is not None else None,
        "review_flag": report.review_flag, "corroborates_id": report.corroborates_id,
        "note": report.note,
    }  # fmt: skip


def stage_figures(pledge: Pledge) -> dict[str, dict[str, Any]]:
    """The pledge's figure at each stage (promised, allocated, delivered) with its day."""
    return {
        "promised": {
            "quantity": pledge.quantity, "amount": pledge.amount, "eur": pledge.eur,
            "on": pledge.announced,
        },
        **{
            stage: {
                "quantity": getattr(pledge, f"{stage}_quantity"),
                "amount": getattr(pledge, f"{stage}_amount"),
                "eur": getattr(pledge, f"{stage}_eur"),
                "on": getattr(pledge, f"{stage}_on"),
            }
            for stage in STAGE_ROLES
        },
    }  # fmt: skip


def confirm_report(session: Session, report_id: int, *, user: User | None = None) -> Report:
    """An analyst has checked a flagged report (a corroboration, a figure beyond the
    promise): its flag is cleared, audited on its pledge."""
    report = session.get(Report, report_id)
    if report is None:
        raise StageError(None, f"there is no report with id {report_id}")
    if report.review_flag is None:
        raise StageError(None, f"report {report_id} has nothing awaiting review")
    flag, report.review_flag = report.review_flag, None
    session.flush()
    record(
        session, action="review", entity=ENTITY, entity_id=report.pledge_id,
        before={"report": report.id, "review_flag": flag}, after={"report": report.id},
        user=user, note=f"report {report.id} confirmed",
    )  # fmt: skip
    return report


def flagged_reports(session: Session, limit: int = 25) -> list[Report]:
    """Reports of live pledges awaiting an analyst (corroborations found by matching, figures
    beyond the promise), oldest first."""
    query = (
        select(Report)
        .join(Pledge, Pledge.id == Report.pledge_id)
        .options(joinedload(Report.source), joinedload(Report.evidence))
        .where(Report.review_flag.is_not(None), Pledge.deleted_at.is_(None))
        .order_by(Report.id)
        .limit(limit)
    )
    return list(session.scalars(query))
