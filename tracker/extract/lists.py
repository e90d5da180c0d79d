"""Equipment lists and headlines: the forms of official releases.

"The package includes four HIMARS, 36,000 rounds of 105 mm ammunition, ..." and a list
opened by "Included in this package are:" with one item a line ("Two NASAMS;", "Up to
150,000 rounds of 155mm artillery ammunition; and") name the contents of the package named
before: one pledge per item. A headline (a short line without a full stop) restates what
the text below it says: it adds nothing when the text names pledges of the same donor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.extract.lexicon import GENERIC_SUM_ITEM, REPEATED_SIZE_WORDS, phrase_union
from tracker.extract.models import ExtractedPledge, Sentence
from tracker.extract.numbers import NumberPhrase, find_numbers
from tracker.extract.patterns import contains_any, fold_lowered, lower_case

# The words that open a list of contents, each a regex fragment.
CONTENTS_VERBS = (
    "includes?", "included", "contains?", "comprises?", r"consists\s+of",
    r"(?:is|are)\s+composed\s+of",
)  # fmt: skip
CONTENTS_SUBJECTS = (
    "package", "packages", "tranche", "aid", "assistance", "funding", "support", "round",
    "capabilities", "contribution", "drawdown", "announcement", "it", "this", "measures",
    "amount", "sum", "envelope", "money", "funds", "pledge", "commitment", "allocation",
)  # fmt: skip
# "The package also includes", "USAID's assistance includes", "Capabilities in this package
# include:", "Included in this package are:"; after a phrase and its comma or a speaker's
# "that" ("According to the fact sheet, it includes:", "Healey will tell MPs that the
# package includes"; after "According to" a longer one, "According to sources of the Ministry
# consulted by this newspaper, the 2027 package also includes"), the subject maybe followed by
# words set off by commas ("the package, paid for from the budget, includes").
CONTENTS_RE = re.compile(
    r"^(?:[Aa]ccording\s+to\s+[^,;:]{1,80},\s+|[^,;:]{1,60},\s+|[^,;:]{1,60}?\bthat\s+)?(?:[\w’'.-]+\s+){0,3}?(?:"
    + "|".join(CONTENTS_SUBJECTS)
    # (the words set off may hold a figure's thousands: "which will feed 650,000 people")
    + r")\b(?:,(?:[^,;:]|,(?=\d{3}\b)){1,100},)?(?:\s+[\w’'-]+){0,3}?"
    r"\s+(?:also\s+|will\s+(?:also\s+)?)?(?:" + "|".join(CONTENTS_VERBS) + r")\b\s*:?"
    r"|^included\s+in\s+(?:[\w’'-]+\s+){1,3}?(?:are|is)\b\s*:?",
    re.IGNORECASE,
)
# "Among the equipment: Archer howitzers, CV90 ammunition and naval vessels." opens contents
# too (read only where the sentence opens "Among").
_AMONG_RE = re.compile(r"among\s+(?:the|its)\s+(?:equipment|items|weapons|systems)\s*:", re.I)
# A line of a list: an optional bullet, then a count, a qualifier or a capitalised word (after
# a bullet also a word or a sum: "- two IRIS-T systems", "- €500 million for drones"), and at
# most fifteen words ending in ";", "; and", "," or ".".
_LIST_ITEM_RE = re.compile(
    r"^\s*(?:[•\-–*·]\s*(?=[a-z€£$])|(?:[•\-–*·]\s*)?(?=[A-Z0-9]))(?:[^\s;:]+\s+){0,14}[^\s;:]+?\s*(?:;(?:\s*(?:and|or))?|,|\.)?\s*$"
)
_BULLET_RE = re.compile(r"^\s*(?:[•\-–*·]\s*)?")
_HEADLINE_END = frozenset('.!?:;"”’)]…')


# One of these starts every verb of CONTENTS_VERBS (a cheap test before CONTENTS_RE).
CONTENTS_HINTS = ("includ", "contain", "compris", "consist", "compos")


def contents_start(
    text: str, lowered: str | None = None, hints: Sequence[str] = CONTENTS_HINTS
) -> int | None:
    """Where the items start in a sentence naming a package's contents, else None
    (``lowered``: ``lower_case(text)``, when the caller has it; ``hints``: CONTENTS_HINTS, or
    those of them the article holds, see ``present_words``)."""
    head = fold_lowered(lowered[:160] if lowered is not None else lower_case(text[:160]))
    if head.startswith("among"):
        among = _AMONG_RE.match(text)
        return among.end() if among else None
    if not contains_any(head, hints):
        return None
    match = CONTENTS_RE.match(text)
    return match.end() if match else None


# A clause naming the contents of the package the sentence pledged: "... was worth €300m
# and also included Aster missiles", "..., and includes 20 howitzers".
_AND_INCLUDES_RE = re.compile(
    r",?\s+and\s+(?:also\s+|will\s+(?:also\s+)?)?(?:includes?|included)\s+"
    r"|,?\s+will\s+(?:also\s+)?include\s+"
)
# A relative clause naming them, when the package has no figure of its own ("approved its next
# package, which includes 300 drones"): beside a figure, its things tell what the sum buys.
_WHICH_INCLUDES_RE = re.compile(r",?\s+(?:which|that)\s+(?:also\s+)?(?:includes?|included)\s+")


def contents_after(text: str, figureless: bool = False) -> int | None:
    """Where the items start of a clause naming the contents of what the sentence pledged
    before it ("and also included Aster missiles"; ``figureless``, a package pledged without
    a figure: "which includes 300 drones" too), else None (the caller has found "nclud" in
    the text)."""
    match = _AND_INCLUDES_RE.search(text)
    if match is None and figureless:
        match = _WHICH_INCLUDES_RE.search(text)
    return match.end() if match else None


# "Of the total, €1.2bn will go to drones and €500m to demining", "Of next year's Nansen
# money, NOK 60bn is earmarked for ...": the shares of the sum the sentence before pledged;
# unless they are handed over ("Of that, €2bn has been paid").
_SHARE_RE = re.compile(
    # after a newsletter's label maybe ("What it buys: Of the €1.4 billion, ...")
    r"(?:[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3}:\s+)?"
    # "Of next year's Nansen money, ...": a year's sum, a programme's name before the noun
    # "Most of it, about 3 billion kroner, goes to ...", "Part of that, €2bn, ..."
    r"(?:Of|(?:Most|Part|Some|Much|Half)\s+of)\s+(?:the|that|this|it|(?:next|this|last)\s+year['’]s)"
    r"(?:\s+(?:new|additional|extra|fresh|latest))?"
    r"(?:(?:\s+[A-Z][\w’'-]*)?\s+(?:total|sum|amount|package|money|funding|funds|aid|budget"
    r"|frame|envelope)"
    # "Of the €1.4 billion,", "Of the 1.2 billion francs,"
    r"|\s+(?:[€£$¥]|[A-Z]{3}\s)?\d[\d.,]*\s*(?:[a-z]+\s*){0,2})?\s*,\s*"
)
_HANDED_RE = re.compile(  # ("drones that we pay for": what is bought, no handing over)
    r"\b(?:deliver|disburs|paid|pay(?!\s+for\b)|spent|spend|arriv|receiv|handed|transferr"
    r"|allocat|used)",
    re.IGNORECASE,
)
# "Another 180 million euros is for radars", "A further €50m will go to demining": one more
# share of the sum the sentence before pledged, told without a verb of giving.
_ANOTHER_SHARE_RE = re.compile(
    r"(?:Another|A\s+further)\s+(?:[€£$¥]|[A-Z]{3}\s)?\d[\d.,]*\s*(?:[a-z]+\s+){0,2}?"
    r"(?:is|are|goes|go|will\s+go|would\s+go)\s+(?:for|to|towards?|into)\b"
)


# A share told after its sum, maybe in a speaker's words: "The fund said $60 million of it
# would go to rubble removal", "Officials said SAR 375 million of that will be disbursed in
# the first year" (a share to come: not one "was disbursed").
_SUM_OF_IT_RE = re.compile(
    r"(?:[^,;]{0,60}?\b(?:said|says|added)\s+(?:that\s+)?)?"
    r"(?=(?:[€£$¥]|[A-Z]{3}\s|[A-Z]{1,2}\$|\d)[^,;]{0,30}?\s+of\s+(?:it|that|this)\s+"
    r"(?:would|will|is\s+to|are\s+to|goes|go)\b)"
)
SUM_OF_IT_WORDS = (" of it ", " of that ", " of this ")  # one is in every match above


# A part named by what it is, opening the sentence: "One point eight billion dollars are
# loans through JBIC", "The other $700m are grants", "The remaining €500m is a loan".
_PART_IS_RE = re.compile(
    r"(?:The\s+(?:other|remaining|rest\s+of\s+the)\s+)?[^,;:]{1,45}?\s+(?:is|are|will\s+be)"
    r"\s+(?:an?\s+|in\s+)?(?:loans?|grants?|credits?)\b"
)


def part_told(text: str) -> NumberPhrase | None:
    """The sum opening a sentence that names it a part by what it is ("The other $700m are
    grants"), else None (the caller has found " loan", " grant" or " credit" in it)."""
    if _PART_IS_RE.match(text) is None:
        return None
    numbers = find_numbers(text[:70])
    return numbers[0] if numbers and numbers[0].is_money and numbers[0].start < 25 else None


def share_start(text: str, sum_words: Sequence[str] = SUM_OF_IT_WORDS) -> int | None:
    """Where the shares start in a sentence telling the parts of the sum pledged in the
    sentence before ("Of the total, ..."), else None (``sum_words``: SUM_OF_IT_WORDS, or those
    of them the article holds, see ``present_words``)."""
    if contains_any(text, sum_words) and (sum_of := _SUM_OF_IT_RE.match(text)):
        return sum_of.end()
    if text.startswith(("Another ", "A further ")) and _ANOTHER_SHARE_RE.match(text):
        return 0
    if "Of " not in text[:40] and " of " not in text[:12]:
        return None
    match = _SHARE_RE.match(text)
    if match is None or _HANDED_RE.search(text, match.end()):
        return None
    return match.end()


# A donor's share told with "is" ("JAPAN'S SHARE OF G7 ERA LOANS IS $4.5 BLN", "Norway's
# contribution will be NOK 2bn"): the name, then where the figures start.
_SHARE_IS_RE = re.compile(
    r"\s*(?:[•\-–*·]\s*)?(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})['’][sS]\s+"
    r"(?:share|contribution|portion)\s+(?:of\s+[^,;.]{1,50}?\s+)?"
    r"(?:is|was|will\s+be|amounts\s+to|stands\s+at|totals)\s+(?=\D{0,8}\d)",
    re.IGNORECASE,
)


def share_told(text: str, lowered: str) -> tuple[int, int, int] | None:
    """Where the donor's name of a share told with "is" starts and ends, and where its
    figures start; else None (``lowered``: the sentence's ``lower_case``)."""
    if "share" not in lowered and "contribution" not in lowered and "portion" not in lowered:
        return None
    match = _SHARE_IS_RE.match(text)
    if match is None or _HANDED_RE.search(text, match.end()):
        return None
    return match.start("name"), match.end("name"), match.end()


# A run of donors and their sums after a lead naming new money: "Other new contributions,
# as listed by the secretariat: Sweden, SEK 500 million; Denmark, 300 million Danish kroner;
# the United Kingdom, £40 million."
_DONOR_SUMS_LEAD_RE = re.compile(
    r"\b(?:new|fresh|further|additional|other)\s+(?:[\w-]+\s+)?(?:contributions|pledges|commitments"
    r"|donations)\b[^:;]*:\s",
    re.IGNORECASE,
)
_DONOR_SUM_RE = re.compile(
    r"(?:and\s+)?(?P<name>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}),\s+"
    r"(?P<sum>(?:[A-Z]{2,3}\$?\s?|[€£$¥])?\d[\d.,]*\s*(?:[A-Za-z]+\s*){0,3}?)\s*(?:;|\.?$)"
)


# After a clause of giving and a semicolon, donors and their sums with the verb left out
# ("Saudi Arabia pledged $1.5 billion; Qatar, $1 billion; the United Arab Emirates, up to
# $750 million; and Kuwait, $400 million, of which half would be loans"): the last pair may
# end in a clause of its own.
_GAPPED_SUM_RE = re.compile(
    r"\s*(?:and\s+)?(?P<name>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}),\s+"
    r"(?P<sum>(?:(?:up\s+to|about|around|nearly|almost|some|over|more\s+than|at\s+least)\s+)?"
    r"(?:[A-Z]{2,3}\$?\s?|[€£$¥])?\d[\d.,]*\s*(?:[A-Za-z]+\s*){0,3}?)\s*(?:;|,[^;]*$|\.?$)"
)


def donor_sums(text: str) -> list[tuple[str, int, int]]:
    """Each donor's name, where its sum starts and ends, in a run of "Donor, sum;" pairs
    after a lead naming new contributions (see above); else []."""
    if text.count(";") < 2:
        return []
    lead = _DONOR_SUMS_LEAD_RE.search(text)
    if lead is None:
        return []
    return _pairs(text, lead.end(), _DONOR_SUM_RE)


def gapped_sums(text: str) -> list[tuple[str, int, int]]:
    """Each donor's name, where its sum starts and ends, in the "Donor, sum" pairs after the
    first semicolon of a sentence whose first clause gives (see above); else []."""
    position = text.find(";") + 1
    return _pairs(text, position, _GAPPED_SUM_RE) if position else []


def _pairs(text: str, position: int, pattern: re.Pattern[str]) -> list[tuple[str, int, int]]:
    """The pairs ``pattern`` reads one after another from ``position`` to the end; [] when
    anything else stands between them."""
    pairs = []
    while position < len(text):
        match = pattern.match(text, position)
        if match is None:
            return []  # not a run of pairs only
        pairs.append((match.group("name"), match.start("sum"), match.end("sum")))
        position = match.end()
        while position < len(text) and text[position] == " ":
            position += 1
    return pairs


# A sentence opening a quotation, after a label of a word or two ("Quote: ").
_REPEATED_SIZE_RE = re.compile(rf"\b(?:{phrase_union(REPEATED_SIZE_WORDS)})\b", re.IGNORECASE)
_OPENING_QUOTE_RE = re.compile(r'(?:[A-Z][a-z]+(?: [a-z]+)?:\s*)?["“]')
_POINTS_BACK_RE = re.compile(r"\s*(?:This|These|It)\s")


def points_back(text: str) -> bool:
    """True for contents named by a pronoun ("This includes ..."): the contents of what the
    sentence right before states, which must then be a pledge (not a running total)."""
    return _POINTS_BACK_RE.match(text) is not None


def opens_list(text: str) -> bool:
    """True for a sentence that ends by announcing a list of contents ("... are:")."""
    return (
        text[-1:] in ": \t\r\n" and text.rstrip().endswith(":") and contents_start(text) is not None
    )


# A sentence of giving that ends by announcing what it gives, one item a line ("decided to
# provide Ukraine with the following equipment:"); not one telling what was handed over.
_GIVES_A_LIST_RE = re.compile(r"\b(?:the\s+following|as\s+follows)\b[^:]{0,60}:\s*$")
_HANDED_OVER_LIST_RE = re.compile(
    r"\b(?:has|have|had)\s+(?:\w+\s+)?(?:delivered|sent|supplied|provided|transferred|given)\b"
    r"|\bhanded\s+over\b|\bdelivered\b|\bso\s+far\b|\bto\s+date\b"
)


def gives_a_list(text: str, lowered: str) -> bool:
    """True for a sentence of giving that announces a list of what it gives ("... with the
    following further equipment:"), not one of what was handed over ("Germany has delivered
    the following:") (``lowered``: the sentence's ``lower_case``)."""
    return (
        text.rstrip().endswith(":")
        and "follow" in lowered
        and _GIVES_A_LIST_RE.search(lowered) is not None
        and _HANDED_OVER_LIST_RE.search(lowered) is None
    )


def list_item_start(text: str) -> int | None:
    """Where the words of a list line start (after its bullet), else None."""
    if _LIST_ITEM_RE.match(text) is None:
        return None
    bullet = _BULLET_RE.match(text)
    return bullet.end() if bullet else 0


# A line of a factbox: a bullet maybe, a name in capitals, a colon ("* GERMANY: Two more
# IRIS-T systems ...", "CZECH REPUBLIC: Prague will deliver ..."); at a line's start, a name
# written as names are ("* Germany: ...", "The Netherlands: ...").
_LABEL_RE = re.compile(
    r"\s*(?:[•\-–*·]\s*)?(?P<label>[A-Z][A-Z.’'&-]+(?:\s+[A-Z][A-Z.’'&-]*){0,3}):\s+"
)
_NAME_LABEL_RE = re.compile(  # "- Denmark and Norway: jointly €150 million"
    r"\s*(?:[•\-–*·]\s*)?(?P<label>[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+){0,3})"
    # the day of the promise after the name ("- Germany, 14 February: €9 billion ...",
    # "- France, June 11: ...")
    r"(?:,\s+(?:\d{1,2}\s+[A-Z][a-z]+\.?|[A-Z][a-z]+\.?\s+\d{1,2})(?:,?\s+\d{4})?)?:\s+"
)
# A live thread's post: a time opens the line, and a donor, maybe its speaker, labels what
# follows ("11:12 Canada's PM Carney: C$350m for reconstruction", "14:31 Spain: €100m").
_TIMED_LABEL_RE = re.compile(
    r"\s*\[?\d{1,2}[:.]\d{2}\]?(?:\s*(?:[AP]M|GMT|CET|BST|UTC|ET))?\s*(?:[—–-]\s*)?"
    r"(?P<label>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:[’']s)?(?:\s+[A-Z][\w.-]*){0,3}):\s+"
)
# A thread's post or a factbox's line labelled with a dash rather than a colon, maybe after the
# post's number, a sign and a flag ("4/8 🇳🇱 Netherlands — EUR 250 mln for drones", "✅ UK –
# 350 ASRAAM"); a line naming only a donor ("3/8 🇩🇪 Germany") labels the lines opened by a
# dash below it ("— EUR 500 mln for #AirDefense", "— 2 more IRIS-T SLM systems").
_POST_OPENING = (
    r"\s*(?:\d{1,2}/\d{1,2}\s+)?(?:[\u2600-\u27bf\U0001f300-\U0001faff]\ufe0f?\s*)?"
    r"(?:[\U0001f1e6-\U0001f1ff]{2}\s*)*"
)
_POST_NAME = r"(?P<label>[A-Z][A-Za-z]+(?:\s+[A-Z][a-z]+){0,3})"
_DASH_LABEL_RE = re.compile(_POST_OPENING + _POST_NAME + r"\s+[—–-]\s+")
_NAME_ONLY_RE = re.compile(_POST_OPENING + _POST_NAME + r"\s*$")
_DASH_OPENING_RE = re.compile(r"\s*[—–-]\s+")
# The dashes that set off a label from its words, with the spaces around them.
LABEL_DASHES = (" — ", " – ", " - ")
# The items of a labelled line told without a verb open it: a count or a sum, maybe after a
# word or two ("Two more IRIS-T systems", "Up to 150,000 rounds", "About €90m").
LABELLED_ITEMS = 24
_LABEL_HANDED_OVER_RE = re.compile(
    r"\b(?:delivered|arrived|received|handed\s+over|disbursed|paid(?!\s+(?:for|by)\b)|so\s+far"
    r"|to\s+date|since)\b",
    re.IGNORECASE,
)


def labelled_line(
    text: str, line_start: bool = False, heading: str | None = None
) -> tuple[int, str, int] | None:
    """Where the label of a factbox's line starts, its words as names are written ("CZECH
    REPUBLIC" → "Czech Republic", "EU" kept), and where the words after it start; else None.
    ``line_start``: the text opens a line, where a label may be written as names are, or with
    a dash; ``heading``: the donor a line above named alone, the label of a line opened by a
    dash."""
    match = _LABEL_RE.match(text)
    if match is None:
        if not line_start:
            return None
        if (
            (named := _NAME_LABEL_RE.match(text)) is not None
            or (text.lstrip("[ ")[:1].isdigit() and (named := _TIMED_LABEL_RE.match(text)))
            or (contains_any(text, LABEL_DASHES) and (named := _DASH_LABEL_RE.match(text)))
        ):
            return named.start("label"), named.group("label"), named.end()
        if heading is not None and (dash := _DASH_OPENING_RE.match(text)) is not None:
            return 0, heading, dash.end()
        return None
    return match.start("label"), as_names(match.group("label")), match.end()


# The longest line read as a name alone.
NAMED_ALONE = 48


def named_alone(text: str) -> str | None:
    """The name a short line holds alone, maybe after a post's number and a flag ("3/8 🇩🇪
    Germany", "🇬🇧 United Kingdom"), else None."""
    if len(text) > NAMED_ALONE or (match := _NAME_ONLY_RE.match(text)) is None:
        return None
    return match.group("label")


def dash_opened(text: str) -> bool:
    """True for a line opened by a dash ("— EUR 500 mln for air defence")."""
    return _DASH_OPENING_RE.match(text) is not None


# A word of a line in capitals, and the short ones that are no acronyms ("EU", "IMF" stay
# as written)
CAPITALS_WORD_RE = re.compile(r"[A-Z][A-Z’']*")
_SMALL_WORDS = frozenset(
    ["AND", "THE", "FOR", "OF", "TO", "IN", "ON", "AT", "BY", "UP", "ITS", "AS", "A", "AN"]
)


def _name_cased(match: re.Match[str]) -> str:
    """One word in capitals as a name writes it."""
    word = match.group()
    if word in _SMALL_WORDS:
        return word.lower()
    return word if len(word) <= 3 else word.capitalize()


def as_names(words: str) -> str:
    """Words in capitals as names are written ("CZECH REPUBLIC" → "Czech Republic", "EU"
    kept, "AND" → "and"), each word the same length."""
    return CAPITALS_WORD_RE.sub(_name_cased, words)


def labelled_items(text: str, body: int, first_number: int | None, end: int | None = None) -> bool:
    """True for the words of a labelled line that name what is given without a verb of
    giving ("Two more IRIS-T systems and 50,000 rounds, announced Nov. 4"): a figure opens
    them, and nothing before ``end`` (the line's end when None) says it is handed over or a
    total to date."""
    return (
        first_number is not None
        and body <= first_number <= body + LABELLED_ITEMS
        and _LABEL_HANDED_OVER_RE.search(text, body, len(text) if end is None else end) is None
    )


def handed_over_clause(text: str, body: int) -> int | None:
    """Where the clause after a semicolon that tells what of a labelled line's promise was
    handed over starts ("- Germany, 14 February: €9 billion in military aid; delivered €6.8
    billion; 24% outstanding"), when nothing before it says so; else None."""
    semicolon = text.find(";", body)
    if semicolon < 0 or _LABEL_HANDED_OVER_RE.search(text, body, semicolon) is not None:
        return None
    return semicolon if _LABEL_HANDED_OVER_RE.search(text, semicolon) is not None else None


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
    those without a number ("UK pledges more support for Gaza": a summary), and a headline's
    figure another headline stated before for the same donor (a brief's title and bullet:
    "Canada to lend C$5 bln", "* Canada said it would lend C$5 bln")."""
    body_donors = {p.donor for p in pledges if p.evidence_start not in headlines}
    stated: set[tuple[str, object, object, str | None]] = set()
    kept = []
    for p in pledges:
        if p.evidence_start in headlines:
            key = (p.donor, p.amount, p.quantity, p.currency)
            if p.donor in body_donors or (p.amount is None and p.quantity is None) or key in stated:
                continue
            stated.add(key)
        kept.append(p)
    return kept


def without_restatements(pledges: list[ExtractedPledge], article: str) -> list[ExtractedPledge]:
    """Drop the pledges that repeat a figure the article stated before for the same donor and
    the same thing: in a later sentence (a live blog's summary of the day, a minister
    quoted on "Berlin's contribution of $500 million" after the lead gave it), or inside a
    quotation ("The Commission has just paid a first tranche of 4.5 billion Euro", quoting
    the official after the release said so): a restatement, not a pledge. A sentence that
    says the size is repeated (``REPEATED_SIZE_WORDS``: "two further tranches worth €1.5
    billion each") pledges again, and so does another thing of the same figure: four tanks
    after four air defence systems (another unit), €500m to rebuild after €500m of
    humanitarian aid (another kind; a sum named only as "aid" or a package restates any)."""
    keys = [_restated_key(pledge) for pledge in pledges]
    figures = [key[0] for key in keys if key is not None]
    if len(set(figures)) == len(figures):
        return pledges  # no figure stated twice
    quoted = _quoted_positions(article, [_quote_opened(pledge) for pledge in pledges])
    stated: dict[tuple[object, ...], list[tuple[str | None, int]]] = {}
    kept = []
    for pledge, key in zip(pledges, keys, strict=True):
        if key is not None:
            figure, what = key
            earlier = next(
                (start for said, start in stated.get(figure, ())
                 if said is None or what is None or said == what),
                None,
            )  # fmt: skip
            if earlier is not None and (
                _quote_opened(pledge) in quoted
                or (earlier != pledge.evidence_start and not _sized_again(pledge.evidence))
            ):
                continue
            stated.setdefault(figure, []).append((what, pledge.evidence_start))
        kept.append(pledge)
    return kept


def _restated_key(pledge: ExtractedPledge) -> tuple[tuple[object, ...], str | None] | None:
    """The figure a restatement of `pledge` states again (its donor and number) and what it
    is a figure of: the kind of a sum (None for a sum named only as "aid": any kind), the
    unit of a count (the last word of its item where it names no unit). None for a pledge
    without a figure."""
    if pledge.amount is not None:
        kind = None if pledge.item == GENERIC_SUM_ITEM else pledge.kind
        return (pledge.donor, pledge.amount, pledge.currency), kind
    if pledge.quantity is not None:
        counted = pledge.unit or (pledge.item.rsplit(None, 1) or [""])[-1]
        return (pledge.donor, pledge.quantity), counted.lower()
    return None


def _sized_again(sentence: str) -> bool:
    """True when a sentence says a figure stated before is given again (``REPEATED_SIZE_WORDS``)."""
    return _REPEATED_SIZE_RE.search(sentence) is not None


def _quote_opened(pledge: ExtractedPledge) -> int:
    """Where the pledge's sentence is read from to tell whether it is quoted: past the quote
    that opens it, after a label if any ('"Germany has told us ...', 'Quote: "Norway will
    transfer ...'), else its start."""
    opening = _OPENING_QUOTE_RE.match(pledge.evidence)
    return pledge.evidence_start + (opening.end() if opening else 0)


_QUOTE_MARKS_RE = re.compile('[\n“”"]')


def _quoted_positions(article: str, positions: list[int]) -> set[int]:
    """Those of `positions` that lie inside a quotation opened earlier on their line (more
    opening than closing curly quotes, or an odd number of straight ones, between the
    line's start and the position), read in one pass over the article's quote marks."""
    inside: set[int] = set()
    marks = _QUOTE_MARKS_RE.finditer(article)
    mark = next(marks, None)
    opened = closed = straight = 0
    for position in sorted(set(positions)):
        while mark is not None and mark.start() < position:
            char = mark.group()
            if char == "\n":
                opened = closed = straight = 0
            elif char == "“":
                opened += 1
            elif char == "”":
                closed += 1
            else:
                straight += 1
            mark = next(marks, None)
        if opened > closed or straight % 2 == 1:
            inside.add(position)
    return inside


def without_group_summaries(pledges: list[ExtractedPledge]) -> list[ExtractedPledge]:
    """Drop a group's pledges without a number ("Ukraine's allies promised more air defence
    missiles and drones") in an article that names its own pledges with numbers: a summary
    of what the members pledged, not a promise of its own."""
    if not any(p.donor_kind != "group" and _numbered(p) for p in pledges):
        return pledges
    return [p for p in pledges if p.donor_kind != "group" or _numbered(p)]


def without_guarantees_told_with_figures(pledges: list[ExtractedPledge]) -> list[ExtractedPledge]:
    """Drop a donor's guarantee without a figure ("a loan backed by guarantees from Japan and
    the Netherlands") in an article that states a loan or guarantee of that donor with a
    figure ("Japan guaranteed $600 million of the loan"): the same guarantee told twice."""
    if not any(p.category == "guarantee" and not _numbered(p) for p in pledges):
        return pledges
    figured = {p.donor for p in pledges if p.category in ("guarantee", "loan") and _numbered(p)}
    return [
        p
        for p in pledges
        if not (p.category == "guarantee" and not _numbered(p) and p.donor in figured)
    ]


def _numbered(pledge: ExtractedPledge) -> bool:
    """True for a pledge with a quantity or an amount."""
    return pledge.amount is not None or pledge.quantity is not None
