"""Money and numbers: Decimal amounts, ISO 4217 currencies, ECB conversion, bounds.

Pure functions only (no database, no Flask). Rounding rules, in one place:

- ``parse_amount`` / ``parse_quantity`` never round: more decimal places than
  allowed is an error. Importers that must accept longer figures call
  ``round_amount`` (half-up, as people round by hand) before storing.
- Conversions compute the exact ratio with the ECB rates at high precision and
  round once, to the cent, half-even (banker's rounding), so EUR and USD values
  are each rounded from the exact figure, never one from the other.
- Display (``format_*``) rounds half-even to the digits shown. The compact style
  for English locales is the one newspapers use, always with one decimal so
  figures line up: "£283.0m", "€10.0bn", "US$384.1m", "€1.2tn"; below a million
  the whole amount ("€950,000"). Currency signs are babel's for the locale (en_GB
  writes US$ for the dollar, which keeps it apart from other dollars).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, getcontext, localcontext
from functools import lru_cache

from babel import Locale
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_currency,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    parse_pattern,
)

from tracker.amounts import (
    MoneyError,
    Qualifier,
    normalise_currency,
    parse_amount,
    parse_quantity,
    round_amount,
)
from tracker.rates import EUR, USD, RateTable, forget_rate_table, rate_table

__all__ = [
    "Bounds",
    "Conversion",
    "MoneyError",
    "STALE_AFTER_DAYS",
    "Qualifier",
    "StatedCheck",
    "bound_pair",
    "bounds",
    "check_stated_conversion",
    "convert",
    "format_money",
    "format_quantity",
    "format_total",
    "normalise_currency",
    "parse_amount",
    "parse_quantity",
    "round_amount",
    "to_eur",
    "to_usd",
    "working_precision",
]

CENT = Decimal("0.01")
_FAST_LIMIT = Decimal("1e18")
STATED_GAP_LIMIT = Decimal("0.02")
GAP_PLACES = Decimal("0.0001")
_WORKING_PRECISION = 60
# The longest a day may lie after the rate it is converted at and still count as that
# rate's: the ECB publishes every TARGET business day, so a weekend with the holidays
# around it (Good Friday to Easter Monday, Christmas to 26 December) leaves at most 4
# days between a day and the last rate before it. Further back, the publication had a
# gap (ISK: none from 2008-12-10 to 2018-01-31) and the rate is marked stale.
STALE_AFTER_DAYS = 7


@dataclass(frozen=True)
class Bounds:
    """What a qualified number allows: a point value and a lower and upper bound.

    `upper` None means no upper bound (`open_ended`); all three None means no
    number was given (qualifier unknown).
    """

    point: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    approximate: bool
    open_ended: bool


def _qualifier(value: Qualifier | str) -> Qualifier:
    """Turn a qualifier name into a Qualifier, or refuse it with a clear message."""
    try:
        return Qualifier(value)
    except ValueError:
        names = ", ".join(q.value for q in Qualifier)
        raise MoneyError(f"qualifier {value!r} is not one of: {names}") from None


def bounds(value: Decimal | None, qualifier: Qualifier | str) -> Bounds:
    """Bounds of `value` under `qualifier` (see `bound_pair`).

    exact x -> [x, x]; about x -> [x, x], approximate; at_least x -> [x, open];
    up_to x -> [0, x] with point x; unknown -> no number (any value is ignored).
    """
    kind = _qualifier(qualifier)
    if kind is Qualifier.UNKNOWN:
        return Bounds(None, None, None, approximate=False, open_ended=False)
    if value is None:
        raise MoneyError(f"qualifier {kind.value!r} needs a number; use 'unknown' for none")
    lower, upper = bound_pair(value, kind.value)
    return Bounds(
        value, lower, upper, approximate=kind is Qualifier.ABOUT,
        open_ended=kind is Qualifier.AT_LEAST,
    )  # fmt: skip


def bound_pair(value: Decimal, qualifier: str) -> tuple[Decimal | None, Decimal | None]:
    """The lower and upper bound of a number under a qualifier's name: the one rule that
    `bounds` and every pledge write (tracker.services.pledge_numbers) follow.

    exact and about x: (x, x); at_least x: (x, None: open); up_to x: (min(0, x),
    max(0, x)); unknown: (None, None).
    """
    if qualifier in _POINT_QUALIFIERS:
        return value, value
    if qualifier == "at_least":
        return value, None
    if qualifier == "up_to":
        return min(_ZERO, value), max(_ZERO, value)
    if qualifier == "unknown":
        return None, None
    raise MoneyError(
        f"qualifier {qualifier!r} is not one of: {', '.join(q.value for q in Qualifier)}"
    )


_POINT_QUALIFIERS = frozenset({"exact", "about"})
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Conversion:
    """An amount's EUR and USD values at the ECB reference rates of one day.

    `eur_rate` is units of the original currency per 1 EUR (1 for EUR itself);
    `usd_rate` is USD per 1 EUR, both as published for `rate_date`. `status` is
    "native" (the amount is in EUR: its EUR value is the amount on any day; its USD
    value needs the day's USD rate, so before the ECB's first day, 1999-01-04, `usd`,
    `usd_rate` and `rate_date` are None), "converted", "stale" (the rate used is not
    the day's: the date is after the last published rate, or inside a gap of the
    publication longer than STALE_AFTER_DAYS, or no date was given: the last rate was
    used) or "unconverted" (the ECB publishes no rate for this currency on or before
    the date, e.g. UAH: `eur` and `usd` are None).
    """

    eur: Decimal | None
    usd: Decimal | None
    eur_rate: Decimal | None
    usd_rate: Decimal | None
    rate_date: date | None
    origin: str
    status: str


def _finite(amount: Decimal, field: str) -> Decimal:
    """Refuse anything but a finite Decimal (or int) for arithmetic."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise MoneyError(f"{field} must be a Decimal, not {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise MoneyError(f"{field} {value} is not a finite number")
    return value


def _cross(amount: Decimal, source: Decimal, target: Decimal) -> Decimal:
    """`amount` in a currency quoted at `source` per EUR, in one quoted at `target`, to
    the cent (half-even), computed at high precision so it is rounded once. A caller
    converting many amounts sets that precision once (`working_precision`)."""
    if getcontext().prec >= _WORKING_PRECISION:
        return (amount * target / source).quantize(CENT, rounding=ROUND_HALF_EVEN)
    with localcontext(prec=_WORKING_PRECISION):
        return (amount * target / source).quantize(CENT, rounding=ROUND_HALF_EVEN)


def working_precision() -> AbstractContextManager[Context]:
    """A decimal context precise enough for `to_eur` and `to_usd` to skip setting their
    own (for loops over many amounts)."""
    return localcontext(prec=_WORKING_PRECISION)


def to_eur(amount: Decimal, eur_rate: Decimal | None) -> Decimal | None:
    """`amount` in EUR at `eur_rate` (units per EUR; None: not convertible): the one
    conversion rule of `convert`, every pledge write and the stage figures."""
    if eur_rate is None:
        return None
    return _cross(amount, eur_rate, _ONE)


def to_usd(amount: Decimal, eur_rate: Decimal | None, usd_rate: Decimal | None) -> Decimal | None:
    """`amount` in USD at `eur_rate` and `usd_rate` (USD per EUR), the rule of `to_eur`."""
    if eur_rate is None or usd_rate is None:
        return None
    return _cross(amount, eur_rate, usd_rate)


_ONE = Decimal(1)


_remembered_for: RateTable | None = None


def rates_on(currency: str, on: date | None) -> Conversion:
    """The rates `convert` uses for `currency` on `on`, with no amount: `eur` and `usd`
    are None; the rates, rate date and status are those of any amount (remembered:
    they depend only on the rate table in use, the currency and the day)."""
    global _remembered_for
    table = rate_table()
    if table is not _remembered_for:  # newer rates: let go of what the old table gave
        _rates_on.cache_clear()
        _remembered_for = table
    return _rates_on(table, currency, on)


def forget_rates() -> None:
    """Drop the rate table and every rate remembered from it (a new process has neither)."""
    forget_rate_table()
    _rates_on.cache_clear()


@lru_cache(maxsize=65536)
def _rates_on(table: RateTable, currency: str, on: date | None) -> Conversion:
    """`rates_on` for one table (the table is part of the key, so no answer outlives it)."""
    code = normalise_currency(currency)
    day = table.last_common_day((code, USD), on) if table.publishes(code) else None
    if day is None:
        if code == EUR:  # a euro amount is its own EUR value, rate or no rate
            return Conversion(None, None, _ONE, None, None, table.origin, "native")
        return Conversion(None, None, None, None, None, table.origin, "unconverted")
    eur_rate = table.rate(code, day)
    usd_rate = table.rate(USD, day)
    assert eur_rate is not None and usd_rate is not None
    stale = (
        on is None
        or on > min(table.last_published(code), table.last_published(USD))
        or (on - day).days > STALE_AFTER_DAYS
    )
    status = "stale" if stale else ("native" if code == EUR else "converted")
    return Conversion(None, None, eur_rate, usd_rate, day, table.origin, status)


def convert(amount: Decimal, currency: str, on: date | None) -> Conversion:
    """Convert `amount` of `currency` to EUR and USD at the ECB rates for `on`.

    A day without rates (weekend, TARGET holiday) uses the last earlier day that has
    them; `rate_date` says which. Nothing is interpolated. An amount without a USD
    rate keeps its EUR value where it has one (EUR before the ECB's first day).
    """
    value = _finite(amount, "amount")
    rates = rates_on(currency, on)
    if rates.eur_rate is None:
        return rates
    eur, usd = to_eur(value, rates.eur_rate), to_usd(value, rates.eur_rate, rates.usd_rate)
    return replace(rates, eur=eur, usd=usd)


@dataclass(frozen=True)
class StatedCheck:
    """A source's own conversion set against the ECB figure for the same day.

    `gap` is relative to the ECB figure (0.0018 = 0.18%), rounded to 4 places;
    `flagged` when it exceeds 2%. When the ECB cannot convert the pair, `ecb_amount`
    and `gap` are None and nothing is flagged.
    """

    stated_amount: Decimal
    stated_currency: str
    ecb_amount: Decimal | None
    gap: Decimal | None
    flagged: bool


def check_stated_conversion(
    amount: Decimal,
    currency: str,
    stated_amount: Decimal,
    stated_currency: str,
    on: date | None,
) -> StatedCheck:
    """Compare a stated conversion ("£283m ($384m)") with the ECB rates for `on`."""
    value = _finite(amount, "amount")
    stated = _finite(stated_amount, "stated amount")
    source_code = normalise_currency(currency)
    stated_code = normalise_currency(stated_currency)
    table = rate_table()
    day = None
    if table.publishes(source_code) and table.publishes(stated_code):
        day = table.last_common_day((source_code, stated_code), on)
    if day is None:
        return StatedCheck(stated, stated_code, None, None, flagged=False)
    source_rate = table.rate(source_code, day)
    target_rate = table.rate(stated_code, day)
    assert source_rate is not None and target_rate is not None
    with localcontext(prec=_WORKING_PRECISION):
        exact = value * target_rate / source_rate
        ecb_amount = exact.quantize(CENT, rounding=ROUND_HALF_EVEN)
        if exact == 0:
            return StatedCheck(stated, stated_code, ecb_amount, None, flagged=stated != 0)
        gap = (abs(stated - exact) / abs(exact)).quantize(GAP_PLACES, rounding=ROUND_HALF_EVEN)
    return StatedCheck(stated, stated_code, ecb_amount, gap, flagged=gap > STATED_GAP_LIMIT)


# --- formatting ---------------------------------------------------------------

_SCALES = (
    (Decimal(10) ** 12, "tn"),
    (Decimal(10) ** 9, "bn"),
    (Decimal(10) ** 6, "m"),
)
_TENTH = Decimal("0.1")
_QUALIFIER_SIGNS = {
    Qualifier.EXACT: "",
    Qualifier.ABOUT: "≈ ",
    Qualifier.AT_LEAST: "≥ ",
    Qualifier.UP_TO: "≤ ",
}
_SAME_IN_PLURAL = frozenset({"aircraft", "ammunition", "personnel", "equipment", "materiel"})


@lru_cache(maxsize=32)
def _locale(code: str) -> Locale:
    """babel's Locale for `code`, parsed once (parsing loads the locale data)."""
    return Locale.parse(code)


@lru_cache(maxsize=32)
def _pattern(pattern: str) -> NumberPattern:
    """babel's compiled number pattern for `pattern`, parsed once."""
    return parse_pattern(pattern)


@lru_cache(maxsize=256)
def _currency_symbol(currency: str, locale: str) -> str:
    """The currency sign babel gives `currency` in `locale`, looked up once."""
    return get_currency_symbol(currency, locale=_locale(locale))


# Grouped patterns with a fixed number of decimals ("#,##0.0") or up to a maximum
# ("#,##0.###"), written through Python's own grouping with the locale's symbols:
# the same text as babel's NumberPattern.apply, at a fraction of its cost.
_PLAIN_PATTERNS = {"#,##0": (0, 0), "#,##0.0": (1, 1), "#,##0.###": (0, 3)}


@lru_cache(maxsize=32)
def _separators(locale: str) -> dict[int, str]:
    """A str.translate table from Python's "," and "." to the locale's group and decimal signs."""
    found = _locale(locale)
    return str.maketrans({",": get_group_symbol(found), ".": get_decimal_symbol(found)})


def _format_number(number: Decimal, pattern: str, locale: str) -> str:
    """`number` through a number pattern, rounded half-even, as babel's format_decimal does."""
    places = _PLAIN_PATTERNS.get(pattern)
    if places is None or not number.is_finite() or abs(number) >= _FAST_LIMIT:
        return _pattern(pattern).apply(number, _locale(locale))
    least, most = places
    rounded = number.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_EVEN)
    text = f"{rounded:,f}"
    if most > least and "." in text:
        whole, fraction = text.split(".")
        fraction = fraction.rstrip("0").ljust(least, "0")
        text = f"{whole}.{fraction}" if fraction else whole
    return text.translate(_separators(locale))


def _english_compact(amount: Decimal, currency: str, locale: str) -> str:
    """Compact English style: sign, currency symbol, one decimal, m/bn/tn."""
    symbol = _currency_symbol(currency, locale)
    spacer = "\u00a0" if symbol[-1:].isalpha() else ""
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    larger: tuple[Decimal, str] | None = None
    with localcontext(prec=60):
        for scale, suffix in _SCALES:
            if size >= scale:
                scaled = (size / scale).quantize(_TENTH, rounding=ROUND_HALF_EVEN)
                if scaled >= 1000 and larger is not None:  # 999.96m reads 1.0bn
                    scaled, suffix = Decimal("1.0"), larger[1]
                number = _format_number(scaled, "#,##0.0", locale)
                return f"{sign}{symbol}{spacer}{number}{suffix}"
            larger = (scale, suffix)
    number = _format_number(size, "#,##0", locale)
    return f"{sign}{symbol}{spacer}{number}"


def format_money(
    amount: Decimal, currency: str, *, compact: bool = True, locale: str = "en_GB"
) -> str:
    """Format `amount` of `currency`: "£283.0m", "€10.0bn" (compact) or, with
    `compact=False`, in full with two decimals: "£283,000,000.00".

    The full form reads back through `parse_amount` to the same amount (for
    amounts of at most two decimal places).
    """
    code = normalise_currency(currency)
    if not compact:
        return format_currency(
            amount, code, format="¤#,##0.00", locale=_locale(locale), currency_digits=False
        )
    if _locale(locale).language == "en":
        return _english_compact(amount, code, locale)
    return format_compact_currency(amount, code, locale=_locale(locale), fraction_digits=1)


def pluralise(unit: str) -> str:
    """The plural of a catalogue unit, by simple English rules ("battery" -> "batteries")."""
    if unit.endswith("s") or unit in _SAME_IN_PLURAL:
        return unit
    if unit.endswith("y") and unit[-2:-1] not in ("", "a", "e", "i", "o", "u"):
        return unit[:-1] + "ies"
    if unit.endswith(("ch", "sh", "x", "z")):
        return unit + "es"
    return unit + "s"


def format_quantity(
    quantity: Decimal | None, unit: str | None, qualifier: Qualifier | str = Qualifier.EXACT
) -> str:
    """Format a qualified quantity: "≥ 5,000 missiles", "≈ 400 drones", "≤ 10 systems";
    an unknown quantity reads "an unknown number of missiles"."""
    try:
        kind = Qualifier(qualifier)
    except ValueError:
        raise MoneyError(f"qualifier {qualifier!r} is not a known qualifier") from None
    if kind is Qualifier.UNKNOWN or quantity is None:
        return f"an unknown number of {pluralise(unit)}" if unit else "an unknown number"
    number = _format_number(quantity, "#,##0.###", "en_GB")
    if not unit:
        return f"{_QUALIFIER_SIGNS[kind]}{number}"
    noun = unit if quantity == 1 else pluralise(unit)
    return f"{_QUALIFIER_SIGNS[kind]}{number} {noun}"


def format_total(
    point: Decimal,
    lower: Decimal,
    currency: str,
    *,
    approximate: bool,
    open_ended: bool,
) -> str:
    """Format a summed total and its lower bound, saying how sure it is.

    "€10.0bn" (exact), "≈ €10.0bn" (some parts approximate), "≥ €10.0bn" (some
    part open-ended: the lower bound is what is certain), "≈ €10.3bn (at least
    €10.0bn)" when "up to" parts make the point sum exceed the lower bound, and
    "up to €10.0bn" when nothing at all is certain.
    """
    if lower > point:
        raise MoneyError(f"lower bound {lower} is above the point total {point}")
    shown_point = format_money(point, currency)
    if lower == point:
        if open_ended:
            return f"≥ {shown_point}"
        return f"≈ {shown_point}" if approximate else shown_point
    if lower == 0 and not open_ended:
        return f"up to {shown_point}"
    return f"≈ {shown_point} (at least {format_money(lower, currency)})"
