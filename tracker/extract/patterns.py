"""Helpers to build fast regular expressions from word lists."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache


def lower_case(text: str) -> str:
    """``text.lower()`` with the same length, so offsets stay valid (case-sensitive regexes
    over lowered text run several times faster than IGNORECASE ones)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# The only characters an IGNORECASE regex equates with an ASCII letter that ``str.lower``
# does not turn into it: dotted and dotless i, long s.
_ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold_case(text: str) -> str:
    """``lower_case(text)`` that also folds the few letters an IGNORECASE regex equates with
    ASCII ones, so a lower-case keyword ``in`` it whenever an IGNORECASE regex of that
    keyword would match ``text`` (cheap checks before costly regexes)."""
    return fold_lowered(lower_case(text))


def fold_lowered(lowered: str) -> str:
    """``fold_case`` of a text whose ``lower_case`` is ``lowered`` (a sentence is lowered once
    and folded from that)."""
    # three substring tests: faster than ``any`` over a generator (this runs for every
    # sentence several times)
    if lowered.isascii() or (
        "\u0131" not in lowered and "\u017f" not in lowered and "\u0130" not in lowered
    ):
        return lowered
    return lowered.translate(_ASCII_FOLDS)


def folded_regex(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` to run over ``fold_case(text)``: it matches there exactly where the
    pattern with IGNORECASE matches ``text``, at the same offsets, several times faster."""
    if re.search(r"\\[A-Z]", pattern):
        raise ValueError(f"upper-case escapes change meaning when lower-cased: {pattern}")
    lowered = pattern.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P=")
    return re.compile(lowered)


def contains_any(text: str, words: Sequence[str]) -> bool:
    """True when one of ``words`` is in ``text`` (a plain loop of substring tests: faster
    than a regex of the words, or ``any`` over a generator, for a handful of words)."""
    for word in words:  # noqa: SIM110 (a loop: any() over a generator is slower here)
        if word in text:
            return True
    return False


def present_words(folded_article: str, words: Sequence[str]) -> tuple[str, ...]:
    """Those of ``words`` (lower-case) that ``folded_article`` holds: an article's
    ``fold_case``, or its sentences' joined. A sentence of the article holds none of the
    others, in its text, its ``lower_case`` or its ``fold_case`` (folding turns no character
    into another's lower-case letter that the article's folding would not): read once an
    article, the words left are all a sentence's cheap tests (``contains_any``) need look for."""
    return tuple(word for word in words if word in folded_article)


def keyword_re(words: Iterable[str]) -> re.Pattern[str]:
    """A regex finding any of ``words`` anywhere (no word boundaries): a cheap test that a
    costlier regex which needs one of them cannot match when it finds none."""
    return re.compile(word_union(words))


def word_union(words: Iterable[str], not_after: str | None = None) -> str:
    """A regex alternation of ``words`` built as a trie, preferring the longest match.

    ``not_after`` (a one-character class such as ``[\\w-]``) is what may not come right
    before a word; it is checked after the word's first character, so the regex starts with
    plain characters and the engine skips quickly to where a word may start.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    if not_after is None:
        return "(?:" + _trie_to_regex(trie) + ")"
    guard = f"(?<!{not_after}[\\s\\S])"
    return (
        "(?:"
        + "|".join(
            re.escape(char) + guard + _trie_to_regex(child) for char, child in sorted(trie.items())
        )
        + ")"
    )


def first_letter_union(named: dict[str, Sequence[str]], not_after: str | None) -> str:
    """``first_letter_branches`` as one group, ``(?:...)``."""
    return "(?:" + first_letter_branches(named, not_after) + ")"


def first_letter_branches(named: dict[str, Sequence[str]], not_after: str | None) -> str:
    """A regex alternation of regex fragments, each starting with a plain letter, that finds
    the same matches as ``(?<!not_after)(?:(?P<name>a|b|...)|...)`` with the fragments tried
    in the same order, but starts with plain letters: the fragments are grouped by their first
    letter (where ``not_after`` is checked), then by their next letters as long as all those
    of a group go on with a plain one (``_grouped``), so the engine skips quickly to where
    one may start and tries only the few fragments that begin with the letters there
    (fragments that begin with other letters cannot match at the same place, so their order
    does not matter).
    ``match.lastgroup`` is ``name`` followed by "_" and a number (see ``group_name``).
    With ``not_after`` None nothing is checked before a fragment (see ``after_non_word``).
    """
    by_letter: dict[str, list[tuple[str, str]]] = {}
    for name, fragments in named.items():
        for fragment in fragments:
            if not _starts_with_plain_letter(fragment):
                raise ValueError(f"the fragment does not start with a letter: {fragment}")
            by_letter.setdefault(fragment[0], []).append((name, fragment[1:]))
    # (``.`` stands for the first letter the guard follows, never a line break: unlike
    # ``[\s\S]`` it survives ``folded_regex``)
    guard = f"(?<!{not_after}.)" if not_after is not None else ""
    branches = []
    for letter, tails in sorted(by_letter.items()):
        branches.append(f"{letter}{guard}{_grouped(letter, tails)}")
    return "|".join(branches)


def _grouped(prefix: str, tails: list[tuple[str, str]]) -> str:
    """The regex of ``tails`` (fragments less their first letters, ``prefix``, in order):
    grouped by their next letter while every one of them starts with a plain letter (a
    common "co" is matched once, not once for each of "commit", "committed", "contribute"
    ...), else their named runs (``_named_runs``), in their order."""
    if not all(_starts_with_plain_letter(tail) for _, tail in tails):
        return _named_runs(prefix, tails)
    by_next: dict[str, list[tuple[str, str]]] = {}
    for name, tail in tails:
        by_next.setdefault(tail[0], []).append((name, tail[1:]))
    nexts = "|".join(
        f"{following}{_grouped(prefix + following, rests)}"
        for following, rests in sorted(by_next.items())
    )
    return f"(?:{nexts})"


def _starts_with_plain_letter(fragment: str) -> bool:
    """True when a regex fragment starts with a letter that no quantifier follows."""
    return fragment[:1].isalpha() and fragment[1:2] not in ("?", "*", "+", "{")


def _named_runs(prefix: str, tails: list[tuple[str, str]]) -> str:
    """``(?:(?P<name_prefix0>tail|tail)|(?P<other_prefix1>tail)...)``: one group for each run
    of consecutive tails of one name, in order."""
    runs: list[tuple[str, list[str]]] = []
    for name, tail in tails:
        if runs and runs[-1][0] == name:
            runs[-1][1].append(tail)
        else:
            runs.append((name, [tail]))
    groups = "|".join(
        f"(?P<{name}_{prefix}{index}>{'|'.join(run)})" for index, (name, run) in enumerate(runs)
    )
    return f"(?:{groups})"


def after_non_word(pattern: str, also_not_after: str = "") -> re.Pattern[str]:
    """Compile ``pattern`` to find it where no word character (nor one of ``also_not_after``)
    comes right before it. Run it over ``pad(text)`` (``search(pad(text), pos)`` finds the
    first match starting at or after ``pos`` in ``text``; ``finditer_padded`` them all): a
    match's ``start()`` is then where it starts in ``text`` and ``end() - 1`` where it ends.

    The regex consumes the character before the pattern (the pad for a match at the start
    of ``text``), so the engine tries a match only at the spaces and punctuation between
    words, not at every letter a word of the pattern may start with.
    """
    # (the class of ``_outside_words``: the engine reads one table for each character it
    # passes, where ``[^\w]`` would look up each space's and each sign's Unicode category)
    return re.compile(f"{_outside_words(also_not_after)}(?:{pattern})")


_ASTRAL = "\U00010000-\U0010ffff"


@cache
def _outside_words(also: str) -> str:
    """A regex of one character outside words, as ``[^\\w{also}]`` (a character that is not
    a letter, digit or "_", nor one of ``also``)."""
    return _one_of(
        lambda char: not (char.isalnum() or char == "_" or char in also),
        f"[\\w{re.escape(also)}]",
    )


def _one_of(inside: Callable[[str], bool], not_inside: str) -> str:
    """A regex of one character for which ``inside`` holds, and ``not_inside`` (a regex of
    one character) never matches: those of Unicode's basic plane as a class the engine
    compiles to a table (where a category, ``\\w`` or ``\\d``, is looked up for each
    character passed), those of the planes above refused by a look-behind when
    ``not_inside`` matches them."""
    return f"[{_ranges(code for code in range(0x10000) if inside(chr(code)))}{_ASTRAL}]" + (
        f"(?<![{_ASTRAL}](?<={not_inside}))"
    )


def _ranges(codes: Iterable[int]) -> str:
    """The body of a character class of ``codes`` (ascending), as ranges."""
    ranges: list[str] = []
    first = last = -2
    for code in [*codes, -2]:
        if code == last + 1:
            last = code
            continue
        if first >= 0:
            low, high = re.escape(chr(first)), re.escape(chr(last))
            ranges.append(low if first == last else f"{low}-{high}")
        first = last = code
    return "".join(ranges)


# One decimal digit, as ``\d`` reads one (see ``_one_of``).
DIGIT = _one_of(str.isdecimal, r"\D")


def pad(text: str) -> str:
    """``text`` after one space: what an ``after_non_word`` regex runs over."""
    return " " + text


def finditer_padded(regex: re.Pattern[str], padded: str, pos: int = 0) -> Iterator[re.Match[str]]:
    """The matches of an ``after_non_word`` regex in ``padded`` (``pad(text)``) of the words
    ``finditer`` of its pattern finds in ``text`` from ``pos`` (offsets as ``after_non_word`` says).

    Each search starts at the last character of the match before, which is where the
    unpadded search would go on from: a word may start right after a match that ends with a
    character outside words. (A pattern that matched nothing after the character before it
    would start the next search where this one started: the next starts one further on.)
    """
    while (match := regex.search(padded, pos)) is not None:
        yield match
        pos = max(match.end() - 1, match.start() + 1)


def group_name(match: re.Match[str]) -> str | None:
    """The name given to ``first_letter_union`` of the fragment that matched."""
    return match.lastgroup.partition("_")[0] if match.lastgroup else None


def _trie_to_regex(node: dict[str, dict]) -> str:
    """Turn one trie node into a regex fragment."""
    branches = [
        re.escape(char) + _trie_to_regex(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return "(?:" + body + ")?"
    return body


# A capitalised word after another: the two are a name.
_CAPITALISED_PAIR_RE = re.compile(r"[A-Z][\w’'-]*\s+[A-Z]")


def opens_name(text: str, start: int) -> bool:
    """True when the word at ``start`` is capitalised and followed by a capitalised word: it
    opens a name ("Lower Saxony has pledged ...": no verb "lower")."""
    return _CAPITALISED_PAIR_RE.match(text, start) is not None
