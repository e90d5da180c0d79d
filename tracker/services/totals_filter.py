"""Which pledges a total, a list or an export covers: the filter type and its WHERE conditions.

`TotalsFilter` is what the filter vocabulary (tracker.services.filter_args) parses
into; `pledge_conditions` turns it into conditions on the pledge table, which the
totals, the pledge list, the exports and the API all use. The rollup's own
conditions live beside its queries in tracker.services.totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    ColumnElement,
    CompoundSelect,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    union,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import InternalTraversal

from tracker.models import Donor, DonorGroupMember, Item, Pledge
from tracker.models.pledge_text import PLEDGE_TEXT_TABLE, TEXT_COLUMNS
from tracker.services.rollup import counted_conditions

__all__ = [
    "TRIGRAM",
    "PledgeTextContains",
    "TotalsFilter",
    "filter_conditions",
    "group_membership",
    "name_matches",
    "pledge_conditions",
    "text_condition",
    "text_matches",
]

TRIGRAM = 3  # the shortest text the trigram indexes can look up


@dataclass(frozen=True)
class TotalsFilter:
    """Which pledges a total covers; the defaults cover every live pledge.

    `reviewed` True keeps reviewed pledges only, False unreviewed ones only; `text` is
    searched in the donor's and item's names and the pledge's wording and notes.
    """

    start: date | None = None
    end: date | None = None
    donor_ids: tuple[int, ...] = ()
    group_id: int | None = None
    kind: str | None = None
    stage: str | None = None
    recipient_id: int | None = None
    reviewed: bool | None = None
    item_id: int | None = None
    category_id: int | None = None
    source_id: int | None = None
    text: str | None = None


def group_membership() -> Any:
    """(group_id, donor_id) for each group and each of its members, the group included."""
    members = select(
        DonorGroupMember.group_id.label("group_id"), DonorGroupMember.member_id.label("donor_id")
    )
    selves = select(Donor.id.label("group_id"), Donor.id.label("donor_id")).where(
        Donor.kind == "group"
    )
    return union(members, selves).subquery("membership")


def pledge_conditions(filters: TotalsFilter | None) -> list[ColumnElement[bool]]:
    """WHERE conditions on Pledge for the filters: the pledges the totals count (live, and
    not awaiting a decision on a possible duplicate: `counted_conditions`), a group meaning
    the group itself and its members. Totals, exports and the API all filter with these."""
    return counted_conditions() + filter_conditions(filters)


def filter_conditions(filters: TotalsFilter | None) -> list[ColumnElement[bool]]:
    """WHERE conditions on Pledge for the filters alone, without `counted_conditions`: a
    page that lists live pledges awaiting a duplicate decision too (a donor's page) adds
    its own."""
    if filters is None:
        return []
    conditions: list[ColumnElement[bool]] = []
    if filters.start is not None:
        conditions.append(Pledge.announced >= filters.start)
    if filters.end is not None:
        conditions.append(Pledge.announced <= filters.end)
    if filters.kind is not None:
        conditions.append(Pledge.kind == filters.kind)
    if filters.stage is not None:
        conditions.append(Pledge.stage == filters.stage)
    if filters.recipient_id is not None:
        conditions.append(Pledge.recipient_id == filters.recipient_id)
    if filters.reviewed is not None:
        conditions.append(Pledge.reviewed.is_(filters.reviewed))
    if filters.donor_ids:
        conditions.append(Pledge.donor_id.in_(filters.donor_ids))
    if filters.group_id is not None:
        members = group_membership()
        in_group = select(members.c.donor_id).where(members.c.group_id == filters.group_id)
        conditions.append(Pledge.donor_id.in_(in_group))
    if filters.item_id is not None:
        conditions.append(Pledge.item_id == filters.item_id)
    if filters.category_id is not None:
        in_category = select(Item.id).where(Item.category_id == filters.category_id)
        conditions.append(Pledge.item_id.in_(in_category))
    if filters.source_id is not None:
        conditions.append(Pledge.source_id == filters.source_id)
    if filters.text:
        conditions.append(text_condition(filters.text))
    return conditions


def _like_pattern(text: str) -> str:
    """`text` as an ILIKE pattern that matches it anywhere, its wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class PledgeTextContains(ColumnElement[bool]):
    """Pledges whose wording or notes contain a text of at least TRIGRAM characters,
    ignoring case, found through the text search index (tracker.models.pledge_text):
    on SQLite the FTS5 trigram table (a phrase of the text's trigrams is the substring),
    elsewhere ILIKE, which PostgreSQL answers from its trigram indexes."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a condition as it stands: never written `... = 1`
    _traverse_internals = [
        ("phrase", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, text: str) -> None:
        self.phrase: BindParameter[str] = bindparam(
            "text_phrase", '"' + text.replace('"', '""') + '"', unique=True
        )
        self.pattern: BindParameter[str] = bindparam(
            "text_pattern", _like_pattern(text), unique=True
        )


@compiles(PledgeTextContains)
def _compile_contains(element: PledgeTextContains, compiler: Any, **kw: Any) -> str:
    """ILIKE on the two columns (PostgreSQL: served by the pg_trgm GIN indexes), in
    parentheses: the OR stays one condition beside others."""
    condition = or_(
        *(getattr(Pledge, column).ilike(element.pattern, escape="\\") for column in TEXT_COLUMNS)
    )
    return f"({compiler.process(condition, **kw)})"


@compiles(PledgeTextContains, "sqlite")
def _compile_contains_sqlite(element: PledgeTextContains, compiler: Any, **kw: Any) -> str:
    """The pledge ids the FTS5 trigram table matches for the quoted text."""
    index = table(PLEDGE_TEXT_TABLE, column("rowid"))
    matched = select(index.c.rowid).where(literal_column(PLEDGE_TEXT_TABLE).match(element.phrase))
    return cast(str, compiler.process(Pledge.id.in_(matched), **kw))


def name_matches(text: str) -> tuple[Select[Any], Select[Any]]:
    """The donors and the items whose names contain `text`, ignoring case."""
    pattern = _like_pattern(text)
    donors = select(Donor.id).where(Donor.name.ilike(pattern, escape="\\"))
    items = select(Item.id).where(Item.name.ilike(pattern, escape="\\"))
    return donors, items


def text_matches(session: Session, text: str, limit: int) -> CompoundSelect | None:
    """The ids of the pledges `text_condition(text)` finds (deleted ones included), as a
    query, when they are at most `limit`; None when there are more, or when `text` is too
    short to look up. The donors and items are named first (small tables), then each part
    is read through its own index (the pledges of those donors and items, the text search
    index); counting them stops after `limit` + 1."""
    if len(text) < TRIGRAM:
        return None
    donors, items = name_matches(text)
    donor_ids, item_ids = list(session.scalars(donors)), list(session.scalars(items))
    parts = [select(Pledge.id).where(PledgeTextContains(text))]
    if donor_ids:
        parts.append(select(Pledge.id).where(Pledge.donor_id.in_(donor_ids)))
    if item_ids:
        parts.append(select(Pledge.id).where(Pledge.item_id.in_(item_ids)))
    matches = union_all(*parts)
    counted = select(func.count()).select_from(matches.limit(limit + 1).subquery())
    return None if (session.scalar(counted) or 0) > limit else matches


def text_condition(text: str) -> ColumnElement[bool]:
    """Pledges whose donor or item name, wording or notes contain `text`, ignoring case.

    Names are looked up in the small donor and item tables, then the pledges by their
    donor_id and item_id indexes; the wording and notes through the text search index
    when `text` has at least TRIGRAM characters. A shorter text has no trigram to look
    up: it is tested row by row (ILIKE), which a page stops doing once it is full."""
    pattern = _like_pattern(text)
    donors, items = name_matches(text)
    if len(text) >= TRIGRAM:
        wording: list[ColumnElement[bool]] = [PledgeTextContains(text)]
    else:
        wording = [getattr(Pledge, column).ilike(pattern, escape="\\") for column in TEXT_COLUMNS]
    return or_(Pledge.donor_id.in_(donors), Pledge.item_id.in_(items), *wording)
