"""Kiel as Kiel counts it: after importing the bilateral activities with the shipped mapping,
the totals by donor and by kind are Kiel's own Country Summary (commitments and
allocations, EUR billions), to the euro, for every donor but the two the datasets README
names (entries outside the activity sheet)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from tracker.importers.mapping import Mapping
from tracker.importers.table import import_table_file
from tracker.services.pledges import find_donor
from tracker.services.totals import TotalsFilter, totals

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "kiel"
MAPPING = ROOT / "mappings" / "kiel-bilateral-activities.yaml"
OUTSIDE_THE_ACTIVITY_SHEET = {"EU (Commission and Council)", "Slovenia"}
KINDS = ("financial", "humanitarian", "military")
BILLION = Decimal(10) ** 9
EURO = Decimal(1)


def summary() -> pd.DataFrame:
    """Kiel's Country Summary, values as Decimals of the text written (EUR billions)."""
    frame = pd.read_csv(DATA / "kiel-country-summary.csv", dtype=str, keep_default_na=False)
    return frame[~frame["land"].isin(OUTSIDE_THE_ACTIVITY_SHEET)]


def by_donor(session: Session, kind: str | None) -> dict[int, tuple[Decimal, Decimal]]:
    """(eur, allocated_eur) per donor id, for one kind or all."""
    rows = totals(session, "donor", TotalsFilter(kind=kind))
    return {row.key_id: (row.eur, row.allocated_eur) for row in rows if row.key_id is not None}


def test_kiel_import_matches_the_country_summary_per_donor_and_per_kind(
    session: Session,
) -> None:
    import_table_file(
        session, DATA / "kiel-bilateral-activities.csv", mapping=Mapping.load(MAPPING)
    )
    got = {kind: by_donor(session, kind) for kind in (None, *KINDS)}
    checked = 0
    for row in summary().to_dict("records"):
        donor = find_donor(session, row["land"])
        assert donor is not None, row["land"]
        for kind in (None, *KINDS):
            prefix = kind or "total"
            committed = Decimal(row[f"{prefix}_commitment"]) * BILLION
            allocated = Decimal(row[f"{prefix}_allocation"]) * BILLION
            eur, allocated_eur = got[kind].get(donor.id, (Decimal(0), Decimal(0)))
            assert abs(eur - committed) <= EURO, (row["land"], prefix, eur, committed)
            assert abs(allocated_eur - allocated) <= EURO, (row["land"], prefix, allocated_eur)
            checked += 1
    assert checked == 40 * 4


def test_the_two_donors_left_out_do_differ_from_the_summary(session: Session) -> None:
    """The exception is real: EU and Slovenia's summary figures include entries the activity
    sheet does not hold, so their totals differ by more than a euro."""
    import_table_file(
        session, DATA / "kiel-bilateral-activities.csv", mapping=Mapping.load(MAPPING)
    )
    frame = pd.read_csv(DATA / "kiel-country-summary.csv", dtype=str, keep_default_na=False)
    totals_now = by_donor(session, None)
    for row in frame[frame["land"].isin(OUTSIDE_THE_ACTIVITY_SHEET)].to_dict("records"):
        donor = find_donor(session, row["land"])
        assert donor is not None
        eur, _allocated = totals_now[donor.id]
        assert abs(eur - Decimal(row["total_commitment"]) * BILLION) > EURO
