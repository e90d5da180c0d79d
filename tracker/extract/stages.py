"""Allocations and deliveries of earlier pledges: "Britain has delivered the first 1,000 of the
more than 5,000 air defence missiles it promised in July".

A verb of handing over (deliver, disburse, pay, send, ship, transfer, hand over) that is done
or under way, not promised ("will deliver", "plans to send"), in a sentence that points back
to an earlier promise (a first or sixth tranche, "of the ...", "under the Ukraine Facility",
"promised in July"), reports a stage of that promise: a stage report, never a new pledge.
So does a verb of handing over or of allocating whose figure is told as the whole to date
("To date, Britain has delivered 3,000 missiles", "has so far allocated €5bn"): a running
total of what was promised before.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from tracker.extract.dates import DateMention, date_near
from tracker.extract.donors import Mention
from tracker.extract.items import ItemMatch
from tracker.extract.models import ExtractedPromisedFigure, ExtractedStageReport, Sentence
from tracker.extract.numbers import CODES, QUALIFIERS, NumberPhrase
from tracker.extract.patterns import contains_any, fold_case, folded_regex

# The verbs of handing over (over lower_case(text), matched where a trigger starts).
HANDING_OVER_VERBS = (
    "deliver", "delivers", "delivered", "delivering", "disburse", "disburses", "disbursed",
    "disbursing", "paid", "pays", "paying", "sent", "sends", "sending", "shipped", "ships",
    "shipping", "transferred", "transfers", "transferring", r"hand(?:s|ed|ing)?\s+over",
)  # fmt: skip
_HANDING_OVER_RE = re.compile(rf"(?:{'|'.join(HANDING_OVER_VERBS)})\b")
# The forms that tell a handing over done, not under way or announced.
HANDED_OVER_FORMS = (
    "delivered", "disbursed", "paid", "sent", "shipped", "transferred", r"handed\s+over",
)  # fmt: skip
_HANDED_OVER_RE = re.compile(rf"(?:{'|'.join(HANDED_OVER_FORMS)})\b")
# The forms of giving that tell a handing over only when a word of time tells their figure as
# the whole to date ("So far, Norway has provided NOK 1.2bn", "has given $12bn to date");
# else they are pledges ("Norway provided NOK 1bn on Monday").
PROVIDED_FORMS = ("provided", "supplied", "given", "gave", "donated", "contributed")
# The verbs of allocating: a stage of a promise only when a word of time tells their figure
# as the whole allocated to date ("has so far allocated €5bn"); else an allocation is a pledge.
ALLOCATING_VERBS = ("allocated", "allocates", "allocating")
# The three at once, the first that fits named (one match at a verb rather than three).
_RUNNING_VERB_RE = re.compile(
    rf"(?P<handing_over>{'|'.join(HANDING_OVER_VERBS)})\b"
    rf"|(?P<providing>{'|'.join(PROVIDED_FORMS)})\b|(?:{'|'.join(ALLOCATING_VERBS)})\b"
)
# Words before the verb that make it a promise of handing over, not a report of it; not
# within a word of time ("has to date delivered", "has up to now sent").
PROMISE_WORDS = (
    "will", "would", "shall", "to", "plan", "plans", "planned", "intends", "intend", "going",
    "expected", "set", "could", "can", "may", "might", "ready", "promised", "pledged",
    "agreed", "offered",
)  # fmt: skip
# Words that point back to an earlier promise, wherever they stand.
_POINTING_BACK = (
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
    r"|latest|next|final|last)\s+(?:[^\s]+\s+){0,2}?(?:tranche|instal?lment|batch|part|portion)s?\b"
    r"|\btranches?\b|\bunder\s+(?:the|its|their|his|her|a|an)\b"
    r"|\b(?:promised|pledged|announced|committed)\s+(?:in|on|at|last|earlier|previously|this)\b"
    r"|\b(?:previously|earlier)\s+(?:promised|pledged|announced|committed)\b"
    r"|\b(?:it|they|he|she|we)\s+(?:had\s+|has\s+|have\s+)?(?:promised|pledged|committed)\b"
)
# Words that point back to an earlier promise; before the figure handed over any "of the"
# does ("Of the €50bn promised, €20bn has been disbursed").
_EARLIER_PROMISE_RE = folded_regex(
    _POINTING_BACK + r"|(?P<of>\bof\s+(?:the|its|their|his|her|a|an)\b)"
)
# After the verb, "of the" points back only after the part handed over, within four words:
# "1,000 of the 5,000", "the last of the tanks", "12 billion crowns (about $1.1bn) of its
# support", "part of a package"; not "the largest of the year" or "out of the sky".
_PART_BEFORE_OF_RE = folded_regex(
    r"(?:\d|\b(?:first|second|third|last|rest|remainder|balance|part|portion|share|half|all"
    r"|most|some|two|three|four|five|six|seven|eight|nine|ten|dozen|hundreds|thousands)\b)"
    r"[^\s]*\s+(?:[^\s]+\s+){0,3}$"
)
_PART_WINDOW = 80  # characters before "of" where the part is looked for


def _points_back_after(folded: str, start: int) -> bool:
    """True when words after ``start`` point back to an earlier promise, "of the" only after
    the part handed over."""
    for match in _EARLIER_PROMISE_RE.finditer(folded, start):
        if match.group("of") is None:
            return True
        of = match.start()
        if _PART_BEFORE_OF_RE.search(folded, max(start, of - _PART_WINDOW), of) is not None:
            return True
    return False


# The words that name the promise ("promised in July", "previously announced").
# The words naming the earlier promise, with its time ("promised in July", "pledged to
# Kyiv last year", "it promised Ukraine back in March"): up to two words (the recipient)
# between the verb and the time.
_REFERS_TO_RE = folded_regex(
    r"(?:(?:previously|earlier)\s+)?(?:promised|pledged|announced|committed)"
    r"(?:(?:\s+[a-z'-]+){0,2}?\s+(?:back\s+)?(?:in|on|at|last|earlier|this)"
    r"(?:\s+(?:[a-z]+|\d{4}))?)?"
)
# Between the figure handed over and the promised one: "of the more than", "worth a total of".
_PROMISED_LINK_RE = folded_regex(
    r"\b(?:of\s+(?:the|its|their)|worth|total\s+of|totall?ing|out\s+of)\s+(?:[\w-]+\s+){0,3}$"
)


# A promise named at the head of the sentence, before the donor who hands part of it over:
# "Of the more than 5,000 missiles pledged in July, Britain has delivered 1,000."
FRONTED_PROMISE_RE = folded_regex(
    r"\s*(?:and\s+)?of\s+(?:the|its|their)\s+(?:[^,;]|,(?=\d)){0,80}?\b(?:promised|pledged"
    r"|committed|announced)\b[^,;]{0,80},"
)
# The rest of such a sentence telling a part of the promise handed over, done, with no donor
# of its own: "only €700 million has arrived", "81 per cent had been received by UN agencies".
_PART_DONE_RE = folded_regex(
    r"\b(?:ha(?:s|ve|d)\s+(?:so\s+far\s+|now\s+|actually\s+)?(?:been\s+(?:"
    rf"{'|'.join(HANDED_OVER_FORMS)}|received|spent)|arrived|reached)"
    r"|(?:was|were)\s+(?:delivered|disbursed|paid|received))\b"
)


# A sum a donor's possessive owns, set off by the participle of its promise: "Portugal's €220
# million for 2026, announced in March, has been fully contracted", "Germany's €500m package,
# pledged in June, has yet to arrive": the donor's pledge, reported as made before.
_OWNED_PROMISE_RE = re.compile(
    r"(?:[A-Z][\w.-]*\s+){0,3}?[A-Z][\w.-]*['’]s?\s+(?P<sum>(?:[€£$¥]|[A-Z]{3}\s|[A-Z]{1,2}\$)\d"
    r"[^,;]{0,60}?),\s+(?:first\s+)?(?:announced|pledged|promised|committed)\b"
)


def owned_promise(text: str) -> tuple[int, int] | None:
    """Where the sum of a promise a sentence opens with, owned by its donor, starts and where
    its words end (see ``_OWNED_PROMISE_RE``), else None."""
    return _span(_OWNED_PROMISE_RE.match(text), "sum")


def _span(match: re.Match[str] | None, group: str) -> tuple[int, int] | None:
    """Where a group of a match stands, else None (no match)."""
    return match.span(group) if match else None


# What a donor gave before, told in a relative clause: of a sentence that says it pledged
# nothing now ("The Netherlands, which gave 165 million euros last time, did not pledge", "The
# United States, which gave UNHCR about $2 billion in 2024, its largest donor, made no new
# pledge"), or set in a time before now ("Germany, which gave €6 million last year, pledged
# €5 million").
# The verbs of such a clause (after "which", "which had", "who has").
EARLIER_GIFT_VERBS = ("gave", "given", "provided", "contributed", "pledged", "donated")
_EARLIER_GIFT_RE = re.compile(
    rf",\s+(?:which|who)\s+(?:had\s+|has\s+)?(?:{'|'.join(EARLIER_GIFT_VERBS)})\b(?:[^;]*?"
    r"(?=,\s+(?P<none>did\s+not|didn['’]t|has\s+not|have\s+not|made\s+no|makes\s+no"
    r"|has\s+made\s+no)\s+(?:yet\s+|new\s+|fresh\s+|further\s+)?(?:pledge|commit|contribut"
    r"|announce|offer))"
    r"|[^,;]*?\b(?:last\s+(?:time|year)|a\s+year\s+(?:ago|earlier)|previously"
    r"|in\s+(?P<year>(?:19|20)\d\d))\b[^,;]*(?=,))"
)


class EarlierGift(NamedTuple):
    """A relative clause telling what its donor gave before (see ``_EARLIER_GIFT_RE``)."""

    start: int
    end: int
    pledged_none: bool  # the sentence says the donor pledged nothing now


def earlier_gift(text: str, published: date | None) -> EarlierGift | None:
    """The relative clause telling an earlier gift of its donor in ``text``, else None (a
    year is before now when it is before the year ``published``)."""
    match = _EARLIER_GIFT_RE.search(text)
    if match is None or (
        match["year"] is not None and published is not None and int(match["year"]) >= published.year
    ):
        return None
    return EarlierGift(match.start(), match.end(), match["none"] is not None)


def fronted_promise_done(text: str) -> int | None:
    """Where the head of a sentence naming a promise ends ("Of the €2 billion France promised
    in June,") when the rest tells a part of it handed over, done ("only €700 million has
    arrived"): the head's figure is the promise, the rest's a stage of it; else None."""
    folded = fold_case(text)
    head = FRONTED_PROMISE_RE.match(folded)
    if head is None or _PART_DONE_RE.search(folded, head.end()) is None:
        return None
    return head.end()


def handing_over_stage(
    folded: str, subject_end: int, verb_start: int, verb_end: int, figure: NumberPhrase | None
) -> str | None:
    """The stage the verb at ``verb_start`` reports of an earlier promise, else None:
    ``"delivered"`` for a handing over, done or under way, that points back to the promise
    ("the first tranche", "of the 5,000 it promised", or a promise named at the head of the
    sentence: FRONTED_PROMISE_RE), else the stage of a running total
    (``running_total_stage``). A verb that is promised, not done, reports nothing
    (``folded``: ``fold_case`` of the sentence; ``subject_end``: where the donor's name ends,
    or the verb's start when the donor follows it; ``figure``: the first after the verb)."""
    if (
        _HANDING_OVER_RE.match(folded, verb_start) is not None
        and (
            _points_back_after(folded, verb_start)
            or ((fronted := FRONTED_PROMISE_RE.match(folded)) and fronted.end() <= verb_start)
        )
        and not _promised_before(folded, subject_end, verb_start)
    ):
        return "delivered"
    return running_total_stage(folded, subject_end, verb_start, verb_end, figure)


def passive_points_back(
    folded: str, clause_start: int, figure: NumberPhrase, verb_start: int
) -> bool:
    """True when a passive handing over, done, of a ``figure`` named before its verb points
    back to an earlier promise before the figure ("Of the €50bn promised, €20bn has been
    disbursed by the EU"): a stage of that promise."""
    return (
        _HANDING_OVER_RE.match(folded, verb_start) is not None
        and _EARLIER_PROMISE_RE.search(folded, clause_start, figure.start) is not None
        and not _promised_before(folded, figure.end, verb_start)
    )


# A word of speech between the donor and the verb: the running total is someone else's
# ("Britain's defence secretary said the coalition had delivered €50bn since January"),
# unless a pronoun names the speaker again ("Germany said it has so far delivered ...").
SPEECH_WORDS = ("said", "says", "told", "added", "stated", "noted")
SPEAKER_PRONOUNS = ("it", "they", "we", "he", "she")
_SPEECH_RE = folded_regex(
    rf"\b(?:{'|'.join(SPEECH_WORDS)})\b(?!\s+(?:that\s+)?(?:{'|'.join(SPEAKER_PRONOUNS)})\b)"
)


def speaks_of_another(folded: str, subject_end: int, verb_start: int) -> bool:
    """True when a word of speech stands between the donor (ending at ``subject_end``) and
    its verb without a pronoun naming the speaker again: what the verb tells is not the
    donor's own running total."""
    return _SPEECH_RE.search(folded, subject_end, verb_start) is not None


def running_total_stage(
    folded: str, subject_end: int, verb_start: int, verb_end: int, figure: NumberPhrase | None
) -> str | None:
    """The stage of a running total, else None: ``"delivered"`` for a handing over whose
    ``figure`` a word of time tells as the whole to date (``told_to_date``: "has so far sent
    18 howitzers", "To date, Britain has delivered 3,000 missiles"), or, when the verb tells
    it done (HANDED_OVER_FORMS), other cumulative words (``is_cumulative``: "has delivered a
    total of 3,000"; "is sending a total of 14 tanks" announces them); ``"allocated"`` for an
    allocation whose figure a word of time tells so ("has so far allocated €1.5bn"; "is
    allocating a total of €1bn" announces it). Arguments as ``handing_over_stage``."""
    verb = _RUNNING_VERB_RE.match(folded, verb_start)
    if verb is None:
        return None
    handing_over = verb.lastgroup == "handing_over"
    providing = verb.lastgroup == "providing"
    if figure is None or _promised_before(folded, subject_end, verb_start):
        return None
    if speaks_of_another(folded, subject_end, verb_start):
        return None
    if told_to_date(folded, verb_end, figure):
        return "delivered" if handing_over or providing else "allocated"
    if providing:
        return None
    if _HANDED_OVER_RE.match(folded, verb_start) and is_cumulative(folded, verb_end, figure):
        return "delivered"
    return None


def _promised_before(folded: str, subject_end: int, verb_start: int) -> bool:
    """True when a word of promise stands between the donor and the verb at ``verb_start``
    ("will deliver", "plans to send"), not one inside a word of time ("has to date sent")."""
    start = max(0, min(subject_end, verb_start) - 5)
    return any(m.lastgroup for m in _PROMISE_BEFORE_RE.finditer(folded, start, verb_start))


def hands_over_what_was_pledged(
    folded: str, subject_end: int, verb_start: int, figure: NumberPhrase | None
) -> bool:
    """True when the verb at ``verb_start`` tells a handing over done (HANDED_OVER_FORMS), not
    promised, of a ``figure``: in a sentence whose earlier clause pledged the same kind of
    thing, it reports a stage of that pledge ("The Netherlands pledged €28bn and has
    delivered €10bn"). Arguments as ``handing_over_stage``."""
    return (
        figure is not None
        and _HANDED_OVER_RE.match(folded, verb_start) is not None
        and not _promised_before(folded, subject_end, verb_start)
    )


# "..., of which €10bn has been delivered", "of which the first six arrived in August",
# ", €20bn of which has been paid out": the part of the promise just named that was handed
# over (or allocated), in its own clause. The forms that tell it: HANDED_OVER_FORMS,
# ARRIVAL_FORMS and "allocated".
ARRIVAL_FORMS = ("arrived", "reached")
_PART_HANDED_RE = folded_regex(  # (", €20bn of which has been paid out" too)
    r"(?:,\s*[^,;:()]*?\s|,?\s*\b)of\s+which\s+(?P<part>[^,;:()]*?)\b(?:(?P<allocated>allocated|contracted)"
    rf"|{'|'.join((*HANDED_OVER_FORMS, *ARRIVAL_FORMS))})\b"
)


def handed_over_part(folded: str, verb_end: int, segment_end: int) -> tuple[int, int, str] | None:
    """Where an "of which" clause after the verb at ``verb_end`` (and before ``segment_end``)
    tells a part of the promise handed over or allocated, with the stage it tells: (where
    it starts, where its verb ends, ``"delivered"`` or ``"allocated"``); None when there is
    none or it is promised ("of which €5bn will be delivered next year": a part pledged)."""
    if "which" not in folded:
        return None
    match = _PART_HANDED_RE.search(folded, verb_end)
    if match is None or match.start() >= segment_end:
        return None
    part_start, part_end = match.span("part")
    if any(m.lastgroup for m in _PROMISE_BEFORE_RE.finditer(folded, part_start, part_end)):
        return None
    return match.start(), match.end(), "allocated" if match.group("allocated") else "delivered"


# "is delivering the aircraft": a thing named before, handed over now (no new pledge).
_KNOWN_THING_RE = folded_regex(
    r"\s+(?:the|these|those|this|that)\s+(?!first|second|new|next|latest)"
)


def hands_over_a_known_thing(folded: str, subject_end: int, verb_start: int, verb_end: int) -> bool:
    """True when a verb of handing over that is done or under way, not promised, has an
    object named with a definite article ("is delivering the aircraft", "sent the
    helicopters"): the delivery of something the text named before, not a pledge of it."""
    if _HANDING_OVER_RE.match(folded, verb_start) is None:
        return False
    if _promised_before(folded, subject_end, verb_start):
        return False
    return _KNOWN_THING_RE.match(folded, verb_end) is not None


# A handing over of money named as a tranche ("paid a sixth tranche of €1.5bn", "disbursed the
# first €4.5bn of support", "the first €1.5bn tranche"): the tranche is a commitment of its own.
TRANCHE_WORDS = ("tranche", "tranches", "instalment", "instalments", "installment", "installments")
ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "latest", "next", "final", "last",
)  # fmt: skip
_TRANCHE_RE = folded_regex(
    rf"\b(?:{'|'.join(TRANCHE_WORDS)})\b"
    rf"|\b(?:{'|'.join(ORDINALS)}|\d+(?:st|nd|rd|th))\s+(?:[$€£]|[a-z]{{3}}\s?)?\d"
)


def pays_a_tranche(folded: str, verb_end: int, figure: NumberPhrase) -> bool:
    """True when the money handed over after the verb at ``verb_end`` is named as a tranche
    or an ordinal part of a promise (``folded``: ``fold_case`` of the sentence). A disbursed
    tranche is recorded as a pledge too, and the ceiling it is paid under with it."""
    if figure.currency is None and not figure.money_scale:
        return False
    return (
        _TRANCHE_RE.search(folded, verb_end, min(len(folded), figure.end + 12)) is not None
        or _TRANCHE_AFTER_RE.match(folded, figure.end) is not None
    )


# The tranche named after the sum: "disbursed €4.2bn to Ukraine as the second regular tranche".
_TRANCHE_AFTER_RE = folded_regex(
    r"\s+(?:to\s+[\w’'-]+\s+)?(?:as|in|under)\s+(?:the|a|its|their)\s+(?:[\w-]+\s+){0,2}?"
    rf"(?:{'|'.join(TRANCHE_WORDS)})\b"
)
_TRANCHES_BEFORE_RE = folded_regex(
    rf"^\s+(?:[a-z]+\s+)?(?:{'|'.join(TRANCHE_WORDS)}|payments)\s+(?:worth|of)\s+$"
)
_EACH_AFTER_RE = folded_regex(r"\s*,?\s*(?:each|apiece)\b")


def tranche_count(folded: str, numbers: list[NumberPhrase], money: NumberPhrase) -> int:
    """How many tranches a sum stands for: 2 in "two further tranches worth €1.5bn each",
    else 1 (``numbers``: the sentence's number phrases; ``folded``: its ``fold_case``)."""
    if (
        folded.find("each", money.end) < 0 and folded.find("apiece", money.end) < 0
    ) or _EACH_AFTER_RE.match(folded, money.end) is None:  # (cheap tests first)
        return 1
    for number in reversed(numbers):
        if number.end <= money.start and number.currency is None and not number.has_scale:
            if _TRANCHES_BEFORE_RE.match(folded[number.end : money.start]) and (
                2 <= number.value <= 12 and number.value == int(number.value)
            ):
                return int(number.value)
            break
    return 1


def report_date(
    text: str, folded: str, verb_end: int, published: date | None, dates: list[DateMention]
) -> tuple[date | None, str | None]:
    """When a handing over was reported: the date nearest the verb, leaving out the date of
    the promise it names ("promised in July" dates the promise, not the delivery), after
    the verb or at the head of the sentence (FRONTED_PROMISE_RE)."""
    promise = _REFERS_TO_RE.search(folded, verb_end)
    if promise is not None:
        dates = [d for d in dates if not promise.start() <= d.start < promise.end()]
    fronted = FRONTED_PROMISE_RE.match(folded)
    if fronted is not None and fronted.end() <= verb_end:  # "Of the 5,000 pledged in July, ..."
        dates = [d for d in dates if d.start >= fronted.end()]
    return date_near(text, verb_end, published, dates)


def refers_to(folded: str, text: str, start: int) -> str | None:
    """The words after ``start`` that name the earlier promise ("promised in July")."""
    match = _REFERS_TO_RE.search(folded, start)
    return text[match.start() : match.end()] if match else None


def promised_figure(
    text: str, handed_over: NumberPhrase, following: NumberPhrase | None, unit: str | None
) -> ExtractedPromisedFigure | None:
    """The promise a figure is a part of, when the next figure is linked to it by "of the" or
    "worth" ("the first 1,000 of the more than 5,000 missiles")."""
    if following is None or not _PROMISED_LINK_RE.search(
        fold_case(text[handed_over.end : following.start])
    ):
        return None
    money = following.currency is not None
    value: Decimal = following.value
    return ExtractedPromisedFigure(
        quantity=None if money else value,
        unit=None if money else unit,
        amount=value if money else None,
        currency=following.currency,
        qualifier=following.qualifier,
    )


# How a figure handed over is told (rules as data: a word added here is read without a change
# to the engine below). Increment words stand right before the figure ("another 1,000", "a
# further €500m", "a second €1.5bn tranche"), before a noun of a part handed over that names
# it ("a new batch of 1,000", "a further tranche of €1.5bn"), or right after it ("1,000
# more"); an ordinal past the first names a tranche after others ("the second tranche of
# €1.5bn"). Elsewhere they are other words: "new equipment worth €1m", "last week",
# "1,000 missiles more capable than", "extra-long-range".
INCREMENT_WORDS = ("another", "further", "additional", "more", "extra", "new")
INCREMENT_AFTER_WORDS = ("more", "additional", "extra")
LATER_ORDINALS = tuple(o for o in ORDINALS if o != "first")
PART_NOUNS = (
    *TRANCHE_WORDS, "batch", "batches", "shipment", "shipments", "consignment",
    "consignments", "delivery", "deliveries", "round", "package", "portion", "part",
)  # fmt: skip
# Cumulative wording: the figure is the whole handed over to date. The words count only in
# relation to the figure or its verb (rules as data: a word added to a list is read without a
# change to the engine below):
# - words of time ("3,000 so far", "has to date delivered", "So far, Britain has ..."): in
#   the figure's clause after it, right before the verb, or opening the sentence;
# - words of summing ("a total of 3,000", "3,000 missiles in all.", "In all, ..."): right
#   before the figure, or after it where its clause ends or the promise follows ("3,000 in
#   all of the 5,000"); elsewhere they are other words ("in all regions", "in total secrecy");
# - "first" right before the figure or its tranche ("the first 1,000", "a first tranche").
CUMULATIVE_TIME_WORDS = ("so far", "to date", "thus far", "until now", "up to now")
# What "since" names when it opens a running total ("since 2022", "since the start of the
# war", "since February", "since it was set up"; not "has since delivered" nor "since
# Germany has ..."): a word of time too (regex fragments over fold_case(text)).
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
SINCE_WHAT = (
    r"(?:19|20)\d\d", r"the\s+(?:start|beginning|outbreak|war|invasion|full-scale)",
    r"russia['’]s\s+(?:full|invasion)", r"russia\s+(?:invaded|attacked|launched)",
    r"last\s+year", *MONTHS,
    r"the\s+(?:(?:19|20)\d\d\s+)?(?:ceasefire|truce|earthquake|quake|floods?|cyclone|hurricane"
    r"|coup)",
    r"(?:it|they|the\s+\w+)\s+(?:was|were)\s+(?:set\s+up|created|founded|established|launched)",
)  # fmt: skip
SINCE = rf"\bsince\s+(?:{'|'.join(SINCE_WHAT)})\b"
CUMULATIVE_SUM_WORDS = ("in all", "in total", "altogether", "all told", "overall")
CUMULATIVE_BEFORE_WORDS = ("a total of", *CUMULATIVE_SUM_WORDS)
# What a word of time is not followed (or preceded) by when it means no time ("so far as
# officials know", "up to date").
NOT_TIME_AFTER = ("as", "away", "from", "removed", "off")
NOT_TIME_BEFORE = ("up",)
STAGE_WORDINGS = ("plain", "increment", "cumulative")
_CODES = "|".join(sorted(code.lower() for code in CODES))
_FIGURE_START = rf"(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[$€£]\s?|(?:{_CODES})\s)?"
_QUALIFIER = rf"(?:(?:{'|'.join(re.escape(q) for q in QUALIFIERS)})\s+)?"
_INCREMENT = rf"\b(?:{'|'.join((*INCREMENT_WORDS, *LATER_ORDINALS))}|\d+(?:nd|rd|th))"
_INCREMENT_BEFORE_RE = folded_regex(
    rf"{_INCREMENT}\s+(?:{_FIGURE_START}{_QUALIFIER}"
    rf"|(?:[a-z]+\s+)?(?:{'|'.join(PART_NOUNS)})\s+(?:of|worth)\s+{_FIGURE_START}{_QUALIFIER})$"
)
# (matched where the figure ends)
_INCREMENT_AFTER_RE = folded_regex(
    rf"\s*(?:[a-z]+\s+)?(?:{'|'.join(INCREMENT_AFTER_WORDS)})\b(?!-)"
    rf"(?!\s+(?:[a-z]+\s+)?than\b)"
)
_LATER_TRANCHE_RE = folded_regex(
    rf"\b(?:{'|'.join(LATER_ORDINALS)}|\d+(?:nd|rd|th))\s+(?:[^\s]+\s+){{0,2}}?"
    rf"(?:{'|'.join(TRANCHE_WORDS)})\b"
)
_FIRST_BEFORE_RE = folded_regex(rf"\bfirst\s+{_FIGURE_START}{_QUALIFIER}$")
_FIRST_TRANCHE_RE = folded_regex(rf"\bfirst\s+(?:[^\s]+\s+){{0,2}}?(?:{'|'.join(TRANCHE_WORDS)})\b")
_TIME = (
    "".join(rf"(?<!\b{word}\s)" for word in NOT_TIME_BEFORE)
    + rf"(?:\b(?:{'|'.join(CUMULATIVE_TIME_WORDS)})\b|{SINCE})"
    rf"(?!\s+(?:{'|'.join(NOT_TIME_AFTER)})\b)"
)
_SUM = rf"\b(?:{'|'.join(CUMULATIVE_SUM_WORDS)})\b"
# Where a clause ends: a comma, colon, bracket or full stop that is not inside a number
# ("5,000", "1.5bn"), a dash, or a word that starts another clause.
CLAUSE_STARTS = ("and", "but", "while", "whereas", "which", "who", "where", "when", "after")
_CLAUSE_END_RE = folded_regex(rf"[,.](?!\d)|[;:!?()\u2013\u2014]|\s(?:{'|'.join(CLAUSE_STARTS)})\b")
_SUM_BEFORE_RE = folded_regex(
    rf"\b(?:{'|'.join(CUMULATIVE_BEFORE_WORDS)})\s+{_FIGURE_START}{_QUALIFIER}$"
)
_TIME_AFTER_RE = folded_regex(_TIME)
# One of these is in every text a word of time matches: a cheap test before the patterns.
_TIME_KEYWORDS = tuple(sorted({*(words.split()[-1] for words in CUMULATIVE_TIME_WORDS), "since"}))
# A word of summing closing the figure's clause, or followed by the promise ("of the 5,000").
_SUM_AFTER_RE = folded_regex(
    rf"{_SUM}(?=\s*$|\s+of\s+(?:the|its|their)\s+(?:[a-z]+\s+){{0,3}}?[$€£\d])"
)
# A word of time is matched first where it starts, so its "to" is no word of promise.
_PROMISE_BEFORE_RE = folded_regex(rf"{_TIME}|\b(?P<promise>{'|'.join(PROMISE_WORDS)})\b")
# (matched where the figure starts: "has delivered so far this year 3,000")
_TIME_BEFORE_RE = folded_regex(rf"{_TIME}(?:\s+[a-z]+){{0,2}}\s+{_FIGURE_START}{_QUALIFIER}$")
_TIME_BEFORE_VERB_RE = folded_regex(rf"{_TIME}(?:\s+[a-z0-9]+){{0,2}}\s+[a-z]+(?:\s+over)?$")
_SUM_BEFORE_VERB_RE = folded_regex(rf"{_SUM}\s+[a-z]+(?:\s+over)?$")
_TIME_OPENING_RE = folded_regex(rf"^[^a-z0-9]*{_TIME}(?:\s+[a-z0-9]+){{0,4}}\s*,")
_SUM_OPENING_RE = folded_regex(rf"^[^a-z0-9]*{_SUM}\s*,")


def _clause_end(folded: str, start: int) -> int:
    """Where the clause holding ``start`` ends (see ``_CLAUSE_END_RE``)."""
    end = _CLAUSE_END_RE.search(folded, start)
    return end.start() if end is not None else len(folded)


# "already" right before the verb and "this year" in the figure's clause: "has already given
# Sudan €270m this year" is the year's whole so far, as "so far this year" is.
_ALREADY_VERB_RE = folded_regex(r"\balready\s+[a-z]+$")
_THIS_YEAR_RE = folded_regex(r"\bthis\s+year\b")


def told_to_date(folded: str, verb_end: int, handed_over: NumberPhrase) -> bool:
    """True when a word of time (CUMULATIVE_TIME_WORDS) tells the figure after the verb at
    ``verb_end`` as the whole to date: right before it, in the figure's clause after it,
    right before its verb, or opening the sentence ("To date, Britain has delivered 3,000");
    or "already" before the verb and "this year" after the figure."""
    if "already" in folded and "this year" in folded:
        clause = folded[handed_over.end : _clause_end(folded, handed_over.end)]
        if _ALREADY_VERB_RE.search(folded, max(0, verb_end - 30), verb_end) and (
            _THIS_YEAR_RE.search(clause)
        ):
            return True
    if not contains_any(folded, _TIME_KEYWORDS):
        return False
    clause = folded[handed_over.end : _clause_end(folded, handed_over.end)]
    return bool(
        _TIME_BEFORE_RE.search(folded, verb_end, handed_over.start)
        or _TIME_AFTER_RE.search(clause)
        or _TIME_BEFORE_VERB_RE.search(folded, 0, verb_end)
        or _TIME_OPENING_RE.match(folded)
    )


def is_cumulative(folded: str, verb_end: int, handed_over: NumberPhrase) -> bool:
    """True when the figure handed over after the verb at ``verb_end`` is told as the whole
    handed over to date by words in relation to it (see CUMULATIVE_TIME_WORDS): before it,
    in its clause after it, right before its verb or opening the sentence."""
    before = folded[verb_end : handed_over.start]
    if _FIRST_BEFORE_RE.search(before) or _SUM_BEFORE_RE.search(before):
        return True
    clause_end = _clause_end(folded, handed_over.end)
    if _FIRST_TRANCHE_RE.search(folded, verb_end, clause_end):
        return True
    if _SUM_AFTER_RE.search(folded[handed_over.end : clause_end]):
        return True
    if _SUM_BEFORE_VERB_RE.search(folded, 0, verb_end) or _SUM_OPENING_RE.match(folded):
        return True
    return told_to_date(folded, verb_end, handed_over)


def stage_wording(folded: str, verb_end: int, handed_over: NumberPhrase) -> str:
    """How the figure handed over after the verb at ``verb_end`` is told: ``increment``,
    ``cumulative`` or ``plain`` (``folded``: ``fold_case`` of the sentence). An increment
    word next to the figure wins over a cumulative word elsewhere ("another 1,000, 3,000 so
    far": the 1,000 is added)."""
    before = folded[verb_end : handed_over.start]
    clause_end = _clause_end(folded, handed_over.end)
    if (
        _INCREMENT_BEFORE_RE.search(before)
        or _INCREMENT_AFTER_RE.match(folded, handed_over.end, clause_end)
        or _LATER_TRANCHE_RE.search(folded, verb_end, clause_end)
    ):
        return "increment"
    return "cumulative" if is_cumulative(folded, verb_end, handed_over) else "plain"


def stage_reports(
    sentence: Sentence,
    donors: list[Mention],
    recipient: str,
    stage: str,
    figures: list[NumberPhrase],
    items: dict[int, ItemMatch],
    dated: tuple[date | None, str | None],
    verb_end: int,
    promise: ExtractedPromisedFigure | None = None,
) -> list[ExtractedStageReport]:
    """The stage reports of a verb of handing over: its first figure (``figures``, the
    numbers after the verb, money already given its currency) handed over by each donor,
    with the promise the next figure names, else ``promise`` (the pledge an earlier clause
    of the sentence states); ``items``: the item read for a figure, by its start. Nothing
    without a figure or an item."""
    if not figures:
        return []
    handed_over = figures[0]
    following = figures[1] if len(figures) > 1 else None
    item = items.get(handed_over.start) or (items.get(following.start) if following else None)
    if item is None:
        return []
    money = handed_over.currency is not None
    promised = promised_figure(sentence.text, handed_over, following, item.unit) or promise
    if promised is not None and following is not None and items.get(following.start):
        item = items[following.start] if not money else item
    folded = fold_case(sentence.text)
    return [
        ExtractedStageReport(
            donor=donor.name,
            donor_kind=donor.kind,
            recipient=recipient,
            kind=item.kind,
            item=item.item,
            stage=stage,
            quantity=None if money else handed_over.value,
            unit=None if money else item.unit,
            amount=handed_over.value if money else None,
            currency=handed_over.currency,
            qualifier=handed_over.qualifier,
            qualifier_text=handed_over.qualifier_text,
            announced=dated[0],
            announced_precision=dated[1],
            refers_to=refers_to(folded, sentence.text, verb_end),
            promised=promised,
            evidence=sentence.text,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            category=item.category,
            wording=stage_wording(folded, verb_end, handed_over),
        )  # fmt: skip
        for donor in donors
    ]
