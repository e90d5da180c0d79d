"""What is given: noun phrases matched to the catalogue, and the kind of support."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from tracker.extract.lexicon import GENERIC_SUM_ITEM, STAPLE_FOODS
from tracker.extract.patterns import (
    after_non_word,
    contains_any,
    first_letter_union,
    fold_case,
    pad,
)
from tracker.extract.vocabulary import ItemEntry, Vocabulary, normalise_item, reference_vocabulary


class ItemMatch(NamedTuple):
    """An item phrase and what the catalogue says about it.

    A named tuple, as the extractor's other records read from a sentence: several are built
    for every sentence, and a tuple is built four times faster than a frozen dataclass.
    """

    item: str  # catalogue name, or the article's words when they are more specific
    category: str | None
    unit: str | None
    kind: str


# Words that point to a catalogue entry when the article's phrase is not a catalogue name.
_ALIASES: dict[str, str] = {
    "air defense missiles": "air defence missiles", "interceptors": "air defence missiles",
    "interceptor missiles": "air defence missiles", "air defense systems": "air defence systems",
    "air defence system": "air defence systems", "air defense system": "air defence systems",
    "patriot": "air defence systems", "nasams": "air defence systems",
    "iris-t": "air defence systems", "samp/t": "air defence systems",
    "air defence": "air defence systems", "air defense": "air defence systems",
    "batteries": "air defence systems", "battery": "air defence systems",
    "interceptor drones": "interceptor drones", "drone": "drones", "uavs": "drones",
    "missile": "missiles", "rockets": "missiles", "atacms": "missiles",
    "storm shadow": "cruise missiles", "taurus": "cruise missiles", "scalp": "cruise missiles",
    "howitzer": "howitzers", "guns": "artillery pieces", "artillery systems": "artillery pieces",
    "himars": "multiple rocket launchers", "rocket launchers": "multiple rocket launchers",
    "tank": "tanks", "armored vehicles": "armoured vehicles", "vehicles": "armoured vehicles",
    "apcs": "armoured vehicles", "personnel carriers": "armoured vehicles",
    "fighting vehicles": "infantry fighting vehicles", "bradley": "infantry fighting vehicles",
    "shells": "artillery shells", "rounds": "ammunition", "munitions": "ammunition",
    "fighter jets": "fighter jets", "jets": "fighter jets", "f-16s": "fighter jets",
    "f-16": "fighter jets", "aircraft": "fighter jets", "helicopter": "helicopters",
    "weapons": "defensive weapons", "arms": "defensive weapons",
    "military assistance": "military aid", "military support": "military aid",
    "security assistance": "military aid", "weapons package": "military aid",
    "humanitarian assistance": "humanitarian aid", "humanitarian support": "humanitarian aid",
    "food assistance": "humanitarian aid", "food aid": "humanitarian aid",
    "loans": "loan", "credit": "loan", "grants": "grant", "guarantees": "loan guarantee",
    "budgetary support": "budget support", "financial support": "aid",
    "financial aid": "aid", "funding": "aid", "assistance": "aid", "support": "aid",
}  # fmt: skip


def _words_re(name: str, words: tuple[str, ...]) -> re.Pattern[str]:
    """A regex finding any of ``words`` (lower-case regex fragments) as whole words in
    ``pad(fold_case(text))``, grouped by first letter (see ``first_letter_union``): tried only
    where a word starts (``after_non_word``), not at every letter of the text."""
    return after_non_word(first_letter_union({name: [rf"{word}\b" for word in words]}, None))


# Words that name a kind of support, each regex over pad(fold_case(text)).
_MILITARY = (
    "weapons?", "arms", "military", "defen[cs]e", "missiles?", "drones?", "tanks?", "ammunition",
    "munitions", "shells?", "artillery", "howitzers?", "rockets?", "jets?", "aircraft",
    "air[- ]defen[cs]e", "radars?", "vehicles?", "rifles?", "guns?", "mortars?", "boats?",
    "ships?", "helicopters?", "launchers?", "interceptors?", "troops", "soldiers",
    "security assistance", "armou?red", "patriots?", "navy", "naval", "maritime", "drawdown",
    "unmanned", r"spare\s+parts",
)  # fmt: skip
_MILITARY_WORDS = _words_re("military", _MILITARY)
# Words that make the homes after them shelter given: "container homes", "mobile homes".
SHELTER_LEADS = ("container", "mobile", "prefabricated", "modular")
_HUMANITARIAN = (
    "humanitarian", "food", "medical", "medicine", "medicines", "refugees?", "shelter",
    "winteri[sz]ation", "generators?", "ambulances?", "de-?mining",
    r"clear(?:ing|ance)?\s+(?:of\s+)?(?:land\s*)?mines", r"mine\s+clearance", "hospitals?",
    "blankets?", "tents?", r"hygiene\s+kits?", r"water\s+purifiers?",
    *(rf"{lead}\s+(?:homes|houses)" for lead in SHELTER_LEADS),
)  # fmt: skip
_HUMANITARIAN_WORDS = _words_re("humanitarian", _HUMANITARIAN)
_RECONSTRUCTION = (
    "reconstruction", "rebuild(?:ing)?", "recovery", "repairs?", "restor(?:e|ing|ation)",
    r"energy\s+(?:infrastructure|projects?|sector|grid|facilities|security|system)",
    "infrastructure", r"power\s+(?:grid|plants?)", "housing", r"energy\s+(?:assistance|aid)",
)  # fmt: skip
_RECONSTRUCTION_WORDS = _words_re("reconstruction", _RECONSTRUCTION)
# Any of them: a first test of whether a text suggests a kind at all.
_KIND_WORDS = _words_re("kind", (*_HUMANITARIAN, *_RECONSTRUCTION, *_MILITARY))
_LOAN_RE = _words_re(
    "loan", ("loan guarantees?", "guarantees?", "loans?", "credit lines?", "repaid", "repayable")
)
# One of these is in every text _LOAN_RE matches (and "budget", "energy", "grant" in every
# text the regexes of those words match): cheap tests before the regexes.
_LOAN_KEYS = ("loan", "guarantee", "credit", "repa")
_BUDGET_RE = _words_re("budget", ("budget(?:ary)? support",))
_GRANT_RE = _words_re("grant", ("grants?",))
_ENERGY_RE = _words_re("energy", ("energy",))
_NON_ITEMS = frozenset(
    [
        "people",
        "person",
        "persons",
        "deaths",
        "dead",
        "killed",
        "injured",
        "wounded",
        "civilians",
        "children",
        "years",
        "year",
        "yrs",
        "yr",
        "months",
        "month",
        "weeks",
        "week",
        "days",
        "day",
        "hours",
        "hour",
        "minutes",
        "times",
        "percent",
        "per",
        "cent",
        "countries",
        "nations",
        "crises",
        "emergencies",
        "regions",
        "delegations",
        "organisations",
        "organizations",
        "businesses",
        "companies",
        "leaders",
        "members",
        "officials",
        "governments",
        "ministers",
        "ministries",
        "partners",
        "allies",
        # parts of a sum counted ("the last of three instalments"): no things
        "instalments",
        "installments",
        "tranches",
        "payments",
        "kilometres",
        "kilometers",
        "km",
        "miles",
        "metres",
        "meters",
        "points",
        "votes",
        "seats",
        "times",
        "votes",
        "residents",
        "attacks",
        "strikes",
        "casualties",
        "victims",
        "prisoners",
        "captives",
        "homes",
        "buildings",
        "bases",
        "cities",
        "towns",
        "villages",
        "regions",
        "of",
        "package",
        "packages",
        "tranche",
        "tranches",
        "palestinians",
        "ukrainians",
        "afghans",
        "syrians",
        "sudanese",
        "refugees",
        "families",
        "households",
        # places offered to people: "95,000 resettlement places", "500 places a year"
        "places",
        "convoys",
        "flights",
        # people trained or sent: "training for 10,000 recruits"
        "recruits",
        "trainees",
        "troops",
        "soldiers",
        "personnel",
        "operators",
        "instructors",
        "pilots",
        "specialists",
        "experts",
        "advisers",
        "advisors",
        "officers",
        "firefighters",
        "rescuers",
        "doctors",
        "nurses",
        "volunteers",
        "peacekeepers",
        "observers",
        # the firms that make or sell it: "two transformer makers in Bergen"
        "makers",
        "manufacturers",
        "companies",
        "firms",
        "producers",
        "suppliers",
    ]
)
# Words that make the points after them places set up and given ("25 heating points", "water
# points"), no percentage points.
_POINT_LEADS = ("heating", "warming", "charging", "water")
# Measures and means of what was moved, not what was given: "130 tonnes of shelter
# supplies", "2 convoys transporting ...".
_MEASURED_LEADS = frozenset(
    ["tonnes", "tons", "metric", "kilograms", "kg", "litres", "liters", "convoys", "flights"]
)


# Staple foods given by weight: "will donate 1,000 tonnes of rice" is an in-kind gift whose
# only measure is its weight (what was moved, "130 tonnes of shelter supplies", is none).
_STAPLES = frozenset(STAPLE_FOODS)


def _staple_in_tonnes(words: str, parts: list[str]) -> ItemMatch | None:
    """ "tonnes of rice" as an item counted in tonnes; None for any other measure."""
    if parts[0] not in ("tonnes", "tons") or len(parts) != 3 or parts[1] != "of":
        return None
    if parts[2] not in _STAPLES:
        return None
    return ItemMatch(words.strip(), None, parts[0], "humanitarian")


def match_item(words: str, vocabulary: Vocabulary | None = None) -> ItemMatch | None:
    """Match an item phrase to the catalogue of ``vocabulary`` (the reference data's when
    None); None when it is not something given."""
    return _match_item(words, vocabulary or reference_vocabulary())


@lru_cache(maxsize=4096)
def _match_item(words: str, vocabulary: Vocabulary) -> ItemMatch | None:
    """``match_item``, cached: the same few phrases recur across articles, so each is
    matched once per vocabulary."""
    normal = normalise_item(words)
    parts = normal.split()
    if not parts:
        return None
    if parts[0] in _MEASURED_LEADS:
        return _staple_in_tonnes(words, parts)
    if parts[-1] in _NON_ITEMS and not (
        len(parts) > 1 and (parts[-2] in SHELTER_LEADS or parts[-2] in _POINT_LEADS)
    ):
        return None  # ("20 container homes": shelter that is given; "25 heating points")
    if parts[0] in _NON_ITEMS and parts[0] != "of":
        return None  # "1.2 million people experiencing food insecurity"
    entry = _entry(normal, vocabulary)
    if entry is not None:  # named by the catalogue's words, or by an alias: kept as written
        named = entry.name if normal in vocabulary.items or normal in _ALIASES else words.strip()
        return _from_entry(named, entry)
    tokens = normal.split()
    for size in range(len(tokens) - 1, 0, -1):
        entry = _entry(" ".join(tokens[-size:]), vocabulary)
        if entry is not None:
            return _from_entry(words.strip(), entry)
    for token in tokens:
        entry = vocabulary.items.get(_ALIASES.get(token, ""))
        if entry is not None and entry.unit is not None:
            return _from_entry(words.strip(), entry)
    return ItemMatch(words.strip(), None, _guess_unit(tokens[-1]), guess_kind(normal, "military"))


def _entry(normal: str, vocabulary: Vocabulary) -> ItemEntry | None:
    """The catalogue item a normalised phrase names: by name, by the extractor's own words
    for it (``_ALIASES``), or by an alias of the vocabulary."""
    items = vocabulary.items
    return (
        items.get(normal)
        or items.get(_ALIASES.get(normal, ""))
        or items.get(vocabulary.item_aliases.get(normal, ""))
    )


def _from_entry(item: str, entry: ItemEntry) -> ItemMatch:
    """An ItemMatch for a catalogue entry, keeping the article's words as the item."""
    return ItemMatch(item, entry.category, entry.unit, entry.kind)


def _guess_unit(head: str) -> str:
    """The singular of a plural head noun ("generators" → "generator")."""
    if head.endswith("ies") and len(head) > 4:
        return head[:-3] + "y"
    if head.endswith(("shes", "ches", "xes", "sses")):
        return head[:-2]
    if head.endswith("s") and not head.endswith("ss"):
        return head[:-1]
    return head


def guess_kind(text: str, default: str) -> str:
    """The kind of support the words suggest."""
    folded = pad(fold_case(text))
    if _HUMANITARIAN_WORDS.search(folded):
        return "humanitarian"
    if _RECONSTRUCTION_WORDS.search(folded):
        return "reconstruction"
    if _MILITARY_WORDS.search(folded):
        return "military"
    return default


def suggests_a_kind(text: str) -> bool:
    """True when ``guess_kind`` of ``text`` is a kind, not its default."""
    return _KIND_WORDS.search(pad(fold_case(text))) is not None


def money_item(context: str, default_kind: str = "financial") -> ItemMatch:
    """The item and kind of a sum of money, read from the words around it."""
    folded = pad(fold_case(context))
    loan = _LOAN_RE.search(folded) if contains_any(folded, _LOAN_KEYS) else None
    if loan is not None:
        name = "loan guarantee" if "guarantee" in loan.group(0).lower() else "loan"
        return ItemMatch(
            name, "guarantee" if name == "loan guarantee" else "loan", None, "financial"
        )
    if "budget" in folded and _BUDGET_RE.search(folded):
        return ItemMatch("budget support", "budget support", None, "financial")
    if _HUMANITARIAN_WORDS.search(folded):
        return ItemMatch("humanitarian aid", "humanitarian", None, "humanitarian")
    if _MILITARY_WORDS.search(folded):
        return ItemMatch("military aid", "other military", None, "military")
    if _RECONSTRUCTION_WORDS.search(folded):
        if "energy" in folded and _ENERGY_RE.search(folded):
            return ItemMatch("energy infrastructure", "reconstruction", None, "reconstruction")
        return ItemMatch("reconstruction aid", "reconstruction", None, "reconstruction")
    if "grant" in folded and _GRANT_RE.search(folded):
        return ItemMatch("grant", "grant", None, "financial")
    return ItemMatch(GENERIC_SUM_ITEM, "grant", None, default_kind)
