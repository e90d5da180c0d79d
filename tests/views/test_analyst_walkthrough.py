"""What an analyst meets first on the pages: counts grouped in thousands, links that lead
somewhere, figures with their currency, names where a number would say nothing."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy.orm import Session

from tests.accounts import make_user, signed_in_client
from tests.factories import donor_named, item_named, make_source, recipient
from tests.views.helpers import add_pledge, csrf_token
from tracker.models import Pledge
from tracker.services.rollup import rebuild_totals
from tracker.views.dashboard import ROWS_SHOWN
from tracker.wording import count_of, number

MANY = 1_200


def test_a_count_groups_its_thousands() -> None:
    assert [number(n) for n in (0, 7, 999, 1_000, 5_711, 1_234_567)] == [
        "0", "7", "999", "1,000", "5,711", "1,234,567"
    ]  # fmt: skip
    assert number(None) == ""
    assert [count_of(n, "pledge") for n in (0, 1, 2, 1_200)] == [
        "0 pledges", "1 pledge", "2 pledges", "1,200 pledges"
    ]  # fmt: skip
    assert count_of(1, "entry", "entries") == "1 entry"
    assert count_of(3, "entry", "entries") == "3 entries"


def test_pages_show_a_large_count_with_its_thousands_grouped(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    source = make_source(session, kind="dataset", file_name="many.csv")
    norway, aid = donor_named(session, "Norway"), item_named(session, "aid")
    ukraine = recipient(session)
    session.add_all(
        Pledge(donor_id=norway.id, recipient_id=ukraine.id, item_id=aid.id, kind="financial",
               stage="announced", qualifier="unknown", source_id=source.id,
               source_ref=str(n), announced=date(2025, 7, 10), reviewed=False)
        for n in range(MANY)
    )  # fmt: skip
    rebuild_totals(session)
    session.commit()
    dashboard = client.get("/").text
    assert re.search(r'id="pledge-count">\s*<span class="value">1,200</span>', dashboard)
    assert re.search(r'<a href="/pledges\?donor=\d+">1,200</a>', dashboard)
    assert "1,200 imported pledges not yet reviewed" in client.get("/review").text
    assert '<td class="num">1,200</td>' in client.get("/sources").text
    assert "1,200 pledges" in client.get("/pledges").text
    assert '<td class="num">1,200</td>' in client.get("/donors").text
    assert re.search(r'<span class="label">1,200 pledges', client.get(f"/donors/{norway.id}").text)


def test_pledged_beside_delivered_stays_in_one_currency_under_usd(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """Allocated and delivered are known in euros only: the promised figure beside them is in
    euros too, or "still to deliver" would not be promised less delivered on the row."""
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR", stage="delivered")
    add_pledge(session, "Germany", "aid", amount="3000000000", currency="EUR")
    page = client.get("/?cur=USD").text
    for table_id in ("pledged-vs-delivered", "pledged-vs-delivered-by-donor"):
        table = page.split(f'id="{table_id}"')[1].split("</table>")[0]
        assert "US$" not in table
        assert ">Promised (EUR)</th>" in table
        cells = re.findall(r'<td class="num" data-label="[^"]+">([^<]*)</td>', table)
        assert cells == ["€4.0bn", "—", "€1.0bn", "€3.0bn"]
    assert "US$" in page.split('id="pledged-vs-delivered"')[0]  # the headline follows ?cur


def test_a_total_without_money_has_no_empty_link(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """A row of items alone shows no money, and no link without words in its money cell."""
    add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000")
    add_pledge(session, "Germany", "aid", amount="1000000", currency="EUR")
    assert '<a class="drill" href="/pledges?donor=' in client.get("/").text
    for url in ("/", f"/donors/{donor_named(session, 'United Kingdom').id}"):
        assert not re.search(r"<a [^>]*>\s*</a>", client.get(url).text), url


def test_a_source_without_a_title_is_called_by_its_file(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """An article imported from a file with no headline reads as its file's name on the
    pledge page (its Source and its reports), the sources list and its own page."""
    source = make_source(session, kind="article", file_name="03_us-drawdown.txt",
                         text="The US will give $1m in aid.")  # fmt: skip
    pledge = add_pledge(session, "United States", "aid", amount="1000000", currency="USD",
                        source_id=source.id)  # fmt: skip
    detail = client.get(f"/pledges/{pledge.id}").text
    fields = detail[detail.index("<dt>Source</dt>") :]
    assert fields[: fields.index("</dd>")].endswith(">03_us-drawdown.txt</a>")
    reports = detail[detail.index('id="report-') :]
    assert ">03_us-drawdown.txt</a>" in reports[: reports.index("</li>")]
    assert f'href="/sources/{source.id}">03_us-drawdown.txt</a>' in client.get("/sources").text
    own = client.get(f"/sources/{source.id}").text
    assert "<title>03_us-drawdown.txt · Pledge tracker</title>" in own
    assert "<h1>03_us-drawdown.txt</h1>" in own


def test_an_article_of_one_pledge_says_one_pledge_waits(client) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/sources/new")
    text = "Oslo, 5 March. Norway will provide 40 million euros in humanitarian aid to Ukraine."
    response = client.post(
        "/sources/new",
        data={"csrf_token": token, "text": text, "published": "2025-03-05"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Article imported: 1 pledge waits for review." in response.text


def money_cell(page: str, table: str, key: str) -> str:
    """The Money cell of the row `key` of totals table `table`, tags removed."""
    section = page[page.index(f'id="totals-{table}"') :]
    row = section[section.index(f">{key}<") :]
    cells = re.findall(r'<td class="num">(.*?)</td>', row[: row.index("</tr>")], re.S)
    return re.sub(r"<[^>]+>", "", cells[-1]).strip()


def test_a_pledge_without_a_number_is_not_shown_as_no_money(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """ "More defensive weapons" (an item counted in no unit, no number stated) is not a
    pledge of €0: its rows show no money, beside the seed's "more than 5,000 missiles"."""
    add_pledge(session, "United States", "defensive weapons", qualifier="unknown")
    add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000",
               qualifier="at_least")  # fmt: skip
    add_pledge(session, "United Kingdom", "aid", amount="283000000", currency="GBP",
               qualifier="up_to")  # fmt: skip
    for query in ("", "?kind=military", "?from=2025-01-01"):
        page = client.get(f"/{query}").text
        assert money_cell(page, "donor", "United States") == "", query
        assert money_cell(page, "kind", "military") == "", query
        assert money_cell(page, "category", "other military") == "", query
    us = client.get(f"/donors/{donor_named(session, 'United States').id}").text
    assert "€0" not in us
    assert re.search(r'id="grand-total"><span class="value"><a [^>]*>1 pledge of items</a>', us)


def stage_cells(page: str, stage: str) -> list[str]:
    """The figure, euros and day of one row of a pledge's stage table."""
    row = page[page.index(f'<tr id="stage-{stage}">') :]
    return re.findall(r"<td>(.*?)</td>", row[: row.index("</tr>")], re.S)


def test_the_promised_figure_keeps_its_qualifier(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """ "Up to £283m" and "more than 5,000 missiles" are promised as stated, not as exact
    figures; an allocation recorded later is the figure a report gave."""
    money = add_pledge(session, "United Kingdom", "aid", amount="283000000", currency="GBP",
                       qualifier="up_to")  # fmt: skip
    missiles = add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000",
                          qualifier="at_least")  # fmt: skip
    figure, euros, _ = stage_cells(client.get(f"/pledges/{money.id}").text, "promised")
    assert figure == "up to £283,000,000.00" and euros.startswith("up to €")
    page = client.get(f"/pledges/{missiles.id}").text
    assert stage_cells(page, "promised")[0] == "≥ 5,000 missiles"
    assert stage_cells(page, "allocated")[0] == "—"


def test_audit_log_refuses_a_page_past_its_end_and_backward_dates(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid")
    assert "page 1 of 1." in client.get("/audit").text
    past = client.get("/audit?page=7&action=create")
    assert past.status_code == 404
    assert "There is no page 7 of these changes: they fill 1 page." in past.text
    backwards = client.get("/audit?since=2025-07-10&until=2025-07-01")
    assert backwards.status_code == 400
    assert "until=2025-07-01 is before since=2025-07-10." in backwards.text
    assert client.get("/audit?since=2025-07-01&until=2025-07-01").status_code == 200


def test_the_undated_bar_links_nowhere_not_to_every_pledge(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """No filter selects the pledges without a date: their bar in the month chart has no
    link (it led to every pledge the page counts, dated ones included)."""
    add_pledge(session, "Germany", "aid", amount="2000000", currency="EUR")
    add_pledge(session, "France", "aid", amount="3000000", currency="EUR", announced=None)
    for query in ("", "?kind=financial"):
        page = client.get(f"/{query}").text
        chart = page[page.index('id="chart-months"') :]
        chart = chart[: chart.index("</svg>")]
        assert re.search(r'<a href="/pledges\?[^"]*from=2025-07-01[^"]*"><rect', chart), query
        assert re.search(r"<rect [^>]*><title>undated: €3.0m</title></rect>(?!</a>)", chart)
        assert not re.search(r"<a [^>]*><rect [^>]*><title>undated", chart), query


def test_a_sources_pledges_keep_their_qualifier_and_link_the_list(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    source = make_source(session, kind="article", title="Rome conference", text="x")
    add_pledge(session, "United Kingdom", "aid", amount="283000000", currency="GBP",
               qualifier="up_to", source_id=source.id)  # fmt: skip
    add_pledge(session, "United States", "defensive weapons", qualifier="unknown",
               source_id=source.id)  # fmt: skip
    page = client.get(f"/sources/{source.id}").text
    assert re.search(r"United Kingdom — aid\s+up to £283.0m", page)
    assert re.search(r"United States — defensive weapons\s+an unknown number", page)
    assert f'<dd><a href="/pledges?source={source.id}">2</a> · 0 evidence sentences</dd>' in page


def test_pledged_by_donor_title_counts_what_it_leaves_out(  # type: ignore[no-untyped-def]
    client, session: Session, monkeypatch
) -> None:
    """ "By donor (the 0 largest)" over no pledges, "(the 2 largest)" over two donors: the
    title says "largest" only when donors are left out, and of how many."""
    assert ">By donor</h3>" in client.get("/").text
    add_pledge(session, "Germany", "aid", amount="3000000", currency="EUR")
    add_pledge(session, "France", "aid", amount="2000000", currency="EUR")
    assert ">By donor</h3>" in client.get("/").text
    monkeypatch.setitem(ROWS_SHOWN, "stages_by_donor", 1)
    page = client.get("/?kind=financial").text
    assert ">By donor (the 1 largest of 2)</h3>" in page


def test_display_currency_is_read_in_any_case_refused_when_unknown(  # type: ignore[no-untyped-def]
    client, session: Session
) -> None:
    """?cur=usd shows dollars (it showed euros), ?cur=XYZ is a 400 naming cur, as every
    other filter value the page cannot use (it showed euros as if asked)."""
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR")
    assert re.search(r'id="grand-total">\s*<span class="value">US\$', client.get("/?cur=usd").text)
    refused = client.get("/?cur=XYZ&kind=financial")
    assert refused.status_code == 400
    assert "cur=&#39;XYZ&#39; is not one of: EUR, USD" in refused.text
    assert client.get("/?cur=").status_code == 200


def test_the_import_preview_keeps_a_quantitys_qualifier(form_app, session: Session) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client(form_app, make_user(session, "analyst"))
    table = b"donor,item,quantity,unit,qualifier\nFrance,howitzers,12,piece,at_least\n"
    response = client.post(
        "/imports/table",
        data={"table": (io.BytesIO(table), "t.csv"), "dry_run": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.text[:500]
    assert '<td data-label="Quantity" class="num">≥ 12 pieces</td>' in response.text


def test_the_donor_list_counts_what_the_donor_page_counts(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """A pledge awaiting a duplicate decision is left out of the totals: the donor list's
    count leaves it out too (it said 1,220 beside a donor page of 1,213)."""
    first = add_pledge(session, "Germany", "aid", amount="5000000", currency="EUR")
    second = add_pledge(session, "Germany", "aid", amount="5000000", currency="EUR")
    add_pledge(session, "Germany", "aid", amount="7000000", currency="EUR")
    session.get(Pledge, second.id).duplicate_of_id = first.id  # type: ignore[union-attr]
    rebuild_totals(session)
    session.commit()
    germany = donor_named(session, "Germany")
    listed = client.get("/donors?q=Germany").text
    assert re.search(rf'href="/donors/{germany.id}">Germany</a>.*?<td class="num">2</td>', listed,
                     re.S)  # fmt: skip
    assert re.search(r'<span class="label">2 pledges<', client.get(f"/donors/{germany.id}").text)


def test_a_preview_of_rows_all_imported_before_offers_no_import(form_app, session: Session) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client(form_app, make_user(session, "analyst"))
    table = b"donor,item,amount,currency\nGermany,aid,5000000,EUR\n"

    def upload(dry_run: str) -> str:
        """Send the table; the page's HTML."""
        response = client.post(
            "/imports/table",
            data={"table": (io.BytesIO(table), "g.csv"), "dry_run": dry_run},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200, response.text[:500]
        return response.text

    assert "Import these rows</button>" in upload("y")
    assert "1 created" in upload("")
    again = upload("y")
    assert "1 already imported" in again
    assert "Import these rows</button>" not in again
    assert "Nothing to import: every row is recorded already." in again
