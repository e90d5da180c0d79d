"""The review queue in the browser's place: filters, bulk decisions with a reason, undo,
rejected pledges that read "rejected", and who sees which buttons."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.accounts import make_user, sign_in
from tests.factories import make_source
from tests.views.helpers import add_pledge, csrf_token
from tracker import create_app
from tracker.models import Pledge, ReviewDecision


def queued(session: Session, source_id: int, donor: str = "Norway") -> Pledge:
    """An unreviewed pledge of the source."""
    return add_pledge(session, donor, reviewed=False, source_id=source_id)


def test_the_queue_filters_by_source_and_donor(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    first, second = make_source(session, title="Table A"), make_source(session, title="Table B")
    mine = queued(session, first.id, "Germany")
    other = queued(session, second.id)
    page = client.get(f"/review?source={first.id}").get_data(as_text=True)
    assert f'id="pledge-{mine.id}"' in page and f'id="pledge-{other.id}"' not in page
    assert "Table A (1)" in page and "Accept all 1 matching" in page
    by_name = client.get("/review?donor=germany").get_data(as_text=True)
    assert f'id="pledge-{mine.id}"' in by_name and f'id="pledge-{other.id}"' not in by_name
    bad = client.get("/review?donor=Atlantis&kind=weapons")
    assert bad.status_code == 400 and "no donor&#39;s name" in bad.get_data(as_text=True)


def test_a_whole_source_is_rejected_with_a_reason_and_undone(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    source = make_source(session, title="Scraped table")
    pledges = [queued(session, source.id) for _ in range(3)]
    token = csrf_token(client, f"/review?source={source.id}")
    response = client.post(
        "/review/decide",
        data={"csrf_token": token, "action": "reject-all", "reason": "wrong table",
              "source": str(source.id)},
    )  # fmt: skip
    assert response.status_code == 302 and f"source={source.id}" in response.headers["Location"]
    session.expire_all()
    assert all(session.get(Pledge, p.id).deleted_at is not None for p in pledges)  # type: ignore[union-attr]
    detail = client.get(f"/pledges/{pledges[0].id}").get_data(as_text=True)
    assert "was rejected on" in detail and "wrong table" in detail and ">rejected<" in detail
    assert "deleted" not in detail and "/edit" not in detail and ">Restore</button>" in detail
    queue = client.get("/review").get_data(as_text=True)
    assert "rejected every queued pledge of source" in queue and "wrong table" in queue
    decision = session.scalars(select(ReviewDecision)).one()
    undone = client.post(f"/review/decisions/{decision.id}/undo", data={"csrf_token": token})
    assert undone.status_code == 302
    session.expire_all()
    assert all(session.get(Pledge, p.id).deleted_at is None for p in pledges)  # type: ignore[union-attr]
    assert "undone by test-analyst" in client.get("/review").get_data(as_text=True)


def test_ticked_pledges_are_accepted_together(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    source = make_source(session)
    first, second, third = (queued(session, source.id) for _ in range(3))
    token = csrf_token(client, "/review")
    response = client.post(
        "/review/decide",
        data={"csrf_token": token, "action": "accept-selected",
              "pledge": [f"{first.id}:1", f"{third.id}:1"]},
    )  # fmt: skip
    assert response.status_code == 302
    session.expire_all()
    assert [session.get(Pledge, p.id).reviewed for p in (first, second, third)] == [  # type: ignore[union-attr]
        True, False, True,
    ]  # fmt: skip
    stale = client.post(
        "/review/decide",
        data={"csrf_token": token, "action": "reject-selected", "pledge": [f"{second.id}:7"]},
    )
    assert stale.status_code == 409
    nothing = client.post("/review/decide", data={"csrf_token": token, "action": "accept-all"})
    assert nothing.status_code == 422


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    refused=st.sampled_from([
        ("reason", "x" * 501, "Reason: Field cannot be longer than 500 characters."),
        ("action", "launch", "Decision: &#34;launch&#34; is not one of accept-selected,"),
        ("action", "", "Decision: "),
    ]),
    bulk=st.booleans(),
)  # fmt: skip
def test_a_refused_decision_names_the_field_at_fault_and_changes_nothing(
    client, session: Session, refused: tuple[str, str, str], bulk: bool
) -> None:  # type: ignore[no-untyped-def]
    field, value, message = refused
    pledge = queued(session, make_source(session).id)
    data = {"csrf_token": csrf_token(client, "/review"), "version": "1", "reason": "checked"}
    if bulk:
        data.update(action="accept-selected", pledge=f"{pledge.id}:1")
        url = "/review/decide"
    elif field == "action":
        return  # one pledge's accept and reject buttons send no action
    else:
        url = f"/review/{pledge.id}/reject"
    response = client.post(url, data={**data, field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The review form was refused." in page and message in page
    assert "reload the queue" not in page
    session.refresh(pledge)
    assert (pledge.reviewed, pledge.deleted_at, pledge.version) == (False, None, 1)


def test_rejecting_a_reviewed_pledge_is_an_admins_right(app, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Norway")  # reviewed
    client = app.test_client()
    sign_in(client, make_user(session, "analyst"))
    token = csrf_token(client, "/review")
    refused = client.post(f"/review/{pledge.id}/reject", data={"csrf_token": token, "version": "1"})
    assert refused.status_code == 403
    session.expire_all()
    assert session.get(Pledge, pledge.id).deleted_at is None  # type: ignore[union-attr]
    sign_in(client, make_user(session, "admin"))
    token = csrf_token(client, "/review")
    done = client.post(f"/review/{pledge.id}/reject", data={"csrf_token": token, "version": "1"})
    assert done.status_code == 302


def test_viewers_and_visitors_see_no_decision_buttons(app, session: Session) -> None:  # type: ignore[no-untyped-def]
    source = make_source(session)
    pledge = queued(session, source.id)
    client = app.test_client()
    for user in (None, make_user(session, "viewer")):
        sign_in(client, user)
        queue = client.get("/review").get_data(as_text=True)
        assert f'id="pledge-{pledge.id}"' in queue
        assert ">Accept<" not in queue and ">Reject<" not in queue and "/edit" not in queue
        assert 'name="pledge"' not in queue
        detail = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
        assert "/edit" not in detail and 'class="button secondary"' not in detail


def test_signing_in_from_a_button_comes_back_to_the_page(
    session_factory: sessionmaker[Session], session: Session
) -> None:
    config = {"TESTING": True, "SECRET_KEY": "t", "SESSION_FACTORY": session_factory}
    anonymous_client = create_app({**config, "WTF_CSRF_ENABLED": False}).test_client()
    source = make_source(session)
    pledge = queued(session, source.id)
    response = anonymous_client.post(
        f"/review/{pledge.id}/accept",
        data={"version": "1"},
        headers={"Referer": f"http://localhost/review?source={source.id}"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith("/login?next=") and "accept" not in location
    assert location == f"/login?next=/review?source%3D{source.id}"
    elsewhere = anonymous_client.post(
        f"/review/{pledge.id}/accept", headers={"Referer": "https://evil.example/x"}
    )
    assert elsewhere.headers["Location"] == "/login?next=/"


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    source=st.sampled_from(["", "mine", "999999", "x", "²", "99999999999999999999"]),
    donor=st.sampled_from(["", "Germany", "germany", "UK", "Atlantis", "1", "\x00"]),
    kind=st.sampled_from(["", "military", "financial", "weapons"]),
    flag=st.sampled_from(["", "yes", "no", "maybe"]),
    page=st.sampled_from(["", "1", "2", "-1", "99999999999", "²"]),
)
def test_every_queue_filter_answers_without_failing(
    client, session: Session, source: str, donor: str, kind: str, flag: str, page: str
) -> None:  # type: ignore[no-untyped-def]
    mine = make_source(session, title="Filtered table")
    queued(session, mine.id, "Germany")
    args = {"source": str(mine.id) if source == "mine" else source, "donor": donor,
            "kind": kind, "flag": flag, "page": page}  # fmt: skip
    response = client.get("/review", query_string={k: v for k, v in args.items() if v})
    valid = (source in ("", "mine") and donor in ("", "Germany", "germany", "UK", "1")
             and kind != "weapons" and flag != "maybe"
             and page not in ("99999999999", "²"))  # fmt: skip
    assert response.status_code == (200 if valid else 400)  # digits no integer holds: 400


@pytest.mark.parametrize(
    "ticked", ["2147483648:1", "99999999999999999999999:1", "1:2147483648", "١:1", "1:²"]
)
def test_a_ticked_pledge_no_database_holds_is_refused_as_malformed(
    client, session: Session, ticked: str
) -> None:  # type: ignore[no-untyped-def]
    pledge = queued(session, make_source(session).id)
    token = csrf_token(client, "/review")
    response = client.post(
        "/review/decide",
        data={"csrf_token": token, "action": "accept-selected", "pledge": [ticked]},
    )
    assert response.status_code == 400
    assert "A ticked pledge is malformed" in response.get_data(as_text=True)
    session.refresh(pledge)
    assert (pledge.reviewed, pledge.version) == (False, 1)


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_a_decision_on_one_pledge_returns_to_the_queue_as_it_was(
    app, session: Session, action: str
) -> None:  # type: ignore[no-untyped-def]
    """Accepting or rejecting a pledge on page 2 of a filtered queue comes back to page 2
    of that filter, not to the first page of the whole queue."""
    from tests.accounts import form_fields

    source, other = make_source(session, title="Table A"), make_source(session, title="Table B")
    pledges = [queued(session, source.id) for _ in range(30)] + [queued(session, other.id)]
    client = app.test_client()
    sign_in(client, make_user(session, "admin"))
    page = client.get(f"/review?source={source.id}&page=2").get_data(as_text=True)
    shown = [p for p in pledges if f'id="pledge-{p.id}"' in page]
    assert len(shown) == 5
    fields = form_fields(page, f"/review/{shown[0].id}/{action}")
    assert (fields["source"], fields["page"]) == (str(source.id), "2")
    done = client.post(f"/review/{shown[0].id}/{action}", data=fields)
    assert done.status_code == 302
    assert done.headers["Location"] == f"/review?source={source.id}&page=2"
    back = client.get(done.headers["Location"]).get_data(as_text=True)
    assert f"Pledge {shown[0].id} {action}ed" in back and "Page 2 of 2" in back
    first = client.get("/review").get_data(as_text=True)
    fields = form_fields(first, f"/review/{pledges[1].id}/{action}")
    assert "source" not in fields and "page" not in fields
    assert (
        client.post(f"/review/{pledges[1].id}/{action}", data=fields).headers["Location"]
        == "/review"
    )


def test_undoing_a_decision_on_one_pledge_says_1_pledge(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    source = make_source(session, title="Wire story")
    pledge = queued(session, source.id)
    token = csrf_token(client, "/review")
    decided = client.post(
        "/review/decide",
        data={"csrf_token": token, "action": "reject-selected", "pledge": f"{pledge.id}:1"},
    )
    assert "1 pledge rejected" in client.get(decided.headers["Location"]).get_data(as_text=True)
    decision = session.scalars(select(ReviewDecision)).one()
    undone = client.post(f"/review/decisions/{decision.id}/undo", data={"csrf_token": token})
    page = client.get(undone.headers["Location"]).get_data(as_text=True)
    assert f"Decision {decision.id} undone: 1 pledge as before." in page


@pytest.mark.parametrize("decision", ["link", "separate"])
def test_a_duplicate_decided_in_the_queue_returns_to_the_queue_as_it_was(
    app, session: Session, decision: str
) -> None:  # type: ignore[no-untyped-def]
    """Link and Keep separate pressed in the review queue bring the analyst back to the
    queue's filter (on the pledge page they lead to the pledge, as before)."""
    from tests.accounts import form_fields

    source = make_source(session, title="Wire story")
    kept = add_pledge(session, "Norway", amount="5", currency="EUR")
    repeat = add_pledge(session, "Norway", amount="5", currency="EUR", reviewed=False,
                        source_id=source.id, duplicate_of_id=kept.id)  # fmt: skip
    client = app.test_client()
    sign_in(client, make_user(session, "analyst"))
    queue = client.get(f"/review?source={source.id}").get_data(as_text=True)
    fields = form_fields(queue, f"/pledges/{repeat.id}/{decision}")
    done = client.post(f"/pledges/{repeat.id}/{decision}", data=fields)
    assert done.status_code == 303
    assert done.headers["Location"] == f"/review?source={source.id}"
    session.expire_all()
    linked = session.get(Pledge, repeat.id).deleted_at is not None  # type: ignore[union-attr]
    assert linked is (decision == "link")
    page = client.get(f"/pledges/{kept.id}").get_data(as_text=True)
    assert 'name="back"' not in page
