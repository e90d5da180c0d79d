"""Table imports: round trips of our export, all-or-nothing failures, the Kiel files."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tracker.config import MAPPINGS_DIR
from tracker.exports import export_pledges
from tracker.importers.mapping import Mapping
from tracker.importers.table import TableImportError, import_table, import_table_file
from tracker.models import AuditEvent, Donor, Item, Pledge, Report, Source
from tracker.services.pledges import PledgeInput, create_pledge, find_donor
from tracker.services.totals import TotalsFilter, totals

DATASETS = Path(__file__).resolve().parents[1] / "data" / "kiel"
KIEL = DATASETS / "kiel-bilateral-activities.csv"
WEAPONS = DATASETS / "kiel-weapons.csv"
MAPPINGS = MAPPINGS_DIR
CENT = Decimal("0.01")


def counts(session: Session) -> tuple[int, int, int, int]:
    """How many pledges, sources, items and audit events there are."""
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(model))
        for model in (Pledge, Source, Item, AuditEvent)
    )


@pytest.fixture
def two_pledges(session: Session) -> list[Pledge]:
    """Two pledges entered through the service."""
    made = []
    for donor, amount in (("Germany", "100.00"), ("France", "250.00")):
        data = PledgeInput(
            donor_id=donor_named(session, donor).id,
            recipient_id=recipient(session).id,
            item_id=item_named(session, "aid").id,
            amount=amount,
            currency="EUR",
            announced=date(2025, 7, 1),
        )
        made.append(create_pledge(session, data))
    session.flush()
    return made


def exported(session: Session) -> pd.DataFrame:
    """Our pledges export as text cells."""
    data = b"".join(export_pledges(session, None, "csv"))
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def as_csv(frame: pd.DataFrame) -> bytes:
    """A frame as CSV bytes."""
    return frame.to_csv(index=False).encode()


def test_round_trip_changes_one_pledge(session: Session, two_pledges: list[Pledge]) -> None:
    frame = exported(session)
    frame.loc[0, "amount"] = "175.00"
    frame.loc[0, "notes"] = "corrected from the ministry's release"
    result = import_table(session, as_csv(frame), "pledges.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1), result.changes
    first, second = two_pledges
    session.refresh(first)
    session.refresh(second)
    assert first.amount == Decimal("175.00") and first.eur == Decimal("175.00")
    assert first.version == 2 and first.notes == "corrected from the ministry's release"
    assert second.version == 1 and second.amount == Decimal("250.00")


def test_blank_cells_leave_values_and_rows_without_id_create(
    session: Session, two_pledges: list[Pledge]
) -> None:
    frame = exported(session)
    frame.loc[0, ["amount", "currency", "announced"]] = ""
    new = frame.iloc[[1]].copy()
    new[["id", "version", "donor_id"]] = ""
    new["donor"] = "Poland"
    frame = pd.concat([frame, new], ignore_index=True)
    result = import_table(session, as_csv(frame), "pledges.csv")
    assert (result.created, result.updated, result.unchanged) == (1, 0, 2)
    session.refresh(two_pledges[0])
    assert two_pledges[0].amount == Decimal("100.00") and two_pledges[0].version == 1
    poland = session.scalars(
        select(Pledge).where(Pledge.donor_id == donor_named(session, "Poland").id)
    ).one()
    assert poland.amount == Decimal("250.00") and poland.eur == Decimal("250.00")


def test_stale_version_is_a_conflict_and_nothing_is_written(
    session: Session, two_pledges: list[Pledge]
) -> None:
    frame = exported(session)
    frame.loc[0, "version"] = "7"
    frame.loc[1, "amount"] = "999.00"
    with pytest.raises(TableImportError) as caught:
        import_table(session, as_csv(frame), "pledges.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "version")
    session.refresh(two_pledges[1])
    assert two_pledges[1].amount == Decimal("250.00")


@pytest.mark.parametrize("dry_run", [True, False])
@pytest.mark.parametrize("with_version", [True, False])
def test_a_pledge_in_two_rows_is_refused_by_the_dry_run_as_by_the_import(
    session: Session, two_pledges: list[Pledge], dry_run: bool, with_version: bool
) -> None:
    frame = exported(session)
    again = frame.iloc[[0]].copy()
    frame.loc[0, "amount"], again["amount"] = "175.00", "180.00"
    frame = pd.concat([frame, again], ignore_index=True)
    if not with_version:
        frame = frame.drop(columns="version")
    before = counts(session)
    with pytest.raises(TableImportError) as caught:
        import_table(session, as_csv(frame), "pledges.csv", dry_run=dry_run)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (4, "id")
    assert problem.message == f"pledge {two_pledges[0].id} is in row 2 too: one row per pledge"
    assert counts(session) == before
    session.refresh(two_pledges[0])
    assert two_pledges[0].amount == Decimal("100.00") and two_pledges[0].version == 1


def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_written(
    session: Session, two_pledges: list[Pledge]
) -> None:
    frame = exported(session)
    new = frame.iloc[[0]].copy()
    new[["id", "version"]] = ""
    frame = pd.concat([frame, new, new], ignore_index=True)
    frame.loc[1, "amount"] = "12x"
    frame.loc[2, "currency"] = "XYZ"
    frame.loc[3, "announced"] = "31/12/2025"
    before = counts(session)
    with pytest.raises(TableImportError) as caught:
        import_table(session, as_csv(frame), "pledges.csv")
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {(3, "amount"), (4, "currency"), (5, "announced")}
    assert counts(session) == before
    session.refresh(two_pledges[1])
    assert two_pledges[1].amount == Decimal("250.00")


def test_an_xlsx_formula_without_a_saved_value_is_refused_and_nothing_is_written(
    session: Session, two_pledges: list[Pledge]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["donor", "item", "amount", "currency", "announced"])
    sheet.append(["Germany", "aid", 500, "EUR", "2025-07-01"])
    sheet.append(["Germany", "aid", "=SUM(C2:C2)", "EUR", "2025-07-01"])
    content = io.BytesIO()
    book.save(content)
    before = counts(session)
    with pytest.raises(TableImportError) as caught:
        import_table(session, content.getvalue(), "pledges.xlsx")
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "amount")
    assert "cell C3 of sheet 'Sheet' holds a formula with no saved value" in problem.message
    assert counts(session) == before


def test_unknown_column_is_refused(session: Session, two_pledges: list[Pledge]) -> None:
    frame = exported(session).assign(colour="red")
    with pytest.raises(TableImportError) as caught:
        import_table(session, as_csv(frame), "pledges.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "colour")]


def test_dry_run_lists_changes_and_writes_nothing(
    session: Session, two_pledges: list[Pledge]
) -> None:
    frame = exported(session)
    frame.loc[1, "stage"] = "delivered"
    before = counts(session)
    result = import_table(session, as_csv(frame), "pledges.csv", dry_run=True)
    assert result.updated == 1
    assert result.changes == [
        f"row 3: update pledge {two_pledges[1].id}: stage announced -> delivered"
    ]
    assert counts(session) == before
    session.refresh(two_pledges[1])
    assert two_pledges[1].stage == "announced"


def test_xlsx_export_round_trips(session: Session, two_pledges: list[Pledge]) -> None:
    content = b"".join(export_pledges(session, None, "xlsx"))
    frame = pd.read_excel(io.BytesIO(content), dtype=str, keep_default_na=False)
    frame.loc[1, "amount"] = "300"
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    result = import_table(session, buffer.getvalue(), "pledges.xlsx")
    assert (result.updated, result.unchanged) == (1, 1)
    session.refresh(two_pledges[1])
    assert two_pledges[1].amount == Decimal("300.00")


def kiel_expected(column: str) -> dict[tuple[str, str], Decimal]:
    """The Kiel file's `column` grouped by giver and measure, each value rounded to the cent
    first."""
    frame = pd.read_csv(KIEL, dtype=str, keep_default_na=False)
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for giver, measure, value in zip(frame["giver"], frame["maal"], frame[column], strict=True):
        sums[(giver, measure)] += Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return dict(sums)


def kiel_by_donor(session: Session, column: str, measure: str) -> dict[str, Decimal]:
    """`kiel_expected(column)` of one measure, by the tracker's donor names."""
    want = {}
    for (giver, kiel_measure), value in kiel_expected(column).items():
        if kiel_measure == measure:
            donor = find_donor(session, giver)
            assert donor is not None, giver
            want[donor.name] = value
    return want


def test_kiel_bilateral_totals_match_the_file_to_the_cent(session: Session) -> None:
    """Promised = verdi_eur_activity, allocated = verdi_eur, per donor and Kiel measure."""
    mapping = Mapping.load(MAPPINGS / "kiel-bilateral-activities.yaml")
    result = import_table_file(session, KIEL, mapping=mapping)
    assert result.created == 5565 and result.new_donors == []  # the reference data has them all
    # an allocation drawing on a commitment in another row states 0 as its own: not flagged
    assert result.flagged == 0
    for measure, stage in (("Commitment", "committed"), ("Allocation", "allocated")):
        rows = totals(session, "donor", TotalsFilter(stage=stage))
        assert {row.key: row.eur for row in rows} == kiel_by_donor(
            session, "verdi_eur_activity", measure
        )
        allocated = {row.key: row.allocated_eur for row in rows if row.allocated_eur}
        want = kiel_by_donor(session, "verdi_eur", measure)
        assert allocated == {name: value for name, value in want.items() if value}
    imported = select(func.count()).select_from(Pledge).where(Pledge.source_id == result.source_id)
    frame = pd.read_csv(KIEL, dtype=str, keep_default_na=False)
    undated = int((frame["dato"] == "").sum())
    assert undated > 0
    assert session.scalar(imported.where(Pledge.announced.is_(None))) == undated
    assert session.scalar(imported.where(Pledge.is_correction.is_(True))) == 2
    zero = int((frame["verdi_eur_activity"].map(Decimal) == 0).sum())
    assert session.scalar(imported.where(Pledge.amount == 0)) == zero
    # each row announces its promise; an allocation row also allocates, as the pledge page
    # records a pledge and then its allocation
    reports = select(func.count()).select_from(Report).where(Report.source_id == result.source_id)
    allocating = int((frame["verdi_eur"].map(Decimal) != 0).sum())
    assert session.scalar(reports.where(Report.role == "announces")) == 5565
    assert session.scalar(reports.where(Report.role == "allocates")) == allocating
    assert session.scalar(reports) == 5565 + allocating
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert audit.entity == "source" and audit.entity_id == result.source_id

    before = [totals(session, by) for by in ("donor", "kind", "stage")]
    again = import_table_file(session, KIEL, mapping=mapping)
    assert (again.created, again.skipped) == (0, 5565)
    assert [totals(session, by) for by in ("donor", "kind", "stage")] == before
    assert session.scalar(reports) == 5565 + allocating


def test_kiel_weapons_become_item_lines_with_quantities(session: Session) -> None:
    mapping = Mapping.load(MAPPINGS / "kiel-weapons.yaml")
    result = import_table_file(session, WEAPONS, mapping=mapping)
    frame = pd.read_csv(WEAPONS, dtype=str, keep_default_na=False)
    lines = frame.assign(line=frame["weapons_list"].str.split(";")).explode("line")
    parts = lines["line"].str.extract(r"^\s*(?P<name>.+?)\s*\((?P<count>\d+)\)\s*$")
    assert result.created == len(lines)
    want: dict[str, Decimal] = defaultdict(Decimal)
    for name, count in zip(parts["name"], parts["count"], strict=True):
        want[name.casefold()] += Decimal(count)
    got = {row.key.casefold(): row.quantity for row in totals(session, "item", TotalsFilter())}
    assert got == want
    by_donor = frame.groupby("donor")["number_of_weapons"].apply(lambda s: sum(int(v) for v in s))
    for donor_name, number in by_donor.items():
        donor = find_donor(session, str(donor_name))
        assert donor is not None
        quantity = session.scalar(
            select(func.sum(Pledge.quantity)).where(Pledge.donor_id == donor.id)
        )
        assert quantity == number
    leopard = session.scalars(select(Item).where(Item.name == "Leopard-2A4")).one()
    assert (leopard.category.name, leopard.unit) == ("armour", "vehicle")
    assert import_table_file(session, WEAPONS, mapping=mapping).created == 0


def test_mapping_names_a_donor_we_do_not_have(session: Session, tmp_path: Path) -> None:
    table = b"giver,amount\nAtlantis,5\n"
    mapping = tmp_path / "m.json"
    mapping.write_text(
        '{"columns": {"giver": "donor", "amount": "amount"}, '
        '"defaults": {"currency": "EUR"}, "item_by_kind": {}}'
    )
    before = session.scalar(select(func.count()).select_from(Donor))
    with pytest.raises(TableImportError) as caught:
        import_table(session, table, "t.csv", mapping=Mapping.load(mapping))
    assert [(p.row, p.column, p.field) for p in caught.value.problems] == [(2, "giver", "donor")]
    assert session.scalar(select(func.count()).select_from(Donor)) == before


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_new_row_with_a_precision_but_no_day_is_refused_as_the_form_and_api_refuse_it(
    session: Session, two_pledges: list[Pledge], dry_run: bool
) -> None:
    frame = exported(session)
    new = frame.iloc[[0]].copy()
    new[["id", "version", "announced"]] = ""
    new["announced_precision"] = "month"
    frame = pd.concat([frame, new], ignore_index=True)
    before = counts(session)
    with pytest.raises(TableImportError) as caught:
        import_table(session, as_csv(frame), "pledges.csv", dry_run=dry_run)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {(4, "announced_precision")}
    assert counts(session) == before


def test_a_copy_of_another_databases_pledges_brings_its_items_and_recipients(
    session: Session, two_pledges: list[Pledge]
) -> None:
    """Our export names each pledge's item with its category and its recipient: imported
    into a database whose catalogue lacks them (they were added by an import or an article
    there), an admin's import adds them; anyone else's is refused naming them, and nothing
    is written. An item of a category the catalogue does not know stays unknown."""
    from tests.accounts import make_user
    from tracker.models import Recipient

    rows = exported(session).drop(columns=["id", "version"]).iloc[:1].copy()
    blank = {column: "" for column in rows.columns}
    added = {"donor": "Germany", "recipient": "Moldova", "item": "Caesar howitzer",
             "category": "artillery", "kind": "military", "quantity": "6", "unit": "pieces",
             "qualifier": "exact", "announced": "2025-07-01"}  # fmt: skip
    rows = pd.concat([rows, pd.DataFrame([{**blank, **added}])], ignore_index=True)
    analyst, admin = make_user(session, "analyst"), make_user(session, "admin")
    before = counts(session)
    with pytest.raises(TableImportError) as refused:
        import_table(session, as_csv(rows), "copy.csv", user=analyst)
    assert "item 'Caesar howitzer'" in str(refused.value)
    assert "recipient 'Moldova'" in str(refused.value) and "only an admin may" in str(refused.value)
    assert counts(session) == before
    result = import_table(session, as_csv(rows), "copy.csv", user=admin)
    assert (result.created, result.new_items) == (2, ["Caesar howitzer"])
    assert result.summary().endswith("1 new item, new recipients: Moldova.")
    copied = session.scalars(select(Pledge).order_by(Pledge.id.desc()).limit(1)).one()
    assert (copied.item.name, copied.item.category.name, copied.quantity) == (
        "Caesar howitzer", "artillery", Decimal("6"))  # fmt: skip
    assert session.get(Recipient, copied.recipient_id).name == "Moldova"  # type: ignore[union-attr]
    again = exported(session).iloc[-1]
    assert {name: again[name] for name in added} == added
    unknown = pd.DataFrame([{**blank, **added, "item": "Zeus gun", "category": "lasers"}])
    with pytest.raises(TableImportError, match="no item is called 'Zeus gun'"):
        import_table(session, as_csv(unknown), "other.csv", user=admin)
