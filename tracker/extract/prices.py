"""A price told in the sentence after the count it prices: "Britain would pay for 50,000
more drones for Ukraine. He put the cost at £350m." One commitment, one record with both
figures (as "50,000 drones for £350m" is)."""

from __future__ import annotations

from dataclasses import replace

from tracker.extract.models import ExtractedPledge
from tracker.extract.numbers import find_numbers
from tracker.extract.patterns import contains_any, fold_lowered, folded_regex

# The words of pricing, one of which every match of _PRICE_RE holds (a cheap test first).
_PRICE_NOUNS = ("cost", "price", "bill")
# "He put the cost at", "officials estimated the price at", "The cost was put at", "the bill
# is estimated at": the sum after it prices what the sentence before counted.
_PRICE_RE = folded_regex(
    r"\b(?:(?:put|puts|putting|estimated|estimates|estimating|set|sets|setting)\s+(?:the|its"
    r"|their)\s+(?:total\s+)?(?:cost|price|bill)\s+at"
    r"|(?:the|its|their)\s+(?:total\s+)?(?:cost|price|bill)\s+(?:is|was|will\s+be|would\s+be"
    r"|has\s+been)\s+(?:put|estimated|set)\s+at)\s+"
)


def priced_count(text: str, lowered: str, before: list[ExtractedPledge]) -> ExtractedPledge | None:
    """The one pledge the sentence before made (``before``), of a count without a sum, with
    the price this sentence (``lowered``: its ``lower_case``) puts on it; None when it prices
    nothing, or the sentence before pledged other than one count."""
    if len(before) != 1 or before[0].quantity is None or before[0].amount is not None:
        return None
    if not contains_any(lowered, _PRICE_NOUNS):
        return None
    match = _PRICE_RE.search(fold_lowered(lowered))
    if match is None:
        return None
    for number in find_numbers(text, lowered):
        if number.start < match.end() or not number.is_money:
            continue
        lead = len(number.qualifier_text) + 1 if number.qualifier_text else 0
        if number.start - match.end() > lead:
            return None  # "put the cost at more than double the €90m first planned"
        pledge = before[0]
        return replace(
            pledge,
            amount=number.value,
            currency=number.currency,
            qualifier=pledge.qualifier if number.qualifier == "exact" else number.qualifier,
            qualifier_text=pledge.qualifier_text or number.qualifier_text,
            stated_conversion=number.conversion,
        )
    return None
