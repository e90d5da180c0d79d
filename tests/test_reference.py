"""The reference seed: complete, and idempotent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import Donor, DonorAlias, Item, ItemCategory, Recipient
from tracker.reference import CATEGORIES, ITEMS
from tracker.services.reference import seed_reference


def test_seed_loads_countries_organisations_groups_and_the_catalogue(session: Session) -> None:
    countries = session.scalar(select(func.count()).where(Donor.kind == "country"))
    assert countries is not None and countries >= 249
    names = set(session.scalars(select(Donor.name)))
    assert {"United Kingdom", "United States", "European Union", "World Bank"} <= names
    assert {"European Investment Bank", "International Monetary Fund", "NATO"} <= names
    assert {"G7", "EU member states", "Coalition of the willing"} <= names
    assert session.scalar(select(func.count()).select_from(ItemCategory)) == len(CATEGORIES)
    assert session.scalar(select(func.count()).select_from(Item)) == len(ITEMS)
    assert session.scalars(select(Recipient.name)).all() == ["Ukraine"]


def test_aliases_point_at_one_donor(session: Session) -> None:
    for alias, donor in [("britain", "United Kingdom"), ("usa", "United States"),
                         ("america", "United States"), ("eib", "European Investment Bank"),
                         ("european commission", "European Union")]:  # fmt: skip
        row = session.scalars(select(DonorAlias).where(DonorAlias.key == alias)).one()
        assert row.donor.name == donor


def test_seeding_twice_changes_nothing(session: Session) -> None:
    before = session.scalar(select(func.count()).select_from(DonorAlias))
    report = seed_reference(session)
    assert report.total == 0
    assert session.scalar(select(func.count()).select_from(DonorAlias)) == before
