"""Sources with highlighted evidence, the article import form, the review queue, donors, items."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import donor_named
from tests.views.helpers import SENTENCE, add_article_with_evidence, add_pledge, csrf_token
from tracker.models import Pledge, Source
from tracker.services.pledges import update_pledge
from tracker.views.highlight import Span, highlight


def test_highlight_escapes_the_text_and_marks_each_span() -> None:
    text = "a <b>bold</b> & claim. Next <i>one</i>."
    html = str(highlight(text, [Span(7, 2, 13), Span(8, 23, 40)], {7: [(3, "/pledges/3")]}))
    assert html.startswith('a <mark id="evidence-7">&lt;b&gt;bold&lt;/b&gt;')
    assert '<a href="/pledges/3">pledge 3</a>' in html
    assert '<mark id="evidence-8">Next &lt;i&gt;one&lt;/i&gt;.</mark>' in html
    assert "&amp; claim." in html and "<b>" not in html and "<i>" not in html


def test_highlight_clips_overlaps_and_out_of_range_spans() -> None:
    html = str(highlight("abcdefghij", [Span(1, 0, 5), Span(2, 3, 8), Span(3, 9, 99)], {}))
    assert html == ('<mark id="evidence-1">abcde</mark><mark id="evidence-2">fgh</mark>'
                    'i<mark id="evidence-3">j</mark>')  # fmt: skip


@settings(max_examples=15,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    st.sampled_from(
        [
            "javascript:alert(1)",
            "JavaScript://x/%0aalert(1)",
            "data:text/html,<b>",
            "www.reuters.com/world/a",
            "notaurl",
            "https://example.org/a?b=1&c=<d>",
        ]
    ),  # fmt: skip
)
def test_a_source_url_is_a_link_only_when_it_is_a_web_address(  # type: ignore[no-untyped-def]
    client, session: Session, url: str
) -> None:
    """A URL recorded from a file's meta.json or the command line, whatever it holds, is
    linked from the source and pledge pages only when it is http(s); else it is text."""
    source, pledge = add_article_with_evidence(session)
    source.url = url
    session.commit()
    web = url.startswith("https://")
    for page_url in (f"/sources/{source.id}", f"/pledges/{pledge.id}"):
        page = client.get(page_url).get_data(as_text=True)
        escaped = url.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert (f'<a href="{escaped}" rel="noopener noreferrer">{escaped}</a>' in page) is web
        assert escaped in page
        assert 'href="javascript' not in page.lower() and 'href="data:' not in page


def test_source_page_highlights_evidence_and_escapes_the_article(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    source, pledge = add_article_with_evidence(session)
    page = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert f'<mark id="evidence-{pledge.evidence_id}">{SENTENCE}' in page
    assert f'<a href="/pledges/{pledge.id}">pledge {pledge.id}</a>' in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page and "<script>" not in page
    assert "Germany &amp; France" in page
    listing = client.get("/sources").get_data(as_text=True)
    assert "Allies pledge missiles" in listing and "Test Gazette" in listing


def test_missing_source_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/sources/999999").status_code == 404


def test_article_import_form_needs_text_and_date(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/sources/new").get_data(as_text=True)
    for label in ("Article text", "Source URL", "Title", "Publisher", "Published"):
        assert f">{label}</label>" in page
    token = csrf_token(client, "/sources/new")
    response = client.post("/sources/new", data={"csrf_token": token, "text": "", "published": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Paste the article text or choose a file." in page
    assert "Enter the publication date." in page


@pytest.mark.parametrize("day", ["2025-02-30", "2025-13-01", "10/07/2025", "yesterday"])
def test_a_publication_day_that_is_no_date_is_named_so(client, day: str) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/sources/new")
    data = {"csrf_token": token, "text": "Germany pledged aid.", "published": day}
    response = client.post("/sources/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not a valid date value." in page and "Enter the publication date." not in page


def test_article_import_without_csrf_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/sources/new", data={"text": "x", "published": "2025-07-10"})
    assert response.status_code == 400


def test_review_queue_accepts(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    _, pledge = add_article_with_evidence(session)
    page = client.get("/review").get_data(as_text=True)
    assert f'id="pledge-{pledge.id}"' in page and SENTENCE in page
    token = csrf_token(client, "/review")
    response = client.post(
        f"/review/{pledge.id}/accept", data={"csrf_token": token, "version": "1"}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Pledge, pledge.id).reviewed  # type: ignore[union-attr]
    assert "Nothing to review." in client.get("/review").get_data(as_text=True)


def test_review_queue_rejects(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    _, pledge = add_article_with_evidence(session)
    token = csrf_token(client, "/review")
    response = client.post(
        f"/review/{pledge.id}/reject", data={"csrf_token": token, "version": "1"}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Pledge, pledge.id).deleted_at is not None  # type: ignore[union-attr]


def test_review_refuses_missing_token_version_and_stale_version(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    _, pledge = add_article_with_evidence(session)
    assert client.post(f"/review/{pledge.id}/accept", data={"version": "1"}).status_code == 400
    token = csrf_token(client, "/review")
    no_version = client.post(f"/review/{pledge.id}/accept", data={"csrf_token": token})
    assert no_version.status_code == 400
    update_pledge(session, pledge.id, {"notes": "changed"}, expected_version=1)
    session.commit()
    stale = client.post(f"/review/{pledge.id}/accept", data={"csrf_token": token, "version": "1"})
    assert stale.status_code == 409
    assert (
        client.post("/review/999999/accept", data={"csrf_token": token, "version": "1"}).status_code
        == 404
    )
    session.expire_all()
    assert not session.get(Pledge, pledge.id).reviewed  # type: ignore[union-attr]


def test_donor_pages_show_aliases_groups_totals_and_pledges(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "United Kingdom", "aid", amount="283000000", currency="GBP")
    uk = donor_named(session, "United Kingdom")
    listing = client.get("/donors?q=united").get_data(as_text=True)
    assert f'href="/donors/{uk.id}"' in listing and "Norway" not in listing
    page = client.get(f"/donors/{uk.id}").get_data(as_text=True)
    aliases = page.split('id="aliases"')[1].split("</dd>")[0]
    assert "Britain" in aliases and "UK" in aliases
    assert "G7" in page.split('id="groups"')[1].split("</dd>")[0]
    assert 'id="donor-pledges"' in page and "€" in page.split('id="grand-total"')[1]
    g7 = donor_named(session, "G7")
    group_page = client.get(f"/donors/{g7.id}").get_data(as_text=True)
    assert "United Kingdom" in group_page.split('id="members"')[1].split("</dd>")[0]
    assert "1 pledge" in group_page
    assert client.get("/donors/999999").status_code == 404


def test_items_page_lists_the_catalogue_by_category(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/items").get_data(as_text=True)
    assert (
        "air defence" in page and "air defence missiles" in page and "(counted in missiles)" in page
    )
    assert "budget support" in page and "(money)" in page


def test_error_pages_have_no_traceback(app, client) -> None:  # type: ignore[no-untyped-def]
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert (
        "Something went wrong" in page and "secret detail" not in page and "Traceback" not in page
    )
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "Not found" in missing.get_data(as_text=True)
    assert client.post("/pledges").status_code == 405


ARTICLE = (
    "KYIV, July 10 - On Thursday, Norway said it would donate 20 air defence missiles to "
    "Ukraine. Russia launched 40 drones overnight, officials said."
)


def import_form(client, **fields: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The article import form's fields with a fresh CSRF token."""
    data: dict[str, object] = {
        "csrf_token": csrf_token(client, "/sources/new"),
        "title": "Norway sends missiles",
        "publisher": "Test Wire",
        "url": "https://news.example/norway-missiles",
        "published": "2025-07-10",
    }
    data.update(fields)
    return data


def test_pasted_article_lands_in_the_review_queue(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/sources/new", data=import_form(client, text=ARTICLE))
    assert response.status_code == 302
    source = session.scalars(select(Source).where(Source.title == "Norway sends missiles")).one()
    assert response.headers["Location"].endswith(f"/sources/{source.id}")
    pledges = session.scalars(select(Pledge).where(Pledge.source_id == source.id)).all()
    assert [(p.donor.name, p.quantity, p.reviewed) for p in pledges] == [
        ("Norway", Decimal("20"), False)
    ]
    queue = client.get("/review").get_data(as_text=True)
    assert "Norway" in queue and "air defence missiles" in queue

    again = client.post("/sources/new", data=import_form(client, text=ARTICLE))
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/sources/{source.id}")
    assert session.scalar(select(func.count()).select_from(Pledge).where(
        Pledge.source_id == source.id)) == 1  # fmt: skip
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "imported before" in page


def test_uploaded_html_article_is_stripped_and_imported(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    html = f"<html><body><p>{ARTICLE}</p><script>alert(1)</script></body></html>"
    upload = (io.BytesIO(html.encode("utf-8")), "norway.html")
    response = client.post(
        "/sources/new",
        data=import_form(client, file=upload),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    source = session.scalars(select(Source).where(Source.title == "Norway sends missiles")).one()
    assert source.text is not None and "<p>" not in source.text and "alert" not in source.text
    assert source.file_name == "norway.html"


def test_binary_upload_is_refused_and_nothing_is_stored(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    before = session.scalar(select(func.count()).select_from(Source))
    upload = (io.BytesIO(b"\x00\x01\x02PNG\x00" * 200), "photo.png")
    response = client.post(
        "/sources/new", data=import_form(client, file=upload), content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "could not be imported" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Source)) == before


def test_article_import_with_an_empty_catalogue_says_what_to_do(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """With no catalogue items (reference data never loaded), the form says so and writes
    nothing; it is not a server error."""
    from sqlalchemy import delete

    from tracker.models import Item, ItemAlias

    session.execute(delete(ItemAlias))
    session.execute(delete(Item))
    session.commit()
    sources_before = session.scalar(select(func.count()).select_from(Source))
    response = client.post("/sources/new", data=import_form(client, text=ARTICLE))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The article could not be imported: the catalogue has no item" in page
    assert "run `tracker seed`" in page
    assert session.scalar(select(func.count()).select_from(Source)) == sources_before
    assert session.scalar(select(func.count()).select_from(Pledge)) == 0


@given(days_ahead=st.integers(min_value=367, max_value=(date.max - date.today()).days))
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_article_published_more_than_a_year_ahead_is_refused_on_the_form(
    client, session: Session, days_ahead: int
) -> None:  # type: ignore[no-untyped-def]
    """A mistyped year ("9999-12-31") is a message on the form, as it is on the pledge form,
    not a 500 from matching its pledges a few weeks around that day; nothing is stored."""
    published = date.today() + timedelta(days=days_ahead)
    sources = session.scalar(select(func.count(Source.id)))
    token = csrf_token(client, "/sources/new")
    response = client.post(
        "/sources/new",
        data={"csrf_token": token, "text": "Norway will give €5 million to Ukraine.",
              "published": published.isoformat()},
    )  # fmt: skip
    assert response.status_code == 422
    assert "more than a year ahead" in response.get_data(as_text=True)
    assert session.scalar(select(func.count(Source.id))) == sources


def test_an_article_with_a_figure_no_pledge_holds_is_a_422_naming_it(  # type: ignore[no-untyped-def]
    client, session: Session
) -> None:
    sources = session.scalar(select(func.count(Source.id)))
    text = "Norway will give 99999999999999999999 euros to Ukraine."
    response = client.post("/sources/new", data=import_form(client, text=text))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "is too large" in page and "Norway will give 9999" in page
    assert session.scalar(select(func.count(Source.id))) == sources


@given(text=st.text(alphabet=st.characters(categories=["P", "S", "Zs", "Cf"]), min_size=1))
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_pasted_text_without_a_word_is_refused_on_the_form(
    client, session: Session, text: str
) -> None:  # type: ignore[no-untyped-def]
    if "\x00" in text or not text.strip():
        return  # a NUL is the request guard's; blank text has its own message
    sources = session.scalar(select(func.count(Source.id)))
    token = csrf_token(client, "/sources/new")
    response = client.post(
        "/sources/new", data={"csrf_token": token, "text": text, "published": "2025-07-10"}
    )
    assert response.status_code == 422
    assert "The text holds no letter or digit" in response.get_data(as_text=True)
    assert session.scalar(select(func.count(Source.id))) == sources
