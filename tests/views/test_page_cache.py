"""Whole pages kept for visitors nobody signed in as (`page_for_anyone`): the dashboard and the
pledge list answer such a visitor from one kept page per path and query, which every write,
catalogue rename included, replaces, and which a signed-in account or a waiting message
never sees."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.accounts import make_user, signed_in_client
from tests.factories import donor_named, item_named, recipient
from tests.views.helpers import add_pledge
from tracker import create_app
from tracker.models import Donor
from tracker.services.data_version import read_versions
from tracker.views.dashboard_cache import EXTENSION
from tracker.views.pledges import LIST_CACHE

PAGES = ("/", "/pledges")
QUERIES = ("", "?kind=financial", "?cur=USD&kind=financial", "?kind=financial&cur=USD",
           "?stage=delivered", "?sort=eur&dir=asc")  # fmt: skip


def kept_pages(app) -> int:  # type: ignore[no-untyped-def]
    """How many whole pages the dashboard and the pledge list keep."""
    return len(app.extensions[EXTENSION].pages) + len(app.extensions[LIST_CACHE][1])


def uncached_app(session_factory: sessionmaker[Session]):  # type: ignore[no-untyped-def]
    """The same app with nothing kept: every page drawn afresh."""
    return create_app({"TESTING": True, "SECRET_KEY": "test", "SESSION_FACTORY": session_factory,
                       "DASHBOARD_CACHE_SIZE": 0, "PLEDGE_LIST_CACHE_SIZE": 0})  # fmt: skip


def test_a_kept_page_is_served_again_and_replaced_by_a_write(
    app, anonymous_client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    first = {path: anonymous_client.get(path).get_data() for path in PAGES}
    assert kept_pages(app) == 2
    assert {path: anonymous_client.get(path).get_data() for path in PAGES} == first
    add_pledge(session, "France", "aid", amount="2000000000", currency="EUR")
    dashboard = anonymous_client.get("/").get_data(as_text=True)
    assert "€3.0bn" in dashboard and "France" in dashboard
    assert "France" in anonymous_client.get("/pledges").get_data(as_text=True)


def test_a_catalogue_rename_replaces_the_kept_pages(
    app, anonymous_client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "military aid", amount="1000000000", currency="EUR")
    for path in PAGES:
        assert "Germany" in anonymous_client.get(path).get_data(as_text=True)
    donor_named(session, "Germany").name = "Federal Republic of Germany"
    item_named(session, "military aid").name = "arms"
    session.commit()
    for path in PAGES:
        page = anonymous_client.get(path).get_data(as_text=True)
        assert "Federal Republic of Germany" in page and ">arms<" in page, path


def test_each_path_and_query_as_sent_has_its_own_page(
    app, anonymous_client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    pages = [anonymous_client.get(f"/{query}").get_data(as_text=True) for query in QUERIES[1:4]]
    assert kept_pages(app) == 3  # the same filters in two orders: one fragment, two pages
    assert "next=/?cur%3DUSD%26kind%3Dfinancial" in pages[1]
    assert "next=/?kind%3Dfinancial%26cur%3DUSD" in pages[2]


def test_signed_in_accounts_and_waiting_messages_get_their_own_shell(
    app, anonymous_client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    alice = make_user(session, "analyst", "alice")
    for path in PAGES:
        assert "alice" not in anonymous_client.get(path).get_data(as_text=True)
    kept = kept_pages(app)
    for path in PAGES:
        assert "<strong>alice</strong>" in signed_in_client(app, alice).get(path).get_data(
            as_text=True)  # fmt: skip
    with anonymous_client.session_transaction() as browser:
        browser["_flashes"] = [("message", "Pledge saved.")]
    assert "Pledge saved." in anonymous_client.get("/").get_data(as_text=True)
    assert "Pledge saved." not in anonymous_client.get("/").get_data(as_text=True)
    assert kept_pages(app) == kept


def test_a_refused_filter_and_a_cache_size_of_nought_keep_nothing(
    app, anonymous_client, session_factory: sessionmaker[Session]
) -> None:  # type: ignore[no-untyped-def]
    for path in PAGES:
        assert anonymous_client.get(f"{path}?kind=nonsense").status_code == 400
    assert kept_pages(app) == 0
    bare = uncached_app(session_factory)
    for path in PAGES:
        assert bare.test_client().get(path).status_code == 200
    assert kept_pages(bare) == 0


steps = st.lists(
    st.one_of(
        st.tuples(st.just("pledge"), st.integers(0, 2), st.integers(1, 5_000)),
        st.tuples(st.just("rename"), st.integers(0, 2), st.integers(0, 9)),
        st.tuples(st.just("get"), st.sampled_from(PAGES), st.sampled_from(QUERIES)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_a_kept_page_always_equals_the_page_drawn_afresh(
    session_factory: sessionmaker[Session], steps
) -> None:  # type: ignore[no-untyped-def]
    """Whatever writes and renames come between requests, the kept page is the page an app
    that keeps nothing draws at that moment."""
    kept = create_app({"TESTING": True, "SECRET_KEY": "test", "SESSION_FACTORY": session_factory})
    visitor, checker = kept.test_client(), uncached_app(session_factory).test_client()
    with session_factory() as session:
        donors = list(session.scalars(select(Donor).order_by(Donor.id).limit(3)))
        for action, what, detail in steps:
            if action == "pledge":
                add_pledge(session, donors[what].name, "aid", amount=f"{detail}000000",
                           currency="EUR")  # fmt: skip
            elif action == "rename":
                donors[what].name = f"Donor {donors[what].id} {detail}"
                session.commit()
            else:
                url = f"{what}{detail}"
                assert visitor.get(url).get_data() == checker.get(url).get_data(), url


def test_the_names_are_read_once_per_names_version(app, anonymous_client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """A pledge write leaves the reference names in use (a new data version, the same names
    version); a rename of a donor, an item or a recipient replaces them."""
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    names = app.extensions[EXTENSION].names
    assert "Germany" in anonymous_client.get("/").get_data(as_text=True)
    first = read_versions(session)
    kept = names.get("names", first.names)
    assert kept is not None
    add_pledge(session, "France", "aid", amount="2000000000", currency="EUR")
    after_write = read_versions(session)
    assert after_write.data > first.data and after_write.names == first.names
    assert "France" in anonymous_client.get("/").get_data(as_text=True)
    assert names.get("names", after_write.names) is kept
    for rename in (
        lambda: setattr(donor_named(session, "France"), "name", "French Republic"),
        lambda: setattr(item_named(session, "aid"), "name", "general aid"),
        lambda: setattr(recipient(session), "name", "Ukraine (government)"),
    ):
        rename()
        session.commit()
        assert read_versions(session).names > after_write.names
        after_write = read_versions(session)
        anonymous_client.get("/")
        assert names.get("names", after_write.names) is not kept
        kept = names.get("names", after_write.names)
    page = anonymous_client.get("/").get_data(as_text=True)
    assert "French Republic" in page and "general aid" in page and "Ukraine (government)" in page
