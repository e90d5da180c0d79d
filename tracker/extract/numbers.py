"""Number phrases: amounts of money and counts, with currency, scale and qualifier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tracker.extract.patterns import fold_case, folded_regex, lower_case

SCALES: dict[str, Decimal] = {
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bln": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
    "trn": Decimal(10) ** 12,
}
WORD_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
}  # fmt: skip
SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "US$": "USD", "C$": "CAD", "A$": "AUD",
           "¥": "JPY", "₴": "UAH", "zł": "PLN"}  # fmt: skip
CODES = frozenset(
    [
        "EUR",
        "USD",
        "GBP",
        "NOK",
        "SEK",
        "DKK",
        "CHF",
        "JPY",
        "CAD",
        "AUD",
        "NZD",
        "PLN",
        "CZK",
        "UAH",
        "HUF",
        "RON",
        "BGN",
        "ISK",
        "KRW",
        "CNY",
        "TRY",
    ]
)
# Placeholder for kroner/crowns: resolved from the donor's country (NOK, DKK, SEK, CZK).
CROWN = "CROWN"
CURRENCY_WORDS: dict[str, str] = {
    "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "sterling": "GBP",
    "british pounds": "GBP",
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD",
    "american dollars": "USD", "canadian dollars": "CAD", "australian dollars": "AUD",
    "new zealand dollars": "NZD",
    "norwegian kroner": "NOK", "norwegian crowns": "NOK", "danish kroner": "DKK",
    "danish crowns": "DKK", "swedish kronor": "SEK", "swedish crowns": "SEK", "kronor": "SEK",
    "czech crowns": "CZK", "czech korunas": "CZK", "koruna": "CZK", "korunas": "CZK",
    "icelandic kronur": "ISK", "kronur": "ISK", "kroner": CROWN, "krone": CROWN, "crowns": CROWN,
    "swiss francs": "CHF", "francs": "CHF", "yen": "JPY", "japanese yen": "JPY",
    "hryvnias": "UAH", "hryvnia": "UAH", "hryvnas": "UAH", "zloty": "PLN", "zlotys": "PLN",
    "zlotych": "PLN", "forints": "HUF", "lei": "RON",
}  # fmt: skip
CURRENCY_BY_COUNTRY_CROWN = {"NO": "NOK", "DK": "DKK", "SE": "SEK", "CZ": "CZK", "IS": "ISK"}

QUALIFIERS: dict[str, str] = {
    "more than": "at_least", "over": "at_least", "at least": "at_least",
    "in excess of": "at_least", "upwards of": "at_least", "just over": "at_least",
    "no less than": "at_least", "not less than": "at_least", "a minimum of": "at_least",
    "up to": "up_to", "as much as": "up_to", "as many as": "up_to", "less than": "up_to",
    "fewer than": "up_to", "under": "up_to", "just under": "up_to", "a maximum of": "up_to",
    "no more than": "up_to",
    "about": "about", "around": "about", "nearly": "about", "almost": "about",
    "approximately": "about", "some": "about", "roughly": "about", "close to": "about",
    "an estimated": "about", "approx.": "about", "circa": "about",
}  # fmt: skip

_SYMBOL_ALT = "US\\$|C\\$|A\\$|[€£$¥₴]"
_CODE_ALT = "|".join(sorted(CODES))
_CURRENCY_WORD_ALT = "|".join(re.escape(w) for w in sorted(CURRENCY_WORDS, key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS_ALT = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_NUMBER_CORE = (
    rf"(?:(?P<pre>{_SYMBOL_ALT})\s?|(?P<precode>{_CODE_ALT})\s)?"
    rf"(?:(?<![\w.,\-/])(?P<num>{_DIGITS})(?![\d])(?!(?:st|nd|rd|th)\b)|(?<![\w-])(?P<word>{_WORDS_ALT})\b)"
    r"(?:(?P<scale_abbr>bn|bln|mln|mn|m|b|k|tn|trn)\b|\s?(?P<scale_word>thousand|million|billion|trillion)\b)?"
    r"(?:\s?(?P<percent>%|per\s?cent\b|percent\b)|\s?(?P<postcode>"
    + _CODE_ALT
    + r")\b|\s(?P<postword>"
    + _CURRENCY_WORD_ALT
    + r")\b|(?P<postsym>\s?zł))?"
)
NUMBER_RE = re.compile(_NUMBER_CORE, re.IGNORECASE)
_QUALIFIER_RE = folded_regex(  # over fold_case(the text before a number)
    r"(?:^|(?<=[\s(“\"]))(?P<q>"
    + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r")\s+(?:a\s+total\s+of\s+)?$"
)
_CONVERSION_RE = re.compile(
    r"\s*[(\[]\s*(?:about|around|approximately|roughly|some|nearly|almost|or|~|c\.)?\s*"
)
_SIGN_CHARS = frozenset("€£$¥₴")
_ANCHOR_RE = re.compile(r"(?<![\d.,])\d|\b(?:" + _WORDS_ALT + r")\b")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_CALIBRE_RE = re.compile(r"\s?mm\b|-mm\b", re.IGNORECASE)
_RANGE_JOIN_RE = re.compile(r"\s+and\s+")
_BETWEEN_RE = re.compile(r"\bbetween\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberPhrase:
    """A number found in a sentence; offsets are relative to the sentence."""

    start: int
    end: int
    value: Decimal
    currency: str | None
    has_scale: bool
    qualifier: str
    qualifier_text: str | None
    conversion: tuple[Decimal, str] | None = None
    percent: bool = False
    year: bool = False
    money_scale: bool = False  # "1.5bn": an abbreviated scale used for sums of money

    @property
    def is_money(self) -> bool:
        """True when the phrase names a currency."""
        return self.currency is not None


def _next_match(sentence: str, lowered: str, position: int) -> re.Match[str] | None:
    """The next number phrase from ``position``: find a digit or number word, then look back
    a few characters for a currency symbol or code (far faster than searching NUMBER_RE)."""
    for anchor in _ANCHOR_RE.finditer(lowered, position):
        start = anchor.start()
        for candidate in _prefix_starts(sentence, max(position, start - 4), start):
            match = NUMBER_RE.match(sentence, candidate)
            if match is not None and start in (match.start("num"), match.start("word")):
                return match
    return None


def _prefix_starts(sentence: str, first: int, start: int) -> list[int]:
    """Where a number starting at ``start`` may really begin: at a currency sign or code
    among the few characters before it, or at the number itself (tried last)."""
    starts = [
        candidate
        for candidate in range(first, start)
        if sentence[candidate] in _SIGN_CHARS
        or sentence[candidate : candidate + 3].upper() in CODES
        or sentence[candidate : candidate + 2] in ("US", "C$", "A$")
    ]
    starts.append(start)
    return starts


def find_numbers(sentence: str, lowered: str | None = None) -> list[NumberPhrase]:
    """Find number phrases, attaching a bracketed conversion to the phrase before it
    (``lowered``: the sentence's ``lower_case``, when the caller has it)."""
    found: list[NumberPhrase] = []
    position = 0
    if lowered is None:
        lowered = lower_case(sentence)
    while True:
        match = _next_match(sentence, lowered, position)
        if match is None:
            return found
        phrase = _phrase_from_match(sentence, match)
        position = match.end()
        if phrase is None:
            continue
        if phrase.is_money:
            conversion = _conversion_after(sentence, position)
            if conversion is not None:
                converted, conversion_end = conversion
                phrase = NumberPhrase(
                    phrase.start, conversion_end, phrase.value, phrase.currency,
                    phrase.has_scale, phrase.qualifier, phrase.qualifier_text,
                    (converted.value, converted.currency or ""),
                    money_scale=phrase.money_scale,
                )  # fmt: skip
                position = conversion_end
        found.append(phrase)
        _merge_range(sentence, found)


def _merge_range(sentence: str, found: list[NumberPhrase]) -> None:
    """ "between 20 and 30 jets", "between €1bn and €2bn": the lower bound, at least.

    A range promises at least its lower bound; the upper bound is not a second number.
    """
    if len(found) < 2:
        return
    low, high = found[-2], found[-1]
    if not _RANGE_JOIN_RE.fullmatch(sentence, low.end, high.start) or not _BETWEEN_RE.search(
        sentence, max(0, low.start - 12), low.start
    ):
        return
    found[-2:] = [
        NumberPhrase(low.start, high.end, low.value, low.currency or high.currency,
                     low.has_scale, "at_least", "between", low.conversion,
                     money_scale=low.money_scale or high.money_scale)
    ]  # fmt: skip


def _phrase_from_match(sentence: str, match: re.Match[str]) -> NumberPhrase | None:
    """Build a NumberPhrase from a regex match, or None when it is not a number."""
    groups = match.groupdict()
    if groups["num"] is None and groups["word"] is None:
        return None
    if _CALIBRE_RE.match(sentence, match.end()):
        return None  # "155mm rounds": a calibre, not a count
    if groups["num"] is not None:
        value = Decimal(groups["num"].replace(",", ""))
    else:
        value = Decimal(WORD_NUMBERS[groups["word"].lower()])
    scale = groups["scale_abbr"] or groups["scale_word"]
    if groups["scale_abbr"] and groups["word"] is not None:
        return None  # "one m" is not a number phrase
    if scale:
        value *= SCALES[scale.lower()]
    if value == value.to_integral_value():
        value = Decimal(int(value))
    currency = _currency(groups)
    bare_abbreviation = (
        groups["scale_abbr"] and groups["scale_abbr"].lower() in ("m", "b", "k") and not currency
    )
    if bare_abbreviation and (groups["num"] is None or not _money_context(sentence, match.end())):
        return None
    text_before = sentence[max(0, match.start() - 40) : match.start()]
    qualifier, qualifier_text = "exact", None
    # a qualifier ends in white space right before the number
    qmatch = _QUALIFIER_RE.search(fold_case(text_before)) if text_before[-1:].isspace() else None
    if qmatch is not None:
        qualifier_text = text_before[qmatch.start("q") : qmatch.end("q")]
        qualifier = QUALIFIERS[qualifier_text.lower()]
    is_year = (
        currency is None
        and not scale
        and groups["num"] is not None
        and _YEAR_RE.fullmatch(groups["num"]) is not None
    )
    return NumberPhrase(
        start=match.start(),
        end=match.end(),
        value=value,
        currency=currency,
        has_scale=bool(scale),
        qualifier=qualifier,
        qualifier_text=qualifier_text,
        percent=groups["percent"] is not None,
        year=is_year,
        money_scale=groups["scale_abbr"] is not None,
    )


def _currency(groups: dict[str, str | None]) -> str | None:
    """The currency a match names by symbol, code or word."""
    if groups["pre"]:
        return SYMBOLS[groups["pre"].upper()]
    if groups["precode"]:
        return groups["precode"].upper()
    if groups["postcode"]:
        return groups["postcode"].upper()
    if groups["postword"]:
        return CURRENCY_WORDS[groups["postword"].lower()]
    if groups["postsym"]:
        return "PLN"
    return None


def _money_context(sentence: str, end: int) -> bool:
    """True when an abbreviated scale ("1.5bn") is followed by money words."""
    after = sentence[end : end + 30].lower()
    return (
        not re.match(r"\s*[a-z]", after)
        or re.match(r"\s*(?:in|of|worth|for|to|package|aid|loan|fund|grant|budget)\b", after)
        is not None
    )


def _conversion_after(sentence: str, position: int) -> tuple[NumberPhrase, int] | None:
    """A bracketed money phrase right after ``position`` ("($384m)"), with its end offset."""
    opener = _CONVERSION_RE.match(sentence, position)
    if opener is None:
        return None
    inner = NUMBER_RE.match(sentence, opener.end())
    if inner is None:
        return None
    phrase = _phrase_from_match(sentence, inner)
    if phrase is None or not phrase.is_money:
        return None
    close = re.compile(r"\s*[)\]]").match(sentence, inner.end())
    if close is None:
        return None
    return phrase, close.end()


def resolve_crown(currency: str | None, country_code: str | None) -> str | None:
    """Turn the kroner/crowns placeholder into the donor country's currency."""
    if currency != CROWN:
        return currency
    return CURRENCY_BY_COUNTRY_CROWN.get(country_code or "", "NOK")
