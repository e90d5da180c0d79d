"""The stage reports of a clause (stage 6 of ``clauses``): a handing over of an earlier
promise, and the part of a promise a sentence tells handed over beside it ("The Netherlands
pledged €28bn and has delivered €10bn", "pledged 24 F-16s, of which the first six arrived in
August")."""

from __future__ import annotations

from tracker.extract.clauses import (
    Clause,
    Figures,
    Found,
    SentenceState,
    SentenceView,
    passive_figure,
)
from tracker.extract.givers import ArticleContext
from tracker.extract.items import ItemMatch
from tracker.extract.models import ExtractedPromisedFigure, ExtractedStageReport
from tracker.extract.numbers import NumberPhrase
from tracker.extract.objects import read_objects, with_currency
from tracker.extract.stages import (
    FRONTED_PROMISE_RE,
    hands_over_what_was_pledged,
    report_date,
    stage_reports,
)
from tracker.extract.triggers import Trigger


def report_stages(
    view: SentenceView,
    clause: Clause,
    figures: Figures,
    stage: str,
    context: ArticleContext,
    promise: Found | None = None,
) -> list[ExtractedStageReport]:
    """Stage 6: the stage reports of a handing over (see ``stages.stage_reports``), of the
    pledge an earlier clause of the sentence states where it is one (``promise``)."""
    passive = passive_figure(view, clause)  # "€20bn has been disbursed by the EU"
    start = passive.start if passive is not None else clause.objects_from.end
    handed = _handed(view, start, clause.segment_end, context)
    if promise is None and (fronted := FRONTED_PROMISE_RE.match(view.folded)) and handed:
        # "Of the 5,000 missiles pledged in July, Britain has delivered 1,000": of that one
        head = Trigger(0, 0, False, False)
        found, _ = read_objects(view.text, view.folded, head, fronted.end(), view.numbers, 0,
                                figures.donors, context)  # fmt: skip
        promise = _promise_for(found, handed[0])
    items = {
        number.start: item
        for item, quantity, _, money in figures.found
        for number in (quantity, money)
        if number is not None
    }
    return _reports(view, clause, figures, stage, handed, items, clause.trigger.end, promise,
                    context)  # fmt: skip


def report_part(
    view: SentenceView, clause: Clause, figures: Figures, state: SentenceState,
    context: ArticleContext,
) -> list[ExtractedStageReport]:  # fmt: skip
    """Stage 6: the stage report of the part of a promise an "of which" clause tells handed
    over or allocated ("pledged 24 F-16s, of which the first six arrived in August"; see
    ``stages.handed_over_part``), of the item the clause pledged."""
    if state.part is None or state.part[0] != clause.segment_end:
        return []  # no "of which" clause, or another clause's
    start, end, stage = state.part
    handed = _handed(view, start, end, context)
    promise = _promise_for(figures.found, handed[0]) if handed else None
    if promise is None:
        return []
    items = {handed[0].start: promise[0]}
    return _reports(view, clause, figures, stage, handed, items, start, promise, context)


def _handed(
    view: SentenceView, start: int, end: int, context: ArticleContext
) -> list[NumberPhrase]:
    """The figures between ``start`` and ``end``, money given its currency."""
    text, numbers = view.text, view.numbers
    return [
        with_currency(n, text, numbers, context) if n.money_scale and not n.currency else n
        for n in numbers
        if start <= n.start < end and not (n.percent or n.year)
    ]


def _reports(
    view: SentenceView, clause: Clause, figures: Figures, stage: str,
    handed: list[NumberPhrase], items: dict[int, ItemMatch], verb_end: int,
    promise: Found | None, context: ArticleContext,
) -> list[ExtractedStageReport]:  # fmt: skip
    """The stage reports of the ``handed`` figures (``stages.stage_reports``), with the
    pledge ``promise`` names where there is one: the figure is of its item (``promise_of``
    found it of the same kind; "€10bn" alone reads as aid of no kind)."""
    promised = None
    if promise is not None and handed:
        item, number, quantity, money = promise
        items[handed[0].start] = item
        promised = ExtractedPromisedFigure(
            quantity=quantity, unit=item.unit if quantity is not None else None,
            amount=money.value if money else None, currency=money.currency if money else None,
            qualifier=number.qualifier if number else "unknown",
        )  # fmt: skip
    reported = report_date(view.text, view.folded, verb_end, context.published, view.dates)
    assert clause.recipient is not None
    return stage_reports(view.sentence, figures.donors, clause.recipient, stage, handed, items,
                         reported, verb_end, promised)  # fmt: skip


def promise_of(
    view: SentenceView, clause: Clause, figures: Figures, state: SentenceState
) -> Found | None:
    """What an earlier clause of the sentence pledged that the clause's handing over done is
    a stage of ("pledged €28bn and has delivered €10bn"): see ``_promise_for``."""
    if not state.pledged:
        return None
    trigger, donor = clause.trigger, figures.donors[-1]
    if donor.start >= trigger.end:
        return None  # a passive names a new giver
    figure = next(
        (
            n
            for n in view.numbers
            if trigger.end <= n.start < clause.segment_end and not (n.percent or n.year)
        ),
        None,
    )
    # the words of its own verb start after the last "and" or comma before it, after the verb
    # before it ("pledged 24 jets to Ukraine and has so far delivered 18")
    before = view.triggers[clause.position - 1].end if clause.position else 0
    start = max(donor.end, before)
    joint = view.folded.rfind(" and ", start, trigger.start)
    start = max(start, joint + 4, view.folded.rfind(",", start, trigger.start) + 1)
    if figure is None or not hands_over_what_was_pledged(view.folded, start, trigger.start, figure):
        return None
    item = next((entry[0] for entry in figures.found if figure in (entry[1], entry[3])), None)
    return _promise_for(state.pledged, figure, item)


def _promise_for(
    pledged: list[Found], figure: NumberPhrase, item: ItemMatch | None = None
) -> Found | None:
    """The first of ``pledged`` of the same kind as a figure handed over: money in the same
    currency (or none stated), or a count of the same item or category (or none named)."""
    money = figure.currency is not None or figure.money_scale
    for entry in pledged:
        promised_item, _, quantity, promised_money = entry
        if money and promised_money is not None:
            if figure.currency in (None, promised_money.currency):
                return entry
        elif (
            not money
            and quantity is not None
            and (
                item is None
                or item.item == promised_item.item
                or (item.category is not None and item.category == promised_item.category)
            )
        ):
            return entry
    return None
