"""Is a stated pledge one we already have? Matching a source's pledge against the live ones.

A candidate is a live pledge (not deleted, not itself awaiting a duplicate decision)
from another source, of the same donor (aliases are resolved before: one donor id)
and recipient, announced within MATCH_DAYS of the stated one, of the same catalogue
item or category; the generic item of unspecified money (GENERIC_MONEY_ITEM, "aid": a
sum whose words do not say what it is for) goes with any item when both pledges state a
sum, so "€10bn in aid" and "€10bn in reconstruction aid" of one donor in one
fortnight can be the same promise (an article's pledges; a table's rows are paired by
category in the database, tracker.services.match_candidates). The candidates come from
the (donor_id, announced, recipient_id, source_id, item_id) index, a handful of rows
whatever the size of the pledge table.

Among them, the same number means: equal quantities; amounts in one currency within
0.5%; EUR values within 1% when the currencies differ; or a range that contains the
other's figure ("more than 5,000" and "5,000"), a range reaching RANGE_REACH times from
its bound ("up to €50bn" holds €25bn to €50bn, never €1bn); two pledges without a number
agree.
A pledge without a figure (qualifier unknown) or with a figure of 0 (a Kiel allocation
row whose commitment is €0) states no number to compare with a pledge that states one:
the number neither agrees nor disagrees, so the pair is neither a match nor "another
number" (such a pledge adds nothing to the money or quantity totals, so a pledge beside
it that states a number cannot count twice). A figure of 0 agrees with nothing.
One candidate with the same number is a clear match (the stated pledge corroborates
it); several, or only ones of the same item with another number, make the stated
pledge a possible duplicate, kept out of the totals until an analyst decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker.models import Item, Pledge
from tracker.reference import GENERIC_MONEY_ITEM
from tracker.services.match_candidates import RANGE_REACH, related_pairs
from tracker.services.match_windows import window_candidates

MATCH_DAYS = 14
SAME_CURRENCY_GAP = Decimal("0.005")
SAME_EUR_GAP = Decimal("0.01")
CANDIDATE_LIMIT = 50


class Figures(NamedTuple):
    """The number a pledge states, as matching compares it (a named tuple: a table import
    makes one per row, and a tuple is made several times faster than a frozen dataclass)."""

    quantity: Decimal | None
    amount: Decimal | None
    currency: str | None
    eur: Decimal | None
    qualifier: str

    @classmethod
    def of(cls, pledge: Any) -> Figures:
        """The figures of a stored pledge (a Pledge, or a row with its columns)."""
        return cls(pledge.quantity, pledge.amount, pledge.currency, pledge.eur, pledge.qualifier)


class Stated(NamedTuple):
    """A pledge as a source states it, with its donor, recipient and item already resolved."""

    donor_id: int
    recipient_id: int
    item_id: int
    category_id: int
    announced: date | None
    figures: Figures
    source_id: int | None = None


@dataclass(frozen=True)
class Match:
    """What to do with a stated pledge: "new", "corroborates" or "possible_duplicate" (of
    `pledge_id`), and why, in words for the review queue."""

    outcome: str
    pledge_id: int | None = None
    reason: str = ""


NEW = Match("new")


def _close(a: Decimal, b: Decimal, gap: Decimal) -> bool:
    """Whether two numbers differ by at most `gap` of the larger one."""
    largest = max(abs(a), abs(b))
    return largest == 0 or abs(a - b) <= gap * largest


def _contains(outer: str, bound: Decimal, point: Decimal) -> bool:
    """Whether the range a qualifier gives `bound` ("at_least", "up_to") holds `point`:
    from the bound to RANGE_REACH times it, or from its RANGE_REACH-th part to it."""
    if outer == "at_least":
        return bound <= point <= bound * RANGE_REACH
    if outer == "up_to":
        return bound <= point * RANGE_REACH and point <= bound
    return False


def _agree(a: Decimal, a_qualifier: str, b: Decimal, b_qualifier: str, gap: Decimal) -> bool:
    """Same figure within `gap`, or one qualifier's range holding the other figure."""
    if _close(a, b, gap):
        return True
    if a_qualifier != b_qualifier:
        return _contains(a_qualifier, a, b) or _contains(b_qualifier, b, a)
    return False


class HasFigures(Protocol):
    """What `same_number` reads: a Figures, a stored Pledge or a candidate row."""

    @property
    def quantity(self) -> Decimal | None: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def eur(self) -> Decimal | None: ...
    @property
    def qualifier(self) -> str: ...


def _states_no_number(pledge: HasFigures) -> bool:
    """Whether a pledge states no figure to compare: none (qualifier unknown), or only
    figures of 0."""
    return pledge.qualifier == "unknown" or not (pledge.quantity or pledge.amount)


def number_verdict(a: HasFigures, b: HasFigures) -> bool | None:
    """Whether two pledges state the same number (True), another one (False), or whether
    the number says neither (None: one states no number, or a figure of 0)."""
    if a.qualifier == "unknown" and b.qualifier == "unknown":
        return True
    if _states_no_number(a) or _states_no_number(b):
        return None
    if a.quantity is not None and b.quantity is not None:
        x, y, gap = a.quantity, b.quantity, Decimal(0)
    elif a.amount is None or b.amount is None:
        return False
    elif a.currency == b.currency:
        x, y, gap = a.amount, b.amount, SAME_CURRENCY_GAP
    elif a.eur is None or b.eur is None:
        return False
    else:
        x, y, gap = a.eur, b.eur, SAME_EUR_GAP
    if not (x and y):
        return None
    return _agree(x, a.qualifier, y, b.qualifier, gap)


def same_number(a: HasFigures, b: HasFigures) -> bool:
    """Whether two pledges state the same number, by the rules of this module."""
    return number_verdict(a, b) is True


def candidates_query(
    donor_id: int,
    recipient_id: int,
    *,
    earliest: date | None,
    latest: date | None,
    exclude_source_id: int | None = None,
    live_only: bool = True,
) -> Select[Pledge, int]:
    """Live, decided pledges (all, deleted ones too, unless `live_only`) of one donor and
    recipient announced in [earliest, latest] (any day when both are None), newest first,
    each with its item's category."""
    state = [Pledge.deleted_at.is_(None), Pledge.duplicate_of_id.is_(None)] if live_only else []
    query = (
        select(Pledge, Item.category_id)
        .join(Item, Item.id == Pledge.item_id)
        .where(Pledge.donor_id == donor_id, Pledge.recipient_id == recipient_id, *state)
        .order_by(Pledge.announced.desc(), Pledge.id.desc())
        .limit(CANDIDATE_LIMIT)
    )
    if earliest is not None:
        query = query.where(Pledge.announced >= earliest)
    if latest is not None:
        query = query.where(Pledge.announced <= latest)
    if exclude_source_id is not None:
        query = query.where(Pledge.source_id.is_(None) | (Pledge.source_id != exclude_source_id))
    return query


def find_match(session: Session, stated: Stated) -> Match:
    """Decide whether `stated` corroborates a live pledge, may duplicate one, or is new.

    A new pledge that only a deleted pledge matches stays new, its Match naming the
    deleted one (`pledge_id`, `reason`) so the import can say so.
    """
    return find_matches(session, [stated])[0]


def find_matches(
    session: Session, stated: Sequence[Stated], meanwhile: Callable[[], object] | None = None
) -> list[Match]:
    """`find_match` for each of an article's stated pledges, with one query for all.

    Each is matched against the pledges stored before (never with the others, which
    come from the same source): the CANDIDATE_LIMIT newest of its donor and recipient
    within the window (any day when it has no date), live and deleted ones together.
    The database ranks them and hands back only those of the items and categories the
    window's stated pledges name (`match_windows.window_candidates`), the only ones
    `classify` reads. `meanwhile`, work that sends no statement, runs while the database
    reads them (on PostgreSQL; on SQLite not at all: see `window_candidates`).
    """
    if not stated:
        return []
    generic = generic_money_item(session)
    rows, numbers = window_candidates(
        session, stated, MATCH_DAYS, CANDIDATE_LIMIT, meanwhile, generic
    )
    # The live and the deleted candidates of each window, newest first, as (row, category)
    windows: dict[int, tuple[list[Any], list[Any]]] = {n: ([], []) for n in numbers}
    for row in rows:
        live, gone = windows[row.window_number]
        if row.deleted_at is not None:
            gone.append((row, row.category_id))
        elif row.duplicate_of_id is None:
            live.append((row, row.category_id))
    found = []
    for one, number in zip(stated, numbers, strict=True):
        live, gone = windows[number]
        match = classify(one, live, generic)
        if match.outcome == "new":
            deleted = classify(one, gone, generic)
            if deleted.outcome != "new":
                match = Match(
                    "new", deleted.pledge_id, f"matches deleted pledge #{deleted.pledge_id}"
                )
        found.append(match)
    return found


def classify(
    stated: Stated, candidates: Sequence[tuple[Any, int]], generic: int | None = None
) -> Match:
    """The match of `stated` among candidates (pledge, its item's category) of the same
    donor and recipient within the window: same item or category (or either of the
    `generic` item, both stating a sum), then the number."""
    sum_stated = generic is not None and stated.figures.amount is not None
    related = [
        pledge
        for pledge, category_id in candidates
        if pledge.item_id == stated.item_id
        or category_id == stated.category_id
        or (
            sum_stated and generic in (pledge.item_id, stated.item_id) and pledge.amount is not None
        )
    ]
    verdicts = [(p, number_verdict(p, stated.figures)) for p in related]
    same = [p for p, verdict in verdicts if verdict is True]
    if len(same) == 1:
        return Match("corroborates", same[0].id, f"corroborates #{same[0].id}")
    if same:
        ids = ", ".join(f"#{p.id}" for p in same)
        return Match("possible_duplicate", same[0].id, f"several pledges match: {ids}")
    other = next(
        (p for p, verdict in verdicts if verdict is False and p.item_id == stated.item_id), None
    )
    if other is not None:
        return Match(
            "possible_duplicate", other.id, f"same donor and item as #{other.id}, another number"
        )
    return Match("new")


def generic_money_item(session: Session) -> int | None:
    """The id of the catalogue's item of unspecified money (GENERIC_MONEY_ITEM), None when
    the catalogue has none; read once per session."""
    if "generic_money_item" not in session.info:
        query = select(Item.id).where(Item.name == GENERIC_MONEY_ITEM)
        session.info["generic_money_item"] = session.scalar(query)
    return session.info["generic_money_item"]


def match_many(session: Session, stated: Sequence[Stated]) -> list[Match]:
    """The matches of many stated pledges at once (a table's rows), matched against the
    live pledges stored before, never with each other.

    The database pairs each row with the pledges of its donor, recipient and category
    within the window (both undated, for a row without a date) that may state its number
    or name its item (tracker.services.match_candidates); `classify` then decides among
    them, oldest first. The pairs are sorted once, all together, by (row, announced, id)
    with a key read in C, so each row's candidates are one run of the sorted list.
    """
    if not stated:
        return []
    pairs = related_pairs(session, stated, MATCH_DAYS)
    # The candidates of one row are all dated or all undated, so None is never compared
    # with a day
    pairs.sort(key=_ROW_OLDEST_FIRST)
    matches = [NEW] * len(stated)
    for index, rows in groupby(pairs, key=_ROW):
        matches[index] = classify(stated[index], [(row, row.category_id) for row in rows])
    return matches


_ROW = attrgetter("row")
_ROW_OLDEST_FIRST = attrgetter("row", "announced", "id")
