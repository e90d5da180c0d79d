"""The bulk path of a table import: catalogue additions, then pledges inserted in chunks.

New pledges are inserted with one executemany per chunk, with the derived
columns (bounds, EUR and USD values, review flag) computed as the pledge
service computes them. The totals rollup then gets one delta, summed from the
inserted rows (tracker.services.rollup_rows), in the same transaction: the
cost of an import follows the size of the file, not of the pledge table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Dialect, select
from sqlalchemy.orm import Session

from tracker.importers.derived import derive_pledge_numbers
from tracker.models import Donor, DonorAlias, Item, ItemCategory, Pledge, Recipient, User
from tracker.models._types import utcnow
from tracker.services.data_version import bump_data_version
from tracker.services.reference import alias_key
from tracker.services.rollup import apply_totals_delta
from tracker.services.rollup_rows import rows_totals_delta

if TYPE_CHECKING:
    from tracker.importers.table import Plan

INSERT_CHUNK = 20_000


def write_catalogue_additions(session: Session, plan: Plan) -> None:
    """Add the aliases, donors and items the plan needs; pending keys then resolve to ids."""
    taken = set(session.scalars(select(DonorAlias.key)))
    for name, donor_id in plan.new_aliases.items():
        if alias_key(name) not in taken:
            session.add(DonorAlias(donor_id=donor_id, alias=name[:200], key=alias_key(name)))
            taken.add(alias_key(name))
    donors: dict[str, Donor] = {}
    for key, (name, kind) in plan.new_donors.items():
        donor = session.scalar(select(Donor).where(Donor.name == name))
        if donor is None:
            donor = Donor(name=name, kind=kind)
            session.add(donor)
        for alias in {key: name, alias_key(name): name}:
            if alias not in taken:
                session.add(DonorAlias(donor=donor, alias=name[:200], key=alias))
                taken.add(alias)
        donors[key] = donor
    categories = {c.name: c for c in session.scalars(select(ItemCategory))}
    items: dict[str, Item] = {}
    for key, (name, category, unit) in plan.new_items.items():
        items[key] = Item(name=name[:200], category=categories[category], unit=unit)
        session.add(items[key])
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


def insert_pledges(session: Session, plan: Plan, source_id: int, user: User | None) -> None:
    """Insert the plan's new pledges in chunks, then add what they count for to the rollup."""
    if not plan.creates:
        return
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
    now = utcnow()
    user_id = user.id if user else None
    rows = [
        pledge_row(record, plan, item_info, recipients, source_id, user_id, now)
        for record in plan.creates
    ]
    write_pledge_rows(session, rows)
    apply_totals_delta(session, rows_totals_delta(rows, category_of_item))


def write_pledge_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert full pledge rows: COPY on PostgreSQL, executemany in chunks elsewhere.

    Both run on the session's connection, inside the import's transaction. The
    executemany goes to the driver with values already bound column-wise (see
    `bound_columns`), so no per-row parameter processing is left.
    """
    if not rows:
        return
    connection = session.connection()
    bump_data_version(session)  # these inserts bypass the Session events that bump it
    columns = list(rows[0])
    if connection.dialect.name != "postgresql":
        names = ", ".join(f'"{name}"' for name in columns)
        marks = ", ".join("?" for _ in columns)
        insert = f"INSERT INTO pledge ({names}) VALUES ({marks})"
        values = bound_columns(connection.dialect, rows, columns)
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = [column[start : start + INSERT_CHUNK] for column in values]
            connection.exec_driver_sql(insert, list(zip(*chunk, strict=True)))
        return
    names = ", ".join(f'"{name}"' for name in columns)
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f"COPY pledge ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def bound_columns(
    dialect: Dialect, rows: list[dict[str, Any]], columns: list[str]
) -> list[list[Any]]:
    """The rows' values column by column, bound as SQLAlchemy's own processors bind them.

    Each distinct value of a column is processed once: imports repeat days,
    currencies, timestamps and amounts, so this is a dictionary look-up per cell.
    """
    table = Pledge.metadata.tables["pledge"]
    bound: list[list[Any]] = []
    for name in columns:
        cells = [row[name] for row in rows]
        processor = table.c[name].type._cached_bind_processor(dialect)
        if processor is not None:
            processed = {value: processor(value) for value in set(cells)}
            cells = list(map(processed.__getitem__, cells))
        bound.append(cells)
    return bound


def pledge_row(
    record: dict[str, Any],
    plan: Plan,
    item_info: dict[int, tuple[str | None, str]],
    recipients: dict[str, int],
    source_id: int,
    user_id: int | None,
    now: Any,
) -> dict[str, Any]:
    """The column values of one new pledge, derived columns included."""
    donor_id = record["donor_id"]
    donor_id = plan.donor_keys[donor_id] if isinstance(donor_id, str) else donor_id
    item_id = record["item_id"]
    item_id = plan.item_keys[item_id] if isinstance(item_id, str) else item_id
    recipient_id = record["recipient_id"]
    if isinstance(recipient_id, str):
        recipient_id = recipients[recipient_id]
    unit, kind = item_info[item_id]
    derived = derive_pledge_numbers(
        quantity=record["quantity"],
        amount=record["amount"],
        currency=record["currency"],
        qualifier=record["qualifier"],
        announced=record["announced"],
        stated_amount=record["stated_amount"],
        stated_currency=record["stated_currency"],
    )
    return {
        "donor_id": donor_id,
        "recipient_id": recipient_id,
        "item_id": item_id,
        "item_text": record["item_text"],
        "kind": record["kind"] or kind,
        "stage": record["stage"],
        "quantity": record["quantity"],
        "unit": record["unit"] if record["unit"] is not None else unit,
        "amount": record["amount"],
        "currency": record["currency"],
        "qualifier": record["qualifier"],
        "qualifier_text": record["qualifier_text"],
        "is_correction": record["is_correction"],
        "stated_amount": record["stated_amount"],
        "stated_currency": record["stated_currency"],
        "announced": record["announced"],
        "announced_precision": record["announced_precision"],
        "source_id": source_id,
        "source_ref": record["_ref"],
        "reviewed": record["reviewed"],
        "notes": record["notes"],
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "created_by_id": user_id,
        "updated_by_id": user_id,
        **derived,
    }
