"""Between the catalogue forms and the catalogue service: choices from the database, stored
rows into the forms, and one save that commits or puts the refusal on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.forms.catalogue import DonorForm, ItemForm
from tracker.models import Donor, Item, ItemCategory
from tracker.services.catalogue import CatalogueError
from tracker.services.reference import alias_key
from tracker.views.database import db_session

Saved = TypeVar("Saved")


def prepare_donor_form(form: DonorForm, session: Session, donor: Donor | None) -> None:
    """Offer every group but the donor itself as a group to be in."""
    groups = session.scalars(select(Donor).where(Donor.kind == "group").order_by(Donor.name))
    form.groups.choices = [(g.id, g.name) for g in groups if donor is None or g.id != donor.id]


def fill_donor_form(form: DonorForm, donor: Donor) -> None:
    """Show a stored donor: its other names and its members one per line."""
    form.name.data = donor.name
    form.kind.data = donor.kind
    form.iso_code.data = donor.iso_code or ""
    own = alias_key(donor.name)
    form.aliases.data = "\n".join(a.alias for a in donor.aliases if a.key != own)
    form.groups.data = [g.id for g in donor.groups]
    form.members.data = "\n".join(m.name for m in donor.members)


def prepare_item_form(form: ItemForm, session: Session) -> None:
    """Offer every category, by kind, with its kind in the label."""
    categories = session.scalars(
        select(ItemCategory).order_by(ItemCategory.kind, ItemCategory.name)
    )
    form.category.choices = [(c.id, f"{c.name} ({c.kind})") for c in categories]


def fill_item_form(form: ItemForm, item: Item) -> None:
    """Show a stored item."""
    form.name.data = item.name
    form.category.data = item.category_id
    form.unit.data = item.unit or ""


def save_catalogue_form(form: FlaskForm, write: Callable[[Session], Saved]) -> Saved | None:
    """Run `write` and commit; on a CatalogueError roll back, show it on its field, None."""
    session = db_session()
    try:
        saved = write(session)
        session.commit()
    except CatalogueError as error:
        session.rollback()
        target = getattr(form, error.field, None) if error.field else None
        if target is not None:
            target.errors = [*target.errors, error.message]
        else:
            form.form_errors.append(error.message)
        return None
    return saved
