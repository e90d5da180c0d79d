"""Checking a table's cells column by column: numbers, dates, codes, names.

Every check runs over a whole column (or its distinct values) at once and adds
a Problem naming the spreadsheet row and the column for each bad cell, so one
pass reports everything that is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.amounts import max_integer_digits
from tracker.importers.mapping import Problem
from tracker.limits import day_out_of_range, too_long
from tracker.models import DonorAlias, Item, Recipient
from tracker.money import MoneyError, normalise_currency, parse_amount, round_amount
from tracker.reference import KINDS, PRECISIONS, QUALIFIERS, STAGES
from tracker.services.filter_args import MAX_ID
from tracker.services.pledge_rules import not_pledged_money
from tracker.services.reference import alias_key

CHOICES = {
    "kind": KINDS,
    "stage": STAGES,
    "qualifier": QUALIFIERS,
    "announced_precision": PRECISIONS,
}
# A day as YYYY-MM-DD, perhaps with the time of day a spreadsheet adds (which is dropped)
ISO_DAY = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
TRUE_WORDS = frozenset({"true", "yes", "1", "y"})
FALSE_WORDS = frozenset({"false", "no", "0", "n"})


def by_distinct(
    frame: pd.DataFrame,
    column: str,
    convert: Callable[[str], Any],
    problems: list[Problem],
) -> pd.Series:
    """Convert each distinct non-blank value of `column` once; blanks become None.

    `convert` raises ValueError with a message for a bad value; every row holding
    that value gets a Problem.
    """
    values = frame[column].astype(object)
    codes, distinct = pd.factorize(values)
    converted = np.empty(len(distinct) + 1, dtype=object)  # the last stays None (code -1)
    bad: dict[str, str] = {}
    for code, value in enumerate(distinct):
        if value == "":
            continue
        try:
            converted[code] = convert(value)
        except ValueError as error:
            bad[value] = str(error)
    if bad:
        rows = frame.loc[values.isin(list(bad)), ["_row", column]]
        for row, value in rows.itertuples(index=False, name=None):
            problems.append(Problem(int(row), column, bad[value]))
    return pd.Series(converted[codes], index=frame.index, dtype=object)


def parse_decimals(
    frame: pd.DataFrame, column: str, problems: list[Problem], *, places: int, round_to: bool
) -> pd.Series:
    """A number column as Decimals (None for blank); negatives allowed, checked later."""

    plain = re.compile(
        rf"-?(?:0|[1-9][0-9]{{0,{max_integer_digits(places) - 1}}})(?:\.[0-9]{{1,{places}}})?"
    )

    def convert(text: str) -> Decimal:
        """Read one number, rounding long figures half-up when the mapping asks for it.

        Plain figures ("1250000", "-3", "99.5") are what parse_amount would make of
        them, read directly; anything else goes through its full rules.
        """
        if not round_to and plain.fullmatch(text):
            value = Decimal(text)
            return abs(value) if value == 0 else value
        if round_to:
            try:
                value = Decimal(text.replace(",", ""))
            except ArithmeticError:
                raise ValueError(f"{text!r} is not a number") from None
            if not value.is_finite():
                raise ValueError(f"{text!r} is not a finite number")
            return round_amount(value, places)
        try:
            return parse_amount(text, field=column, allow_negative=True, places=places)
        except MoneyError as error:
            raise ValueError(str(error)) from None

    return by_distinct(frame, column, convert, problems)


def parse_integers(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """A column of whole numbers (ids, versions); "12.0" from spreadsheets is 12."""

    def convert(text: str) -> int:
        """Read one whole number."""
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise ValueError(f"{text!r} is not a whole number") from None
        if not value.is_finite() or value != value.to_integral_value() or value < 1:
            raise ValueError(f"{text!r} is not a whole number of 1 or more")
        if value > MAX_ID:  # no row has it: the database's integer columns end there
            raise ValueError(f"{text!r} is larger than any id or version ({MAX_ID:,})")
        return int(value)

    return by_distinct(frame, column, convert, problems)


def parse_dates(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """A column of ISO dates (YYYY-MM-DD; a time part after it is ignored, anything else
    is refused) within the days a pledge may name (tracker.limits)."""

    def convert(text: str) -> date:
        """Read one date."""
        found = ISO_DAY.fullmatch(text.strip())
        try:
            day = date.fromisoformat(found.group(1)) if found else None
        except ValueError:
            day = None
        if day is None:
            raise ValueError(f"{text[:40]!r} is not a date: write it as YYYY-MM-DD")
        problem = day_out_of_range(column, day)
        if problem is not None:
            raise ValueError(problem)
        return day

    return by_distinct(frame, column, convert, problems)


def parse_choices(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """A column whose values must be one of our words (kind, stage, qualifier, precision)."""
    allowed = CHOICES[column]

    def convert(text: str) -> str:
        """Accept one of the allowed words, in any case."""
        word = text.strip().lower()
        if word not in allowed:
            raise ValueError(f"{text!r} is not one of: {', '.join(allowed)}")
        return word

    return by_distinct(frame, column, convert, problems)


def parse_currencies(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """A column of ISO 4217 currency codes of money one pledges (refused by the pledge
    service's rule, pledge_rules.not_pledged_money: no XAU, XDR, XTS, XXX ...)."""

    def convert(text: str) -> str:
        """Normalise one code."""
        try:
            code = normalise_currency(text)
        except MoneyError as error:
            raise ValueError(str(error)) from None
        problem = not_pledged_money(code)
        if problem is not None:
            raise ValueError(problem)
        return code

    return by_distinct(frame, column, convert, problems)


def parse_booleans(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """A yes/no column (true/false, yes/no, 1/0)."""

    def convert(text: str) -> bool:
        """Read one yes/no value."""
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"{text!r} is not true or false")

    return by_distinct(frame, column, convert, problems)


def donor_ids_by_name(session: Session) -> dict[str, int]:
    """Every donor name and alias, by lookup key, to the donor's id."""
    return dict(session.execute(select(DonorAlias.key, DonorAlias.donor_id)).all())


def item_ids_by_name(session: Session) -> dict[str, int]:
    """Every catalogue item, by its name folded to lower case, to its id."""
    rows = session.execute(select(Item.name, Item.id)).all()
    return {alias_key(name): item_id for name, item_id in rows}


def recipient_ids_by_name(session: Session) -> dict[str, int]:
    """Every recipient, by its name folded to lower case, to its id."""
    rows = session.execute(select(Recipient.name, Recipient.id)).all()
    return {alias_key(name): recipient_id for name, recipient_id in rows}


def resolve_names(
    frame: pd.DataFrame,
    column: str,
    known: dict[str, int],
    problems: list[Problem],
    *,
    pending: frozenset[str] = frozenset(),
) -> pd.Series:
    """Ids for a column of names; names in `pending` (to be created) map to their key."""

    def convert(text: str) -> int | str:
        """Look one name up."""
        key = alias_key(text)
        if key in known:
            return known[key]
        if key in pending:
            return key
        raise ValueError(f"no {column} is called {text!r}")

    return by_distinct(frame, column, convert, problems)


def parse_texts(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """A free-text column (notes, unit, ...): blanks become None, over-long values a Problem."""

    def convert(text: str) -> str:
        """Keep text that fits its field."""
        message = too_long(column, text)
        if message is not None:
            raise ValueError(message)
        return text

    return by_distinct(frame, column, convert, problems)
