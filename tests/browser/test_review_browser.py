"""Bulk review with undo, a table imported through the page, and the phone layout, in a
real browser (Debian's Chromium) against the app under gunicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.test_web_browser import SCREENSHOTS, browser, log_in, served, shot

__all__ = ["browser", "served"]  # the module-scoped fixtures this file runs on

TABLE = (
    "donor,item,amount,currency,announced\n"
    "Denmark,aid,15000000,EUR,2025-03-01\n"
    "Sweden,aid,20000000,SEK,2025-04-02\n"
    "Conference participants,aid,10000000000,EUR,2025-07-10\n"
)
PHONE = {"width": 390, "height": 844}


def import_through_the_page(page: Any, base: str, folder: Path) -> None:
    """Upload the table, read the preview, then import the kept file."""
    table = folder / "curated-aid.csv"
    table.write_text(TABLE)
    page.goto(base + "/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.wait_for_url("**/imports/table")
    page.get_by_label("Table (CSV or XLSX)").set_input_files(str(table))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("table.preview")
    preview.wait_for()
    assert "Conference participants" in preview.inner_text()
    assert "donor_id" not in page.locator("main").inner_text()
    shot(page, "import-preview")
    page.get_by_role("button", name="Import these rows").click()
    page.wait_for_selector("text=imported 3 created")


def test_a_table_imported_through_the_page_is_rejected_whole_then_undone(
    served: dict[str, Any], browser: Any, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    base = served["base"]
    log_in(page, base, "alice")
    import_through_the_page(page, base, tmp_path)

    page.goto(base + "/")
    page.locator("#chart-months").screenshot(path=str(SCREENSHOTS / "wide-months.png"))
    page.locator("#chart-donors").screenshot(path=str(SCREENSHOTS / "wide-donors.png"))
    page.goto(base + "/review")
    option = page.locator("#filter-source option", has_text="curated-aid.csv (3)")
    page.get_by_label("Source").select_option(option.get_attribute("value"))
    page.get_by_role("button", name="Filter").click()
    assert page.locator("article.panel").count() == 3
    page.get_by_label("Reason (kept with the decision)").fill("duplicates the Kiel table")
    page.get_by_role("button", name="Reject all 3 matching").click()
    page.wait_for_selector("text=3 pledges rejected")
    assert page.locator("article.panel").count() == 0
    decision = page.locator("#decisions tbody tr").first
    assert "duplicates the Kiel table" in decision.inner_text()
    shot(page, "review-after-reject")

    decision.get_by_role("button", name="Undo").click()
    page.wait_for_selector("text=undone")
    page.goto(base + "/review?donor=Denmark")
    assert page.locator("article.panel").count() == 1
    page.locator("article.panel input[type=checkbox]").first.check()
    page.get_by_role("button", name="Accept selected").click()
    page.wait_for_selector("text=1 pledge accepted")
    assert "Nothing to review." in page.locator("main").inner_text()
    page.close()


def no_sideways_scroll(page: Any) -> None:
    """The page is no wider than the phone's screen."""
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"{page.url} is {wide}px wide"


def test_the_phone_layout_keeps_money_on_screen(served: dict[str, Any], browser: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    base = served["base"]
    log_in(page, base, "alice")
    for path, name in (("/", "phone-dashboard"), ("/review", "phone-review"),
                       ("/pledges", "phone-pledges"), ("/requests", "phone-requests"),
                       ("/imports/table", "phone-import")):  # fmt: skip
        page.goto(base + path)
        no_sideways_scroll(page)
        shot(page, name)
    page.goto(base + "/")
    for selector, name in (("#totals-donor", "phone-donor-table"), ("#chart-donors", "phone-chart"),
                           ("#chart-months", "phone-months")):  # fmt: skip
        page.locator(selector).screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    for table in page.locator(".table-wrap").all():  # no table hides a column off to the side
        assert table.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth"), table.inner_html()
    money = page.locator("#totals-donor td.num").last
    box = money.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert (SCREENSHOTS / "phone-dashboard.png").stat().st_size > 0
    page.close()
