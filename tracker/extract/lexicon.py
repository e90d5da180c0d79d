"""The extractor's words, as plain lists: a reader adds a word here without reading the
engine. The matchers in ``triggers`` are built from these lists (every inflection is derived
by ``inflections``), and ``tests/extract/test_lexicon.py`` proves every listed form is found.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

# Verbs of giving, by lemma.
GIVING_VERBS = (
    "pledge", "promise", "supply", "provide", "send", "give", "commit", "allocate", "donate",
    "deliver", "fund", "finance", "transfer", "earmark", "contribute", "offer", "ship",
    "disburse", "lend", "approve", "announce", "unveil", "grant", "release", "sign", "confirm",
    "reconfirm",
    "authorize", "authorise", "propose", "pay", "resume", "mobilize", "mobilise", "appropriate",
    "put forward", "match",
)  # fmt: skip
# Names of weapon families a number follows as part of the model's name ("Leopard 2 tanks",
# "Challenger 2 tanks", "Aster 30 missiles", "Mirage 2000 jets"): that number counts
# nothing. As written (capitalised).
MODEL_FAMILIES = ("Leopard", "Challenger", "Aster", "Mirage", "LAV", "RBS")
# Verbs that give only when Ukraine benefits: "spend £350m on drones for Ukraine".
BENEFIT_VERBS = ("spend", "invest", "buy", "purchase", "procure", "order", "award")
# Verbs of receiving: the donor is named after them ("Ukraine received 5 tanks from ...").
RECEIVE_VERBS = ("receive", "get")

# Hedges and conditions between a donor and its verb of giving: the giving is only possible,
# wished, discussed or asked for ("Germany could send", "Paris is ready to give"). Matched
# case-sensitively as whole words: verbs in all their forms, words and phrases as written.
# A package being prepared is not announced ("is preparing a new package worth $1bn"), while
# "is preparing to contribute" is an official's way of pledging.
HEDGE_VERBS = (
    "consider", "weigh", "discuss", "urge", "ask", "press", "want", "hope", "seek", "demand",
    "plead", "appeal", "request", "need", "call on", "look at", "study", "explore",
    "assess",
)  # fmt: skip
HEDGE_WORDS = (
    "could", "might", "should", "may", "if", "unless", "whether", "possible", "possibly",
    "potential", "potentially", "expected to", "would like", "talk on", "talks on",
    "talk about", "talks about", "ready to", "willing to", "prepared to", "open to",
    "would have", "preparing a", "preparing an", "prepares a", "prepares an",
    # an aim is no promise ("said the aim was to finance $1bn of weapons a month")
    "aim to", "aims to", "aimed to", "the aim is to", "the aim was to", "the goal is to",
    "the goal was to", "the target is to", "the target was to",
)  # fmt: skip
# A conditional mood between a donor and its verb ("the US would send") in a sentence that
# states a condition anywhere ("If Congress approves, ...", "... unless talks fail"): a
# hypothetical giving, not a pledge. Whole words, in any case.
CONDITIONAL_WORDS = ("would",)
CONDITION_WORDS = ("if", "unless", "provided that", "on condition that")
# Negations and denials, before the donor (in its clause) or between it and the verb ("does
# not plan to send", "Hungary refused to back"), in any case. Words and phrases as written;
# a stem stands for every word it starts ("refus": refused, refusing); a suffix is found at
# the end of a word ("won't"); verbs in all their forms.
NEGATION_WORDS = (
    "not", "no", "never", "neither", "nor", "without", "has yet to", "have yet to",
    "had yet to", "bars", "barred", "banned", "cannot",
    # a promise parked ("put on hold a €40m package", "froze NOK 500m of its contribution")
    "on hold", "froze",
)  # fmt: skip
NEGATION_STEMS = (
    "refus", "declin", "reject", "halt", "paus", "suspend", "cancel", "block", "stop",
    "withdraw", "withdrew", "veto", "prohibit", "forbid", "forbad",
)  # fmt: skip
NEGATION_SUFFIXES = ("n't",)
NEGATION_VERBS = ("deny", "rule out")
# Verbs of going on, between a donor and a verb of giving with no number: the giving goes on,
# nothing new is promised ("will continue to provide food assistance").
CONTINUING_VERBS = ("continue", "keep on")
# Asking: (verb, how many words may stand between, what follows). The verb's forms are
# derived; "<giving>" stands for any of ASKED_GIVING ("urged allies to send").
REQUEST_PHRASES: tuple[tuple[str, int, str], ...] = (
    ("ask", 3, "for"),
    ("call", 0, "for"),
    ("call on", 3, "to <giving>"),
    ("plead", 0, "for"),
    ("appeal", 3, "for"),
    ("request", 0, ""),
    ("urge", 4, "to <giving>"),
)
ASKED_GIVING = ("provide", "send", "supply", "deliver", "give")
# Statements of need and priority, as written ("the focus was on air defence").
REQUEST_STATEMENTS = (
    "the focus was on", "the focus is on", "the focus would be on", "the focus will be on",
    *(f"{noun} {verb}" for noun in ("priority", "priorities")
      for verb in ("was", "were", "is", "are", "remains", "remain")),
)  # fmt: skip
# Who needs ("Ukraine urgently needs ...": a request), the adverbs allowed before the verb.
NEEDERS = ("Ukraine", "Kyiv", "We", "we", "it", "country")
NEED_ADVERBS = ("still", "urgently", "badly", "also")
NEED_FORMS = ("needs", "needed", "need")

# Revisions of an earlier promise: a verb that changes a figure ("raised", "cut", "topped up")
# followed, within a few words, by a noun naming the promise ("its pledge", "the package").
REVISION_VERBS = (
    "raise", "increase", "boost", "double", "triple", "lift", "up", "top up", "expand", "cut",
    "reduce", "lower", "trim", "scale back", "scale down", "revise",
)  # fmt: skip
# The verbs among them that lower the figure ("cut its pledge by €100m to €400m").
REVISION_DOWN = ("cut", "reduce", "lower", "trim", "scale back", "scale down")
PROMISE_NOUNS = (
    "pledge", "pledges", "package", "packages", "contribution", "contributions", "commitment",
    "commitments", "support", "aid", "assistance", "funding", "promise", "offer", "donation",
    "allocation", "grant", "loan", "programme", "programmes", "program", "programs",
)  # fmt: skip
# A revision of a count names what is counted between its verb and its figures: "raised the
# number of tanks it will send to 14", "increased its pledge of missiles to 500", "doubled its
# promised howitzers from 6 to 12" (a lead, then the items), or "raised its drone pledge".
COUNT_LEADS = (
    "number of", "total number of", "count of",
    *(f"{noun} of" for noun in PROMISE_NOUNS if not noun.endswith("s")),
)  # fmt: skip
PROMISED_WORDS = ("promised", "pledged")
# Words before a figure that name it: the new figure ("to"), the old one ("from", "up from"),
# or the amount added ("by", "an additional").
REVISED_TO = ("to", "bringing its total to", "bringing the total to", "a total of")
REVISED_FROM = ("from", "up from", "down from")
REVISED_BY = ("by", "an additional", "additional", "a further", "further", "another", "extra")
# Words that make a figure stated again for the same donor a new pledge of the same size
# ("two further tranches worth €1.5 billion each", "will again give €100m"), not a restatement.
REPEATED_SIZE_WORDS = ("each", "apiece", "again", "further", "another", "additional", "extra")
# Words with which a speaker takes back the sum just said for the one that follows ("40
# million euros - sorry, I should say 400 million euros").
TAKEN_BACK_WORDS = ("sorry", "i mean", "or rather", "i should say", "correction")
# Words after counted vehicles that make them the means aid travels by, not things given
# ("two navy ships carrying 450 tonnes of food", "three aircraft loaded with tents").
CARRYING_WORDS = ("carrying", "loaded with", "laden with", "transporting", "ferrying")
# Staple foods given by weight: "will donate 1,000 tonnes of rice" counts the gift in tonnes.
STAPLE_FOODS = ("rice", "wheat", "flour", "grain", "maize", "corn", "sorghum", "beans")

# Forms that are not derived by the rules of ``inflections``, by lemma (all its forms).
IRREGULAR_FORMS: dict[str, tuple[str, ...]] = {
    "send": ("send", "sends", "sending", "sent"),
    "give": ("give", "gives", "giving", "gave", "given"),
    "lend": ("lend", "lends", "lending", "lent"),
    "pay": ("pay for", "pays", "paying", "paid"),  # "pay" alone: "pay tribute", "pay a visit"
    "spend": ("spend", "spends", "spending", "spent"),
    "buy": ("buy", "buys", "buying", "bought"),
    "get": ("get", "gets", "getting", "got"),
    "fund": ("fund", "funds", "funded"),  # "funding" is the noun
    "finance": ("finance", "finances", "financed"),  # "financing" is the noun
    "seek": ("seek", "seeks", "seeking", "sought"),
    "want": ("want", "wants", "wanted"),
    "need": ("need", "needs", "needed"),
    "plead": ("plead", "pleads", "pleaded", "pleading", "pled"),
    "up": ("ups", "upped", "upping"),  # "up" alone: "up to", "up from"
    "cut": ("cut", "cuts", "cutting"),
    "put forward": ("put forward", "puts forward", "putting forward"),  # "put" alone: no gift
}
# Lemmas whose last consonant doubles before -ed and -ing ("committed", "shipping").
DOUBLING = frozenset(("commit", "transfer", "ship", "top", "trim"))


def inflections(lemma: str) -> tuple[str, ...]:
    """A verb's forms: base, third person, past, present participle ("supply" → "supply",
    "supplies", "supplied", "supplying"); irregular verbs as ``IRREGULAR_FORMS`` lists them."""
    if lemma in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[lemma]
    if " " in lemma:  # a phrasal verb: its first word inflected ("call on" → "called on")
        verb, _, rest = lemma.partition(" ")
        return tuple(f"{form} {rest}" for form in inflections(verb))
    if lemma in DOUBLING:
        return (lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing")
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


def forms_of(lemmas: tuple[str, ...]) -> tuple[str, ...]:
    """Every form of every lemma, in the order listed."""
    return tuple(form for lemma in lemmas for form in inflections(lemma))


def phrase_union(phrases: Iterable[str]) -> str:
    """A regex alternation of words and phrases, in the order given (a space in a phrase
    stands for any run of spaces)."""
    return "|".join(phrase_fragments(phrases))


def phrase_fragments(phrases: Iterable[str]) -> list[str]:
    """Each of the words and phrases as a regex fragment, in the order given (a space in a
    phrase stands for any run of spaces)."""
    return [r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases]


def common_stem(forms: Iterable[str]) -> str:
    """The letters every one of ``forms`` starts with ("ask", "asks", "asked" → "ask")."""
    return os.path.commonprefix(list(forms))


# The item of a sum whose words do not say what it is for ("$500 million", "a package")
GENERIC_SUM_ITEM = "aid"
