"""Recipients and the item catalogue."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models._types import one_of
from tracker.reference import KINDS, RECIPIENT_NAME_LENGTH


class Recipient(Base):
    """Who receives support; Ukraine unless a source says otherwise."""

    __tablename__ = "recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(RECIPIENT_NAME_LENGTH), unique=True)
    iso_code: Mapped[str | None] = mapped_column(String(2), unique=True)


class ItemCategory(Base):
    """A category of items (air defence, grant, ...) and the kind of support it counts as."""

    __tablename__ = "item_category"
    __table_args__ = (CheckConstraint(one_of("kind", KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))

    items: Mapped[list[Item]] = relationship(back_populates="category", order_by="Item.name")


class Item(Base):
    """What is given: a weapon, a system, or money ("aid", "budget support").

    `unit` names what a quantity counts ("missile"); money items have none.
    """

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("item_category.id"), index=True)
    unit: Mapped[str | None] = mapped_column(String(40))

    category: Mapped[ItemCategory] = relationship(back_populates="items")
    aliases: Mapped[list[ItemAlias]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemAlias.alias"
    )


class ItemAlias(Base):
    """Another name for a catalogue item ("PAC-3", "Patriot battery" for Patriot).

    `key` is the name folded to lower case, unique, so a name points at one item; an admin
    edits them as donor aliases are edited, and the next article import reads them.
    """

    __tablename__ = "item_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), unique=True)

    item: Mapped[Item] = relationship(back_populates="aliases")
