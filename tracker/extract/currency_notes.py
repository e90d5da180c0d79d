"""Which dollar an article's "$" is: a note that says so ("All figures in Australian
dollars"), or the one donor whose sums the article gives in "$".

Government releases of Australia, Canada or New Zealand write their own dollar as "$" and
say so once, at the top or the bottom of the text. A bare "$" in such an article is that
currency; "US$", "USD" or "U.S. dollars" still name the US dollar. The countries' own news
outlets write "$" for their dollar without a note ("The federal government will send ... as
part of a $95 million package"): where every sum the article pledges in a bare "$" is one
such country's, two or more of them, and the article never names the US dollar, its "$" is
that country's dollar.
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

# The donors that write their own dollar as "$" at home.
HOME_DOLLARS = {"Australia": "AUD", "Canada": "CAD", "New Zealand": "NZD"}

Record = TypeVar("Record", ExtractedPledge, ExtractedStageReport)


def declared_dollar(text: str) -> str | None:
    """The currency a note in ``text`` says its "$" is ("All figures in Australian dollars":
    AUD), or None without such a note."""
    if "dollars" not in text:
        return None
    note = _NOTE_RE.search(text)
    return _OTHER_DOLLARS[note["dollars"].lower()] if note else None


def home_dollar(text: str, pledges: list[ExtractedPledge]) -> str | None:
    """The dollar of the one donor of ``HOME_DOLLARS`` that gives every sum the article
    pledges in a bare "$" (two at least), when the article never names the US dollar; else
    None."""
    if _US_DOLLAR_RE.search(text):
        return None
    donors = [p.donor for p in pledges if _in_bare_dollars(p)]
    if len(donors) < 2 or len(set(donors)) != 1:
        return None  # one sum is too little to tell an outlet's own dollar
    return HOME_DOLLARS.get(donors[0])


def _in_bare_dollars(record: ExtractedPledge | ExtractedStageReport) -> bool:
    """True for a record read in US dollars from a "$" its evidence does not say is the US
    dollar's."""
    return (
        record.currency == "USD"
        and "$" in record.evidence
        and not _US_DOLLAR_RE.search(record.evidence)
    )


def in_declared_dollar(records: list[Record], currency: str) -> list[Record]:
    """The records with their "$" sums in ``currency`` (see `declared_dollar`)."""
    return [
        replace(record, currency=currency) if _in_bare_dollars(record) else record
        for record in records
    ]
