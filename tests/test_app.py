"""The app starts on the test database and its home page reads from it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from tests.factories import donor_named, make_pledge


def test_home_page_counts_what_is_stored(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    make_pledge(session, donor=donor_named(session, "Norway"), amount=Decimal("7500000000"),
                currency="NOK")  # fmt: skip
    session.commit()
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Norway" in page
    assert "1 pledges" in page
