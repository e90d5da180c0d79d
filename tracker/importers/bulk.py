"""The bulk path of a table import: catalogue additions, then pledges inserted in chunks.

New pledges are inserted with one executemany per chunk, with the derived
columns (bounds, EUR and USD values, review flag) computed as the pledge
service computes them; the totals rollup is then rebuilt in the same
transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.importers.derived import derive_pledge_numbers
from tracker.models import Donor, DonorAlias, Item, ItemCategory, Pledge, Recipient, User
from tracker.models._types import utcnow
from tracker.services.reference import alias_key

if TYPE_CHECKING:
    from tracker.importers.table import Plan

INSERT_CHUNK = 5000
PLEDGE_INSERT = Pledge.metadata.tables["pledge"].insert()  # Core insert: no ORM bookkeeping


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
    """Insert the plan's new pledges in chunks, then bring the totals rollup up to date."""
    if not plan.creates:
        return
    from tracker.services.totals import rebuild_totals

    item_rows = session.execute(select(Item.id, Item.unit, ItemCategory.kind).join(ItemCategory))
    item_info = {item_id: (unit, kind) for item_id, unit, kind in item_rows}
    recipients = {
        alias_key(name): rid for name, rid in session.execute(select(Recipient.name, Recipient.id))
    }
    now = utcnow()
    user_id = user.id if user else None
    chunk: list[dict[str, Any]] = []
    for record in plan.creates:
        chunk.append(pledge_row(record, plan, item_info, recipients, source_id, user_id, now))
        if len(chunk) >= INSERT_CHUNK:
            session.execute(PLEDGE_INSERT, chunk)
            chunk = []
    if chunk:
        session.execute(PLEDGE_INSERT, chunk)
    rebuild_totals(session)


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
