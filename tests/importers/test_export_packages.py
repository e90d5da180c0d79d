"""Packages in our own export: `package_id`, `package` and `package_total` carry them, so an
export imported into an empty database makes the same packages and the same totals, and an
export imported back into its own database changes no package."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tests.conftest import seeded_engine
from tests.importers.test_table_packages import mapping, table
from tests.services.test_totals import assert_rollup_is_fresh
from tracker.exports import export_pledges
from tracker.importers.table import TableImportError, import_table
from tracker.models import Package, Pledge
from tracker.services.totals import grand_total, totals

# Two packages of one name (one with a stated total), a package without a total, a pledge
# in none: the export keys packages by id, so the two "G-1" stay two.
ROWS = (
    "Germany,2025-03-01,military aid,,100000000,EUR,G-1,Total\n"
    "Germany,2025-03-01,tanks,10,60000000,EUR,G-1,Part\n"
    "Germany,2025-03-01,air defence missiles,500,,,G-1,Part\n"
    "Norway,2025-03-05,military aid,,30000000,EUR,N-1,\n"
    "Norway,2025-03-05,drones,,20000000,EUR,N-1,Part\n"
    "France,2025-03-07,military aid,,5000000,EUR,,\n"
)
SECOND_G1 = (
    "Germany,2025-04-01,military aid,,7000000,EUR,G-1,Total\n"
    "Germany,2025-04-01,ammunition,,9000000,EUR,G-1,Part\n"
)


@pytest.fixture(scope="module")
def empty_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated, seeded SQLite database with no pledges, for the exports to go into."""
    engine = seeded_engine("sqlite", tmp_path_factory)
    yield engine
    engine.dispose()


def packaged(session: Session) -> None:
    """The pledges of ROWS and a second package named G-1, imported through a mapping."""
    import_table(session, table(ROWS), "first.csv", mapping=mapping())
    import_table(session, table(SECOND_G1), "second.csv", mapping=mapping())
    session.flush()


def export_frame(session: Session) -> pd.DataFrame:
    """Our pledges export (CSV, formatted by the database) as text cells."""
    data = b"".join(export_pledges(session, None, "csv"))
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def as_new_rows(frame: pd.DataFrame) -> bytes:
    """The export as rows for another database: without `id` and `version`, every row is new."""
    return frame.drop(columns=["id", "version"]).to_csv(index=False).encode()


def shape(session: Session) -> list[tuple]:
    """Each pledge by its donor, item and amount, with its package's name and members' shape:
    what a copy of the database must reproduce (ids differ)."""
    rows = session.execute(
        select(Pledge.id, Pledge.package_id, Pledge.package_total, Pledge.counts_money)
        .where(Pledge.deleted_at.is_(None))
        .order_by(Pledge.id)
    ).all()
    by_package: dict[int | None, list[int]] = {}
    for pledge_id, package_id, _total, _counts in rows:
        by_package.setdefault(package_id, []).append(pledge_id)
    out = []
    for pledge_id, package_id, is_total, counts in rows:
        pledge = session.get_one(Pledge, pledge_id)
        name = session.get_one(Package, package_id).name if package_id else None
        mates = len(by_package[package_id]) if package_id else 0
        out.append(
            (pledge.donor.name, pledge.item.name, pledge.amount, pledge.quantity, name, mates,
             is_total, counts)
        )  # fmt: skip
    return sorted(out, key=repr)


def by_donor(session: Session) -> dict[str, tuple[int, Decimal | None, Decimal | None]]:
    """Pledges, EUR and quantity per donor."""
    return {row.key: (row.pledges, row.eur, row.quantity) for row in totals(session, "donor")}


def test_the_export_names_each_pledges_package(session: Session) -> None:
    packaged(session)
    frame = export_frame(session)
    # appended after the columns before them, as allocated_on after them
    assert list(frame.columns[-4:]) == ["package", "package_total", "counts_money", "allocated_on"]
    by_item = {(row["item"], row["amount"]): row for row in frame.to_dict("records")}
    total = by_item[("military aid", "100000000.00")]
    assert (total["package"], total["package_total"]) == ("G-1", "true")
    tanks = by_item[("tanks", "60000000.00")]
    assert (tanks["package"], tanks["package_id"], tanks["package_total"]) == (
        "G-1", total["package_id"], "false"
    )  # fmt: skip
    assert by_item[("ammunition", "9000000.00")]["package_id"] != total["package_id"]
    france = by_item[("military aid", "5000000.00")]
    assert (france["package"], france["package_id"], france["package_total"]) == ("", "", "false")
    # the rows whose money counts add up to the totals: a stated total's parts do not
    assert (total["counts_money"], tanks["counts_money"], france["counts_money"]) == (
        "true", "false", "true"
    )  # fmt: skip
    counted = frame[frame["counts_money"] == "true"]["eur"]
    assert sum((Decimal(v) for v in counted if v), Decimal(0)) == grand_total(session).eur


def test_an_export_imported_into_an_empty_database_makes_the_same_packages_and_totals(
    session: Session, empty_engine: Engine
) -> None:
    packaged(session)
    content = as_new_rows(export_frame(session))
    with empty_engine.connect() as connection:
        transaction = connection.begin()
        try:
            copy = Session(bind=connection, join_transaction_mode="create_savepoint")
            result = import_table(copy, content, "pledges.csv")
            assert (result.created, result.packages) == (8, 3)
            assert shape(copy) == shape(session)
            assert by_donor(copy) == by_donor(session)
            assert grand_total(copy) == grand_total(session)
            assert_rollup_is_fresh(copy)
            copy.close()
        finally:
            transaction.rollback()


def test_an_export_imported_as_new_rows_adds_the_same_totals_on_this_database(
    session: Session,
) -> None:
    """The import path of this backend (COPY on PostgreSQL): the copied packages count their
    money once, so the totals double exactly."""
    packaged(session)
    before = grand_total(session)
    donors = by_donor(session)
    result = import_table(session, as_new_rows(export_frame(session)), "pledges.csv")
    assert (result.created, result.packages) == (8, 3)
    after = grand_total(session)
    assert (after.pledges, after.eur) == (2 * before.pledges, 2 * before.eur)
    assert {key: (p * 2, eur * 2, q * 2 if q else q) for key, (p, eur, q) in donors.items()} == (
        by_donor(session)
    )
    assert session.scalar(select(Package.id).where(Package.source_id == result.source_id))
    assert_rollup_is_fresh(session)


def test_the_export_imported_back_changes_no_package(session: Session) -> None:
    packaged(session)
    result = import_table(session, export_frame(session).to_csv(index=False).encode(), "p.csv")
    assert (result.created, result.updated, result.unchanged, result.packages) == (0, 0, 8, 0)


def test_blank_package_names_leave_names_as_they_are(session: Session) -> None:
    packaged(session)
    frame = export_frame(session)
    frame["package"] = ""  # update rows: the names stay
    new = frame.drop(columns=["id", "version"])
    content = pd.concat([frame, new]).to_csv(index=False).encode()
    result = import_table(session, content, "p.csv")
    assert (result.created, result.unchanged, result.packages) == (8, 8, 3)
    made = session.scalars(select(Package).where(Package.source_id == result.source_id)).all()
    ids = sorted({int(i) for i in frame["package_id"] if i})
    assert sorted(package.name for package in made) == [f"package {i}" for i in ids]
    assert sorted(session.scalars(select(Package.name).where(Package.id.in_(ids)))) == [
        "G-1", "G-1", "N-1"
    ]  # fmt: skip


def the_problem(session: Session, frame: pd.DataFrame) -> tuple[int | None, str | None, str]:
    """The one problem an import of `frame` reports (nothing is written)."""
    before = session.scalar(select(func.count()).select_from(Pledge))
    with pytest.raises(TableImportError) as caught:
        import_table(session, frame.to_csv(index=False).encode(), "p.csv")
    assert session.scalar(select(func.count()).select_from(Pledge)) == before
    [problem] = caught.value.problems
    return problem.row, problem.column, problem.message


@pytest.mark.parametrize(
    ("column", "value", "words", "new"),
    [
        ("package_id", "G-1", "not a whole number", True),
        ("package_total", "perhaps", "not true or false", True),
        ("package_id", "other", "is in package", False),
        ("package", "Renamed", "does not rename a package", False),
        ("package_total", "false", "is its stated total", False),
    ],
)
def test_bad_or_moving_package_cells_are_refused_by_row_and_column(
    session: Session, column: str, value: str, words: str, new: bool
) -> None:
    """New rows: cells that cannot be read. Rows that update a pledge: cells that would move
    it between packages, rename its package or change its role."""
    packaged(session)
    frame = export_frame(session)
    row = frame.index[frame["package_total"] == "true"][0]
    other = frame.loc[frame["package_id"] != frame.at[row, "package_id"], "package_id"].iloc[0]
    frame.at[row, column] = other if value == "other" else value
    if new:
        frame = frame.drop(columns=["id", "version"])
    found_row, found_column, message = the_problem(session, frame)
    assert (found_row, found_column) == (row + 2, column) and words in message


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    packages=st.lists(
        st.tuples(
            st.sampled_from(["G-1", "G-2", ""]),  # names repeat; blank: in no package
            st.one_of(st.none(), st.integers(1, 10**6)),  # the stated total, if any
            st.lists(st.integers(1, 10**6), min_size=1, max_size=3),  # the parts
        ),
        min_size=1, max_size=4,
    )
)  # fmt: skip
def test_any_exported_packages_come_back_with_the_same_money(
    session: Session, packages: list[tuple[str, int | None, list[int]]]
) -> None:
    """Generated packages (some sharing a name, imported from separate files): the export
    imported as new rows makes as many packages again and doubles every total."""
    savepoint = session.begin_nested()
    try:
        for number, (name, total, parts) in enumerate(packages):
            rows = (
                [f"Germany,2025-03-01,military aid,,{total},EUR,{name},Total\n"]
                if (total is not None and name)
                else []
            )
            rows += [f"Germany,2025-03-01,ammunition,,{part},EUR,{name},Part\n" for part in parts]
            import_table(session, table("".join(rows)), f"{number}.csv", mapping=mapping())
        session.flush()
        before, made = grand_total(session), session.scalar(select(func.count(Package.id)))
        result = import_table(session, as_new_rows(export_frame(session)), "pledges.csv")
        after = grand_total(session)
        assert (after.pledges, after.eur) == (2 * before.pledges, 2 * before.eur)
        assert result.packages == made
        assert_rollup_is_fresh(session)
    finally:
        savepoint.rollback()
