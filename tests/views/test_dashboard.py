"""The dashboard: totals, markers, charts, filters in the query string, export links."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import donor_named, make_item
from tests.views.helpers import add_pledge


def page_of(client, url: str) -> str:  # type: ignore[no-untyped-def]
    """GET `url`, expect 200, return the HTML."""
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.get_data(as_text=True))


def test_empty_dashboard_says_so(client) -> None:  # type: ignore[no-untyped-def]
    page = page_of(client, "/")
    assert "No pledges match these filters." in page
    assert "Nothing to chart for these filters." in page


def test_totals_by_donor_kind_category_and_stage(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000",
               qualifier="at_least", qualifier_text="more than")  # fmt: skip
    add_pledge(session, "Germany", "aid", amount="2000000000", currency="EUR")
    add_pledge(session, "Germany", "aid", amount="500000000", currency="EUR", qualifier="about")
    add_pledge(session, "Germany", "military aid", amount="100000000", currency="EUR")
    page = page_of(client, "/")
    for table in ("totals-donor", "totals-kind", "totals-category", "totals-item", "totals-stage"):
        assert f'id="{table}"' in page
    assert "≥ 5,000 missiles" in page
    assert "≈ €2.6bn" in page
    assert "United Kingdom" in page and "air defence" in page
    assert '<svg id="chart-donors"' in page and '<svg id="chart-months"' in page
    germany = donor_named(session, "Germany")
    donors_chart = page.split('<svg id="chart-donors"')[1].split("</svg>")[0]
    assert f'<a href="/pledges?kind=financial&amp;donor={germany.id}"><rect' in donors_chart
    months_chart = page.split('<svg id="chart-months"')[1].split("</svg>")[0]
    assert '<a href="/pledges?from=2025-07-01&amp;to=2025-07-31"><rect' in months_chart
    assert 'class="bar-military"' in page and 'class="bar-financial"' in page
    assert "2025-07" in page


def test_usd_switch_shows_dollars(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    page = page_of(client, "/?cur=USD")
    assert "US$" in page
    assert "pledged in USD" in page


def test_filters_narrow_totals_and_travel_to_the_export_links(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "United Kingdom", "aid", amount="1000000000", currency="EUR")
    add_pledge(session, "France", "aid", amount="3000000000", currency="EUR")
    uk = donor_named(session, "United Kingdom")
    page = page_of(client, "/?donor=Britain&kind=financial&from=2025-01-01&to=2025-12-31")
    assert "€1.0bn" in page and "€3.0bn" not in page
    assert 'value="United Kingdom"' in page
    assert f"from=2025-01-01&amp;to=2025-12-31&amp;donor={uk.id}&amp;kind=financial" in page
    assert 'href="/exports/totals.csv?by=donor&amp;from=2025-01-01' in page
    assert 'href="/exports/pledges.csv?from=2025-01-01' in page


def test_group_filter_totals_members(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    add_pledge(session, "Norway", "aid", amount="7000000000", currency="EUR")
    g7 = donor_named(session, "G7")
    page = page_of(client, f"/?group={g7.id}")
    assert "€1.0bn" in page and "€7.0bn" not in page


def test_reviewed_only_leaves_out_unreviewed_pledges(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    add_pledge(session, "France", "aid", amount="3000000000", currency="EUR", reviewed=False)
    assert "€4.0bn" in page_of(client, "/")
    page = page_of(client, "/?reviewed=1")
    assert "€1.0bn" in page and "€4.0bn" not in page and "reviewed only" in page


def test_pledged_beside_delivered(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR", stage="delivered")
    add_pledge(session, "Germany", "aid", amount="3000000000", currency="EUR")
    page = page_of(client, "/")
    table = page.split('id="pledged-vs-delivered"')[1].split("</table>")[0]
    assert "financial" in table and "€4.0bn" in table and "€1.0bn" in table
    assert 'href="/pledges?kind=financial"' in table  # each row drills down to its pledges
    germany = donor_named(session, "Germany")
    by_donor = page.split('id="pledged-vs-delivered-by-donor"')[1].split("</table>")[0]
    assert f'href="/pledges?donor={germany.id}"' in by_donor
    listed = page_of(client, f"/pledges?donor={germany.id}")
    assert listed.count('href="/pledges/') >= 2


def refused(client, url: str) -> str:  # type: ignore[no-untyped-def]
    """GET `url`, expect 400 (a refused filter), return the HTML."""
    response = client.get(url)
    assert response.status_code == 400, url
    return str(response.get_data(as_text=True))


def test_bad_filter_values_are_reported_not_fatal(client) -> None:  # type: ignore[no-untyped-def]
    page = refused(client, "/?donor=Atlantis&kind=financial")
    assert "no donor is called &#39;Atlantis&#39;" in page
    assert 'aria-invalid="true"' in page and 'id="donor-errors"' in page
    assert "from=&#39;yesterday&#39; is not a date" in refused(client, "/?from=yesterday")
    assert "there is no group with id 999999" in refused(client, "/?group=999999")
    assert "kind=&#39;bribes&#39; is not one of" in refused(client, "/?kind=bribes")


def test_end_before_start_is_reported(client) -> None:  # type: ignore[no-untyped-def]
    page = refused(client, "/?from=2025-12-01&to=2025-01-01")
    assert "to=2025-01-01 is before from=2025-12-01" in page


def test_unconverted_currency_is_counted_apart(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Ukraine", "aid", amount="1000", currency="UAH")
    page = page_of(client, "/")
    assert "1 in UAH" in page


def test_filtered_dashboard_answers_with_item_only_pledges(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """A filter that leaves the rollup (date range, donor, group) must not trip on the
    currency-less rows of item-only pledges when it lists unconverted currencies."""
    add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000")
    add_pledge(session, "United Kingdom", "aid", amount="1000000000", currency="EUR")
    add_pledge(session, "Germany", "aid", amount="5000000", currency="KES")
    g7 = donor_named(session, "G7")
    for url in ("/?from=2025-01-01&to=2025-12-31", "/?donor=United+Kingdom", f"/?group={g7.id}"):
        page = page_of(client, url)
        assert "5,000 missiles" in page, url


def test_the_item_table_shows_its_largest_items(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    items = [make_item(session, name=f"Shown item {n:02d}", unit="pieces") for n in range(30)]
    session.commit()
    for n, item in enumerate(items):
        add_pledge(session, "Norway", item.name, amount=str(1_000_000 * (n + 1)), currency="EUR")
    table = page_of(client, "/").split('id="totals-item"')[1].split("</table>")[0]
    shown = [item.name for item in items if item.name in table]
    assert shown == [item.name for item in items[5:]]  # the 25 largest, by EUR
    assert "Showing the largest 25 of 30 items; the CSV has them all." in page_of(client, "/")
