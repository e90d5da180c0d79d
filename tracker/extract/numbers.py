"""Number phrases: amounts of money and counts, with currency, scale and qualifier."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from tracker.extract.lexicon import MODEL_FAMILIES
from tracker.extract.patterns import (
    DIGIT,
    after_non_word,
    contains_any,
    first_letter_branches,
    fold_case,
    fold_lowered,
    folded_regex,
    lower_case,
    pad,
    word_union,
)

SCALES: dict[str, Decimal] = {
    "hundred": Decimal(10) ** 2,
    "thousand": Decimal(10) ** 3,
    "thous.": Decimal(10) ** 3,  # as translations abbreviate it ("100 thous. rounds")
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bln": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    # South Asian scales: a lakh is a hundred thousand, a crore ten million ("Rs 50 crore")
    "lakh": Decimal(10) ** 5,
    "lakhs": Decimal(10) ** 5,
    "crore": Decimal(10) ** 7,
    "crores": Decimal(10) ** 7,
    "tn": Decimal(10) ** 12,
    "trn": Decimal(10) ** 12,
    # German abbreviations, kept by translations ("1,9 Mrd. Euro", "rund 650 Mio. Euro")
    "mio": Decimal(10) ** 6,
    "mio.": Decimal(10) ** 6,
    "mrd": Decimal(10) ** 9,
    "mrd.": Decimal(10) ** 9,
    # French scales, kept by translations ("1,5 milliard d'euros", "900 M€", "2 Md€")
    "milliard": Decimal(10) ** 9,
    "milliards": Decimal(10) ** 9,
    "md": Decimal(10) ** 9,
    "mds": Decimal(10) ** 9,
    "millions": Decimal(10) ** 6,
}
_UNITS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# Counts in words: units, teens, tens and their hyphenated compounds ("forty-two"); a scale
# word may follow any of them ("three hundred tents", "two thousand mine detectors").
_BELOW_HUNDRED: dict[str, int] = {
    **_UNITS, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, **_TENS,
    **{f"{ten}-{unit}": tens + units
       for ten, tens in _TENS.items() for unit, units in _UNITS.items()},
}  # fmt: skip
WORD_NUMBERS: dict[str, int] = {**_BELOW_HUNDRED, "hundred": 100, "dozen": 12}
# Figures spoken as words, as broadcasts and their transcripts give them: decimals after
# "point" ("two point five billion dollars", "one point two five") and hundreds with their
# rest ("two hundred and fifty million euros", "three hundred sixty").
_DIGIT_WORDS = {"zero": 0, "oh": 0, **_UNITS}
_BELOW_HUNDRED_ALT = "|".join(sorted(_BELOW_HUNDRED, key=len, reverse=True))
_SPOKEN_DECIMAL = rf"(?:{_BELOW_HUNDRED_ALT})\s+point(?:\s+(?:{'|'.join(_DIGIT_WORDS)})\b){{1,3}}"
_SPOKEN_HUNDREDS = rf"(?:{'|'.join(_UNITS)})\s+hundred(?:\s+and)?\s+(?:{_BELOW_HUNDRED_ALT})\b"
SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "US$": "USD", "NZ$": "NZD", "C$": "CAD",
           "A$": "AUD", "¥": "JPY", "₴": "UAH", "zł": "PLN", "SFR": "CHF", "R$": "BRL",
           "₹": "INR", "RS": "INR", "RS.": "INR", "TK": "BDT", "TK.": "BDT"}  # fmt: skip
# The signs made of letters that stand before a number, as the financial press writes them
# ("Sfr200mn", "SFr 95m"), in each casing they are written.
_WORD_SIGNS = ("Sfr", "SFr", "SFR")
# The signs that letters open ("NZ$4m", "Sfr200mn"), longest first.
_LETTERED_SIGNS = tuple(
    sorted(
        [*(sign for sign in SYMBOLS if sign[0].isalpha() and "$" in sign), *_WORD_SIGNS],
        key=len,
        reverse=True,
    )
)
CODES = frozenset(
    [
        "EUR",
        "USD",
        "GBP",
        "NOK",
        "SEK",
        "DKK",
        "CHF",
        "JPY",
        "CAD",
        "AUD",
        "NZD",
        "PLN",
        "CZK",
        "UAH",
        "HUF",
        "RON",
        "BGN",
        "ISK",
        "KRW",
        "CNY",
        "TRY",
        "KWD",
        "SAR",
        "AED",
        "QAR",
        "INR",
        "BDT",
        "BRL",
        "ZAR",
        # East African shillings and the birr, in appeals for the Horn of Africa
        "KES",
        "UGX",
        "TZS",
        "ETB",
        "THB",
        # the pesos of Latin America and the Philippines, in disaster appeals
        "MXN",
        "COP",
        "ARS",
        "CLP",
        "PHP",
    ]
)
# Placeholders for the currency words several countries share, resolved from the donor's
# country: kroner/crowns (NOK, DKK, SEK, CZK) and pesos (MXN, COP, ARS, CLP, PHP).
CROWN = "CROWN"
PESO = "PESO"
CURRENCY_WORDS: dict[str, str] = {
    "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "sterling": "GBP",
    "british pounds": "GBP",
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD",
    "american dollars": "USD", "canadian dollars": "CAD", "australian dollars": "AUD",
    "new zealand dollars": "NZD",
    "norwegian kroner": "NOK", "norwegian crowns": "NOK", "danish kroner": "DKK",
    "danish crowns": "DKK", "swedish kronor": "SEK", "swedish crowns": "SEK", "kronor": "SEK",
    "czech crowns": "CZK", "czech korunas": "CZK", "koruna": "CZK", "korunas": "CZK",
    "icelandic kronur": "ISK", "kronur": "ISK", "kroner": CROWN, "krone": CROWN, "crowns": CROWN,
    "kr": CROWN,
    "swiss francs": "CHF", "francs": "CHF", "yen": "JPY", "japanese yen": "JPY",
    "hryvnias": "UAH", "hryvnia": "UAH", "hryvnas": "UAH", "zloty": "PLN", "zlotys": "PLN",
    "zlotych": "PLN", "forints": "HUF", "lei": "RON",
    "swiss franc": "CHF", "yuan": "CNY", "renminbi": "CNY", "chinese yuan": "CNY",
    "kuwaiti dinars": "KWD", "kuwaiti dinar": "KWD", "saudi riyals": "SAR", "saudi riyal": "SAR",
    "qatari riyals": "QAR", "qatari riyal": "QAR", "uae dirhams": "AED", "emirati dirhams": "AED",
    "turkish lira": "TRY", "turkish liras": "TRY",
    "rupees": "INR", "indian rupees": "INR", "taka": "BDT", "reais": "BRL",
    "brazilian reais": "BRL", "rand": "ZAR", "south african rand": "ZAR",
    "kenyan shillings": "KES", "kenya shillings": "KES", "ugandan shillings": "UGX",
    "tanzanian shillings": "TZS", "birr": "ETB", "ethiopian birr": "ETB",
    "baht": "THB", "thai baht": "THB",
    "pesos": PESO, "mexican pesos": "MXN", "colombian pesos": "COP", "argentine pesos": "ARS",
    "chilean pesos": "CLP", "philippine pesos": "PHP",
    "d'euros": "EUR", "d’euros": "EUR",  # French, kept by translations ("3 milliards d'euros")
}  # fmt: skip
# Each placeholder's currency by the donor's country, the first where the donor has none.
LOCAL_CURRENCIES: dict[str, dict[str, str]] = {
    CROWN: {"NO": "NOK", "DK": "DKK", "SE": "SEK", "CZ": "CZK", "IS": "ISK"},
    PESO: {"MX": "MXN", "CO": "COP", "AR": "ARS", "CL": "CLP", "PH": "PHP"},
}

QUALIFIERS: dict[str, str] = {
    "more than": "at_least", "over": "at_least", "at least": "at_least",
    "in excess of": "at_least", "upwards of": "at_least", "just over": "at_least",
    "no less than": "at_least", "not less than": "at_least", "a minimum of": "at_least",
    "exceeded": "at_least", "exceeding": "at_least", "exceeds": "at_least", "topped": "at_least",
    "topping": "at_least", "surpassed": "at_least",
    "up to": "up_to", "as much as": "up_to", "as many as": "up_to", "less than": "up_to",
    "fewer than": "up_to", "under": "up_to", "just under": "up_to", "a maximum of": "up_to",
    "no more than": "up_to",
    "about": "about", "around": "about", "nearly": "about", "almost": "about",
    "approximately": "about", "some": "about", "roughly": "about", "close to": "about",
    "an estimated": "about", "approx.": "about", "circa": "about",
    "rund": "about",  # kept by translations from German ("rund 650 Mio. Euro")
    "environ": "about", "près de": "about",  # and from French ("environ 500 M€", "près de 1 000")
}  # fmt: skip

# The South Asian signs "Rs" and "Tk" ("Rs 50 crore", "Tk. 5 crore") only as words of
# their own ("others 30" is no sum).
_SOUTH_ASIAN_SIGNS = r"(?<![\w.])(?:rs|tk)\.?(?=\s?\d)"
_SYMBOL_ALT = (
    "|".join(re.escape(sign) for sign in _LETTERED_SIGNS) + "|[€£$¥₴₹]|" + _SOUTH_ASIAN_SIGNS
)
# Codes and currency words as tries (``word_union``): the engine tries only the branches that
# begin with the letters it meets, not every code and word after each number.
_CODE_ALT = word_union(CODES)
_CURRENCY_WORD_ALT = word_union(CURRENCY_WORDS)
# A digit glued to a letter and a digit is a model name, not a number ("Leopard 2A6").
# A decimal comma only before a scale word ("1,5 billion"): elsewhere a comma groups thousands.
_DECIMAL_COMMA = (
    r"\d{1,3},\d{1,2}(?=\s?(?:(?:billion|million|trillion|bn|bln|mln|mn|tn|mio|mrd|milliards?|millions)\b"
    r"|(?:m|md|mds)€))"
)
# Continental grouping with decimals: "1.000.000,50".
_CONTINENTAL = r"\d{1,3}(?:\.\d{3})+,\d{1,2}(?!\d)"
# Thousands grouped by a space, as European texts and their translations write them ("2 000
# sleeping bags", "NOK 1 500 000"); never a calibre after it ("12 120 mm mortars", "2 120-mm
# shells": twelve, two).
_SPACED = r"\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?!\d)(?![.,]\d)(?!\s?mm\b|-mm\b)"
# Thousands grouped by full stops, as German and its translations write counts ("180.000
# rounds", "1.200.000 doses"): read so only without a currency or scale (see
# _continental_count); "1.500" in English is one and a half.
_CONTINENTAL_GROUPS = r"[1-9]\d{0,2}(?:\.\d{3}){2,}(?![\d,])"
_CONTINENTAL_GROUPS_RE = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_DIGITS = (
    rf"{_CONTINENTAL}|{_DECIMAL_COMMA}|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{_SPACED}"
    rf"|{_CONTINENTAL_GROUPS}|\d+(?:\.\d+)?"
)
# "half a billion euros", "half a million": a half, read only before a scale word; "half a
# dozen" is six.
_HALF = r"half\s+an?(?:\s+dozen)?"
_WORDS_ALT = "|".join([_SPOKEN_DECIMAL, _SPOKEN_HUNDREDS, word_union(WORD_NUMBERS), _HALF])
# A figure written as one word before its noun: "a 50-billion-euro facility", "a
# $1.5-billion package", "the 2.5 billion-euro loan" (a hyphen before the currency word only
# after a scale word: "a 5-pound bag" is no sum).
_NUMBER_CORE = (
    rf"(?:(?P<pre>{_SYMBOL_ALT})\s?|(?P<precode>{_CODE_ALT})\s)?"
    rf"(?:(?:(?<![\w.,/])|(?<=sfr)|(?<=rs)|(?<=tk)|(?<=rs\.)|(?<=tk\.))(?<![^\d]-)(?<!(?:19|20)\d\d-)(?P<num>{_DIGITS})(?![\d])(?![a-z]\d)(?!(?:st|nd|rd|th)\b)|(?<![\w-])(?P<word>{_WORDS_ALT})\b)"
    r"(?:(?P<scale_abbr>m|b|k)\b|\s?(?P<scale_short>(?:bn|bln|mln|mn|tn|trn)\b|(?:mio|mrd)\b\.?|m(?:ds?)?(?=\s?€))|[\s-]?(?P<scale_word>(?:hundred(?:[\s-](?:thousand|million|billion))?|thousand|million|billion|trillion|lakhs?|crores?|milliards?|millions)\b|thous\.(?=\s|$)))?"
    r"(?:\s?(?P<percent>%|per\s?cent\b|percent\b)|\s?(?P<postcode>"
    + _CODE_ALT
    + r")\b|(?:\s|(?<=lion)-)(?P<postword>"
    + _CURRENCY_WORD_ALT
    + r")\b|(?P<postsym>\s?(?:zł|€))|(?<=illion)\s(?P<won>won)\b)?"
)
NUMBER_RE = re.compile(_NUMBER_CORE, re.IGNORECASE)
# NUMBER_RE to run over fold_case(sentence): the same matches, several times faster; its
# groups hold the folded text (read through .upper() and .lower(), as NUMBER_RE's are).
_FOLDED_NUMBER_RE = folded_regex(_NUMBER_CORE)
# The groups of NUMBER_RE a phrase is built from (those naming its currency in the order
# ``_currency`` takes them), read with one ``match.group`` call.
_PHRASE_GROUPS = ("num", "word", "scale_abbr", "scale_short", "scale_word", "pre", "precode",
                  "postcode", "postword", "postsym", "won", "percent")  # fmt: skip
# Before a number word, words that leave it uncounted ("several hundred", "a few dozen").
_UNCOUNTED_BEFORE_RE = re.compile(r"\b(?:several|few|many)\s+$", re.IGNORECASE)
# After "one", a rank among others: "one of the largest contributions", "one of the most".
_ONE_OF_RANK_RE = re.compile(
    r"(?<=[Oo]ne)\s+of\s+(?:the|its|their)\s+(?:\w+est|most|main|few|many|key)\b"
)
_HAND_BEFORE_RE = re.compile(r"\bhand(?:s|ed|ing)?\s+$", re.IGNORECASE)
# Over fold_case(the text before a number): a qualifier at the start or after white space,
# a bracket or a quote. The qualifiers are grouped by first letters, longest first within
# each (the order of the plain alternation ``(?:^|(?<=[\s(“"]))(?:more than|...)``, whose
# matches these are): the engine tries only those that begin with the letter it meets,
# rather than all of them at every character of the text before the number.
_QUALIFIER_RE = folded_regex(
    r"(?P<q>"
    + first_letter_branches(
        {"q": [re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True)]},
        not_after=r"[^\s(“\"]",
    )
    + r")\s+(?:a\s+total\s+of\s+)?$"
)
_LONGEST_QUALIFIER = max(len(qualifier) for qualifier in QUALIFIERS)
_CONVERSION_RE = re.compile(
    r"\s*[(\[]\s*(?:about|around|approximately|roughly|some|nearly|almost|or|~|c\.)?\s*"
)
_CONVERSION_CLOSE_RE = re.compile(r"\s*[)\]]")
# A conversion set off by a comma, with a word of approximation: "4.2 billion kroner,
# roughly $610 million, for air defence", "SEK 9bn, or about $870m." (another currency, and
# the clause ends after it).
_COMMA_CONVERSION_RE = re.compile(
    r",\s*(?:or\s+)?(?:about|around|approximately|roughly|some|nearly|almost|close\s+to)\s+"
)
_COMMA_CONVERSION_CLOSE_RE = re.compile(r"\s*(?:[,;:.]|$)")
_LETTER_NEXT_RE = re.compile(r"\s*[a-z]")
_MONEY_WORD_NEXT_RE = re.compile(r"\s*(?:in|of|worth|for|to|package|aid|loan|fund|grant|budget)\b")
_SIGN_CHARS = frozenset("€£$¥₴₹")
# The South Asian signs of letters, as fold_case writes them.
_SOUTH_ASIAN_STARTS = ("rs", "tk")
# Where a number can start: a digit not right after another digit, a full stop or a comma,
# or a number word (over pad(text), see after_non_word).
_DIGIT_ANCHOR_RE = re.compile(DIGIT + r"(?:(?<![\d.,]\d)|(?<=rs\.\d)|(?<=tk\.\d))")
_WORD_ANCHOR_RE = after_non_word(word_union([*WORD_NUMBERS, "half"]) + r"\b")
# Some currency sign or code in a case-folded text: a cheap test before the exact one in
# _prefix_starts (it finds every sign or code that one does, and more).
_PREFIX_HINT_RE = re.compile(
    word_union(
        [
            "€",
            "£",
            "$",
            "¥",
            "₴",
            "₹",
            *_SOUTH_ASIAN_STARTS,
            *(sign.lower() for sign in _LETTERED_SIGNS),
            *(code.lower() for code in CODES),
        ]
    )  # fmt: skip
)
# The last words of the qualifiers (and of "a total of"): one ends the word before a number
# whenever _QUALIFIER_RE can match before it; "de" ("près de") ends too many words
# ("provide", "made") and is the word before only as a word of its own.
_QUALIFIER_WORDS = frozenset(["de"])
_QUALIFIER_ENDS = tuple(sorted(({q.split()[-1] for q in QUALIFIERS} | {"of"}) - _QUALIFIER_WORDS))
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# A part's count before a number: the number is the whole it is a part of, never a year ("1
# of the 1900 howitzers", "30 of its 2000 shells").
_WHOLE_BEFORE_RE = re.compile(
    r"\d\s+of\s+(?:the|its|their)\s+(?:(?:more\s+than|over|nearly|almost|about)\s+)?$",
    re.IGNORECASE,
)
_CALIBRE_RE = re.compile(r"\s?mm\b|-mm\b", re.IGNORECASE)
_RANGE_JOIN_RE = re.compile(r"\s+and\s+")
_BETWEEN_RE = re.compile(r"\bbetween\s+$", re.IGNORECASE)
# "€10m to €20m", "10 to 20 tanks", "€1-2 billion", "$300m-$500m": a range too, unless
# "from" or "by" opens it ("raised from €10m to €20m", "increased by 10 to 60": a revised
# figure).
_RANGE_TO_RE = re.compile(r"\s+(?:to|-|–)\s+|[-–]")
_FROM_BEFORE_RE = re.compile(r"\b(?:from|by)\s+$", re.IGNORECASE)
_DIGITS_RE = re.compile(r"\d[\d,. \u00a0\u2009\u202f]*\d|\d")
# A model family's name right before a number: the number is part of the model's name.
_MODEL_FAMILY_BEFORE_RE = re.compile(rf"\b(?:{'|'.join(MODEL_FAMILIES)})\s$")


class NumberPhrase(NamedTuple):
    """A number found in a sentence; offsets are relative to the sentence.

    A named tuple, as the extractor's other records read from a sentence: several are built
    for every sentence, and a tuple is built four times faster than a frozen dataclass.
    """

    start: int
    end: int
    value: Decimal
    currency: str | None
    has_scale: bool
    qualifier: str
    qualifier_text: str | None
    conversion: tuple[Decimal, str] | None = None
    percent: bool = False
    year: bool = False
    money_scale: bool = False  # "1.5bn": an abbreviated scale used for sums of money

    @property
    def is_money(self) -> bool:
        """True when the phrase names a currency."""
        return self.currency is not None


def _anchors(lowered: str) -> list[int]:
    """Where a number can start in a sentence (``lowered``: its ``lower_case``), in order."""
    digits = [match.start() for match in _DIGIT_ANCHOR_RE.finditer(lowered)]
    words = [match.start() for match in _WORD_ANCHOR_RE.finditer(pad(lowered))]
    if not words:
        return digits
    return sorted(digits + words)


def _next_match(
    sentence: str, folded: str, anchors: Iterator[int], position: int
) -> re.Match[str] | None:
    """The next number phrase from ``position``: take the next digit or number word from
    ``anchors`` (``_anchors`` of the sentence), then look back a few characters for a
    currency symbol or code (far faster than searching NUMBER_RE).
    The match is over ``folded``, ``fold_case(sentence)``."""
    for start in anchors:
        if start < position:
            continue  # inside the number phrase found last
        for candidate in _prefix_starts(sentence, folded, max(position, start - 4), start):
            match = _FOLDED_NUMBER_RE.match(folded, candidate)
            if match is not None and start in (match.start("num"), match.start("word")):
                return match
    return None


def _prefix_starts(sentence: str, folded: str, first: int, start: int) -> list[int]:
    """Where a number starting at ``start`` may really begin: at a currency sign or code
    among the few characters before it, or at the number itself (tried last)."""
    if _PREFIX_HINT_RE.search(folded, first, start + 2) is None:
        return [start]
    starts = [
        candidate
        for candidate in range(first, start)
        if sentence[candidate] in _SIGN_CHARS
        or (
            sentence[candidate : candidate + 3].upper() in CODES
            and not sentence[candidate - 1 : candidate].isalpha()  # "environ 6": no code
        )
        or sentence.startswith(_LETTERED_SIGNS, candidate)
        or folded.startswith(_SOUTH_ASIAN_STARTS, candidate)
    ]
    starts.append(start)
    return starts


def find_numbers(sentence: str, lowered: str | None = None) -> list[NumberPhrase]:
    """Find number phrases, attaching a bracketed conversion to the phrase before it
    (``lowered``: the sentence's ``lower_case``, when the caller has it)."""
    found: list[NumberPhrase] = []
    position = 0
    if lowered is None:
        lowered = lower_case(sentence)
    folded = fold_lowered(lowered)
    # Number phrases never end inside a number word, so one pass over the anchors serves
    # every search (each skips those before where the last phrase ended).
    anchors = iter(_anchors(lowered))
    models = contains_any(sentence, MODEL_FAMILIES)  # "Leopard 2 tanks": see _in_model_name
    while True:
        match = _next_match(sentence, folded, anchors, position)
        if match is None:
            return found
        phrase = _phrase_from_match(sentence, match)
        position = match.end()
        if phrase is None or (models and _in_model_name(sentence, phrase)):
            continue
        if (
            phrase.start > 2
            and not sentence[max(0, phrase.start - 5) : phrase.start - 1].islower()
            and _after_abbreviation(sentence, phrase)
        ):
            continue
        if phrase.is_money:
            conversion = _conversion_after(sentence, folded, position, phrase.currency)
            if conversion is not None:
                converted, conversion_end = conversion
                phrase = NumberPhrase(
                    phrase.start, conversion_end, phrase.value, phrase.currency,
                    phrase.has_scale, phrase.qualifier, phrase.qualifier_text,
                    (converted.value, converted.currency or ""),
                    money_scale=phrase.money_scale,
                )  # fmt: skip
                position = conversion_end
        found.append(phrase)
        _merge_range(sentence, found)


def _in_model_name(sentence: str, phrase: NumberPhrase) -> bool:
    """True for a bare number that a model family's name ends with ("Leopard 2 tanks")."""
    return (
        phrase.currency is None
        and not phrase.has_scale
        and sentence[phrase.start - 1 : phrase.start] == " "
        and _MODEL_FAMILY_BEFORE_RE.search(sentence, max(0, phrase.start - 12), phrase.start)
        is not None
    )


# A model's letters before its number: capitals ("ASC 890", "AMX 30") or a capital and
# consonants ("Pbv 302", "Strv 122"); a currency's code before a sum is read as the sum's.
_ABBREVIATION_BEFORE_RE = re.compile(r"(?<![\w-])(?:[A-Z]{2,4}|[A-Z][b-df-hj-np-tv-z]{1,3}) $")
# Capitals that name a donor or a place, never a model ("the UK 350", "EU 20").
_NAMES_IN_CAPITALS = frozenset(["UK", "US", "EU", "UN", "USA", "UAE", "NATO", "G7", "G20"])


def _after_abbreviation(sentence: str, phrase: NumberPhrase) -> bool:
    """True for a bare count right after a model's letters: "ASC 890 aircraft", "Pbv 302
    armoured personnel carriers" name models, they count nothing (not in a line of
    capitals: "UK WILL SEND 10 CHALLENGER TANKS")."""
    if phrase.currency is not None or phrase.has_scale or phrase.qualifier != "exact":
        return False
    if not sentence[phrase.end + 1 : phrase.end + 2].islower():
        return False
    letters = _ABBREVIATION_BEFORE_RE.search(sentence, max(0, phrase.start - 6), phrase.start)
    return letters is not None and letters.group()[:-1] not in _NAMES_IN_CAPITALS


def _merge_range(sentence: str, found: list[NumberPhrase]) -> None:
    """ "between 20 and 30 jets", "between €1bn and €2bn", "€10m to €20m": the lower bound,
    at least, at the upper bound's scale when it has none of its own ("between 200 and 300
    million dollars": 200 million).

    A range promises at least its lower bound; the upper bound is not a second number.
    """
    if len(found) < 2:
        return
    low, high = found[-2], found[-1]
    if low.percent or high.percent or low.year or high.year:
        return
    value = low.value
    if high.has_scale and not low.has_scale:  # "between 200 and 300 million dollars"
        value *= _scale_of(sentence, high)
        value = Decimal(int(value)) if value == value.to_integral_value() else value
    if _RANGE_JOIN_RE.fullmatch(sentence, low.end, high.start) and _BETWEEN_RE.search(
        sentence, max(0, low.start - 12), low.start
    ):
        words = "between"
    elif (
        _RANGE_TO_RE.fullmatch(sentence, low.end, high.start)
        and (low.currency in (None, high.currency) or _split_range(low, high))
        and value < high.value
        and not _FROM_BEFORE_RE.search(sentence, max(0, low.start - 8), low.start)
    ):
        words = "to"
    else:
        return
    found[-2:] = [
        NumberPhrase(low.start, high.end, value, low.currency or high.currency,
                     low.has_scale or high.has_scale, "at_least", words, low.conversion,
                     money_scale=low.money_scale or high.money_scale)
    ]  # fmt: skip


def _split_range(low: NumberPhrase, high: NumberPhrase) -> bool:
    """True for a range whose currency stands before its lower bound and whose scale after
    its upper bound ("€1-2 billion", "$3 to 5 million"): one sum, both bounds in it."""
    return high.currency is None and high.has_scale and not low.has_scale


def _scale_of(sentence: str, phrase: NumberPhrase) -> Decimal:
    """The scale a number phrase's digits are multiplied by ("300 million" → 1,000,000)."""
    digits = _DIGITS_RE.search(sentence, phrase.start, phrase.end)
    unscaled = Decimal(_decimal_point(digits.group())) if digits is not None else Decimal(0)
    return phrase.value / unscaled if unscaled else Decimal(1)


def _phrase_from_match(sentence: str, match: re.Match[str]) -> NumberPhrase | None:
    """Build a NumberPhrase from a match of NUMBER_RE (over the sentence or its
    ``fold_case``), or None when it is not a number."""
    num, word, scale_letter, scale_short, scale_word, *currency_groups, percent = match.group(
        *_PHRASE_GROUPS
    )
    scale_abbr = scale_letter or scale_short
    if num is None and word is None:
        return None
    start, end = match.span()
    after = sentence[end : end + 3]  # a calibre's "mm" is among the next three characters
    if ("m" in after or "M" in after) and _CALIBRE_RE.match(sentence, end):
        return None  # "155mm rounds": a calibre, not a count
    if word is not None and (
        _UNCOUNTED_BEFORE_RE.search(sentence, max(0, start - 10), start)
        or _ONE_OF_RANK_RE.match(sentence, end)
    ):
        return None  # "several hundred missiles", "one of the largest contributions": no count
    scale = scale_abbr or scale_word
    if word is not None and word[0] in "hH":  # "half a billion", "half a dozen"; not "half an hour"
        if word.lower().endswith("dozen"):
            digits = "6"
        elif scale_word is None or scale_word[0] in "hH":
            return None
        else:
            digits = "0.5"
    elif num is None:
        digits = _word_digits(word.lower())
    elif (
        "." in num
        and _CONTINENTAL_GROUPS_RE.fullmatch(num)
        and _continental_count(num, scale, currency_groups, percent)
    ):
        digits = num.replace(".", "")
    else:
        digits = _decimal_point(num)
    value = Decimal(digits)
    if scale_abbr and word is not None:
        return None  # "one m" is not a number phrase
    if scale:
        # "two hundred million": each scale word multiplies
        for scale_part in scale.lower().replace("-", " ").split():
            value *= SCALES[scale_part]
    # (digits without a point, unscaled, are read as a whole number already)
    if (scale or "." in digits) and value == value.to_integral_value():
        value = Decimal(int(value))
    currency = _currency(*currency_groups)
    bare_abbreviation = scale_abbr and scale_abbr.lower() in ("m", "b", "k") and not currency
    if bare_abbreviation and (num is None or not _money_context(sentence, end)):
        return None
    qualifier, qualifier_text = _qualifier_before(sentence, start)
    if sentence[end : end + 1] == "+" and not sentence[end + 1 : end + 2].isalnum():
        # "900+ tanks", "EUR 3 bln+": more than the figure, as posts and slides write it
        end += 1
        if qualifier == "exact":
            qualifier, qualifier_text = "at_least", "+"
    is_year = (
        currency is None and not scale and num is not None and len(num) == 4
        and _YEAR_RE.fullmatch(num)
        and not _WHOLE_BEFORE_RE.search(sentence, max(0, start - 24), start)
    )  # fmt: skip
    return NumberPhrase(  # positional arguments: faster to build than by keyword
        start, end, value, currency, bool(scale), qualifier, qualifier_text, None,
        percent is not None, bool(is_year), scale_abbr is not None,
    )  # fmt: skip


def _word_digits(word: str) -> str:
    """The digits of a number in words ("forty-two" → "42", "two point five" → "2.5", "two
    hundred and fifty" → "250")."""
    if word in WORD_NUMBERS:
        return str(WORD_NUMBERS[word])
    first, *rest = word.split()
    if rest[0] == "point":
        return f"{WORD_NUMBERS[first]}." + "".join(str(_DIGIT_WORDS[d]) for d in rest[1:])
    return str(WORD_NUMBERS[first] * 100 + WORD_NUMBERS[rest[-1]])


def _continental_count(
    num: str, scale: str | None, currency_groups: list[str | None], percent: str | None
) -> bool:
    """True when digits grouped by full stops ("180.000", "1.200.000") are thousands: two
    groups or more, one without a scale, a currency or a percent ("180.000 rounds"), or one
    ending in a nought before "million", as Spanish and Italian count sums and their
    translations keep them ("1.130 million euros", "4.500 mln"; an English decimal drops its
    last noughts). "1.500 billion", "1.125 million" and "$1.500" keep their decimals."""
    if num.count(".") > 1:
        return True
    if scale and num[-1] == "0" and scale.lower() in ("million", "millions", "mln"):
        return True
    return not scale and percent is None and not any(currency_groups)


def _qualifier_before(sentence: str, start: int) -> tuple[str, str | None]:
    """The qualifier ("more than", "about") right before a number starting at ``start``, with
    its words; ("exact", None) when there is none."""
    # a qualifier ends in white space right before the number
    if not sentence[start - 1 : start].isspace():
        return "exact", None
    text_before = sentence[max(0, start - 40) : start]
    last_word = text_before.rsplit(None, 1)[-1:]
    if not last_word:
        return "exact", None
    word = last_word[0]
    # an ASCII word's fold_case is its lower case
    folded_word = word.lower() if word.isascii() else fold_case(word)
    if not folded_word.endswith(_QUALIFIER_ENDS) and folded_word not in _QUALIFIER_WORDS:
        return "exact", None
    folded = fold_case(text_before)
    # the qualifier ends where the white space before the number starts, unless "a total of"
    # comes between: it starts at most _LONGEST_QUALIFIER characters before that (the search
    # goes on from there, not from every character of the text before)
    first = 0 if "total" in folded else len(folded.rstrip()) - _LONGEST_QUALIFIER
    qmatch = _QUALIFIER_RE.search(folded, max(0, first))
    if qmatch is None:
        return "exact", None
    qualifier_text = text_before[qmatch.start("q") : qmatch.end("q")]
    over = qualifier_text.lower() == "over"
    if over and _HAND_BEFORE_RE.search(text_before, 0, qmatch.start("q")):
        return "exact", None  # "will hand over 4 systems": a verb's particle, no qualifier
    return QUALIFIERS[qualifier_text.lower()], qualifier_text


def _currency(
    pre: str | None,
    precode: str | None,
    postcode: str | None,
    postword: str | None,
    postsym: str | None,
    won: str | None,
) -> str | None:
    """The currency the groups of a match of NUMBER_RE name by symbol, code or word."""
    if pre:
        return SYMBOLS[pre.upper()]
    if precode:
        return precode.upper()
    if postcode:
        return postcode.upper()
    if postword:
        return CURRENCY_WORDS[postword.lower()]
    if postsym:
        return "EUR" if postsym[-1] == "€" else "PLN"  # "900 M€", as French writes euros
    if won:  # "2.8 trillion won": after a scale word only ("won" is a verb too)
        return "KRW"
    return None


def _money_context(sentence: str, end: int) -> bool:
    """True when an abbreviated scale ("1.5bn") is followed by money words."""
    after = sentence[end : end + 30].lower()
    return not _LETTER_NEXT_RE.match(after) or _MONEY_WORD_NEXT_RE.match(after) is not None


def _conversion_after(
    sentence: str, folded: str, position: int, currency: str | None
) -> tuple[NumberPhrase, int] | None:
    """A money phrase converting the one of ``currency`` that ends at ``position``: bracketed
    ("($384m)"), or in another currency after a comma and a word of approximation (",
    roughly $610m,"); with its end offset (``folded``: ``fold_case(sentence)``)."""
    opener = _CONVERSION_RE.match(sentence, position)
    closer = _CONVERSION_CLOSE_RE
    if opener is None:
        if not sentence.startswith(",", position):
            return None
        opener = _COMMA_CONVERSION_RE.match(sentence, position)
        closer = _COMMA_CONVERSION_CLOSE_RE
        if opener is None:
            return None
    inner = _FOLDED_NUMBER_RE.match(folded, opener.end())
    if inner is None:
        return None
    phrase = _phrase_from_match(sentence, inner)
    if phrase is None or not phrase.is_money:
        return None
    if closer is _COMMA_CONVERSION_CLOSE_RE and phrase.currency == currency:
        return None  # "€5bn, about €2bn of it for drones": a part, not a conversion
    close = closer.match(sentence, inner.end())
    if close is None:
        return None
    end = close.end() if closer is _CONVERSION_CLOSE_RE else inner.end()
    return phrase, end


def resolve_local_currency(currency: str | None, country_code: str | None) -> str | None:
    """Turn the placeholder of crowns or pesos into the donor country's currency."""
    by_country = LOCAL_CURRENCIES.get(currency or "")
    if by_country is None:
        return currency
    return by_country.get(country_code or "", next(iter(by_country.values())))


_GROUP_SPACES = (" ", "\u00a0", "\u2009", "\u202f")


def _decimal_point(digits: str) -> str:
    """Digits as Decimal reads them: "1,5" (a decimal comma) → "1.5", "1,500" → "1500",
    "2 000" → "2000"."""
    if digits.isdigit():
        return digits
    for space in _GROUP_SPACES:
        digits = digits.replace(space, "")
    if "." in digits and digits.rfind(",") > digits.rfind("."):  # "1.000.000,50"
        return digits.replace(".", "").replace(",", ".")
    whole, comma, rest = digits.partition(",")
    if comma and len(rest) <= 2 and "," not in rest:
        return f"{whole}.{rest}"
    return digits.replace(",", "")
