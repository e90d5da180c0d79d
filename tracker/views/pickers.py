"""Choices and name lists the forms offer: donor and item names for the pickers, recipients."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms.fields.choices import SelectChoice

from tracker.models import Donor, DonorAlias, Item, Recipient


def donor_names(session: Session) -> list[str]:
    """Every donor name and alias, for the donor picker's datalist."""
    names = set(session.scalars(select(Donor.name)))
    names.update(session.scalars(select(DonorAlias.alias)))
    return sorted(names, key=str.casefold)


def item_names(session: Session) -> list[str]:
    """Every catalogue item name, for the item picker's datalist."""
    return list(session.scalars(select(Item.name).order_by(Item.name)))


def recipient_choices(session: Session) -> list[SelectChoice]:
    """Recipients as choices (id, name), Ukraine (the default) among them."""
    recipients = session.scalars(select(Recipient).order_by(Recipient.name))
    return [SelectChoice(str(r.id), r.name) for r in recipients]
