"""A sentence that states a promise and the part of it handed over imports as one pledge
with its delivered figure: "pledged €28bn and has delivered €10bn", "of which the first six
arrived in August"; a running total of a pledge imported before sets its delivered figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.importers.article import ArticleMeta, import_article
from tracker.models import Pledge

ON = date(2025, 9, 2)


def imported(session: Session, text: str, url: str) -> list[Pledge]:
    """Import one article; the live pledges of the database, oldest first."""
    result = import_article(session, text, ArticleMeta(published=ON, url=url))
    session.flush()
    assert result.problems == []
    return list(session.scalars(select(Pledge).where(Pledge.deleted_at.is_(None))))


@pytest.mark.parametrize(
    ("text", "promised", "delivered"),
    [
        ("The Netherlands has pledged €28bn in military aid to Ukraine, of which €10bn has "
         "been delivered.", Decimal("28e9"), Decimal("10e9")),
        ("The Netherlands pledged €28bn in military aid to Ukraine and has delivered €10bn.",
         Decimal("28e9"), Decimal("10e9")),
        ("The Netherlands pledged 24 F-16 fighter jets to Ukraine, of which the first six "
         "arrived in August.", Decimal(24), Decimal(6)),
        ("The Netherlands has pledged 24 F-16 fighter jets to Ukraine and has so far "
         "delivered 18.", Decimal(24), Decimal(18)),
    ],
)  # fmt: skip
def test_a_promise_and_its_part_handed_over_are_one_pledge(
    session: Session, text: str, promised: Decimal, delivered: Decimal
) -> None:
    (pledge,) = imported(session, text, "https://example.org/stages")
    assert (pledge.quantity or pledge.amount) == promised
    assert (pledge.delivered_quantity or pledge.delivered_amount) == delivered


def test_a_running_total_of_an_earlier_pledge_sets_its_delivered_figure(
    session: Session,
) -> None:
    imported(session, "Germany pledged 20 IRIS-T systems to Ukraine.", "https://example.org/a")
    (pledge,) = imported(
        session, "Since 2022, Germany has delivered 18 IRIS-T systems to Ukraine.",
        "https://example.org/b",
    )  # fmt: skip
    assert (pledge.quantity, pledge.delivered_quantity) == (Decimal(20), Decimal(18))
