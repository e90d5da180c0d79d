"""The database itself refuses rows that break the domain's rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tests.factories import donor_named, item_named, make_pledge
from tracker.models import Donor, DonorAlias, Pledge


def refused(session: Session, **fields: object) -> None:
    """Assert that inserting a pledge with `fields` violates a constraint or a column's type."""
    with pytest.raises((IntegrityError, DataError)), session.begin_nested():
        make_pledge(session, **fields)


def test_a_valid_pledge_is_stored_with_exact_money(session: Session) -> None:
    pledge = make_pledge(session, amount=Decimal("283000000.55"), currency="GBP")
    session.expire_all()
    stored = session.get(Pledge, pledge.id)
    assert stored is not None
    assert stored.amount == Decimal("283000000.55")
    assert isinstance(stored.amount, Decimal)
    assert stored.version == 1
    assert stored.reviewed is False
    assert stored.created_at is not None


def test_negative_numbers_need_a_correction(session: Session) -> None:
    refused(session, amount=Decimal("-5"), currency="EUR")
    refused(session, quantity=Decimal("-1"), item=item_named(session, "tanks"), kind="military")
    correction = make_pledge(session, amount=Decimal("-5"), currency="EUR", is_correction=True)
    assert correction.amount == Decimal("-5")


@pytest.mark.parametrize("currency", ["eur", "EURO", "E1R", "EU"])
def test_currency_is_three_upper_case_letters(session: Session, currency: str) -> None:
    refused(session, amount=Decimal("1"), currency=currency)


def test_a_pledge_needs_a_number_unless_unknown(session: Session) -> None:
    refused(session, amount=None, currency=None, quantity=None, qualifier="exact")
    vague = make_pledge(session, amount=None, currency=None, quantity=None, qualifier="unknown")
    assert vague.id is not None


def test_amount_and_currency_go_together(session: Session) -> None:
    refused(session, amount=Decimal("1"), currency=None)


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "charity"),
        ("stage", "rumoured"),
        ("qualifier", "maybe"),
        ("announced_precision", "decade"),
    ],
)
def test_allowed_values(session: Session, field: str, value: str) -> None:
    refused(session, **{field: value})


def test_version_counts_saves_and_refuses_stale_writes(session: Session) -> None:
    pledge = make_pledge(session)
    pledge.notes = "checked against the ministry's release"
    session.flush()
    assert pledge.version == 2
    session.execute(Pledge.__table__.update().values(version=5).where(Pledge.id == pledge.id))
    pledge.notes = "a save based on version 2"
    with pytest.raises(StaleDataError):
        session.flush()


def test_aliases_and_groups(session: Session) -> None:
    uk = donor_named(session, "United Kingdom")
    assert {"UK", "Britain", "GB"} <= {a.alias for a in uk.aliases}
    g7 = donor_named(session, "G7")
    assert uk in g7.members
    assert g7 in uk.groups
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(DonorAlias(donor=session.get(Donor, g7.id), alias="uk", key="uk"))
        session.flush()
