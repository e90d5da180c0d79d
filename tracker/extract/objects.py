"""What follows a verb of giving: the sums of money and counted items it gives, each with the
catalogue item it names ("€500m in military aid", "5,000 air defence missiles")."""

from __future__ import annotations

import re
from decimal import Decimal

from tracker.extract.actors import DEMONYMS
from tracker.extract.donors import Mention
from tracker.extract.givers import ArticleContext
from tracker.extract.items import ItemMatch, guess_kind, match_item, money_item
from tracker.extract.lexicon import CARRYING_WORDS, TAKEN_BACK_WORDS, phrase_union
from tracker.extract.numbers import QUALIFIERS, NumberPhrase
from tracker.extract.patterns import contains_any, folded_regex, keyword_re
from tracker.extract.phrases import item_words, single_items, unknown_item
from tracker.extract.stages import CUMULATIVE_TIME_WORDS
from tracker.extract.triggers import BLOCKING_RE, CLAUSE_BREAK_RE, Trigger

_MONEY_HINT_RE = folded_regex(
    r"^\s*(?:in|of|for)\s+(?:\w+\s+){0,2}(?:aid|funding|assistance|support|loans?|grants?|credit)"
    r"\b|^\s*(?:aid|funding|package|loan|grant)\b"
)
# A bare count of things promised before, beside the count of the same things given now: "on
# top of the 30 it promised in 2024", "in addition to the 20 they pledged last year".
_ON_TOP_OF_RE = re.compile(r"\b(?:on\s+top\s+of|in\s+addition\s+to|besides)\s+the\s+$")
_PROMISED_AFTER_COUNT_RE = re.compile(
    r"\s+(?:it|they|he|she|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})\s+(?:had\s+|has\s+|have\s+)?"
    r"(?:already\s+)?(?:promised|pledged|committed)\b"
)
# A scaled figure without a currency after a sum and "and" or a comma, where it goes said after
# it: one more sum in the currency of the one before ("10 million euros will go to the World
# Food Programme and 3,5 million to the Red Cross"); no count ("€50m and 2 million rounds").
_GAPPED_SUM_BEFORE_RE = re.compile(r"(?:,|\band)\s+$")
_GAPPED_SUM_AFTER_RE = folded_regex(r"\s+(?:to|for|towards?|into|on)\b")
# Between a count and a sum: the sum is the things' worth ("12 tanks worth €10m", "5,000
# missiles in a £1.6bn deal"), or their price right after them ("will finance eight Bohdana
# guns for €24m").
# (Any qualifier may stand before the sum: "for rund 650 Mio. Euro".)
_QUALIFIER = rf"(?:(?:{phrase_union(sorted(QUALIFIERS, key=len, reverse=True))})\s+)?"
_WORTH_RE = folded_regex(
    rf"\b(?:worth|valued\s+at|at\s+a\s+cost\s+of|costing|for|in\s+an?)\s*{_QUALIFIER}$"
)
# Between a sum and a count: the count is what the sum buys ("£1.6bn to buy 5,000 missiles",
# "DKK 300m from its Ukraine Fund to build four power plants", "a C$95m contract with a
# joint venture for 2,000 drones", "a €300m order with Rheinmetall for 100,000 rounds"), the
# sum its price ("C$60m for 10 rocket launchers", "will spend £350m on 100,000 drones"): one
# commitment.
_BUYS_RE = folded_regex(
    r"\s+(?:(?:from|under|through)\s+[^,;.]{1,40}?\s+)?"
    r"(?:to\s+(?:buy|purchase|procure|pay\s+for|build|construct)"
    r"|for\s+the\s+(?:purchase|construction)\s+of"
    r"|(?:contract|deal|order)\s+(?:[^,;.]{1,60}?\s+)?for"
    r"|(?:(?:to|for)\s+(?:ukraine|kyiv)\s+)?(?:for|on))\s+"
    r"(?:(?:about|around|some|nearly|almost|over|more\s+than|up\s+to|at\s+least)\s+)?$"
)
# After a sum that follows counted things, words telling it the price of one of them ("12
# tanks at €2m each"): no commitment of its own, and never multiplied into one.
_EACH_AFTER_RE = folded_regex(r"\s+(?:each|apiece|a\s+piece|per\s+(?:unit|piece|item))\b")
_AND_ITEM_RE = re.compile(r",?\s+and\s+(?!a\b|an\b|the\b)")
_PACKAGES_NEXT_RE = folded_regex(r"\s*(?:\w+\s+){0,2}?(?:packages?|tranches?)\b")
# A participle of handing over, then a time before now or a word of time telling the whole
# to date, after a counted item: things delivered already, named beside the new ones, not
# given again ("on top of the 120 Bushmasters delivered so far").
# A verb of arriving after a counted item: things on their way, not given here either ("and
# 18 more F-16 jets would arrive by the end of the year").
_HANDED_OVER_AFTER_RE = folded_regex(
    r"\s+(?:(?:already\s+)?(?:sent|delivered|shipped|transferred|handed\s+over)\s+"
    rf"(?:earlier|last|previously|already|in\s+(?:19|20)\d\d|since|before"
    rf"|{phrase_union(CUMULATIVE_TIME_WORDS)})\b"
    r"|(?:(?:would|will|should|are|were)\s+(?:(?:due|set|expected)\s+to\s+)?)?"
    r"(?:arrive|arrived|arriving|reach|reached)\b)"
)
# Right after a count's item words, or a word after them, the vehicles' load: "two navy ships
# carrying 450 tonnes of food" (the ships carry the aid; "ships" read as a verb ends the words).
_CARRYING_RE = folded_regex(rf"(?:\s+[\w-]+)?\s+(?:{phrase_union(CARRYING_WORDS)})\b")
_CARRYING_FIRST_WORDS = tuple(words.split()[0] for words in CARRYING_WORDS)
_CARRYING_FIRST_SET = frozenset(_CARRYING_FIRST_WORDS)
# After a sum, the donor country's own firms it is for: "a line of credit of 100 million euros
# for Spanish companies that take part in the reconstruction" supports its exporters, gives
# Ukraine nothing.
FIRMS = ("companies", "firms", "businesses", "exporters", "investors", "contractors")
_OWN_FIRMS_RE = re.compile(
    r"\s+for\s+(?:"
    + "|".join(name for code, names in DEMONYMS.items() if code != "UA" for name in names)
    + rf")\s+(?:{'|'.join(FIRMS)})\b"
)
# After a sum, what makes it no gift: a debt ("clears $15m of arrears"), a share of
# pledges made before ("only €3.1bn of last year's pledges had been paid"), or the part of
# a sum named before that is spent already ("its £3bn, and said £2.4bn of it has already
# been spent").
_NOT_GIVEN_AFTER_RE = folded_regex(
    r"\s+(?:of|in)\s+(?:(?:overdue|unpaid|outstanding)\s+)?(?:arrears|debts?)\b"
    r"|\s+of\s+(?:it|that|this|them)\s+(?:has|have|had)\s+(?:already\s+|so\s+far\s+)?been\s+"
    r"(?:spent|paid(?:\s+out)?|disbursed|delivered|used)\b"
    r"|\s+of\s+(?:the|these|those|its|their|last\s+year['’]s|this\s+year['’]s|earlier|previous"
    r"|past)\s+(?:[\w’'-]+\s+){0,2}?(?:pledges|commitments|promises)\b"
)
# After a sum, a speaker taking it back for the one that follows ("40 million euros - sorry,
# I should say 400 million euros"): a slip of the tongue, no figure given.
_TAKEN_BACK_RE = folded_regex(rf"\s*(?:[-–—,(]\s*)?(?:{phrase_union(TAKEN_BACK_WORDS)})\b")
# Between two counts, the first naming nothing: "24 and 19 F-16 jets", "10, 12 and 8 guns".
_AND_NEXT_COUNT_RE = re.compile(r"\s*(?:,|,?\s+and|\s+or)\s+")
# Right before a figure, words that make it only possible ("a possible $825m sale").
_ONLY_POSSIBLE = ("possible ", "potential ")
# Before a figure, words comparing the sum given with another: the other is no gift ("€1bn,
# against €1.3bn last time", "$25m received against the $180m requirement", "a cut of 15%
# from the £1bn it gave in 2022", "less than a quarter of the $4.2bn the UN says it needs",
# "far below the $18bn sought").
_SUM_COMPARED_RE = folded_regex(
    r"(?:(?:[,(]\s*(?:against|compared\s+(?:with|to)|versus|vs\.?)|\sagainst)\s+"
    r"(?:the\s+|its\s+|their\s+)?"
    r"|\b(?:a|an)\s+(?:cut|drop|fall|decrease|reduction|rise|increase|jump)\s+of\s+[\d.,]+\s*"
    r"(?:%|per\s*cent|percent)\s+(?:from|on|over)\s+(?:the\s+|its\s+|their\s+)?"
    r"|\b(?:less|more|lower|higher|smaller|larger|fewer)\s+than\s+"
    r"(?:(?:a|one|two|three)\s+(?:quarter|third|half|fifth|tenth)s?\s+of\s+)?(?:the|its|their)\s+"
    r"|\b(?:below|above|short\s+of)\s+(?:the|its|their)\s+)"
    rf"{_QUALIFIER}$"
)
# One of these words is in every match: one search of the sentence for them first.
_COMPARED_HINT_RE = keyword_re(
    ("against", "compar", "versus", "vs", "than", "below", "above", "short", "%", "cent")
)
_COMPARED_LOOK_BACK = 70
# The words right before a count (no sum) that it is compared with: "short of the 120,000",
# "against 2,000 last time" (a cheap test before the look back).
_COUNT_COMPARED_LEADS = ("the ", "against ")
# After a figure, the donor's own words that it was given before ("the C$5bn it has already
# paid out", "the €2bn it had so far disbursed"): no new gift.
_GIVEN_ALREADY_AFTER_RE = folded_regex(
    r"\s+it\s+(?:has|had)\s+(?:already|so\s+far|previously)\s+(?:[\w-]+\s+)?"
    r"(?:paid|disbursed|delivered|sent|given|lent|provided|transferred|spent)\b"
)
# Right after the verb, a share of the figure before it told as spent: "the NOK 85 billion
# it committed, of which NOK 28 billion went to military support". A share still to be spent
# ("..., NOK 1.5 billion, the minister announced, of which NOK 400 million will pay for
# equipment") is a part of a pledge, recorded beside it.
_SHARE_OF_BEFORE_RE = folded_regex(r"[^,;]{0,40},\s*of\s+which\s+(?:[a-z]+\s+){0,2}")
_SPENT_AFTER_RE = folded_regex(
    r"\s+(?:[\w-]+\s+){0,2}?(?:went|was|were|had|has\s+been|have\s+been)\b"
)
# A name in the possessive right before a figure: "the G7's $50bn", "Ukraine's 37 billion".
_POSSESSIVE_BEFORE_RE = re.compile(r"\b(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})['’]s\s$")
# What a donor lends or gives the receiver, named after its figure ("Ukraine's $15.6bn
# extended fund facility", "Kyiv's €5bn loan programme"), unlike the receiver's own figures
# ("Ukraine's $37bn deficit").
_LENT_UNDER_RE = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:facility|programme|program|loan|loans|credit\s+line"
    r"|arrangement|package|grant|grants)\b",
    re.IGNORECASE,
)
# ... unless a part of it is what is given ("a $400m disbursement under Ukraine's ...",
# "€5m toward Kyiv's €100m package").
_PART_OF_RE = re.compile(r"\b(?:under|from|of|toward|towards|to|into|for|in|within)\s+$")
_INCLUDING_ONE_RE = folded_regex(r",\s*(including|among\s+them)\s+(?:a|an|one)\s")
_INCLUDING_ONE_WORDS = ("including", "among")  # one is in every match above
_INCLUDING_RE = re.compile(r"[\s,]*(?:including|among\s+them|of\s+which)\s+$")
_NEW_TOTAL_RE = folded_regex(
    r"\b(?:doubl|tripl|bring|rais|increas|tak|lift|boost)\w*\s+[^,;.]{0,50}?\bto\s+"
    r"(?:(?:about|around|approximately|over|more\s+than|nearly|almost|some)\s+)?$"
)
_PUNCTUATION_RE = re.compile(r"[,;.—–]|\s-\s")  # a dash sets off a dateline
_CONFERENCE_RE = re.compile(r"\b(?:conference|summit)\b", re.IGNORECASE)
_MONTH_NEXT_RE = re.compile(  # matched at a position: it starts there
    r"\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
# A figure as a threshold, no sum given: "commitments of €100 million or more", "pledges of
# $1bn and above" ("€100 million and more aid" gives more than the sum); matched at the
# figure's end over fold_case(text).
_THRESHOLD_NEXT_RE = re.compile(
    r"\s+(?:or\s+(?:more|above|over|upwards)|and\s+(?:above|over|upwards))\b"
)


_Found = tuple[ItemMatch, NumberPhrase | None, object, NumberPhrase | None]


def read_objects(
    text: str,
    folded: str,
    trigger: Trigger,
    segment_end: int,
    numbers: list[NumberPhrase],
    consumed_until: int,
    donors: list[Mention],
    context: ArticleContext,
    loan: bool = False,
) -> tuple[list, int]:
    """What follows a verb of giving: (item, number, quantity, money) tuples (``folded``:
    ``fold_case(text)``)."""
    start = max(trigger.end, consumed_until)
    if trigger.noun:
        start = min(start, _number_before_noun(text, trigger, numbers, consumed_until))
    found: list = []
    window_start = min(start, trigger.start) if trigger.noun else start
    in_segment = [n for n in numbers if start <= n.start < segment_end]
    block_from = start  # where a word blocking the next figure is looked for from
    comparing: bool | None = None  # whether a word comparing sums stands in the sentence
    carrying: bool | None = None  # whether a word of a vehicles' load stands in it
    for position, number in enumerate(in_segment):
        if (
            number.percent
            and number.start >= consumed_until
            and "gdp" in folded
            and (
                folded.startswith(_SHARE_PROMISED, trigger.start)
                or folded.endswith(_SPENDING_PROMISED, 0, trigger.end)
            )
        ):
            found.extend(_share_of_gdp(text, folded, number, segment_end))
        if number.start < consumed_until or number.percent or number.year:
            continue
        look_from = max(start, number.start - 70)
        if folded.find("to", look_from, number.start) >= 0 and _NEW_TOTAL_RE.search(
            folded, look_from, number.start
        ):  # (every match holds "to": a cheap test first)
            continue  # "thereby doubling its initial amount to €1 billion": a new total
        if (
            number.currency
            and text.startswith((" of ", " in "), number.end)
            and _NOT_GIVEN_AFTER_RE.match(folded, number.end)
        ):
            continue  # "$15m of arrears", "€3.1bn of last year's pledges"
        if (
            number.currency
            and text.startswith(" for ", number.end)
            and _OWN_FIRMS_RE.match(text, number.end)
        ):
            continue  # "€100m for Spanish companies": the donor's own firms
        if number.currency and _TAKEN_BACK_RE.match(folded, number.end):
            continue  # "40 million euros - sorry, 400 million euros": taken back
        if folded.endswith(_ONLY_POSSIBLE, 0, number.start):
            continue  # "approved a possible $825m sale": a figure only possible
        if folded.endswith(" same ", 0, number.start) and _stated_before(number, numbers):
            continue  # "NOK 1.2bn next year, the same NOK 1.2bn as this year": compared with
        if folded.startswith(" it ", number.end) and _GIVEN_ALREADY_AFTER_RE.match(
            folded, number.end
        ):
            continue  # "on top of the C$5bn it has already paid out": given before, not now
        if (
            not found
            and "which" in folded  # in every match: a cheap test first
            and _SHARE_OF_BEFORE_RE.fullmatch(folded, start, number.start)
            and _SPENT_AFTER_RE.match(folded, number.end)
        ):
            continue  # "the NOK 85bn it committed, of which NOK 28bn went to ...": a share
        if text.startswith(("'s ", "’s "), number.start - 3) and _someone_else_s(
            text, number, donors, context
        ):
            continue  # "its share of the G7's $50bn scheme": the G7's sum
        blocking = BLOCKING_RE.search(folded, block_from, number.start)
        if blocking is not None and number.qualifier_text is not None:
            blocking = BLOCKING_RE.search(
                folded, block_from, _before_qualifier(folded, block_from, number)
            )
        if (
            blocking is not None
            and found
            and found[-1][2] is not None
            and (number.currency or number.money_scale)
            and _EACH_AFTER_RE.match(folded, number.end)
        ):
            # "12 tanks, costing €2m apiece, and €50m in aid": the unit price's "costing"
            # blocks neither it (skipped below) nor the sums after it
            blocking = None
            block_from = number.end
        if (
            blocking is not None
            or _MONTH_NEXT_RE.match(text, number.end)
            or _THRESHOLD_NEXT_RE.match(folded, number.end)
        ):
            continue
        if number.currency or folded.endswith(_COUNT_COMPARED_LEADS, 0, number.start):
            if comparing is None:
                comparing = _COMPARED_HINT_RE.search(folded) is not None
            if comparing and _compared(folded, number):
                # "€1bn, against €1.3bn last time", "95,000 places, short of the 120,000 the
                # agency sought": the sum or count it is compared with
                continue
        next_start = (
            in_segment[position + 1].start if position + 1 < len(in_segment) else segment_end
        )
        window = text[window_start:next_start]
        if (
            number.currency
            or number.money_scale
            or (number.has_scale and _MONEY_HINT_RE.match(folded[number.end : next_start]))
            or (number.has_scale and _gapped_sum(text, folded, found, window_start, number))
        ):
            if found and found[-1][2] is not None and _EACH_AFTER_RE.match(folded, number.end):
                consumed_until = number.end
                window_start = consumed_until
                continue  # "12 tanks at €2m each": a unit price, the count's pledge stands
            money = number
            if money.currency is None:
                money = with_currency(number, text, numbers, context)
            worth = (
                found
                and found[-1][3] is None
                and _WORTH_RE.search(folded, window_start, number.start) is not None
            )
            if worth and (other := _other_item_worth(text, window_start, number.start, context)):
                found.append((other, money, None, money))  # "12 trucks and radars worth €10m"
            elif worth and _counted_pair(text, found):
                # "40 transformers and 320 generators worth €12m": the worth of both, a sum
                # of its own beside the two counts
                kind = found[-1][0].kind
                found.append((money_item(window, kind), number, None, money))
            elif worth:
                item, quantity_number, quantity, _ = found.pop()
                found.append((item, quantity_number, quantity, money))
            else:
                default_kind = _default_money_kind(text, donors, context)
                item = money_item(("loan " if loan else "") + window, default_kind)
                if item.item == "aid":
                    clause = CLAUSE_BREAK_RE.search(text, trigger.end)
                    clause_end = clause.start() if clause else len(text)
                    rest_end = _next_money_start(in_segment, position, clause_end)
                    context_start = max(0, trigger.start - 30) if trigger.noun else window_start
                    item = money_item(text[context_start:rest_end], item.kind)
                found.append((item, number, None, money))
            consumed_until = number.end
        else:
            words, words_end = item_words(text, number.end, segment_end)
            if not words:  # "24 and 19 F-16 jets respectively": the things a later count names
                words = _shared_item_words(text, in_segment, position, segment_end)
            item = match_item(words, context.vocabulary) if words else None
            if item is None and found and found[-1][2] is not None:
                item = _promised_before_count(text, number, found[-1][0])
            if item is None or _PACKAGES_NEXT_RE.match(folded, words_end):
                continue  # "47 military aid packages": a count of packages, not of items
            if _HANDED_OVER_AFTER_RE.match(folded, words_end):
                continue  # "the five transport helicopters sent earlier this year": delivered
            if carrying is None:
                carrying = contains_any(folded, _CARRYING_FIRST_WORDS)
            if carrying and _carrying(words, folded, words_end):
                continue  # "two planes carrying 40 tonnes of tents": the means, not the gift
            if (
                found
                and found[-1][3] is None
                and found[-1][0].category == item.category
                and _INCLUDING_RE.match(text, consumed_until, number.start)
            ):
                continue  # "five air defence systems, including four Patriots": the same count
            if (
                found
                and found[-1][3] is not None
                and found[-1][2] is None
                and _BUYS_RE.match(folded, consumed_until, number.start)
            ):  # "£1.6bn to buy 5,000 missiles": what the sum buys, one pledge
                found[-1] = (item, found[-1][3], number.value, found[-1][3])
            else:
                found.append((item, number, number.value, None))
            more, consumed_until = single_items(text, words_end, next_start, context.vocabulary)
            found.extend(more)  # "10 Bradley fighting vehicles and a counter-drone system"
        window_start = consumed_until
    if not found:
        found.extend(unknown_item(text, trigger.end, segment_end, context.vocabulary))
    elif (
        contains_any(folded, _INCLUDING_ONE_WORDS)
        and (including := _INCLUDING_ONE_RE.search(folded, consumed_until, segment_end)) is not None
    ):
        # "a $225 million package ..., including a Patriot missile battery": one unit each
        named = unknown_item(text, including.start(1), segment_end, context.vocabulary)
        found.extend(entry for entry in named if entry[2] is not None)
    return found, max(consumed_until, start)


def _promised_before_count(text: str, number: NumberPhrase, counted: ItemMatch) -> ItemMatch | None:
    """The item counted before (``counted``) for a bare count of what the donor promised
    earlier, set beside it ("12 more F-16 jets by 2028, on top of the 30 it promised in
    2024": a pledge reported as made earlier); else None."""
    if not _ON_TOP_OF_RE.search(text, max(0, number.start - 24), number.start):
        return None
    return counted if _PROMISED_AFTER_COUNT_RE.match(text, number.end) else None


def _gapped_sum(
    text: str, folded: str, found: list, window_start: int, number: NumberPhrase
) -> bool:
    """True when a scaled figure without a currency follows a sum read before it (``found``'s
    last, its text from ``window_start``) after "and" or a comma, and where it goes follows
    it: a sum in the currency of the one before."""
    return (
        bool(found)
        and found[-1][3] is not None
        and _GAPPED_SUM_BEFORE_RE.search(text, window_start, number.start) is not None
        and _GAPPED_SUM_AFTER_RE.match(folded, number.end) is not None
    )


def _carrying(words: str, folded: str, words_end: int) -> bool:
    """True when a count's item words (``words``, ending at ``words_end`` in ``folded``) name
    vehicles with their load: the means aid travels by."""
    if not _CARRYING_FIRST_SET.isdisjoint(words.lower().split()):
        return True  # "aircraft loaded": the words end before "with"
    return _CARRYING_RE.match(folded, words_end) is not None


# After a percentage, the economy it is a share of: "to spend 0.25% of GDP on military aid";
# a share promised, not one given as a habit or if all gave ("Denmark and Estonia give more
# than 0.5% and 0.25% of GDP", "If every member gave 0.25% of its GDP").
_SHARE_PROMISED = ("promis", "pledg", "commit", "approv", "allocat", "earmark")
_SPENDING_PROMISED = ("to spend", "will spend")  # ("a plan to spend 0.25% of GDP on ...")
_OF_GDP_RE = re.compile(r"\s+of\s+(?:its\s+|their\s+|the\s+country['’]s\s+)?gdp\b")


def _share_of_gdp(text: str, folded: str, number: NumberPhrase, segment_end: int) -> list:
    """A share of the economy promised ("to spend 0.25% of GDP on military aid for Ukraine
    every year"): a pledge without a figure, its item the aid and the share; else none."""
    share = _OF_GDP_RE.match(folded, number.end)
    if share is None:
        return []
    aid = money_item(text[share.end() : segment_end], "military")
    unknown = NumberPhrase(number.start, share.end(), Decimal(0), None, False, "unknown", None)
    item = aid._replace(item=f"{aid.item} of {text[number.start : share.end()]}")
    return [(item, unknown, None, None)]


def _compared(folded: str, number: NumberPhrase) -> bool:
    """True when the words before ``number`` compare the sum given with it (see
    ``_SUM_COMPARED_RE``)."""
    start = max(0, number.start - _COMPARED_LOOK_BACK)
    return _SUM_COMPARED_RE.search(folded, start, number.start) is not None


def _stated_before(number: NumberPhrase, numbers: list[NumberPhrase]) -> bool:
    """True when a figure of the sentence before ``number`` states the same value in the
    same currency."""
    return any(
        other.start < number.start
        and other.value == number.value
        and other.currency == number.currency
        for other in numbers
    )


def _shared_item_words(
    text: str, numbers: list[NumberPhrase], position: int, segment_end: int
) -> str:
    """The things the counts after the ``position``-th name, when it names none and only
    commas or "and" stand between them ("24 and 19 F-16 jets", "10, 12 and 8 guns")."""
    end = numbers[position].end
    for number in numbers[position + 1 :]:
        if number.currency is not None or not _AND_NEXT_COUNT_RE.fullmatch(text, end, number.start):
            return ""
        words, _ = item_words(text, number.end, segment_end)
        if words:
            return words
        end = number.end
    return ""


def _someone_else_s(
    text: str, number: NumberPhrase, donors: list[Mention], context: ArticleContext
) -> bool:
    """True for a figure right after a name in the possessive (the caller has found its
    "'s") that names none of the donors ("the G7's $50bn scheme", "Ukraine's $37bn
    deficit"): that one's figure ("Canada's 80,840 rockets, which Ottawa pledged": Canada's
    own)."""
    possessive = _POSSESSIVE_BEFORE_RE.search(text, max(0, number.start - 40), number.start)
    if possessive is None:
        return False
    start, end = possessive.span("name")
    names = {donor.name for donor in donors}
    named = [
        mention
        for mention in context.mentions_of(text)
        if start <= mention.start and mention.end <= end
    ]
    if (
        named
        and all(mention.is_recipient_side for mention in named)
        and _LENT_UNDER_RE.match(text, number.end)
        and not _PART_OF_RE.search(text, max(0, start - 12), start)
    ):
        return False  # "Ukraine's $15.6bn extended fund facility": what the donor lends it
    return not any(mention.name in names for mention in named)


# Between two counted items joined in a list: "40 power transformers and 320".
_COUNTED_PAIR_RE = re.compile(r"[^,;.()]*?(?:,\s*|,?\s+and\s+)$")


def _counted_pair(text: str, found: list) -> bool:
    """True when the last two things found are counted items joined by "and" or a comma
    ("40 power transformers and 320 diesel generators"), no sum of money between them."""
    if len(found) < 2:
        return False
    (_, first, first_count, first_money), (_, second, second_count, second_money) = found[-2:]
    if first_money is not None or second_money is not None or first is None or second is None:
        return False
    if first_count is None or second_count is None:
        return False
    return _COUNTED_PAIR_RE.fullmatch(text, first.end, second.start) is not None


def _other_item_worth(text: str, start: int, end: int, context: ArticleContext) -> ItemMatch | None:
    """The item named after "and" between a counted item and its "worth" (``start``:
    where the counted item's words end, ``end``: the sum), which the sum is the worth of
    ("12 carriers and anti-drone systems worth €10m"); None when there is none, or when a
    comma sets the worth apart as that of everything named."""
    joined = _AND_ITEM_RE.match(text, start, end)
    if joined is None:
        return None
    words, words_end = item_words(text, joined.end(), end)
    if not words or "," in text[words_end:end]:
        return None  # "12 tanks and ammunition, worth €100m in all": the worth of both
    item = match_item(words, context.vocabulary)
    if item is None or (item.category is None and guess_kind(words, "") == ""):
        return None
    return item


def _next_money_start(numbers: list[NumberPhrase], position: int, default: int) -> int:
    """Where the next sum of money after ``numbers[position]`` starts."""
    for number in numbers[position + 1 :]:
        if number.currency or number.money_scale:
            return number.start
    return default


def _number_before_noun(
    text: str, trigger: Trigger, numbers: list[NumberPhrase], consumed_until: int
) -> int:
    """For "a €500m pledge", the start of the number right before the noun."""
    for number in reversed(numbers):
        if consumed_until <= number.start and number.end <= trigger.start:
            between = text[number.end : trigger.start]
            if len(between) <= 25 and not _PUNCTUATION_RE.search(between):
                return number.start
            break
    return trigger.end


def _before_qualifier(folded: str, start: int, number: NumberPhrase) -> int:
    """Where a number's qualifier starts ("worth an estimated €1bn": its words are no verb
    that blocks the number), else where the number starts (``number`` has a qualifier)."""
    assert number.qualifier_text is not None
    at = folded.rfind(number.qualifier_text.lower(), start, number.start)
    return at if at >= 0 else number.start


def with_currency(
    number: NumberPhrase, text: str, numbers: list[NumberPhrase], context: ArticleContext
) -> NumberPhrase:
    """Give "1.5bn" the currency named nearby, else the article's last one."""
    currency = next((n.currency for n in numbers if n.currency), None) or context.last_currency
    return NumberPhrase(number.start, number.end, number.value, currency, number.has_scale,
                        number.qualifier, number.qualifier_text, number.conversion,
                        money_scale=True)  # fmt: skip


def _default_money_kind(text: str, donors: list[Mention], context: ArticleContext) -> str:
    """Money pledged at a conference takes the conference's kind; otherwise financial."""
    if context.conference_kind and (
        any(d.kind == "group" for d in donors) or _CONFERENCE_RE.search(text)
    ):
        return context.conference_kind
    return "financial"
