"""Equipment lists and headlines: the forms of official releases.

"The package includes four HIMARS, 36,000 rounds of 105 mm ammunition, ..." and a list
opened by "Included in this package are:" with one item a line ("Two NASAMS;", "Up to
150,000 rounds of 155mm artillery ammunition; and") name the contents of the package named
before: one pledge per item. A headline (a short line without a full stop) restates what
the text below it says: it adds nothing when the text names pledges of the same donor.
"""

from __future__ import annotations

import re

from tracker.extract.models import ExtractedPledge, Sentence

# The words that open a list of contents, each a regex fragment.
CONTENTS_VERBS = (
    "includes?", "included", "contains?", "comprises?", r"consists\s+of",
    r"(?:is|are)\s+composed\s+of",
)  # fmt: skip
CONTENTS_SUBJECTS = (
    "package", "packages", "tranche", "aid", "assistance", "funding", "support", "round",
    "capabilities", "contribution", "drawdown", "announcement", "it", "this", "measures",
    "amount", "sum", "envelope",
)  # fmt: skip
# "The package also includes", "USAID's assistance includes", "Capabilities in this package
# include:", "Included in this package are:".
CONTENTS_RE = re.compile(
    r"^(?:[\w’'.-]+\s+){0,3}?(?:" + "|".join(CONTENTS_SUBJECTS) + r")\b(?:\s+[\w’'-]+){0,3}?"
    r"\s+(?:also\s+|will\s+(?:also\s+)?)?(?:" + "|".join(CONTENTS_VERBS) + r")\b\s*:?"
    r"|^included\s+in\s+(?:[\w’'-]+\s+){1,3}?(?:are|is)\b\s*:?",
    re.IGNORECASE,
)
# A line of a list: an optional bullet, then a count, a qualifier or a capitalised word, and
# at most fifteen words ending in ";", "; and", "," or ".".
_LIST_ITEM_RE = re.compile(
    r"^\s*(?:[•\-–*·]\s*)?(?=[A-Z0-9])(?:[^\s;:]+\s+){0,14}[^\s;:]+?\s*(?:;(?:\s*(?:and|or))?|,|\.)?\s*$"
)
_BULLET_RE = re.compile(r"^\s*(?:[•\-–*·]\s*)?")
_HEADLINE_END = frozenset('.!?:;"”’)]…')


_CONTENTS_HINT_RE = re.compile(r"includ|contain|compris|consist|compos", re.IGNORECASE)


def contents_start(text: str) -> int | None:
    """Where the items start in a sentence naming a package's contents, else None."""
    hint = _CONTENTS_HINT_RE.search(text, 0, 160)
    if hint is None:
        return None
    match = CONTENTS_RE.match(text)
    return match.end() if match else None


def opens_list(text: str) -> bool:
    """True for a sentence that ends by announcing a list of contents ("... are:")."""
    return text.rstrip().endswith(":") and contents_start(text) is not None


def list_item_start(text: str) -> int | None:
    """Where the words of a list line start (after its bullet), else None."""
    if _LIST_ITEM_RE.match(text) is None:
        return None
    bullet = _BULLET_RE.match(text)
    return bullet.end() if bullet else 0


def is_headline(sentence: Sentence, article: str) -> bool:
    """True for a line of its own that does not end like a sentence (a title, a bullet)."""
    stripped = sentence.text.rstrip()
    if not stripped or stripped[-1] in _HEADLINE_END:
        return False
    line_start = sentence.start == 0 or article[sentence.start - 1] == "\n"
    line_end = sentence.end >= len(article) or article[sentence.end : sentence.end + 1] in "\n\r"
    return line_start and line_end and len(stripped.split()) <= 20


def without_restated_headlines(
    pledges: list[ExtractedPledge], headlines: set[int]
) -> list[ExtractedPledge]:
    """Drop the pledges of headlines (by evidence start) whose donor the text below names,
    and those without a number ("UK pledges more support for Gaza": a summary)."""
    body_donors = {p.donor for p in pledges if p.evidence_start not in headlines}
    return [
        p
        for p in pledges
        if p.evidence_start not in headlines
        or (p.donor not in body_donors and (p.amount is not None or p.quantity is not None))
    ]
