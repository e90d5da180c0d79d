"""Item phrases after a verb of giving: "5,000 air defence missiles", "a Patriot system and a
field hospital", "more defensive weapons".

A list of single items named with "a"/"an" after a verb of giving gives one pledge of one
unit per item; the first must be in the catalogue, the others may be any noun phrase
("a Patriot battery and a field hospital"). Items without a number ("more drones",
"hundreds of drones") give a pledge with an unknown quantity.
"""

from __future__ import annotations

import re
from decimal import Decimal

from tracker.extract.items import guess_kind, match_item
from tracker.extract.lexicon import GIVING_VERBS, forms_of
from tracker.extract.numbers import WORD_NUMBERS, NumberPhrase
from tracker.extract.vocabulary import Vocabulary

ITEM_LEAD_RE = re.compile(
    r"\s*(?:(?:more|additional|further|new|extra|other|modern|of\s+(?:its|their|the)|its|their"
    r"|the|an?|(?:batch|batches|consignment|shipment|lot)\s+of)\s+)*"  # "a further batch of"
)
# A calibre is part of the item's words, never its count: "155mm shells", "120-mm mortar
# rounds", "5.56 mm ammunition", a list of them "155 mm and 105 mm artillery rounds".
_CALIBRE = r"\d+(?:\.\d+)?(?:\s?|-)mm\b"
_ITEM_TOKEN_RE = re.compile(
    rf"\s*([A-Za-z][\w’'/.-]*|{_CALIBRE}(?:(?:\s*[,/]\s*|\s+(?:and|or)\s+){_CALIBRE})*"
    r"|\d+(?:-\d+)?(?=\s+[A-Za-z]))"  # "Mirage 2000-5 jets"
)
_ITEM_STOP = frozenset(
    [
        "to",
        "for",
        "in",
        "by",
        "from",
        "on",
        "at",
        "as",
        "and",
        "or",
        "with",
        "worth",
        "respectively",
        "which",
        "that",
        "over",
        "into",
        "this",
        "next",
        "during",
        "under",
        "after",
        "before",
        "while",
        "including",
        "since",
        "each",
        "per",
        "valued",
        "a",
        "an",
        "the",
        "its",
        "their",
        "his",
        "her",
        "were",
        "was",
        "is",
        "are",
        "will",
        "would",
        "have",
        "has",
        "had",
        "be",
        "been",
        "being",
        "than",
        "of",
        "said",
        "says",
        "via",
        "if",
        "when",
        "through",
        "across",
        "against",
        "between",
        "costing",
        "totalling",
        "totaling",
        "amid",
        "together",
        "it",
        "they",
        "we",
        "he",
        "she",
        # words of time that follow the items ("100 Leopard tanks last year", AP's "10
        # howitzers Tuesday")
        "last",
        "earlier",
        "yesterday",
        "today",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        # a participle of giving after the items ("31 Abrams tanks pledged by Washington")
        *(
            form
            for form in forms_of(GIVING_VERBS)
            if form.endswith("ed") or not (form in GIVING_VERBS or form.endswith(("s", "ing")))
        ),
    ]
)
_MEASURE_WORDS = frozenset(
    ["rounds", "units", "pieces", "batches", "tonnes", "tons", "sets", "doses", "kits"]
)
_UNKNOWN_LEAD_RE = re.compile(
    r"\s*(?:(?:Ukraine|Kyiv|the\s+country|it|them)\s+(?:with\s+)?)?(?:(?:including|includes|which"
    r"\s+includes|that\s+includes|comprising|of)\s+)?(?:[\"“‘]?(?P<q>more|additional|further"
    r"|extra|new|an\s+unspecified\s+number\s+of|unspecified|(?:several|a\s+few)\s+(?:hundred"
    r"|thousand|dozen)|several|dozens\s+of|hundreds\s+of"
    r"|thousands\s+of|a\s+number\s+of|(?:a|the)\s+(?:new\s+|first\s+|second\s+)?batch\s+of)"
    r"[\"”’]?\s+)?"  # quoted: 'would deliver "hundreds of" drones'
    r"(?:of\s+)?(?P<one>(?:a|an|another|one)\s+(?:new\s+|second\s+|third\s+|further\s+)?)?",
    re.IGNORECASE,
)


def item_words(text: str, start: int, limit: int) -> tuple[str, int]:
    """The noun phrase after a count ("5,000 air defence missiles to" → "air defence missiles")."""
    lead = ITEM_LEAD_RE.match(text, start, limit)
    position = lead.end() if lead else start
    tokens: list[str] = []
    end = position
    while len(tokens) < 6:
        match = _ITEM_TOKEN_RE.match(text, position, limit)
        if match is None:
            break
        token = match.group(1).rstrip(".")
        if not tokens and token[0].isdigit() and not token.endswith("mm"):
            position = match.end()  # "12 of the 18 howitzers": the whole's count, not a word
            continue  # of the item (a model number follows a name: "Mirage 2000-5 jets")
        lowered = token.lower()
        if lowered in _ITEM_STOP and tokens:
            if lowered == "of" and len(tokens) == 1 and tokens[0].lower() in _MEASURE_WORDS:
                tokens.append(token)
                position = end = match.end()
                continue
            break
        if lowered in _ITEM_STOP:
            break
        tokens.append(token)
        position = end = match.start(1) + len(token)
    if tokens and tokens[-1].lower() == "of":
        tokens.pop()
    if len(tokens) == 1 and tokens[0].lower() in _LONE_LEADS:
        return "", start  # "seven more": no item named
    return " ".join(tokens), end


# A word that leads an item's words, alone at the end of a clause: it names no item.
_LONE_LEADS = frozenset(["more", "additional", "further", "extra", "others", "other"])


# "... and a field hospital", ", a radar and a generator": one more item named with "a"/"an".
# "an undisclosed number of": things given without their count.
_UNSPECIFIED_RE = re.compile(
    r"(?:unspecified|undisclosed|unknown|unnamed|unannounced)\s+number\s+of\s+", re.IGNORECASE
)
_UNCOUNTED_MORE_RE = re.compile(
    r"\s+and\s+(?P<q>(?:several|a\s+few)\s+(?:hundred|thousand|dozen)|(?:hundreds|thousands"
    r"|dozens)\s+of)\s+",
    re.IGNORECASE,
)
_ONE_MORE_RE = re.compile(
    r"(?:\s*,\s*(?:and\s+)?|\s+and\s+(?:also\s+)?|\s+as\s+well\s+as\s+)(?:a|an|one)\s+"
    r"(?:(?:new|second|third|further|additional)\s+)?(?=[A-Za-z])",
    re.IGNORECASE,
)


def single_items(
    text: str, start: int, limit: int, vocabulary: Vocabulary | None = None
) -> tuple[list[tuple], int]:
    """The items named one by one with "a"/"an" after an item that ends at ``start`` ("10
    Bradley fighting vehicles and a counter-drone system"): one unit of each, while each is
    something given (in the catalogue, or words of military or humanitarian support); and
    where the last one ends."""
    items: list[tuple] = []
    position = start
    uncounted = _UNCOUNTED_MORE_RE.match(text, position, limit)
    if uncounted is not None:
        # "two IRIS-T systems and several hundred missiles": given, not counted
        words, end = item_words(text, uncounted.end(), limit)
        item = match_item(words, vocabulary) if words else None
        if item is not None and item.category not in (None, "grant"):
            words_said = " ".join(uncounted.group("q").split())
            none = NumberPhrase(uncounted.end(), uncounted.end(), Decimal(0), None, False,
                                "unknown", words_said)  # fmt: skip
            return [(item, none, None, None)], end
    while (lead := _ONE_MORE_RE.match(text, position, limit)) is not None:
        unspecified = _UNSPECIFIED_RE.match(text, lead.end(), limit)
        words, end = item_words(text, (unspecified or lead).end(), limit)
        item = match_item(words, vocabulary) if words else None
        if item is None or (item.category is None and guess_kind(words, "") == ""):
            break
        if unspecified is not None and item.category is not None:
            # "12 howitzers and an unspecified number of Mirage jets": given, not counted
            words_said = " ".join(text[lead.start() : unspecified.end()].split()[-4:])
            none = NumberPhrase(lead.end(), lead.end(), Decimal(0), None, False, "unknown",
                                words_said)  # fmt: skip
            items.append((item, none, None, None))
            position = end
            continue
        if item.category == "grant" or words.lower().endswith("s"):
            break  # "and a grant of ...": a sum follows; "a number of systems"
        one = NumberPhrase(lead.end(), lead.end(), Decimal(1), None, False, "exact", None)
        items.append((item, one, Decimal(1), None))
        position = end
    return items, position


def unknown_item(
    text: str, start: int, limit: int, vocabulary: Vocabulary | None = None
) -> list[tuple]:
    """An item given without a number ("to send more defensive weapons"), or the items
    named one by one with "a"/"an" ("to send a Patriot system and a field hospital")."""
    lead = _UNKNOWN_LEAD_RE.match(text, start, limit)
    if lead is None:
        return []
    words, end = item_words(text, lead.end(), limit)
    if not words:
        return []
    item = match_item(words, vocabulary)
    if item is None or item.category is None or item.category == "grant":
        return []  # "support", "assistance", "aid" without a sum say nothing countable
    if lead.group("one") and item.unit is not None and not words.endswith("s"):
        one = NumberPhrase(start, start, Decimal(1), None, False, "exact", None)
        more, _ = single_items(text, end, limit, vocabulary)
        return [(item, one, Decimal(1), None), *more]
    qualifier_text = " ".join(lead.group("q").split()) if lead.group("q") else None
    number = NumberPhrase(start, start, Decimal(0), None, False, "unknown", qualifier_text)
    found = [(item, number, None, None)]
    # "promised armoured vehicles and heavy weapons": each thing the catalogue knows
    while (joiner := _NEXT_UNKNOWN_RE.match(text, end, limit)) is not None:
        words, end = item_words(text, joiner.end(), limit)
        other = match_item(words, vocabulary) if words else None
        if other is None or other.category in (None, "grant") or other.item == item.item:
            break
        found.append((other, number, None, None))
    return found


# Between two things given without a number: ", and", "," or "and".
_NEXT_UNKNOWN_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+(?!a\s|an\s)")


_DIGIT_RE = re.compile(r"\d")
# A calibre names a kind of thing, it counts nothing: "155mm ammunition".
_CALIBRE_RE = re.compile(r"\b\d{2,3}\s?mm\b")
# A model's name whose digits count nothing ("AIM-9M missiles", "M777 howitzers", "F-16s").
_MODEL_NAME_RE = re.compile(r"\b[A-Za-z]+-\d[\w-]*|\b[A-Z]+\d[\w-]*")
_NUMBER_WORD_RE = re.compile(rf"(?:{'|'.join(WORD_NUMBERS)})\b", re.IGNORECASE)
_LIST_SPLIT_RE = re.compile(r"\s*(?:[,;]\s*(?:and\s+|or\s+)?|\band\s+|\bas\s+well\s+as\s+)")
# Where a list of things without numbers ends: at "to", "which", "that", the sentence's end,
# or a speaker's words after a comma (", the defence ministry in Berlin said").
_LIST_END_RE = re.compile(
    r"\s(?:to|in\s+order\s+to|so\s+that|which|that)\s|[.:!?]\s*$"
    r"|,\s+(?=[^,;]{0,60}?\b(?:said|says|told|added|according\s+to)\b)"
)
# "support to the World Food Programme to provide emergency food assistance": the items
# are what the organisation supported provides.
_SUPPORT_TO_PROVIDE_RE = re.compile(
    r"\s*(?:(?:additional|further|new|continued)\s+)?(?:support|funding|assistance|grants?"
    r"|contributions?)\s+(?:to|for)\s+[^,;.]{1,80}?\s+to\s+(?:provide|deliver|supply"
    r"|distribute)\s+",
    re.IGNORECASE,
)
_GENERIC_LEAD_RE = re.compile(r"^(?:other|various|many|some|essential)\b", re.IGNORECASE)
# In a list, money for things names the things: "includes Archer artillery systems, air
# defence and funding for Ukrainian-made long-range drones".
_FUNDING_FOR_RE = re.compile(r"^(?:funding|financing|funds|money)\s+(?:for|of)\s+(?=\S)")


_BARE_CALIBRE_RE = re.compile(rf"\s*{_CALIBRE}\s*$")
_CALIBRE_HEAD_RE = re.compile(rf"\s*{_CALIBRE}(?P<noun>\s+\S.*)$", re.DOTALL)


def _with_shared_nouns(phrases: list[str]) -> list[str]:
    """The phrases of a list, a bare calibre given the noun of the calibre after it ("155mm
    and 105mm artillery ammunition": "155mm artillery ammunition" and "105mm ...")."""
    shared = list(phrases)
    noun = None
    for index in range(len(shared) - 1, -1, -1):
        if noun is not None and _BARE_CALIBRE_RE.fullmatch(shared[index]):
            shared[index] = shared[index].strip() + noun
        elif (head := _CALIBRE_HEAD_RE.match(shared[index])) is not None:
            noun = head.group("noun")
        else:
            noun = None
    return shared


def _counts(phrase: str) -> bool:
    """True when a phrase holds digits that are no calibre ("155mm") or model's name
    ("AIM-9M"): a count."""
    if _DIGIT_RE.search(phrase) is None:
        return False
    return _DIGIT_RE.search(_MODEL_NAME_RE.sub("", _CALIBRE_RE.sub("", phrase))) is not None


def equipment_list(
    text: str,
    start: int,
    vocabulary: Vocabulary | None = None,
    without_digits: bool = False,
    uncatalogued: bool = False,
) -> list[tuple]:
    """The items of a list without numbers ("includes Bradley and Stryker vehicles,
    anti-tank weapons and precision aerial munitions"): one entry per item the catalogue or
    the words of military or humanitarian support know; the list ends at "to", "which" or the
    end of the sentence, and "other ..." says nothing countable. Support to an organisation
    "to provide" things lists those things ("support to the WFP to provide emergency food
    assistance"). ``without_digits``: only the items named without a number, in at most
    four words, that the catalogue knows (the others of a list that counts some are read
    with their numbers); ``uncatalogued``: with ``without_digits``, also those the catalogue
    does not know but words of support name ("Raven launchers, radars")."""
    support = _SUPPORT_TO_PROVIDE_RE.match(text, start)
    if support is not None:
        start = support.end()
    end = _LIST_END_RE.search(text, start)
    items = []
    purpose = False  # after "€100m for schools": "and hospitals" is what the sum is for
    for phrase in _with_shared_nouns(
        _LIST_SPLIT_RE.split(text[start : end.start() if end else len(text)])
    ):
        phrase = ITEM_LEAD_RE.sub("", phrase, count=1).strip()
        if not phrase or _GENERIC_LEAD_RE.match(phrase):
            continue
        phrase = _FUNDING_FOR_RE.sub("", phrase, count=1)
        if without_digits and (_NUMBER_WORD_RE.match(phrase) or _counts(phrase)):
            purpose = uncatalogued and " for " in phrase
            continue
        if purpose:
            continue
        if without_digits and " for " in phrase:
            use = phrase.index(" for ")
            if phrase[use:].islower():  # "AIM-9M missiles for air defense": a use, not
                phrase = phrase[:use]  # "missiles for the National Advanced ... System"
        item = match_item(phrase, vocabulary)
        if without_digits and (
            item is None or (item.category is None and not uncatalogued) or len(phrase.split()) > 4
        ):
            continue
        if (
            item is None
            or item.category == "grant"
            or (item.category is None and guess_kind(phrase, "") == "")
        ):
            continue  # "support", "aid" without a sum say nothing countable
        number = NumberPhrase(start, start, Decimal(0), None, False, "unknown", None)
        items.append((item, number, None, None))
    return items
