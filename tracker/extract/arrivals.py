"""Things handed over told as the subject of their arrival: "Britain said 1,000 of the
missiles it promised had been delivered", "Some 1,000 British missiles have been delivered",
"The first 1,000 of the missiles Britain pledged have arrived", "The last of the 49 tanks that
Australia pledged have arrived".

The subject opens with the part handed over (a count, maybe "the first", "some"), or with "the
first/last of" the whole; the words after it name the things, and the donor: a name with its
verb of promise ("that Australia pledged"), a pronoun with one ("it promised": the speaker
named before "said"), or an adjective of nationality ("British missiles", "a German order").
Such a sentence reports a stage of an earlier promise: a stage report of the part, never a
pledge, whatever verb of giving its relative clause holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from tracker import reference
from tracker.extract.actors import DEMONYMS
from tracker.extract.dates import find_dates
from tracker.extract.donors import Mention
from tracker.extract.givers import ArticleContext
from tracker.extract.items import guess_kind, match_item
from tracker.extract.models import ExtractedStageReport, Sentence
from tracker.extract.numbers import find_numbers
from tracker.extract.patterns import contains_any, fold_case
from tracker.extract.phrases import item_words
from tracker.extract.stages import report_date, stage_reports

# The words of an arrival, done (rules as data: a form added here is read by the engine).
ARRIVED_FORMS = (
    r"(?:has|have|had)\s+(?:now\s+|so\s+far\s+|already\s+|finally\s+|all\s+)?"
    r"(?:been\s+(?:delivered|handed\s+over|shipped|transferred|sent)|arrived|reached)",
    r"(?:was|were)\s+(?:already\s+)?(?:delivered|handed\s+over|shipped|transferred)",
    r"arrived", r"reached\s+(?:Ukraine|the\s+front|Kyiv)",
)  # fmt: skip
# One of these is in every arrival above: a cheap test before the regex.
ARRIVAL_HINTS = ("arrived", "reached", "delivered", "handed over", "shipped", "transferred",
                 "been sent")  # fmt: skip
# The verbs that name the earlier promise in the subject ("the missiles it promised").
PROMISE_FORMS = ("promised", "pledged", "committed", "financed", "funded", "ordered", "donated")
# The words that may open the subject before its figure.
_HEAD_RE = re.compile(
    r"\s*(?:(?:the|its|their)\s+(?P<which>first|last|remaining|final|latest)\s+)?"
    r"(?:(?:some|about|around|another|a\s+further|more\s+than|over|nearly|almost)\s+)?",
    re.IGNORECASE,
)
_OF_WHOLE_RE = re.compile(r"\s*of\s+(?:the|its|their)\s+", re.IGNORECASE)
_ARRIVED_RE = re.compile(rf"\b(?:{'|'.join(ARRIVED_FORMS)})\b", re.IGNORECASE)
# Where the subject starts: after the clause before it, or a speaker's "said (that)".
_SUBJECT_START_RE = re.compile(
    r"(?:[,;:]\s+|\b(?:said|says|reported|confirmed|announced|added)\s+(?:that\s+)?)",
    re.IGNORECASE,
)
_PROMISED_BY_RE = re.compile(
    rf"\b(?P<who>it|they|he|she)?\s*(?:had\s+|has\s+|have\s+)?(?:{'|'.join(PROMISE_FORMS)})\b",
    re.IGNORECASE,
)
_NOT_RE = re.compile(r"\b(?:not|never|yet)\b|n['’]t\b", re.IGNORECASE)
_ARRIVED_IN_RE = re.compile(r"\s+(?:in|to|at)\s+(?:the\s+)?")
_DEMONYM_CODE = {name: code for code, names in DEMONYMS.items() for name in names}
_DEMONYM_RE = re.compile(rf"\b(?P<d>{'|'.join(_DEMONYM_CODE)})\b")


class Arrival(NamedTuple):
    """A sentence's arrival: where its subject starts and its verb ends (the words of giving
    between belong to it), and the stage reports it gives."""

    start: int
    end: int
    reports: list[ExtractedStageReport]


def told_arrival(
    sentence: Sentence,
    lowered: str,
    context: ArticleContext,
    hints: Sequence[str] = ARRIVAL_HINTS,
) -> Arrival | None:
    """The arrival a sentence tells with the things as its subject, else None (``lowered``:
    its ``lower_case``; ``hints``: ARRIVAL_HINTS, or those of them the article holds, see
    ``present_words``)."""
    if not contains_any(lowered, hints):
        return None
    text = sentence.text
    verb = _ARRIVED_RE.search(text)
    if verb is None or _NOT_RE.search(text, max(0, verb.start() - 24), verb.end()):
        return None  # "have not arrived", "never arrived": nothing handed over
    starts = [m.end() for m in _SUBJECT_START_RE.finditer(text, 0, verb.start())]
    start = starts[-1] if starts else 0
    numbers = find_numbers(text, lowered)
    head = _HEAD_RE.match(text, start, verb.start())
    assert head is not None  # every part of it is optional
    position = head.end()
    part = next((n for n in numbers if n.start == position and not n.percent), None)
    if part is not None:
        position = part.end
    elif head.group("which") is None:
        return None  # no figure and no "the first/last of": not such a subject
    whole = _OF_WHOLE_RE.match(text, position, verb.start())
    if whole is not None:
        position = whole.end()
        number = next((n for n in numbers if n.start == position and not n.percent), None)
        if number is not None:  # "1 of the 1900 howitzers": a count, whatever its digits
            position = number.end
    elif part is None:
        return None
    donor = _donor(text, start, verb.start(), context)
    if donor is None or _elsewhere(text, verb.end(), context):
        return None
    words_from, limit = position, verb.start()
    if donor.start >= position and not text[position : donor.start].strip():
        words_from = donor.end  # "1,000 British missiles"
    elif donor.start > position:
        limit = donor.start  # "the missiles Britain pledged"
    words, words_end = item_words(text, words_from, limit)
    item = match_item(words, context.vocabulary) if words else None
    if item is None or (item.category is None and guess_kind(words, "") == ""):
        return None
    reports: list[ExtractedStageReport] = []
    if part is not None and not part.year:
        figures = [part, *(n for n in numbers if part.end < n.start < verb.start())]
        dated = report_date(text, fold_case(text), verb.end(), context.published,
                            find_dates(text, context.published, lowered))  # fmt: skip
        reports = stage_reports(sentence, [donor], reference.DEFAULT_RECIPIENT, "delivered",
                                figures, {part.start: item}, dated, words_end)  # fmt: skip
    end = verb.end()
    for more in _ARRIVED_RE.finditer(text, end):  # "have arrived and have been handed over"
        if "," in text[end : more.start()]:
            break
        end = more.end()
    return Arrival(start, end, reports)


def _elsewhere(text: str, verb_end: int, context: ArticleContext) -> bool:
    """True when the things arrived in another country than Ukraine ("Some 10 German tanks
    have arrived in Lithuania"): no delivery to Ukraine."""
    place = _ARRIVED_IN_RE.match(text, verb_end)
    if place is None:
        return False
    named = context.mentions_of(text[place.end() : place.end() + 40])
    return any(m.start == 0 and m.kind == "country" and m.code != "UA" for m in named)


def _donor(text: str, start: int, end: int, context: ArticleContext) -> Mention | None:
    """The donor a subject names from ``start`` to ``end``: a name that can give, a pronoun
    promising (the speaker named before ``start``), or an adjective of nationality; a
    promise told without its giver ("the missiles promised in July") is the one of the donor
    the article names most (``ArticleContext.principal_donors``)."""
    inside = [
        m for m in context.mentions_of(text) if m.can_give and not m.is_recipient_side
    ]  # fmt: skip
    named = next((m for m in inside if start <= m.start < end), None)
    if named is not None:
        return named
    promised = _PROMISED_BY_RE.search(text, start, end)
    if promised is not None and promised.group("who"):
        return next((m for m in reversed(inside) if m.end <= start), None)
    demonym = _DEMONYM_RE.search(text, start, end)
    if demonym is None:
        # "1,900 of the 2,000 missiles promised in the summer": the article's donor's promise
        principal = context.principal_donors() if promised is not None else []
        return principal[0]._replace(start=start, end=start) if principal else None
    found = [
        m
        for m in context.mentions_of(f"the {demonym.group('d')} government")
        if m.can_give and not m.is_recipient_side
    ]
    return found[0]._replace(start=demonym.start(), end=demonym.end()) if found else None
