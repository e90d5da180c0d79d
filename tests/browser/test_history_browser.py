"""An admin's history and restore, in a real browser: edit a pledge, read its history,
restore the earlier version and see the restore recorded as a new change."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.test_web_browser import browser, log_in, served, shot

__all__ = ["browser", "served"]  # the module-scoped fixtures this file runs on


def the_article_pledge(page: Any, served: dict[str, Any]) -> int:
    """The id of the test article's pledge, read from the link beside its evidence."""
    page.goto(f"{served['base']}/sources/{served['source_id']}")
    mark = page.locator(f"mark#evidence-{served['evidence_id']}")
    href = mark.get_by_role("link").first.get_attribute("href")
    match = re.search(r"/pledges/(\d+)", href or "")
    assert match, f"no pledge link beside the evidence: {href!r}"
    return int(match.group(1))


def test_admin_edits_then_restores_the_earlier_version(
    served: dict[str, Any], browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    base = served["base"]
    log_in(page, base, "root")
    pledge = f"/pledges/{the_article_pledge(page, served)}"

    page.goto(base + pledge + "/edit")
    assert page.get_by_label("Quantity").input_value() == "300"
    page.get_by_label("Quantity").fill("350")
    page.get_by_label("Notes").fill("Revised after a second report")
    page.get_by_role("button", name="Save pledge").click()
    page.wait_for_url("**" + pledge)

    page.get_by_role("link", name="Every change, field by field").click()
    page.wait_for_url("**" + pledge + "/history")
    latest = page.locator("ol.history > li").first
    assert "Version 2: update by root" in latest.locator("h2").inner_text()
    quantity_row = latest.get_by_role("row", name=re.compile(r"^quantity \d"))
    assert quantity_row.inner_text().split() == ["quantity", "300", "350"]  # no padding
    shot(page, "history-before-restore")

    page.get_by_role("button", name="Restore version 1").click()
    page.wait_for_selector("text=restored; it is now version 3")
    latest = page.locator("ol.history > li").first
    assert "Version 3: update by root" in latest.locator("h2").inner_text()
    assert "restored the values of version 1" in latest.inner_text()
    shot(page, "history-after-restore")

    page.goto(base + pledge + "/edit")
    assert page.get_by_label("Quantity").input_value() == "300"
    assert page.get_by_label("Notes").input_value() == ""
    page.goto(base + "/audit?user=root")
    assert "2 changes;" in page.locator("main").inner_text()
    page.close()


def test_an_analyst_sees_no_restore_button(served: dict[str, Any], browser: Any) -> None:
    page = browser.new_page()
    log_in(page, served["base"], "alice")
    page.goto(f"{served['base']}/pledges/{the_article_pledge(page, served)}/history")
    assert page.get_by_role("button", name="Restore version 1").count() == 0
    page.close()
