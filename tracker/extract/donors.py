"""Who is named in a sentence: countries, organisations, groups, and the recipient's side."""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache
from typing import NamedTuple

import pycountry

from tracker import reference
from tracker.extract.actors import (
    AGENCIES,
    CAPITALS,
    DEMONYMS,
    NON_DONOR_CODES,
    RECEIVING_PEOPLES,
    RECEIVING_PLACES,
    RECEIVING_REGIONS,
    REGIONAL_GOVERNMENTS,
    RUSSIAN_NAMES,
    SHORT_NAMES,
    UKRAINIAN_NAMES,
    leader_code,
    leader_names,
    organisation_leader,
)
from tracker.extract.patterns import after_non_word, finditer_padded, pad, word_union


class Mention(NamedTuple):
    """A name in a sentence and what it stands for; offsets are relative to the sentence.

    A named tuple, as the extractor's other records read from a sentence: several are built
    for every sentence, and a tuple is built four times faster than a frozen dataclass.
    """

    start: int
    end: int
    text: str
    name: str  # display name of the country, organisation or group
    kind: str  # country, organisation, group, or place (a receiver only: "Gaza")
    code: str | None  # ISO 3166 alpha-2 for countries
    location: bool = False  # "in Rome", "the Rome conference": a place, not an actor

    @property
    def can_give(self) -> bool:
        """True when the mention may be a donor to the default recipient."""
        return not self.location and self.code not in NON_DONOR_CODES

    @property
    def can_give_passive(self) -> bool:
        """True when the mention may be a donor named after "by" or "from"."""
        return self.kind != "place" and self.code not in NON_DONOR_CODES

    @property
    def is_recipient_side(self) -> bool:
        """True for Ukraine, Kyiv, Ukrainian officials."""
        return self.code == "UA"


# What a surface form stands for: ("country", code), ("organisation", name),
# ("group", name), ("demonym", code), ("leader", surname).
_Target = tuple[str, str]

_GOVERNMENT_WORDS = re.compile(
    r"\s+(?:government|officials?|ministry|ministers?|minister|chancellor|prime|president|"
    r"defen[cs]e|foreign|finance|cabinet|parliament|authorities|leader|army|armed|military|"
    r"embassy|development|export|aid|agency|treasury|state|lawmakers|legislators|lower\s+house"
    r"|upper\s+house|budget|side)\b",
    re.IGNORECASE,
)
# (A name after "according to" is a source, no place: "According to Zelensky, Germany ...";
# one after "through" or "via" is a channel, no giver of the clause: "through the Qatar Fund
# for Development, and the United Arab Emirates pledged ...")
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|(?<![Aa]ccording\s)to|into|near|across|towards?|visit(?:ed|ing)? to|"
    r"visit(?:ed|ing)?|"
    r"against|over|on|inside|outside|around|from|[Ww]ith|through|via)\s+(?:the\s+)?)$"
)
# A stock exchange's name before its city ("Nordhavn Defence AB (Nasdaq Stockholm: NDEF B)"):
# the city is where the shares trade, no giver.
_EXCHANGES = ("Nasdaq ", "Euronext ")
_PLACE_AFTER_WORDS = (
    "gathering", "conference", "summit", "meeting", "talks", "format", "declaration", "process",
    "forum", "visit", "agreement", "region", "area",
)  # fmt: skip
_PLACE_AFTER = re.compile(rf"^\s*(?:{'|'.join(_PLACE_AFTER_WORDS)})\b")
# "in U.S. assistance": the name of the giver used as an adjective, not a place.
_GIVER_ADJECTIVES = ("humanitarian", "military", "security", "financial", "government")
_GIVER_NOUNS = ("assistance", "aid", "funding", "support", "funds")
_GIVER_AFTER = re.compile(
    rf"^\s+(?:(?:{'|'.join(_GIVER_ADJECTIVES)})\s+)?(?:{'|'.join(_GIVER_NOUNS)})\b"
)
_CURRENCY_AFTER = ("$", " dollar", " Dollar")
# Before an organisation, the words that make it the body that acts ("Foreign ministers
# meeting in the Council adopted ..."), no place.
_MEETING_IN = ("meeting in the ", "meeting in ", "meeting within the ")
# Before a capital, the words that make it its government's seat, no place it stands in.
_GOVERNMENT_IN = ("government in ", "Government in ", "authorities in ")
# After "with" and a name, a giving in progress: the name gives, it is no place ("with
# Germany providing a €50mn first-loss guarantee").
_WITH_GIVER_AFTER = re.compile(
    r"\s+(?:also\s+)?(?:providing|contributing|paying|adding|offering|giving|supplying|funding"
    r"|financing|guaranteeing)\b"
)
# After "the" and a demonym, a verb: the nation as the subject, its government ("The French
# have promised six jets", "the Dutch set aside €3.5bn", "The British said ...").
_PEOPLE_VERB_AFTER = re.compile(
    r"\s+(?:have|has|had|will|would|are|were|said|say|says|pledged|promised|announced|set"
    r"|gave|sent|agreed|also)\b"
)
_MADE_AFTER = re.compile(r"^-(?:made|built|produced|supplied|designed|donated)\b")
# The letters a word after a name must start with for _GIVER_AFTER or _PLACE_AFTER to match
# (cheap tests first: most names are followed by a verb).
_GIVER_AFTER_LETTERS = frozenset(word[0] for word in (*_GIVER_ADJECTIVES, *_GIVER_NOUNS))
_PLACE_AFTER_LETTERS = frozenset(word[0] for word in _PLACE_AFTER_WORDS)


@cache
def country_display_name(code: str) -> str:
    """The name the tracker shows for a country code (looked up once per code)."""
    aliases = reference.COUNTRY_ALIASES.get(code)
    if aliases:
        return aliases[0]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=1)
def _surface_forms() -> dict[str, _Target]:
    """Every surface form we recognise, built once."""
    forms: dict[str, _Target] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value:
                forms[value] = ("country", country.alpha_2)
    for code, aliases in reference.COUNTRY_ALIASES.items():
        for alias in aliases:
            forms[alias] = ("country", code)
    for code, names in CAPITALS.items():
        for name in names:
            forms[name] = ("country", code)
    for code, names in AGENCIES.items():
        for name in names:
            forms[name] = ("country", code)
    for code, names in SHORT_NAMES.items():
        for name in names:
            forms[name] = ("country", code)
    for region, names in REGIONAL_GOVERNMENTS.items():
        for name in names:
            forms[name] = ("organisation", region)
    receivers = (*RECEIVING_PLACES.items(), *RECEIVING_PEOPLES.items(), *RECEIVING_REGIONS.items())
    for place, names in receivers:
        for name in names:
            forms[name] = ("place", place)
    for name in UKRAINIAN_NAMES:
        forms[name] = ("country", "UA")
    for name in RUSSIAN_NAMES:
        forms[name] = ("country", "RU")
    for code, names in DEMONYMS.items():
        for name in names:
            if forms.get(name, ("",))[0] != "country":  # "New Zealand" names the country too
                forms[name] = ("demonym", code)
    for organisation in reference.ORGANISATIONS:
        for alias in (organisation.name, *organisation.aliases):
            forms[alias] = ("organisation", organisation.name)
    for group in reference.GROUPS:
        for alias in (group.name, *group.aliases):
            forms[alias] = ("group", group.name)
    for name in leader_names():
        forms[name] = ("leader", name)
    for form in list(forms):
        if form[0].islower():
            forms[form[0].upper() + form[1:]] = forms[form]
    return forms


# A name glued to the word before it, as scraped lists of news run a line's label into its
# text ("Ministry of Foreign AffairsNorway is providing ..."): a capital after a lower-case
# letter (the capital matched, the letter looked back at: capitals are rare, so the engine
# tries far fewer places than from every lower-case letter).
_GLUED_RE = re.compile(r"[A-Z](?<=[a-z][A-Z])")


@lru_cache(maxsize=1)
def _glued_name_re() -> re.Pattern[str]:
    """The capitalised surface forms, matched where a glued name may start."""
    forms = [form for form in _surface_forms() if form[0].isupper() and len(form) >= 4]
    return re.compile(word_union(forms) + r"(?![\w-])")


def _glued_spans(sentence: str) -> list[tuple[int, int]]:
    """Where names glued to the word before them stand in a sentence."""
    spans = []
    for glue in _GLUED_RE.finditer(sentence):
        match = _glued_name_re().match(sentence, glue.start())
        if match is not None:
            spans.append((match.start(), match.end()))
    return spans


@lru_cache(maxsize=1)
def _mention_re() -> re.Pattern[str]:
    """One regex matching every surface form not right after a letter, digit or hyphen (built
    as a trie, so it stays fast; run over ``pad(sentence)``, see ``after_non_word``)."""
    return after_non_word(word_union(_surface_forms()) + r"(?![\w-])", also_not_after="-")


class KnownNames(NamedTuple):
    """Donor names from outside the built-in lists (the aliases an admin adds in the
    database), read once per import: surface form → (kind, display name, ISO code)."""

    forms: dict[str, tuple[str, str, str | None]]
    regex: re.Pattern[str] | None


def known_names(forms: dict[str, tuple[str, str, str | None]]) -> KnownNames:
    """The names of ``forms`` the built-in lists do not know, with one regex finding them."""
    builtin = _surface_forms()
    extra = {form: target for form, target in forms.items() if form.strip() and form not in builtin}
    if not extra:
        return KnownNames({}, None)
    regex = after_non_word(word_union(extra) + r"(?![\w-])", also_not_after="-")
    return KnownNames(extra, regex)


def _known_mentions(sentence: str, names: KnownNames, taken: list[Mention]) -> list[Mention]:
    """The mentions of ``names`` in a sentence that overlap none of ``taken``."""
    found: list[Mention] = []
    if names.regex is None:
        return found
    for match in finditer_padded(names.regex, pad(sentence)):
        start, end = match.start(), match.end() - 1
        if any(m.start < end and start < m.end for m in taken):
            continue
        kind, name, code = names.forms[sentence[start:end]]
        location = bool(_PLACE_BEFORE.search(sentence[max(0, start - 25) : start]))
        found.append(Mention(start, end, sentence[start:end], name, kind, code, location))
    return found


def find_mentions(
    sentence: str, published: date | None, names: KnownNames | None = None
) -> list[Mention]:
    """Find the actors named in a sentence (and the database's own ``names``)."""
    forms = _surface_forms()
    mentions: list[Mention] = []
    spans = [
        (match.start(), match.end() - 1) for match in finditer_padded(_mention_re(), pad(sentence))
    ]
    if _GLUED_RE.search(sentence) is not None:
        spans = sorted(spans + _glued_spans(sentence))
    for start, end in spans:
        surface = sentence[start:end]
        what, key = forms[surface]
        before = sentence[max(0, start - 25) : start]
        after = sentence[end : end + 25]
        if after.startswith(_CURRENCY_AFTER):
            continue  # "3 million US dollars", "US$40 million": a currency's name, no actor
        if what == "demonym":
            if _MADE_AFTER.match(after) or not (
                _GOVERNMENT_WORDS.match(after)
                or (before.endswith(("the ", "The ")) and _PEOPLE_VERB_AFTER.match(after))
            ):
                continue
            what = "country"
        if what == "leader":
            code = leader_code(key, published)
            if code is not None:
                what, key = "country", code
            else:
                organisation = organisation_leader(key, published)
                if organisation is None:
                    continue
                what, key = "organisation", organisation
        first_after = after.lstrip()[:1]
        location = not (
            first_after in _GIVER_AFTER_LETTERS
            and after[:1].isspace()
            and _GIVER_AFTER.match(after)
        ) and (
            bool(
                _PLACE_BEFORE.search(before)
                or before.endswith(_EXCHANGES)
                or (first_after in _PLACE_AFTER_LETTERS and _PLACE_AFTER.match(after))
            )
            or _joined_to_place(mentions, sentence, start, end)
        )
        if location and before.endswith(("with ", "With ")) and _WITH_GIVER_AFTER.match(after):
            location = False  # "with Germany providing a guarantee": Germany gives
        elif location and what == "organisation" and before.endswith(_MEETING_IN):
            location = False  # "Foreign ministers meeting in the Council adopted ...": it acts
        elif location and what == "country" and before.endswith(_GOVERNMENT_IN):
            location = False  # "The government in Warsaw said ...": Poland's government acts
        if what == "group" and before.endswith("In the ") and _SCENE_RE.search(before):
            continue  # "In the Nordic countries, Denmark and Norway will ...": a scene
        if what == "country":
            mentions.append(
                Mention(start, end, surface, country_display_name(key), "country", key, location)
            )
        else:  # a place that receives is never an actor ("the Gaza conference", "to Gaza")
            mentions.append(
                Mention(start, end, surface, key, what, None, location or what == "place")
            )
    if names is not None and names.regex is not None:
        mentions = sorted(mentions + _known_mentions(sentence, names, mentions))
    if "ouncil" in sentence:
        mentions = sorted(mentions + _council_mentions(sentence, mentions))
    return mentions


# A town's or county's council, a donor under its own name ("Eastbridge Borough Council",
# "Marlshire County Council", "the City Council of Lviv" is no giver's name), also as the
# town's ("Rzeszów's city council": Rzeszów City Council).
_COUNCIL_KINDS = r"Borough|Town|City|County|District|Parish|Municipal|Regional"
_COUNCIL_RE = re.compile(
    rf"\b[A-Z][^\W\d_]+(?:-[A-Za-z]+)*\s+(?:{_COUNCIL_KINDS})\s+Council\b"
    rf"|\b(?P<town>[A-Z][^\W\d_]+(?:-[A-Za-z]+)*)['’]s\s+(?P<kind>{_COUNCIL_KINDS.lower()})"
    r"\s+council\b"
)


def _council_mentions(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """The councils a sentence names as actors, where no other name stands."""
    found = []
    for match in _COUNCIL_RE.finditer(sentence):
        start, end = match.span()
        if any(m.start < end and start < m.end for m in mentions):
            continue  # "Kyiv City Council": the name read already
        location = bool(_PLACE_BEFORE.search(sentence[max(0, start - 25) : start]))
        name = match.group()
        if match.group("town") is not None:
            name = f"{match.group('town')} {match.group('kind').title()} Council"
        found.append(Mention(start, end, match.group(), name, "organisation", None, location))
    return found


# A sentence opened by the region it tells of: "In the Nordic countries, ...".
_SCENE_RE = re.compile(r"(?:^|[.;:]\s)In the $")
_PLACE_JOINER_RE = re.compile(r"\s*(?:,|,?\s+(?P<and>and|or))\s+(?:the\s+)?")
# After a name joined to a place by a comma alone, a verb: the name is the subject ("At the
# meeting in London, Britain said ..."), not the place's country ("in Kyiv, Ukraine, on").
_VERB_AFTER_RE = re.compile(r" (?!and\b|or\b|nor\b)[a-z]")


def _joined_to_place(mentions: list[Mention], sentence: str, start: int, end: int) -> bool:
    """True when the name right before, joined by "and" or a comma, is a place: "the
    earthquakes in Türkiye and Syria" makes Syria a place too; not a name joined by a
    comma alone and followed by a word in lower case (a verb: "in London, Britain said")."""
    if not mentions or not mentions[-1].location:
        return False
    joiner = _PLACE_JOINER_RE.match(sentence, mentions[-1].end)
    if joiner is None or joiner.end() != start:
        return False
    return joiner.group("and") is not None or _VERB_AFTER_RE.match(sentence, end) is None


# Offices that several governments' own names translate to ("the Foreign Office": the
# British one and Germany's Auswärtiges Amt; "the Council of Ministers": the EU's and the
# cabinet of Spain, Italy or Poland), read as the one the article speaks of.
SHARED_OFFICE_NAMES = ("Foreign Office", "Council of Ministers")


def shared_office_as(mentions: list[Mention], principal: list[Mention]) -> list[Mention]:
    """``mentions`` with an office named as several governments name theirs ("The Foreign
    Office pledged ...") read as the country the article names most (``principal``: that
    donor, or none), when that is a country; else as they are."""
    if not principal or principal[0].kind != "country":
        return mentions
    country = principal[0]
    return [
        mention._replace(name=country.name, code=country.code)
        if mention.text.removeprefix("the ").removeprefix("The ") in SHARED_OFFICE_NAMES
        and mention.code != country.code
        else mention
        for mention in mentions
    ]


def brussels_as_belgium(mentions: list[Mention], previous: list[Mention]) -> list[Mention]:
    """``mentions`` with "Brussels" read as Belgium when the sentence before (``previous``,
    its mentions) names Belgium and not the European Union ("Belgium said it would not send
    F-16s before 2026. Brussels has promised 30."); else as they are."""
    names = {mention.name for mention in previous}
    if "Belgium" not in names or "European Union" in names:
        return mentions
    return [
        mention._replace(name="Belgium", kind="country", code="BE")
        if mention.text == "Brussels"
        else mention
        for mention in mentions
    ]
