"""Words that signal giving, not giving, negation, hedging and asking."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from typing import NamedTuple

from tracker.extract.lexicon import (
    ASKED_GIVING,
    BENEFIT_VERBS,
    CONDITION_WORDS,
    CONDITIONAL_WORDS,
    GIVING_VERBS,
    HEDGE_VERBS,
    HEDGE_WORDS,
    NEED_ADVERBS,
    NEED_FORMS,
    NEEDERS,
    NEGATION_STEMS,
    NEGATION_SUFFIXES,
    NEGATION_VERBS,
    NEGATION_WORDS,
    PROMISE_NOUNS,
    PROMISED_WORDS,
    RECEIVE_VERBS,
    REQUEST_PHRASES,
    REQUEST_STATEMENTS,
    REVISION_VERBS,
    common_stem,
    forms_of,
    phrase_fragments,
    phrase_union,
)
from tracker.extract.patterns import (
    after_non_word,
    contains_any,
    finditer_padded,
    first_letter_branches,
    first_letter_union,
    fold_lowered,
    folded_regex,
    group_name,
    lower_case,
    opens_name,
    pad,
)

# The words of giving: the plain verbs of the lexicon in all their forms, then phrases (regex
# fragments starting with a letter, lower-case: matched against lower_case(text)).
# A figure ahead, after a qualifier maybe: "$500m", "up to €1bn", "EUR 7 bln", "1.5 billion".
_FIGURE_AHEAD = (
    r"(?:(?:up\s+to|about|around|some|more\s+than|over|nearly|almost|an?\s+(?:additional|extra)"
    r"|another|a\s+further)\s+)?(?:[$€£¥]|[a-z]\$|\d"
    r"|(?:eur|usd|gbp|nok|sek|dkk|chf|jpy|cad|aud|pln|czk|isk|nzd)\s)"
)
# A sum ahead, named by its currency: "Rs 10 crore", "₹75 lakh", "$5m", "INR 20 million".
_SUM_AHEAD = (
    r"(?:(?:about|around|some|more\s+than|over|nearly|almost|an?\s+(?:additional|extra)"
    r"|another|a\s+further)\s+)?(?:[$€£¥₹]|[a-z]\$|(?:rs|tk)\.?\s?\d"
    r"|(?:eur|usd|gbp|inr|bdt)\s)"
)
_GIVING_VERBS = (
    *forms_of(GIVING_VERBS),
    # "hand over", and "will hand Ukraine a second SAMP/T battery": handed to the receiver
    # named right after
    r"hand(?:s|ed|ing)?(?:\s+over|(?=\s+(?:ukraine|kyiv)\b))",
    r"ma(?:ke|kes|de|king)\s+available", r"set(?:s|ting)?\s+aside",
    # "will pay €500m into NATO's PURL initiative": "pay" before a sum ("pay tribute" is none)
    r"pay(?=\s+(?:a\s+further\s+|an\s+additional\s+|another\s+)?(?:[$€£]|[a-z]{3}\s\d|\d))",
    r"agree(?:s|d)?\s+(?:to|on)(?=\s+(?:a|an|the|[$€£\d]))",
    *(rf"{be}\s+funding" for be in ("is", "are", "was", "were", "be", "been")),
    r"agreed(?=\s+(?:by|at|on|in|last|earlier|this|[,.]))",
    # "adopted an assistance measure of EUR 500 million": the EU's way of giving
    r"adopt(?:s|ed|ing)?(?=\s+(?:a|an|the)\s+(?:new\s+|further\s+)?(?:assistance|support|aid)"
    r"\s+measures?\b)",
    # "agreed a loan of £2.26bn", "agreed a €500m grant", "have agreed a buyer credit of up to
    # EUR 400 million", "agreed a EUR 25 million concessional loan": an agreement on a sum given
    r"agree(?:s|d)?(?=\s+(?:a|an)\s+(?:(?:[$€£]|[a-z]{3}\s|[a-z]\$)?[\d.,]+\s?"
    r"(?:m|bn|mn|million|billion)?\s+)?(?:[\w-]+\s+){0,2}?(?:loan|grant|credit|package|tranche"
    r"|framework)s?\b)",
    # "will add €102m to the fund", "add NOK 10bn": only before a figure ("he added" says
    # something)
    rf"add(?:s|ed|ing)?(?=\s+{_FIGURE_AHEAD})",
    # "will put in 1.5 billion crowns", "would put in $500m": a sum put in, before a figure
    # only ("put in place", "put in charge" give nothing)
    rf"put(?:s|ting)?\s+in(?=\s+{_FIGURE_AHEAD})",
    # "will extend a loan of 471.9 billion yen", "extended a $500m credit line": a loan given
    # ("a further C$400mn in loan guarantees", "Emergency Grant Aid", "a new yen loan")
    r"extend(?:s|ed|ing)?(?=\s+(?:(?:a\s+further|an\s+additional|a|an|its|new|further)\s+)?"
    r"(?:(?:[$€£¥]|[a-z]\$)?[\d.,]+\s?(?:m|bn|mn|million|billion)?\s+(?:in\s+)?)?(?:[\w-]+\s+){0,2}"
    r"(?:loans?|credits?|grants?|guarantees?|credit\s+lines?)\b)",
    # "will guarantee up to $500m of lending", "guaranteed $600m of the loan": before a figure
    # only ("guarantees Ukraine's security" gives nothing), and not after "to" ("a commitment
    # to guarantee $3bn of lending by the World Bank": the noun before gives)
    rf"guarantee(?<!\bto\sguarantee)(?:s|d|ing)?(?=\s+{_FIGURE_AHEAD})",
    # "The Centre has sanctioned Rs 10 crore for schools": in Indian English, to sanction a
    # sum approves it (before a sum only: "sanctioned 45 companies" punishes them)
    rf"sanction(?:s|ed)?(?=\s+{_SUM_AHEAD})",
)  # fmt: skip
_BENEFIT_VERBS = (
    *forms_of(BENEFIT_VERBS),
    # "will pay €1bn for two Patriot systems for Ukraine": a sum paid for what is given, when
    # Ukraine benefits ("paid" tells a handing over, see stages.py; "pay tribute" gives nothing)
    # ("pay Ukrainian manufacturers DKK 1.9bn for 26 howitzers": whom it pays, then the sum)
    rf"pay(?:s|ing)?(?=\s+(?:(?:ukraine|kyiv|(?:ukrainian|ukraine['’]s)\s+\w+)\s+)?{_FIGURE_AHEAD}(?:[^.;:]|\.\d){{0,40}}?\sfor\s)",
    # "will put €500m towards weapons for Ukraine", "put an additional DKK 1.5bn into the
    # Danish model": a sum put towards what is given
    rf"put(?:s|ting)?(?=\s+(?:also\s+)?{_FIGURE_AHEAD}(?:[^.;:]|\.\d){{0,40}}?\s(?:towards?|into)\s)",
    # "agreed a deal worth £1.7bn ... for missiles for Kyiv": the deal's worth
    r"agree(?:s|d)?(?=\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:deal|contract|agreement)\s+"
    r"(?:worth|valued\s+at)\s)",
    # "placed a £150 million order with MBDA for 2,000 drones for Ukraine": the order's sum
    rf"plac(?:es|ed|ing)(?=\s+an?\s+(?:{_FIGURE_AHEAD}[^.;:]{{0,24}}?\s)?orders?\b)",
)
# What a donor buys for itself: "for its own army", "for the U.S. military", "for the Bundeswehr"
_OWN_FORCES_RE = re.compile(
    r"\bfor\s+(?:its|their|the\s+country['’]s|[A-Z][\w.]*['’]s)\s+own\b"
    r"|\bfor\s+the\s+(?:U\.?S\.?|American|British|German|French)\s+(?:military|army|forces)\b"
    r"|\bfor\s+the\s+Bundeswehr\b"
)
# After a verb of giving, a share of what it gave spent on something: "will provide €3.5bn ...
# and will spend €700m of it on air defence".
_SHARE_OF_IT_RE = re.compile(
    rf"\s+{_FIGURE_AHEAD}[^.;:,]{{0,30}}?\sof\s+(?:it|this|that|the\s+(?:sum|money|total))\s+on\b"
)
# What a verb of benefit buys goes to Ukraine ("for Ukraine", "Ukrainian manufacturers"), or
# into a package ("will put SEK 2.5bn into a further package").
_BENEFICIARY_RE = re.compile(
    r"\b(?:for|in|to)\s+(?:Ukraine|Kyiv)\b|\bUkrainian\b|\bUkraine['’]s\b"
    r"|\b(?:into|towards?)\s+(?:a|an|the|its|their)\s+(?:[\w-]+\s+){0,2}?packages?\b"
)
# The nouns of giving, not after a word of total ("Canada's total commitment now stands at
# C$19 billion" sums the pledges made): the look-behind follows the noun's plain letters, as
# the words of giving are grouped by them (after the first letter alone it would stop the
# grouping there, and every word of giving with that letter be tried in turn).
_TOTAL_WORDS = ("total", "overall", "cumulative", "combined")


def _not_after_total(noun: str) -> str:
    """``noun`` (a regex fragment starting with plain letters) unless a word of total stands
    right before it."""
    plain = len(noun) - len(noun.lstrip(string.ascii_lowercase))
    if noun[plain : plain + 1] in ("?", "*", "+", "{"):
        plain -= 1  # the letter a quantifier follows is no plain one
    letters = noun[:plain]
    behind = "".join(rf"(?<!{word}\s{letters})" for word in _TOTAL_WORDS)
    return letters + behind + noun[plain:]


_GIVING_NOUNS = (
    *(_not_after_total(noun) for noun in
      ("pledges?", "promises?", "commitments?", "donations?", "contributions?")),
    *(rf"{what}\s+packages?" for what in ("aid", "support", "assistance", "military", "weapons",
      "arms", "financial", "security", "funding", "defen[cs]e")),
    r"payments?(?=\s+of\b)",
    # "a guarantee of 150 million euros from Germany", "loan guarantees of up to $500m"
    rf"guarantees?(?=\s+of\s+{_FIGURE_AHEAD})",
    # "backed by a £500mn guarantee from the UK", "guarantees from Japan and Britain": the
    # guarantee of the giver named after it
    r"guarantees?(?=\s+(?:from|by)\s+(?:the\s+)?[a-z])",
    # ("The package, whose contents are classified, is worth ...": its relative clause too;
    # "The package, with a value of about PLN 325 mln, includes": as translations write it)
    r"packages?\s*,?\s+(?=(?:of|worth|valued|with\s+a\s+(?:total\s+)?value\s+of|totall?ing"
    r"|including|that\s+includes"
    r"|which\s+includes|(?:(?:whose|which)\s[^,;]{1,60},\s+)?"
    r"(?:is|was|are|were|will\s+be|would\s+be)\s+(?:worth|valued))\b)",
    # "The 18th package: 13.5 billion kronor, including ...": its figure after a colon, maybe
    # after what it is ("The 16th package is the largest so far: 13.3 billion kronor")
    r"packages?(?=(?:\s+(?:is|was)\s[^:;,.]{1,30})?:\s+\D{0,6}\d)",
    # "The contract is worth about €1.2bn" opening a sentence: the worth of what was ordered
    *(rf"{noun}(?<=^\sthe\s{noun})\s+(?=(?:is|was|will\s+be)\s+(?:worth|valued)\b)"
      for noun in ("contract", "deal")),
    # "The value of these commitments is about €1.1bn", "The value of the package was €2bn"
    r"value(?<=^\sthe\svalue)\s+(?=of\s+(?:the|these|this|its|their)\s+"
    r"(?:new\s+|latest\s+)?(?:package|commitments?|pledges?|aid|support|equipment)\s+"
    r"(?:is|was|will\s+be|amounts\s+to|comes\s+to|totals)\s+\D{0,12}\d)",
    # a revision of a promise ("raised its aid package"): the promise, read at its new figure
    *(rf"{form}\s+(?:[\w’'-]+\s+){{0,4}}?(?:{phrase_union(PROMISE_NOUNS)})"
      for form in forms_of(REVISION_VERBS)),
    # ... or of a promised count ("doubled its promised howitzers")
    *(rf"{form}\s+(?:[\w’'-]+\s+){{0,3}}?(?:{phrase_union(PROMISED_WORDS)})"
      for form in forms_of(REVISION_VERBS)),
)  # fmt: skip
_RECEIVE = forms_of(RECEIVE_VERBS)
# A word of giving, as a whole word; group_name(match) says which kind: "noun", "receive",
# "verb" or "benefit". Run over pad(lower_case(text)) (see after_non_word).
GIVING_RE = after_non_word(
    first_letter_union(
        {"noun": _GIVING_NOUNS, "receive": _RECEIVE, "verb": _GIVING_VERBS,
         "benefit": _BENEFIT_VERBS},
        not_after=None,
    )
    + r"\b"
)  # fmt: skip


def _whole_words(name: str, fragments: list[str]) -> str:
    """A regex of ``fragments`` (each starting with a letter) found as whole words: the same
    matches as ``\\b(?:fragment|...)``, tried in the same order, but grouped by their first
    letters (``first_letter_union``), so the engine tries only the few that begin with the
    letters it meets rather than every fragment at every word."""
    return first_letter_union({name: fragments}, not_after=r"\w")


# Verbs after which a number is something other than aid (over fold_case(text), as are the
# denials and persuasions below; "manufacturers" are makers, they make nothing here; "at a
# cost of" tells the price of what is given, as "worth" does; "fire engines", "fire and
# rescue equipment" are things given, no firing; money "raised by local governments" is
# others' money a giver matches).
# (``\b`` first, not grouped by first letters as the words below: these start with most
# letters, and the engine would try them inside every word.)
BLOCKING_RE = folded_regex(
    r"\b(?:launch(?!er)|fir(?:e|ed|es|ing)(?![\s-](?:engine|truck|hose|fight|brigade|and\s+rescue"
    r"|extinguisher|station|service|department|protection|safety))|attack|destroy|shot|shoot|intercept(?!or)|kill|injur|wound|attend"
    r"|strik|struck|hit|target|downed|lost|lose|los(?:es|ing|s)|captur|seiz|produc(?!tion|ed\s+(?:by|in)\b)|manufactur(?!ers?\b)"
    r"|sell|sold|sale|deploy|bring|brought|warn|estimat|spend|spent|(?<!at\sa\s)cost|rais(?!ed\s+by\s+(?:the\s+)?[a-z])|owe|claim|report|record)\w*"
)
NEGATION_RE = folded_regex(
    rf"\b(?:{phrase_union(NEGATION_WORDS)}|(?:{phrase_union(NEGATION_STEMS)})\w*"
    rf"|{phrase_union(forms_of(NEGATION_VERBS))})\b|(?:{phrase_union(NEGATION_SUFFIXES)})\b"
)
# A conditional verb in a sentence stating a condition (over fold_case(text), see lexicon).
CONDITIONAL_RE = folded_regex(
    _whole_words("conditional", phrase_fragments(CONDITIONAL_WORDS)) + r"\b"
)
CONDITION_RE = folded_regex(_whole_words("condition", phrase_fragments(CONDITION_WORDS)) + r"\b")
# The first word of each conditional phrase: one is in every text CONDITIONAL_RE matches.
CONDITIONAL_KEYS = tuple(phrase.split()[0] for phrase in CONDITIONAL_WORDS)
# Over the text as it is (case-sensitive): "If" opening a sentence is no hedge of its verb.
HEDGE_RE = re.compile(
    _whole_words("hedge", phrase_fragments((*forms_of(HEDGE_VERBS), *HEDGE_WORDS))) + r"\b"
)
# Words before a donor that make the giving someone else's wish: "urged Germany to send".
PERSUADED_RE = folded_regex(
    r"\b(?:urg\w+|call\w*\s+on|ask\w*|press\w*|want\w*|persuad\w+|convinc\w+|encourag\w+"
    r"|push\w*|lobb\w+|appeal\w*\s+to)\s+(?:the\s+|its\s+|their\s+)?(?:\w+\s+)?$"
)
_CONJUNCTIONS = ("while", "whereas", "but", "although", "though", "after", "when", "because",
                 "whereby")  # fmt: skip
_SPEECH_VERBS = ("said", "says", "told", "added", "announced")
# Where a clause ends: a semicolon, a dash, a conjunction, ", which"..., "said,". Every
# alternative starts with a plain character (the dash's white space written out, one
# alternative for each character ``\s`` matches, and the words' alternation unwrapped), so
# the engine skips to the places where one may start rather than trying every character.
_WHITE_SPACE = re.findall(r"\s", "".join(map(chr, range(0x3001))))  # none is above U+3000
CLAUSE_BREAK_RE = re.compile(
    r";|"
    + "|".join(re.escape(space) + r"[–—]\s" for space in _WHITE_SPACE)
    + r"|,\s*(?:which|who|as|citing|according|saying|adding|bringing|taking)\b|"
    + first_letter_branches(
        {
            "conjunction": [rf"{word}\b" for word in _CONJUNCTIONS],
            "speech": [rf"{verb}\s*(?:on\s+\w+\s*)?[.,]" for verb in _SPEECH_VERBS],
        },
        not_after=r"\w",
    )
)
# Requests: what the recipient asks for (case-sensitive), built from the lexicon's phrases
# in their order, so a match ends where the first listed phrase that fits ends.
_GAP = r"(?:[\w’'-]+\s+)"
_ASKED = rf"(?:{phrase_union(ASKED_GIVING)})"


def _request_fragments(verb: str, gap: int, after: str) -> list[str]:
    """One phrase of asking as regex fragments, one for each form of the verb: the form, at
    most ``gap`` words, then ``after`` ("<giving>" standing for a verb of ASKED_GIVING)."""
    rest = ""
    if after:
        least = 1 if after.startswith("to ") else 0
        rest = rf"\s+{_GAP}{{{least},{gap}}}?" if gap else r"\s+"
        rest += phrase_union((after,)).replace("<giving>", _ASKED)
    return [form + rest for form in phrase_fragments(forms_of((verb,)))]


# (The phrases grouped by first letters, in their order, as whole words: see _whole_words.)
REQUEST_RE = re.compile(
    _whole_words(
        "request",
        [
            *(
                fragment
                for verb, gap, after in REQUEST_PHRASES
                for fragment in _request_fragments(verb, gap, after)
            ),
            *phrase_fragments(REQUEST_STATEMENTS),
            *(
                rf"{needer}\s+(?:(?:{phrase_union(NEED_ADVERBS)})\s+)?"
                rf"(?:{phrase_union(NEED_FORMS)})"
                for needer in phrase_fragments(NEEDERS)
            ),
        ],
    )
    + r"\b"
)
# One of these is in every text REQUEST_RE matches (case-sensitive, like it): the letters
# every form of a verb of asking starts with, a word of each statement, the forms of need.
REQUEST_WORDS = tuple(
    dict.fromkeys(
        (
            *(common_stem(forms_of((verb,))) for verb, _, _ in REQUEST_PHRASES),
            *(max(statement.split(), key=len) for statement in REQUEST_STATEMENTS),
            common_stem(NEED_FORMS),
        )
    )
)


# Right before a verb of benefit, a sum it is the purpose of: "£1.6bn to buy".
_SUM_S_PURPOSE_RE = re.compile(r"(?:\d|\d\s?(?:m|bn|mn|million|billion))\s+to\s+$")
# Verb forms that are nouns after an article: "the fund", "a grant".
_NOUN_FORMS = frozenset(
    ("fund", "funds", "offer", "grant", "grants", "transfer", "transfers", "add")
)
_PARTICIPLE_AFTER_RE = re.compile(r"\b(?:the|a|an|its|their|his|her)\s+(?:\w+ly\s+)?$")
_GERUND_AFTER_RE = re.compile(r"\b(?:of|additional|further|new|more|its|their)\s+$", re.I)
_NOUN_AFTER_RE = re.compile(r"\b(?:the|a|an|its|this|that|new)\s+$")
# A name's word before a capitalised noun form makes it a name's too ("its Ukraine Fund"; in
# a headline "Japan To Fund Generators" the form stays a verb).
_NAME_WORD_BEFORE_RE = re.compile(
    r"\b(?!(?:To|Will|Would|Shall|Also|And|Can|Could|May|Might|Must)\b)[A-Z][\w’'-]*\s+$"
)
# A noun form before the noun it qualifies: "emergency grant aid", "a grant agreement" (not
# after a word that makes it a verb: "will grant aid of $5m", "to grant funding").
_AUXILIARY_BEFORE_RE = re.compile(
    r"\b(?:will|would|shall|to|can|could|may|might|must|did|does|do|also|and)\s+$"
)
_QUALIFIED_NOUN_RE = re.compile(
    r"\s+(?:aid|agreements?|assistance|funding|financing|element|component)\b", re.IGNORECASE
)
# Nouns that make a fund of the form after them ("an oil fund", "a NATO trust fund"), and the
# verbs that tell the form is their subject ("the fund is worth ..."): a noun, no giving.
FUND_KINDS = ("oil", "trust", "wealth", "pension", "investment", "relief", "recovery",
              "reconstruction", "solidarity")  # fmt: skip
_FUND_KIND_BEFORE_RE = re.compile(rf"\b(?:{'|'.join(FUND_KINDS)})\s+$")
_SUBJECT_OF_RE = re.compile(r"\s+(?:is|was|are|were|has|had)\b")
# The offices a verb form names before them: "G7 finance ministers", "the finance ministry".
_OFFICE_AFTER_RE = re.compile(r"\s+(?:minister|ministry|ministries|ministers)\b", re.IGNORECASE)


class Trigger(NamedTuple):
    """A word of giving in a sentence (offsets relative to the sentence).

    A named tuple, as the extractor's other records read from a sentence: several are built
    for every sentence, and a tuple is built four times faster than a frozen dataclass.
    """

    start: int
    end: int
    noun: bool
    receive: bool


def has_giving(sentence: str) -> bool:
    """True when a sentence holds a word of giving (a cheap first filter)."""
    return first_giving(lower_case(sentence)) is not None


def first_giving(lowered: str) -> int | None:
    """Where the first word of giving starts in a ``lower_case``d sentence, else None."""
    match = GIVING_RE.search(pad(lowered))
    return match.start() if match is not None else None


def has_request(sentence: str, words: Sequence[str] = REQUEST_WORDS) -> bool:
    """True when a sentence holds a request (REQUEST_RE), skipping it when none of ``words``
    (REQUEST_WORDS, or those of them its article holds: ``present_words``) is there."""
    if not contains_any(sentence, words):
        return False
    return REQUEST_RE.search(sentence) is not None


def find_triggers(sentence: str, lowered: str | None = None, start: int = 0) -> list[Trigger]:
    """Every verb or noun of giving in a sentence (``lowered`` is its ``lower_case``; no word
    of giving starts before ``start``)."""
    found: list[Trigger] = []
    if lowered is None:
        lowered = lower_case(sentence)
    for match in finditer_padded(GIVING_RE, pad(lowered), start):
        kind = group_name(match)
        word_start, word_end = match.start(), match.end() - 1
        if kind == "verb" and _is_noun_use(sentence, word_start, word_end, lowered):
            continue
        if (
            kind == "noun"
            and opens_name(sentence, word_start)
            and _revision_verb_at(lowered, word_start)
        ):
            # "Lower Saxony has pledged": a name, no revision of a promise; the words of
            # giving after its first word are read again
            next_word = lowered.find(" ", word_start)
            return found + find_triggers(sentence, lowered, next_word)
        if kind == "benefit" and not (
            _for_ukraine(sentence, word_end)
            or (found and _SHARE_OF_IT_RE.match(lowered, word_end) is not None)
        ):
            continue
        if kind == "benefit" and found and _SUM_S_PURPOSE_RE.search(lowered, 0, word_start):
            continue  # "will provide £1.6bn to buy 5,000 missiles": what the sum buys
        if (
            kind == "benefit"
            and found
            and lowered.startswith("order", word_start)
            and _SUM_BEFORE_RE.search(lowered, max(0, word_start - 16), word_start)
        ):
            continue  # "signed a €300m order with Rheinmetall for ...": the sum's noun
        found.append(Trigger(word_start, word_end, kind == "noun", kind == "receive"))
    return found


_REVISION_FORMS = frozenset(forms_of(REVISION_VERBS))


def _revision_verb_at(lowered: str, start: int) -> bool:
    """True when the word at ``start`` is a verb of revision ("lower", "raised")."""
    return lowered[start:].split(None, 1)[0] in _REVISION_FORMS


# Right before a noun, a sum it names ("a €300 million order", "a NOK 2bn order").
_SUM_BEFORE_RE = re.compile(r"\d(?:\s?(?:m|bn|mn|mln|bln|million|billion))?\s+$")


def _for_ukraine(sentence: str, verb_end: int) -> bool:
    """True when what a verb of benefit buys is for Ukraine ("ordered 1,000 rounds from Saab
    for Ukraine"), not for the buyer's own forces before it ("placed an order for 12 systems
    for its own army; ... no link to Ukraine")."""
    beneficiary = _BENEFICIARY_RE.search(sentence, verb_end, verb_end + 120)
    return beneficiary is not None and not _OWN_FORCES_RE.search(
        sentence, verb_end, beneficiary.start()
    )


def _is_noun_use(sentence: str, start: int, end: int, lowered: str) -> bool:
    """True when the verb form at ``sentence[start:end]`` is used as a noun or adjective ("the
    fund", "deliveries"; ``lowered``: the sentence's ``lower_case``)."""
    word = sentence[start:end].lower()
    # ("minist" is in the fold_case of every text _OFFICE_AFTER_RE matches: a cheap test first)
    if "minist" in fold_lowered(lowered) and _OFFICE_AFTER_RE.match(sentence, end) is not None:
        return True  # "G7 finance ministers", "the aid ministry": the name of an office
    if word.endswith("ing") and _GERUND_AFTER_RE.search(sentence, max(0, start - 24), start):
        return True  # "of additional lending by the World Bank"
    participle = word.endswith("ed")
    noun = word in _NOUN_FORMS
    if not (participle or noun):
        return False
    before = sentence[max(0, start - 24) : start].lower()
    if participle and _PARTICIPLE_AFTER_RE.search(before):
        return True  # "the promised ammunition"
    if noun:
        return (
            (
                sentence[start].isupper()
                and _NAME_WORD_BEFORE_RE.search(sentence, 0, start) is not None
            )
            or _NOUN_AFTER_RE.search(before) is not None
            or _FUND_KIND_BEFORE_RE.search(before) is not None
            or _SUBJECT_OF_RE.match(sentence, end) is not None
            or (
                _QUALIFIED_NOUN_RE.match(sentence, end) is not None
                and _AUXILIARY_BEFORE_RE.search(before) is None
            )
        )
    return False
