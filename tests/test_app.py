"""The app starts on the test database and its dashboard reads from it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge


def test_dashboard_shows_what_is_stored(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Norway", amount="7500000000", currency="NOK")
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Norway" in page
    assert '<span class="value">1</span>' in page
