"""Requests: what the recipient asks for ("Zelenskyy pleaded for more air defence")."""

from __future__ import annotations

import re

from tracker import reference
from tracker.extract.actors import DEMONYMS
from tracker.extract.donors import Mention
from tracker.extract.models import ExtractedRequest, Sentence
from tracker.extract.triggers import REQUEST_RE

_OBJECT_STOP_RE = re.compile(
    r"\bto\s+(?!Ukraine\b|Kyiv\b|the\s+country\b)[a-z]+|;|\bso\s+that\b|\bbecause\b|,\s*saying\b"
    r"|\bwhile\b|,\s*which\b|\bas\s+(?:he|she|it|they|Russia)\b|\bfrom\s+(?:allies|partners"
    r"|the\s+West|Western)\b|\bafter\b|,\s*(?:he|she|they)\s+(?:said|added)"
    r"|\b(?:during|amid|ahead\s+of|at\s+(?:a|the)|on\s+(?:Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday))\b|[\"”’]\s*,?\s*(?:he|she|[A-Z]\w+)\s+(?:said|told|added)"
    r"|\b(?:and\s+)?(?:call(?:s|ed|ing)?|ask(?:s|ed|ing)?|urg(?:e|es|ed|ing)|plead(?:s|ed)?)\b"
    r"|\b(?:over|in|for|within)\s+the\s+(?:next|coming)\b|\bfor\s+next\s+(?:year|month)\b"
    r"|,\s*according\b"
)
# A sum before what it is for: "486 billion dollars for recovery" → "recovery".
_MONEY_LEAD_RE = re.compile(
    r"^(?:about\s+|around\s+|some\s+|nearly\s+)?[$€£]?[\d,.]+\s*(?:million|billion|trillion|bn|m)?"
    r"\s*(?:dollars|euros|pounds|USD|EUR)?\s+(?:in|for|of|to)\s+",
    re.IGNORECASE,
)
# Asks that are not for material support: pressure, sanctions, talks, membership...
_NOT_MATERIAL_RE = re.compile(
    r"\b(?:pressure|sanctions?|peace|ceasefire|truce|talks|negotiations?|membership|accession"
    r"|diplomac\w*|solidarity|unity|recognition|justice|tribunal|isolation|condemnation"
    r"|security\s+guarantees?)\b",
    re.IGNORECASE,
)
_SPLIT_RE = re.compile(r",\s*(?:and|or)\s+|,\s*|\s+and\s+|\s+or\s+")
_LEAD_RE = re.compile(
    r"^(?:(?:a|an|the|more|additional|further|greater|new|extra|urgent|urgently|immediate|"
    r"faster|quick|quicker|swift|swifter|increased|stronger|even|much|all|any|his|its|their|"
    r"investments?\s+in|investing\s+in|funding\s+for|deliveries\s+of|supplies\s+of|delivery\s+of"
    r"|at\s+least|as\s+many\s+as|up\s+to|about|some|[\d,.]+|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|dozens\s+of|hundreds\s+of|thousands\s+of|help\s+with|help\s+in)\s+)+",
    re.IGNORECASE,
)
_NOT_ITEM_STARTS = frozenset(
    "it we they he she this that them us there to is are was were be been".split()  # noqa: SIM905
)
_OBJECT_MENTION_RE = re.compile(r"['’]s\b")
_VERB_BEFORE_RE = re.compile(r"\b[a-z]+ed\s+(?:the\s+)?$")
_QUOTES = "“”\"'‘’«»"
_PARTICIPLE_RE = re.compile(r"^[a-z]+(?:en|ed)$")


def sentence_requests(sentence: Sentence, mentions: list[Mention]) -> list[ExtractedRequest]:
    """The requests of the recipient in a sentence."""
    text = sentence.text
    requests: list[ExtractedRequest] = []
    for match in REQUEST_RE.finditer(text):
        if not _by_recipient(text, match.start(), mentions):
            continue
        stop = _OBJECT_STOP_RE.search(text, match.end())
        object_text = text[match.end() : stop.start() if stop else len(text)]
        for item in _items(object_text):
            requests.append(
                ExtractedRequest(reference.DEFAULT_RECIPIENT, item, text, sentence.start,
                                 sentence.end)
            )  # fmt: skip
    return requests


def _by_recipient(text: str, position: int, mentions: list[Mention]) -> bool:
    """True when the nearest actor before the request (or any after it) is the recipient.

    The request may start with the actor ("Kyiv needed"); actors that are objects or
    possessives ("thanked Berlin", "Denmark's example") are passed over.
    """
    if any(m.start == position and m.is_recipient_side for m in mentions):
        return True
    for mention in reversed([m for m in mentions if m.end <= position]):
        if (
            mention.location
            or not mention.is_recipient_side
            and (
                _OBJECT_MENTION_RE.match(text, mention.end)
                or _VERB_BEFORE_RE.search(text, max(0, mention.start - 15), mention.start)
            )
        ):
            continue
        return mention.is_recipient_side
    return any(m.is_recipient_side and not m.location for m in mentions if m.start >= position)


def _items(object_text: str) -> list[str]:
    """Split "“more air defence” and “investments in drones, missiles”" into items."""
    items = []
    for chunk in _SPLIT_RE.split(object_text):
        words = chunk.strip().strip(_QUOTES + " .,:").strip()
        words = re.split(r"\s[“\"]", words, maxsplit=1)[0]  # 'systems "as soon as possible"'
        words = _MONEY_LEAD_RE.sub("", words)
        words = _LEAD_RE.sub("", words).strip(_QUOTES + " .,:")
        if _NOT_MATERIAL_RE.search(words):
            continue
        if not words or len(words.split()) > 8 or not re.search(r"[a-z]{3}", words):
            continue
        if words.split()[0].lower() in _NOT_ITEM_STARTS:
            continue
        items.append(_origin_next_to_noun(words))
    return items


def _origin_next_to_noun(words: str) -> str:
    """Move an adjective of origin next to its noun ("Russian frozen assets")."""
    tokens = words.split()
    demonyms = {name for names in DEMONYMS.values() for name in names}
    for index in range(len(tokens) - 2):
        if tokens[index] in demonyms and _PARTICIPLE_RE.match(tokens[index + 1]):
            tokens[index], tokens[index + 1] = tokens[index + 1], tokens[index]
    return " ".join(tokens)
