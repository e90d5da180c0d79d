"""The migrations are the only way the schema is made: they go up, down and up again,
and leave nothing for autogenerate to find."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from sqlalchemy import Engine, inspect, text

from tests.conftest import fresh_engine
from tracker import migrate
from tracker.db import make_engine


@pytest.fixture
def empty_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        engine = fresh_engine("sqlite", tmp_path_factory)
        yield engine
        engine.dispose()
        return
    base = fresh_engine.__globals__["postgres_url"]()
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS migration_test CASCADE"))
        connection.execute(text("CREATE SCHEMA migration_test"))
    engine = make_engine(base, connect_args={"options": "-csearch_path=migration_test"})
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text("DROP SCHEMA migration_test CASCADE"))
    admin.dispose()


def table_names(engine: Engine) -> set[str]:
    """The tables in the engine's database, without Alembic's own."""
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert {"pledge", "donor", "source", "evidence", "audit_event"} <= table_names(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()

    migrate.downgrade(empty_engine, "base")
    assert table_names(empty_engine) == set()
    assert migrate.current_revision(empty_engine) is None

    migrate.upgrade(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()


def test_models_match_migrations(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.check(empty_engine)  # raises when autogenerate would find a difference


def test_check_fails_on_an_unmigrated_database(empty_engine: Engine) -> None:
    from alembic.util.exc import CommandError

    with pytest.raises(CommandError):
        migrate.check(empty_engine)


def test_migrations_keep_the_rows_of_tables_others_refer_to(empty_engine: Engine) -> None:
    """0006 rebuilds donor, source and other referenced tables on SQLite: with pledges
    pointing at them, it goes down and up again and every row and reference stays."""
    from sqlalchemy.orm import Session

    from tests.factories import make_pledge, make_source
    from tracker.models import Pledge
    from tracker.services.reference import seed_reference

    migrate.upgrade(empty_engine)
    with Session(empty_engine) as session:
        seed_reference(session)
        pledge = make_pledge(session, source=make_source(session))
        session.commit()
        expected = (pledge.id, pledge.donor_id, pledge.item_id, pledge.source_id)
    migrate.downgrade(empty_engine, "0005")
    migrate.upgrade(empty_engine)
    with Session(empty_engine) as session:
        stored = session.get(Pledge, expected[0])
        assert stored is not None
        assert (stored.id, stored.donor_id, stored.item_id, stored.source_id) == expected
        assert stored.donor.name and stored.item.name
    if empty_engine.dialect.name == "sqlite":
        with empty_engine.connect() as connection:  # enforcement is back on afterwards
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_allowed_values_are_still_enforced_after_the_rewrite(empty_engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    migrate.upgrade(empty_engine)
    with pytest.raises(IntegrityError), empty_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO donor (name, kind, created_at) VALUES ('X', 'nation', :now)"),
            {"now": "2026-01-01 00:00:00"},
        )
    with empty_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO donor (name, kind, created_at) VALUES ('Y', 'group', :now)"),
            {"now": "2026-01-01 00:00:00"},
        )


def test_a_schema_change_that_breaks_a_reference_is_not_kept(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """On SQLite (only) foreign keys are off while a migration runs; a dangling
    reference it leaves makes the whole transaction roll back."""
    engine = fresh_engine("sqlite", tmp_path_factory)
    migrate.upgrade(engine)
    insert = "INSERT INTO donor_alias (donor_id, alias, key) VALUES (999, 'x', 'x')"
    with (
        pytest.raises(migrate.MigrationError, match="donor_alias row"),
        migrate.schema_transaction(engine) as connection,
    ):
        connection.execute(text(insert))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM donor_alias")).scalar_one() == 0
    engine.dispose()


def test_existing_pledges_become_one_pledge_with_one_report(empty_engine: Engine) -> None:
    """0007–0009 with pledges in the table: each pledge gets one announcing report from its
    own source and evidence; down to 0006 and up again keeps every pledge, and the
    reports come back one per pledge."""
    from sqlalchemy.orm import Session

    from tracker.services.reference import seed_reference

    migrate.upgrade(empty_engine)  # the reference data as the code of today writes it,
    with Session(empty_engine) as session:
        seed_reference(session)
        session.commit()
    migrate.downgrade(empty_engine, "0006")  # then back to the schema before reports
    insert_pledge = text(
        "INSERT INTO pledge (donor_id, recipient_id, item_id, kind, stage, qualifier, amount, "
        "currency, is_correction, reviewed, version, created_at, updated_at, announced, "
        "source_id, evidence_id) VALUES ((SELECT min(id) FROM donor), (SELECT min(id) FROM "
        "recipient), (SELECT min(id) FROM item), 'financial', 'announced', 'exact', :amount, "
        "'EUR', false, false, 1, :now, :now, :day, :source, :evidence)"
    )
    now = "2026-01-01 00:00:00"
    with empty_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO source (kind, text, created_at) VALUES ('article', 'A b.', :now)"),
            {"now": now},
        )
        source_id = connection.execute(text("SELECT max(id) FROM source")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO evidence (source_id, start, \"end\", text) VALUES (:s, 0, 4, 'A b.')"
            ),
            {"s": source_id},
        )
        evidence_id = connection.execute(text("SELECT max(id) FROM evidence")).scalar_one()
        for amount, source, evidence in ((100, source_id, evidence_id), (250, None, None)):
            connection.execute(
                insert_pledge,
                {"amount": amount, "now": now, "day": "2025-07-10", "source": source,
                 "evidence": evidence},
            )  # fmt: skip
    read = text(
        "SELECT p.id, r.role, r.source_id, r.evidence_id, r.reported_on FROM pledge p "
        "JOIN report r ON r.pledge_id = p.id ORDER BY p.id"
    )
    for _round in range(2):
        migrate.upgrade(empty_engine)
        with empty_engine.connect() as connection:
            rows = [tuple(map(str, row)) for row in connection.execute(read)]
        assert rows == [
            ("1", "announces", str(source_id), str(evidence_id), "2025-07-10"),
            ("2", "announces", "None", "None", "2025-07-10"),
        ]
        migrate.downgrade(empty_engine, "0006")
        assert "report" not in table_names(empty_engine)
        with empty_engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM pledge")).scalar_one()
        assert count == 2


def test_package_totals_keep_the_pledges_and_count_their_money(empty_engine: Engine) -> None:
    """0022 with pledges in the table: each counts its money and is no package's total;
    a package with a stated total goes down to 0020 and up again with every pledge kept,
    and one package cannot have two stated totals."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from tracker.services.reference import seed_reference

    migrate.upgrade(empty_engine)
    with Session(empty_engine) as session:
        seed_reference(session)
        session.commit()
    migrate.downgrade(empty_engine, "0020")
    now = "2026-01-01 00:00:00"
    insert_pledge = text(
        "INSERT INTO pledge (donor_id, recipient_id, item_id, kind, stage, qualifier, amount, "
        "currency, is_correction, reviewed, version, created_at, updated_at, package_id) "
        "VALUES ((SELECT min(id) FROM donor), (SELECT min(id) FROM recipient), "
        "(SELECT min(id) FROM item), 'financial', 'announced', 'exact', :amount, 'EUR', "
        "false, false, 1, :now, :now, (SELECT max(id) FROM package))"
    )
    with empty_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO package (name, created_at) VALUES ('€820m', :now)"), {"now": now}
        )
        for amount in (820, 50, 770):
            connection.execute(insert_pledge, {"amount": amount, "now": now})
    read = text("SELECT amount, package_total, counts_money FROM pledge ORDER BY id")
    mark = text("UPDATE pledge SET package_total = true WHERE amount = 820")
    for _round in range(2):
        migrate.upgrade(empty_engine)
        with empty_engine.connect() as connection:
            rows = [(int(a), bool(t), bool(c)) for a, t, c in connection.execute(read)]
        assert rows == [(820, False, True), (50, False, True), (770, False, True)]
        with empty_engine.begin() as connection:
            connection.execute(mark)
        with pytest.raises(IntegrityError), empty_engine.begin() as connection:
            connection.execute(text("UPDATE pledge SET package_total = true WHERE amount = 50"))
        migrate.downgrade(empty_engine, "0020")
        columns = {c["name"] for c in inspect(empty_engine).get_columns("pledge")}
        assert not {"package_total", "counts_money"} & columns
        with empty_engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM pledge")).scalar_one()
        assert count == 3


def test_donor_item_rollup_rows_come_with_0023_and_go_with_its_downgrade(
    empty_engine: Engine,
) -> None:
    """0023 fills the donor × item rows of a database that holds pledges (a rebuild), so
    the rollup equals a rebuild; going down deletes them and the CHECK refuses them again."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from tests.services.test_totals import rollup_rows
    from tracker.services.reference import seed_reference
    from tracker.services.rollup import rebuild_totals

    migrate.upgrade(empty_engine)
    with Session(empty_engine) as session:
        seed_reference(session)
        session.commit()
    migrate.downgrade(empty_engine, "0022")
    now = "2026-01-01 00:00:00"
    with empty_engine.begin() as connection:
        for amount in (820, 50, 770):
            connection.execute(
                text(
                    "INSERT INTO pledge (donor_id, recipient_id, item_id, kind, stage, "
                    "qualifier, amount, currency, eur, is_correction, reviewed, version, "
                    "created_at, updated_at) VALUES ((SELECT min(id) FROM donor), "
                    "(SELECT min(id) FROM recipient), (SELECT min(id) FROM item), "
                    "'financial', 'announced', 'exact', :amount, 'EUR', :amount, false, "
                    "false, 1, :now, :now)"
                ),
                {"amount": amount, "now": now},
            )
    rows = text("SELECT key, eur_cents, pledges FROM totals_rollup WHERE dimension = 'donor_item'")
    for _round in range(2):
        migrate.upgrade(empty_engine)
        with empty_engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(rows)] == [
                (connection.execute(text("SELECT cast(min(id) AS varchar) FROM item")).scalar(),
                 164000, 3)
            ]  # fmt: skip
        with Session(empty_engine) as session:
            kept = rollup_rows(session)
            rebuild_totals(session)
            assert rollup_rows(session) == kept
            session.rollback()
        migrate.downgrade(empty_engine, "0022")
        with empty_engine.connect() as connection:
            assert connection.execute(rows).all() == []
        with pytest.raises(IntegrityError), empty_engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO totals_rollup (dimension, key_id, key, kind, stage, "
                    "recipient_id, reviewed) VALUES ('donor_item', 1, '1', '', '', 0, false)"
                )
            )


def test_names_version_comes_with_0027_at_zero_and_goes_with_its_downgrade(
    empty_engine: Engine,
) -> None:
    """0027 on a database whose data version has moved: the row keeps its version and
    gains names_version 0; going down drops the column and keeps the row."""
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "0023")
    with empty_engine.begin() as connection:
        connection.execute(text("DELETE FROM data_version"))
        connection.execute(text("INSERT INTO data_version (id, version) VALUES (1, 41)"))
    read = text("SELECT id, version, names_version FROM data_version")
    for _round in range(2):
        migrate.upgrade(empty_engine)
        with empty_engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(read)] == [(1, 41, 0)]
        migrate.downgrade(empty_engine, "0023")
        columns = {c["name"] for c in inspect(empty_engine).get_columns("data_version")}
        assert "names_version" not in columns
        with empty_engine.connect() as connection:
            rows = connection.execute(text("SELECT id, version FROM data_version")).all()
        assert [tuple(row) for row in rows] == [(1, 41)]


def _pledges_below(
    engine: Engine, revision: str, pledges: list[tuple[int, str, str, str | None]]
) -> None:
    """Seed the reference data, go down to `revision`, and write pledges of the first donor
    and item straight into the table (no rollup rows): (EUR amount, kind, stage, day)."""
    from sqlalchemy.orm import Session

    from tracker.services.reference import seed_reference

    migrate.upgrade(engine)
    with Session(engine) as session:
        seed_reference(session)
        session.commit()
    migrate.downgrade(engine, revision)
    now = "2026-01-01 00:00:00"
    with engine.begin() as connection:
        for amount, kind, stage, day in pledges:
            connection.execute(
                text(
                    "INSERT INTO pledge (donor_id, recipient_id, item_id, kind, stage, "
                    "qualifier, amount, currency, eur, announced, is_correction, reviewed, "
                    "version, created_at, updated_at) VALUES ((SELECT min(id) FROM donor), "
                    "(SELECT min(id) FROM recipient), (SELECT min(id) FROM item), "
                    ":kind, :stage, 'exact', :amount, 'EUR', :amount, :day, false, "
                    "false, 1, :now, :now)"
                ),
                {"amount": amount, "now": now, "day": day, "kind": kind, "stage": stage},
            )


def _rollup_rows_come_and_go(
    engine: Engine,
    below: str,
    pledges: list[tuple[int, str, str, str | None]],
    rows: str,
    expected: list[tuple[object, ...]],
    refused: str,
    left: list[tuple[object, ...]] | None = None,
) -> None:
    """Pledges (EUR amount, kind, stage, day) written at revision `below` get the rows `rows`
    (`expected`) from the upgrade, so the rollup equals a rebuild; going down to `below`
    leaves of them only `left` (none by default), and the CHECK refuses the dimension
    `refused` again. Twice."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session

    from tests.services.test_totals import rollup_rows
    from tracker.services.rollup import rebuild_totals

    _pledges_below(engine, below, pledges)
    for _round in range(2):
        migrate.upgrade(engine)
        with engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(text(rows))] == expected
        with Session(engine) as session:
            kept = rollup_rows(session)
            rebuild_totals(session)
            assert rollup_rows(session) == kept
            session.rollback()
        migrate.downgrade(engine, below)
        with engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(text(rows))] == (left or [])
            assert connection.execute(text("SELECT count(*) FROM totals_rollup")).scalar()
        with pytest.raises(DBAPIError), engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO totals_rollup (dimension, key_id, key, kind, stage, "
                    f"recipient_id, reviewed) VALUES ('{refused}', 1, '', '', '', 0, false)"
                )
            )


def test_donor_and_item_month_rollup_rows_come_with_0029_and_go_with_its_downgrade(
    empty_engine: Engine,
) -> None:
    """0029 fills the donor × month and item × month rows of a database that holds pledges
    (a rebuild), so the rollup equals a rebuild; going down deletes them, and the CHECK
    refuses them again."""
    _rollup_rows_come_and_go(
        empty_engine,
        "0023",
        [(820, "financial", "announced", "2025-03-17"),
         (50, "financial", "announced", "2025-03-02"), (770, "financial", "announced", None)],
        "SELECT dimension, key, eur_cents, pledges FROM totals_rollup "
        "WHERE dimension IN ('donor_month', 'item_month') ORDER BY dimension, key",
        [("donor_month", "", 77000, 1), ("donor_month", "2025-03", 87000, 2),
         ("item_month", "", 77000, 1), ("item_month", "2025-03", 87000, 2)],
        "item_month",
    )  # fmt: skip


def test_donor_item_and_month_by_kind_and_stage_come_with_0033_and_go_with_its_downgrade(
    empty_engine: Engine,
) -> None:
    """0033 fills the donor × item and donor × month rows by kind and stage of a database
    that holds pledges (a rebuild), so the rollup equals a rebuild; going down deletes
    them, and the CHECK refuses them again."""
    _rollup_rows_come_and_go(
        empty_engine,
        "0031",
        [(820, "financial", "announced", "2025-03-17"),
         (50, "financial", "delivered", "2025-03-17"),
         (770, "financial", "announced", "2025-03-17")],
        "SELECT dimension, stage, recipient_id, eur_cents, pledges FROM totals_rollup "
        "WHERE dimension IN ('donoritem_ks', 'donormon_ks') AND kind = 'financial' "
        "ORDER BY dimension, stage",
        [("donoritem_ks", "announced", 0, 159000, 2), ("donoritem_ks", "delivered", 0, 5000, 1),
         ("donormon_ks", "announced", 0, 159000, 2), ("donormon_ks", "delivered", 0, 5000, 1)],
        "donormon_ks",
    )  # fmt: skip


def test_donor_month_kind_rows_come_with_0031_and_go_with_its_downgrade(
    empty_engine: Engine,
) -> None:
    """0031 fills the donor × month × kind rows (cancelled pledges apart) and the item ×
    month rows by kind of a database that holds pledges, so the rollup equals a rebuild;
    going down deletes the first, sums the second over kind again, and the CHECK refuses
    the new dimension again."""
    day = "2025-03-17"
    _rollup_rows_come_and_go(
        empty_engine,
        "0029",
        [(820, "financial", "announced", day), (50, "financial", "cancelled", day),
         (7, "humanitarian", "committed", day)],
        "SELECT dimension, kind, stage, eur_cents, pledges FROM totals_rollup "
        "WHERE dimension IN ('donor_month_kind', 'item_month') ORDER BY dimension, kind, stage",
        [("donor_month_kind", "financial", "", 82000, 1),
         ("donor_month_kind", "financial", "cancelled", 5000, 1),
         ("donor_month_kind", "humanitarian", "", 700, 1),
         ("item_month", "financial", "", 87000, 2), ("item_month", "humanitarian", "", 700, 1)],
        "donor_month_kind",
        left=[("item_month", "", "", 87700, 3)],
    )  # fmt: skip


def test_donor_kind_rows_come_with_0037_and_go_with_its_downgrade(empty_engine: Engine) -> None:
    """0037 fills the donor × kind rows (cancelled pledges apart, whatever the month) of a
    database that holds pledges, so the rollup equals a rebuild; going down deletes them
    and the CHECK refuses them again. The SQLite rollup stays WITHOUT ROWID both ways."""
    _rollup_rows_come_and_go(
        empty_engine,
        "0035",
        [(820, "financial", "announced", "2025-03-17"), (50, "financial", "cancelled", None),
         (30, "financial", "delivered", "2024-11-02"), (7, "humanitarian", "committed", None)],
        "SELECT dimension, key, kind, stage, recipient_id, eur_cents, pledges FROM totals_rollup "
        "WHERE dimension = 'donor_kind' ORDER BY kind, stage",
        [("donor_kind", "", "financial", "", 0, 85000, 2),
         ("donor_kind", "", "financial", "cancelled", 0, 5000, 1),
         ("donor_kind", "", "humanitarian", "", 0, 700, 1)],
        "donor_kind",
    )  # fmt: skip
    if empty_engine.dialect.name == "sqlite":
        read = text("SELECT sql FROM sqlite_master WHERE name = 'totals_rollup'")
        for step in (migrate.upgrade, partial(migrate.downgrade, revision="0035")):
            step(empty_engine)
            with empty_engine.connect() as connection:
                assert connection.execute(read).scalar_one().rstrip().endswith("WITHOUT ROWID")


def test_the_sqlite_rollup_is_stored_without_rowid_from_0035_and_with_it_below(
    empty_engine: Engine,
) -> None:
    """0035 rebuilds the SQLite rollup as a WITHOUT ROWID table with the same rows, so the
    rollup still equals a rebuild and the CHECK still refuses an unknown dimension; going
    down to 0033 makes it a rowid table again with the same rows. Twice; and it stays
    WITHOUT ROWID at the newest revision. PostgreSQL's is unchanged."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session

    from tests.services.test_totals import rollup_rows
    from tracker.models.totals import ROLLUP_DIMENSIONS
    from tracker.services.rollup import rebuild_totals

    known = [dimension for dimension in ROLLUP_DIMENSIONS if dimension != "donor_kind"]  # 0037

    _pledges_below(
        empty_engine,
        "0033",
        [(820, "financial", "announced", "2025-03-17"), (50, "financial", "cancelled", None)],
    )
    with Session(empty_engine) as session:
        rebuild_totals(session, known)
        session.commit()
    sqlite = empty_engine.dialect.name == "sqlite"

    def state() -> tuple[bool, list[tuple[object, ...]]]:
        with empty_engine.connect() as connection:
            create = ""
            if sqlite:
                create = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'totals_rollup'")
                ).scalar_one()
            rows = connection.execute(text("SELECT * FROM totals_rollup ORDER BY 1, 2, 3, 4, 5"))
            return create.rstrip().endswith("WITHOUT ROWID"), [tuple(row) for row in rows]

    below = state()
    assert below[0] is False and below[1]
    for _round in range(2):
        migrate.upgrade(empty_engine, "0035")
        assert state() == (sqlite, below[1])
        with Session(empty_engine) as session:
            kept = rollup_rows(session)
            rebuild_totals(session, known)
            assert rollup_rows(session) == kept
            session.rollback()
        with pytest.raises(DBAPIError), empty_engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO totals_rollup (dimension, key_id, key, kind, stage, "
                    "recipient_id, reviewed) VALUES ('nothing', 1, '', '', '', 0, false)"
                )
            )
        migrate.downgrade(empty_engine, "0033")
        assert state() == below
    migrate.upgrade(empty_engine)  # a later migration that rebuilds the table must keep it so
    assert state()[0] is sqlite


def test_report_source_ref_comes_with_0039_and_goes_with_its_downgrade(
    empty_engine: Engine,
) -> None:
    """0039 adds the row key of a report (NULL for the reports already there), one report
    per (source, row); going down to 0037 drops it and keeps every report. Twice."""
    from sqlalchemy.exc import IntegrityError

    _pledges_below(empty_engine, "0037", [(820, "financial", "announced", "2025-03-17")])
    now = "2026-01-01 00:00:00"
    insert_report = text(
        "INSERT INTO report (pledge_id, source_id, role, created_at) VALUES "
        "((SELECT min(id) FROM pledge), (SELECT min(id) FROM source), :role, :now)"
    )
    with empty_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO source (kind, sha256, created_at) VALUES ('dataset', 'ab', :now)"),
            {"now": now},
        )
        for role in ("announces", "corroborates"):
            connection.execute(insert_report, {"role": role, "now": now})
    read = text("SELECT role, source_ref FROM report ORDER BY id")
    for _round in range(2):
        migrate.upgrade(empty_engine)
        with empty_engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(read)] == [
                ("announces", None),
                ("corroborates", None),
            ]
        with empty_engine.begin() as connection:
            connection.execute(
                text("UPDATE report SET source_ref = '7' WHERE role = 'corroborates'")
            )
        with pytest.raises(IntegrityError), empty_engine.begin() as connection:
            connection.execute(text("UPDATE report SET source_ref = '7' WHERE role = 'announces'"))
        migrate.downgrade(empty_engine, "0037")
        columns = {c["name"] for c in inspect(empty_engine).get_columns("report")}
        assert "source_ref" not in columns
        with empty_engine.connect() as connection:
            assert [
                row for (row,) in connection.execute(text("SELECT role FROM report ORDER BY id"))
            ] == [
                "announces",
                "corroborates",
            ]


def test_a_reports_link_to_the_stage_report_it_repeats_comes_with_0047_and_goes_with_it(
    empty_engine: Engine,
) -> None:
    """0047 adds `corroborates_id` and `note` (NULL for the reports already there); going
    down to 0039 with a link and a note stored drops both and keeps every report. Twice."""
    _pledges_below(empty_engine, "0039", [(820, "financial", "delivered", "2025-03-17")])
    now = "2026-01-01 00:00:00"
    with empty_engine.begin() as connection:
        for role in ("announces", "delivers", "corroborates"):
            connection.execute(
                text(
                    "INSERT INTO report (pledge_id, role, created_at) VALUES "
                    "((SELECT min(id) FROM pledge), :role, :now)"
                ),
                {"role": role, "now": now},
            )
    read = text("SELECT role, corroborates_id, note FROM report ORDER BY id")
    for _round in range(2):
        migrate.upgrade(empty_engine)
        with empty_engine.begin() as connection:
            rows = [tuple(row) for row in connection.execute(read)]
            assert rows == [
                (role, None, None) for role in ("announces", "delivers", "corroborates")
            ]
            connection.execute(
                text(
                    "UPDATE report SET corroborates_id = (SELECT id FROM report WHERE role = "
                    "'delivers'), note = 'repeats' WHERE role = 'corroborates'"
                )
            )
            linked = connection.execute(
                text("SELECT note FROM report WHERE corroborates_id IS NOT NULL")
            ).scalars()
            assert list(linked) == ["repeats"]
        migrate.downgrade(empty_engine, "0039")
        columns = {c["name"] for c in inspect(empty_engine).get_columns("report")}
        assert not {"corroborates_id", "note"} & columns
        with empty_engine.connect() as connection:
            roles = connection.execute(text("SELECT role FROM report ORDER BY id")).scalars()
            assert list(roles) == ["announces", "delivers", "corroborates"]


def test_the_donor_index_widened_by_0041_and_0045_keeps_its_name_and_goes_back(
    empty_engine: Engine,
) -> None:
    """0041 rebuilds the `(donor_id, announced)` index with what the totals read of a
    pledge after its two keys, 0045 adds the source the match ranking reads; going down
    to 0041 drops the source, to 0039 leaves the two keys. The pledges stay, twice."""
    from tracker.models.totals import TOTALS_READ_COLUMNS

    _pledges_below(empty_engine, "0039", [(820, "financial", "announced", "2025-03-17"),
                                          (5, "military", "cancelled", None)])  # fmt: skip

    def columns() -> list[str]:
        indexes = inspect(empty_engine).get_indexes("pledge")
        found = [i for i in indexes if i["name"] == "ix_pledge_donor_id_announced"]
        return [str(name) for name in found[0]["column_names"]]

    read = text("SELECT eur, stage, announced FROM pledge ORDER BY id")
    with empty_engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(read)]
    totals = ["donor_id", "announced", *TOTALS_READ_COLUMNS]
    assert len(rows) == 2 and columns() == ["donor_id", "announced"]
    for _round in range(2):
        migrate.upgrade(empty_engine, "0041")
        assert columns() == totals
        migrate.upgrade(empty_engine)
        assert columns() == [*totals, "source_id"]
        with empty_engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(read)] == rows
        migrate.downgrade(empty_engine, "0041")
        assert columns() == totals
        migrate.downgrade(empty_engine, "0039")
        assert columns() == ["donor_id", "announced"]
        with empty_engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(read)] == rows
