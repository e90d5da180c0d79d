"""Every route of the app's URL map, with generated query strings and form or JSON bodies,
as an admin (who may do everything): no answer is a 5xx, and a write that is refused (4xx)
leaves every table as it was (both databases).

Paths name real rows (the seed article's pledges, reports and source, a review decision)
or ids that name nothing; field names come from the app's forms and filters, values from
edge cases that previous faults came from (blank, zero, negative, huge, far dates, other
scripts' digits, formulas, open redirects).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import REPO_ROOT
from tests.accounts import make_user, sign_in
from tracker.db import Base
from tracker.importers.article import import_article, read_article
from tracker.models import Pledge
from tracker.services.review import decide

SEED = REPO_ROOT / "seeds" / "aljazeera-2025-07-10-rome-conference" / "article.txt"
TABLES = ("pledge", "report", "package", "donor", "donor_alias", "item", "user", "request",
          "review_decision", "totals_rollup", "source", "evidence")  # fmt: skip
FIELDS = (
    "donor", "recipient", "item", "kind", "stage", "quantity", "unit", "amount", "currency",
    "qualifier", "qualifier_text", "announced", "announced_precision", "notes", "item_text",
    "version", "expected_version", "reason", "decision", "action", "target", "pledge",
    "package", "token", "dry_run", "reviewed", "zero_confirmed", "repeat_confirmed",
    "plural_confirmed", "name", "category", "aliases", "members", "iso_code", "username",
    "password", "role", "active", "reported_on", "repeats", "confirm", "text", "title",
    "publisher", "published", "url", "from", "to", "q", "by", "sort", "dir", "after",
    "per_page", "page", "since", "until", "entity", "entity_id", "excel", "next", "group",
    "source",
)  # fmt: skip
VALUES = st.one_of(
    st.sampled_from([
        "", " ", "0", "1", "2", "-1", "1.5", "1e9", "9" * 20, "2147483648", "2025-07-10",
        "2025-02-30", "1899-12-31", "2199-12-31", "3000-01-01", "EUR", "XXX", "exact",
        "unknown", "at_least", "delivered", "cancelled", "military", "true", "y", "UK",
        "Germany", "aid", "air defence missiles", "١٢٣", "²", "=1+1", "//evil.example",
        "https://evil.example/", "accept", "reject", "admin", "x" * 5001,
    ]),
    st.text(max_size=12),
)  # fmt: skip
HYPOTHESIS = settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fingerprint(session: Session) -> dict[str, str]:
    """A digest of each table, to tell that a refused request changed nothing."""
    digests = {}
    for table in TABLES:
        rows = session.execute(select(Base.metadata.tables[table])).all()
        digests[table] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    return digests


@pytest.fixture
def world(form_app: Flask, session: Session) -> tuple[FlaskClient, Session]:
    """The seed article imported, one of its pledges accepted, and an admin's client (the
    forms without CSRF tokens, so the fields themselves are what is tried)."""
    import_article(session, *read_article(SEED))
    first = session.scalars(select(Pledge.id).order_by(Pledge.id).limit(1)).one()
    decide(session, [first], accept=True)  # ids go on from earlier tests on PostgreSQL
    session.commit()
    client = form_app.test_client()
    sign_in(client, make_user(session, "admin"))
    return client, session


def routes(app: Flask) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, rule, path arguments) of every route but the static files and signing out."""
    return sorted(
        (method, rule.rule, tuple(rule.arguments))
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in ("static", "auth.logout")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    )


def path_of(rule: str, ids: list[int]) -> str:
    """The rule with each argument filled: a format name, else one of `ids`."""
    path = re.sub(r"<fmt>", "csv", rule)
    for n, argument in enumerate(re.findall(r"<[^>]+>", path)):
        path = path.replace(argument, str(ids[n % len(ids)]), 1)
    return path


def test_every_route_answers_generated_input_below_500_and_a_refusal_changes_nothing(
    world: tuple[FlaskClient, Session],
) -> None:
    client, session = world
    every_route = routes(client.application)

    @HYPOTHESIS
    @given(
        route=st.sampled_from(every_route),
        ids=st.lists(st.sampled_from([1, 2, 3, 4, 99999]), min_size=2, max_size=2),
        fields=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=5),
        as_json=st.booleans(),
    )
    def check(
        route: tuple[str, str, tuple[str, ...]], ids: list[int], fields: dict[str, Any],
        as_json: bool,
    ) -> None:  # fmt: skip
        method, rule, _ = route
        path = path_of(rule, ids)
        before = fingerprint(session)
        if method == "GET":
            response = client.get(path, query_string=fields)
        elif as_json or path.startswith("/api/"):
            response = client.open(path, method=method, json=fields)
        else:
            response = client.open(path, method=method, data=fields)
        response.get_data()  # a streamed export ends inside its request
        assert response.status_code < 500, (method, path, fields, response.status_code)
        location = response.headers.get("Location", "")
        assert "evil.example" not in location, (method, path, fields, location)
        if method == "GET" or response.status_code >= 400:
            session.expire_all()
            assert fingerprint(session) == before, (method, path, fields, response.status_code)
        sign_in(client, make_user(session, "admin"))  # a write may have ended the session

    check()
