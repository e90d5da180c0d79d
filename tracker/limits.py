"""How long a text field may be, on every path into it (form, API, table, mapping).

The lengths come from the columns that hold them; notes are stored as unbounded
text, so their limit is a rule of ours: long enough for a paragraph of context,
short enough that the audit trail (which copies them) stays readable.
"""

from __future__ import annotations

from sqlalchemy import String

from tracker.models import Donor, Item, Pledge

NOTES_MAX_CHARS = 5_000


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
}


def too_long(name: str, value: str) -> str | None:
    """The message for a value of field `name` over its limit, or None when it fits."""
    limit = TEXT_LIMITS.get(name)
    if limit is not None and len(value) > limit:
        return f"{name} is {len(value):,} characters long; at most {limit:,} are allowed"
    return None
