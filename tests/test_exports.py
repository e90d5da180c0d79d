"""Totals and pledge exports: columns, number formats, formula injection, file names."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy.orm import Session

from tests.factories import donor_named, item_named, recipient
from tracker.exports import (
    PLEDGE_COLUMNS,
    export_filename,
    export_pledges,
    export_totals,
    neutralise_formula,
    totals_columns,
)
from tracker.models import Source
from tracker.services.pledges import PledgeInput, create_pledge
from tracker.services.totals import TotalsFilter


def pledge(session: Session, donor: str, item: str, **fields: object):  # type: ignore[no-untyped-def]
    """A pledge through the service."""
    data = PledgeInput(
        donor_id=donor_named(session, donor).id,
        recipient_id=recipient(session).id,
        item_id=item_named(session, item).id,
        **fields,  # type: ignore[arg-type]
    )
    return create_pledge(session, data)


@pytest.fixture
def known(session: Session) -> Session:
    """Three pledges: two from Germany (one open-ended), one from France in GBP."""
    pledge(
        session, "Germany", "aid", amount="1000000.00", currency="EUR", announced=date(2025, 7, 1)
    )
    pledge(
        session, "Germany", "aid", amount="500.50", currency="EUR", qualifier="at_least",
        announced=date(2025, 7, 2), notes="=HYPERLINK(\"http://x\")",
    )  # fmt: skip
    pledge(
        session, "France", "missiles", quantity=5000, qualifier="about", announced=date(2025, 7, 3)
    )
    session.flush()
    return session


def read_csv(chunks: object) -> pd.DataFrame:
    """The CSV bytes as a frame of text cells."""
    data = b"".join(chunks)  # type: ignore[arg-type]
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def test_totals_csv_has_every_column_in_order(known: Session) -> None:
    frame = read_csv(export_totals(known, "donor", TotalsFilter(), "csv"))
    expected = pd.DataFrame(
        {
            "donor": ["Germany", "France"],
            "pledges": ["2", "1"],
            "quantity": ["", ""],
            "quantity_lower": ["", ""],
            "unit": ["", ""],
            "eur": ["1000500.50", "0.00"],
            "eur_lower": ["1000500.50", "0.00"],
            "usd": [frame.loc[0, "usd"], "0.00"],
            "open_ended": ["true", "false"],
            "approximate": ["false", "true"],
            "unconverted": ["0", "0"],
            "allocated_eur": ["0.00", "0.00"],
            "delivered_eur": ["0.00", "0.00"],
            "allocated_quantity": ["", ""],
            "delivered_quantity": ["", ""],
        }
    )
    assert list(frame.columns) == list(totals_columns("donor"))
    assert_frame_equal(frame, expected)
    assert Decimal(frame.loc[0, "usd"]) > Decimal("1000500.50")


def test_totals_by_item_carry_quantities(known: Session) -> None:
    frame = read_csv(export_totals(known, "item", TotalsFilter(), "csv"))
    missiles = frame[frame["item"] == "missiles"].reset_index(drop=True)
    expected = pd.DataFrame(
        {
            "item": ["missiles"], "pledges": ["1"], "quantity": ["5000"],
            "quantity_lower": ["5000"], "unit": ["missile"], "eur": ["0.00"],
            "eur_lower": ["0.00"], "usd": ["0.00"], "open_ended": ["false"],
            "approximate": ["true"], "unconverted": ["0"], "allocated_eur": ["0.00"],
            "delivered_eur": ["0.00"], "allocated_quantity": ["0"], "delivered_quantity": ["0"],
        }
    )  # fmt: skip
    assert_frame_equal(missiles, expected)


def test_totals_json_keeps_decimals_as_strings(known: Session) -> None:
    rows = json.loads(b"".join(export_totals(known, "donor", TotalsFilter(), "json")))
    assert rows[0]["donor"] == "Germany"
    assert rows[0]["eur"] == "1000500.50"
    assert rows[0]["pledges"] == 2


def test_pledges_csv_has_every_field_names_and_source(known: Session) -> None:
    frame = read_csv(export_pledges(known, TotalsFilter(), "csv"))
    assert list(frame.columns) == list(PLEDGE_COLUMNS)
    assert len(frame) == 3
    first = frame.iloc[0]
    assert (first["donor"], first["item"], first["category"]) == ("Germany", "aid", "grant")
    assert (first["amount"], first["currency"], first["eur"]) == ("1000000.00", "EUR", "1000000.00")
    assert first["announced"] == "2025-07-01"
    assert first["version"] == "1"
    assert frame.iloc[1]["notes"] == '\'=HYPERLINK("http://x")'
    assert frame.iloc[2]["quantity"] == "5000"


def test_pledges_filtered_by_donor_and_kind(known: Session) -> None:
    germany = donor_named(known, "Germany").id
    frame = read_csv(export_pledges(known, TotalsFilter(donor_ids=(germany,)), "csv"))
    assert set(frame["donor"]) == {"Germany"}
    frame = read_csv(export_pledges(known, TotalsFilter(kind="military"), "csv"))
    assert list(frame["donor"]) == ["France"]
    frame = read_csv(export_pledges(known, TotalsFilter(start=date(2025, 7, 2)), "csv"))
    assert len(frame) == 2


@pytest.mark.parametrize("text", ["=1+2", "+A1", "-cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["-12.50", "42", "Germany", "a=b"])
def test_numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert neutralise_formula(text) == text


def test_injection_in_csv_and_xlsx_while_negative_numbers_stay_numbers(session: Session) -> None:
    pledge(session, "Germany", "aid", amount="250.00", currency="EUR", notes="@SUM(A1:A9)")
    pledge(session, "Germany", "aid", amount="-100.00", currency="EUR", is_correction=True,
           notes="+cmd", qualifier_text="-2+3")  # fmt: skip
    frame = read_csv(export_pledges(session, TotalsFilter(), "csv"))
    assert list(frame["notes"]) == ["'@SUM(A1:A9)", "'+cmd"]
    assert list(frame["amount"]) == ["250.00", "-100.00"]
    assert frame.iloc[1]["qualifier_text"] == "'-2+3"

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(export_pledges(session, None, "xlsx"))))
    sheet = workbook.active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header == list(PLEDGE_COLUMNS)
    second = {name: cell.value for name, cell in zip(header, sheet[3], strict=True)}
    assert second["amount"] == -100
    assert second["notes"] == "'+cmd"
    assert sheet.cell(3, header.index("notes") + 1).data_type == "s"
    assert sheet.cell(3, header.index("amount") + 1).data_type == "n"


def test_pledges_json_streams_an_array(known: Session) -> None:
    chunks = list(export_pledges(known, None, "json"))
    assert chunks[0] == b"["
    rows = json.loads(b"".join(chunks))
    assert [row["donor"] for row in rows] == ["Germany", "Germany", "France"]
    assert rows[0]["amount"] == "1000000.00"


def test_empty_exports_still_have_a_header(session: Session) -> None:
    frame = read_csv(export_pledges(session, TotalsFilter(kind="humanitarian"), "csv"))
    assert list(frame.columns) == list(PLEDGE_COLUMNS)
    assert len(frame) == 0
    assert (
        json.loads(b"".join(export_pledges(session, TotalsFilter(kind="humanitarian"), "json")))
        == []
    )


def test_file_names_say_what_and_which_filters() -> None:
    words = ("United Kingdom", "2025-01-01-to-2025-12-31")
    assert (
        export_filename("totals", "csv", by="donor", words=words)
        == "totals-by-donor-united-kingdom-2025-01-01-to-2025-12-31.csv"
    )
    assert export_filename("pledges", "xlsx") == "pledges.xlsx"
    assert export_filename("pledges", "csv", words=("Côte d'Ivoire", "«»")) == (
        "pledges-cote-d-ivoire.csv"
    )
    assert len(export_filename("pledges", "csv", words=("x" * 400,))) <= 160


def test_pledges_csv_writes_each_kind_of_cell_as_spreadsheets_expect(known: Session) -> None:
    source = Source(kind="dataset", sha256="0" * 64, file_name="kiel.csv")
    known.add(source)
    known.flush()
    pledge(session=known, donor="Poland", item="aid", amount="12.5", currency="GBP",
           announced=date(2025, 7, 4), source_id=source.id, reviewed=True)  # fmt: skip
    known.flush()
    frame = read_csv(export_pledges(known, None, "csv"))
    assert list(frame["source_id"]) == ["", "", "", str(source.id)]  # whole numbers, no ".0"
    assert list(frame["reviewed"]) == ["false", "false", "false", "true"]
    assert list(frame["is_correction"]) == ["false"] * 4
    assert list(frame["quantity"]) == ["", "", "5000", ""]
    assert list(frame["quantity_lower"]) == ["", "", "5000", ""]
    assert list(frame["quantity_upper"]) == ["", "", "5000", ""]
    assert list(frame["amount"]) == ["1000000.00", "500.50", "", "12.50"]
    assert list(frame["amount_upper"]) == ["1000000.00", "", "", "12.50"]
    assert frame.loc[0, "eur_rate"] == "1"
    rate = frame.loc[3, "eur_rate"]
    assert Decimal(rate) > 0 and not rate.endswith("0") and "." in rate
    assert list(frame["announced"]) == ["2025-07-01", "2025-07-02", "2025-07-03", "2025-07-04"]
    for stamp in frame["created_at"]:
        assert stamp[10] == "T" and datetime.fromisoformat(stamp)
    assert frame.loc[1, "notes"] == '\'=HYPERLINK("http://x")'
