"""The dashboard cache: keyed by query and data version, invalidated by every write, user-safe."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.accounts import make_user, signed_in_client
from tests.factories import donor_named
from tests.views.helpers import add_pledge
from tracker.exports import export_pledges
from tracker.importers.table import import_table
from tracker.services.data_version import read_data_version
from tracker.services.pledges import delete_pledge, update_pledge
from tracker.services.totals import rebuild_totals
from tracker.views.dashboard_cache import EXTENSION, VersionedCache

GRAND = re.compile(r'id="grand-total">\s*<span class="value">([^<]*)</span>')


def grand_total(client, url: str = "/") -> str:  # type: ignore[no-untyped-def]
    """The headline total the dashboard at `url` shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    match = GRAND.search(response.get_data(as_text=True))
    assert match, "no grand total on the page"
    return match.group(1)


def cached_entries(app) -> int:  # type: ignore[no-untyped-def]
    """How many content fragments the app's cache holds."""
    return len(app.extensions[EXTENSION].fragments)


def test_a_pledge_create_update_and_delete_show_at_once(client, app, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    assert grand_total(client) == "€1.0bn"
    assert grand_total(client) == "€1.0bn" and cached_entries(app) == 1
    add_pledge(session, "France", "aid", amount="2000000000", currency="EUR")
    assert grand_total(client) == "€3.0bn"
    update_pledge(session, pledge.id, {"amount": "4000000000"}, expected_version=pledge.version)
    session.commit()
    assert grand_total(client) == "€6.0bn"
    delete_pledge(session, pledge.id, expected_version=pledge.version)
    session.commit()
    assert grand_total(client) == "€2.0bn"


def test_a_table_import_shows_at_once(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    assert grand_total(client) == "€1.0bn"
    frame = pd.read_csv(io.BytesIO(b"".join(export_pledges(session, None, "csv"))), dtype=str,
                        keep_default_na=False)  # fmt: skip
    frame.loc[0, "id"] = ""
    frame.loc[0, "version"] = ""
    frame.loc[0, "amount"] = "500000000.00"
    import_table(session, frame.to_csv(index=False).encode(), "more.csv")
    session.commit()
    assert grand_total(client) == "€1.5bn"


def test_different_filters_never_share_an_entry(client, app, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    add_pledge(session, "Germany", "military aid", amount="3000000000", currency="EUR")
    assert grand_total(client, "/?kind=financial") == "€1.0bn"
    assert grand_total(client, "/?kind=military") == "€3.0bn"
    assert grand_total(client, "/?kind=financial&cur=USD").startswith("US$")
    assert grand_total(client, "/") == "€4.0bn"
    assert cached_entries(app) == 4
    assert grand_total(client, "/?kind=financial") == "€1.0bn"
    assert grand_total(client, "/?kind=military") == "€3.0bn"


def test_etag_answers_304_until_the_data_changes(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    first = client.get("/")
    etag = first.headers["ETag"]
    assert "private" in first.headers["Cache-Control"]
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()
    assert client.get("/?kind=military", headers={"If-None-Match": etag}).status_code == 200
    add_pledge(session, "France", "aid", amount="1000000000", currency="EUR")
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_etag_differs_between_accounts(app) -> None:  # type: ignore[no-untyped-def]
    tags = []
    for user_id in ("1", "2"):
        client = app.test_client()
        with client.session_transaction() as browser:
            browser["_user_id"] = user_id
        tags.append(client.get("/").headers["ETag"])
    assert tags[0] != tags[1]


def test_each_account_sees_its_own_header_and_token_around_the_cached_content(  # type: ignore[no-untyped-def]
    app, session: Session
) -> None:
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    alice, bob = make_user(session, "analyst", "alice"), make_user(session, "viewer", "bob")
    pages = [signed_in_client(app, user).get("/").get_data(as_text=True) for user in (alice, bob)]
    assert cached_entries(app) == 1
    assert "<strong>alice</strong>" in pages[0] and "alice" not in pages[1]
    assert "<strong>bob</strong>" in pages[1] and "bob" not in pages[0]
    tokens = [re.findall(r'name="csrf_token" value="([^"]+)"', page) for page in pages]
    assert tokens[0] and tokens[1] and set(tokens[0]).isdisjoint(tokens[1])


def test_the_shell_is_rendered_for_each_request(client, app, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    etag = client.get("/").headers["ETag"]
    with client.session_transaction() as browser:
        browser["_flashes"] = [("message", "Pledge saved.")]
    page = client.get("/", headers={"If-None-Match": etag})
    assert page.status_code == 200 and "Pledge saved." in page.get_data(as_text=True)
    assert cached_entries(app) == 1
    assert "Pledge saved." not in client.get("/").get_data(as_text=True)


def test_every_dashboard_visible_write_bumps_the_version(session: Session) -> None:
    versions = [read_data_version(session)]
    pledge = add_pledge(session, "Germany", "aid", amount="1000000", currency="EUR")
    versions.append(read_data_version(session))
    update_pledge(session, pledge.id, {"amount": "2000000"}, expected_version=pledge.version)
    versions.append(read_data_version(session))
    donor_named(session, "France").name = "French Republic"
    session.flush()
    versions.append(read_data_version(session))
    rebuild_totals(session)
    versions.append(read_data_version(session))
    assert versions == sorted(set(versions)), versions


def test_reading_the_version_is_one_query(session: Session) -> None:
    statements: list[str] = []
    connection = session.connection()
    event.listen(connection, "before_cursor_execute", lambda *a: statements.append(a[2]))
    read_data_version(session)
    assert len(statements) == 1 and "WHERE data_version.id" in statements[0]


def test_versioned_cache_is_bounded_and_drops_older_versions() -> None:
    cache: VersionedCache[str] = VersionedCache(2)
    for key in ("a", "b", "c"):
        cache.put(key, 1, key)
    assert cache.get("a", 1) is None and cache.get("b", 1) == "b" and len(cache) == 2
    cache.put("d", 1, "d")  # "c" is now the least recently used
    assert cache.get("c", 1) is None and cache.get("b", 1) == "b"
    assert cache.get("b", 2) is None and len(cache) == 0
    cache.put("e", 1, "stale")
    assert cache.get("e", 1) is None and cache.get("e", 2) is None


@pytest.mark.parametrize(
    "changes", [{}, {"kind": "financial"}, {"stage": "delivered"}, {"reviewed": True}]
)
def test_one_rollup_read_equals_the_per_grouping_totals(session: Session, changes) -> None:  # type: ignore[no-untyped-def]
    from tracker.services.dashboard_totals import (
        _from_one_read,
        _per_grouping,
        load_reference_names,
    )
    from tracker.services.totals import TotalsFilter

    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    add_pledge(session, "Germany", "military aid", amount="300000000", currency="GBP",
               qualifier="about", stage="delivered")  # fmt: skip
    add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000",
               qualifier="at_least", reviewed=False)  # fmt: skip
    add_pledge(session, "France", "aid", amount="5000000", currency="UAH", announced=None)
    filters = replace(TotalsFilter(), **changes)
    names = load_reference_names(session)
    assert _from_one_read(session, filters, names, 10) == _per_grouping(session, filters, names, 10)
    shown = {"donor": 1, "item": 1, "stages_by_donor": 1}
    limited = _from_one_read(session, filters, names, 10, shown, 1)
    assert limited == _per_grouping(session, filters, names, 10, shown, 1)
    full = _from_one_read(session, filters, names, 10)
    assert all(limited.tables[by] == full.tables[by][:1] for by in shown if by in full.tables)
    assert limited.table_sizes == {**full.table_sizes}
