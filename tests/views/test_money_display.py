"""Money shown honestly: USD keeps the markers and lower bounds, "up to" shows its bound,
items alone show their counts, and the donor and kind tables fill their Items column (the
donor table's under no date, kind or stage filter; the donor's page lists them under any
date range, kind and stage)."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge

TABLE_ROW = r'<th scope="row">(?:<a [^>]*>)?{}(?:</a>)?</th>(.*?)</tr>'


def row_of(page: str, table: str, key: str) -> str:
    """The cells of the row `key` of totals table `table`, tags removed."""
    section = page[page.index(f'id="totals-{table}"') :]
    match = re.search(TABLE_ROW.format(re.escape(key)), section, re.S)
    assert match, (table, key)
    return re.sub(r"<[^>]+>", " ", match.group(1))


def test_usd_keeps_markers_and_lower_bounds(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "aid", amount="1000000000", currency="EUR", qualifier="about")
    add_pledge(session, "Germany", "aid", amount="500000000", currency="EUR", qualifier="up_to")
    eur = client.get("/").text
    usd = client.get("/?cur=USD").text
    assert "≈ €1.5bn (at least €1.0bn)" in eur
    assert re.search(r"≈ US\$1\.\dbn \(at least US\$1\.\dbn\)", usd)


def test_up_to_alone_shows_its_bound(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "United Kingdom", "aid", amount="283000000", currency="GBP",
               qualifier="up_to", qualifier_text="up to")  # fmt: skip
    assert "up to €" in client.get("/").text and "up to US$" in client.get("/?cur=USD").text
    assert "up to £283.0m" in client.get("/pledges").text


def test_items_alone_show_counts_not_zero_money(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000",
               qualifier="at_least", qualifier_text="more than")  # fmt: skip
    add_pledge(session, "Germany", "air defence missiles", quantity="4")
    add_pledge(session, "United States", "air defence missiles", qualifier="unknown")
    page = client.get("/").text  # donor items from the rollup's donor × item rows
    uk = row_of(page, "donor", "United Kingdom")
    assert "≥ 5,000 missiles" in uk and "€" not in uk
    assert "4 missiles" in row_of(page, "donor", "Germany")
    us = row_of(page, "donor", "United States")
    assert "1 unquantified" in us and "€" not in us
    dated = client.get("/?from=2025-01-01").text
    for shown in (page, dated):
        military = row_of(shown, "kind", "military")
        assert "≥ 5,004 missiles" in military and "1 unquantified" in military
        assert "€" not in military
    headline = page[page.index('id="grand-total"') : page.index('id="pledge-count"')]
    assert "€0" not in headline and "—" in headline
    for table in ("donor", "kind", "category", "item", "stage"):
        section = page[page.index(f'id="totals-{table}"') :]
        assert "€0" not in section[: section.index("</table>")], table


@pytest.mark.parametrize("query", ["from=2025-01-01", "from=2025-01-01&to=2025-12-31",
                                   "kind=military", "stage=announced"])  # fmt: skip
def test_the_donor_table_leaves_out_items_under_a_date_kind_or_stage_filter(
    client, session: Session, query: str
) -> None:  # type: ignore[no-untyped-def]
    """No rollup row holds a donor's items by date, kind or stage: the dashboard's donor
    table shows none (a row of items alone shows its pledges, no money), and a donor's
    name links to its page under the same filters, which lists them."""
    pledge = add_pledge(session, "United Kingdom", "air defence missiles", quantity="5000",
                        qualifier="at_least", qualifier_text="more than")  # fmt: skip
    add_pledge(session, "Germany", "aid", amount="2000000", currency="EUR")
    page = client.get(f"/?{query}").text
    uk = row_of(page, "donor", "United Kingdom")
    assert "missiles" not in uk and "€" not in uk and " 1 " in uk
    if "kind" not in query:
        assert "€2.0m" in row_of(page, "donor", "Germany")
    assert f'href="/donors/{pledge.donor_id}?{query.replace("&", "&amp;")}"' in page


def test_the_donor_page_lists_its_items_in_a_date_range(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Germany", "air defence missiles", quantity="4",
                        announced=date(2025, 3, 1))  # fmt: skip
    add_pledge(session, "Germany", "air defence missiles", quantity="7", announced=date(2024, 3, 1))
    add_pledge(session, "Germany", "aid", amount="2000000", currency="EUR",
               announced=date(2023, 1, 1))  # fmt: skip
    every = client.get(f"/donors/{pledge.donor_id}").text
    assert "11 missiles" in row_of(every, "kind", "military")
    assert "€2.0m" in row_of(every, "kind", "financial")
    dated = client.get(f"/donors/{pledge.donor_id}?from=2025-01-01&to=2025-12-31").text
    assert "4 missiles" in row_of(dated, "kind", "military")
    assert "4 missiles" in row_of(dated, "item", "air defence missiles")
    assert 'id="totals-kind"' in dated and "financial" not in dated.split('id="totals-kind"')[1]
    assert "from 2025-01-01 to 2025-12-31" in dated
    assert "from=2025-01-01&amp;to=2025-12-31" in dated  # its drill links keep the range
    assert dated.count('<tr><td><a href="/pledges/') == 1
    assert client.get(f"/donors/{pledge.donor_id}?from=yesterday").status_code == 400


def test_the_donor_page_takes_the_dashboards_kind_and_stage(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Germany", "air defence missiles", quantity="4")
    add_pledge(session, "Germany", "air defence missiles", quantity="7", stage="delivered")
    add_pledge(session, "Germany", "aid", amount="2000000", currency="EUR")
    military = client.get(f"/donors/{pledge.donor_id}?kind=military").text
    assert "11 missiles" in row_of(military, "kind", "military")
    assert "financial" not in military.split('id="totals-kind"')[1]
    assert military.count('<tr><td><a href="/pledges/') == 2
    assert "Kind military · " in military and ">clear filters</a>" in military
    delivered = client.get(f"/donors/{pledge.donor_id}?kind=military&stage=delivered").text
    assert "7 missiles" in row_of(delivered, "item", "air defence missiles")
    assert delivered.count('<tr><td><a href="/pledges/') == 1
    csv = f"/exports/pledges.csv?donor={pledge.donor_id}&amp;kind=military&amp;stage=delivered"
    assert csv in delivered
    assert client.get(f"/donors/{pledge.donor_id}?stage=maybe").status_code == 400


def test_items_beside_money_on_the_donor_page(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Germany", "air defence missiles", quantity="4")
    add_pledge(session, "Germany", "aid", amount="2000000", currency="EUR")
    page = client.get(f"/donors/{pledge.donor_id}").text
    military = row_of(page, "kind", "military")
    assert "4 missiles" in military and "€" not in military
    assert "€2.0m" in row_of(page, "kind", "financial")
    assert f'href="/pledges?donor={pledge.donor_id}&amp;kind=military"' in page


def test_excel_csv_has_a_bom_and_units_are_never_nan(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    add_pledge(session, "Germany", "air defence missiles", quantity="4")
    add_pledge(session, "Germany", "aid", amount="2000000", currency="EUR")
    excel = client.get("/exports/totals.csv?by=item&donor=Germany&excel=1")
    assert excel.data.startswith(b"\xef\xbb\xbf")
    assert excel.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="totals-by-item-germany.csv"' in excel.headers["Content-Disposition"]
    frame = pd.read_csv(io.BytesIO(excel.data[3:]), dtype=str, keep_default_na=False)
    assert set(frame["unit"]) == {"", "missile"}
    for fmt in ("csv", "json"):
        assert b"nan" not in client.get(f"/exports/totals.{fmt}?by=item").data


def test_cli_export_reads_the_same_vocabulary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tracker.cli import main

    env = {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(main, ["seed"], env=env).exit_code == 0
    bad = runner.invoke(main, ["export", "pledges", "--to", "9999-12-31"], env=env)
    assert bad.exit_code == 2 and "--to" in bad.output
    bad = runner.invoke(main, ["export", "totals", "--item", "²"], env=env)
    assert bad.exit_code == 2 and "--item" in bad.output
    out = tmp_path / "pledges.csv"
    done = runner.invoke(main, ["export", "pledges", "--q", "missile", "--excel", "-o", str(out)],
                         env=env)  # fmt: skip
    assert done.exit_code == 0, done.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data[3:]), dtype=str, keep_default_na=False)
    assert len(frame) >= 1 and all("issile" in i for i in frame["item"] + frame["item_text"])


def test_items_counted_in_one_unit_are_named(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    """Howitzers and artillery pieces both count "pieces": each is named beside its count,
    on the dashboard's kind and donor tables and on the donor's page; a unit alone is not."""
    pledge = add_pledge(session, "Germany", "howitzers", quantity="54")
    add_pledge(session, "Germany", "artillery pieces", quantity="44")
    add_pledge(session, "Germany", "air defence missiles", quantity="4")
    for page in (client.get("/").text, client.get(f"/donors/{pledge.donor_id}").text):
        military = row_of(page, "kind", "military")
        assert "54 pieces (howitzers)" in military, military
        assert "44 pieces (artillery pieces)" in military
        assert "4 missiles" in military and "(air defence missiles)" not in military
    assert "54 pieces (howitzers)" in row_of(client.get("/").text, "donor", "Germany")
