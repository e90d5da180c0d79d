"""Builders for model rows with sensible defaults; every keyword can be overridden."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Donor, Item, ItemCategory, Pledge, Recipient, Source

_counter = itertools.count(1)


def make_donor(session: Session, **fields: Any) -> Donor:
    """A new donor (an organisation unless `kind` says otherwise)."""
    fields.setdefault("name", f"Test donor {next(_counter)}")
    fields.setdefault("kind", "organisation")
    donor = Donor(**fields)
    session.add(donor)
    session.flush()
    return donor


def donor_named(session: Session, name: str) -> Donor:
    """A seeded donor by its name."""
    return session.scalars(select(Donor).where(Donor.name == name)).one()


def recipient(session: Session, name: str = "Ukraine") -> Recipient:
    """A seeded recipient."""
    return session.scalars(select(Recipient).where(Recipient.name == name)).one()


def item_named(session: Session, name: str) -> Item:
    """A seeded catalogue item."""
    return session.scalars(select(Item).where(Item.name == name)).one()


def make_item(session: Session, **fields: Any) -> Item:
    """A new catalogue item (in "other military" unless a category is given)."""
    fields.setdefault("name", f"Test item {next(_counter)}")
    if "category" not in fields and "category_id" not in fields:
        fields["category"] = session.scalars(
            select(ItemCategory).where(ItemCategory.name == "other military")
        ).one()
    item = Item(**fields)
    session.add(item)
    session.flush()
    return item


def make_source(session: Session, **fields: Any) -> Source:
    """A manual-entry source unless a kind is given."""
    fields.setdefault("kind", "manual")
    source = Source(**fields)
    session.add(source)
    session.flush()
    return source


def make_pledge(session: Session, **fields: Any) -> Pledge:
    """A pledge row written directly (no services): €1m of aid from a new donor by default."""
    if "donor" not in fields and "donor_id" not in fields:
        fields["donor"] = make_donor(session)
    if "recipient" not in fields and "recipient_id" not in fields:
        fields["recipient"] = recipient(session)
    if "item" not in fields and "item_id" not in fields:
        fields["item"] = item_named(session, "aid")
    fields.setdefault("kind", "financial")
    fields.setdefault("stage", "announced")
    fields.setdefault("qualifier", "exact")
    if "quantity" not in fields and "amount" not in fields:
        fields["amount"] = Decimal("1000000.00")
        fields.setdefault("currency", "EUR")
    pledge = Pledge(**fields)
    session.add(pledge)
    session.flush()
    return pledge
