"""A form whose hidden fields came back wrong (a version that is no number, from a page
tampered with or cut short) is refused with a message saying so, not a silent 422."""

from __future__ import annotations

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge, csrf_token
from tracker.models import Pledge

NOT_A_VERSION = st.sampled_from(["abc", "1.5", "-1", "", " ", "v2", "１"])


@settings(max_examples=7, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(version=NOT_A_VERSION)
def test_a_stage_form_with_a_bad_version_says_what_is_wrong(
    session: Session, client: FlaskClient, version: str
) -> None:
    pledge = session.get(Pledge, add_pledge(session, quantity="5", item="tanks").id)
    assert pledge is not None
    url = f"/pledges/{pledge.id}"
    response = client.post(
        f"{url}/stage",
        data={"csrf_token": csrf_token(client, url), "version": version, "stage": "delivered",
              "quantity": "1"},
    )  # fmt: skip
    page = response.get_data(as_text=True)
    if response.status_code == 400:  # refused before the form is read (views.hardening)
        assert "The parameter &#39;version&#39; is not a whole number" in page
    else:
        assert response.status_code == 422
        assert "The form was out of date or incomplete (" in page
    session.refresh(pledge)
    assert pledge.delivered_quantity is None
