"""0048 gives each pledge a table row made with stage figures but no announcing report the
report that announces it (from the row's table, dated by the announcement); going down
removes exactly those reports, and up again adds them back. Drawn sets of pledges and
reports, on both databases."""

from __future__ import annotations

from typing import NamedTuple

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, text

from tests.test_migrations import empty_engine  # noqa: F401  (the fixture)
from tracker import migrate

BEFORE = "0047"
ANNOUNCED = "2025-07-10"
NOW = "2026-01-01 00:00:00"
SOURCE_KINDS = ("dataset", "article")
ROLES = ("announces", "corroborates", "allocates", "delivers")


class DrawnReport(NamedTuple):
    """A report of a drawn pledge: its role, and whether it comes from the pledge's source."""

    role: str
    own_source: bool


class DrawnPledge(NamedTuple):
    """A pledge as it stood before 0048: the kind of its source and its reports."""

    source_kind: str
    reports: list[DrawnReport]


PLEDGES = st.lists(
    st.builds(
        DrawnPledge,
        st.sampled_from(SOURCE_KINDS),
        st.lists(st.builds(DrawnReport, st.sampled_from(ROLES), st.booleans()), max_size=3),
    ),
    min_size=1,
    max_size=6,
)


def lacks_its_announcement(pledge: DrawnPledge) -> bool:
    """Whether 0048 should give the pledge an announcing report: a table row's pledge
    holding an allocation or delivery of its own table, and no announcement."""
    roles = {report.role for report in pledge.reports}
    own_stage = any(r.own_source and r.role in ("allocates", "delivers") for r in pledge.reports)
    return pledge.source_kind == "dataset" and "announces" not in roles and own_stage


def write(connection: Connection, pledges: list[DrawnPledge]) -> list[int]:
    """Store the drawn pledges and their reports (a report not from the pledge's source is
    from another, an article); return the pledges' ids."""
    sources = {}
    for kind in SOURCE_KINDS:
        sources[kind] = connection.execute(
            text(
                "INSERT INTO source (kind, sha256, text, created_at) VALUES "
                "(:kind, :kind, 'A b.', :now) RETURNING id"
            ),
            {"kind": kind, "now": NOW},
        ).scalar_one()
    ids = []
    for pledge in pledges:
        source = sources[pledge.source_kind]
        pledge_id = connection.execute(
            text(
                "INSERT INTO pledge (donor_id, recipient_id, item_id, kind, stage, qualifier, "
                "amount, currency, eur, announced, is_correction, reviewed, version, "
                "created_at, updated_at, source_id) VALUES ((SELECT min(id) FROM donor), "
                "(SELECT min(id) FROM recipient), (SELECT min(id) FROM item), 'financial', "
                "'announced', 'exact', 100, 'EUR', 100, :day, false, false, 1, :now, :now, "
                ":source) RETURNING id"
            ),
            {"day": ANNOUNCED, "now": NOW, "source": source},
        ).scalar_one()
        ids.append(pledge_id)
        for report in pledge.reports:
            other = sources["article" if pledge.source_kind == "dataset" else "dataset"]
            connection.execute(
                text(
                    "INSERT INTO report (pledge_id, source_id, role, reported_on, created_at) "
                    "VALUES (:pledge, :source, :role, :day, :now)"
                ),
                {
                    "pledge": pledge_id, "source": source if report.own_source else other,
                    "role": report.role, "day": ANNOUNCED, "now": NOW,
                },
            )  # fmt: skip
    return ids


REPORTS = text("SELECT id, pledge_id, source_id, role, reported_on, note FROM report ORDER BY id")
ANNOUNCEMENTS = text(
    "SELECT r.pledge_id, r.source_id, p.source_id, r.reported_on, r.evidence_id, r.source_ref "
    "FROM report r JOIN pledge p ON p.id = r.pledge_id WHERE r.note IS NOT NULL "
    "ORDER BY r.pledge_id"
)


def reports(engine: Engine) -> list[tuple[object, ...]]:
    """Every report, as rows."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(REPORTS)]


def added(engine: Engine) -> list[tuple[object, ...]]:
    """The reports 0048 added: (pledge, its source, the pledge's, day, evidence, row key)."""
    with engine.connect() as connection:
        return [tuple(map(str, row)) for row in connection.execute(ANNOUNCEMENTS)]


def test_table_rows_get_their_announcement_with_0048_and_lose_it_with_its_downgrade(
    empty_engine: Engine,  # noqa: F811
) -> None:
    from sqlalchemy.orm import Session

    from tracker.services.reference import seed_reference

    migrate.upgrade(empty_engine)
    with Session(empty_engine) as session:
        seed_reference(session)
        session.commit()
    migrate.downgrade(empty_engine, BEFORE)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(pledges=PLEDGES)
    def check(pledges: list[DrawnPledge]) -> None:
        with empty_engine.begin() as connection:
            ids = write(connection, pledges)
        before = reports(empty_engine)
        missing = [
            i for i, pledge in zip(ids, pledges, strict=True) if lacks_its_announcement(pledge)
        ]
        for _round in range(2):
            migrate.upgrade(empty_engine)
            rows = added(empty_engine)
            assert [row[0] for row in rows] == [str(i) for i in missing]
            for _pledge, source, pledge_source, day, evidence, row_key in rows:
                assert (source, day, evidence, row_key) == (
                    pledge_source,
                    ANNOUNCED,
                    "None",
                    "None",
                )
            assert len(reports(empty_engine)) == len(before) + len(missing)
            migrate.downgrade(empty_engine, BEFORE)
            assert reports(empty_engine) == before
        with empty_engine.begin() as connection:
            connection.execute(text("DELETE FROM report"))
            connection.execute(text("DELETE FROM pledge"))
            connection.execute(text("DELETE FROM source"))

    check()
