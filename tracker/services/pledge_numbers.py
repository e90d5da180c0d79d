"""The values a pledge derives from what was stated: bounds, EUR and USD values, review flag.

One set of pure functions (no database) for every writer: the pledge service
derives one pledge with `derive_pledge_numbers`, the bulk table import whole
columns at once with `derive_columns`, and the first is the second on one row,
so both write the same numbers and the same review-flag text.

Rates depend only on the currency and the announcement day, so a column of any
length needs one rate look-up per (currency, day); the amounts are then
converted with Decimal arithmetic in one high-precision context, rounded once
to the cent, half-even, exactly as `tracker.money.convert` rounds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tracker.models.report import REVIEW_FLAG_LENGTH
from tracker.money import (
    Conversion,
    bound_pair,
    check_stated_conversion,
    format_money,
    format_quantity,
    rates_on,
    to_eur,
    to_usd,
    working_precision,
)
from tracker.reference import STAGES
from tracker.services.matching import SAME_CURRENCY_GAP

if TYPE_CHECKING:
    from tracker.models import Pledge

DERIVED_COLUMNS = (
    "quantity_lower",
    "quantity_upper",
    "amount_lower",
    "amount_upper",
    "eur",
    "eur_lower",
    "usd",
    "eur_rate",
    "usd_rate",
    "rate_date",
    "rate_origin",
    "conversion_status",
    "review_flag",
)
PERCENT = Decimal(100)
# How the notes of a review flag are joined (`with_flag`), and how the note on a stated
# conversion begins and goes on (`stated_review_flag`), so it can be told from the others
NOTE_SEPARATOR = "; "
STATED_NOTE_START = "stated conversion "
STATED_NOTE_MIDDLE = " differs from the ECB figure "
# and what the notes on a stage figure against its promise say (`stage_notes`)
OVER_PROMISE_MIDDLE = " is more than the promised "
CHECK_THE_REPORTS = ": check the reports"
EARLY_STAGE_MIDDLE = ", before the pledge was announced ("
# How far above its promise a stage figure may go, by the promise's qualifier, before it is
# flagged: an exact figure or a ceiling ("up to") not at all; an approximate one ("about",
# "nearly") by the gap within which matching takes two sums of one currency for the same
# figure, so a delivery another outlet could round to the promise is not flagged. A floor
# ("more than", "at least") and a promise stating no number have no ceiling: never flagged.
CEILING_SLACK = {"exact": Decimal(0), "up_to": Decimal(0), "about": SAME_CURRENCY_GAP}
AMOUNT_PLACES = Decimal("0.01")
QUANTITY_PLACES = Decimal("0.001")


def stated_review_flag(
    amount: Decimal,
    currency: str,
    stated_amount: Decimal,
    stated_currency: str,
    announced: date | None,
) -> str | None:
    """The review note when the source's own conversion is more than 2% off the ECB figure."""
    check = check_stated_conversion(amount, currency, stated_amount, stated_currency, announced)
    if not check.flagged or check.ecb_amount is None:
        return None
    gap = "" if check.gap is None else f" ({(check.gap * PERCENT).normalize():f}% apart)"
    return (
        f"{STATED_NOTE_START}{format_money(check.stated_amount, check.stated_currency)}"
        f"{STATED_NOTE_MIDDLE}{format_money(check.ecb_amount, check.stated_currency)}"
        f"{gap}, more than 2%: check the source"
    )


def _bounds_columns(
    values: Sequence[Decimal | None], qualifiers: Sequence[str], places: Decimal
) -> tuple[list[Decimal | None], list[Decimal | None]]:
    """Lower and upper bounds of a number column under its qualifiers, by the rule of
    `money.bound_pair`; the bounds carry the column's decimal places."""
    lower: list[Decimal | None] = [None] * len(values)
    upper: list[Decimal | None] = [None] * len(values)
    for index, (value, qualifier) in enumerate(zip(values, qualifiers, strict=True)):
        if value is None:
            continue
        low, high = bound_pair(value.quantize(places), qualifier)
        lower[index] = None if low is None else low.quantize(places)
        upper[index] = None if high is None else high.quantize(places)
    return lower, upper


def derive_columns(
    *,
    quantity: Sequence[Decimal | None],
    amount: Sequence[Decimal | None],
    currency: Sequence[str | None],
    qualifier: Sequence[str],
    announced: Sequence[date | None],
    stated_amount: Sequence[Decimal | None],
    stated_currency: Sequence[str | None],
) -> dict[str, list[Any]]:
    """Every derived column (DERIVED_COLUMNS) of many pledges, one list per column.

    Quantities and amounts get bounds from the qualifier; an amount is converted
    to EUR and USD at the ECB rates of the announcement day (its lower bound too);
    a stated conversion more than 2% away from the ECB figure sets `review_flag`.
    """
    size = len(qualifier)
    out: dict[str, list[Any]] = {name: [None] * size for name in DERIVED_COLUMNS}
    out["quantity_lower"], out["quantity_upper"] = _bounds_columns(
        quantity, qualifier, QUANTITY_PLACES
    )
    amount_lower, out["amount_upper"] = _bounds_columns(amount, qualifier, AMOUNT_PLACES)
    out["amount_lower"] = amount_lower
    rates_by_day: dict[tuple[str, date | None], Conversion] = {}
    eur, eur_lower, usd = out["eur"], out["eur_lower"], out["usd"]
    eur_rate, usd_rate, rate_date = out["eur_rate"], out["usd_rate"], out["rate_date"]
    origin, status = out["rate_origin"], out["conversion_status"]
    with working_precision():
        for index, (value, code, day) in enumerate(zip(amount, currency, announced, strict=True)):
            if value is None or code is None:
                continue
            rates = rates_by_day.get((code, day))
            if rates is None:
                rates = rates_by_day[(code, day)] = rates_on(code, day)
            eur_rate[index], usd_rate[index] = rates.eur_rate, rates.usd_rate
            rate_date[index], origin[index], status[index] = (
                rates.rate_date, rates.origin, rates.status,
            )  # fmt: skip
            if rates.eur_rate is None:
                continue
            value = value.quantize(AMOUNT_PLACES)
            in_eur = eur[index] = to_eur(value, rates.eur_rate)
            usd[index] = to_usd(value, rates.eur_rate, rates.usd_rate)
            lower = amount_lower[index]
            if lower is not None:
                eur_lower[index] = in_eur if lower == value else to_eur(lower, rates.eur_rate)
    flags = out["review_flag"]
    for index, stated in enumerate(stated_amount):
        value, code, stated_code = amount[index], currency[index], stated_currency[index]
        if stated is None or stated_code is None or value is None or code is None:
            continue
        flags[index] = stated_review_flag(value, code, stated, stated_code, announced[index])
    return out


def derive_pledge_numbers(
    *,
    quantity: Decimal | None,
    amount: Decimal | None,
    currency: str | None,
    qualifier: str,
    announced: date | None,
    stated_amount: Decimal | None = None,
    stated_currency: str | None = None,
) -> dict[str, Any]:
    """Every derived column of one pledge, by name: `derive_columns` on a single row."""
    columns = derive_columns(
        quantity=[quantity],
        amount=[amount],
        currency=[currency],
        qualifier=[qualifier],
        announced=[announced],
        stated_amount=[stated_amount],
        stated_currency=[stated_currency],
    )
    return {name: values[0] for name, values in columns.items()}


STAGE_FIGURES = ("allocated_quantity", "allocated_amount", "delivered_quantity", "delivered_amount")
# The days of the stage figures a table may state (our pledges export writes both)
STAGE_DAYS = ("allocated_on", "delivered_on")


def negative_stage_figure(name: str) -> str:
    """What is wrong with an allocated or delivered figure below 0 and what to do, for the
    field or column `name` ("delivered_quantity"): one wording for the pledge page's stage
    form, the JSON API and a table's rows (where a correction row may take a figure back)."""
    stage, _, number = name.partition("_")
    return (
        f"{stage} {number} is negative: give what was {stage} as a number above 0 (only a "
        "correction, a table row marked is_correction, takes a figure back)"
    )


def stage_eur(amount: Decimal | None, eur_rate: Decimal | None) -> Decimal | None:
    """An allocated or delivered amount in EUR, at the rate of the promise it is part of
    (so a stage figure and its promise compare in one currency); None when unconvertible."""
    if amount is None:
        return None
    return to_eur(amount, eur_rate)


# The stages a pledge moves along, in order; cancelled stands apart
STAGE_ORDER = tuple(stage for stage in STAGES if stage != "cancelled")


def with_flag(existing: str | None, note: str) -> str:
    """`existing` review flag with `note` added (once)."""
    if existing and note in existing:
        return existing
    return (f"{existing}{NOTE_SEPARATOR}{note}" if existing else note)[:REVIEW_FLAG_LENGTH]


def is_stated_conversion_note(note: str) -> bool:
    """Whether `note` is one `stated_review_flag` wrote (at whatever figures)."""
    return note.startswith(STATED_NOTE_START) and STATED_NOTE_MIDDLE in note


def without_notes(existing: str | None, is_own: Callable[[str], bool]) -> str | None:
    """`existing` review flag without the notes `is_own` recognises (those a writer derives
    again), the others kept in order; None when no note is left."""
    kept = [note for note in (existing or "").split(NOTE_SEPARATOR) if note and not is_own(note)]
    return NOTE_SEPARATOR.join(kept) or None


def with_stated_note(existing: str | None, note: str | None) -> str | None:
    """`existing` review flag with its stated-conversion note (`stated_review_flag`) made
    `note`: an earlier one, written at other figures or rates, is taken out, `note` (if
    any) added; the flag's other notes stay. None when no note is left."""
    others = without_notes(existing, is_stated_conversion_note)
    return others if note is None else with_flag(others, note)


def early_stage_note(stage: str, day: date | None, announced: date | None) -> str | None:
    """The review note when a pledge's allocation or delivery is dated before the pledge
    was announced (a mistyped day, or a promise dated by a later report), else None: the
    figure is kept and an analyst checks the dates. Every writer of a stage figure asks
    this: the pledge page, an article's report, a table row."""
    if day is None or announced is None or day >= announced:
        return None
    return (
        f"{stage} on {day.isoformat()}{EARLY_STAGE_MIDDLE}{announced.isoformat()}): check the dates"
    )


def over_promise(pledge: Pledge, stage: str) -> str | None:
    """The review note when a stage figure is larger than the promise, else None."""
    return figure_over_promise(
        stage, getattr(pledge, f"{stage}_quantity"), getattr(pledge, f"{stage}_amount"),
        promised_quantity=pledge.quantity, promised_amount=pledge.amount, unit=pledge.unit,
        currency=pledge.currency, qualifier=pledge.qualifier,
    )  # fmt: skip


def figure_over_promise(
    stage: str,
    quantity: Decimal | None,
    amount: Decimal | None,
    *,
    promised_quantity: Decimal | None,
    promised_amount: Decimal | None,
    unit: str | None,
    currency: str | None,
    qualifier: str,
) -> str | None:
    """The review note when the `stage` figure (`quantity` or `amount`) is above the
    promised one stated with `qualifier` (`exceeds`), else None: `over_promise` on figures
    not (yet) on a pledge."""
    if exceeds(quantity, promised_quantity, qualifier):
        assert quantity is not None and promised_quantity is not None
        promised = format_quantity(promised_quantity, unit)
        return f"{stage} {format_quantity(quantity, unit)}{OVER_PROMISE_MIDDLE}{promised}"
    if exceeds(amount, promised_amount, qualifier):
        assert amount is not None and promised_amount is not None
        promised = format_money(promised_amount, currency or "EUR")
        return f"{stage} {format_money(amount, currency or 'EUR')}{OVER_PROMISE_MIDDLE}{promised}"
    return None


def exceeds(figure: Decimal | None, promised: Decimal | None, qualifier: str) -> bool:
    """Whether an allocated or delivered `figure` is above the `promised` one stated with
    `qualifier`: the one rule of every writer of a stage figure (the pledge page, an
    article's report, a table row new or matched, an edit of the promise). A promise has a
    ceiling only when its qualifier gives one (`CEILING_SLACK`): "more than 5,000 missiles"
    is a floor, which no delivery passes; "about €2bn" is passed only beyond its slack. A
    promise of 0 or below is none to exceed: a Kiel allocation drawing on a commitment
    recorded in another row states 0 as its own, and a correction row (a negative promise)
    takes back; neither is flagged (docs/pledges-and-reports.md)."""
    slack = CEILING_SLACK.get(qualifier)
    if figure is None or promised is None or slack is None or promised <= 0:
        return False
    return figure > promised * (1 + slack)


def stage_report_flag(pledge: Pledge, stage: str, day: date | None) -> str | None:
    """The review flag of a report of `stage` dated `day` on `pledge`, its figures as they
    now stand: its own notes only (dated before the announcement, `early_stage_note`; the
    stage's figure above the promise, `over_promise`), None when it has none. The pledge's
    flag gathers these with its other notes; a report carries only its own."""
    over = over_promise(pledge, stage)
    notes = (early_stage_note(stage, day, pledge.announced), over and f"{over}{CHECK_THE_REPORTS}")
    return NOTE_SEPARATOR.join(note for note in notes if note)[:REVIEW_FLAG_LENGTH] or None


def is_stage_note(note: str) -> bool:
    """Whether `note` is one `stage_notes` writes (at whatever figures or days)."""
    return OVER_PROMISE_MIDDLE in note or EARLY_STAGE_MIDDLE in note


def stage_notes(pledge: Pledge) -> list[str]:
    """The review notes a pledge's recorded allocations and deliveries call for against its
    promise as it now stands: a figure larger than the promise (`over_promise`), or the
    latest one dated before the announcement (`early_stage_note`). An edit of the promise
    or of its day adds them, as a report recorded on the pledge does."""
    notes = []
    for stage in ("allocated", "delivered"):
        over = over_promise(pledge, stage)
        if over is not None:
            notes.append(f"{over}{CHECK_THE_REPORTS}")
        early = early_stage_note(stage, getattr(pledge, f"{stage}_on"), pledge.announced)
        if early is not None:
            notes.append(early)
    return notes


def stage_columns(
    columns: dict[str, list[Any]],
    figures: dict[str, list[Any]],
    size: int,
    days: dict[str, list[Any]] | None = None,
) -> dict[str, list[Any]]:
    """The stage columns of many new pledges: the figures given (None where not), their EUR
    values at each pledge's own rate (`columns["eur_rate"]`), and the day of each: the day
    the table states (`days`, by column name such as "delivered_on", blank: none known),
    else the announcement (a table row states its figures as of its date). A figure of 0
    is no figure: nothing was allocated or delivered yet. A pledge's stage is the furthest
    of the stage given and the one its figures reach (a cancelled one stays cancelled); a
    figure above the row's own promise adds `over_promise`'s note to its `review_flag`
    (`_flag_rows_over_their_promise`), and a stated day before the announcement
    `early_stage_note`."""
    out = {
        name: [v if v else None for v in figures[name]] if name in figures else [None] * size
        for name in STAGE_FIGURES
    }
    reached: list[str | None] = [None] * size  # the furthest stage a figure is given for
    for stage in ("allocated", "delivered"):
        amounts = out[f"{stage}_amount"]
        out[f"{stage}_eur"] = list(map(stage_eur, amounts, columns["eur_rate"]))
        quantities = out[f"{stage}_quantity"]
        given = [a is not None or q is not None for a, q in zip(amounts, quantities, strict=True)]
        stated = (days or {}).get(f"{stage}_on", columns["announced"])
        out[f"{stage}_on"] = [day if has else None for day, has in zip(stated, given, strict=True)]
        reached = [stage if has else was for was, has in zip(reached, given, strict=True)]
    if any(reached):
        out["stage"] = [
            stage if by_figures is None or stage not in STAGE_ORDER
            else max(stage, by_figures, key=STAGE_ORDER.index)
            for stage, by_figures in zip(columns["stage"], reached, strict=True)
        ]  # fmt: skip
    out["review_flag"] = flags = list(columns["review_flag"])
    _flag_rows_over_their_promise(columns, out)
    stated_days = [name for name in STAGE_DAYS if name in (days or {})]
    if stated_days:  # a day not stated is the announcement's: never before it
        for name in stated_days:
            stage, dated = (
                name.removesuffix("_on"),
                zip(out[name], columns["announced"], strict=True),
            )
            for index, (day, announced) in enumerate(dated):
                note = early_stage_note(stage, day, announced)
                if note is not None:
                    flags[index] = with_flag(flags[index], note)
    return out


def _flag_rows_over_their_promise(columns: dict[str, list[Any]], out: dict[str, list[Any]]) -> None:
    """Add to `out["review_flag"]` the note a pledge gets when its allocated or delivered
    figure is above its promise (`figure_over_promise`, with the pledge page's ": check the
    reports"), for each new row whose own promise is exceeded (`exceeds`: a row promising 0,
    a Kiel allocation drawing on a commitment recorded in another row, is not flagged)."""
    flags = out["review_flag"]
    promised = zip(
        columns["quantity"], columns["amount"], columns["unit"], columns["currency"],
        columns["qualifier"], strict=True,
    )  # fmt: skip
    for index, (quantity, amount, unit, currency, qualifier) in enumerate(promised):
        for stage in ("allocated", "delivered"):
            over = figure_over_promise(
                stage, out[f"{stage}_quantity"][index], out[f"{stage}_amount"][index],
                promised_quantity=quantity, promised_amount=amount, unit=unit,
                currency=currency, qualifier=qualifier,
            )  # fmt: skip
            if over is not None:
                flags[index] = with_flag(flags[index], f"{over}{CHECK_THE_REPORTS}")
