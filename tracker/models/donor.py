"""Donors, the names they go by, and the groups they belong to."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models._types import Timestamp, one_of, utcnow
from tracker.reference import DONOR_KINDS


class Donor(Base):
    """Who gives: a country (with its ISO 3166 code), an organisation or a group."""

    __tablename__ = "donor"
    __table_args__ = (CheckConstraint(one_of("kind", DONOR_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    iso_code: Mapped[str | None] = mapped_column(String(2), unique=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    aliases: Mapped[list[DonorAlias]] = relationship(
        back_populates="donor", cascade="all, delete-orphan", order_by="DonorAlias.alias"
    )
    members: Mapped[list[Donor]] = relationship(
        secondary="donor_group_member",
        primaryjoin="Donor.id == DonorGroupMember.group_id",
        secondaryjoin="Donor.id == DonorGroupMember.member_id",
        back_populates="groups",
        order_by="Donor.name",
    )
    groups: Mapped[list[Donor]] = relationship(
        secondary="donor_group_member",
        primaryjoin="Donor.id == DonorGroupMember.member_id",
        secondaryjoin="Donor.id == DonorGroupMember.group_id",
        back_populates="members",
        order_by="Donor.name",
    )

    def __repr__(self) -> str:
        return f"<Donor {self.id} {self.name!r}>"


class DonorAlias(Base):
    """Another name for a donor ("UK", "Britain", "London" for the United Kingdom).

    `key` is the name folded to lower case, unique, so a name points at one donor.
    """

    __tablename__ = "donor_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donor.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), unique=True)

    donor: Mapped[Donor] = relationship(back_populates="aliases")


class DonorGroupMember(Base):
    """Membership of a donor in a group donor (the G7, the coalition of the willing)."""

    __tablename__ = "donor_group_member"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("donor.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("donor.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[Timestamp] = mapped_column(default=utcnow)
