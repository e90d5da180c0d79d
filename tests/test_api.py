"""The JSON API: totals, pledges (paging, get, patch, create), donors, OpenAPI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, make_source, recipient
from tests.test_input_guard import new_pledge_body
from tracker.models import Evidence, Pledge
from tracker.services.duplicates import mark_possible_duplicate
from tracker.services.pledges import PledgeInput, create_pledge, delete_pledge


@pytest.fixture
def pledges(session: Session) -> list[Pledge]:
    """Three euro pledges from Germany and one from France."""
    made = []
    for donor, amount in (("Germany", "100.00"), ("Germany", "50.25"), ("France", "10.00")):
        data = PledgeInput(
            donor_id=donor_named(session, donor).id,
            recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id,
            amount=amount,
            currency="EUR",
            announced=date(2025, 7, 1),
        )
        made.append(create_pledge(session, data))
    session.commit()
    return made


def test_totals_by_donor_with_decimal_strings(client: FlaskClient, pledges: list[Pledge]) -> None:
    body = client.get("/api/totals?by=donor").get_json()
    assert body["by"] == "donor"
    assert body["totals"][0] == {
        "donor": "Germany", "pledges": 2, "quantity": None, "quantity_lower": None,
        "unit": None, "eur": "150.25", "eur_lower": "150.25",
        "usd": body["totals"][0]["usd"], "open_ended": False, "approximate": False,
        "unconverted": 0, "allocated_eur": "0.00", "delivered_eur": "0.00",
        "allocated_quantity": None, "delivered_quantity": None,
    }  # fmt: skip


def test_totals_filters_and_bad_parameters(client: FlaskClient, pledges: list[Pledge]) -> None:
    france = pledges[2].donor_id
    body = client.get(f"/api/totals?by=kind&donor={france}").get_json()
    assert body["totals"][0]["eur"] == "10.00"
    bad = client.get("/api/totals?by=colour")
    assert bad.status_code == 400 and bad.get_json()["field"] == "by"
    assert client.get("/api/totals?from=yesterday").get_json()["field"] == "from"
    assert client.get("/api/totals?donor=999999").status_code == 400


def test_pledges_are_paged_by_keyset_following_next(
    client: FlaskClient, pledges: list[Pledge]
) -> None:
    first = client.get("/api/pledges?per_page=2").get_json()
    assert (first["total"], first["per_page"], first["sort"], first["dir"]) == (3, 2, "id", "asc")
    assert [p["id"] for p in first["pledges"]] == [pledges[0].id, pledges[1].id]
    assert first["next_after"] == pledges[1].id
    second = client.get(first["next"]).get_json()
    assert [p["id"] for p in second["pledges"]] == [pledges[2].id]
    assert (second["next"], second["next_after"], second["after"]) == (None, None, pledges[1].id)
    assert client.get("/api/pledges?per_page=501").status_code == 400


def test_pledges_sorted_both_ways_and_filtered_keep_their_filters_in_next(
    client: FlaskClient, pledges: list[Pledge]
) -> None:
    newest = client.get("/api/pledges?sort=id&dir=desc&per_page=1").get_json()
    assert [p["id"] for p in newest["pledges"]] == [pledges[2].id]
    germany = pledges[0].donor_id
    page = client.get(f"/api/pledges?donor={germany}&sort=eur&dir=desc&per_page=1").get_json()
    assert f"donor={germany}" in page["next"] and "sort=eur" in page["next"]
    rest = client.get(page["next"]).get_json()
    seen = [p["id"] for p in page["pledges"] + rest["pledges"]]
    assert {p["donor"] for p in page["pledges"] + rest["pledges"]} == {"Germany"}
    euros = [Decimal(p["eur"]) for p in page["pledges"] + rest["pledges"]]
    assert euros == sorted(euros, reverse=True) and len(seen) == len(set(seen))


def test_pledges_bad_page_parameters_are_named(client: FlaskClient, pledges: list[Pledge]) -> None:
    for url, field in (("/api/pledges?page=2", "page"), ("/api/pledges?sort=notes", "sort"),
                       ("/api/pledges?dir=up", "dir"), ("/api/pledges?after=x", "after"),
                       ("/api/pledges?after=2147483000", "after")):  # fmt: skip
        refused = client.get(url)
        assert refused.status_code == 400 and refused.get_json()["field"] == field, url


def test_one_pledge_and_404(client: FlaskClient, pledges: list[Pledge]) -> None:
    body = client.get(f"/api/pledges/{pledges[0].id}").get_json()
    assert (body["donor"], body["amount"], body["version"]) == ("Germany", "100.00", 1)
    missing = client.get("/api/pledges/999999")
    assert missing.status_code == 404 and "999999" in missing.get_json()["error"]


def test_patch_updates_and_conflicts(client: FlaskClient, pledges: list[Pledge]) -> None:
    url = f"/api/pledges/{pledges[0].id}"
    changed = client.patch(url, json={"version": 1, "amount": "120.00"})
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["amount"], changed.get_json()["version"]) == ("120.00", 2)
    stale = client.patch(url, json={"version": 1, "amount": "130.00"})
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["current"]["amount"] == "120.00" and body["current"]["version"] == 2
    assert body["yours"] == {"version": 1, "amount": "130.00"}
    assert client.patch(url, json={"amount": "1"}).status_code == 400
    bad = client.patch(url, json={"version": 2, "currency": "XYZ"})
    assert bad.status_code == 422 and bad.get_json()["field"] == "currency"
    assert client.patch("/api/pledges/999999", json={"version": 1}).status_code == 404


def test_a_pledge_out_of_the_totals_is_read_and_patched_with_its_state(
    client: FlaskClient, session: Session, pledges: list[Pledge]
) -> None:
    """A possible duplicate (an import's, awaiting review) and a deleted pledge are read by
    id with `duplicate_of_id` and `deleted_at`; a PATCH of one answers its record (it
    answered 200 with `null`, and a GET 404); `duplicate_of_id` is an id, never its own."""
    first, repeat = pledges[0], pledges[1]
    mark_possible_duplicate(session, repeat.id, first.id)
    delete_pledge(session, pledges[2].id, expected_version=pledges[2].version)
    session.commit()
    url = f"/api/pledges/{repeat.id}"
    read = client.get(url)
    assert read.status_code == 200, read.get_json()
    assert (read.get_json()["duplicate_of_id"], read.get_json()["deleted_at"]) == (first.id, None)
    changed = client.patch(url, json={"version": repeat.version, "notes": "same as the first"})
    assert changed.status_code == 200 and changed.get_json()["notes"] == "same as the first"
    gone = client.get(f"/api/pledges/{pledges[2].id}").get_json()
    assert gone["deleted_at"] is not None and gone["duplicate_of_id"] is None
    live = client.get(f"/api/pledges/{first.id}").get_json()
    assert (live["duplicate_of_id"], live["deleted_at"]) == (None, None)
    version = changed.get_json()["version"]
    for value, words in ((repeat.id, "of itself"), (str(first.id), "whole number")):
        refused = client.patch(url, json={"version": version, "duplicate_of_id": value})
        assert refused.status_code == 422 and refused.get_json()["field"] == "duplicate_of_id"
        assert words in refused.get_json()["error"]
    assert client.get("/api/pledges").get_json()["pledges"][0]["id"] == first.id
    assert len(client.get("/api/pledges").get_json()["pledges"]) == 1  # the counted one


def test_post_creates_a_pledge(client: FlaskClient, session: Session) -> None:
    body = {
        "donor_id": donor_named(session, "Poland").id,
        "recipient_id": recipient(session).id,
        "item_id": item_named(session, "missiles").id,
        "quantity": "40",
        "announced": "2025-07-10",
    }
    created = client.post("/api/pledges", json=body)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["donor"] == "Poland"
    assert created.get_json()["quantity"] == "40"
    refused = client.post("/api/pledges", json={**body, "quantity": None})
    assert refused.status_code == 422
    assert client.post("/api/pledges", data="nope").status_code == 400


def test_a_precision_without_its_day_is_refused_naming_the_field(
    client: FlaskClient, session: Session, pledges: list[Pledge]
) -> None:
    body = new_pledge_body(session)
    refused = client.post("/api/pledges", json={**body, "announced_precision": "month"})
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["field"] == "announced_precision"
    cleared = client.patch(
        f"/api/pledges/{pledges[0].id}",
        json={"version": 1, "announced": None, "announced_precision": "year"},
    )
    assert cleared.status_code == 422 and cleared.get_json()["field"] == "announced_precision"
    undated = client.patch(f"/api/pledges/{pledges[0].id}", json={"version": 1, "announced": None})
    assert undated.status_code == 200, undated.get_json()
    assert (undated.get_json()["announced"], undated.get_json()["announced_precision"]) == (
        None,
        None,
    )
    dated = client.post(
        "/api/pledges",
        json={**body, "announced": "2025-03-01", "announced_precision": "month"},
    )
    assert dated.status_code == 201, dated.get_json()
    assert dated.get_json()["announced_precision"] == "month"


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.dates(date(1900, 1, 1), date(2026, 1, 1)),
    form=st.sampled_from(["%Y%m%d", "%Y-%m-%dT00:00", "%Y-%m", "%Y-W%W-1"]),
)
def test_announced_must_be_written_yyyy_mm_dd(
    client: FlaskClient, session: Session, day: date, form: str
) -> None:
    written = day.strftime(form)
    refused = client.post("/api/pledges", json={**new_pledge_body(session), "announced": written})
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["field"] == "announced"
    assert "YYYY-MM-DD" in refused.get_json()["error"]


def test_evidence_of_another_source_is_refused_naming_the_field(
    client: FlaskClient, session: Session
) -> None:
    ours, theirs = make_source(session, title="ours"), make_source(session, title="theirs")
    sentence = Evidence(source=theirs, start=0, end=9, text="A pledge.")
    session.add(sentence)
    session.commit()
    body = {**new_pledge_body(session), "evidence_id": sentence.id}
    for source in (ours.id, None):
        refused = client.post("/api/pledges", json={**body, "source_id": source})
        assert refused.status_code == 422, refused.get_json()
        assert refused.get_json()["field"] == "evidence_id"
    created = client.post("/api/pledges", json={**body, "source_id": theirs.id})
    assert created.status_code == 201, created.get_json()
    moved = client.patch(
        f"/api/pledges/{created.get_json()['id']}", json={"version": 1, "source_id": ours.id}
    )
    assert moved.status_code == 422 and moved.get_json()["field"] == "evidence_id"


def test_donors(client: FlaskClient) -> None:
    donors = client.get("/api/donors").get_json()["donors"]
    uk = next(d for d in donors if d["name"] == "United Kingdom")
    assert uk["kind"] == "country" and "Britain" in uk["aliases"]


def test_openapi_lists_every_api_route(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    described = {
        (path, method.upper()) for path, item in document["paths"].items() for method in item
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<int:pledge_id>", "{pledge_id}")
            routes |= {(path, m) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    assert routes == described


def test_the_api_takes_the_pledge_fields_the_pledge_rules_declare() -> None:
    """One list of a pledge's input fields, in tracker.services.pledge_rules, imported by
    the JSON API rather than derived a second time."""
    from tracker.services import pledge_rules
    from tracker.views import api_writes

    assert api_writes.INPUT_FIELDS is pledge_rules.INPUT_FIELDS
