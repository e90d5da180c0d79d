"""Checks on pledges typed in by a person (the pledge form and the JSON API).

Every pledge obeys the rules in pledge_rules; what a person enters by hand is also
checked for the slips that a table or an article does not make: a date more than a
year ahead or before 1900, an amount of 0 nobody confirmed, a currency that is no
longer issued, a new pledge identical to a live one (a form sent twice, a pledge typed
again) that nobody confirmed as a second one.
Only the fields that change are checked, so an old pledge can still be edited.

An edit that changes the amount or quantity of a pledge read from a source is
flagged for review when its evidence sentence does not state the new number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.extract.numbers import find_numbers
from tracker.limits import day_out_of_range
from tracker.models import Pledge
from tracker.services.data_version import bump_data_version
from tracker.services.pledge_numbers import with_flag, without_notes
from tracker.services.pledge_rules import NOT_PLEDGED_MONEY, PledgeError, PledgeInput, check_input

# What makes a new pledge the same as a live one: who gives what to whom, how much, when.
SAME_PLEDGE_FIELDS = (
    "donor_id", "recipient_id", "item_id", "quantity", "amount", "currency", "qualifier",
    "announced",
)  # fmt: skip
REPEAT_CONFIRMED = "repeat_confirmed"
# How the note on an edit that moved a number off its evidence sentence begins and ends
OFF_EVIDENCE_START = "edited: "
OFF_EVIDENCE_END = " not stated in the evidence sentence"


@lru_cache(maxsize=1)
def listed_currencies() -> frozenset[str]:
    """Every code of the current ISO 4217 list (pycountry's), those no one pledges too
    (the pledge service refuses them with its own reason: `pledge_rules.not_pledged_money`)."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@lru_cache(maxsize=1)
def current_currencies() -> tuple[str, ...]:
    """The codes of the current ISO 4217 list (pycountry's), sorted, money only."""
    return tuple(sorted(listed_currencies() - NOT_PLEDGED_MONEY))


def a_year_after(day: date) -> date:
    """The same day one year later (28 February after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def too_far_ahead(name: str, day: date, *, today: date) -> str | None:
    """What is wrong with a day a person typed (a pledge announced, an article published)
    more than a year after `today`, or None: a mistyped year, as a rule."""
    latest = a_year_after(today)
    if day <= latest:
        return None
    return (
        f"{name} {day.isoformat()} is more than a year ahead (after {latest.isoformat()}): "
        "check the year"
    )


def mistyped_day(name: str, day: date, *, today: date) -> str | None:
    """What is wrong with a day a person typed (a pledge announced, an allocation or
    delivery, an article published): more than a year after `today`, or outside the days a
    pledge may name; None when it is neither."""
    return too_far_ahead(name, day, today=today) or day_out_of_range(name, day)


def _as_decimal(value: Any) -> Decimal | None:
    """A number as typed ("1,000", 0, Decimal) as a Decimal, None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None


def _changes(fields: Mapping[str, Any], before: Pledge | None, name: str) -> bool:
    """Whether `fields` sets `name` to something other than the stored value."""
    if name not in fields or fields[name] is None:
        return False
    if before is None:
        return True
    old, new = getattr(before, name), fields[name]
    if name == "amount":
        return _as_decimal(old) != _as_decimal(new)
    if name == "currency":
        return str(old or "").upper() != str(new).strip().upper()
    return bool(old != new)


def check_entry(
    fields: Mapping[str, Any],
    *,
    today: date,
    zero_confirmed: bool = False,
    before: Pledge | None = None,
) -> None:
    """Refuse (PledgeError naming the field) what a person should not enter unnoticed.

    `fields` are the pledge fields being set; `before` is the stored pledge of an edit.
    """
    announced = fields.get("announced")
    if _changes(fields, before, "announced") and isinstance(announced, date):
        problem = mistyped_day("announced", announced, today=today)
        if problem is not None:
            raise PledgeError("announced", problem)
    zero = _changes(fields, before, "amount") and _as_decimal(fields["amount"]) == 0
    if zero and not zero_confirmed:
        raise PledgeError(
            "amount",
            "the amount is 0: confirm that the pledge really is of nothing, "
            "or leave the amount blank for an item pledge",
        )
    if _changes(fields, before, "currency"):
        code = str(fields["currency"]).strip().upper()
        if code and code not in listed_currencies():
            raise PledgeError(
                "currency",
                f"{code} is not on the current ISO 4217 list (withdrawn or unknown): "
                "enter the amount in the currency that replaced it",
            )


def check_not_typed_twice(session: Session, data: PledgeInput, *, confirmed: bool) -> None:
    """Refuse a new hand-typed pledge identical to a live one (SAME_PLEDGE_FIELDS) unless
    the person confirmed a second one: PledgeError on REPEAT_CONFIRMED naming the pledge.

    The data version's lock is taken first, so of two sendings of one form the second
    waits for the first to commit and then finds its pledge."""
    checked = check_input(session, data)
    bump_data_version(session)
    query = select(Pledge.id).where(Pledge.deleted_at.is_(None))
    for name in SAME_PLEDGE_FIELDS:
        value, column = getattr(checked, name), getattr(Pledge, name)
        query = query.where(column.is_(None) if value is None else column == value)
    same = session.scalar(query.order_by(Pledge.id).limit(1))
    if same is not None and not confirmed:
        raise PledgeError(
            REPEAT_CONFIRMED,
            f"pledge {same} has the same donor, recipient, item, figure and date: was this "
            "sent twice? Tick the box to save a second pledge like it",
        )


def stated_numbers(sentence: str) -> set[Decimal]:
    """Every number the sentence states, scale words applied ("£283m" gives 283000000)."""
    return {phrase.value for phrase in find_numbers(sentence) if not phrase.year}


def is_off_evidence_note(note: str) -> bool:
    """Whether `note` is one `flag_numbers_off_evidence` writes."""
    return note.startswith(OFF_EVIDENCE_START) and note.endswith(OFF_EVIDENCE_END)


def flag_numbers_off_evidence(
    pledge: Pledge,
    sentence: str | None,
    old_amount: Decimal | None,
    old_quantity: Decimal | None,
) -> None:
    """Flag `pledge` for review (and back into the queue) when an edit moved its amount or
    quantity to a number its evidence `sentence` does not state. The note an earlier edit
    wrote goes when the numbers move again; the flag's other notes stay."""
    if sentence is None or (pledge.amount, pledge.quantity) == (old_amount, old_quantity):
        return
    pledge.review_flag = without_notes(pledge.review_flag, is_off_evidence_note)
    stated = stated_numbers(sentence)
    moved = []
    for label, old, new in (
        ("amount", old_amount, pledge.amount),
        ("quantity", old_quantity, pledge.quantity),
    ):
        if new is not None and new != old and new not in stated:
            moved.append(f"{label} {new.normalize():f}")
    if not moved:
        return
    note = f"{OFF_EVIDENCE_START}{' and '.join(moved)}{OFF_EVIDENCE_END}"
    pledge.review_flag = with_flag(pledge.review_flag, note)
    pledge.reviewed = False
