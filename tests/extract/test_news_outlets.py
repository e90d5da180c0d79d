"""Wordings of news outlets the extractor met in the articles 38-47 of ``tests/extract/news``:
a note naming the article's dollar, a quotation restating a pledge, and the rules after
them. Each row: a text → the pledges it states (donor, figure, currency)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract import extract

ON = date(2026, 12, 4)

Pledged = list[tuple[str, int | Decimal | None, str | None]]


def pledged(text: str) -> Pledged:
    """The (donor, figure, currency) of each pledge ``text`` states, the figure being the
    quantity, else the amount."""
    return [
        (p.donor, p.quantity if p.quantity is not None else p.amount, p.currency)
        for p in extract(text, ON).pledges
    ]


# A note naming which dollar "$" is, anywhere in the text.
DOLLAR_NOTES: list[tuple[str, Pledged]] = [
    ("Australia will provide an additional $95 million package to Ukraine.\n\n"
     "All figures in Australian dollars.",
     [("Australia", 95000000, "AUD")]),
    ("(All amounts are in Canadian dollars.)\n\nCanada will give $20 million to Ukraine.",
     [("Canada", 20000000, "CAD")]),
    ("Dollar figures are given in New Zealand dollars. New Zealand will give $5m to the ICRC.",
     [("New Zealand", 5000000, "NZD")]),
    # the US dollar named as such keeps it; without a note "$" is the US dollar
    ("All figures in Australian dollars. Australia will give US$10 million to the fund.",
     [("Australia", 10000000, "USD")]),
    ("Australia will provide an additional $95 million package to Ukraine.",
     [("Australia", 95000000, "USD")]),
    # a sum in Australian dollars named in words is no note
    ("Australia will give 10 million Australian dollars, and Japan $20 million.",
     [("Australia", 10000000, "AUD"), ("Japan", 20000000, "USD")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DOLLAR_NOTES)
def test_a_note_names_the_dollar(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@given(
    millions=st.integers(min_value=1, max_value=900),
    dollars=st.sampled_from([("Australian", "AUD"), ("Canadian", "CAD"), ("New Zealand", "NZD")]),
    note_first=st.booleans(),
)
def test_every_bare_dollar_takes_the_note_s_currency(
    millions: int, dollars: tuple[str, str], note_first: bool
) -> None:
    note = f"All figures in {dollars[0]} dollars."
    pledge = f"Japan will give ${millions} million to Ukraine."
    text = f"{note}\n{pledge}" if note_first else f"{pledge}\n{note}"
    assert pledged(text) == [("Japan", millions * 1_000_000, dollars[1])]


# A sentence that opens a quotation, after a label or not, restates a figure stated before.
QUOTED_AGAIN: list[tuple[str, Pledged]] = [
    ('Germany agreed to finance two more Patriot systems. "Germany has told us it will pay '
     'for two systems," a diplomat said.', [("Germany", 2, None)]),
    ('Norway will transfer two NASAMS batteries, the minister said.\n\nQuote: "Norway will '
     'transfer two more NASAMS batteries."', [("Norway", 2, None)]),
    # a new figure quoted is a pledge; so is the first statement of a figure in a quotation
    ('Germany agreed to finance two Patriot systems. "Germany will also send 40 Marders," '
     'a diplomat said.', [("Germany", 2, None), ("Germany", 40, None)]),
    ('"Germany will send 40 Marders," a diplomat said.', [("Germany", 40, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), QUOTED_AGAIN)
def test_a_quotation_restating_a_figure_is_no_new_pledge(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@pytest.mark.parametrize(
    "text", ["New Zealand pledged $5m to Ukraine.", "The New Zealand government pledged $5m."]
)
def test_a_country_named_as_its_demonym_is_the_country(text: str) -> None:
    assert pledged(text) == [("New Zealand", 5000000, "USD")]
