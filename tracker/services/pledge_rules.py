"""The rules a pledge must satisfy, and the values derived from what an analyst enters.

`check_input` validates a PledgeInput against the database (donor, item, ... exist)
and returns it cleaned; `apply_input` copies it onto a Pledge and derives bounds,
EUR/USD values and the stated-conversion review flag. Errors name the form field.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.limits import PLEDGE_TEXT_LIMITS, day_out_of_range
from tracker.models import Donor, Evidence, Item, ItemCategory, Package, Pledge, Recipient, Source
from tracker.money import MoneyError, normalise_currency, parse_amount, parse_quantity
from tracker.reference import KINDS, PRECISIONS, QUALIFIERS, STAGES
from tracker.services.pledge_numbers import derive_pledge_numbers, with_stated_note

# ISO 4217 codes that are not money one pledges: precious metals, fund units, testing.
NOT_PLEDGED_MONEY = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)


class PledgeError(ValueError):
    """A pledge that breaks a rule; `field` names the form field at fault (None: the whole)."""

    def __init__(self, field: str | None, message: str) -> None:
        """Keep the field name beside the message."""
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class PledgeInput:
    """What an analyst, a table row or an article gives for one pledge.

    `kind` and `unit` default to the item's; `announced_precision` defaults to "day"
    when a date is given. Numbers may be Decimals, ints or text ("1,250,000").
    """

    donor_id: int | None
    recipient_id: int | None
    item_id: int | None
    kind: str | None = None
    stage: str = "announced"
    quantity: Decimal | int | str | None = None
    unit: str | None = None
    amount: Decimal | int | str | None = None
    currency: str | None = None
    qualifier: str = "exact"
    qualifier_text: str | None = None
    announced: date | None = None
    announced_precision: str | None = None
    is_correction: bool = False
    stated_amount: Decimal | int | str | None = None
    stated_currency: str | None = None
    item_text: str | None = None
    notes: str | None = None
    package_id: int | None = None
    package_total: bool = False
    source_id: int | None = None
    evidence_id: int | None = None
    source_ref: str | None = None
    reviewed: bool = False
    duplicate_of_id: int | None = None


INPUT_FIELDS = tuple(f.name for f in fields(PledgeInput))
LINKS: dict[str, tuple[type[Any], str]] = {
    "donor_id": (Donor, "donor"),
    "recipient_id": (Recipient, "recipient"),
    "item_id": (Item, "item"),
    "package_id": (Package, "package"),
    "source_id": (Source, "source"),
    "evidence_id": (Evidence, "evidence"),
    "duplicate_of_id": (Pledge, "pledge"),
}


def input_from_pledge(pledge: Pledge) -> PledgeInput:
    """The input that would produce `pledge` as it is stored."""
    return PledgeInput(**{name: getattr(pledge, name) for name in INPUT_FIELDS})


def blank_to_none(value: Any) -> Any:
    """A typed field as given: empty or whitespace-only text counts as not given (None),
    other text is stripped: the rule for a blank field of every pledge written (`check_input`)
    and of a stage figure (`reports`)."""
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _number(data: PledgeInput, name: str, places: int) -> Decimal | None:
    """Parse one numeric field, negatives allowed only for corrections."""
    value = getattr(data, name)
    if value is None:
        return None
    try:
        if places == 3:
            number = parse_quantity(value, field=name, allow_negative=data.is_correction)
        else:
            number = parse_amount(value, field=name, allow_negative=data.is_correction)
        return number.quantize(Decimal(1).scaleb(-places))  # exact: places were checked
    except MoneyError as error:
        hint = "" if data.is_correction else " (negative numbers are only allowed in a correction)"
        message = str(error)
        raise PledgeError(name, message + hint if "negative" in message else message) from None


def checked_figures(data: PledgeInput) -> tuple[Decimal | None, Decimal | None]:
    """The input's quantity and amount as a pledge stores them, or PledgeError naming the
    field (a figure too large, too precise, negative or not a number)."""
    return _number(data, "quantity", 3), _number(data, "amount", 2)


def not_pledged_money(code: str) -> str | None:
    """Why the currency `code` is no money one pledges (a precious metal, a fund unit, a
    testing code: NOT_PLEDGED_MONEY), or None. The one rule: every pledge the service
    writes (`check_input`, `check_inputs`: the pledge form, the JSON API, an article's
    pledges) and every table import's currency cells (`parsing.parse_currencies`)."""
    cleaned = code.strip().upper()
    if cleaned not in NOT_PLEDGED_MONEY:
        return None
    return (
        f"{cleaned} is an ISO 4217 code for a precious metal, a fund unit or testing, "
        "not money one pledges: enter the amount in the currency it was pledged in"
    )


def _currency(value: str | None, name: str) -> str | None:
    """Normalise a currency code of money one pledges, or refuse it naming the field."""
    if value is None:
        return None
    try:
        code = normalise_currency(value)
    except MoneyError as error:
        raise PledgeError(name, str(error)) from None
    problem = not_pledged_money(code)
    if problem is not None:
        raise PledgeError(name, problem)
    return code


def _one_of(value: str | None, allowed: tuple[str, ...], name: str) -> None:
    """Refuse a value that is not one of `allowed`."""
    if value not in allowed:
        raise PledgeError(name, f"{name} {value!r} is not one of: {', '.join(allowed)}")


def _check_link_values(data: PledgeInput, exists: Callable[[str, int], bool]) -> None:
    """Every id must name an existing row (`exists(field, id)` says whether it does)."""
    for name, (_model, label) in LINKS.items():
        value = getattr(data, name)
        if value is None:
            if name in ("donor_id", "recipient_id", "item_id"):
                raise PledgeError(name, f"choose a {label}")
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise PledgeError(name, f"{label} must be chosen by its id, not {value!r}")
        if not exists(name, value):
            raise PledgeError(name, f"there is no {label} with id {value}")


def _check_links(session: Session, data: PledgeInput) -> Item:
    """Every id must name an existing row; returns the item."""
    _check_link_values(data, lambda name, value: session.get(LINKS[name][0], value) is not None)
    item = session.get(Item, data.item_id)
    assert item is not None
    return item


def _cleaned(data: PledgeInput) -> PledgeInput:
    """`data` with blank text as None and text stripped."""
    return replace(data, **{n: blank_to_none(getattr(data, n)) for n in INPUT_FIELDS})


def check_input(
    session: Session, data: PledgeInput, *, pledge_id: int | None = None
) -> PledgeInput:
    """Validate `data` and return a cleaned copy (codes normalised, numbers as Decimals)."""
    cleaned = _cleaned(data)
    item = _check_links(session, cleaned)
    checked = _checked_values(cleaned, item.category.kind, item.unit)
    _check_source_ref(session, cleaned, pledge_id)
    _check_evidence_source(session, cleaned)
    if pledge_id is not None and cleaned.duplicate_of_id == pledge_id:
        raise PledgeError(
            "duplicate_of_id", f"pledge {pledge_id} cannot be a possible duplicate of itself"
        )
    return checked


def check_inputs(
    session: Session,
    inputs: Sequence[PledgeInput],
    *,
    known: Mapping[str, Collection[int]] | None = None,
    items: Mapping[int, tuple[str, str | None]] | None = None,
) -> list[PledgeInput]:
    """`check_input` for many new pledges, in order (the first error is raised), with the
    rows they refer to looked up in one query per table.

    A caller that has read or written some of those rows in its transaction may say so:
    `known` gives, by link field, ids that exist (they are not looked up again), `items`
    the kind and unit of the items it has read (every item the inputs name, when given).
    """
    known = known or {}
    cleaned = [_cleaned(data) for data in inputs]
    wanted: dict[str, set[int]] = {name: set() for name in LINKS}
    for data in cleaned:
        for name in LINKS:
            value = getattr(data, name)
            if isinstance(value, int) and not isinstance(value, bool):
                wanted[name].add(value)
    if items is None:
        items = {
            item_id: (kind, unit)
            for item_id, kind, unit in session.execute(
                select(Item.id, ItemCategory.kind, Item.unit)
                .join(ItemCategory)
                .where(Item.id.in_(wanted["item_id"]))
            )
        }
    found: dict[str, set[int]] = {"item_id": set(items)}
    for name, ids in wanted.items():
        if name not in found and ids:
            unread = ids.difference(known.get(name, ()))
            found[name] = ids - unread
            if unread:
                model: Any = LINKS[name][0]
                found[name].update(session.scalars(select(model.id).where(model.id.in_(unread))))
    checked = []
    for data in cleaned:
        _check_link_values(data, lambda name, value: value in found.get(name, ()))
        assert data.item_id is not None
        checked.append(_checked_values(data, *items[data.item_id]))
        _check_source_ref(session, data, None)
    return checked


def _check_evidence_source(session: Session, cleaned: PledgeInput) -> None:
    """Evidence is a sentence of the pledge's own source."""
    if cleaned.evidence_id is None:
        return
    evidence = session.get(Evidence, cleaned.evidence_id)
    if evidence is not None and evidence.source_id != cleaned.source_id:
        theirs = "no source" if cleaned.source_id is None else f"source {cleaned.source_id}"
        raise PledgeError(
            "evidence_id",
            f"evidence {evidence.id} is a sentence of source {evidence.source_id}, "
            f"not of the pledge's {theirs}",
        )


def _check_source_ref(session: Session, cleaned: PledgeInput, pledge_id: int | None) -> None:
    """A source's reference names one pledge."""
    if cleaned.source_id is not None and cleaned.source_ref is not None:
        query = select(Pledge.id).where(
            Pledge.source_id == cleaned.source_id, Pledge.source_ref == cleaned.source_ref
        )
        taken = session.scalar(query)
        if taken is not None and taken != pledge_id:
            raise PledgeError(
                "source_ref",
                f"source {cleaned.source_id} already has pledge {taken} "
                f"with reference {cleaned.source_ref!r}",
            )


def _checked_values(cleaned: PledgeInput, item_kind: str, item_unit: str | None) -> PledgeInput:
    """The value rules of `check_input` (links checked already), given the item's kind and
    unit; returns the checked input."""
    kind = cleaned.kind or item_kind
    _one_of(kind, KINDS, "kind")
    _one_of(cleaned.stage, STAGES, "stage")
    qualifier = str(cleaned.qualifier or "exact")
    _one_of(qualifier, QUALIFIERS, "qualifier")
    precision = cleaned.announced_precision
    if cleaned.announced is not None and precision is None:
        precision = "day"
    if cleaned.announced is None and precision is not None:
        raise PledgeError(
            "announced_precision",
            f"announced_precision {precision!r} is given but no announced day: give the day "
            "or leave the precision out",
        )
    if precision is not None:
        _one_of(precision, PRECISIONS, "announced_precision")
    if cleaned.announced is not None and not isinstance(cleaned.announced, date):
        raise PledgeError("announced", f"announced must be a date, not {cleaned.announced!r}")
    out_of_range = cleaned.announced and day_out_of_range("announced", cleaned.announced)
    if out_of_range:
        raise PledgeError("announced", out_of_range)
    for name, limit in PLEDGE_TEXT_LIMITS.items():
        text = getattr(cleaned, name)
        if text is not None and not isinstance(text, str):
            raise PledgeError(name, f"{name} must be text")
        if text is not None and len(text) > limit:
            raise PledgeError(name, f"{name} is {len(text)} characters long; at most {limit}")

    quantity = _number(cleaned, "quantity", 3)
    amount = _number(cleaned, "amount", 2)
    currency = _currency(cleaned.currency, "currency")
    stated_amount = _number(cleaned, "stated_amount", 2)
    stated_currency = _currency(cleaned.stated_currency, "stated_currency")
    if qualifier == "unknown" and (quantity is not None or amount is not None):
        raise PledgeError(
            "qualifier",
            "qualifier 'unknown' means the source gives no number: "
            "clear the quantity and amount or choose another qualifier",
        )
    if amount is not None and currency is None:
        raise PledgeError("currency", "choose the currency of the amount")
    if amount is None and currency is not None:
        raise PledgeError("amount", f"a currency ({currency}) is given but no amount")
    if qualifier != "unknown" and quantity is None and amount is None:
        raise PledgeError("amount", "enter an amount or a quantity (or set the qualifier unknown)")
    if (stated_amount is None) != (stated_currency is None):
        missing = "stated_currency" if stated_currency is None else "stated_amount"
        raise PledgeError(missing, "a stated conversion needs both an amount and a currency")
    if stated_amount is not None and amount is None:
        raise PledgeError("stated_amount", "a stated conversion needs the amount it converts")

    return replace(
        cleaned,
        kind=kind,
        qualifier=qualifier,
        announced_precision=precision,
        quantity=quantity,
        unit=stored_unit(cleaned.unit, item_unit),
        amount=amount,
        currency=currency,
        stated_amount=stated_amount,
        stated_currency=stated_currency,
        is_correction=bool(cleaned.is_correction),
        reviewed=bool(cleaned.reviewed),
        package_total=bool(cleaned.package_total),
    )


def same_unit(stated: str | None, promised: str | None) -> bool:
    """Whether a stated unit is the item's (or the promise's) in another case or number
    ("Missiles", "missile"); a unit not named on either side is taken to be the other's."""
    if not stated or not promised:
        return True
    return stated.strip().lower().removesuffix("s") == promised.strip().lower().removesuffix("s")


def stored_unit(stated: str | None, item_unit: str | None) -> str | None:
    """The unit a pledge stores: the item's when none is stated or the stated one is the
    item's in another case or number ("Missiles"), so the item's totals add like with like;
    else the one stated."""
    if stated is None or (item_unit is not None and same_unit(stated, item_unit)):
        return item_unit
    return stated


def apply_input(pledge: Pledge, data: PledgeInput) -> None:
    """Copy checked input onto `pledge` and derive bounds, conversions and the review flag.

    The derived values come from `tracker.services.pledge_numbers`, the functions the
    bulk table import uses too.
    """
    for name in INPUT_FIELDS:
        setattr(pledge, name, getattr(data, name))
    set_derived_numbers(pledge)


def set_derived_numbers(pledge: Pledge) -> None:
    """Derive the pledge's bounds, EUR and USD values and its review flag's note on a
    stated conversion from its stated figures, at the ECB rates in use; the flag's other
    notes stay (`pledge_numbers.with_stated_note`)."""
    derived = derive_pledge_numbers(
        quantity=pledge.quantity,
        amount=pledge.amount,
        currency=pledge.currency,
        qualifier=pledge.qualifier,
        announced=pledge.announced,
        stated_amount=pledge.stated_amount,
        stated_currency=pledge.stated_currency,
    )
    derived["review_flag"] = with_stated_note(pledge.review_flag, derived["review_flag"])
    for name, value in derived.items():
        setattr(pledge, name, value)
