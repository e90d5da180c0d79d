"""Which dollar an article's "$" is: a note that says so ("All figures in Australian
dollars"), or the one donor whose sums the article gives in "$".

Government releases of Australia, Canada or New Zealand write their own dollar as "$" and
say so once, at the top or the bottom of the text. A bare "$" in such an article is that
currency; "US$", "USD" or "U.S. dollars" still name the US dollar. The countries' own news
outlets write "$" for their dollar without a note ("The federal government will send ... as
part of a $95 million package"): where every sum the article pledges in a bare "$" is one
such country's, in two sentences or more, and the article never names the US dollar, its
"$" is that country's dollar.
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
# A sum in a sentence that names the US dollar itself keeps it: "US$", "USD", "U.S. dollars"
# (over the lower-cased text; "US" before "dollar" is looked for right before each "dollar").
_USD_RE = re.compile(r"\busd\b")
_US_BEFORE_RE = re.compile(r"\bu\.?s\.?\s$")

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
    pledges in a bare "$" (in two sentences at least), when the article never names the US
    dollar; else None."""
    dollars = [p for p in pledges if p.currency == "USD" and "$" in p.evidence]
    donors = {p.donor for p in dollars}
    if len(donors) != 1 or len({p.evidence for p in dollars}) < 2:
        return None  # one sentence is too little to tell an outlet's own dollar
    donor = donors.pop()
    if donor not in HOME_DOLLARS:
        return None
    if _names_us_dollar(text):
        return None
    return HOME_DOLLARS[donor]


def _in_bare_dollars(record: ExtractedPledge | ExtractedStageReport) -> bool:
    """True for a record read in US dollars from a "$" its evidence does not say is the US
    dollar's."""
    return (
        record.currency == "USD"
        and "$" in record.evidence
        and not _names_us_dollar(record.evidence)
    )


def _names_us_dollar(text: str) -> bool:
    """True when ``text`` names the US dollar ("US$", "USD", "U.S. dollars"), in any case.
    Substring tests first: a case-blind regex over a whole article costs half a
    millisecond."""
    lowered = text.lower()
    if "us$" in lowered:
        return True
    if "usd" in lowered and _USD_RE.search(lowered):
        return True
    at = lowered.find("dollar")
    while at >= 0:
        if _US_BEFORE_RE.search(lowered, max(0, at - 6), at):
            return True
        at = lowered.find("dollar", at + 6)
    return False


def in_declared_dollar(records: list[Record], currency: str) -> list[Record]:
    """The records with their "$" sums in ``currency`` (see `declared_dollar`)."""
    return [
        replace(record, currency=currency) if _in_bare_dollars(record) else record
        for record in records
    ]
