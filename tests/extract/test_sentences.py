"""Sentence splitting with offsets."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tracker.extract.models import Sentence
from tracker.extract.sentences import (
    _BOUNDARY_RE,
    _FULL_STOP_BOUNDARY_RE,
    sentences_backwards,
    split_sentences,
)


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_offsets_point_into_the_text() -> None:
    text = "Germany pledged aid. Italy sent tanks.\nFrance gave jets."
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
    assert _texts(text) == ["Germany pledged aid.", "Italy sent tanks.", "France gave jets."]


def test_abbreviations_and_decimals_do_not_split() -> None:
    text = "The U.S. sent $11.73 billion, Mr. Smith said. Dr. Jones agreed."
    assert _texts(text) == ["The U.S. sent $11.73 billion, Mr. Smith said.", "Dr. Jones agreed."]


def test_acronym_at_the_end_of_a_sentence_splits_before_a_starter() -> None:
    text = "Aid came from the U.K. The package is large."
    assert _texts(text) == ["Aid came from the U.K.", "The package is large."]


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "He said: “We need more.” Allies agreed! Would they pay? Yes."
    assert _texts(text) == ["He said: “We need more.”", "Allies agreed!", "Would they pay?", "Yes."]


def test_line_breaks_are_boundaries_and_headings_stand_alone() -> None:
    text = "Ten-hour raid\nRussia launched drones"
    assert _texts(text) == ["Ten-hour raid", "Russia launched drones"]


def test_initials_do_not_split() -> None:
    assert _texts("Envoy J. Smith met them. Then left.") == [
        "Envoy J. Smith met them.",
        "Then left.",
    ]


# Pieces that exercise every way a sentence ends or does not: abbreviations, initials,
# acronyms before and not before a sentence starter, closing quotes, line breaks, bullets.
_PIECES = (
    "Germany pledged aid.", "The U.S.", "U.K.", "sent", "Mr.", "J.", "Smith", "said:",
    "“We need more.”", "It", "The", "tanks!", "Why?", "•", "- Two NASAMS;", "and",
    "$11.73", "billion", "(about", "€10m).", "etc.", "Dr.", "Jones", "e.g.", " ", "\n",
    "\n\n", "…",
)  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join))
def test_sentences_backwards_are_the_sentences_in_reverse(text: str) -> None:
    expected = [sentence.text for sentence in reversed(split_sentences(text))]
    assert list(sentences_backwards(text)) == expected


@given(st.text(alphabet=' .!?\n"”)AaTU0', max_size=60))
def test_sentences_backwards_of_any_punctuation(text: str) -> None:
    assert list(sentences_backwards(text)) == [s.text for s in reversed(split_sentences(text))]


def test_the_word_after_an_acronym_is_read_as_str_split_reads_it() -> None:
    # the regex's white space is str.split's, for every character
    spaces = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
    assert re.findall(r"\s", "".join(map(chr, range(0x110000)))) == list(spaces)
    for space in spaces:
        text = f"Aid came from the U.K.{space}The package is large."
        assert _texts(text) == ["Aid came from the U.K.", "The package is large."]
        text = f"Aid came from the U.K.{space}Allies agreed."
        if space != "\n":  # a line break always ends a sentence
            assert _texts(text) == [text]


@given(st.text(alphabet=" .\t\xa0\"'”’»)](“‘«AaTU0À", max_size=80))
def test_a_line_without_other_stops_has_the_boundaries_of_its_full_stops(line: str) -> None:
    # (a line holding no "?", "!" nor "…" is searched from its full stops alone)
    found = [match.span() for match in _FULL_STOP_BOUNDARY_RE.finditer(line)]
    assert found == [match.span() for match in _BOUNDARY_RE.finditer(line)]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join))
def test_each_sentence_is_its_stripped_slice_of_the_text_in_order(text: str) -> None:
    sentences = split_sentences(text)
    for sentence in sentences:
        assert isinstance(sentence, Sentence)
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.text == sentence.text.strip() != ""
    ends = [0] + [edge for sentence in sentences for edge in (sentence.start, sentence.end)]
    assert ends == sorted(ends)
