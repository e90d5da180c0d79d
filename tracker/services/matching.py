"""Is a stated pledge one we already have? Matching a source's pledge against the live ones.

A candidate is a live pledge (not deleted, not itself awaiting a duplicate decision)
from another source, of the same donor (aliases are resolved before: one donor id)
and recipient, announced within MATCH_DAYS of the stated one, of the same catalogue
item or category. The candidates come from the (donor_id, announced) index, a
handful of rows whatever the size of the pledge table.

Among them, the same number means: equal quantities; amounts in one currency within
0.5%; EUR values within 1% when the currencies differ; or a range that contains the
other's figure ("more than 5,000" and "5,000"); two pledges without a number agree.
One candidate with the same number is a clear match (the stated pledge corroborates
it); several, or only ones of the same item with another number, make the stated
pledge a possible duplicate, kept out of the totals until an analyst decides.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker.models import Item, Pledge

MATCH_DAYS = 14
SAME_CURRENCY_GAP = Decimal("0.005")
SAME_EUR_GAP = Decimal("0.01")
CANDIDATE_LIMIT = 50
CANDIDATE_COLUMNS = (
    Pledge.id, Pledge.donor_id, Pledge.recipient_id, Pledge.item_id, Pledge.source_id,
    Pledge.announced, Pledge.quantity, Pledge.amount, Pledge.currency, Pledge.eur,
    Pledge.qualifier,
)  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """The number a pledge states, as matching compares it."""

    quantity: Decimal | None
    amount: Decimal | None
    currency: str | None
    eur: Decimal | None
    qualifier: str

    @classmethod
    def of(cls, pledge: Any) -> Figures:
        """The figures of a stored pledge (a Pledge, or a row with its columns)."""
        return cls(pledge.quantity, pledge.amount, pledge.currency, pledge.eur, pledge.qualifier)


@dataclass(frozen=True)
class Stated:
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


def _close(a: Decimal, b: Decimal, gap: Decimal) -> bool:
    """Whether two numbers differ by at most `gap` of the larger one."""
    largest = max(abs(a), abs(b))
    return largest == 0 or abs(a - b) <= gap * largest


def _contains(outer: str, bound: Decimal, point: Decimal) -> bool:
    """Whether the range a qualifier gives `bound` ("at_least", "up_to") holds `point`."""
    if outer == "at_least":
        return point >= bound
    if outer == "up_to":
        return Decimal(0) <= point <= bound
    return False


def _agree(a: Decimal, a_qualifier: str, b: Decimal, b_qualifier: str, gap: Decimal) -> bool:
    """Same figure within `gap`, or one qualifier's range holding the other figure."""
    if _close(a, b, gap):
        return True
    if a_qualifier != b_qualifier:
        return _contains(a_qualifier, a, b) or _contains(b_qualifier, b, a)
    return False


def same_number(a: Figures, b: Figures) -> bool:
    """Whether two pledges state the same number, by the rules of this module."""
    if a.qualifier == "unknown" or b.qualifier == "unknown":
        return a.qualifier == b.qualifier
    if a.quantity is not None and b.quantity is not None:
        return _agree(a.quantity, a.qualifier, b.quantity, b.qualifier, Decimal(0))
    if a.amount is None or b.amount is None:
        return False
    if a.currency == b.currency:
        return _agree(a.amount, a.qualifier, b.amount, b.qualifier, SAME_CURRENCY_GAP)
    if a.eur is None or b.eur is None:
        return False
    return _agree(a.eur, a.qualifier, b.eur, b.qualifier, SAME_EUR_GAP)


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
    deleted one (`pledge_id`, `reason`) so the import can say so. One query reads the
    live and the deleted candidates together.
    """
    window = timedelta(days=MATCH_DAYS)
    day = stated.announced
    query = candidates_query(
        stated.donor_id, stated.recipient_id,
        earliest=day - window if day else None, latest=day + window if day else None,
        exclude_source_id=stated.source_id, live_only=False,
    )  # fmt: skip
    rows = [(row[0], row[1]) for row in session.execute(query)]
    live = [r for r in rows if r[0].deleted_at is None and r[0].duplicate_of_id is None]
    found = classify(stated, live)
    if found.outcome != "new":
        return found
    gone = classify(stated, [r for r in rows if r[0].deleted_at is not None])
    if gone.outcome != "new":
        return Match("new", gone.pledge_id, f"matches deleted pledge #{gone.pledge_id}")
    return found


def classify(stated: Stated, candidates: Sequence[tuple[Any, int]]) -> Match:
    """The match of `stated` among candidates (pledge, its item's category) of the same
    donor and recipient within the window: same item or category, then the number."""
    related = [
        pledge
        for pledge, category_id in candidates
        if pledge.item_id == stated.item_id or category_id == stated.category_id
    ]
    same = [p for p in related if same_number(Figures.of(p), stated.figures)]
    if len(same) == 1:
        return Match("corroborates", same[0].id, f"corroborates #{same[0].id}")
    if same:
        ids = ", ".join(f"#{p.id}" for p in same)
        return Match("possible_duplicate", same[0].id, f"several pledges match: {ids}")
    other = next((p for p in related if p.item_id == stated.item_id), None)
    if other is not None:
        return Match(
            "possible_duplicate", other.id, f"same donor and item as #{other.id}, another number"
        )
    return Match("new")


def _announced(pair: tuple[Any, int]) -> date:
    """The announcement day of a dated candidate."""
    day: date = pair[0].announced
    return day


def match_many(session: Session, stated: list[Stated]) -> list[Match]:
    """`find_match` for many stated pledges at once (a table's rows), with one query for
    the candidates of all their donors in the window around all their days: the rows are
    matched against the pledges stored before, never with each other."""
    if not stated:
        return []
    days = [s.announced for s in stated if s.announced is not None]
    window = timedelta(days=MATCH_DAYS)
    query = (
        select(*CANDIDATE_COLUMNS, Item.category_id)
        .join(Item, Item.id == Pledge.item_id)
        .where(
            Pledge.donor_id.in_(sorted({s.donor_id for s in stated})),
            Pledge.deleted_at.is_(None),
            Pledge.duplicate_of_id.is_(None),
        )
    )
    if days and len(days) == len(stated):
        query = query.where(
            Pledge.announced >= min(days) - window, Pledge.announced <= max(days) + window
        )
    by_donor: dict[tuple[int, int], list[tuple[Any, int]]] = {}
    for row in session.execute(query):  # rows, not ORM objects: read many, build none
        by_donor.setdefault((row.donor_id, row.recipient_id), []).append((row, row.category_id))
    # Each donor's candidates in announcement order, so a row's window is found by bisection
    # (undated candidates are only compared with undated rows).
    days_of: dict[tuple[int, int], list[date]] = {}
    undated: dict[tuple[int, int], list[tuple[Any, int]]] = {}
    for key, found in by_donor.items():
        undated[key] = [pair for pair in found if pair[0].announced is None]
        found[:] = sorted((p for p in found if p[0].announced is not None), key=_announced)
        days_of[key] = [pair[0].announced for pair in found]
    matches = []
    for one in stated:
        key = (one.donor_id, one.recipient_id)
        if one.announced is None:
            window_rows = undated.get(key, [])
        else:
            days = days_of.get(key, [])
            low = bisect_left(days, one.announced - window)
            high = bisect_right(days, one.announced + window)
            window_rows = by_donor[key][low:high] if days else []
        candidates = [
            pair
            for pair in window_rows
            if one.source_id is None or pair[0].source_id != one.source_id
        ]
        matches.append(classify(one, candidates) if candidates else Match("new"))
    return matches
