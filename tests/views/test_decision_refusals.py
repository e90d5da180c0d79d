"""A refused link, unlink or other decision on a pledge's reports answers 4xx with the
reason, as the pledge page's forms do, and changes nothing: 422 on the pledge page, the
queue's refusal page for a button of the review queue, 404 for a pledge that does not
exist."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge, csrf_token
from tracker.services.duplicates import link_pledge
from tracker.services.filter_args import MAX_ID


def test_unlinking_a_pledge_that_is_not_linked_answers_422_with_why(
    client: FlaskClient, session: Session
) -> None:
    pledge = add_pledge(session, "Norway", "aid")
    page = f"/pledges/{pledge.id}"
    response = client.post(f"{page}/unlink", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    assert f"Nothing was changed: pledge {pledge.id} is not linked to another pledge" in shown
    session.refresh(pledge)
    assert (pledge.version, pledge.deleted_at) == (1, None)


def test_a_link_between_donors_answers_422_and_a_linked_pledge_unlinks(
    client: FlaskClient, session: Session
) -> None:
    norway = add_pledge(session, "Norway", "aid", reviewed=False)
    sweden = add_pledge(session, "Sweden", "aid")
    page = f"/pledges/{norway.id}"
    token = csrf_token(client, page)
    refused = client.post(f"{page}/link", data={"csrf_token": token, "target": str(sweden.id)})
    assert refused.status_code == 422
    assert "repeats only one of the same donor and recipient" in refused.get_data(as_text=True)
    session.refresh(norway)
    assert norway.deleted_at is None
    other = add_pledge(session, "Norway", "aid", amount="2000000", currency="EUR")
    link_pledge(session, norway.id, other.id)
    session.commit()
    assert client.post(f"{page}/unlink", data={"csrf_token": token}).status_code == 303


@pytest.mark.parametrize("action", ["link", "unlink", "separate", "unsplit"])
def test_a_decision_on_a_pledge_that_does_not_exist_is_a_404(
    client: FlaskClient, session: Session, action: str
) -> None:
    pledge = add_pledge(session, "Norway", "aid")
    token = csrf_token(client, f"/pledges/{pledge.id}")
    response = client.post(
        f"/pledges/{MAX_ID}/{action}", data={"csrf_token": token, "target": str(pledge.id)}
    )
    assert response.status_code == 404
    assert f"There is no pledge {MAX_ID}." in response.get_data(as_text=True)


def test_a_refused_decision_from_the_review_queue_answers_422_with_why(
    client: FlaskClient, session: Session
) -> None:
    pledge = add_pledge(session, "Norway", "aid", reviewed=False)
    token = csrf_token(client, "/review")
    response = client.post(
        f"/pledges/{pledge.id}/separate", data={"csrf_token": token, "back": "review"}
    )
    assert response.status_code == 422
    said = response.get_data(as_text=True)
    assert f"Nothing was changed: pledge {pledge.id} is not marked as a possible duplicate" in (
        said
    )
