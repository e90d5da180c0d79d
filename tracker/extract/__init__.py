"""Article text → pledges, requests and their evidence. Pure functions: no database, no web.

Public API: :func:`decode_article` (bytes → the text offsets point into),
:func:`extract` (text → :class:`Extraction`) and :func:`to_contract`
(extraction → the JSON shape of ``tracker extract``).
"""

from __future__ import annotations

import re
from datetime import date

from tracker.extract.contract import to_contract
from tracker.extract.donors import find_mentions
from tracker.extract.errors import ExtractError
from tracker.extract.givers import ArticleContext
from tracker.extract.items import guess_kind
from tracker.extract.models import ExtractedPledge, ExtractedRequest, Extraction, Sentence
from tracker.extract.requests import sentence_requests
from tracker.extract.rules import contents_pledges, sentence_pledges
from tracker.extract.sentences import split_sentences
from tracker.extract.text import decode_article
from tracker.extract.triggers import REQUEST_RE, has_giving

__all__ = [
    "ExtractError",
    "ExtractedPledge",
    "ExtractedRequest",
    "Extraction",
    "Sentence",
    "decode_article",
    "extract",
    "split_sentences",
    "to_contract",
]

_CONFERENCE_RE = re.compile(r"\b(?:conference|summit|forum|met|meeting|gathering)\b", re.IGNORECASE)


def extract(text: str, published: date | None = None) -> Extraction:
    """Read the pledges and requests an article states; offsets point into ``text``."""
    sentences = split_sentences(text)
    context = ArticleContext(published, conference_kind=_conference_kind(sentences))
    pledges: list[ExtractedPledge] = []
    requests: list[ExtractedRequest] = []
    previous: Sentence | None = None
    for sentence in sentences:
        giving = has_giving(sentence.text)
        asking = REQUEST_RE.search(sentence.text) is not None
        if not giving:
            pledges.extend(contents_pledges(sentence, context))
        if giving or asking:
            mentions = find_mentions(sentence.text, published)
            if giving:
                context.previous_sentence = previous.text if previous else None
                pledges.extend(sentence_pledges(sentence, mentions, context))
            if asking:
                requests.extend(sentence_requests(sentence, mentions))
        previous = sentence
    return Extraction(text=text, pledges=tuple(pledges), requests=tuple(requests))


def _conference_kind(sentences: list[Sentence]) -> str | None:
    """The kind of support a conference the article reports on is about, if any (read from
    the sentences in the first 4,000 characters)."""
    for sentence in sentences:
        if sentence.start >= 4000:
            break
        if _CONFERENCE_RE.search(sentence.text):
            kind = guess_kind(sentence.text, "")
            if kind:
                return kind
    return None
