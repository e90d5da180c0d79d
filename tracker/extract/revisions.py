"""Revisions of an earlier promise: "Germany raised its pledge to €2bn", "increased the
package from €500m to €750m", "has now committed a total of NOK 10bn, up from NOK 7bn".

A sentence revises a promise when a verb that changes a figure is followed by a noun naming
the promise (``REVISION_VERBS`` and ``PROMISE_NOUNS`` in ``lexicon``), or a figure is followed
by "up from" / "down from". Its figures are told apart by the words before them
(``REVISED_TO``, ``REVISED_FROM``, ``REVISED_BY``): the new figure, the old one, the amount
added or taken away. The pledge the sentence states at the new figure is marked as an update
(``updates``: the words that say so; ``previous``: the old figure when stated, or the new one
less the amount added), and the pledges the old figure and the amount added would give are
dropped: the sentence states one promise at its new figure. A sentence with no new figure
("increased its pledge by €500m") adds that amount: a pledge of its own, not an update.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from tracker.extract.lexicon import (
    PROMISE_NOUNS,
    REVISED_BY,
    REVISED_FROM,
    REVISED_TO,
    REVISION_DOWN,
    REVISION_VERBS,
    forms_of,
    phrase_union,
)
from tracker.extract.models import ExtractedPledge, ExtractedPromisedFigure
from tracker.extract.numbers import NumberPhrase
from tracker.extract.patterns import folded_regex, keyword_re

_VERB_FORMS = forms_of(REVISION_VERBS)
_DOWN_FORMS = frozenset(forms_of(REVISION_DOWN))
_REVISION_RE = folded_regex(
    rf"\b(?P<verb>{phrase_union(_VERB_FORMS)})\s+(?:[\w’'-]+\s+){{0,4}}?"
    rf"(?:{phrase_union(PROMISE_NOUNS)})\b"
)
_UP_FROM_RE = folded_regex(r"\s*,?\s*(?P<way>up|down)\s+from\b")
# Every match of _REVISION_RE or _UP_FROM_RE holds one of these: sentences without any are
# passed over at the cost of one search.
_PREFILTER_RE = keyword_re(
    sorted({form.split()[0][:4] for form in _VERB_FORMS} | {"up from", "down from"})
)
# Words allowed between a figure's role word and the figure ("to more than €2bn").
_BETWEEN = (
    r"(?:(?:about|around|nearly|almost|over|some|roughly|approximately|more\s+than|at\s+least"
    r"|up\s+to|as\s+much\s+as|a\s+total\s+of|total\s+of|a\s+further|further|an?\s+additional"
    r"|additional|another|an?\s+extra|extra|the|its|their|his|her)\s+)*"
)
_ROLE_RE = folded_regex(
    rf"(?:(?P<new>{phrase_union(REVISED_TO)})|(?P<old>{phrase_union(REVISED_FROM)})"
    rf"|(?P<by>{phrase_union(REVISED_BY)}))\s+{_BETWEEN}$"
)
_LOOK_BACK = 60


def _role(folded: str, number: NumberPhrase) -> str | None:
    """What a figure is in a revision: "new", "old", "by" (the amount added), or None."""
    before = folded[max(0, number.start - _LOOK_BACK) : number.start]
    match = _ROLE_RE.search(before)
    if match is None or before[: match.start()].endswith("up "):  # "up to" is a qualifier
        return None
    if match.lastgroup == "new" and re.search(r"\ba\s+total\s+of\s+$", before):
        return "new" if _UP_FROM_RE.match(folded, number.end) else None
    return match.lastgroup


def _same_figure(pledge: ExtractedPledge, number: NumberPhrase) -> bool:
    """Whether the pledge states this figure (a sum in its currency, or a count)."""
    if number.currency is not None or pledge.amount is not None:
        same_currency = number.currency in (None, pledge.currency)
        return pledge.amount == number.value and same_currency
    return pledge.quantity == number.value


def _previous(
    target: ExtractedPledge,
    new: NumberPhrase,
    old: NumberPhrase | None,
    added: NumberPhrase | None,
    down: bool,
) -> ExtractedPromisedFigure | None:
    """The figure before the revision: the old one stated, or the new one less (or, for a
    cut, plus) the amount added, in the same currency; None when the sentence gives neither."""
    value: Decimal | None = None
    qualifier = "exact"
    if old is not None and old.currency in (None, target.currency):
        value, qualifier = old.value, old.qualifier
    elif added is not None and added.currency in (None, target.currency):
        value = new.value + added.value if down else new.value - added.value
        if value <= 0:
            return None
    if value is None:
        return None
    money = target.amount is not None
    return ExtractedPromisedFigure(
        quantity=None if money else value,
        unit=None if money else target.unit,
        amount=value if money else None,
        currency=target.currency if money else None,
        qualifier=qualifier,
    )


def revised(
    text: str, folded: str, numbers: list[NumberPhrase], pledges: list[ExtractedPledge]
) -> list[ExtractedPledge]:
    """The sentence's pledges with a revision of an earlier promise marked (``folded``:
    ``fold_case(text)``; ``numbers``: its number phrases): the pledge at the new figure
    is the update, the pledges the old figure and the amount added would give are dropped."""
    if not pledges or _PREFILTER_RE.search(folded) is None:
        return pledges
    phrase = _REVISION_RE.search(folded)
    start = phrase.start() if phrase is not None else 0
    roles: dict[str, NumberPhrase] = {}
    for number in numbers:
        if number.start < start or number.percent or number.year:
            continue
        role = _role(folded, number)
        if role is None and _UP_FROM_RE.match(folded, number.end):
            role = "new"
        if role is not None and (phrase is not None or role == "new" or "new" in roles):
            roles.setdefault(role, number)
    new = roles.get("new")
    if new is None or (phrase is None and _UP_FROM_RE.match(folded, new.end) is None):
        return pledges
    old, added = roles.get("old"), roles.get("by")
    targets = [p for p in pledges if _same_figure(p, new)]
    if not targets and added is not None:
        targets = [p for p in pledges if _same_figure(p, added)]
    if not targets:
        return pledges
    if phrase is not None:
        words, down = text[phrase.start() : phrase.end()], phrase.group("verb") in _DOWN_FORMS
    else:
        way = _UP_FROM_RE.match(folded, new.end)
        assert way is not None
        words, down = text[way.start() : way.end()].strip(" ,"), way.group("way") == "down"
    donors = {p.donor for p in targets}
    result = []
    for pledge in pledges:
        if pledge in targets:
            result.append(
                replace(
                    pledge,
                    amount=new.value if pledge.amount is not None else None,
                    quantity=new.value if pledge.amount is None else None,
                    qualifier=new.qualifier,
                    qualifier_text=new.qualifier_text,
                    stated_conversion=new.conversion,
                    updates=words,
                    previous=_previous(pledge, new, old, added, down),
                )
            )
        elif pledge.donor in donors and any(
            figure is not None and _same_figure(pledge, figure) for figure in (old, added)
        ):
            continue
        else:
            result.append(pledge)
    return result
