"""Pledges in one sentence: donor + verb of giving + number phrases and items.

Several donors in one sentence: "Belgium and the Netherlands each pledged €100m" (also
"both", "respectively", "apiece") gives every donor its own pledge. Without such a word a
stated number is one joint sum ("Germany and Norway will jointly fund two systems", "a
combined €500m", "The UK and Norway announced a £450m package"): it becomes one pledge of
the first-named donor with ``notes`` "jointly with Norway", so totals never count it twice.
Pledges without a number ("Germany and France pledged more air defence") go to each donor.
"""

from __future__ import annotations

import re
from datetime import date

from tracker import reference
from tracker.extract.dates import DateMention, date_near, find_dates, speech_date
from tracker.extract.donors import Mention
from tracker.extract.givers import ArticleContext, donors_for, negated_or_hedged, recipient_of
from tracker.extract.items import ItemMatch
from tracker.extract.models import ExtractedPledge, ExtractedStageReport, Sentence
from tracker.extract.numbers import NumberPhrase, find_numbers, resolve_crown
from tracker.extract.objects import read_objects, with_currency
from tracker.extract.patterns import fold_case, fold_lowered, folded_regex, keyword_re, lower_case
from tracker.extract.phrases import equipment_list
from tracker.extract.stages import (
    handing_over_stage,
    pays_a_tranche,
    report_date,
    stage_reports,
    tranche_count,
)
from tracker.extract.triggers import (
    CLAUSE_BREAK_RE,
    Trigger,
    find_triggers,
)

_CUMULATIVE_RE = folded_regex(
    r"(?P<since>\bsince)\s+(?:(?:19|20)\d\d|the\s+(?:start|beginning|outbreak)|russia['’]s\s+(?:full|invasion)"
    r"|last\s+year|(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december)\b)|\bin\s+total\b|\bto\s+date\b"
)
_CUMULATIVE_WORDS_RE = keyword_re(("since", "total", "date"))  # one is in every match above
_EACH_RE = folded_regex(r"\b(?:each|both|respectively|apiece)\b")
# "The new systems are part of a €1.2bn package": the package of the pledge named before.
_PART_OF_RE = re.compile(
    r"\b(?:is|are|was|were|form|forms)\s+(?:all\s+)?part\s+of\s+(?:a|an|the)\s"
)
# "its 72nd package since 2021", "our thirteenth drawdown of arms ... since August 2021".
_ORDINAL_BEFORE_RE = re.compile(
    r"(?:\d(?:st|nd|rd|th)|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|\w+teenth|\w+tieth|\w+-(?:first|second|third|\w+th)))"
    r"\s+(?:[\w.’'-]+\s+){0,14}$",
    re.IGNORECASE,
)
_POSTPOSED_PARTICIPLE_RE = re.compile(
    r"[$€£\d][^,;]{0,60}\b(?:aid|assistance|funding|support|package|money|funds)\s+$"
)
_COORDINATED_RE = re.compile(r"\band\s+(?:also\s+)?$")
_WHICH_WILL_RE = re.compile(r",\s*which\s+(?:will|would|shall)\s+(?:also\s+)?$")
_RELATIVE_PRONOUN_RE = re.compile(r"\b(?:that|which)\s+(?:the\s+)?$")
_SPEECH_VERB_RE = re.compile(
    r"\b(?:said|says|announced|confirmed|added|stated|noted|told\s+\w+)\s+(?:on\s+\w+\s+)?$"
)


def sentence_pledges(
    sentence: Sentence,
    mentions: list[Mention],
    context: ArticleContext,
    lowered: str | None = None,
    first_trigger: int = 0,
    reports: list[ExtractedStageReport] | None = None,
) -> list[ExtractedPledge]:
    """The pledges a sentence states (``lowered``: its ``lower_case``; no word of giving
    starts before ``first_trigger``); its allocations and deliveries of earlier pledges go
    to ``reports`` (see ``stages``)."""
    text = sentence.text
    if lowered is None:
        lowered = lower_case(text)
    triggers = find_triggers(text, lowered, first_trigger)
    if not triggers:
        return []
    folded = fold_lowered(lowered)
    numbers = find_numbers(text, lowered)
    dates = find_dates(text, context.published, lowered)
    pledges: list[ExtractedPledge] = []
    consumed_until = 0
    last_donors: list[Mention] = []
    handed_over = False
    for index, trigger in enumerate(triggers):
        donors = donors_for(text, trigger, mentions, context)
        if (
            not donors
            and last_donors
            and (
                _COORDINATED_RE.search(text, 0, trigger.start)
                or _WHICH_WILL_RE.search(text, 0, trigger.start)
            )
        ):  # "agreed to give Moldova €270m ... and earmarked €50m for...", "I am authorizing
            donors = last_donors  # our 41st drawdown, which will provide $500 million"
        if not donors:
            continue
        last_donors = donors
        segment_end = _segment_end(text, triggers, index)
        clause_start = _clause_start(text, trigger.start)
        relative = _relative_before(text, donors[0], trigger, numbers)
        if relative is not None and handed_over:
            continue  # "delivered 12 howitzers that Berlin had promised": the promise named
        if relative is not None:  # "a €1.2bn package that Berlin unveiled"
            clause_start = _clause_start(text, relative)
            segment_end = relative
            trigger = Trigger(clause_start, clause_start, False, False)
        if negated_or_hedged(text, donors[-1], trigger, folded) or _cumulative(
            text, folded, clause_start, segment_end
        ):
            consumed_until = max(consumed_until, segment_end)
            continue
        recipient = recipient_of(text, max(clause_start, trigger.start), segment_end, mentions)
        if recipient is None:
            continue
        objects_from = trigger
        if (
            donors[0].start >= trigger.end and not trigger.receive
        ):  # passive: "a €500m package was announced by Berlin"
            objects_from = Trigger(clause_start, clause_start, False, False)
        loan = text[trigger.start : trigger.start + 4].lower() in ("lend", "lent")
        consumed_before = consumed_until
        found, consumed_until = read_objects(text, folded, objects_from, segment_end, numbers,
                                         consumed_until, donors, context, loan)  # fmt: skip
        if not found and _POSTPOSED_PARTICIPLE_RE.search(text, clause_start, trigger.start):
            # "the $85 million in U.S. assistance announced for Türkiye": the sum comes first
            before = Trigger(clause_start, clause_start, False, False)
            found, _ = read_objects(text, folded, before, trigger.start, numbers, consumed_before,
                                donors, context)  # fmt: skip
        notes = None
        if (
            len(donors) > 1
            and any(n for _, n, _, _ in found if n and n.qualifier != "unknown")
            and not _EACH_RE.search(folded, donors[0].start, segment_end)
        ):
            notes = "jointly with " + " and ".join(d.name for d in donors[1:])
            donors = donors[:1]  # one pledge for a joint sum: the first donor, the others noted
        date_end = _date_span_end(text, triggers, index)
        announced, precision = _announced(text, lowered, trigger, date_end, context, dates)
        subject_end = donors[-1].end if donors[-1].end <= trigger.start else trigger.start
        stage = handing_over_stage(text, folded, subject_end, trigger.start)
        if stage is not None:
            handed_over = True
            if reports is not None:
                figures = [
                    with_currency(n, text, numbers, context) if n.money_scale and not n.currency
                    else n
                    for n in numbers
                    if objects_from.end <= n.start < segment_end and not (n.percent or n.year)
                ]  # fmt: skip
                items = {
                    number.start: item
                    for item, quantity, _, money in found
                    for number in (quantity, money)
                    if number is not None
                }
                reported = report_date(text, folded, trigger.end, context.published, dates)
                reports.extend(stage_reports(sentence, donors, recipient, stage, figures, items,
                                             reported, trigger.end))  # fmt: skip
            money_found = [entry for entry in found if entry[3] is not None]
            if not (money_found and pays_a_tranche(folded, trigger.end, money_found[0][3])):
                continue
            found = money_found  # a disbursed tranche is a pledge, as is its ceiling
        part_of = "part" in text and _PART_OF_RE.search(text, 0, trigger.end + 40) is not None
        if found and not part_of:
            context.last_donor = donors[0]
            context.last_announced = (announced, precision)
            context.last_kind = found[0][0].kind
            context.last_recipient = recipient
        for donor in donors:
            for item, number, quantity_value, money, tranche in _by_tranche(folded, numbers, found):
                currency = resolve_crown(money.currency, donor.code) if money else None
                qualifier = number.qualifier if number else "unknown"
                qualifier_text = number.qualifier_text if number else None
                if money is not None and number is not money and qualifier == "exact":
                    qualifier, qualifier_text = money.qualifier, money.qualifier_text
                kind, dated = item.kind, (announced, precision)
                if part_of and money is not None and context.last_announced is not None:
                    kind, dated = context.last_kind or kind, context.last_announced
                if item.item == "aid" and kind == "military":  # read from the context
                    item = ItemMatch("military aid", "other military", None, kind)
                pledges.append(
                    ExtractedPledge(
                        donor=donor.name, donor_kind=donor.kind, recipient=recipient,
                        kind=kind, item=item.item,
                        quantity=quantity_value, unit=item.unit if quantity_value else None,
                        amount=money.value if money else None, currency=currency,
                        qualifier=qualifier, qualifier_text=qualifier_text,
                        announced=dated[0], announced_precision=dated[1],
                        stated_conversion=money.conversion if money else None,
                        evidence=text, evidence_start=sentence.start, evidence_end=sentence.end,
                        category=item.category, notes=tranche or notes,
                    )
                )  # fmt: skip
    for number in numbers:
        if number.currency:
            context.last_currency = number.currency
    return _unique(pledges)


def contents_pledges(
    sentence: Sentence, context: ArticleContext, items_start: int
) -> list[ExtractedPledge]:
    """The items of a package named in the sentence before ("The package also includes 30
    tanks", a line of a list), from ``items_start`` on: pledges of that package's donor.
    Sums of money in the contents are its itemised parts; a list without any number names
    each item it lists (see ``equipment_list``)."""
    if context.last_donor is None or context.last_announced is None:
        return []
    text = sentence.text
    trigger = Trigger(items_start, items_start, False, False)
    numbers = find_numbers(text)
    donor = context.last_donor
    if any(not (n.percent or n.year) for n in numbers):
        found, _ = read_objects(text, fold_case(text), trigger, len(text), numbers, 0, [donor],
                            context)  # fmt: skip
    else:
        found = equipment_list(text, items_start, context.vocabulary)
    announced, precision = context.last_announced
    return [
        ExtractedPledge(
            donor=donor.name,
            donor_kind=donor.kind,
            recipient=context.last_recipient or reference.DEFAULT_RECIPIENT,
            kind=item.kind,
            item=item.item,
            quantity=quantity,
            unit=item.unit if quantity is not None else None,
            amount=money.value if money else None,
            currency=money.currency if money else None,
            qualifier=number.qualifier,
            qualifier_text=number.qualifier_text,
            announced=announced,
            announced_precision=precision,
            stated_conversion=money.conversion if money else None,
            evidence=text,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            category=item.category,
        )  # fmt: skip
        for item, number, quantity, money in found
        if money is not None or quantity is not None or number.qualifier == "unknown"
    ]


def _by_tranche(folded: str, numbers: list[NumberPhrase], found: list) -> list:
    """``found`` as (item, number, quantity, money, note): a sum that stands for several
    tranches ("two further tranches worth €1.5bn each") once per tranche, noted "tranche 1
    of 2", "tranche 2 of 2"."""
    spread: list[tuple[ItemMatch, NumberPhrase | None, object, NumberPhrase | None, str | None]]
    spread = []
    for item, number, quantity, money in found:
        count = tranche_count(folded, numbers, money) if money is not None else 1
        if count == 1:
            spread.append((item, number, quantity, money, None))
        for index in range(1, count + 1) if count > 1 else ():
            spread.append((item, number, quantity, money, f"tranche {index} of {count}"))
    return spread


def _announced(
    text: str,
    lowered: str,
    trigger: Trigger,
    date_end: int,
    context: ArticleContext,
    dates: list[DateMention],
) -> tuple[date | None, str | None]:
    """When a trigger's pledge was announced: the date nearest to it before ``date_end``
    (``lowered``: ``lower_case(text)``; ``dates``: the sentence's ``find_dates``)."""
    if date_end == len(text):
        return date_near(text, trigger.start, context.published, dates)
    span = text[:date_end]
    span_dates = find_dates(span, context.published, lowered[:date_end])
    announced, precision = date_near(span, trigger.start, context.published, span_dates)
    if (announced, precision) == (context.published, "day"):
        # no date in the clause: the day the statement was made, named later on
        return speech_date(text, context.published, dates) or (announced, precision)
    return announced, precision


def running_total(text: str, lowered: str) -> bool:
    """True for a sentence stating a total to date ("EU support since the start of the war
    has amounted to €76 billion"): what "This includes" lists after it is no package."""
    return _cumulative(text, fold_lowered(lowered), 0, len(text))


def _cumulative(text: str, folded: str, start: int, end: int) -> bool:
    """True for totals to date ("since 2022", "in total"); "its 72nd package since 2021"
    counts packages, not money (``folded``: ``fold_case(text)``)."""
    if _CUMULATIVE_WORDS_RE.search(folded, start, end) is None:
        return False
    for match in _CUMULATIVE_RE.finditer(folded, start, end):
        if not (match.group("since") and _ORDINAL_BEFORE_RE.search(text, 0, match.start())):
            return True
    return False


def _relative_before(
    text: str, donor: Mention, trigger: Trigger, numbers: list[NumberPhrase]
) -> int | None:
    """Where "that"/"which" starts when the donor's verb sits in a relative clause whose
    antecedent holds the number ("a €1.2bn package that Berlin unveiled"), else None."""
    if donor.end > trigger.start:
        return None
    pronoun = _RELATIVE_PRONOUN_RE.search(text, max(0, donor.start - 12), donor.start)
    if pronoun is None or _SPEECH_VERB_RE.search(text, 0, pronoun.start()):
        return None
    position = pronoun.start()
    while position > 0 and text[position - 1] in " ,":
        position -= 1
    clause_start = _clause_start(text, position)
    if not any(clause_start <= n.start and n.end <= position for n in numbers):
        return None
    return position


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding ``position`` starts: after the last clause break before it."""
    start = 0
    for match in CLAUSE_BREAK_RE.finditer(text, 0, position):
        if not match.group(0).strip().startswith(("said", "says", "told", "added", "announced")):
            start = match.end()
    return start


def _date_span_end(text: str, triggers: list[Trigger], index: int) -> int:
    """The end of the text whose dates may date a trigger: up to the next clause's trigger."""
    for following in triggers[index + 1 :]:
        if CLAUSE_BREAK_RE.search(text, triggers[index].end, following.start):
            return following.start
    return len(text)


def _segment_end(text: str, triggers: list[Trigger], index: int) -> int:
    """Where the objects of a trigger end: the next trigger or clause break."""
    end = triggers[index + 1].start if index + 1 < len(triggers) else len(text)
    clause = CLAUSE_BREAK_RE.search(text, triggers[index].end, end)
    return clause.start() if clause else end


def _unique(pledges: list[ExtractedPledge]) -> list[ExtractedPledge]:
    """Drop repeats of the same donor, item and number within one sentence.

    A pledge without a number from a donor whose figure the same sentence gives
    ("a €500m package, including drones") describes that figure's contents: dropped.
    """
    seen: set[tuple] = set()
    unique = []
    counted = {p.donor for p in pledges if p.qualifier != "unknown"}
    for pledge in pledges:
        if pledge.qualifier == "unknown" and pledge.donor in counted:
            continue
        key = (pledge.donor, pledge.item, pledge.quantity, pledge.amount, pledge.qualifier,
               pledge.notes)  # fmt: skip
        if key not in seen:
            seen.add(key)
            unique.append(pledge)
    return unique
