"""The pledge page lists its reports and records allocations and deliveries; the review
queue shows corroborations and possible duplicates with one-click decisions; the API
gives a pledge's reports and stage figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.views.helpers import add_pledge, csrf_token
from tracker.importers.article import ArticleMeta, import_article, read_article
from tracker.models import AuditEvent, Pledge, Report, Source
from tracker.services.duplicates import link_pledge, split_report, unlink_pledge
from tracker.services.pledges import delete_pledge
from tracker.services.reports import StageFigure, add_corroboration, record_stage

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "aljazeera-2025-07-10-rome-conference" / "article.txt"
RETOLD = ROOT / "tests" / "data" / "seed-retold" / "article.txt"


def import_both(session: Session) -> Pledge:
    """The seed story and a second outlet's account of it; returns the UK missiles pledge."""
    for path in (SEED, RETOLD):
        text, meta = read_article(path)
        import_article(session, text, meta)
    session.commit()
    return session.scalars(select(Pledge).where(Pledge.item_text == "air defence missiles")).one()


def test_the_pledge_page_lists_its_reports_newest_first_linking_to_the_highlighted_source(
    client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    pledge = import_both(session)
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    reports = page.split('id="reports"')[1].split("</section>")[0]
    assert "Reports (2)" in reports
    corroborates, announces = reports.index("corroborates"), reports.index("announces")
    assert corroborates < announces  # same day: the later report first
    for report in session.scalars(select(Report).where(Report.pledge_id == pledge.id)):
        assert f"/sources/{report.source_id}#evidence-{report.evidence_id}" in reports


def test_an_analyst_records_a_delivery_from_the_pledge_page(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = import_both(session)
    url = f"/pledges/{pledge.id}"
    form = {
        "csrf_token": csrf_token(client, url), "version": str(pledge.version),
        "stage": "delivered", "quantity": "1,000", "amount": "", "currency": "",
        "reported_on": "2025-09-02", "source_url": "https://news.example/delivered",
    }  # fmt: skip
    response = client.post(f"{url}/stage", data=form)
    assert response.status_code == 303
    session.expire_all()
    stored = session.get(Pledge, pledge.id)
    assert stored is not None and stored.delivered_quantity == 1000
    assert stored.stage == "delivered"
    page = client.get(url).get_data(as_text=True)
    assert "delivers" in page and "news.example/delivered" in page
    event = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "pledge",
            AuditEvent.entity_id == pledge.id,
            AuditEvent.action == "record",
        )
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.username == "test-analyst"

    form["version"] = str(stored.version)
    form["quantity"] = "-5"
    response = client.post(f"{url}/stage", data=form)
    assert response.status_code == 422
    assert "negative" in response.get_data(as_text=True)
    form["quantity"], form["amount"], form["currency"] = "", "5", "GBP"
    response = client.post(f"{url}/stage", data=form)
    assert response.status_code == 422
    assert "not money" in response.get_data(as_text=True)
    form["amount"], form["currency"], form["quantity"], form["version"] = "", "", "5", "1"
    response = client.post(f"{url}/stage", data=form)
    assert response.status_code == 409
    session.expire_all()
    assert session.get(Pledge, pledge.id).delivered_quantity == 1000  # type: ignore[union-attr]


def test_a_typed_delivery_that_repeats_a_report_asks_the_analyst_how_to_record_it(
    client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    pledge = import_both(session)
    reported = record_stage(
        session, pledge.id, StageFigure("delivered", quantity=1000, reported_on=date(2025, 9, 2))
    )
    session.commit()
    url = f"/pledges/{pledge.id}"
    assert 'id="stage-question"' not in client.get(url).get_data(as_text=True)
    session.refresh(pledge)
    form = {
        "csrf_token": csrf_token(client, url), "version": str(pledge.version),
        "stage": "delivered", "quantity": "1,000", "amount": "", "currency": "",
        "reported_on": "2025-09-04", "source_url": "",
    }  # fmt: skip
    response = client.post(f"{url}/stage", data=form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    question = page.split('id="stage-question"')[1].split("</div>")[0]
    assert f"repeats report #{reported.id}" in question
    assert f'name="repeats" type="hidden" value="{reported.id}"' in question
    assert 'value="corroborates"' in question and 'value="adds"' in question
    session.expire_all()
    assert len(session.get_one(Pledge, pledge.id).reports) == 3  # nothing written

    response = client.post(
        f"{url}/stage", data={**form, "decision": "corroborates", "repeats": str(reported.id)}
    )
    assert response.status_code == 303
    session.expire_all()
    stored = session.get_one(Pledge, pledge.id)
    repeat = max(stored.reports, key=lambda r: r.id)
    assert (repeat.role, repeat.corroborates_id) == ("corroborates", reported.id)
    assert stored.delivered_quantity == 1000

    response = client.post(f"{url}/stage", data={**form, "decision": "adds", "repeats": ""})
    assert response.status_code == 303
    session.expire_all()
    assert session.get_one(Pledge, pledge.id).delivered_quantity == 2000


def test_a_corroboration_without_its_report_is_refused_on_the_page(
    client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    pledge = import_both(session)
    url = f"/pledges/{pledge.id}"
    form = {
        "csrf_token": csrf_token(client, url), "version": str(pledge.version),
        "stage": "delivered", "quantity": "1,000", "reported_on": "2025-09-04",
    }  # fmt: skip
    for extra, message in (
        ({"decision": "corroborates"}, "Say which report"),
        ({"decision": "corroborates", "repeats": "999"}, "does not repeat report #999"),
        ({"decision": "twice"}, "Invalid value"),
    ):
        response = client.post(f"{url}/stage", data={**form, **extra})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    session.expire_all()
    assert session.get_one(Pledge, pledge.id).delivered_quantity is None


def test_the_review_queue_offers_split_and_link(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = import_both(session)
    page = client.get("/review").get_data(as_text=True)
    assert f"corroborates #{pledge.id}" in page
    corroboration = session.scalars(
        select(Report).where(Report.pledge_id == pledge.id, Report.role == "corroborates")
    ).one()
    token = csrf_token(client, "/review")
    response = client.post(f"/reports/{corroboration.id}/split", data={"csrf_token": token})
    assert response.status_code == 303
    session.expire_all()
    split = session.get(Report, corroboration.id)
    assert split is not None and split.pledge_id != pledge.id and split.role == "announces"

    other = add_pledge(session, "United Kingdom", "aid", amount="1", currency="GBP")
    repeat = add_pledge(
        session, "United Kingdom", "aid", amount="2", currency="GBP", duplicate_of_id=other.id,
        reviewed=False,
    )  # fmt: skip
    page = client.get("/review").get_data(as_text=True)
    assert f'Possible duplicate of <a href="/pledges/{other.id}">#{other.id}</a>' in page
    token = csrf_token(client, "/review")
    link = {"csrf_token": token, "target": str(other.id)}
    assert client.post(f"/pledges/{repeat.id}/link", data=link).status_code == 303
    session.expire_all()
    assert session.get(Pledge, repeat.id).deleted_at is not None  # type: ignore[union-attr]
    page = client.get(f"/pledges/{repeat.id}").get_data(as_text=True)
    assert "Undo the link" in page
    unlink = {"csrf_token": token}
    assert client.post(f"/pledges/{repeat.id}/unlink", data=unlink).status_code == 303
    session.expire_all()
    assert session.get(Pledge, repeat.id).deleted_at is None  # type: ignore[union-attr]


def test_the_api_lists_a_pledges_reports_and_stage_figures(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = import_both(session)
    body = client.get(f"/api/pledges/{pledge.id}").get_json()
    assert [r["role"] for r in body["reports"]] == ["corroborates", "announces"]
    assert body["sources"] == 2
    assert body["stages"]["promised"]["quantity"] == "5000"
    assert body["stages"]["delivered"] == {
        "quantity": None,
        "amount": None,
        "eur": None,
        "on": None,
    }


def test_the_donor_page_shows_each_pledges_steps_over_time(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    pledge = import_both(session)
    record_stage(
        session, pledge.id, StageFigure("delivered", quantity=1000, reported_on=date(2025, 9, 2))
    )
    session.commit()
    page = client.get(f"/donors/{pledge.donor_id}").get_data(as_text=True)
    row = page.split(f'href="/pledges/{pledge.id}"')[1].split("</tr>")[0]
    steps = row.split('class="steps"')[1]
    assert steps.index("2025-07-10: announces") < steps.index("2025-09-02: delivers 1,000")


def test_the_dashboard_shows_group_aggregates_apart(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    import_both(session)  # "participants had already pledged over 10 billion euros"
    page = client.get("/").get_data(as_text=True)
    headline = page.split('id="grand-total"')[1].split("</div>")[0]
    assert "of which €10.0bn in 1 group aggregate" in headline
    assert "may overlap members" in headline


def test_promised_allocated_delivered_per_donor_is_the_same_from_either_path(
    session: Session,
) -> None:
    from tracker.services.dashboard_totals import dashboard_totals
    from tracker.services.totals import TotalsFilter

    pledge = import_both(session)
    record_stage(session, pledge.id, StageFigure("delivered", quantity=1000))
    add_pledge(session, "Germany", "aid", stage="cancelled")
    one_read = dashboard_totals(session, TotalsFilter(stage="announced"))
    per_grouping = dashboard_totals(
        session, TotalsFilter(stage="announced", start=date(2000, 1, 1))
    )
    assert one_read.stages_by_donor == per_grouping.stages_by_donor
    assert "Germany" not in [row.key for row in one_read.stages_by_donor]
    uk = next(row for row in one_read.stages_by_donor if row.key == "United Kingdom")
    assert uk.pledges == 2


def test_the_pledge_page_lists_an_update_and_an_analyst_undoes_it(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    raised = ROOT / "tests" / "data" / "seed-raised" / "article.txt"
    for path in (SEED, raised):
        text, meta = read_article(path)
        import_article(session, text, meta)
    session.commit()
    update = session.scalars(select(Report).where(Report.role == "updates")).one()
    pledge_id, url = update.pledge_id, f"/pledges/{update.pledge_id}"
    page = client.get(url).get_data(as_text=True)
    reports = page.split('id="reports"')[1].split("</section>")[0]
    assert "Reports (2)" in reports and "updates" in reports and "350" in reports
    response = client.post(
        f"/reports/{update.id}/undo-update", data={"csrf_token": csrf_token(client, url)}
    )
    assert response.status_code == 303
    session.expire_all()
    pledge = session.get(Pledge, pledge_id)
    assert pledge is not None and pledge.amount == 283_000_000
    moved = session.get(Report, update.id)
    assert moved is not None and moved.role == "announces" and moved.pledge_id != pledge.id
    assert f"/pledges/{moved.pledge_id}" in response.headers["Location"]


def test_a_repeated_delivery_shows_as_corroborating_and_an_analyst_splits_and_undoes_it(
    client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    pledge = import_both(session)
    sentence = (
        "Britain has delivered 1,000 of the more than 5,000 air defence missiles it "
        "promised in July."
    )
    for day, url in ((2, "https://a.example/1"), (3, "https://b.example/2")):
        meta = ArticleMeta(published=date(2025, 9, day), url=url)
        import_article(session, f"{sentence} ({url})", meta)  # two outlets, two texts
    session.commit()
    delivers, repeat = session.scalars(
        select(Report)
        .where(Report.pledge_id == pledge.id, Report.role.in_(("delivers", "corroborates")))
        .where(Report.corroborates_id.is_not(None) | (Report.role == "delivers"))
        .order_by(Report.id)
    ).all()
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert f'Corroborates <a href="#report-{delivers.id}">report {delivers.id}</a>' in page
    queue = client.get("/review").get_data(as_text=True)
    assert f"corroborates report #{delivers.id}" in queue

    token = csrf_token(client, f"/pledges/{pledge.id}")
    response = client.post(f"/reports/{repeat.id}/split", data={"csrf_token": token})
    assert response.status_code == 303 and response.location.endswith(f"/pledges/{pledge.id}")
    session.expire_all()
    assert session.get_one(Pledge, pledge.id).delivered_quantity == 2000
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert f"Undo the split (corroborates report {delivers.id} again)" in page

    response = client.post(f"/reports/{repeat.id}/undo-stage-split", data={"csrf_token": token})
    assert response.status_code == 303
    session.expire_all()
    assert session.get_one(Pledge, pledge.id).delivered_quantity == 1000
    assert session.get_one(Report, repeat.id).role == "corroborates"
    actions = session.scalars(
        select(AuditEvent.username).where(
            AuditEvent.entity == "pledge",
            AuditEvent.entity_id == pledge.id,
            AuditEvent.action == "split",
        )
    ).all()
    assert actions == ["test-analyst", "test-analyst"]


@pytest.mark.parametrize("url", ["=1+1", "javascript:alert(1)", "not a url"])
def test_a_delivery_whose_source_url_is_not_a_url_is_refused_as_the_pledge_form_refuses_it(
    client, session: Session, url: str
) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Norway", "tanks", quantity="10")
    page = f"/pledges/{pledge.id}"
    form = {
        "csrf_token": csrf_token(client, page), "version": str(pledge.version),
        "stage": "delivered", "quantity": "2", "amount": "", "currency": "",
        "reported_on": "2025-09-02", "source_url": url,
    }  # fmt: skip
    response = client.post(f"{page}/stage", data=form)
    assert response.status_code == 422
    assert "source_url-errors" in response.get_data(as_text=True)
    session.expire_all()
    roles = session.scalars(select(Report.role).where(Report.pledge_id == pledge.id)).all()
    assert "delivers" not in roles
    assert session.scalars(select(Source).where(Source.url == url)).all() == []


@given(target=st.integers(min_value=1, max_value=2**31 - 1))
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_refused_link_answers_422_on_the_pledge_with_the_reason(
    client, session: Session, target: int
) -> None:  # type: ignore[no-untyped-def]
    """A link to a pledge that does not exist (a typo in its number) or to itself changes
    nothing and shows the pledge the analyst was on with the reason (422), not a 404 page
    nor a redirect that reads as done."""
    pledge = add_pledge(session, "United Kingdom", "aid", amount="2", currency="GBP")
    if target != pledge.id and session.get(Pledge, target) is not None:
        return
    page = f"/pledges/{pledge.id}"
    form = {"csrf_token": csrf_token(client, page), "target": f"#{target}"}
    response = client.post(f"{page}/link", data=form)
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    why = "cannot be linked to itself" if target == pledge.id else f"no pledge with id {target}"
    assert "Nothing was changed" in shown and why in shown
    assert f'action="/pledges/{pledge.id}/stage"' in shown  # the page of the pledge
    session.expire_all()
    assert session.get(Pledge, pledge.id).deleted_at is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("action", "fields"),
    [("stage", {"stage": "delivered", "quantity": "2", "amount": "", "currency": ""}),
     ("package", {"package": "new"})],
)  # fmt: skip
def test_a_figure_for_a_pledge_deleted_since_the_page_was_loaded_says_why_it_was_refused(
    client, session: Session, action: str, fields: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    """The deleted pledge's page has no forms to show their errors in: the reason is shown
    above the page."""
    pledge = add_pledge(session, "Norway", "tanks", quantity="10")
    page = f"/pledges/{pledge.id}"
    token = csrf_token(client, page)
    delete_pledge(session, pledge.id, expected_version=pledge.version)
    session.commit()
    form = {"csrf_token": token, "version": str(pledge.version), **fields}
    response = client.post(f"{page}/{action}", data=form)
    assert response.status_code == 422
    assert f"pledge {pledge.id} is deleted" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", ["#2147483648", "#99999999999", "#" + "9" * 30])
def test_a_package_or_pledge_number_no_database_holds_is_refused_on_the_page(
    client, session: Session, number: str
) -> None:  # type: ignore[no-untyped-def]
    pledge = add_pledge(session, "Norway", "aid")
    url = f"/pledges/{pledge.id}"
    token = csrf_token(client, url)
    form = {"csrf_token": token, "version": str(pledge.version), "package": number}
    packaged = client.post(f"{url}/package", data=form)
    digits = number.lstrip("#")
    assert packaged.status_code == 422
    assert f"There is no package {digits}." in packaged.get_data(as_text=True)
    linked = client.post(f"{url}/link", data={"csrf_token": token, "target": number})
    assert linked.status_code == 400
    assert f"Pledge: There is no pledge {digits}." in linked.get_data(as_text=True)
    session.refresh(pledge)
    assert (pledge.version, pledge.package_id, pledge.deleted_at) == (1, None, None)


def test_a_split_off_pledge_linked_elsewhere_and_back_still_offers_to_undo_the_split(
    client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    original = add_pledge(session, "Norway", amount="10.00", currency="EUR")
    other = add_pledge(session, "Norway", amount="20.00", currency="EUR")
    report = add_corroboration(
        session, original.id, source_id=None, evidence_id=None, reported_on=None
    )
    split = split_report(session, report.id)
    link_pledge(session, split.id, other.id)
    unlink_pledge(session, split.id)
    session.commit()
    page = client.get(f"/pledges/{split.id}").get_data(as_text=True)
    assert f"Undo the split (back to #{original.id})" in page
    token = csrf_token(client, f"/pledges/{split.id}")
    response = client.post(f"/pledges/{split.id}/unsplit", data={"csrf_token": token})
    assert response.status_code == 303
    session.expire_all()
    assert session.get_one(Pledge, split.id).duplicate_of_id == original.id
    assert session.get_one(Report, report.id).pledge_id == original.id
