"""One pledge, many reports: a second outlet's account corroborates, a delivery report moves
the figures, an unclear match waits outside the totals until an analyst decides."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tracker.extract import extract
from tracker.extract.models import ExtractedPromisedFigure, ExtractedStageReport
from tracker.importers.article import ArticleMeta, import_article, read_article
from tracker.models import AuditEvent, Pledge, Report
from tracker.services.duplicates import (
    keep_separate,
    link_pledge,
    mark_possible_duplicate,
    split_report,
    undo_split,
    unlink_pledge,
)
from tracker.services.pledges import PledgeError, PledgeInput, create_pledge, delete_pledge
from tracker.services.totals import grand_total, rebuild_totals, totals

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "aljazeera-2025-07-10-rome-conference" / "article.txt"
RETOLD = ROOT / "tests" / "data" / "seed-retold" / "article.txt"
# Other outlets' accounts of the seed story, and how many of its four pledges each names.
RETELLINGS = [(RETOLD, 4)] + [
    (ROOT / "tests" / "data" / f"seed-retold-{name}" / "article.txt", named)
    for name, named in (("wire", 4), ("brief", 3), ("ap", 4), ("partners", 4),
                        ("reconstruction", 3))
]  # fmt: skip
DELIVERED = ROOT / "tests" / "data" / "seed-delivered" / "article.txt"
MISSILES = "air defence missiles"
SERIAL = itertools.count(1)


def import_file(session: Session, path: Path) -> None:
    """Import one article file with its meta.json."""
    text, meta = read_article(path)
    import_article(session, text, meta)
    session.flush()


def live_pledges(session: Session) -> list[Pledge]:
    """Every live pledge, oldest first."""
    query = select(Pledge).where(Pledge.deleted_at.is_(None)).order_by(Pledge.id)
    return list(session.scalars(query))


def rollup_equals_rebuild(session: Session) -> None:
    """The totals read from the running rollup equal those of a rebuilt one."""
    before = [totals(session, by) for by in ("donor", "kind", "stage", "item")]
    rebuild_totals(session)
    assert before == [totals(session, by) for by in ("donor", "kind", "stage", "item")]


def uk_missiles(session: Session) -> Pledge:
    """The seed story's promise of more than 5,000 air defence missiles."""
    query = select(Pledge).where(
        Pledge.donor_id == donor_named(session, "United Kingdom").id,
        Pledge.item_text == MISSILES,
        Pledge.deleted_at.is_(None),
    )
    return session.scalars(query).one()


@pytest.mark.parametrize(("retold", "named"), RETELLINGS, ids=lambda v: getattr(v, "parent", v))
def test_a_second_outlets_account_leaves_the_totals_and_adds_a_report_to_each_pledge(
    session: Session, retold: Path, named: int
) -> None:
    import_file(session, SEED)
    before = grand_total(session)
    pledges_before = [p.id for p in live_pledges(session)]
    assert len(pledges_before) == 4

    import_file(session, retold)

    assert grand_total(session) == before
    assert [p.id for p in live_pledges(session)] == pledges_before
    corroborated = 0
    for pledge in live_pledges(session):
        session.refresh(pledge)
        roles = sorted(report.role for report in pledge.reports)
        assert roles in (["announces"], ["announces", "corroborates"]), pledge
        sources = {report.source.publisher for report in pledge.reports if report.source}
        assert len(sources) == len(roles)
        corroborated += len(roles) - 1
    assert corroborated == named
    rollup_equals_rebuild(session)


def test_a_delivery_article_moves_the_uk_missiles_to_1000_delivered_on_its_own_date(
    session: Session,
) -> None:
    """The article's own date dates the delivery, not the month of the promise it names."""
    import_file(session, SEED)
    count = len(live_pledges(session))

    import_file(session, DELIVERED)

    pledge = uk_missiles(session)
    session.refresh(pledge)
    assert len(live_pledges(session)) == count
    assert (pledge.delivered_quantity, pledge.delivered_on) == (Decimal(1000), date(2025, 9, 3))
    (report,) = [r for r in pledge.reports if r.role == "delivers"]
    assert report.review_flag is None, report.review_flag
    rollup_equals_rebuild(session)


def delivery(**fields: object) -> ExtractedStageReport:
    """The sentence "Britain has delivered the first 1,000 of the more than 5,000 air defence
    missiles it promised in July" as the extractor records it; fields override."""
    evidence = (
        "Britain has delivered the first 1,000 of the more than 5,000 air defence missiles "
        "it promised in July."
    )
    values: dict[str, object] = {
        "donor": "Britain", "donor_kind": "country", "recipient": "Ukraine", "kind": "military",
        "item": MISSILES, "stage": "delivered", "quantity": Decimal(1000), "unit": "missile",
        "amount": None, "currency": None, "qualifier": "exact", "qualifier_text": None,
        "announced": date(2025, 9, 2), "announced_precision": "day",
        "refers_to": "promised in July",
        "promised": ExtractedPromisedFigure(Decimal(5000), "missile", None, None, "at_least"),
        "evidence": evidence, "evidence_start": 0, "evidence_end": len(evidence),
    }  # fmt: skip
    values.update(fields)
    return ExtractedStageReport(**values)  # type: ignore[arg-type]


def import_stage_reports(session: Session, *found: ExtractedStageReport) -> list[str]:
    """Import a delivery article whose extraction holds `found`; returns its problems."""
    text = " ".join(f.evidence for f in found) + f" ({len(found)} reports, {next(SERIAL)})"
    extraction = replace(
        extract(text, date(2025, 9, 2)), pledges=(), requests=(), stage_reports=found
    )
    meta = ArticleMeta(published=date(2025, 9, 2))
    result = import_article(session, text, meta, extraction=extraction)
    session.flush()
    return result.problems


def test_a_delivery_report_moves_the_uk_missiles_to_1000_delivered_with_no_new_pledge(
    session: Session,
) -> None:
    import_file(session, SEED)
    count = len(live_pledges(session))

    assert import_stage_reports(session, delivery()) == []

    pledge = uk_missiles(session)
    assert len(live_pledges(session)) == count
    assert pledge.delivered_quantity == Decimal(1000)
    assert pledge.delivered_on == date(2025, 9, 2)
    assert pledge.stage == "delivered"
    assert [r.role for r in pledge.reports] == ["delivers", "announces"]
    row = next(r for r in totals(session, "item") if r.key == MISSILES)
    assert row.delivered_quantity == Decimal(1000) and row.quantity == Decimal(5000)
    rollup_equals_rebuild(session)


def test_a_delivery_article_read_by_the_extractor_records_the_delivery_on_the_promise(
    session: Session,
) -> None:
    """End to end: the extractor reads the delivery sentence and the import attaches it."""
    import_file(session, SEED)
    count = len(live_pledges(session))
    text = (
        "London, 2 September. Britain has delivered the first 1,000 of the more than 5,000 "
        "air defence missiles it promised in July, the defence ministry said on Tuesday."
    )
    result = import_article(session, text, ArticleMeta(published=date(2025, 9, 2)))
    session.flush()
    assert result.problems == []
    pledge = uk_missiles(session)
    assert len(live_pledges(session)) == count
    assert pledge.delivered_quantity == Decimal(1000)
    assert [r.role for r in pledge.reports] == ["delivers", "announces"]
    rollup_equals_rebuild(session)


def test_partial_deliveries_add_up_and_pass_a_floor_unflagged(session: Session) -> None:
    """The seed's "more than 5,000" missiles are a floor: 5,500 delivered exceed nothing."""
    import_file(session, SEED)
    assert import_stage_reports(session, delivery(), delivery(quantity=Decimal(3000))) == []
    assert import_stage_reports(session, delivery(quantity=Decimal(1500))) == []
    pledge = uk_missiles(session)
    assert pledge.delivered_quantity == Decimal(5500)
    assert "more than the promised" not in (pledge.review_flag or "")
    rollup_equals_rebuild(session)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"quantity": None, "amount": Decimal(5), "currency": "GBP"}, "not money"),
        ({"quantity": Decimal(-10)}, "negative"),
        ({"unit": "launcher"}, "not launcher"),
        ({"donor": "Poland"}, "no matching pledge"),
    ],
)
def test_bad_stage_reports_are_refused_with_a_message_and_nothing_written(
    session: Session, fields: dict[str, object], words: str
) -> None:
    import_file(session, SEED)
    reports = session.scalar(select(func.count()).select_from(Report))
    problems = import_stage_reports(session, delivery(**fields))
    assert len(problems) == 1 and words in problems[0], problems
    assert session.scalar(select(func.count()).select_from(Report)) == reports
    assert uk_missiles(session).delivered_quantity is None


def test_a_delivery_of_a_deleted_pledge_is_refused_and_one_dated_too_early_is_flagged(
    session: Session,
) -> None:
    import_file(session, SEED)
    pledge = uk_missiles(session)
    assert import_stage_reports(session, delivery(announced=date(2025, 7, 1))) == []
    assert (
        pledge.review_flag is not None and "before the pledge was announced" in pledge.review_flag
    )
    delete_pledge(session, pledge.id, expected_version=pledge.version)
    problems = import_stage_reports(session, delivery(quantity=Decimal(7)))
    assert len(problems) == 1 and f"#{pledge.id}" in problems[0] and "deleted" in problems[0]


def give(session: Session, amount: str, *, announced: date = date(2025, 7, 10)) -> Pledge:
    """A reviewed pledge of the UK: `amount` pounds of aid."""
    data = PledgeInput(
        donor_id=donor_named(session, "United Kingdom").id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, "aid").id,
        amount=amount,
        currency="GBP",
        announced=announced,
        reviewed=True,
    )
    return create_pledge(session, data)


def test_an_ambiguous_match_is_flagged_and_left_out_of_the_totals_until_resolved(
    session: Session,
) -> None:
    give(session, "400000000")
    import_file(session, SEED)  # "up to £283m" of aid: same donor and item, another number
    aid = session.scalars(
        select(Pledge).where(Pledge.amount == Decimal("283000000"), Pledge.currency == "GBP")
    ).one()
    first = session.scalars(select(Pledge).where(Pledge.amount == Decimal("400000000"))).one()
    assert aid.duplicate_of_id == first.id
    uk = donor_named(session, "United Kingdom").id
    by_donor = {row.key_id: row for row in totals(session, "donor")}
    assert by_donor[uk].pledges == 2  # the July missiles and the first aid pledge
    rollup_equals_rebuild(session)

    keep_separate(session, aid.id)
    by_donor = {row.key_id: row for row in totals(session, "donor")}
    assert by_donor[uk].pledges == 3
    rollup_equals_rebuild(session)

    mark_possible_duplicate(session, aid.id, first.id)
    assert {row.key_id: row for row in totals(session, "donor")}[uk].pledges == 2
    rollup_equals_rebuild(session)


def test_link_and_split_are_audited_and_undone(session: Session) -> None:
    first = give(session, "283000000")
    second = give(session, "90000000", announced=date(2025, 7, 12))
    mark_possible_duplicate(session, second.id, first.id)
    before = grand_total(session)

    link_pledge(session, second.id, first.id)
    assert second.deleted_at is not None
    session.refresh(first)
    assert sorted(r.role for r in first.reports) == ["announces", "corroborates"]
    assert grand_total(session) == before
    rollup_equals_rebuild(session)

    unlink_pledge(session, second.id)
    session.refresh(first)
    session.refresh(second)
    assert second.deleted_at is None and second.duplicate_of_id == first.id
    assert [r.role for r in first.reports] == ["announces"]
    assert [r.role for r in second.reports] == ["announces"]
    assert grand_total(session) == before

    keep_separate(session, second.id)
    link_pledge(session, second.id, first.id)
    session.refresh(first)
    corroboration = next(r for r in first.reports if r.role == "corroborates")
    split = split_report(session, corroboration.id)
    assert split.amount == first.amount and split.duplicate_of_id is None
    assert [r.id for r in split.reports] == [corroboration.id]
    assert grand_total(session).pledges == before.pledges + 1
    rollup_equals_rebuild(session)

    undo_split(session, split.id)
    session.refresh(first)
    assert sorted(r.role for r in first.reports) == ["announces", "corroborates"]
    assert grand_total(session) == before
    rollup_equals_rebuild(session)

    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity == "pledge", AuditEvent.entity_id.in_((first.id, second.id))
        )
    ).all()
    assert {"link", "split", "separate"} <= set(actions)


def test_link_refuses_what_cannot_be_linked(session: Session) -> None:
    first = give(session, "10")
    with pytest.raises(PledgeError, match="itself"):
        link_pledge(session, first.id, first.id)
    with pytest.raises(PledgeError, match="not linked"):
        unlink_pledge(session, first.id)
    with pytest.raises(PledgeError, match="not marked"):
        keep_separate(session, first.id)


def test_the_cli_says_what_a_second_account_added(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tests.importers.test_article import migrated_env
    from tracker.cli import main

    env = migrated_env(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["seed"], env=env).exit_code == 0  # the seed story
    result = runner.invoke(main, ["import-article", str(RETOLD)], env=env)
    assert result.exit_code == 0, result.output
    assert "0 new pledges; 4 reports added to earlier pledges" in result.output
    totals_out = runner.invoke(main, ["export", "totals", "--by", "donor"], env=env)
    assert "United Kingdom,2," in totals_out.output


MATCHING_MAPPING = b"""
columns: {giver: donor, what: item, amount: amount, currency: currency, day: announced}
match: true
"""


def test_a_table_with_matching_on_corroborates_flags_and_never_matches_its_own_rows(
    session: Session, tmp_path: Path
) -> None:
    from tracker.importers.mapping import Mapping
    from tracker.importers.table import import_table

    first = give(session, "283000000")  # UK aid, 2025-07-10
    table = (
        b"giver,what,amount,currency,day\n"
        b"Britain,aid,283000000,GBP,2025-07-12\n"  # the same promise: a report of it
        b"Britain,aid,50000000,GBP,2025-07-11\n"  # same donor and item, another number
        b"Britain,aid,7000000,GBP,2024-01-01\n"  # far apart in time: new
        b"Britain,aid,7000000,GBP,2024-01-01\n"  # its twin in the same table: new too
    )
    mapping = Mapping.loads(MATCHING_MAPPING, "m.yaml")
    before = grand_total(session)
    result = import_table(session, table, "t.csv", mapping=mapping)
    assert (result.created, result.corroborated, result.possible_duplicates) == (3, 1, 1)
    session.refresh(first)
    assert sorted(r.role for r in first.reports) == ["announces", "corroborates"]
    flagged = session.scalars(select(Pledge).where(Pledge.duplicate_of_id == first.id)).one()
    assert flagged.amount == Decimal("50000000")
    report = next(r for r in first.reports if r.role == "corroborates")
    assert (report.source_id, report.reported_on) == (result.source_id, date(2025, 7, 12))
    assert report.review_flag == f"row 2: corroborates #{first.id}"
    assert report.created_at == flagged.created_at and report.created_by_id is None
    assert report.amount is None and report.evidence_id is None
    twins = session.scalars(select(Pledge).where(Pledge.amount == Decimal("7000000"))).all()
    assert len(twins) == 2 and all(t.duplicate_of_id is None for t in twins)
    assert grand_total(session).pledges == before.pledges + 2
    rollup_equals_rebuild(session)
    assert "1 reports of earlier pledges, 1 possible duplicates" in result.summary()


def test_the_shipped_kiel_mappings_leave_matching_off() -> None:
    from tracker.importers.mapping import Mapping

    for name in ("kiel-bilateral-activities.yaml", "kiel-weapons.yaml"):
        assert Mapping.load(ROOT / "mappings" / name).match is False


def test_a_pledge_that_only_a_deleted_pledge_matches_is_new_and_the_import_says_so(
    session: Session,
) -> None:
    import_file(session, SEED)
    missiles = uk_missiles(session)
    delete_pledge(session, missiles.id, expected_version=missiles.version)
    text, meta = read_article(RETOLD)
    result = import_article(session, text, meta)
    assert [p.item_text for p in result.pledges] == [MISSILES]
    assert len(result.reports) == 3
    assert any(f"matches deleted pledge #{missiles.id}" in p for p in result.problems)
