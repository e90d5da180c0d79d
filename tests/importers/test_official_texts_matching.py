"""Official texts of one donor imported one after another: a bound is no account of every
smaller figure, and a stage report goes only to a pledge of its kind and of the figure it
names. Read from the development corpus (EU releases on Ukraine); both databases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.importers.test_matching import SEED, import_file, rollup_equals_rebuild, uk_missiles
from tracker.importers.article import ArticleMeta, import_article, read_article
from tracker.models import Pledge, Report
from tracker.services.matching import Figures, number_verdict

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "dev-corpus" / "articles"
# The Commission's €1bn humanitarian package ("Stand Up For Ukraine"), then the Ukraine
# Facility (up to €50bn; €4.5bn disbursed) and the MFA+ package (up to €18bn; a sixth
# tranche of €1.5bn paid).
PACKAGE = "12_eu-echo-ukraine-50m-apr2022.txt"
FACILITY = "14_eu-ukraine-facility-4-5bn-bridge.txt"
MFA = "15_eu-mfa-plus-sixth-tranche-jul2023.txt"


def _import(session: Session, name: str) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.fail(f"the development corpus is missing: expected {path}")
    text, meta = read_article(path)
    import_article(session, text, meta)
    session.flush()


def _pledge_of(session: Session, amount: int, kind: str) -> Pledge:
    (pledge,) = session.scalars(
        select(Pledge).where(
            Pledge.amount == Decimal(amount), Pledge.kind == kind, Pledge.deleted_at.is_(None)
        )
    )
    return pledge


def test_the_facility_and_its_tranches_are_no_account_of_the_humanitarian_package(
    session: Session,
) -> None:
    _import(session, PACKAGE)
    package = _pledge_of(session, 1_000_000_000, "humanitarian")
    _import(session, FACILITY)
    _import(session, MFA)
    session.refresh(package)
    # Neither the Facility's "up to €50bn" (nor its €17bn of grants and €33bn of loans)
    # corroborates the €1bn; no disbursement of either package is its delivery.
    assert [r.role for r in package.reports] == ["announces"]
    assert package.delivered_amount is None
    facility = session.scalars(
        select(Report).where(Report.role != "announces", Report.pledge_id == package.id)
    ).all()
    assert facility == []
    assert session.scalar(
        select(Pledge.id).where(Pledge.amount == Decimal(50_000_000_000))
    ) is not None  # fmt: skip
    # The MFA+ package's sixth tranche, "of up to €18bn", is no delivery of the Facility's
    # "up to €33bn" of loans (a range that holds €18bn, but another promise).
    loans = _pledge_of(session, 33_000_000_000, "financial")
    assert loans.delivered_amount is None
    rollup_equals_rebuild(session)


bounds = st.integers(min_value=1, max_value=10**12)


@given(bound=bounds, point=bounds, qualifier=st.sampled_from(["up_to", "at_least"]))
def test_a_bound_holds_the_figures_within_twice_or_half_of_it(
    bound: int, point: int, qualifier: str
) -> None:
    """ "up to B" is the same number as a point from B/2 to B, "at least B" as one from B to
    2B (or one within 0.5% of B): never a figure many times smaller or larger."""
    ranged = Figures(None, Decimal(bound), "EUR", None, qualifier)
    stated = Figures(None, Decimal(point), "EUR", None, "exact")
    low, high = (Decimal(bound) / 2, bound) if qualifier == "up_to" else (bound, 2 * bound)
    near = abs(bound - point) <= Decimal("0.005") * max(bound, point)
    expected = near or low <= point <= high
    assert number_verdict(ranged, stated) is expected
    assert number_verdict(stated, ranged) is expected


@pytest.mark.parametrize(
    ("sentence", "recorded"),
    [
        ("Britain has delivered the first 1,000 of the 5,000 air defence missiles it promised"
         " in July.", True),
        ("Britain has delivered the first 1,000 of the 40,000 air defence missiles it promised"
         " in July.", False),
    ],
)  # fmt: skip
def test_a_delivery_goes_only_to_a_pledge_of_the_figure_it_names(
    session: Session, sentence: str, recorded: bool
) -> None:
    """The one UK missile pledge of the seed ("more than 5,000") takes a delivery "of the
    5,000" it promised, never one "of the 40,000": that is another promise."""
    import_file(session, SEED)
    result = import_article(
        session, sentence, ArticleMeta(published=date(2025, 9, 2), url="https://example.org/d")
    )
    session.flush()
    missiles = uk_missiles(session)
    assert missiles.delivered_quantity == (Decimal(1000) if recorded else None)
    assert (result.problems == []) is recorded
    if not recorded:
        assert "no matching pledge" in result.problems[0]
