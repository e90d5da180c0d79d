"""Dates in a sentence, resolved against the publication date, with a precision."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from tracker.extract.patterns import after_non_word, finditer_padded, keyword_re, lower_case, pad

MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH_ALT = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
# Each alternative starts a word (a \b before a digit or letter): matched after a character
# outside words, over pad(lower_case(text)) (see after_non_word).
_DATE_RE = after_non_word(
    rf"(?P<dmy>(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH_ALT})\.?(?:,?\s+(?P<y1>\d{{4}}))?)\b"
    rf"|(?P<mdy>(?P<m2>{_MONTH_ALT})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y2>\d{{4}}))?)\b"
    rf"|(?:in|during|by)\s+(?P<my>(?P<m3>{_MONTH_ALT})(?:\s+(?P<y3>\d{{4}}))?)\b"
    r"|(?P<rel>today|yesterday|tonight|last\s+night|overnight"
    r"|(?:earlier\s+|later\s+)?this\s+(?:week|month|year)|last\s+(?:week|month|year)"
    r"|(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
    r"|in\s+(?P<year>(?:19|20)\d\d)\b"
)  # case-sensitive over lower_case(text): much faster than IGNORECASE
# Every match of _DATE_RE holds one of these: a month, a relative word, or a year's digits.
_DATE_WORDS_RE = keyword_re(
    (*(name for name in MONTHS if len(name) == 3), "day", "night", "week", "month", "year", "19",
     "20")
)  # fmt: skip


# "KYIV, March 3 (Reuters) -", "WASHINGTON (AP) —", "COPENHAGEN, Sept 5 -": a dateline lede.
DATELINE_RE = re.compile(
    r"^[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*"
    r"(?:\([A-Za-z .]+\)\s*)?[-–—]\s"
)


_DATELINE_SECOND = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ.'’ -")


class DateMention(NamedTuple):
    """A resolved date, its precision and where it was read (offsets in the sentence).

    A named tuple, as the extractor's other records read from a sentence: several are built
    for every sentence, and a tuple is built four times faster than a frozen dataclass.
    """

    start: int
    end: int
    value: date
    precision: str


def find_dates(
    sentence: str, published: date | None, lowered: str | None = None
) -> list[DateMention]:
    """Every date expression in a sentence that can be resolved (``lowered``: its
    ``lower_case``, when the caller has it)."""
    found: list[DateMention] = []
    if lowered is None:
        lowered = lower_case(sentence)
    if _DATE_WORDS_RE.search(lowered) is None:
        return found
    for match in finditer_padded(_DATE_RE, pad(lowered)):
        resolved = _resolve(match, published)
        if resolved is not None:
            found.append(DateMention(match.start(), match.end() - 1, resolved[0], resolved[1]))
    return found


def date_near(
    sentence: str,
    position: int,
    published: date | None,
    dates: list[DateMention] | None = None,
) -> tuple[date | None, str | None]:
    """The date nearest to ``position`` in the sentence, else the publication date (day);
    ``dates`` are the sentence's ``find_dates``, when the caller has them.

    A dateline ("KYIV, March 3 (Reuters) -") dates the article, not the pledge: its date is
    skipped. A year ("this year", "in 2025") yields to any finer date in the same span: next to
    a day ("said on Monday ... this year") it names the period the aid covers.
    """
    # (a dateline's second character is a capital, a full stop, an apostrophe, a space or a
    # hyphen: a cheap test first)
    dateline = DATELINE_RE.match(sentence) if sentence[1:2] in _DATELINE_SECOND else None
    skip = dateline.end() if dateline else 0
    if dates is None:
        dates = find_dates(sentence, published)
    dates = [d for d in dates if d.start >= skip]
    if any(d.precision != "year" for d in dates):
        dates = [
            d for d in dates if d.precision != "year"
        ]  # "this year", "in 2025": a budget period
    if dates:
        nearest = min(dates, key=lambda d: min(abs(d.start - position), abs(d.end - position)))
        return nearest.value, nearest.precision
    if published is None:
        return None, None
    return published, "day"


def _resolve(match: re.Match[str], published: date | None) -> tuple[date, str] | None:
    """Resolve one date match; relative ones need the publication date."""
    groups = match.groupdict()
    if groups["dmy"] or groups["mdy"]:
        day = int(groups["d1"] or groups["d2"])
        month = MONTHS[(groups["m1"] or groups["m2"]).lower()]
        year_text = groups["y1"] or groups["y2"]
        year = int(year_text) if year_text else _infer_year(month, published)
        if year is None:
            return None
        try:
            return date(year, month, day), "day"
        except ValueError:
            return None
    if groups["my"]:
        month = MONTHS[groups["m3"].lower()]
        year = int(groups["y3"]) if groups["y3"] else _infer_year(month, published)
        return (date(year, month, 1), "month") if year is not None else None
    if groups["year"]:
        return date(int(groups["year"]), 1, 1), "year"
    if published is None:
        return None
    return _resolve_relative(" ".join(groups["rel"].lower().split()), published)


def _infer_year(month: int, published: date | None) -> int | None:
    """The year of a month named without one: the latest not after publication."""
    if published is None:
        return None
    return published.year if month <= published.month else published.year - 1


def _resolve_relative(words: str, published: date) -> tuple[date, str]:
    """Resolve "yesterday", "last week", "on Thursday"... against the publication date."""
    if words in ("today", "tonight", "overnight"):
        return published, "day"
    if words in ("yesterday", "last night"):
        return published - timedelta(days=1), "day"
    week_start = published - timedelta(days=published.weekday())
    if words.endswith("this week"):
        return week_start, "week"
    if words == "last week":
        return week_start - timedelta(days=7), "week"
    if words.endswith("this month"):
        return published.replace(day=1), "month"
    if words == "last month":
        last = published.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), "month"
    if words.endswith("this year"):
        return date(published.year, 1, 1), "year"
    if words == "last year":
        return date(published.year - 1, 1, 1), "year"
    strictly_before = words.startswith("last ")
    weekday = WEEKDAYS.index(words.split()[-1])
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back), "day"


_SPEECH_BEFORE_RE = re.compile(r"\b(?:said|says|announced|told\b[^,.;]{0,40}?)\s+(?:on\s+)?$")


def speech_date(
    sentence: str, published: date | None, dates: list[DateMention] | None = None
) -> tuple[date, str] | None:
    """The date of the statement ("..., the government said on Wednesday"), if one is given
    (``dates``: the sentence's ``find_dates``, when the caller has them)."""
    if dates is None:
        dates = find_dates(sentence, published)
    for found in dates:
        if _SPEECH_BEFORE_RE.search(sentence, max(0, found.start - 50), found.start):
            return found.value, found.precision
    return None
