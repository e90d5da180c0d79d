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
from collections import Counter
from dataclasses import replace
from itertools import pairwise

from tracker import reference
from tracker.extract.clauses import (
    Clause,
    SentenceState,
    SentenceView,
    build_pledges,
    classify,
    denied,
    read_actors,
    read_figures,
    read_recipient,
    read_sentence,
)
from tracker.extract.donors import Mention
from tracker.extract.givers import ArticleContext
from tracker.extract.models import ExtractedPledge, ExtractedStageReport, Sentence
from tracker.extract.numbers import NumberPhrase, find_numbers, resolve_local_currency
from tracker.extract.objects import read_objects
from tracker.extract.patterns import fold_case, folded_regex
from tracker.extract.phrases import equipment_list
from tracker.extract.revisions import revised
from tracker.extract.stage_clauses import promise_of, report_part, report_stages
from tracker.extract.stages import earlier_gift
from tracker.extract.triggers import Trigger


def sentence_pledges(
    sentence: Sentence,
    mentions: list[Mention],
    context: ArticleContext,
    lowered: str | None = None,
    first_trigger: int = 0,
    reports: list[ExtractedStageReport] | None = None,
    told: tuple[int, int] | None = None,
) -> list[ExtractedPledge]:
    """The pledges a sentence states (``lowered``: its ``lower_case``; no word of giving
    starts before ``first_trigger``); its allocations and deliveries of earlier pledges go
    to ``reports``. Runs the stages of ``clauses`` for every word of giving in turn, but
    those from ``told`` on, before its end (an arrival's: ``arrivals.told_arrival``)."""
    view = read_sentence(sentence, mentions, context, lowered, first_trigger)
    if view is None:
        return []
    if told is not None:  # the arrival's figures are no other clause's
        view = view._replace(numbers=[n for n in view.numbers if not told[0] <= n.start < told[1]])
    state = SentenceState()
    pledges: list[ExtractedPledge] = []
    gift = (
        earlier_gift(view.text, context.published)
        if "which " in view.text or "who " in view.text  # in every match: a cheap test first
        else None
    )
    if gift is not None and not gift.pledged_none and not _pledged_after(view, gift.end):
        gift = None  # "Britain, which pledged £3bn in 2023, a figure it has kept": no pledge now
    for index in range(len(view.triggers)):
        if told is not None and told[0] <= view.triggers[index].start < told[1]:
            continue  # "the missiles it promised have arrived": no promise of its own
        clause = read_actors(view, index, context, state)
        if clause is None:
            continue
        already = (
            _ALREADY_GIVEN_RE.search(view.text, 0, view.triggers[index].start)
            if "already" in view.text  # in every match: a cheap test first
            else None
        )
        if already is not None:
            # "Canada, which has already lent C$5bn under the G7 scheme, said it would ...":
            # what the donor gave before, told beside the new promise; the names in it are
            # no later clause's donors
            state.consumed_until = max(state.consumed_until, clause.segment_end)
            close = view.text.find(",", already.end())
            end = close if close >= 0 else clause.segment_end
            view = view._replace(
                mentions=[m for m in view.mentions if not already.start() <= m.start < end]
            )
            continue
        if denied(view, clause):
            state.consumed_until = max(state.consumed_until, clause.segment_end)
            continue
        clause = read_recipient(view, clause)
        if (
            clause.recipient is None
            or _for_own_forces(view.text, clause)
            or (" own " in view.text and _own_government_at_home(view.text, clause))
        ):
            continue
        figures = read_figures(view, clause, context, state)
        promise = promise_of(view, clause, figures, state)
        verdict = classify(view, clause, figures, promise)
        if verdict.stage is not None:
            state.handed_over = True
            if reports is not None:
                stage = verdict.stage
                reports.extend(report_stages(view, clause, figures, stage, context, promise))
        pledged = build_pledges(view, clause, figures, verdict, context)
        if pledged:
            state.pledged.extend(
                entry for entry in verdict.pledged if entry[2] is not None or entry[3] is not None
            )
            if reports is not None:
                reports.extend(report_part(view, clause, figures, state, context))
        if gift is None or not gift.start <= view.triggers[index].start < gift.end:
            pledges.extend(pledged)
        # else "Germany, which gave 20 tanks last year, will send 10 more": what the verb of
        # the earlier gift reads, inside its clause, is no pledge; the next clause reads on
        # from it (its item) as from any other
    for number in view.numbers:
        if number.currency:
            context.last_currency = number.currency
    if pledges and " (" in view.text:
        pledges = _with_bracketed_donors(view.text, view.mentions, view.numbers, pledges)
    if len(pledges) > 1 and "which" in view.folded:
        pledges = _with_what_sums_buy(view.folded, view.numbers, pledges)
    if not view.revising:
        return _unique(pledges, view.numbers)
    return revised(view.text, view.folded, view.numbers, _unique(pledges, view.numbers))


# How far after a relative clause the verb of the sentence's own pledge starts (", has now
# pledged", ", said it would give").
_MAIN_VERB_REACH = 30


def _pledged_after(view: SentenceView, clause_end: int) -> bool:
    """True when a word of giving starts right after a relative clause ending at
    ``clause_end``: the sentence's own pledge beside what the clause tells."""
    return any(
        clause_end < trigger.start <= clause_end + _MAIN_VERB_REACH for trigger in view.triggers
    )


# A relative clause set off by commas after the donor, telling what it gave before.
_ALREADY_GIVEN_RE = re.compile(r",\s*which\s+(?:has|have|had)\s+already\s+$")
# Between a donor's name and the sum it gives in brackets: "Germany (€300m)", "France
# (about €120m)".
_BRACKET_GAP_RE = re.compile(r"\s?\(\s?(?:[a-z]+\s){0,2}")


def _with_bracketed_donors(
    text: str, mentions: list[Mention], numbers: list[NumberPhrase], pledges: list[ExtractedPledge]
) -> list[ExtractedPledge]:
    """``pledges`` with each sum set in brackets right after a donor's name given to that
    donor, when the sentence lists two or more such pairs ("Germany (€300 million), France
    (€120 million) and Italy (€60 million) made the largest pledges"): a sum the sentence's
    words of giving did not read is read as the others were."""
    starts = {number.start: number for number in numbers if number.currency}
    pairs = []
    for mention in mentions:
        gap = _BRACKET_GAP_RE.match(text, mention.end)
        number = starts.get(gap.end()) if gap is not None and "(" in gap.group() else None
        if number is None or not mention.can_give_passive or mention.is_recipient_side:
            continue
        if text.startswith(")", number.end):
            pairs.append((mention, number))
    if len(pairs) < 2:
        return pledges
    template = next((p for p in pledges if p.amount is not None), None)
    if template is None:
        return pledges
    given = list(pledges)
    for mention, number in pairs:
        currency = resolve_local_currency(number.currency, mention.code)
        pledge = next(
            (p for p in given if (p.amount, p.currency) == (number.value, currency)), None
        )
        if pledge is not None:
            given[given.index(pledge)] = replace(
                pledge, donor=mention.name, donor_kind=mention.kind
            )
            continue
        given.append(
            replace(template, donor=mention.name, donor_kind=mention.kind, amount=number.value,
                    currency=currency, qualifier=number.qualifier,
                    qualifier_text=number.qualifier_text, stated_conversion=None, notes=None)
        )  # fmt: skip
    return given


# Between a sum and a count, a relative clause of buying: the count is what the sum buys ("a
# further £150m for air defence, which will buy more than 2,000 interceptors", "€25m for the
# fund, which will pay for 40 gas turbines").
_WHICH_BUYS_RE = folded_regex(
    r"[^.;]{0,60}?,\s*which\s+(?:will|would|should|is\s+to|are\s+to)\s+(?:also\s+)?"
    r"(?:buy|purchase|pay\s+for|finance|fund)\s+(?:[a-z]+\s+){0,2}?$"
)

# Between two counts, a joiner within the clause: the second is another thing bought.
_NEXT_COUNT_RE = folded_regex(r"[^.;:]{0,40}?(?:,|\band\b)[^.;:]{0,10}?")


def _with_what_sums_buy(
    folded: str, numbers: list[NumberPhrase], pledges: list[ExtractedPledge]
) -> list[ExtractedPledge]:
    """``pledges`` with a sum and the count its relative clause buys as one record, the
    count's things at the sum ("£150m for air defence, which will buy 2,000 missiles"): one
    commitment, as "£150m to buy 2,000 missiles" is; a sum that buys two counted things is a
    package with its parts, kept as they are (``folded``: the sentence's ``fold_case``)."""
    for index, (money, count) in enumerate(pairwise(numbers)):
        if money.currency is None or count.currency is not None:
            continue
        if not _WHICH_BUYS_RE.fullmatch(folded, money.end, count.start):
            continue
        after = numbers[index + 2] if index + 2 < len(numbers) else None
        if (
            after is not None
            and after.currency is None
            and _NEXT_COUNT_RE.fullmatch(folded, count.end, after.start)
        ):
            continue  # "which will pay for 12 launchers and 3,000 drones": a package's parts
        priced = next((p for p in pledges if p.amount == money.value and p.quantity is None), None)
        counted = next((p for p in pledges if p.quantity == count.value and p.amount is None), None)
        if priced is None or counted is None or priced.donor != counted.donor:
            continue
        merged = replace(counted, amount=priced.amount, currency=priced.currency,
                         stated_conversion=priced.stated_conversion)  # fmt: skip
        pledges = [merged if p is priced else p for p in pledges if p is not counted]
    return pledges


# Bought for the buyer's own forces: "a contract for 96 launchers for the Polish army".
_OWN_FORCES_RE = re.compile(
    r"\bfor\s+(?:the|(?P<own>its\s+own|their\s+own))\s+(?:[A-Z][\w-]*\s+)?"
    r"(?:army|armed\s+forces|forces|military|navy|air\s+force|troops)\b"
)


def _for_own_forces(text: str, clause: Clause) -> bool:
    """True when what the clause gives goes to its donor's own forces: "for its own army",
    or the recipient is the donor, named for its army ("for the Polish army")."""
    if "for " not in text:
        return False
    own = _OWN_FORCES_RE.search(text, clause.trigger.start, clause.segment_end)
    return own is not None and (
        own.group("own") is not None or clause.recipient in {d.name for d in clause.donors}
    )


# A government named as the country's own, beside the donors an article tells of: it spends
# at home ("Kenya's own government said it would release KES 2 billion for food and water in
# the 23 arid counties"), no pledge to a recipient.
_OWN_GOVERNMENT_RE = re.compile(r"['’]s\s+own\s+(?:national\s+|federal\s+)?government\b")


def _own_government_at_home(text: str, clause: Clause) -> bool:
    """True when the clause's giver is "X's own government" (named before its verb)."""
    return _OWN_GOVERNMENT_RE.search(text, 0, clause.trigger.start) is not None


def contents_pledges(
    sentence: Sentence, context: ArticleContext, items_start: int, items_end: int | None = None
) -> list[ExtractedPledge]:
    """The items of a package named in the sentence before ("The package also includes 30
    tanks", a line of a list), from ``items_start`` on (to ``items_end``, when given): pledges
    of that package's donor. Sums of money in the contents are its itemised parts; a list
    without any number names each item it lists (see ``equipment_list``)."""
    if context.last_donor is None or context.last_announced is None:
        return []
    text = sentence.text if items_end is None else sentence.text[:items_end]
    trigger = Trigger(items_start, items_start, False, False)
    numbers = find_numbers(text)
    donor = context.last_donor
    if any(not (n.percent or n.year) for n in numbers):
        found, _ = read_objects(text, fold_case(text), trigger, len(text), numbers, 0, [donor],
                            context)  # fmt: skip
        # a list that counts some items and names others ("includes Stinger missiles and 20
        # Bradley vehicles"): the others too, one each of a kind not counted; beside sums
        # only ("includes Raven launchers, radars and €40m for repairs"), each thing it names
        counted = {entry[0].category for entry in found}
        sums_only = all(entry[2] is None for entry in found)
        found += [
            entry
            for entry in equipment_list(text, items_start, context.vocabulary,
                                        without_digits=True, uncatalogued=sums_only)
            if entry[0].category not in counted
        ]  # fmt: skip
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
            currency=resolve_local_currency(money.currency, donor.code) if money else None,
            qualifier=number.qualifier,
            qualifier_text=number.qualifier_text,
            announced=announced,
            announced_precision=precision,
            stated_conversion=money.conversion if money else None,
            evidence=sentence.text,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            category=item.category,
        )  # fmt: skip
        for item, number, quantity, money in found
        if money is not None or quantity is not None or number.qualifier == "unknown"
    ]


def _unique(
    pledges: list[ExtractedPledge], numbers: list[NumberPhrase] | None = None
) -> list[ExtractedPledge]:
    """Drop repeats of the same donor, item and number within one sentence, unless the
    sentence states that sum as often (``numbers``: its number phrases): "€1 billion for
    2024, and a further €1 billion for 2025" is two pledges.

    A pledge without a number from a donor whose figure the same sentence gives
    ("a €500m package, including drones") describes that figure's contents: dropped.
    """
    seen: set[tuple] = set()
    stated: Counter[tuple[object, str | None]] | None = None  # counted at the first repeat
    unique = []
    paid = {p.donor for p in pledges if p.qualifier != "unknown" and p.amount is not None}
    counted = {(p.donor, p.category or p.item) for p in pledges if p.qualifier != "unknown"}
    for pledge in pledges:
        if pledge.qualifier == "unknown" and (
            pledge.donor in paid or (pledge.donor, pledge.category or pledge.item) in counted
        ):
            continue
        key = (pledge.donor, pledge.item, pledge.quantity, pledge.amount, pledge.qualifier,
               pledge.notes)  # fmt: skip
        if key not in seen:
            seen.add(key)
            unique.append(pledge)
        elif pledge.amount is not None:
            if stated is None:
                stated = Counter((n.value, n.currency) for n in numbers or () if n.currency)
            told = sum(1 for p in unique if p.amount == pledge.amount and p.donor == pledge.donor)
            if stated[(pledge.amount, pledge.currency)] > told:
                unique.append(pledge)  # the same sum stated again: another pledge
    return unique
