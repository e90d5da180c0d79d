"""Hostile texts give a result or a clear ExtractError, never a hang or a crash.

How fast is checked by the benchmark, not here: these tests hold that each text finishes
and that what comes back points into the text.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extract import ExtractError, Extraction, extract

ON = date(2025, 7, 10)
_WORDS = ("Germany", "pledged", "€1,5 billion", "1.000.000,50", "tanks", "to", "Ukraine",
          "NOK 4 bln", "up to", "•", "-", ";", ",", "and", "Україна", "日本", "سلام",
          "$723 mln")  # fmt: skip


def _holds(extraction: Extraction) -> None:
    """Every record's evidence is the text between its offsets."""
    for record in (*extraction.pledges, *extraction.requests, *extraction.stage_reports):
        assert extraction.text[record.evidence_start : record.evidence_end] == record.evidence


def _extract_or_refuse(text: str) -> None:
    """Extract, accepting a clear refusal."""
    try:
        _holds(extract(text, ON))
    except ExtractError as error:
        assert str(error)


def test_a_megabyte_on_one_line() -> None:
    _extract_or_refuse("Germany pledged 5 tanks and " * 40000)


def test_no_sentence_boundaries() -> None:
    _extract_or_refuse(" ".join(["Germany pledged €1bn to Ukraine"] * 5000))


def test_two_thousand_bullets() -> None:
    lines = ["The package includes:"] + [f"• {n} drones;" for n in range(2000)]
    _extract_or_refuse("Germany announced a €1bn package for Ukraine.\n" + "\n".join(lines))


def test_continental_numbers_and_mixed_scripts() -> None:
    extraction = extract("Німеччина: Germany pledged 1.000.000,50 euros to Україна.", ON)
    _holds(extraction)
    assert [p.amount for p in extraction.pledges] == [1000000.5]


@settings(max_examples=60)
@given(st.lists(st.sampled_from(_WORDS), max_size=60).map(" ".join))
def test_texts_of_the_genre_never_crash(text: str) -> None:
    _extract_or_refuse(text)


@settings(max_examples=25)
@given(st.text(max_size=400))
def test_any_text_never_crashes(text: str) -> None:
    _extract_or_refuse(text)
