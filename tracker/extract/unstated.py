"""Sentences that state no pledge whatever their verbs: a question ("Has Germany sent Taurus
missiles?", "What did Germany pledge this week?") asks, a correction's account of what an
earlier version wrongly said ("An earlier version of this article said the package was worth
€1.7 billion") tells a figure that was never given, a claim a fact-check quotes ("CLAIM:
Germany pledged €10 billion", "Some versions add that ...") is what others said, and a
donor's place in a table ("Germany stays first with €9.2 billion of new commitments") tells
a tally."""

from __future__ import annotations

import re

from tracker.extract.patterns import contains_any

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
# Words that tell a claim under check, as fact-checks quote it: a label, the claim named, or
# posts shared on social media as its source ("CLAIM: Germany pledged €10bn", "The claim that
# Germany will send 100 Taurus missiles is also false", "Some versions add that ..."). An
# official's own post ("in a post on X, the minister said") states what it says.
CLAIM_WORDS = (
    "claim:",
    "claim that",
    "claims that",
    "claimed that",
    "post shared",
    "posts shared",
    "viral post",
    "viral video",
    "posts say",
    "posts claim",
    "posts that say",
    "posts that claim",
    "versions add",
    "versions say",
    "versions claim",
    "versions of the post",
    "falsely claim",
)
_UNSTATED_WORDS = CORRECTION_WORDS + CLAIM_WORDS
# One of these is in each of the words above: a sentence without any holds none of them (a
# handful of substring tests, as many as the corrections' words alone took).
UNSTATED_HINTS = ("claim", "post", "version", "viral", "stated", "reported", "correction")
# A donor's place in a table of donors, with its tally ("Germany stays first with €9.2
# billion of new commitments in 2026, ahead of the United Kingdom (£4.5 billion)"): sums of
# other pledges, the donors ranked beside it with theirs.
RANK_VERBS = ("stays", "remains", "ranks", "is", "comes", "sits", "moves up to", "climbs to",
              "rises to", "falls to", "drops to", "slips to")  # fmt: skip
RANKS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
         "tenth", "top", "last", "bottom", "number one")  # fmt: skip
# Matched right before each " with " of the sentence (rare), not searched through it.
_RANKED_BEFORE_WITH_RE = re.compile(
    rf"\b(?:{'|'.join(RANK_VERBS)})\s+(?:in\s+)?(?:{'|'.join(RANKS)})(?:\s+place)?$"
)
_RANK_LOOK_BACK = 40


def not_stated(text: str, lowered: str) -> bool:
    """True for a question, a correction's account of a wrong figure, a claim under check or
    a donor's place in a table (``lowered``: the sentence's ``lower_case``)."""
    if "?" in text and _QUESTION_END_RE.search(text):
        return True
    if " with " in lowered and _ranked(lowered):
        return True
    return contains_any(lowered, UNSTATED_HINTS) and contains_any(lowered, _UNSTATED_WORDS)


def _ranked(lowered: str) -> bool:
    """True when a donor's place in a table stands before a " with " of the sentence."""
    at = lowered.find(" with ")
    while at >= 0:
        if _RANKED_BEFORE_WITH_RE.search(lowered, max(0, at - _RANK_LOOK_BACK), at):
            return True
        at = lowered.find(" with ", at + 1)
    return False
