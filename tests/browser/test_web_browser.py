"""The web app in a real browser: Chromium (Debian's, never downloaded) driven by Playwright
against the app served by gunicorn on a loopback port, once on a SQLite database of its own
and once on a PostgreSQL database of its own (beside the suite's test database)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import own_postgres_database
from tracker.db import make_engine
from tracker.models import Donor, Evidence, Item, Recipient, Source
from tracker.services.pledges import PledgeInput, create_pledge

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
ARTICLE = ("Kyiv, 10 July. The Netherlands said it would send 300 air defence missiles to "
           "Ukraine. Officials spoke of <b>hard</b> winters ahead.")  # fmt: skip
SENTENCE = "The Netherlands said it would send 300 air defence missiles to Ukraine."
ACCOUNTS = {"alice": "analyst", "root": "admin"}
PASSWORD = "a browser test password"


def require_chromium() -> None:
    """Skip without Chromium, except under CI where the browser tests must run."""
    if not CHROMIUM.exists():
        message = f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    """A TCP port nobody listens on, on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tracker_cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    """Run `python -m tracker ARGS` against the test database."""
    subprocess.run([sys.executable, "-m", "tracker", *args], env=env, check=True,
                   capture_output=True, timeout=120, input=stdin, text=True)  # fmt: skip


def log_in(page: Any, base: str, username: str) -> None:
    """Sign in through the form as one of the accounts the server was given."""
    page.goto(base + "/login")
    page.get_by_label("Account name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(f"text=Signed in as {username}")


def add_article(url: str) -> tuple[int, int]:
    """An article with one evidence sentence and the pledge it states; (source id, evidence id)."""
    engine = make_engine(url)
    with Session(engine) as session:
        source = Source(kind="article", title="Dutch missiles for Ukraine", text=ARTICLE,
                        publisher="Test Gazette", published=date(2025, 7, 10))  # fmt: skip
        start = ARTICLE.index(SENTENCE)
        evidence = Evidence(source=source, start=start, end=start + len(SENTENCE), text=SENTENCE)
        session.add_all([source, evidence])
        session.flush()

        def one(model: Any, name: str) -> int:
            return int(session.scalars(select(model.id).where(model.name == name)).one())

        create_pledge(session, PledgeInput(
            donor_id=one(Donor, "Netherlands"), recipient_id=one(Recipient, "Ukraine"),
            item_id=one(Item, "air defence missiles"), quantity="300", announced=date(2025, 7, 10),
            source_id=source.id, evidence_id=evidence.id,
        ))  # fmt: skip
        session.commit()
        ids = (source.id, evidence.id)
    engine.dispose()
    return ids


@contextmanager
def served_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database for the served app: a SQLite file in `folder`, or a
    PostgreSQL database made beside the test database and dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'tracker.db'}"
        return
    with own_postgres_database("browser") as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The app under gunicorn on a migrated, seeded database of its own, on each backend."""
    require_chromium()
    with served_database(request.param, tmp_path_factory.mktemp("browser")) as url:
        yield from serve_app(url)


def serve_app(url: str) -> Iterator[dict[str, Any]]:
    """Migrate and seed the database at `url`, add the accounts and an article, and serve it."""
    env = {**os.environ, "TRACKER_DATABASE_URL": url}
    tracker_cli(env, "db", "upgrade")
    tracker_cli(env, "seed")
    for name, role in ACCOUNTS.items():
        tracker_cli(env, "users", "create", name, "--role", role, stdin=PASSWORD + "\n")
    source_id, evidence_id = add_article(env["TRACKER_DATABASE_URL"])
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the app did not start under gunicorn") from None
                time.sleep(0.2)
        yield {"base": base, "source_id": source_id, "evidence_id": evidence_id}
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(served: dict[str, Any]) -> Iterator[Any]:
    """Debian's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot under tests/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_create_a_pledge_and_see_the_total_change(served: dict[str, Any], browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    base = served["base"]
    log_in(page, base, "alice")
    page.goto(base + "/")
    before = page.locator("#grand-total .value").inner_text()
    count_before = int(page.locator("#pledge-count .value").inner_text())
    assert count_before >= 1  # the seed article's pledges and the test article's
    shot(page, "dashboard-before")

    page.get_by_role("link", name="Pledges", exact=True).click()
    page.get_by_role("link", name="New pledge").click()
    page.get_by_label("Donor", exact=True).fill("Britain")
    page.get_by_label("Item", exact=True).fill("aid")
    page.get_by_label("Amount").fill("1,000,000,000")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Announced").fill("2025-07-10")
    page.get_by_label("Source URL").fill("https://news.example/uk-aid")
    page.get_by_label("Notes").fill("Entered in the browser test")
    shot(page, "pledge-form")
    page.get_by_role("button", name="Save pledge").click()
    page.wait_for_url("**/pledges/*")
    assert "saved" in page.locator(".flash").inner_text()
    assert page.locator("h1").inner_text().startswith("Pledge ")
    shot(page, "pledge-detail")

    page.goto(base + "/")
    after = page.locator("#grand-total .value").inner_text()
    assert after != before
    assert int(page.locator("#pledge-count .value").inner_text()) == count_before + 1
    assert page.locator("#totals-donor").get_by_text("United Kingdom").is_visible()
    assert page.locator("#chart-donors rect").count() >= 1
    shot(page, "dashboard-after")
    page.close()


def test_invalid_form_shows_inline_errors(served: dict[str, Any], browser: Any) -> None:
    page = browser.new_page()
    log_in(page, served["base"], "alice")
    page.goto(served["base"] + "/pledges/new")
    page.get_by_label("Donor", exact=True).fill("Atlantis")
    page.get_by_label("Item", exact=True).fill("aid")
    page.get_by_role("button", name="Save pledge").click()
    assert "No donor is known as 'Atlantis'" in page.locator("#donor-errors").inner_text()
    assert page.get_by_label("Donor", exact=True).get_attribute("aria-invalid") == "true"
    shot(page, "pledge-form-errors")
    page.close()


def test_source_page_highlights_the_evidence(served: dict[str, Any], browser: Any) -> None:
    page = browser.new_page()
    url = f"{served['base']}/sources/{served['source_id']}#evidence-{served['evidence_id']}"
    page.goto(url)
    mark = page.locator(f"mark#evidence-{served['evidence_id']}")
    assert mark.is_visible() and SENTENCE in mark.inner_text()
    assert (
        page.evaluate("document.querySelector(':target').id") == f"evidence-{served['evidence_id']}"
    )
    assert "<b>hard</b>" in page.locator("#article").inner_text()
    shot(page, "source-highlight")
    page.close()


def test_download_the_pledges_csv(served: dict[str, Any], browser: Any) -> None:
    page = browser.new_page()
    page.goto(served["base"] + "/?kind=reconstruction")
    link = page.locator("#export-pledges")
    assert link.get_attribute("href") == "/exports/pledges.csv?kind=reconstruction"
    with page.expect_download() as download_info:
        link.click()
    path = download_info.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert "Conference participants" in text  # the seed article's reconstruction pledge
    assert "Netherlands" not in text and "United Kingdom" not in text
    page.close()


def test_phone_layout(served: dict[str, Any], browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(served["base"] + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(page, "dashboard-phone")
    page.goto(served["base"] + "/review")
    shot(page, "review-phone")
    page.close()


def test_a_dashboard_total_drills_down_to_the_pledges_it_sums(
    served: dict[str, Any], browser: Any
) -> None:
    import csv
    import io
    from decimal import Decimal

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    base = served["base"]
    page.goto(base + "/?from=2020-01-01&to=2030-12-31")
    row = page.locator("#totals-kind tbody tr").first
    kind = row.locator("th").inner_text().strip()
    shown = row.locator("a.drill").inner_text().strip()
    row.locator("a.drill").click()
    page.wait_for_url("**/pledges?**")
    assert f"kind={kind}" in page.url and "from=2020-01-01" in page.url
    euros = [Decimal(v) for v in page.locator("#pledge-list tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.eur).filter(v => v)")]  # fmt: skip
    query = f"by=kind&kind={kind}&from=2020-01-01&to=2030-12-31"
    with urllib.request.urlopen(f"{base}/exports/totals.csv?{query}", timeout=10) as response:
        exported = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    assert len(exported) == 1 and Decimal(exported[0]["eur"]) == sum(euros, Decimal(0))
    assert int(exported[0]["pledges"]) == page.locator("#pledge-list tbody tr[data-id]").count()
    assert shown and shown.split()[-1].lstrip("€").rstrip("mbnk")  # a figure was clicked
    page.goto(base + "/")
    page.locator("#grand-total").click()
    page.wait_for_url("**/pledges")
    count = page.locator("#pledge-list tbody tr[data-id]").count()
    assert f"{count} pledge" in page.locator("#pledge-count").inner_text()
    page.close()
