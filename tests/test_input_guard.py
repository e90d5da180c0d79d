"""Bad query parameters and JSON bodies: a 4xx naming what is wrong, never a 500, nothing
written (both databases)."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.accounts import make_user, sign_in
from tests.views.helpers import add_pledge
from tracker.models import AuditEvent, Pledge, User
from tracker.views.hardening import digits_up_to

HYPOTHESIS = settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAGES = (
    "/", "/pledges", "/sources", "/donors", "/audit", "/api/totals", "/api/pledges",
    "/api/donors", "/exports/totals.csv", "/exports/pledges.csv",
)  # fmt: skip


def written(session: Session) -> tuple[int, int]:
    """How many pledges and audit events there are."""
    return tuple(  # type: ignore[return-value]
        int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (Pledge, AuditEvent)
    )


@pytest.mark.parametrize(
    "url",
    [
        "/?donor=%C2%B2",
        "/pledges?donor=%C2%B2",
        "/api/pledges?donor=%C2%B2",
        "/api/totals?donor=%C2%B2",
        "/exports/totals.csv?donor=%C2%B2",
        "/sources?page=%C2%B2",
        "/?donor=99999999999999999999999",
        "/?donor=3000000000",
        "/api/totals?donor=2147483648",
        "/api/pledges?page=99999999999999999999999",
        "/api/totals?donor=99999999999999999999999",
        "/sources?page=99999999999999999999999",
        "/audit?entity_id=99999999999999999999999",
        "/audit?until=9999-12-31",
        "/audit?since=0001-01-01",
        "/pledges?q=a%00b",
        "/pledges?donor=a%00b",
        "/api/pledges?q=%00",
        "/?donor=a%00",
        "/audit?user=a%00b",
        "/pledges?q=" + "x" * 2001,
    ],
)
def test_unusable_query_parameters_get_a_400_naming_them(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400, url
    name = url.split("?", 1)[1].split("=", 1)[0]
    assert name in response.get_data(as_text=True)


def test_the_last_day_of_the_calendar_is_an_answer_not_an_error(client: FlaskClient) -> None:
    for page in ("/", "/api/pledges", "/api/totals", "/exports/pledges.csv"):
        response = client.get(f"{page}?to=9999-12-31&from=0001-01-01")
        assert response.status_code < 500, page


def test_a_nul_byte_in_a_posted_form_is_refused(
    form_app: Flask, session: Session, analyst: User
) -> None:
    client = form_app.test_client()
    sign_in(client, analyst)
    before = written(session)
    response = client.post("/pledges/new", data={"donor": "Nor\x00way", "notes": "x"})
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    assert written(session) == before


@pytest.fixture
def api_client(client: FlaskClient) -> FlaskClient:
    """An analyst's client (the API needs no CSRF token for JSON)."""
    return client


PLEDGE = {"donor_id": None, "recipient_id": None, "item_id": None}


def new_pledge_body(session: Session) -> dict[str, object]:
    """A valid body for POST /api/pledges."""
    from tests.factories import donor_named, item_named, recipient

    return {
        "donor_id": donor_named(session, "Norway").id,
        "recipient_id": recipient(session).id,
        "item_id": item_named(session, "aid").id,
        "amount": "1000",
        "currency": "EUR",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"is_correction": "false"}, "is_correction"),
        ({"reviewed": 1}, "reviewed"),
        ({"notes": {"a": 1}}, "notes"),
        ({"notes": ["a"]}, "notes"),
        ({"currency": {"code": "EUR"}}, "currency"),
        ({"amount": {"value": 1}}, "amount"),
        ({"amount": True}, "amount"),
        ({"donor_id": True}, "donor_id"),
        ({"announced": 20250101}, "announced"),
        ({"notes": "n" * 30_000_000}, "notes"),
        ({"unit": "u" * 41}, "unit"),
        ({"notes": "a\x00b"}, "notes"),
        ({"amount": "1\x00"}, "amount"),
    ],
)
def test_api_fields_of_the_wrong_type_or_length_get_a_422_naming_them(
    app: Flask, api_client: FlaskClient, session: Session, change: dict[str, object], field: str
) -> None:
    before = written(session)
    created = api_client.post("/api/pledges", json={**new_pledge_body(session), **change})
    assert created.status_code == 422, created.get_json()
    assert created.get_json()["field"] == field
    pledge = add_pledge(session)
    before = written(session)
    url = f"/api/pledges/{pledge.id}"
    edited = api_client.patch(url, json={"version": pledge.version, **change})
    assert edited.status_code == 422 and edited.get_json()["field"] == field
    assert written(session) == before


def test_api_booleans_are_stored_as_sent(api_client: FlaskClient, session: Session) -> None:
    body = {**new_pledge_body(session), "is_correction": False, "reviewed": True}
    created = api_client.post("/api/pledges", json=body)
    assert created.status_code == 201
    pledge = session.get(Pledge, created.get_json()["id"])
    assert pledge is not None and pledge.is_correction is False and pledge.reviewed is True


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
FIELD_NAMES = st.sampled_from(
    ["donor_id", "recipient_id", "item_id", "amount", "currency", "quantity", "notes", "unit",
     "is_correction", "reviewed", "announced", "kind", "stage", "qualifier", "version", "x"]
)  # fmt: skip


@given(limit=st.integers(0, 10**12), number=st.integers(0, 10**13))
def test_the_path_id_pattern_matches_exactly_the_numbers_up_to_its_limit(
    limit: int, number: int
) -> None:
    pattern = re.compile(digits_up_to(limit))
    for written in (str(number), str(limit), str(limit + 1)):
        assert bool(pattern.fullmatch(written)) == (int(written) <= limit), (limit, written)


@pytest.mark.parametrize("number", ["2147483648", "9999999999", "99999999999", "1" * 30])
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/pledges/{}"), ("patch", "/api/pledges/{}"), ("post", "/pledges/{}/edit"),
     ("post", "/pledges/{}/stage"), ("get", "/pledges/{}"), ("post", "/reports/{}/split")],
)  # fmt: skip
def test_an_id_no_database_integer_holds_names_no_page_whatever_the_method(
    api_client: FlaskClient, method: str, path: str, number: str
) -> None:
    response = getattr(api_client, method)(path.format(number), json={"version": 1})
    assert response.status_code == 404, response.get_data(as_text=True)
    assert api_client.get(path.format(2147483647)).status_code in (404, 405)


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("opening", ["[", '{"notes":'])
def test_a_json_body_nested_too_deeply_gets_a_400(
    api_client: FlaskClient, session: Session, opening: str, depth: int
) -> None:
    closing = "]" if opening == "[" else "}"
    body = opening * depth + "1" + closing * depth
    pledge = add_pledge(session)
    before = written(session)
    for method, url in (("post", "/api/pledges"), ("patch", f"/api/pledges/{pledge.id}")):
        response = getattr(api_client, method)(url, data=body, content_type="application/json")
        assert response.status_code == 400, response.get_data(as_text=True)
        assert "nested too deeply" in response.get_json()["error"]
    assert written(session) == before


@HYPOTHESIS
@given(body=st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=6) | JSON_VALUES)
def test_random_json_bodies_get_2xx_or_4xx_and_4xx_writes_nothing(
    api_client: FlaskClient, session: Session, body: object
) -> None:
    before = written(session)
    response = api_client.post(
        "/api/pledges", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (201, 400, 404, 409, 422), response.get_data(as_text=True)
    if response.status_code >= 400:
        assert written(session) == before
        assert response.get_json()["error"]


@HYPOTHESIS
@given(
    page=st.sampled_from(PAGES),
    params=st.lists(
        st.tuples(
            st.sampled_from(["donor", "group", "kind", "stage", "from", "to", "q", "page",
                             "per_page", "by", "recipient", "item", "since", "until",
                             "entity_id", "sort", "reviewed"]),
            st.text(max_size=12) | st.from_regex(r"\A[0-9]{1,25}\Z") | st.dates().map(str),
        ),
        max_size=4,
    ),
)  # fmt: skip
def test_random_query_strings_never_give_a_5xx(
    client: FlaskClient, session: Session, page: str, params: list[tuple[str, str]]
) -> None:
    before = written(session)
    query = "&".join(f"{quote(name)}={quote(value)}" for name, value in params)
    response = client.get(f"{page}?{query}")
    assert response.status_code in (200, 400, 404), (page, query)
    assert written(session) == before


def test_notes_at_their_limit_keep_the_audit_page_loadable(
    api_client: FlaskClient, session: Session
) -> None:
    body = {**new_pledge_body(session), "notes": "n" * 5_000}
    assert api_client.post("/api/pledges", json=body).status_code == 201
    body["notes"] = "n" * 5_001
    refused = api_client.post("/api/pledges", json=body)
    assert refused.status_code == 422 and refused.get_json()["field"] == "notes"
    sign_in(api_client, make_user(session, "admin"))
    audit = api_client.get("/audit")
    assert audit.status_code == 200 and len(audit.data) < 200_000


@HYPOTHESIS
@given(
    field=st.sampled_from(["donor_id", "recipient_id", "item_id", "package_id", "source_id",
                           "evidence_id"]),
    value=st.integers(min_value=2**31, max_value=2**80) | st.integers(max_value=-1),
)  # fmt: skip
def test_api_ids_no_database_integer_holds_get_a_422_naming_them(
    api_client: FlaskClient, session: Session, field: str, value: int
) -> None:
    """An id past what a database integer holds (2**63 overflowed SQLite's driver: a 500)
    or below 1 names no row: a 422 naming the field, nothing written."""
    before = written(session)
    created = api_client.post("/api/pledges", json={**new_pledge_body(session), field: value})
    assert created.status_code == 422, created.get_data(as_text=True)
    assert created.get_json()["field"] == field
    assert written(session) == before
