"""An updated article at a URL imported before (a live blog, a story updated in place): a
new version of the article, of which only the statements no earlier version stated are
imported, each through the normal matching; those stated before add nothing and
corroborate nothing (a source cannot corroborate itself)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.importers.test_matching import rollup_equals_rebuild
from tests.importers.test_reimport import state
from tests.views.helpers import csrf_token
from tracker.cli import describe_article_import
from tracker.extract import extract
from tracker.importers.article import ArticleImportResult, ArticleMeta, import_article
from tracker.importers.article_versions import new_statements
from tracker.models import AuditEvent, Pledge, Report, Source
from tracker.services.totals import grand_total, totals

URL = "https://example.org/live/ukraine-aid"
META = ArticleMeta(title="Live: aid to Ukraine", url=URL, published=date(2025, 7, 10))
NORWAY = "Norway pledged 300 million euros in humanitarian aid to Ukraine."
CANADA = "Canada will provide 50 armoured vehicles to Ukraine."
DENMARK = "Denmark pledged 20 million euros for reconstruction in Ukraine."
SWEDEN = "Sweden will send 100 drones to Ukraine."
POLAND = "Poland pledged 40 million euros in budget support to Ukraine."
STATEMENTS = (NORWAY, CANADA, DENMARK, SWEDEN, POLAND)


def page(*sentences: str, headline: str = "Kyiv, 10 July.") -> str:
    """An article's text stating `sentences`, in that order."""
    return " ".join([headline, *sentences])


def version(
    session: Session,
    *sentences: str,
    meta: ArticleMeta = META,
    dry_run: bool = False,
    headline: str = "Kyiv, 10 July.",
) -> ArticleImportResult:
    """Import the page stating `sentences` (under `headline`) from `meta`'s URL."""
    text = page(*sentences, headline=headline)
    result = import_article(session, text, meta, dry_run=dry_run)
    session.flush()
    return result


def live_pledges(session: Session) -> int:
    """How many live pledges there are."""
    return session.scalar(
        select(func.count()).select_from(Pledge).where(Pledge.deleted_at.is_(None))
    )


def test_an_update_with_one_new_pledge_adds_exactly_that_pledge(session: Session) -> None:
    first = version(session, NORWAY, CANADA)
    assert first.source is not None and len(first.pledges) == 2
    before_eur, before_items = grand_total(session).eur, totals(session, "item")
    reports = session.scalar(select(func.count()).select_from(Report))

    second = version(session, NORWAY, DENMARK, CANADA)

    assert second.source is not None and second.updates is not None
    assert second.updates.id == first.source.id and second.source.id != first.source.id
    assert (second.new_statements, second.already_recorded) == (1, 2)
    [added] = second.pledges
    assert added.source_id == second.source.id and added.amount == Decimal(20_000_000)
    assert second.reports == []  # Norway and Canada corroborate nothing
    assert session.scalar(select(func.count()).select_from(Report)) == reports + 1
    assert live_pledges(session) == 3
    assert grand_total(session).eur == before_eur + added.eur
    before = {row.key_id: row for row in before_items}
    after = {row.key_id: row for row in totals(session, "item")}
    assert added.item_id not in before and after.pop(added.item_id).eur == added.eur
    assert after == before
    rollup_equals_rebuild(session)


def test_an_update_that_repeats_every_statement_adds_nothing(session: Session) -> None:
    version(session, NORWAY, CANADA, SWEDEN)
    recorded = state(session, audit=False)
    # the statements moved about, and the page's dateline changed
    again = version(session, SWEDEN, NORWAY, CANADA, headline="Kyiv, 10 July (updated).")
    assert (again.new_statements, again.already_recorded) == (0, 3)
    assert state(session, audit=False) == recorded
    flagged = select(func.count()).select_from(Report).where(Report.review_flag.is_not(None))
    assert session.scalar(flagged) == 0


def test_a_statement_dropped_and_restated_later_adds_nothing(session: Session) -> None:
    version(session, NORWAY, CANADA)
    version(session, CANADA)  # a version without Norway
    recorded = state(session, audit=False)
    third = version(session, CANADA, NORWAY)
    assert (third.new_statements, third.already_recorded) == (0, 2)
    assert state(session, audit=False) == recorded


def test_a_dry_run_of_an_update_writes_nothing_and_says_what_it_would(session: Session) -> None:
    first = version(session, NORWAY)
    recorded = state(session)
    sources = session.scalar(select(func.count()).select_from(Source))
    dry = version(session, NORWAY, SWEDEN, dry_run=True)
    assert dry.dry_run and dry.source is None and dry.updates is not None
    assert first.source is not None and dry.updates.id == first.source.id
    assert (dry.new_statements, dry.already_recorded) == (1, 1)
    assert state(session) == recorded
    assert session.scalar(select(func.count()).select_from(Source)) == sources
    assert describe_article_import(dry).splitlines()[0] == (
        "Dry run: updated: 1 new statement, 1 already recorded (an earlier version of "
        f"this URL is source #{first.source.id}); nothing written."
    )


def test_the_import_says_whether_the_article_was_unchanged_or_updated(
    session: Session,
) -> None:
    first = version(session, NORWAY)
    assert first.source is not None
    same = version(session, NORWAY)
    assert describe_article_import(same) == (
        f"Already imported as source #{first.source.id} (Live: aid to Ukraine): "
        "unchanged, nothing imported."
    )
    updated = version(session, NORWAY, SWEDEN)
    assert updated.source is not None
    assert describe_article_import(updated).splitlines()[0] == (
        f"Imported source #{updated.source.id} (Live: aid to Ukraine): updated: 1 new "
        f"statement, 1 already recorded (an earlier version of this URL is source "
        f"#{first.source.id}), awaiting review."
    )
    listed = describe_article_import(updated).splitlines()[1:]
    assert listed[0] == "  Sweden: drones, 100 drones (military)"
    assert not any("Norway" in x for x in listed)
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "source", AuditEvent.entity_id == updated.source.id
        )
    ).one()
    assert event.action == "import" and event.after is not None
    assert (event.after["updates"], event.after["already_recorded"]) == (first.source.id, 1)
    assert event.note is not None and event.note.startswith(
        f"article update of source #{first.source.id} (1 new statements, 1 already recorded)"
    )


def test_each_version_keeps_its_text_and_the_first_version_its_highlighted_sentence(
    client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    first = version(session, NORWAY)
    second = version(session, NORWAY, SWEDEN)
    session.commit()
    assert first.source is not None and second.source is not None
    assert first.source.text == page(NORWAY) and second.source.text == page(NORWAY, SWEDEN)
    [report] = session.scalars(select(Report).where(Report.source_id == first.source.id))
    assert report.evidence is not None and report.evidence.text == NORWAY
    shown = client.get(f"/sources/{first.source.id}").get_data(as_text=True)
    assert "<mark" in shown and "Norway pledged 300 million euros" in shown


def test_the_import_page_says_the_article_was_updated(client, session: Session) -> None:  # type: ignore[no-untyped-def]
    def post(text: str) -> str:
        token = csrf_token(client, "/sources/new")
        response = client.post(
            "/sources/new",
            data={"csrf_token": token, "text": text, "published": "2025-07-10", "url": URL},
            follow_redirects=True,
        )
        assert response.status_code == 200
        return str(response.get_data(as_text=True))

    post(page(NORWAY))
    assert "unchanged, nothing imported" in post(page(NORWAY))
    assert "1 new statement, 1 already recorded" in post(page(NORWAY, SWEDEN))


def outcome(session: Session) -> tuple[Any, ...]:
    """The totals and the live pledges' figures, as an import leaves them."""
    session.flush()
    pledges = session.execute(
        select(Pledge.donor_id, Pledge.item_id, Pledge.quantity, Pledge.amount)
        .where(Pledge.deleted_at.is_(None))
        .order_by(Pledge.donor_id, Pledge.item_id)
    ).all()
    by = [totals(session, name) for name in ("donor", "kind", "item")]
    return grand_total(session), by, [tuple(row) for row in pledges]


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    versions=st.lists(
        st.lists(st.sampled_from(STATEMENTS), unique=True).flatmap(st.permutations),
        min_size=1,
        max_size=4,
    )
)
def test_any_sequence_of_versions_totals_the_distinct_statements_once(
    session: Session, versions: list[list[str]]
) -> None:
    """Generated versions of one page (statements added, removed, repeated, reordered): the
    totals and pledges are those of importing each distinct statement once, no report
    is a corroboration, and the rollup equals a rebuild."""
    savepoint = session.begin_nested()
    try:
        for n, sentences in enumerate(versions):
            # a new dateline each version, so that no two versions have one text
            version(session, *sentences, headline=f"Kyiv, 10 July, update {n}.")
        corroborating = select(Report).where(Report.role == "corroborates")
        assert session.scalars(corroborating).all() == []
        rollup_equals_rebuild(session)
        got = outcome(session)
    finally:
        savepoint.rollback()
    distinct = [s for s in STATEMENTS if any(s in v for v in versions)]
    savepoint = session.begin_nested()
    try:
        version(session, *distinct, meta=ArticleMeta(url=None, published=META.published))
        assert got == outcome(session)
    finally:
        savepoint.rollback()


def test_a_new_statement_of_an_update_goes_through_the_normal_matching(
    session: Session,
) -> None:
    """A statement new to the page that another outlet reported first becomes a report of
    that outlet's pledge; told again by a later version, it adds no second report."""
    other = ArticleMeta(url="https://example.com/norway", published=META.published)
    elsewhere = version(session, NORWAY, meta=other)
    [norway] = elsewhere.pledges
    version(session, CANADA)
    second = version(session, CANADA, NORWAY)
    assert second.source is not None and second.pledges == []
    [report] = second.reports
    assert (report.pledge_id, report.role, report.source_id) == (
        norway.id, "corroborates", second.source.id,
    )  # fmt: skip
    recorded = state(session, audit=False)
    third = version(session, NORWAY, CANADA, headline="Kyiv, 10 July (updated).")
    assert (third.new_statements, third.already_recorded) == (0, 2)
    assert state(session, audit=False) == recorded


def test_a_delivery_new_to_an_update_is_recorded_once(session: Session) -> None:
    """A stage report new to a page is attached by the stage rules; the next version that
    tells it again adds nothing to the delivered figure."""
    from tests.importers.test_matching import SEED, import_file, uk_missiles
    from tests.importers.test_reimport import DELIVERY

    import_file(session, SEED)
    meta = ArticleMeta(url=URL, published=date(2025, 9, 2))
    version(session, NORWAY, meta=meta)
    second = version(session, NORWAY, DELIVERY, meta=meta)
    assert (second.new_statements, second.already_recorded) == (1, 1)
    assert [r.role for r in second.reports] == ["delivers"]
    session.expire_all()
    assert uk_missiles(session).delivered_quantity == Decimal(1000)
    recorded = state(session, audit=False)
    third = version(session, DELIVERY, NORWAY, meta=meta, headline="Kyiv, 2 September.")
    assert (third.new_statements, third.already_recorded) == (0, 2)
    assert state(session, audit=False) == recorded
    session.expire_all()
    assert uk_missiles(session).delivered_quantity == Decimal(1000)
    rollup_equals_rebuild(session)


def test_a_package_total_stated_before_stays_beside_its_new_part() -> None:
    """A new part of a package whose total an earlier version stated keeps the total with
    it (renumbered), so it is grouped under the total and its money not counted beside it;
    the part stated before is left out."""
    earlier = Source(text="Norway pledged €100 million. Norway sends 5 trucks.")
    text = "Norway pledged €100 million. Norway sends 5 trucks. The package includes 30 tanks."
    found = new_statements(extract(text), [earlier], None)
    kept = [(p.item, p.amount, p.quantity, p.part_of) for p in found.extraction.pledges]
    assert kept == [("aid", Decimal(100_000_000), None, None), ("tanks", None, Decimal(30), 0)]
    assert found.repeated == 1 and found.previous is earlier
