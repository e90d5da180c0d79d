"""The bulk path of a table import: catalogue additions, then pledges inserted in chunks.

New pledges are built column by column: ids resolved, defaults filled and the
derived columns (bounds, EUR and USD values, review flag) computed by the
functions the pledge service uses (tracker.services.pledge_numbers). They go to
the database as one COPY of preformatted text on PostgreSQL (references checked
once per referenced table, see tracker.importers.copy_load); on SQLite as one
executemany of values bound column-wise into a temporary table without indexes or
triggers, then one INSERT .. SELECT into the pledge table (one statement instead of
one per row, each with its own trigger and constraint steps). The totals rollup then
gets what the new pledges count for in the same transaction, summed by the database
with the rebuild's own queries limited to the new pledges (`rollup.add_totals_of_new`),
so the cost of an import follows the size of the file, not of the pledge table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Integer,
    Table,
    bindparam,
    case,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from tracker.importers.column_insert import any_value, bound_columns, insert_columns
from tracker.importers.copy_load import copy_pledges, joined_columns, references_checked_setwise
from tracker.importers.stage_reports import record_matched_row_stages, with_refusal
from tracker.models import (
    STAGE_ROLES,
    Donor,
    DonorAlias,
    Item,
    ItemCategory,
    Pledge,
    Recipient,
    Report,
    User,
)
from tracker.models._types import utcnow
from tracker.services.data_version import bump_data_version
from tracker.services.matching import Figures, Match, Stated, match_many
from tracker.services.pledge_numbers import (
    STAGE_DAYS,
    STAGE_FIGURES,
    derive_columns,
    stage_columns,
    stage_report_flag,
)
from tracker.services.pledge_rules import stored_unit
from tracker.services.reference import alias_key
from tracker.services.rollup import add_totals_of_new

if TYPE_CHECKING:
    from tracker.importers.table import Plan

INSERT_CHUNK = 20_000
# Revises a table's matches (one per row) and sets columns, before the rows are written
Arrange = Callable[[dict[str, list[Any]], list[Match]], list[Match]]
PLEDGE_TABLE: Table = Pledge.__table__  # type: ignore[assignment]
REPORT_TABLE: Table = Report.__table__  # type: ignore[assignment]
SQLITE_IMPORT_CACHE_KIB = 262_144  # page cache while inserting: the indexes stay in memory
# SQLite: the new pledges' rows are first bound into this temporary table (no index, no
# trigger), then enter the pledge table in one INSERT .. SELECT
SQLITE_STAGED = "pledge_staged"


def write_catalogue_additions(session: Session, plan: Plan, user: User | None) -> None:
    """Add the aliases, donors and items the plan needs, each audited like an edit in the
    catalogue pages; pending keys then resolve to ids."""
    from tracker.services.audit import record
    from tracker.services.catalogue import donor_snapshot, item_snapshot

    taken = set(session.scalars(select(DonorAlias.key)))
    for name, donor_id in plan.new_aliases.items():
        if alias_key(name) not in taken:
            owner = session.get_one(Donor, donor_id)
            before = donor_snapshot(owner)
            owner.aliases.append(DonorAlias(alias=name[:200], key=alias_key(name)))
            session.flush()
            record(
                session,
                action="update",
                entity="donor",
                entity_id=donor_id,
                before=before,
                after=donor_snapshot(owner),
                user=user,
                note="alias added by a table import",
            )
            taken.add(alias_key(name))
    donors: dict[str, Donor] = {}
    for key, (name, kind) in plan.new_donors.items():
        donor = session.scalar(select(Donor).where(Donor.name == name))
        created = donor is None
        if donor is None:
            donor = Donor(name=name, kind=kind)
            session.add(donor)
        earlier = None if created else donor_snapshot(donor)
        for alias in {key: name, alias_key(name): name}:
            if alias not in taken:
                donor.aliases.append(DonorAlias(alias=name[:200], key=alias))
                taken.add(alias)
        session.flush()
        after = donor_snapshot(donor)
        if after != earlier:
            record(
                session,
                action="create" if created else "update",
                entity="donor",
                entity_id=donor.id,
                before=earlier,
                after=after,
                user=user,
                note="added by a table import",
            )
        donors[key] = donor
    categories = {c.name: c for c in session.scalars(select(ItemCategory))}
    items: dict[str, Item] = {}
    for key, (name, category, unit) in plan.new_items.items():
        items[key] = Item(name=name[:200], category=categories[category], unit=unit)
        session.add(items[key])
        session.flush()
        record(
            session,
            action="create",
            entity="item",
            entity_id=items[key].id,
            before=None,
            after=item_snapshot(items[key]),
            user=user,
            note="added by a table import",
        )
    for name in plan.new_recipients.values():
        session.add(Recipient(name=name))
    session.flush()
    plan.new_aliases.clear()
    for key, donor in donors.items():
        plan.new_aliases[key] = donor.id
    plan.item_keys = {key: item.id for key, item in items.items()}
    plan.donor_keys = {key: donor.id for key, donor in donors.items()}
    for _row, _version, _pledge_id, changes in plan.updates:
        if isinstance(changes.get("donor_id"), str):
            changes["donor_id"] = plan.donor_keys[changes["donor_id"]]
        if isinstance(changes.get("item_id"), str):
            changes["item_id"] = plan.item_keys[changes["item_id"]]
        if isinstance(changes.get("recipient_id"), str):
            changes["recipient_id"] = session.scalars(
                select(Recipient.id).where(
                    Recipient.name == plan.new_recipients[changes["recipient_id"]]
                )
            ).one()


def insert_pledges(
    session: Session,
    plan: Plan,
    source_id: int,
    user: User | None,
    *,
    match: bool = False,
    arrange: Arrange | None = None,
) -> MatchCounts:
    """Insert the plan's new pledges, then add what they count for to the rollup.

    With `match`, each row is first matched against the pledges stored before
    (tracker.services.matching): a clear match becomes a corroborating report of that
    pledge instead of a new pledge, an unclear one a pledge marked as a possible duplicate.
    `arrange` (the rows' packages, tracker.importers.package_matches) may revise the
    matches and set the package columns before anything is written.
    """
    counts = MatchCounts()
    if not plan.create_count:
        return counts
    # The data version's lock first, so an item's category moved meanwhile is read as it is now
    bump_data_version(session)
    item_rows = session.execute(
        select(Item.id, Item.unit, ItemCategory.kind, Item.category_id).join(ItemCategory)
    )
    item_info: dict[int, tuple[str | None, str]] = {}
    category_of_item: dict[int, int] = {}
    for item_id, unit, kind, category_id in item_rows:
        item_info[item_id] = (unit, kind)
        category_of_item[item_id] = category_id
    recipients = {
        alias_key(name): rid for name, rid in session.execute(select(Recipient.name, Recipient.id))
    }
    user_id, now = (user.id if user else None), utcnow()
    # PostgreSQL streams chunks to the server while the next is made; SQLite takes all at once
    step = INSERT_CHUNK if session.get_bind().dialect.name == "postgresql" else plan.create_count
    chunks: Iterable[dict[str, list[Any]]] = (
        pledge_columns(plan, start, start + step, item_info, recipients, source_id, user_id, now)
        for start in range(0, plan.create_count, step)
    )
    if match:
        columns = joined_columns(list(chunks))
        columns = matched_columns(
            session, columns, category_of_item, counts, user_id, now, arrange=arrange,
            user=user,
        )  # fmt: skip
        chunks = [columns]
    # The database sums the new rows by the rebuild's own queries (no delta made in Python);
    # on SQLite with the pages the inserts touched kept in the page cache
    after_id = session.scalar(select(func.max(Pledge.id))) or 0
    with sqlite_import_cache(session.connection()):
        write_pledge_columns(session, chunks)
        add_totals_of_new(session, after_id)
        add_dataset_reports(session, source_id, user_id, now)
    return counts


@dataclass
class MatchCounts:
    """What matching did with a table's rows."""

    corroborated: int = 0
    possible_duplicates: int = 0
    flagged: int = 0  # rows that corroborate a pledge whose stage figures call for a check


def matched_columns(
    session: Session,
    columns: dict[str, list[Any]],
    category_of_item: dict[int, int],
    counts: MatchCounts,
    user_id: int | None,
    now: datetime,
    *,
    arrange: Arrange | None = None,
    user: User | None = None,
) -> dict[str, list[Any]]:
    """The columns of the rows that stay new pledges, after matching every row: rows that
    corroborate a pledge become reports of it (their stage figures recorded on it by the
    stage rules, tracker.importers.stage_reports), possible duplicates are marked."""
    figures = map(
        Figures, columns["quantity"], columns["amount"], columns["currency"], columns["eur"],
        columns["qualifier"],
    )  # fmt: skip
    stated = list(
        map(
            Stated, columns["donor_id"], columns["recipient_id"], columns["item_id"],
            map(category_of_item.__getitem__, columns["item_id"]), columns["announced"],
            figures, columns["source_id"],
        )
    )  # fmt: skip
    matches = match_many(session, stated)
    if arrange is not None:
        matches = arrange(columns, matches)
    keep: list[int] = []
    duplicate_of: list[int | None] = []
    corroborating: list[tuple[int, Match]] = []
    for index, found in enumerate(matches):
        if found.outcome == "corroborates" and found.pledge_id is not None:
            corroborating.append((index, found))
            continue
        keep.append(index)
        duplicate_of.append(found.pledge_id if found.outcome == "possible_duplicate" else None)
    size = len(corroborating)
    matched = [(i, found.pledge_id) for i, found in corroborating if found.pledge_id is not None]
    stages = record_matched_row_stages(session, columns, matched, user=user)
    reports: dict[str, list[Any]] = {
        "pledge_id": [found.pledge_id for _index, found in corroborating],
        "source_id": [columns["source_id"][index] for index, _found in corroborating],
        "role": ["corroborates"] * size,
        "reported_on": [columns["announced"][index] for index, _found in corroborating],
        "source_ref": [columns["source_ref"][index] for index, _found in corroborating],
        "review_flag": [
            with_refusal(
                f"row {columns['source_ref'][index]}: {found.reason}", stages.refused.get(index)
            )
            for index, found in corroborating
        ],
        "created_at": [now] * size,
        "created_by_id": [user_id] * size,
    }
    counts.corroborated = size
    counts.possible_duplicates = sum(1 for d in duplicate_of if d is not None)
    counts.flagged = len(stages.flagged)
    if reports:  # one COPY or executemany, not an ORM object per row
        insert_columns(session, REPORT_TABLE, reports)
    kept = {name: _taken(values, keep) for name, values in columns.items()}
    kept["duplicate_of_id"] = duplicate_of
    return kept


def _taken(values: list[Any], indexes: list[int]) -> list[Any]:
    """The values at `indexes`, in their order (picked in C by an itemgetter)."""
    if len(indexes) < 2:
        return [values[i] for i in indexes]
    return list(itemgetter(*indexes)(values))


def add_dataset_reports(
    session: Session, source_id: int, user_id: int | None, now: datetime
) -> None:
    """The reports of each new pledge of a dataset, stated by the row that made it, as one
    INSERT .. SELECT run by the database, as the pledge page records a pledge and its
    figures: the report that announces its promise (dated by its announcement), then one
    that allocates for its allocated figure and one that delivers for its delivered figure
    (each dated by its stage's day), so the pledge's figures stay the sums of its reports
    when another report comes (`reports.recompute_stage_figures`). A stage report dated
    before the announcement, or whose figure is above the row's own promise, carries its
    own notes (`pledge_numbers.stage_report_flag`, as a report on the pledge page does),
    not the rest of the pledge's review flag (`_flag_stage_reports`)."""
    new = (Pledge.source_id == source_id) & ~select(Report.id).where(
        Report.pledge_id == Pledge.id
    ).exists()
    stamp = (literal(now, Report.created_at.type), literal(user_id, Integer))
    told = [
        select(
            Pledge.id, Pledge.source_id, literal("announces", Report.role.type), Pledge.announced,
            *(null() for _ in range(5)), *stamp,
        ).where(new)
    ]  # fmt: skip
    for stage, role in STAGE_ROLES.items():
        quantity, amount = getattr(Pledge, f"{stage}_quantity"), getattr(Pledge, f"{stage}_amount")
        told.append(
            select(
                Pledge.id, Pledge.source_id, literal(role, Report.role.type),
                getattr(Pledge, f"{stage}_on"), quantity, amount,
                case((amount.is_not(None), Pledge.currency), else_=None),
                getattr(Pledge, f"{stage}_eur"), null(), *stamp,
            ).where(new, quantity.is_not(None) | amount.is_not(None))
        )  # fmt: skip
    flagged = _flagged_stage_pledges(session, new)
    names = (
        "pledge_id", "source_id", "role", "reported_on", "quantity", "amount", "currency", "eur",
        "review_flag", "created_at", "created_by_id",
    )  # fmt: skip
    insert = REPORT_TABLE.insert().from_select(names, union_all(*told))
    session.flush()
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert)
    else:
        # Every row refers to a pledge just written and to the source and user those
        # pledges refer to (locked by their write): nothing for the per-row triggers to find
        with references_checked_setwise(connection, REPORT_TABLE, None):
            connection.execute(insert)
    _flag_stage_reports(session, flagged)


def _flagged_stage_pledges(session: Session, new: Any) -> list[Pledge]:
    """The new pledges whose review flag may hold a note of a stage figure: flagged, with
    an allocated or delivered figure (a few rows, read before their reports are written),
    detached, so the rest of the import, which writes pledges by statements, never reads
    them from the session as they were."""
    figures = [getattr(Pledge, name).is_not(None) for name in STAGE_FIGURES]
    query = select(Pledge).where(new, Pledge.review_flag.is_not(None), or_(*figures))
    pledges = list(session.scalars(query))
    for pledge in pledges:
        session.expunge(pledge)
    return pledges


def _flag_stage_reports(session: Session, pledges: Iterable[Pledge]) -> None:
    """Give each stage report of these new pledges its own notes, by the rule the pledge
    page's reports follow (`stage_report_flag`), in one executemany."""
    flags = [
        {"of_pledge": pledge.id, "of_role": role, "own_flag": flag}
        for pledge in pledges
        for stage, role in STAGE_ROLES.items()
        if (flag := stage_report_flag(pledge, stage, getattr(pledge, f"{stage}_on"))) is not None
    ]
    if flags:
        session.execute(
            update(REPORT_TABLE)
            .where(
                REPORT_TABLE.c.pledge_id == bindparam("of_pledge"),
                REPORT_TABLE.c.role == bindparam("of_role"),
            )
            .values(review_flag=bindparam("own_flag")),
            flags,
        )


def _resolved(values: list[Any], keys: dict[str, int]) -> list[Any]:
    """Ids for a column where names still to be created stand as their lookup keys."""
    if not any(isinstance(value, str) for value in values):
        return values
    return [keys[value] if isinstance(value, str) else value for value in values]


def pledge_columns(
    plan: Plan,
    start: int,
    stop: int,
    item_info: dict[int, tuple[str | None, str]],
    recipients: dict[str, int],
    source_id: int,
    user_id: int | None,
    now: datetime,
) -> dict[str, list[Any]]:
    """The column values of the plan's new pledges `start` to `stop` (excluded), derived
    columns included, by column."""
    new = {name: values[start:stop] for name, values in plan.creates.items()}
    size = len(new["_row"])
    item_ids = _resolved(new["item_id"], plan.item_keys)
    columns: dict[str, list[Any]] = {
        "donor_id": _resolved(new["donor_id"], plan.donor_keys),
        "recipient_id": _resolved(new["recipient_id"], recipients),
        "item_id": item_ids,
        "item_text": new["item_text"],
        "kind": [
            kind or item_info[item][1] for kind, item in zip(new["kind"], item_ids, strict=True)
        ],
        "stage": new["stage"],
        "quantity": new["quantity"],
        "unit": [
            stored_unit(unit, item_info[item][0])
            for unit, item in zip(new["unit"], item_ids, strict=True)
        ],
        "amount": new["amount"],
        "currency": new["currency"],
        "qualifier": new["qualifier"],
        "qualifier_text": new["qualifier_text"],
        "is_correction": new["is_correction"],
        "stated_amount": new["stated_amount"],
        "stated_currency": new["stated_currency"],
        "announced": new["announced"],
        "announced_precision": new["announced_precision"],
        "source_id": [source_id] * size,
        "source_ref": new["_ref"],
        "reviewed": new["reviewed"],
        "counts_money": [True] * size,  # unless the rows are in packages (below)
        "notes": new["notes"],
        "version": [1] * size,
        "created_at": [now] * size,
        "updated_at": [now] * size,
        "created_by_id": [user_id] * size,
        "updated_by_id": [user_id] * size,
    }
    columns.update(
        derive_columns(
            quantity=new["quantity"],
            amount=new["amount"],
            currency=new["currency"],
            qualifier=new["qualifier"],
            announced=new["announced"],
            stated_amount=new["stated_amount"],
            stated_currency=new["stated_currency"],
        )
    )
    figures = {n: new[n] for n in STAGE_FIGURES if n in new}
    days = {n: new[n] for n in STAGE_DAYS if n in new}
    columns.update(stage_columns(columns, figures, size, days))
    if "package_id" in new:  # rows of packages: see tracker.importers.table_packages
        for name in ("package_id", "package_total", "counts_money"):
            columns[name] = new[name]
    return columns


def write_pledge_columns(session: Session, chunks: Iterable[dict[str, list[Any]]]) -> None:
    """Insert full pledge rows given in chunks, column by column: COPY on PostgreSQL,
    executemany elsewhere.

    Both run on the session's connection, inside the import's transaction. On
    PostgreSQL each chunk becomes COPY text as soon as it is made and goes to a
    writer thread, so making the next chunk overlaps the server's work; references
    are checked set-wise where the per-row triggers may be off
    (tracker.importers.copy_load). Elsewhere columns
    empty in every row are left out (the table has no server defaults, so they
    are NULL either way), the values are bound column-wise (see
    `column_insert.bound_columns`) into a temporary table by one executemany, and
    one INSERT .. SELECT moves them, in their order, into the pledge table, under
    a larger page cache (`sqlite_import_cache`).
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        copy_pledges(session, chunks)
        return
    columns = joined_columns(list(chunks))
    size = len(next(iter(columns.values()), []))
    if size:
        bump_data_version(session)  # these inserts bypass the Session events that bump it
        given = {name: values for name, values in columns.items() if any_value(values)}
        names = ", ".join(f'"{name}"' for name in given)
        marks = ", ".join("?" for _ in given)
        values = bound_columns(connection.dialect, PLEDGE_TABLE, given)
        staged = f"INSERT INTO temp.{SQLITE_STAGED} ({names}) VALUES ({marks})"
        with sqlite_import_cache(connection):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{SQLITE_STAGED}")
            connection.exec_driver_sql(
                f"CREATE TEMP TABLE {SQLITE_STAGED} AS SELECT {names} FROM pledge WHERE 0"
            )
            try:
                connection.exec_driver_sql(staged, list(zip(*values, strict=True)))
                connection.exec_driver_sql(
                    f"INSERT INTO pledge ({names}) "
                    f"SELECT {names} FROM temp.{SQLITE_STAGED} ORDER BY rowid"
                )
            finally:
                connection.exec_driver_sql(f"DROP TABLE temp.{SQLITE_STAGED}")


@contextmanager
def sqlite_import_cache(connection: Connection) -> Iterator[None]:
    """SQLite's page caches, of the file and of the temporary tables, at
    SQLITE_IMPORT_CACHE_KIB for the block (they grow only as used), restored after it:
    the pledge table's index pages that the inserts touch are not written out and read
    back in the middle of the transaction, and the rollup's sums read them again.
    Nothing to do on other databases."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = {
        schema: int(connection.exec_driver_sql(f"PRAGMA {schema}.cache_size").scalar_one())
        for schema in ("main", "temp")
    }
    for schema in previous:
        connection.exec_driver_sql(f"PRAGMA {schema}.cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        for schema, size in previous.items():
            connection.exec_driver_sql(f"PRAGMA {schema}.cache_size = {size}")
