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

A revision of a count names the items between its verb and its figures ("raised the number
of tanks it will send to 14", "increased its pledge of missiles to 500 from 300", "doubled
its promised howitzers from 6 to 12", "raised its drone pledge to 2,000"; ``COUNT_LEADS`` and
``PROMISED_WORDS`` in ``lexicon``): ``counted_revision`` reads the items and the new count,
which a clause then gives as its pledge (the count stands after the items, where no other
rule looks for one); the words between the verb and the figures must name a promise or a
giving ("it will send"), so "increased the number of drones it launched to 500" gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from tracker.extract.items import ItemMatch, match_item
from tracker.extract.lexicon import (
    COUNT_LEADS,
    GIVING_VERBS,
    PROMISE_NOUNS,
    PROMISED_WORDS,
    REVISED_BY,
    REVISED_FROM,
    REVISED_TO,
    REVISION_DOWN,
    REVISION_VERBS,
    forms_of,
    phrase_union,
)
from tracker.extract.models import ExtractedPledge, ExtractedPromisedFigure
from tracker.extract.numbers import LOCAL_CURRENCIES, NumberPhrase
from tracker.extract.patterns import contains_any, folded_regex, keyword_re, opens_name
from tracker.extract.phrases import item_words
from tracker.extract.vocabulary import Vocabulary

_VERB_FORMS = forms_of(REVISION_VERBS)
_DOWN_FORMS = frozenset(forms_of(REVISION_DOWN))
_REVISION_RE = folded_regex(
    rf"\b(?P<verb>{phrase_union(_VERB_FORMS)})\s+(?:[\w’'-]+\s+){{0,4}}?"
    rf"(?:{phrase_union(PROMISE_NOUNS)})\b"
)
# "raised the number of", "doubled its promised": a revision of a count (see counted_revision).
_COUNT_PHRASE_RE = folded_regex(
    rf"\b(?P<verb>{phrase_union(_VERB_FORMS)})\s+(?:[\w’'-]+\s+){{0,3}}?"
    rf"(?:{phrase_union(COUNT_LEADS + PROMISED_WORDS)})\b"
)
_COUNT_VERB_RE = folded_regex(
    rf"\b(?:{phrase_union(_VERB_FORMS)})\s+(?=(?:its|their|the|his|her|our)\s)"
)
_COUNT_LEAD_RE = folded_regex(
    rf"(?:its|their|the|his|her|our)\s+(?:(?:{phrase_union(PROMISED_WORDS)})\s+)?"
    rf"(?:(?:{phrase_union(COUNT_LEADS)})\s+)?"
)
# The words between a revision's verb and its figures name a promise ("its pledge of", "its
# promised") or a giving ("the number of tanks it will send").
_PROMISED_RE = folded_regex(
    rf"\b(?:{phrase_union(PROMISE_NOUNS + PROMISED_WORDS + forms_of(GIVING_VERBS))})\b"
)
_PROMISE_NOUN_SET = frozenset(PROMISE_NOUNS)
_UP_FROM_RE = folded_regex(r"\s*,?\s*(?P<way>up|down)\s+from\b")
# "up from" after the words that follow a sum ("$300m in humanitarian aid in 2024, up from
# $100m in 2023"): right before the next figure, set off by a comma.
_UP_FROM_LATER_RE = folded_regex(r",\s*(?P<way>up|down)\s+from\s+$")
# Every match of _REVISION_RE or _UP_FROM_RE holds one of these: sentences without any are
# passed over at the cost of one search.
_PREFILTER_WORDS = sorted({form.split()[0][:4] for form in _VERB_FORMS} | {"up from", "down from"})
_PREFILTER_RE = keyword_re(_PREFILTER_WORDS)
# The same test over a whole sentence as substring tests (fewer instructions than the regex,
# whose words start with common letters): the words that hold none of the others, since a
# text holding "cuts" holds "cut".
_PREFILTER_KEYS = tuple(
    word
    for word in _PREFILTER_WORDS
    if not any(other != word and other in word for other in _PREFILTER_WORDS)
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
    found = _role_at(folded, number)
    return found[0] if found is not None else None


def _role_at(folded: str, number: NumberPhrase) -> tuple[str, int] | None:
    """A figure's role in a revision (see ``_role``) and where the words naming it start."""
    offset = max(0, number.start - _LOOK_BACK)
    before = folded[offset : number.start]
    match = _ROLE_RE.search(before)
    if match is None or before[: match.start()].endswith("up "):  # "up to" is a qualifier
        return None
    role = match.lastgroup
    assert role is not None
    total_of = role == "new" and re.search(r"\ba\s+total\s+of\s+$", before) is not None
    if total_of and _UP_FROM_RE.match(folded, number.end) is None:
        return None
    return role, offset + match.start()


def _counted(number: NumberPhrase) -> bool:
    """Whether a number is a plain count (no sum of money, share or year)."""
    return not (number.currency or number.money_scale or number.percent or number.year)


def _up_from(
    text: str, folded: str, number: NumberPhrase, numbers: list[NumberPhrase] | None = None
) -> re.Match[str] | None:
    """ "up from" / "down from" right after a figure, or after the items a count counts
    ("500 missiles, up from 300"), or, given the sentence's ``numbers``, after a comma right
    before the next figure ("$300m in aid in 2024, up from $100m")."""
    way = _UP_FROM_RE.match(folded, number.end)
    if way is None and numbers is not None:
        following = next(
            (n for n in numbers if n.start >= number.end and not (n.percent or n.year)), None
        )
        if following is not None:
            way = _UP_FROM_LATER_RE.search(folded, number.end, following.start)
    if way is None and _counted(number):
        _words, end = item_words(text, number.end, min(len(text), number.end + _LOOK_BACK))
        if end > number.end:
            way = _UP_FROM_RE.match(folded, end)
    return way


def may_revise(folded: str) -> bool:
    """False for a sentence that cannot state a revision (``folded``: its ``fold_case``):
    ``counted_revision`` and ``revised`` find none there, at the cost of this one search."""
    return contains_any(folded, _PREFILTER_KEYS)


def counted_revision(
    text: str,
    folded: str,
    numbers: list[NumberPhrase],
    start: int,
    end: int,
    vocabulary: Vocabulary | None = None,
) -> tuple[ItemMatch, NumberPhrase] | None:
    """The items and the new count of a revision of a promised count between ``start`` and
    ``end`` ("raised the number of tanks it will send to 14" → tanks, 14); None without one
    (``folded``: ``fold_case(text)``; ``numbers``: its number phrases)."""
    if _PREFILTER_RE.search(folded, start, end) is None:
        return None
    for verb in _COUNT_VERB_RE.finditer(folded, start, end):
        roles = [
            (number, found)
            for number in numbers
            if verb.end() <= number.start < end and _counted(number)
            for found in (_role_at(folded, number),)
            if found is not None or _up_from(text, folded, number) is not None
        ]
        new = next((n for n, found in roles if found is None or found[0] == "new"), None)
        if new is None:
            continue
        first, found = roles[0]
        object_end = found[1] if found is not None else first.start
        if _PROMISED_RE.search(folded, verb.end(), object_end) is None:
            continue
        lead = _COUNT_LEAD_RE.match(folded, verb.end(), object_end)
        assert lead is not None  # the verb is followed by one of its words
        words, _ = item_words(text, lead.end(), object_end)
        tokens = words.split()
        if tokens and tokens[-1].lower() in _PROMISE_NOUN_SET:
            tokens.pop()  # "its drone pledge"
        item = match_item(" ".join(tokens), vocabulary) if tokens else None
        if item is not None and item.category is not None:
            return item, new
    return None


def _same_figure(pledge: ExtractedPledge, number: NumberPhrase) -> bool:
    """Whether the pledge states this figure (a sum in its currency, or a count)."""
    if number.currency is not None or pledge.amount is not None:
        return pledge.amount == number.value and _same_currency(number, pledge.currency)
    return pledge.quantity == number.value


def _same_currency(number: NumberPhrase, currency: str | None) -> bool:
    """Whether a figure is in the currency of a pledge (or names none): crowns and pesos are
    the donor's ("cut its aid to 20 billion crowns, down from 25 billion crowns": SEK for
    Sweden)."""
    if number.currency in LOCAL_CURRENCIES:
        return currency in LOCAL_CURRENCIES[number.currency].values()
    return number.currency in (None, currency)


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
    if old is not None and _same_currency(old, target.currency):
        value, qualifier = old.value, old.qualifier
    elif added is not None and _same_currency(added, target.currency):
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
    if not pledges or not contains_any(folded, _PREFILTER_KEYS):
        return pledges
    phrases = (_REVISION_RE.search(folded), _COUNT_PHRASE_RE.search(folded))
    phrase = min(
        (p for p in phrases if p is not None and not opens_name(text, p.start("verb"))),
        key=re.Match.start,
        default=None,
    )
    start = phrase.start() if phrase is not None else 0
    roles: dict[str, NumberPhrase] = {}
    for number in numbers:
        if number.start < start or number.percent or number.year:
            continue
        role = _role(folded, number)
        if role is None and _up_from(text, folded, number, numbers):
            role = "new"
        if role is not None and (phrase is not None or role == "new" or "new" in roles):
            roles.setdefault(role, number)
    new = roles.get("new")
    if new is None or (phrase is None and _up_from(text, folded, new, numbers) is None):
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
        way = _up_from(text, folded, new, numbers)
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
