"""Reports that update a pledge's figure: "Germany raised its pledge to €2bn".

An update is a report with the role "updates": the pledge keeps its donor, item, date and
announcement, and its promised figure moves to the report's (quantity, or amount in a
currency, converted by the pledge service's one rule). It goes through `change_pledge`,
so the totals rollup moves by the difference, the version goes up and the audit event
holds the figure before and after. `undo_update` puts the earlier figure back and makes
the report a pledge of its own, marked as a possible duplicate of the one it updated
(left out of the totals until an analyst links it or keeps it separate): as the import
would have left it without the update. A link made since the update, of the pledge or to
it, is undone first (`undo_update` refuses, naming it).

Which pledge an update names (`find_updated`): a live, decided pledge of the same donor
and recipient, announced on or before the update, stating the same kind of figure
(a sum or a count), of the same catalogue item, else the same category; when the
sentence states the earlier figure, the pledge must state it too. One such pledge is
updated; several, or none that states the earlier figure, leave the choice to an
analyst (a review flag); a pledge already at the new figure is corroborated, unless its
figure is a range that also holds the earlier one the sentence names ("more than 5,000"
raised to 6,000 from 5,000: updated).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Pledge, Report, User
from tracker.money import (
    MoneyError,
    format_money,
    format_quantity,
    normalise_currency,
    parse_amount,
    parse_quantity,
)
from tracker.services.matching import Figures, candidates_query, same_number
from tracker.services.pledge_numbers import stage_notes, with_flag
from tracker.services.pledge_rules import input_from_pledge, set_derived_numbers
from tracker.services.pledges import (
    ENTITY,
    PledgeError,
    change_pledge,
    check_stage_figures_kept,
    create_pledge,
)

# The pledge columns an update moves (the rest are derived from them).
FIGURE_FIELDS = ("quantity", "amount", "currency", "qualifier", "qualifier_text")
_CLEARED = ("stated_amount", "stated_currency")  # an article's conversion of the old figure


class UpdateError(PledgeError):
    """An update that cannot be recorded or undone; nothing was written."""


@dataclass(frozen=True)
class UpdateFigure:
    """The new figure a report gives a pledge: a quantity, or an amount in a currency."""

    quantity: Decimal | int | str | None = None
    amount: Decimal | int | str | None = None
    currency: str | None = None
    qualifier: str = "exact"
    qualifier_text: str | None = None
    reported_on: date | None = None
    source_id: int | None = None
    evidence_id: int | None = None


@dataclass(frozen=True)
class UpdateMatch:
    """Which pledge an update names: `outcome` "updates" or "corroborates" (`pledge_id`),
    "ambiguous" (`candidates`, for the review flag) or "none"."""

    outcome: str
    pledge_id: int | None = None
    candidates: tuple[int, ...] = ()
    reason: str = ""


def update_note(report_id: int) -> str:
    """The note of the audit event an update writes (and `undo_update` looks for)."""
    return f"figure updated by report {report_id}"


def shown(figure: dict[str, Any], unit: str | None) -> str:
    """A figure (FIGURE_FIELDS by name, JSON or Python values) in words."""
    if figure.get("amount") is not None:
        return format_money(Decimal(str(figure["amount"])), figure.get("currency") or "EUR")
    if figure.get("quantity") is not None:
        return format_quantity(Decimal(str(figure["quantity"])), unit)
    return "no number"


def _figure_of(pledge: Pledge) -> dict[str, Any]:
    """The pledge's FIGURE_FIELDS, by name."""
    return {name: getattr(pledge, name) for name in FIGURE_FIELDS}


def _checked(figure: UpdateFigure, pledge: Pledge) -> dict[str, Any]:
    """The new figure as pledge columns, checked against what the pledge promises."""
    try:
        quantity = None if figure.quantity is None else parse_quantity(figure.quantity)
        amount = None if figure.amount is None else parse_amount(figure.amount)
    except MoneyError as error:
        raise UpdateError("amount", f"update of pledge {pledge.id}: {error}") from None
    if (quantity is None) == (amount is None):
        raise UpdateError("amount", "an update gives either a quantity or an amount")
    for name, value in (("quantity", quantity), ("amount", amount)):
        if value is not None and value <= 0:
            raise UpdateError(name, f"an update to {value} is not a promise: it must be above 0")
    if amount is not None and not figure.currency:
        raise UpdateError("currency", "an updated amount needs its currency")
    try:
        currency = normalise_currency(figure.currency or "") if amount is not None else None
    except MoneyError as error:
        raise UpdateError("currency", str(error)) from None
    money = pledge.amount is not None
    if pledge.qualifier != "unknown" and money != (amount is not None):
        promised = "an amount of money" if money else f"a number of {pledge.unit or 'items'}"
        raise UpdateError(
            "amount", f"pledge {pledge.id} promises {promised}: an update gives the same kind"
        )
    return {
        "quantity": quantity, "amount": amount, "currency": currency,
        "qualifier": figure.qualifier, "qualifier_text": figure.qualifier_text,
    }  # fmt: skip


def record_update(
    session: Session,
    pledge_id: int,
    figure: UpdateFigure,
    *,
    user: User | None = None,
    review_flag: str | None = None,
) -> Report:
    """Add an updating report to a live pledge and move its promised figure to the
    report's; the rollup, version and audit (figure before and after) follow."""
    pledge = session.get(Pledge, pledge_id)
    if pledge is None or pledge.deleted_at is not None:
        raise UpdateError(None, f"there is no live pledge with id {pledge_id}")
    if pledge.duplicate_of_id is not None:
        raise UpdateError(
            None, f"pledge {pledge_id} is a possible duplicate of #{pledge.duplicate_of_id}: "
            "decide on it before updating it",
        )  # fmt: skip
    new = _checked(figure, pledge)
    try:  # its allocations and deliveries stay in its currency: the edit's rule
        check_stage_figures_kept(pledge, replace(input_from_pledge(pledge), **new))
    except PledgeError as error:
        raise UpdateError(error.field, f"update of pledge {pledge.id}: {error.message}") from None
    if _same_figure(pledge, new):
        raise UpdateError(
            "amount", f"pledge {pledge.id} already states {shown(new, pledge.unit)}: a report "
            "of the same figure corroborates it",
        )  # fmt: skip
    before = shown(_figure_of(pledge), pledge.unit)
    with session.begin_nested():
        report = Report(
            pledge_id=pledge.id, role="updates", source_id=figure.source_id,
            evidence_id=figure.evidence_id, reported_on=figure.reported_on,
            quantity=new["quantity"], amount=new["amount"], currency=new["currency"],
            review_flag=review_flag, created_by_id=user.id if user is not None else None,
        )  # fmt: skip
        session.add(report)
        session.flush()

        def move(p: Pledge) -> None:
            """The new figure, its bounds and conversions derived again."""
            for name, value in new.items():
                setattr(p, name, value)
            for name in _CLEARED:
                setattr(p, name, None)
            set_derived_numbers(p)
            report.eur = p.eur
            for note in stage_notes(p):  # a figure cut below what was handed over
                p.review_flag = with_flag(p.review_flag, note)

        change_pledge(
            session, pledge, move, action="update", user=user, expected_version=pledge.version,
            note=f"{update_note(report.id)}: {before} → {shown(new, pledge.unit)}",
        )  # fmt: skip
    return report


def _update_event(session: Session, report: Report) -> AuditEvent | None:
    """The audit event of the update a report made."""
    note = update_note(report.id)
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.entity == ENTITY,
            AuditEvent.entity_id == report.pledge_id,
            AuditEvent.action == "update",
            AuditEvent.note.startswith(f"{note}:"),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def _same_figure(pledge: Pledge, recorded: dict[str, Any]) -> bool:
    """Whether the pledge still states the figure an audit snapshot recorded."""
    for name in ("quantity", "amount"):
        value = recorded.get(name)
        if (value is None) != (getattr(pledge, name) is None):
            return False
        if value is not None and Decimal(str(value)) != getattr(pledge, name):
            return False
    return (pledge.currency, pledge.qualifier) == (
        recorded.get("currency"),
        recorded.get("qualifier"),
    )


def _as_columns(recorded: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Snapshot values (JSON) as pledge column values."""
    numbers = ("quantity", "amount", "stated_amount")
    return {
        name: Decimal(str(recorded[name])) if name in numbers and recorded.get(name) is not None
        else recorded.get(name)
        for name in names
    }  # fmt: skip


def _linked_since(session: Session, pledge_id: int, event_id: int) -> list[int]:
    """The pledges linked to `pledge_id` (their reports now its own) by a link, or a follow
    of one, written after audit event `event_id`."""
    linked = select(Pledge.id).where(
        Pledge.duplicate_of_id == pledge_id, Pledge.deleted_at.is_not(None)
    )
    query = (
        select(AuditEvent.entity_id)
        .where(
            AuditEvent.entity == ENTITY,
            AuditEvent.entity_id.in_(linked.scalar_subquery()),
            AuditEvent.action == "link",
            AuditEvent.id > event_id,
        )
        .distinct()
        .order_by(AuditEvent.entity_id)
    )
    return list(session.scalars(query))


def undo_update(session: Session, report_id: int, *, user: User | None = None) -> Pledge:
    """Undo a report's update: the pledge's earlier figure comes back, and the report
    becomes a pledge of its own, a possible duplicate of it (returned). Refused, with
    nothing changed, when the pledge's figure was changed since, when the pledge was
    linked to another since (the report is that one's now), or when another pledge was
    linked to it since (its reports, stage figures among them, joined the new figure):
    the message names the pledges to unlink first."""
    report = session.get(Report, report_id)
    if report is None:
        raise UpdateError(None, f"there is no report with id {report_id}")
    if report.role != "updates":
        raise UpdateError(None, f"report {report_id} {report.role} pledge {report.pledge_id}")
    if report.moved_from_id is not None:  # a link moved it, with its pledge's other reports
        raise UpdateError(
            None, f"report {report_id} updated pledge {report.moved_from_id}, which was linked "
            f"to pledge {report.pledge_id} since: unlink pledge {report.moved_from_id} first",
        )  # fmt: skip
    pledge = session.get_one(Pledge, report.pledge_id)
    if pledge.deleted_at is not None:
        raise UpdateError(None, f"pledge {pledge.id} is deleted: restore it first")
    event = _update_event(session, report)
    if event is None or not event.before or not event.after:
        raise UpdateError(None, f"the update of report {report_id} is not in the audit")
    if not _same_figure(pledge, event.after):
        raise UpdateError(
            None, f"pledge {pledge.id}'s figure was changed after report {report_id} updated "
            "it: undo the later change first",
        )  # fmt: skip
    linked = _linked_since(session, pledge.id, event.id)
    if linked:
        named = ", ".join(str(i) for i in linked)
        pledges, were, them = ("pledges", "were", "them") if linked[1:] else ("pledge", "was", "it")
        raise UpdateError(
            None, f"{pledges} {named} {were} linked to pledge {pledge.id} after report "
            f"{report_id} updated it, with reports of the new figure: unlink {them} first",
        )  # fmt: skip
    earlier = _as_columns(event.before, FIGURE_FIELDS + _CLEARED)
    updated = _as_columns(event.after, FIGURE_FIELDS)
    with session.begin_nested():

        def restore(p: Pledge) -> None:
            """The figure before the update, derived again."""
            for name, value in earlier.items():
                setattr(p, name, value)
            set_derived_numbers(p)

        change_pledge(
            session, pledge, restore, action="update", user=user,
            expected_version=pledge.version,
            note=f"undid the update of report {report.id}: back to {shown(earlier, pledge.unit)}",
        )  # fmt: skip
        data = replace(
            input_from_pledge(pledge), **updated, stated_amount=None, stated_currency=None,
            source_id=report.source_id, evidence_id=report.evidence_id, source_ref=None,
            reviewed=False, duplicate_of_id=pledge.id, package_id=None, package_total=False,
            announced=report.reported_on or pledge.announced, stage="announced",
        )  # fmt: skip
        report.moved_from_id, report.review_flag, report.eur = pledge.id, None, None
        report.quantity = report.amount = report.currency = None
        return create_pledge(session, data, user=user, announcing=report)


def find_updated(
    session: Session,
    *,
    donor_id: int,
    recipient_id: int,
    words: tuple[int | None, int | None],
    day: date | None,
    new: Figures,
    previous: Figures | None,
    exclude_source_id: int | None = None,
) -> UpdateMatch:
    """The pledge an update names (``words``: the item id and category id it names)."""
    rows = session.execute(
        candidates_query(
            donor_id, recipient_id, earliest=None, latest=day, exclude_source_id=exclude_source_id
        )
    ).all()
    item_id, category_id = words
    money = new.amount is not None
    kind = [p for p, _c in rows if (p.amount is not None) == money and p.qualifier != "unknown"]
    fitting = [p for p in kind if item_id is not None and p.item_id == item_id]
    if not fitting:
        categories = {p.id: c for p, c in rows}
        fitting = [p for p in kind if category_id is not None and categories[p.id] == category_id]
    if not fitting:
        return UpdateMatch("none")
    moved = previous is not None and not same_number(previous, new)
    already = [
        p
        for p in fitting
        if same_number(Figures.of(p), new)
        # "more than 5,000", raised to 6,000 from 5,000: its range holds both, it is updated
        and not (moved and previous is not None and same_number(Figures.of(p), previous))
    ]
    if len(already) == 1:
        return UpdateMatch("corroborates", already[0].id, reason=f"corroborates #{already[0].id}")
    chosen = fitting
    if previous is not None:
        chosen = [p for p in fitting if same_number(Figures.of(p), previous)]
    ids = tuple(p.id for p in fitting)
    if len(chosen) == 1:
        return UpdateMatch("updates", chosen[0].id, ids, f"updates #{chosen[0].id}")
    shown_ids = ", ".join(f"#{i}" for i in ids)
    if not chosen:
        reason = f"may update {shown_ids}, but none states the earlier figure"
    else:
        reason = f"may update any of {', '.join(f'#{p.id}' for p in chosen)}"
    return UpdateMatch("ambiguous", chosen[0].id if chosen else ids[0], ids, reason)
