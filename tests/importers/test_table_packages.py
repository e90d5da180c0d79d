"""Package columns in a table mapping: rows that name one package are its stated total and
its parts, and the package's money counts once, as for an article's package."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.services.test_totals import assert_rollup_is_fresh
from tracker.importers.mapping import Mapping, MappingError
from tracker.importers.table import TableImportError, import_table
from tracker.models import Package, Pledge
from tracker.services.pledges import delete_pledge
from tracker.services.totals import grand_total

MAPPING = b"""
columns:
  giver: donor
  day: announced
  what: item
  count: quantity
  value: amount
  cur: currency
  bundle: package
  role: package_total
values:
  package_total: {Total: true, Part: false}
defaults:
  qualifier: exact
  kind: military
"""
HEADER = "giver,day,what,count,value,cur,bundle,role\n"
# A stated total with two priced parts and a counted one; a package without a stated total;
# a pledge outside any package.
ROWS = (
    "Germany,2025-03-01,military aid,,100000000,EUR,G-1,Total\n"
    "Germany,2025-03-01,tanks,10,60000000,EUR,G-1,Part\n"
    "Germany,2025-03-01,ammunition,,40000000,EUR,G-1,Part\n"
    "Germany,2025-03-01,air defence missiles,500,,,G-1,Part\n"
    "Norway,2025-03-05,military aid,,30000000,EUR,N-1,\n"
    "Norway,2025-03-05,drones,,20000000,EUR,N-1,Part\n"
    "France,2025-03-07,military aid,,5000000,EUR,,\n"
)


def mapping(text: bytes = MAPPING) -> Mapping:
    """A mapping read from YAML text."""
    return Mapping.loads(text, "packages.yaml")


def table(rows: str = ROWS) -> bytes:
    """The CSV bytes of the rows under the header."""
    return (HEADER + rows).encode()


def problems_of(session: Session, rows: str, text: bytes = MAPPING) -> list[tuple]:
    """The (row, file column) of each problem the import reports; asserts nothing was
    written."""
    before = session.scalar(select(func.count()).select_from(Pledge))
    with pytest.raises(TableImportError) as caught:
        import_table(session, table(rows), "packages.csv", mapping=mapping(text))
    assert session.scalar(select(func.count()).select_from(Pledge)) == before
    assert session.scalar(select(func.count()).select_from(Package)) == 0
    return [(p.row, p.column) for p in caught.value.problems]


def test_a_table_package_counts_its_money_once(session: Session) -> None:
    before = grand_total(session)
    result = import_table(session, table(), "packages.csv", mapping=mapping())
    session.flush()
    assert (result.created, result.packages) == (7, 2)
    assert "2 packages" in result.summary()
    pledges = {p.source_ref: p for p in session.scalars(select(Pledge))}
    total, tanks, ammunition, missiles = (pledges[str(row)] for row in (2, 3, 4, 5))
    assert total.package_total and total.counts_money and total.package_id is not None
    for part in (tanks, ammunition, missiles):
        assert (part.package_id, part.package_total, part.counts_money) == (
            total.package_id, False, False
        )  # fmt: skip
    norway = [pledges["6"], pledges["7"]]
    assert all(p.package_id == norway[0].package_id and p.counts_money for p in norway)
    assert norway[0].package_id not in (None, total.package_id)
    assert pledges["8"].package_id is None and pledges["8"].counts_money
    package = session.get_one(Package, total.package_id)
    assert (package.name, package.donor_id, package.source_id) == (
        "G-1", total.donor_id, result.source_id
    )  # fmt: skip
    after = grand_total(session)
    assert after.pledges - before.pledges == 7
    assert after.eur - before.eur == Decimal(100_000_000 + 30_000_000 + 20_000_000 + 5_000_000)
    assert_rollup_is_fresh(session)

    delete_pledge(session, total.id, expected_version=total.version)  # the parts count again
    assert grand_total(session).eur - before.eur == Decimal(100_000_000 + 55_000_000)
    assert_rollup_is_fresh(session)


def test_the_same_table_imported_again_adds_nothing(session: Session) -> None:
    import_table(session, table(), "packages.csv", mapping=mapping())
    session.flush()
    counted = grand_total(session)
    again = import_table(session, table(), "packages.csv", mapping=mapping())
    assert (again.created, again.skipped, again.packages) == (0, 7, 0)
    assert session.scalar(select(func.count()).select_from(Package)) == 2
    assert grand_total(session) == counted


def test_a_dry_run_names_the_packages_and_writes_nothing(session: Session) -> None:
    result = import_table(session, table(), "packages.csv", mapping=mapping(), dry_run=True)
    assert result.created == 7
    assert any("package=G-1" in line and "package_total=True" in line for line in result.changes)
    assert session.scalar(select(func.count()).select_from(Package)) == 0


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        ("France,2025-03-07,military aid,,5000000,EUR,,Total\n", [(2, "role")]),
        ("France,2025-03-07,tanks,4,,,F-1,Total\n", [(2, "role")]),
        (
            "France,2025-03-07,military aid,,5000000,EUR,F-1,Total\n"
            "France,2025-03-07,military aid,,6000000,EUR,F-1,Total\n",
            [(3, "role")],
        ),
        (
            "France,2025-03-07,military aid,,5000000,EUR,F-1,Total\n"
            "Norway,2025-03-07,tanks,4,,,F-1,Part\n",
            [(3, "giver")],
        ),
        ("France,2025-03-07,tanks,4,,,F-1,perhaps\n", [(2, "role")]),
        (f"France,2025-03-07,tanks,4,,,{'P' * 301},\n", [(2, "bundle")]),
    ],
)  # fmt: skip
def test_bad_package_cells_are_refused_by_row_and_column(
    session: Session, rows: str, where: list[tuple]
) -> None:
    assert problems_of(session, rows) == where


def test_a_package_cell_on_a_row_that_updates_a_pledge_is_refused(session: Session) -> None:
    import_table(session, table(), "packages.csv", mapping=mapping())
    session.flush()
    pledge_id = session.scalars(select(Pledge.id).order_by(Pledge.id)).first()
    text = MAPPING.replace(b"columns:\n", b"columns:\n  ref: id\n")
    rows = f"ref,{HEADER}{pledge_id},France,2025-03-07,tanks,4,,,F-1,Part\n"
    with pytest.raises(TableImportError) as caught:
        import_table(session, rows.encode(), "update.csv", mapping=mapping(text))
    assert [(p.row, p.column, p.field) for p in caught.value.problems] == [(2, "bundle", "package")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (MAPPING.replace(b"  bundle: package\n", b""), "map a file column to package"),
        (MAPPING.replace(b"  kind: military\n", b"  kind: military\n  package: X\n"),
         "package cannot have a default"),
    ],
)  # fmt: skip
def test_mappings_with_unusable_package_columns_are_refused(text: bytes, words: str) -> None:
    with pytest.raises(MappingError) as caught:
        mapping(text)
    assert words in str(caught.value)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    packages=st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(1, 10**6)),  # the stated total, if any
            st.lists(st.integers(1, 10**6), min_size=1, max_size=4),  # the parts
        ),
        min_size=1, max_size=4,
    )
)  # fmt: skip
def test_any_table_of_packages_counts_each_packages_money_once(
    session: Session, packages: list[tuple[int | None, list[int]]]
) -> None:
    savepoint = session.begin_nested()
    try:
        before = grand_total(session)
        rows = []
        for number, (total, parts) in enumerate(packages):
            if total is not None:
                rows.append(f"Germany,2025-03-01,military aid,,{total},EUR,P{number},Total\n")
            rows += [
                f"Germany,2025-03-01,ammunition,,{part},EUR,P{number},Part\n" for part in parts
            ]
        import_table(session, table("".join(rows)), "p.csv", mapping=mapping())
        expected = sum(
            Decimal(total) if total is not None else Decimal(sum(parts))
            for total, parts in packages
        )
        after = grand_total(session)
        assert after.eur - before.eur == expected
        assert after.pledges - before.pledges == len(rows)
        assert_rollup_is_fresh(session)
    finally:
        savepoint.rollback()
