"""One delivery, many reports: a stage figure read again is matched, not added again.

A source's allocation or delivery of a pledge is read against the pledge's allocating
or delivering reports of the same stage, by how the source tells its figure (the
extractor's `wording`, see tracker.extract.stages):

- `increment` ("another 1,000", "a second tranche"): added to the stage figure.
- `cumulative` ("the first 1,000", "3,000 so far", "a total of 3,000"): the whole handed
  over to date. Larger than the pledge's current sum, it sets the stage figure to itself by
  recording only the difference (the report's `note` says so); the same as the sum, it
  corroborates the latest stage report; smaller, it is kept as a corroborating report
  flagged for review, and nothing is added.
- `plain`: when an earlier stage report of the pledge states the same figure (equal
  quantities; amounts within 0.5%, as the promise rules, tracker.services.matching) and
  comes from the same source (at any date: one article telling one delivery twice) or is
  dated within MATCH_DAYS of it, the report corroborates that one; otherwise it is added.

An analyst's figure typed on the pledge page is deliberate: one that repeats a stage report
by the plain rule is written only once the analyst says whether it corroborates that
report or adds (`record_analyst_stage`); it is never matched away unasked. A table row
matched to a stored pledge states its figures as cumulative ones
(tracker.importers.stage_reports).

A corroborating stage report keeps its figure, its evidence and a link to the report it
repeats (`Report.corroborates_id`) and adds nothing: the pledge's figures are the sums of
its allocating and delivering reports only. An analyst can split it (it counts as an
allocation or delivery of its own) and undo the split; both go through the pledge service,
so the totals rollup and the audit follow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from tracker.models import STAGE_ROLES, Pledge, Report, User
from tracker.money import format_money, format_quantity
from tracker.services.audit import record
from tracker.services.matching import MATCH_DAYS, Figures, same_number
from tracker.services.pledge_numbers import stage_eur
from tracker.services.pledges import ENTITY, PledgeError, change_pledge, check_version
from tracker.services.reports import (
    STAGE_OF_ROLE,
    StageError,
    StageFigure,
    check_typed_currency,
    checked_stage_figure,
    corroboration,
    corroboration_event,
    recompute_stage_figures,
    record_stage,
)

WORDINGS = ("plain", "increment", "cumulative")
SLACK = (Decimal("0.99"), Decimal("1.01"))  # wider than SAME_CURRENCY_GAP either way


@dataclass(frozen=True)
class StageReading:
    """What a stage report does to its pledge: `adds` its `quantity` or `amount` (with a
    `note` when that is not the figure the source states), or `corroborates` the report
    `repeats` (with a review `flag`)."""

    outcome: str
    quantity: Decimal | None = None
    amount: Decimal | None = None
    repeats: Report | None = None
    note: str | None = None
    flag: str | None = None


def _shown(pledge: Pledge, quantity: Decimal | None, amount: Decimal | None) -> str:
    """A stage figure in words: "1,000 missiles" or "£1,500,000.00"."""
    if amount is not None:
        return format_money(amount, pledge.currency or "EUR")
    return format_quantity(quantity, pledge.unit)


def _said(pledge: Pledge, quantity: Decimal | None, amount: Decimal | None) -> Figures:
    """A stage figure as matching compares it (an exact figure in the pledge's currency)."""
    return Figures(quantity, amount, pledge.currency if amount is not None else None, None, "exact")


def _stage_reports(pledge: Pledge, stage: str) -> Select[Report]:
    """The pledge's reports that allocate (or deliver): read through the report table's
    pledge index, the rest of the conditions narrowing a handful of rows."""
    return select(Report).where(Report.pledge_id == pledge.id, Report.role == STAGE_ROLES[stage])


def latest_stage_report(session: Session, pledge: Pledge, stage: str) -> Report | None:
    """The pledge's newest report of the stage, if any."""
    return session.scalars(
        _stage_reports(pledge, stage).order_by(Report.id.desc()).limit(1)
    ).first()


def repeated_report(
    session: Session,
    pledge: Pledge,
    figure: StageFigure,
    quantity: Decimal | None,
    amount: Decimal | None,
) -> Report | None:
    """The stage report a plain figure repeats: one of the same figure from the same source
    (at any date: one article telling one delivery twice), else one dated within the window
    (from any source, an analyst's entry included); the same source's first, else the
    nearest in date (then the newest) of several."""
    day = figure.reported_on
    query = _stage_reports(pledge, figure.stage)
    if day is None:
        near = Report.reported_on.is_(None)
    else:
        window = timedelta(days=MATCH_DAYS)
        near = Report.reported_on.between(day - window, day + window)
    same_source = figure.source_id is not None
    query = query.where(or_(near, Report.source_id == figure.source_id) if same_source else near)
    if amount is not None:  # a loose range around the figure: `same_number` decides
        query = query.where(Report.amount.between(amount * SLACK[0], amount * SLACK[1]))
    else:
        query = query.where(Report.quantity == quantity)
    said = _said(pledge, quantity, amount)
    fitting = [
        r for r in session.scalars(query) if same_number(_said(pledge, r.quantity, r.amount), said)
    ]

    def preference(r: Report) -> tuple[bool, int, int]:
        """The same source's first report, then days from the figure's day, newest first."""
        if same_source and r.source_id == figure.source_id:
            return False, 0, r.id
        gap = abs((r.reported_on - day).days) if r.reported_on and day else 0
        return True, gap, -r.id

    return min(fitting, key=preference, default=None)


def read_stage_figure(
    session: Session,
    pledge: Pledge,
    figure: StageFigure,
    quantity: Decimal | None,
    amount: Decimal | None,
    wording: str,
) -> StageReading:
    """What a checked stage figure (`quantity` or `amount`) told with `wording` does to the
    pledge, by the rules of this module."""
    if wording not in WORDINGS:
        raise StageError("wording", f"wording {wording!r} is not one of: {', '.join(WORDINGS)}")
    adds = StageReading("adds", quantity, amount)
    if wording == "increment":
        return adds
    if wording == "plain":
        repeated = repeated_report(session, pledge, figure, quantity, amount)
        if repeated is None:
            return adds
        flag = (
            f"corroborates report #{repeated.id} ({figure.stage} "
            f"{_shown(pledge, repeated.quantity, repeated.amount)}): not added again"
        )
        return StageReading("corroborates", repeats=repeated, flag=flag)
    money = amount is not None
    stated = amount if money else quantity
    assert stated is not None
    current = getattr(pledge, f"{figure.stage}_{'amount' if money else 'quantity'}") or Decimal(0)

    def as_figure(value: Decimal) -> tuple[Decimal | None, Decimal | None]:
        """`value` as (quantity, amount), of the kind the figure states."""
        return (None, value) if money else (value, None)

    latest = latest_stage_report(session, pledge, figure.stage)
    in_all = f"states {_shown(pledge, quantity, amount)} {figure.stage} in all"
    recorded = _shown(pledge, *as_figure(current))
    said, summed = _said(pledge, quantity, amount), _said(pledge, *as_figure(current))
    if latest is not None and current > 0 and same_number(said, summed):
        flag = f"{in_all}, as recorded (report #{latest.id}): not added again"
        return StageReading("corroborates", repeats=latest, flag=flag)
    if stated > current:
        if current == 0:
            return adds
        difference = as_figure(stated - current)
        note = f"{in_all}: the {_shown(pledge, *difference)} not yet recorded added to {recorded}"
        return StageReading("adds", *difference, note=note)
    flag = f"{in_all}, less than the {recorded} recorded: nothing added; check the reports"
    return StageReading("corroborates", repeats=latest, flag=flag)


def record_stage_report(
    session: Session,
    pledge_id: int,
    figure: StageFigure,
    *,
    wording: str = "plain",
    user: User | None = None,
) -> Report:
    """Record a source's allocation or delivery on a pledge by the rules of this module:
    an allocating or delivering report of what it adds, or a corroborating report of the
    stage report it repeats. Refused (StageError, nothing written) as `record_stage`
    refuses a figure."""
    pledge, quantity, amount = checked_stage_figure(session, pledge_id, figure)
    reading = read_stage_figure(session, pledge, figure, quantity, amount, wording)
    if reading.outcome == "adds":
        report = record_stage(
            session, pledge.id, replace(figure, quantity=reading.quantity, amount=reading.amount),
            user=user,
        )  # fmt: skip
        report.note = reading.note
        session.flush()
        return report
    assert reading.repeats is not None
    return _corroborating_report(
        session, pledge, figure, (quantity, amount), reading.repeats, flag=reading.flag, user=user
    )


def _corroborating_report(
    session: Session,
    pledge: Pledge,
    figure: StageFigure,
    numbers: tuple[Decimal | None, Decimal | None],
    repeats: Report,
    *,
    flag: str | None,
    user: User | None,
) -> Report:
    """Store a stage figure (`numbers`: its checked quantity and amount) as a report that
    corroborates the stage report it `repeats`: its figure and evidence kept, nothing added."""
    quantity, amount = numbers
    report = corroboration(
        session, pledge.id, source_id=figure.source_id, evidence_id=figure.evidence_id,
        reported_on=figure.reported_on, review_flag=flag, user=user,
    )  # fmt: skip
    report.corroborates_id = repeats.id
    report.quantity, report.amount = quantity, amount
    report.currency = pledge.currency if amount is not None else None
    report.eur = stage_eur(amount, pledge.eur_rate)
    session.add(report)
    session.flush()
    record(session, **corroboration_event(session, report, user))
    return report


class StageRepeats(StageError):
    """An analyst's stage figure repeats a stage report of the pledge: nothing was written
    until the analyst says whether it corroborates that report or adds to the figure."""

    def __init__(self, repeated: Report, message: str) -> None:
        """Keep the id of the report repeated beside the message."""
        super().__init__("repeats", message)
        self.repeated_id = repeated.id


def record_analyst_stage(
    session: Session,
    pledge_id: int,
    figure: StageFigure,
    *,
    expected_version: int,
    corroborate: int | None = None,
    add: bool = False,
    user: User | None = None,
) -> Report:
    """Record an allocation or delivery an analyst typed on the pledge page, as of the
    version the analyst saw. The entry is deliberate, so it is never matched away unasked:
    a figure that repeats a stage report (`repeated_report`: the same figure from the same
    source, or dated within the window) is written only once the analyst decides, either
    `corroborate` (the id of the report it repeats: a corroborating report, nothing added)
    or `add` (another allocation or delivery, noted as the analyst's choice); with neither,
    StageRepeats names the report and nothing is written. A figure that repeats nothing is
    added. Refused (StageError) as `record_stage` refuses a figure, and when a currency is
    typed with no amount other than the promise's own (`reports.check_typed_currency`)."""
    pledge, quantity, amount = checked_stage_figure(session, pledge_id, figure)
    check_typed_currency(figure, pledge)
    check_version(session, pledge, expected_version)
    repeated = repeated_report(session, pledge, figure, quantity, amount)
    if corroborate is not None and (repeated is None or repeated.id != corroborate):
        raise StageError(
            "repeats",
            f"this {figure.stage} figure does not repeat report #{corroborate}: "
            "check the figure and the date, and record it again",
        )
    if repeated is None or add:
        report = record_stage(
            session, pledge.id, figure, expected_version=expected_version, user=user
        )
        if repeated is not None:
            report.note = (
                f"the same figure as report #{repeated.id}: recorded as another "
                f"{figure.stage} figure by the analyst"
            )
            session.flush()
        return report
    if corroborate is None:
        typed = _shown(pledge, quantity, amount)
        on = f" on {repeated.reported_on.isoformat()}" if repeated.reported_on else ""
        raise StageRepeats(
            repeated,
            f"{figure.stage} {typed} repeats report #{repeated.id} ({figure.stage} "
            f"{_shown(pledge, repeated.quantity, repeated.amount)}{on}): record it as a "
            "corroboration of that report, which adds nothing, or as another "
            f"{figure.stage} figure, which adds {typed}",
        )
    return _corroborating_report(
        session, pledge, figure, (quantity, amount), repeated, flag=None, user=user
    )


def _stage_split(
    session: Session, report: Report, role: str, *, action_note: str, user: User | None
) -> Pledge:
    """Give a stage-corroborating report `role` and recompute its pledge's figures from its
    reports, audited (a `split` event) even when they stay."""
    pledge = session.get_one(Pledge, report.pledge_id)
    if pledge.deleted_at is not None:
        raise PledgeError(None, f"pledge {pledge.id} is deleted: restore it first")
    version = pledge.version

    def move(p: Pledge) -> None:
        """The report's new role, and the figures it moves."""
        report.role = role
        report.review_flag = None
        recompute_stage_figures(session, p)

    change_pledge(
        session, pledge, move, action="split", user=user, expected_version=version,
        note=action_note,
    )  # fmt: skip
    if pledge.version == version:
        record(
            session, action="split", entity=ENTITY, entity_id=pledge.id, before=None,
            after={"report": report.id, "role": role}, user=user, version=pledge.version,
            note=action_note,
        )  # fmt: skip
    return pledge


def _repeated_stage_report(session: Session, report: Report) -> Report | None:
    """The allocating or delivering report a report repeats, following the link through
    reports that corroborate again (a split undone) until one that counts."""
    seen = {report.id}
    repeated: Report | None = report
    while repeated is not None and repeated.corroborates_id not in (None, *seen):
        repeated = session.get(Report, repeated.corroborates_id)
        if repeated is not None and repeated.role in STAGE_OF_ROLE:
            return repeated
        seen.add(repeated.id if repeated is not None else 0)
    return None


def split_stage_report(session: Session, report_id: int, *, user: User | None = None) -> Pledge:
    """A report that corroborates an allocation or delivery is in fact another one: it
    counts, with its own figure, as the stage report it repeated does. Returns its pledge."""
    report = session.get(Report, report_id)
    if report is None:
        raise PledgeError(None, f"there is no report with id {report_id}")
    repeated = _repeated_stage_report(session, report)
    if report.role != "corroborates" or repeated is None:
        raise PledgeError(
            None, f"report {report_id} does not corroborate an allocation or delivery"
        )  # fmt: skip
    stage = STAGE_OF_ROLE[repeated.role]
    return _stage_split(
        session, report, repeated.role, user=user,
        action_note=f"report {report.id} split off as a {stage} figure of its own "
        f"(it repeated report {repeated.id})",
    )  # fmt: skip


def undo_stage_split(session: Session, report_id: int, *, user: User | None = None) -> Pledge:
    """Undo `split_stage_report`: the report corroborates the one it repeats again."""
    report = session.get(Report, report_id)
    if report is None:
        raise PledgeError(None, f"there is no report with id {report_id}")
    if report.role not in STAGE_OF_ROLE or report.corroborates_id is None:
        raise PledgeError(None, f"report {report_id} was not split off a stage report")
    return _stage_split(
        session, report, "corroborates", user=user,
        action_note=f"report {report.id} corroborates report {report.corroborates_id} again",
    )  # fmt: skip
