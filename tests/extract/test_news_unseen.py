"""Wordings of news the extractor met only in unseen articles: development banks, factbox
labels written as names are, and the rules after them. Each row: a text → the pledges it
states (donor, figure), the figure being the quantity, else the amount."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract import extract

ON = date(2025, 7, 10)

Pledged = list[tuple[str, int | Decimal | None]]


def pledged(text: str) -> Pledged:
    """The (donor, figure) of each pledge ``text`` states."""
    return [
        (p.donor, p.quantity if p.quantity is not None else p.amount)
        for p in extract(text, ON).pledges
    ]


# Lenders the reference data names besides the World Bank and the IMF.
DEVELOPMENT_BANKS: list[tuple[str, Pledged]] = [
    ("Separately, the International Finance Corporation, the World Bank's private-sector arm, "
     "said it would lend up to $150 million to Ukrainian farmers.",
     [("International Finance Corporation", 150000000)]),
    ("The IFC, the World Bank's private-sector arm, said it would lend up to $150m.",
     [("International Finance Corporation", 150000000)]),
    ("The Council of Europe Development Bank approved a €100 million loan to Ukraine.",
     [("Council of Europe Development Bank", 100000000)]),
    ("The Nordic Investment Bank will lend €50 million to Ukraine for energy repairs.",
     [("Nordic Investment Bank", 50000000)]),
    ("The Asian Development Bank pledged $20 million in grants for Ukraine.",
     [("Asian Development Bank", 20000000)]),
    ("MIGA will guarantee $30 million of investment in Ukraine.",
     [("Multilateral Investment Guarantee Agency", 30000000)]),
    # the Council is still the EU's; a bank's own need or its past lending is no pledge
    ("The Council approved €5 billion for Ukraine.", [("European Union", 5000000000)]),
    ("The IFC has so far provided $2 billion to Ukraine.", []),
    ("Ukraine asked the Asian Development Bank for $100 million.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DEVELOPMENT_BANKS)
def test_a_development_bank_is_a_lender(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


# A factbox line whose label is a donor's name as names are written: only at a line's start,
# and only for a known donor.
NAME_LABELS: list[tuple[str, Pledged]] = [
    ("* Germany: Two more IRIS-T systems and 50,000 rounds, announced Nov. 4.",
     [("Germany", 2), ("Germany", 50000)]),
    ("Germany: 20 tanks and ammunition worth 5 million euros",
     [("Germany", 20), ("Germany", 5000000)]),
    ("- The Netherlands: The government approved €500 million for air defence.",
     [("Netherlands", 500000000)]),
    ("Czech Republic: Prague will deliver a further 180,000 shells this year.",
     [("Czech Republic", 180000)]),
    ("Intro line.\n• Norway: 8 howitzers, announced on Monday.", [("Norway", 8)]),
    # not at a line's start, not a donor, handed over, no figure first: nothing pledged
    ("The minister said it again. Norway: 20 tanks, announced Monday.", []),
    ("Ukraine: 25 more Patriot systems needed.", []),
    ("Russia: 100 missiles fired at Kyiv overnight.", []),
    ("Key Figures: 25 systems a year.", []),
    ("Germany: 1,000 shells delivered so far.", []),
    ("Germany: the chancellor spoke about 20 tanks.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), NAME_LABELS)
def test_a_label_written_as_a_name_names_the_line_s_donor(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@given(
    bullet=st.sampled_from(["* ", "- ", "• ", ""]),
    label=st.sampled_from(["Germany", "United Kingdom", "The Netherlands", "South Korea"]),
    count=st.integers(2, 5000),
    item=st.sampled_from(["howitzers", "armoured vehicles", "drones"]),
)
def test_a_name_label_gives_the_counts_its_line_opens_with(
    bullet: str, label: str, count: int, item: str
) -> None:
    donor = label.removeprefix("The ")
    assert pledged(f"{bullet}{label}: {count:,} {item}, announced on Monday.") == [(donor, count)]
