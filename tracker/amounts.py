"""Reading numbers and currency codes as analysts and articles write them.

Import these names from `tracker.money`, which re-exports them; keeping them here
keeps that module short.
Parsing never rounds and never goes through float: text becomes a Decimal or a
MoneyError that names the field, the value and what is wrong with it.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from functools import lru_cache

import pycountry

from tracker.rates import rate_table

# Significant digits of an amount or quantity, before and after the point together: 13
# before the point for an amount (2 places), 12 for a quantity (3). SQLite keeps a Numeric
# as a 64-bit float, which holds 15 significant digits exactly, and its totals take each
# pledge's whole cents from those floats: a figure of 16 digits would come back, or be
# counted, a cent off. The largest such amount converted to euros at the dearest rate of
# the ECB's history (1 EUR for 0.3883 MTL) is under 2.6e15 cents: still whole cents on
# SQLite's floats (under 2**53), and far within the totals' 64-bit sums.
MAX_DIGITS = 15


def max_integer_digits(places: int) -> int:
    """Digits a figure with `places` decimal places may have before the point."""
    return MAX_DIGITS - places


MAX_INTEGER_DIGITS = max_integer_digits(2)  # an amount's
_MINUS_SIGNS = "-\u2212"
_NUMBER_TEXT = re.compile(
    r"(?P<sign1>[+\-\u2212])?\s*(?P<prefix>[^\d\s.,+\-\u2212]+)?\s*(?P<sign2>[+\-\u2212])?\s*"
    r"(?P<number>[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)\s*(?P<suffix>[^\d\s.,+\-\u2212]+)?"
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*")
_EXPONENT = re.compile(r"[+\-\u2212]?\s*[0-9.,]*[0-9]\s*[eE]\s*[+\-\u2212]?\s*[0-9]+")
_NOT_FINITE = {"nan", "snan", "inf", "infinity", "∞"}
_CURRENCY_CODE = re.compile(r"[A-Za-z]{3}")


class MoneyError(ValueError):
    """A number, currency or qualifier that cannot be accepted; the message says why."""


class Qualifier(StrEnum):
    """How exact a number is, as the source words it."""

    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at_least"
    UP_TO = "up_to"
    UNKNOWN = "unknown"


def normalise_currency(code: str) -> str:
    """Return the ISO 4217 code for `code` (" gbp " -> "GBP"), or raise MoneyError.

    Current codes come from pycountry; codes the ECB published before they were
    withdrawn (e.g. BGN, HRK) are accepted too, so older pledges can be recorded.
    """
    if not isinstance(code, str):
        raise MoneyError(f"currency must be a three-letter code, not {type(code).__name__}")
    cleaned = code.strip().upper()
    if not cleaned:
        raise MoneyError("currency is empty: enter a three-letter ISO 4217 code such as EUR")
    if not _CURRENCY_CODE.fullmatch(cleaned):
        raise MoneyError(
            f"currency {code!r} is not an ISO 4217 code: use three letters such as EUR, GBP, USD"
        )
    if not _known_currency(cleaned):
        raise MoneyError(f"currency {code!r} is not a known ISO 4217 code")
    return cleaned


@lru_cache(maxsize=1024)
def _known_currency(code: str) -> bool:
    """Whether pycountry or the ECB data knows the three-letter `code` (remembered)."""
    return pycountry.currencies.get(alpha_3=code) is not None or code in rate_table().currencies


def _is_currency_mark(token: str) -> bool:
    """Whether `token` next to a number is a currency sign ("£", "US$") or ISO code."""
    if any(unicodedata.category(char) == "Sc" for char in token):
        return all(char.isalpha() or unicodedata.category(char) == "Sc" for char in token)
    if _CURRENCY_CODE.fullmatch(token):
        try:
            normalise_currency(token)
        except MoneyError:
            return False
        return True
    return False


def _decimal_from_text(text: str, field: str) -> Decimal:
    """Read an amount typed as text: digits, optional comma grouping by three, an
    optional decimal point, a sign, and optionally a currency sign or code."""
    stripped = text.strip()
    if not stripped:
        raise MoneyError(f"{field} is empty: enter a number such as 1,234.56")
    if stripped.lstrip("+" + _MINUS_SIGNS).strip().lower() in _NOT_FINITE:
        raise MoneyError(f"{field} {text!r} is not a finite number")
    match = _NUMBER_TEXT.fullmatch(stripped)
    marks = (match["prefix"], match["suffix"]) if match else ()
    if match is None or not all(_is_currency_mark(mark) for mark in marks if mark):
        if _EXPONENT.fullmatch(stripped):
            raise MoneyError(f"{field} {text!r} uses an exponent; write the number out in full")
        raise MoneyError(f"{field} {text!r} is not a number")
    if match["sign1"] and match["sign2"]:
        raise MoneyError(f"{field} {text!r} is not a number: it has two signs")
    number = match["number"]
    whole = number.split(".", 1)[0]
    if "," in whole and not _GROUPED.fullmatch(whole):
        raise MoneyError(
            f"{field} {text!r} has misplaced thousands separators: "
            "group digits in threes, as in 1,234,567"
        )
    sign = match["sign1"] or match["sign2"]
    negative = sign is not None and sign in _MINUS_SIGNS
    return Decimal(("-" if negative else "") + number.replace(",", ""))


def decimal_places(value: Decimal) -> int:
    """The decimal places `value` uses, trailing zeros left out ("1.50" uses 1), counted on
    its digits: `normalize()` would first round it to the context's 28 digits, so
    "1.000000000000000000000000000001" would use none and pass as 1."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing_zeros))


def _checked(
    value: Decimal, text: object, field: str, allow_negative: bool, places: int
) -> Decimal:
    """Apply the rules every amount obeys, whatever it was given as (named in a message
    as text: "amount '1e+30'", not "amount Decimal('1E+30')")."""
    text = text if isinstance(text, str) else str(text)
    if not value.is_finite():
        raise MoneyError(f"{field} {text!r} is not a finite number")
    if value == 0:
        value = abs(value)
    if value < 0 and not allow_negative:
        raise MoneyError(f"{field} {text!r} is negative; it must be zero or more")
    if value != 0 and value.adjusted() >= max_integer_digits(places):
        raise MoneyError(
            f"{field} {text!r} is too large: "
            f"at most {max_integer_digits(places)} digits before the point"
        )
    used = decimal_places(value)
    if used > places:
        raise MoneyError(
            f"{field} {text!r} has {used} decimal places; at most {places} are allowed"
        )
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and (exponent > 0 or exponent < -places):
        with localcontext(prec=MAX_DIGITS + 2):
            value = value.quantize(Decimal(1).scaleb(-places if exponent < 0 else 0))
    return value


def parse_amount(
    text: str | int | Decimal,
    *,
    field: str = "amount",
    allow_negative: bool = False,
    places: int = 2,
) -> Decimal:
    """Read an amount of money: "1234", "1,234,567.89", " 12.5 ", "£283,000,000.00".

    A currency sign or code beside the number is allowed and ignored (the currency
    is recorded separately). Refused with a MoneyError naming `field` and the value:
    empty text, non-numbers, exponents ("1e400"), NaN and infinities, separators not
    grouping by three ("12,34,5"), negatives (unless `allow_negative`), more than
    max_integer_digits(places) before the point, and more than `places` decimal places (no rounding:
    see `round_amount`). Ints and Decimals pass through the same checks.
    """
    if isinstance(text, bool):
        raise MoneyError(f"{field} must be a number, not a yes/no value")
    if isinstance(text, str):
        value = _decimal_from_text(text, field)
    elif isinstance(text, int | Decimal):
        value = Decimal(text)
    else:
        raise MoneyError(
            f"{field} must be text, an int or a Decimal, not {type(text).__name__} {text!r}"
        )
    return _checked(value, text, field, allow_negative, places)


def parse_quantity(
    text: str | int | Decimal, *, field: str = "quantity", allow_negative: bool = False
) -> Decimal:
    """Read a quantity ("5,000", "2.5"): the rules of `parse_amount`, with 3 decimal places."""
    return parse_amount(text, field=field, allow_negative=allow_negative, places=3)


def round_amount(amount: Decimal, places: int = 2) -> Decimal:
    """Round `amount` half-up to `places` decimal places, for importers of long figures."""
    try:
        with localcontext(prec=60):
            return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise MoneyError(f"amount {amount!r} cannot be rounded to {places} places") from error
