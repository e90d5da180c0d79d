"""A note that says which dollar an article's "$" is ("All figures in Australian dollars").

Government releases of Australia, Canada or New Zealand write their own dollar as "$" and
say so once, at the top or the bottom of the text. A bare "$" in such an article is that
currency; "US$", "USD" or "U.S. dollars" still name the US dollar.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TypeVar

from tracker.extract.models import ExtractedPledge, ExtractedStageReport
from tracker.extract.numbers import CURRENCY_WORDS

# The dollars a note can name: every "<country> dollars" of the currency words but the US's.
_OTHER_DOLLARS = {
    words: code
    for words, code in CURRENCY_WORDS.items()
    if words.endswith(" dollars") and code != "USD"
}
_NOTE_RE = re.compile(
    r"\b(?:all\s+)?(?:dollar\s+)?(?:figures|amounts|sums|values|prices)\s+(?:are\s+)?"
    r"(?:(?:given|stated|expressed|shown)\s+)?in\s+(?P<dollars>"
    + "|".join(sorted(_OTHER_DOLLARS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
# A sum in a sentence that names the US dollar itself keeps it.
_US_DOLLAR_RE = re.compile(r"US\$|\bUSD\b|\bU\.?S\.? dollars?\b", re.IGNORECASE)

Record = TypeVar("Record", ExtractedPledge, ExtractedStageReport)


def declared_dollar(text: str) -> str | None:
    """The currency a note in ``text`` says its "$" is ("All figures in Australian dollars":
    AUD), or None without such a note."""
    if "dollars" not in text:
        return None
    note = _NOTE_RE.search(text)
    return _OTHER_DOLLARS[note["dollars"].lower()] if note else None


def in_declared_dollar(records: list[Record], currency: str) -> list[Record]:
    """The records with their "$" sums in ``currency`` (see `declared_dollar`)."""
    return [
        replace(record, currency=currency)
        if record.currency == "USD"
        and "$" in record.evidence
        and not _US_DOLLAR_RE.search(record.evidence)
        else record
        for record in records
    ]
