"""Split article text into sentences with character offsets."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import partial

from tracker.extract.models import Sentence

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "maj",
        "cmdr",
        "adm",
        "rep",
        "sen",
        "gov",
        "st",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "est",
        "approx",
        "incl",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "pres",
        "sec",
        "min",
        "max",
        "al",
        "e.g",
        "i.e",
        # German scales, kept by translations ("85 Mio. Euro", "1,9 Mrd. Euro")
        "mio",
        "mrd",
    ]
)
# A period, question or exclamation mark, optional closing quotes or brackets,
# then whitespace and something that can start a sentence. ("[.!?…][.!?…]*", not
# "[.!?…]+": a regex that starts with a class of characters, not a repeat, lets the engine
# skip straight to those characters.)
_BOUNDARY_END = r"[.!?…]*[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9À-Ý])"
_BOUNDARY_RE = re.compile(r"[.!?…]" + _BOUNDARY_END)
# The same in a line without question or exclamation marks or ellipses (most lines), where
# every boundary starts with a full stop: a regex starting with one character, which the
# engine skips to several times faster than to any of a class.
_FULL_STOP_BOUNDARY_RE = re.compile(r"\." + _BOUNDARY_END)
_WORD_CHARS = string.ascii_letters + "."
_NEXT_WORD_RE = re.compile(r"\s*(\S+)")  # the next word, as str.split() reads it
# A sentence built from a tuple of its fields by the tuple's constructor (a named tuple's own
# constructor is a Python function that calls it)
_new_sentence = partial(tuple.__new__, Sentence)
_SENTENCE_STARTERS = frozenset(
    [
        "The",
        "A",
        "An",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "In",
        "On",
        "At",
        "But",
        "And",
        "Yet",
        "This",
        "That",
        "These",
        "Those",
        "Its",
        "His",
        "Her",
        "Their",
        "Our",
        "After",
        "Before",
        "As",
        "While",
        "When",
        "Meanwhile",
        "However",
    ]
)


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text``; line breaks always end a sentence."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        _split_line(line, offset, sentences)
        offset += len(line) + 1
    return sentences


def sentences_backwards(text: str) -> Iterator[str]:
    """The texts of ``split_sentences(text)`` from the last to the first, split a line at a
    time from the end (a reader that stops at the first few splits only the last lines)."""
    end = len(text)
    while True:
        newline = text.rfind("\n", 0, end)
        found: list[Sentence] = []
        _split_line(text[newline + 1 : end], 0, found)
        for sentence in reversed(found):
            yield sentence.text
        if newline < 0:
            return
        end = newline


def _split_line(line: str, offset: int, out: list[Sentence]) -> None:
    """Split one line into sentences, appending them to ``out``."""
    start = 0
    boundary = _BOUNDARY_RE if "?" in line or "!" in line or "…" in line else _FULL_STOP_BOUNDARY_RE
    for match in boundary.finditer(line):
        stop, end = match.span()
        if line[stop] == "." and _is_abbreviation(line, stop, end):
            continue
        _append(line, offset, start, end, out)
        start = end
    _append(line, offset, start, len(line), out)


def _is_abbreviation(line: str, stop: int, end: int) -> bool:
    """True when the full stop at ``stop`` (its boundary ending at ``end``) ends an
    abbreviation, not the sentence."""
    # the letters and full stops right before it (at most 40 characters), from a letter on
    window = line[max(0, stop - 40) : stop]
    word = window[len(window.rstrip(_WORD_CHARS)) :].lstrip(".")
    if not word:
        return False
    if word.lower().rstrip(".") in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return True
    if "." in word and word.replace(".", "").isupper():  # "U.S.", "U.K."
        following = _NEXT_WORD_RE.match(line, end)
        return following is None or following.group(1) not in _SENTENCE_STARTERS
    return False


def _append(line: str, offset: int, start: int, end: int, out: list[Sentence]) -> None:
    """Append line[start:end] trimmed of whitespace, if anything is left."""
    piece = line[start:end]
    text = piece.strip()
    if text:
        start += offset + len(piece) - len(piece.lstrip())
        out.append(_new_sentence((start, start + len(text), text)))
