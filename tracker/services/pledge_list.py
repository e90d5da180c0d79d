"""One page of the pledge list under the filters, sorted by a shown column, paged by keyset.

A page is named by the last pledge of the page before (`after`), never by an offset,
so a link stays valid as pledges are added and a deep page costs what the first does.
Each sort walks an index: (announced, id), (eur, id), (stage, id) and the primary
key on the pledge table; donor and item names walk the name index of the small
table and, per donor or item, the pledge table's (donor_id, id) or (item_id, id).
Rows without a value (undated, no money) come last in either direction: the
page reads the valued rows first, then the empty ones by id, each by its own
index range, identically on SQLite and PostgreSQL. A filter that names a few donors
or items (a text search too) is read part by part in the date or id order, each
part by its own index, when that reads fewer rows than a walk (`list_parts`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true, union
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.visitors import replacement_traverse

from tracker.models import Donor, Item, Pledge
from tracker.services.totals import (
    TotalsFilter,
    aggregate,
    grand_total,
    pledge_conditions,
    rollup_serves,
)
from tracker.services.totals_filter import (
    TRIGRAM,
    PledgeTextContains,
    group_membership,
    name_matches,
    text_matches,
)

__all__ = ["PAGE_SIZE", "SORTS", "PledgePage", "check_sort", "page_ids", "pledge_page"]

PAGE_SIZE = 50
SORTS: dict[str, Any] = {
    "announced": Pledge.announced,
    "donor": Donor.name,
    "item": Item.name,
    "eur": Pledge.eur,
    "stage": Pledge.stage,
    "id": Pledge.id,
}
NULLABLE = ("announced", "eur")
LOOKED_UP = ("donor_id", "item_id")
NAMED: dict[str, tuple[Any, Any]] = {
    "donor": (Donor, Pledge.donor_id),
    "item": (Item, Pledge.item_id),
}
MANY_MATCHES = 5000  # about sqrt(PAGE_SIZE x 500,000): reading that many ≈ walking to a page
MERGED_SORTS = ("announced", "id")  # (donor_id, ...) and (item_id, ...) indexes hold these orders
MAX_PARTS = 8  # donors, items and the wording a page reads part by part (more: a walk reads less)


@dataclass
class PledgePage:
    """The pledges of one page and the id to continue after (None on the last page)."""

    pledges: list[Pledge]
    next_after: int | None


def _beyond(column: Any, value: Any, after_id: int, descending: bool) -> ColumnElement[bool]:
    """Rows after (value, after_id) in the order (column, id), both ascending or descending.

    The first condition alone bounds the sort index's range, so a deep page starts
    reading where the page before ended (an OR of the two cases alone would be
    read as a filter over every row before it)."""
    if descending:
        return and_(column <= value, or_(column < value, Pledge.id < after_id))
    return and_(column >= value, or_(column > value, Pledge.id > after_id))


def _base(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    """Ids of live pledges under the conditions, joined to the donor and item a sort may name."""
    return (
        select(Pledge.id)
        .join(Donor, Donor.id == Pledge.donor_id)
        .join(Item, Item.id == Pledge.item_id)
        .where(*conditions)
    )


def _unindexed(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """The condition with pledge.donor_id and pledge.item_id written `column + 0`, which
    SQLite cannot look up by index: it then walks the sort's index and tests each row."""

    def swap(element: Any, **_: Any) -> Any:
        if getattr(element, "table", None) is Pledge.__table__ and element.name in LOOKED_UP:
            return element + 0
        return None

    replaced: Any = replacement_traverse(cast(Any, condition), {}, swap)
    return cast(ColumnElement[bool], replaced)


def _named_pledges(session: Session, text: str) -> int:
    """How many counted pledges the donors and items whose names contain `text` have,
    from the totals rollup (no pledge row is read)."""
    donors, items = name_matches(text)
    donor_ids = tuple(session.scalars(donors))
    item_ids = set(session.scalars(items))
    count = grand_total(session, TotalsFilter(donor_ids=donor_ids)).pledges if donor_ids else 0
    if item_ids:
        per_item = aggregate(session, ("item",), TotalsFilter())
        count += sum(measures.pledges for (item_id,), measures in per_item if item_id in item_ids)
    return count


def _by_name(
    conditions: list[ColumnElement[bool]],
    sort: str,
    descending: bool,
    value: Any,
    after: int | None,
    size: int,
) -> Select[Any]:
    """A donor or item name sort on PostgreSQL: the donors (or items) in name order, each
    with at most a page of its pledges read by (donor_id, id) or (item_id, id), so a page
    reads about a page of rows. (Joined whole, PostgreSQL reads every pledge of the first
    name to sort them by id.)"""
    owner, key = NAMED[sort]
    name = owner.name
    by_id = Pledge.id.desc() if descending else Pledge.id.asc()
    per_owner = select(Pledge.id).where(key == owner.id, *conditions)
    if after is not None:
        beyond_id = Pledge.id < after if descending else Pledge.id > after
        per_owner = per_owner.where(or_(name != value, beyond_id))
    pledges = per_owner.order_by(by_id).limit(size + 1).lateral("named_pledges")
    query = (
        select(pledges.c.id)
        .select_from(owner)
        .join(pledges, true())
        .order_by(name.desc() if descending else name.asc())
        .order_by(pledges.c.id.desc() if descending else pledges.c.id.asc())
        .limit(size + 1)
    )
    if after is not None:
        query = query.where(name <= value if descending else name >= value)
    return query


@dataclass(frozen=True)
class Parts:
    """A filter that names a few donors or items (or a text search: the donors and items
    whose names hold it, and the pledges whose wording or notes do), as parts: the
    matches are the pledges that meet `rest` and any one of `parts`, and each part is
    read in the sort's order by its own index ((donor_id, announced), (item_id, id), the
    text search index for a bounded number of rows)."""

    parts: tuple[ColumnElement[bool], ...]
    rest: tuple[ColumnElement[bool], ...]


def _donors_of(session: Session, filters: TotalsFilter) -> list[int]:
    """The donors a donor or group filter names (both: the donors in the group)."""
    if filters.group_id is None:
        return list(filters.donor_ids)
    members = group_membership()
    in_group = select(members.c.donor_id).where(members.c.group_id == filters.group_id)
    found = list(session.scalars(in_group))
    return [d for d in found if d in filters.donor_ids] if filters.donor_ids else found


def _counter(session: Session) -> Callable[[TotalsFilter], int]:
    """How many counted pledges a filter the rollup serves covers, each filter's count
    read once (a page's plan asks for the same counts more than once)."""
    counts: dict[TotalsFilter, int] = {}

    def count(filters: TotalsFilter) -> int:
        if filters not in counts:
            counts[filters] = grand_total(session, filters).pledges
        return counts[filters]

    return count


def list_parts(
    session: Session, filters: TotalsFilter, count: Callable[[TotalsFilter], int] | None = None
) -> Parts | None:
    """The filters as parts read one by one, when they name at most MAX_PARTS donors or
    items (a text search: and its wording or notes match at most MANY_MATCHES pledges);
    None otherwise. A page then reads at most a page of rows per part, however many
    pledges match (a name with 5,000 pledges: 51 rows, not 5,000 or a walk of 10,000)."""
    parts: list[ColumnElement[bool]] = []
    written = 0
    if filters.text:
        if len(filters.text) < TRIGRAM:
            return None
        donors, items = name_matches(filters.text)
        donor_ids, item_ids = list(session.scalars(donors)), list(session.scalars(items))
        if len(donor_ids) + len(item_ids) > MAX_PARTS:
            return None
        wording = PledgeTextContains(filters.text)
        found = select(Pledge.id).where(wording).limit(MANY_MATCHES + 1).subquery()
        written = session.scalar(select(func.count()).select_from(found)) or 0
        if written > MANY_MATCHES:
            return None
        parts = [Pledge.donor_id == d for d in donor_ids]
        parts += [Pledge.item_id == i for i in item_ids]
        parts += [wording] if written else []
        rest = replace(filters, text=None)
    elif filters.donor_ids or filters.group_id is not None:
        parts = [Pledge.donor_id == d for d in _donors_of(session, filters)]
        rest = replace(filters, donor_ids=(), group_id=None)
    elif filters.item_id is not None:
        parts = [Pledge.item_id == filters.item_id]
        rest = replace(filters, item_id=None)
    elif filters.category_id is not None:
        in_category = select(Item.id).where(Item.category_id == filters.category_id)
        parts = [Pledge.item_id == i for i in session.scalars(in_category)]
        rest = replace(filters, category_id=None)
    else:
        return None
    count = count or _counter(session)
    if len(parts) > MAX_PARTS or not _cheaper_in_parts(
        session, filters, len(parts), written, count
    ):
        return None
    return Parts(tuple(parts), tuple(pledge_conditions(rest)))


def _cheaper_in_parts(
    session: Session,
    filters: TotalsFilter,
    parts: int,
    written: int,
    count: Callable[[TotalsFilter], int],
) -> bool:
    """Whether a page read part by part (about a page of rows per part) reads fewer rows
    than one walk along the sort's index testing each row (a page / the matches' share
    of all pledges): parts × matches ≤ all pledges, the matches counted from the rollup
    (a text search: its names' pledges and the `written` wording matches). Without a
    count from the rollup (a date range beside it), one part is read alone."""
    if parts <= 1:
        return True
    if filters.text:
        matched = _named_pledges(session, filters.text) + written
    else:
        counted = replace(filters, start=None, end=None, source_id=None)
        if not rollup_serves(counted):
            return False
        matched = count(counted)
    return parts * matched <= count(TotalsFilter())


def _merged(
    parts: Parts, where: list[ColumnElement[bool]], sort: str, descending: bool, limit: int
) -> Select[Any] | None:
    """The first `limit` ids in the order (sort, id) of the pledges of any part that meet
    `where`: each part's first `limit` by its own index, merged (a pledge in two parts
    counts once). None: no part, no pledge."""
    column = SORTS[sort]
    columns = [Pledge.id] if sort == "id" else [Pledge.id, column]
    order = [column.desc(), Pledge.id.desc()] if descending else [column.asc(), Pledge.id.asc()]
    firsts = [
        select(*columns).where(part, *parts.rest, *where).order_by(*order).limit(limit)
        for part in parts.parts
    ]
    if not firsts:
        return None
    merged = union(*(select(*first.subquery().c) for first in firsts)).subquery("merged")
    keys = [merged.c.id] if sort == "id" else [merged.c[column.key], merged.c.id]
    return (
        select(merged.c.id)
        .order_by(*(k.desc() if descending else k.asc() for k in keys))
        .limit(limit)
    )


def list_conditions(
    session: Session, filters: TotalsFilter, count: Callable[[TotalsFilter], int] | None = None
) -> list[ColumnElement[bool]]:
    """The filters' conditions, planned for a page.

    A text search whose matches are at most MANY_MATCHES (the names' share from the
    rollup, then the matches read through the name and text search indexes,
    `text_matches`) names them by id: the page reads those rows and sorts them, however
    few they are (none: nothing is read), instead of testing rows along the sort's index.
    On SQLite, a donor, group, item or category filter, or a text search, that matches
    more is tested row by row along the sort's index (a page then reads about
    PAGE_SIZE / share rows), instead of reading every match through the filter's index
    and sorting them all."""
    conditions = pledge_conditions(filters)
    text = filters.text
    if text and len(text) >= TRIGRAM and _named_pledges(session, text) <= MANY_MATCHES:
        matched = text_matches(session, text, MANY_MATCHES)
        if matched is not None:
            return [*conditions, Pledge.id.in_(matched.scalar_subquery())]
    if session.get_bind().dialect.name != "sqlite":
        return conditions
    if text:
        return [_unindexed(condition) for condition in conditions]
    if not rollup_serves(filters):
        return conditions
    if not (filters.donor_ids or filters.group_id or filters.item_id or filters.category_id):
        return conditions
    if (count or _counter(session))(filters) < MANY_MATCHES:
        return conditions
    return [_unindexed(condition) for condition in conditions]


def _cursor(session: Session, sort: str, after: int) -> tuple[Any] | None:
    """The sort value of the pledge a page continues after (None: no such pledge)."""
    query = (
        select(SORTS[sort])
        .select_from(Pledge)
        .join(Donor, Donor.id == Pledge.donor_id)
        .join(Item, Item.id == Pledge.item_id)
        .where(Pledge.id == after)
    )
    row = session.execute(query).first()
    return None if row is None else (row[0],)


def check_sort(sort: str) -> None:
    """ValueError unless `sort` is one of SORTS."""
    if sort not in SORTS:
        raise ValueError(f"cannot sort by {sort!r}: choose one of {', '.join(SORTS)}")


def page_ids(
    session: Session,
    filters: TotalsFilter,
    *,
    sort: str = "announced",
    descending: bool = True,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[int], int | None]:
    """The ids of the `size` pledges after pledge `after` in the order of `sort` (then id),
    and the id to continue after (None on the last page). LookupError: no pledge `after`."""
    check_sort(sort)
    column = SORTS[sort]
    order = column.desc() if descending else column.asc()
    by_id = Pledge.id.desc() if descending else Pledge.id.asc()
    cursor = _cursor(session, sort, after) if after is not None else None
    if after is not None and cursor is None:
        raise LookupError(f"there is no pledge {after} to continue after")
    value = cursor[0] if cursor else None
    count = _counter(session)
    parts = list_parts(session, filters, count) if sort in MERGED_SORTS else None
    conditions = list_conditions(session, filters, count) if parts is None else []

    def first(where: list[ColumnElement[bool]], by: str, limit: int) -> list[int]:
        """The first `limit` ids meeting `where` in the order of `by`, then id."""
        if parts is not None:
            merged = _merged(parts, where, by, descending, limit)
            return [] if merged is None else list(session.scalars(merged))
        ordered = [order, by_id] if by == sort else [by_id]
        return list(
            session.scalars(_base(conditions).where(*where).order_by(*ordered).limit(limit))
        )

    ids: list[int] = []
    in_empty_rows = after is not None and value is None and sort in NULLABLE
    if sort in NAMED and session.get_bind().dialect.name != "sqlite":
        ids = list(session.scalars(_by_name(conditions, sort, descending, value, after, size)))
    elif not in_empty_rows:
        where = [column.is_not(None)] if sort in NULLABLE else []
        if after is not None:
            where.append(_beyond(column, value, after, descending))
        ids = first(where, sort, size + 1)
    if sort in NULLABLE and len(ids) <= size:
        where = [column.is_(None)]
        if in_empty_rows and after is not None:
            where.append((Pledge.id < after) if descending else (Pledge.id > after))
        ids += first(where, "id", size + 1 - len(ids))
    more = len(ids) > size
    ids = ids[:size]
    return ids, (ids[-1] if more and ids else None)


def pledge_page(
    session: Session,
    filters: TotalsFilter,
    *,
    sort: str = "announced",
    descending: bool = True,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> PledgePage:
    """The `size` pledges after pledge `after` in the order of `sort` (then id), each with
    its donor and item loaded."""
    ids, next_after = page_ids(
        session, filters, sort=sort, descending=descending, after=after, size=size
    )
    query = (
        select(Pledge)
        .where(Pledge.id.in_(ids))
        .options(joinedload(Pledge.donor), joinedload(Pledge.item))
    )
    found = {pledge.id: pledge for pledge in session.scalars(query).unique()}
    return PledgePage([found[pledge_id] for pledge_id in ids], next_after)
