"""How long a text field may be and which days a date may name, on every path into them
(form, API, table, mapping, filters).

The lengths come from the columns that hold them; notes are stored as unbounded
text, so their limit is a rule of ours: long enough for a paragraph of context,
short enough that the audit trail (which copies them) stays readable. A stored day
lies in the range the filters can name (FIRST_DAY to LAST_DAY), so no pledge or
report is out of every date filter's reach.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import String

from tracker.models import Donor, Item, Pledge, Recipient, Source

NOTES_MAX_CHARS = 5_000
# The days a pledge's announcement, a report and a date filter may name
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)


def _length(column: object) -> int:
    """The declared length of a String column."""
    kind = getattr(column, "type", None)
    assert isinstance(kind, String) and kind.length, f"{column} has no declared length"
    return int(kind.length)


# A pledge's free-text fields
PLEDGE_TEXT_LIMITS: dict[str, int] = {
    "unit": _length(Pledge.__table__.c.unit),
    "qualifier_text": _length(Pledge.__table__.c.qualifier_text),
    "item_text": _length(Pledge.__table__.c.item_text),
    "source_ref": _length(Pledge.__table__.c.source_ref),
    "notes": NOTES_MAX_CHARS,
}
# ... and the catalogue names a table import may add
TEXT_LIMITS: dict[str, int] = {
    **PLEDGE_TEXT_LIMITS,
    "donor": _length(Donor.__table__.c.name),
    "item": _length(Item.__table__.c.name),
    "recipient": _length(Recipient.__table__.c.name),
}


# A source's title, publisher and URL (a form's, a mapping's, an export's source_urls)
SOURCE_TEXT_LIMITS: dict[str, int] = {
    name: _length(Source.__table__.c[name]) for name in ("title", "publisher", "url")
}


def too_long(name: str, value: str) -> str | None:
    """The message for a value of field `name` over its limit, or None when it fits."""
    limit = TEXT_LIMITS.get(name)
    if limit is not None and len(value) > limit:
        return f"{name} is {len(value):,} characters long; at most {limit:,} are allowed"
    return None


def day_out_of_range(name: str, day: date) -> str | None:
    """The message for a day of field `name` outside FIRST_DAY to LAST_DAY (a year
    mistyped as "0025" or "20255"), or None when the day is in range."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return (
        f"{name} {day.isoformat()} is outside {FIRST_DAY.isoformat()} to "
        f"{LAST_DAY.isoformat()}: check the year"
    )
