"""The regex builders: the fast forms find the same matches as the plain regexes they stand for."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract.arrivals import ARRIVAL_HINTS
from tracker.extract.lists import CONTENTS_HINTS, SUM_OF_IT_WORDS
from tracker.extract.numbers import _QUALIFIER_RE, QUALIFIERS, _qualifier_before
from tracker.extract.patterns import (
    DIGIT,
    after_non_word,
    contains_any,
    finditer_padded,
    first_letter_union,
    fold_case,
    lower_case,
    pad,
    present_words,
)
from tracker.extract.sentences import split_sentences
from tracker.extract.triggers import REQUEST_WORDS

TEXTS = [
    "Germany pledged aid; Norway gave more.",
    "U.S.U.K. and the U.S. sent aid",
    "re-sent, co-funded and sent",
    "sentence sent-sent sent",
    "“sent” (sent) sent_ sent9 sent",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    ("pattern", "also_not_after"),
    [(r"sent\b", ""), (r"sent\b", "-"), (r"U\.S\.|U\.K\.", ""), (r"(?:aid|gave)\W*", "")],
)
def test_after_non_word_finds_what_a_look_behind_finds(
    text: str, pattern: str, also_not_after: str
) -> None:
    plain = re.compile(rf"(?<![\w{re.escape(also_not_after)}])(?:{pattern})")
    expected = [(m.start(), m.end()) for m in plain.finditer(text)]
    regex = after_non_word(pattern, also_not_after)
    found = [(m.start(), m.end() - 1) for m in finditer_padded(regex, pad(text))]
    assert found == expected
    first = regex.search(pad(text))
    assert (first.start() if first else None) == (expected[0][0] if expected else None)


@pytest.mark.parametrize("text", [*TEXTS, "they agreed on a deal and signed it"])
def test_first_letter_union_finds_what_the_alternation_finds(text: str) -> None:
    named = {"verb": ["sent", "sign(?:s|ed)?", "send", "agree(?:s|d)?"], "noun": ["aid", "deal"]}
    union = re.compile(first_letter_union(named, not_after=r"\w") + r"\b")
    plain = re.compile(
        r"(?<!\w)(?:(?P<verb>sent|sign(?:s|ed)?|send|agree(?:s|d)?)|(?P<noun>aid|deal))\b"
    )
    assert [m.span() for m in union.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.lastgroup.partition("_")[0] for m in union.finditer(text) if m.lastgroup] == [
        m.lastgroup for m in plain.finditer(text)
    ]


@given(
    before=st.text(st.characters(codec=None, exclude_categories=()), max_size=3),
    also_not_after=st.sampled_from(["", "-", "-’"]),
)
def test_after_non_word_reads_any_character_before_as_the_look_behind_does(
    before: str, also_not_after: str
) -> None:
    """Every character, of any plane (letters and digits above the basic one, signs, lone
    surrogates), before a word is read as ``[^\\w...]`` reads it."""
    text = f"{before}sent {before}sent"
    plain = re.compile(rf"(?<![\w{re.escape(also_not_after)}])sent")
    regex = after_non_word("sent", also_not_after)
    found = [(m.start(), m.end() - 1) for m in finditer_padded(regex, pad(text))]
    assert found == [m.span() for m in plain.finditer(text)]


@given(text=st.text(st.characters(codec=None, exclude_categories=()), max_size=8))
def test_digit_reads_what_backslash_d_reads(text: str) -> None:
    """``DIGIT`` (a table of the basic plane's decimal digits, the planes above by a
    look-behind) finds each character ``\\d`` finds, of any plane."""
    assert [m.span() for m in re.finditer(DIGIT, text)] == [
        m.span() for m in re.finditer(r"\d", text)
    ]


def test_finditer_padded_moves_on_after_a_pattern_that_matches_nothing() -> None:
    regex = after_non_word("x?")
    starts = [match.start() for match in finditer_padded(regex, pad("a b"))]
    assert starts == [0, 2]


_WORDS = st.lists(st.text(alphabet="abco", min_size=1, max_size=5), min_size=1, max_size=8)


@given(
    verbs=_WORDS,
    nouns=_WORDS,
    text=st.lists(st.sampled_from(["a", "b", "c", "o", "ab", "co", " ", "-", ","]), max_size=20),
)
def test_fragments_grouped_letter_by_letter_match_as_the_plain_alternation(
    verbs: list[str], nouns: list[str], text: list[str]
) -> None:
    """Fragments sharing several first letters ("co", "com", "comm") are grouped letter by
    letter: the same matches, with the same kind, as the alternation in its order."""
    sentence = "".join(text)
    named = {"verb": verbs, "noun": nouns}
    union = re.compile(first_letter_union(named, not_after=r"\w") + r"\b")
    plain = re.compile(rf"(?<!\w)(?:(?P<verb>{'|'.join(verbs)})|(?P<noun>{'|'.join(nouns)}))\b")
    assert [m.span() for m in union.finditer(sentence)] == [
        m.span() for m in plain.finditer(sentence)
    ]
    assert [m.lastgroup.partition("_")[0] for m in union.finditer(sentence) if m.lastgroup] == [
        m.lastgroup for m in plain.finditer(sentence)
    ]


@given(
    st.lists(
        st.sampled_from(
            [*QUALIFIERS, "a total of", " ", "  ", "(", "“", '"', "x", "just", "more", "1"]
        ),
        max_size=8,
    )
)
def test_the_qualifier_regex_finds_what_the_plain_alternation_finds(words: list[str]) -> None:
    """The qualifiers grouped by first letters read the same qualifier, at the same place, as
    the plain alternation of them after the start, white space, a bracket or a quote."""
    before = " ".join(words) + " "
    plain = re.compile(
        r"(?:^|(?<=[\s(“\"]))(?P<q>"
        + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
        + r")\s+(?:a\s+total\s+of\s+)?$"
    )
    grouped = _QUALIFIER_RE.search(before)
    expected = plain.search(before)
    assert (grouped and grouped.span("q")) == (expected and expected.span("q"))


# Letters whose lower case or case folding is another letter, or longer (dotted and dotless i,
# long s, the Kelvin sign, sharp s, final sigma), beside those of the words looked for.
_GATE_ALPHABET = "aceghiklnoprstuvdfmASKPOI .\n\u0130\u0131\u017f\u212a\u00df\u03a3"


@given(
    st.text(alphabet=_GATE_ALPHABET, max_size=300),
    st.sampled_from([REQUEST_WORDS, CONTENTS_HINTS, SUM_OF_IT_WORDS, ARRIVAL_HINTS]),
)
def test_a_sentence_holds_no_word_its_article_lacks(article: str, words: tuple[str, ...]) -> None:
    """A sentence's text, ``lower_case`` or ``fold_case`` holds one of ``words`` exactly when
    it holds one of those the article's ``fold_case`` holds (``present_words``): the sentences'
    cheap tests look for those only."""
    present = present_words(fold_case(article), words)
    for sentence in split_sentences(article):
        for form in (sentence.text, lower_case(sentence.text), fold_case(sentence.text)):
            assert contains_any(form, present) == contains_any(form, words)


@given(
    st.lists(
        st.sampled_from(
            [*QUALIFIERS, "a total of", "a  total\tof", " ", "   ", "(", "“", "x", "just", "1"]
        ),
        max_size=8,
    )
)
def test_the_qualifier_before_a_number_is_the_plain_alternation_s(words: list[str]) -> None:
    """``_qualifier_before`` reads the qualifier that the plain alternation of them finds in
    the 40 characters before the number (it searches only from where one can start)."""
    before = (" ".join(words) + " ")[-40:]
    plain = re.compile(
        r"(?:^|(?<=[\s(“\"]))(?P<q>"
        + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
        + r")\s+(?:a\s+total\s+of\s+)?$"
    )
    expected = plain.search(before)
    assert _qualifier_before(before + "5 tanks", len(before)) == (
        (QUALIFIERS[expected.group("q")], expected.group("q")) if expected else ("exact", None)
    )
