"""Sentences that state no pledge whatever their verbs: a question ("Has Germany sent Taurus
missiles?", "What did Germany pledge this week?") asks, and a correction's account of what an
earlier version wrongly said ("An earlier version of this article said the package was worth
€1.7 billion") tells a figure that was never given."""

from __future__ import annotations

import re

# A question's last characters: its mark, then closing quotes or brackets.
_QUESTION_END_RE = re.compile(r"\?[\"”’')\]]*\s*$")
# Words that tell a correction of the article itself.
CORRECTION_WORDS = (
    "earlier version of this",
    "previous version of this",
    "misstated",
    "incorrectly stated",
    "incorrectly reported",
    "wrongly stated",
    "wrongly reported",
    "correction to our",
)


def not_stated(text: str, lowered: str) -> bool:
    """True for a question or a correction's account of a wrong figure (``lowered``: the
    sentence's ``lower_case``)."""
    if "?" in text and _QUESTION_END_RE.search(text):
        return True
    return any(words in lowered for words in CORRECTION_WORDS)
