"""The extractor's words, as plain lists: a reader adds a word here without reading the
engine. The matchers in ``triggers`` are built from these lists (every inflection is derived
by ``inflections``), and ``tests/extract/test_lexicon.py`` proves every listed form is found.
"""

from __future__ import annotations

# Verbs of giving, by lemma.
GIVING_VERBS = (
    "pledge", "promise", "supply", "provide", "send", "give", "commit", "allocate", "donate",
    "deliver", "fund", "finance", "transfer", "earmark", "contribute", "offer", "ship",
    "disburse", "lend", "approve", "announce", "unveil", "grant", "release", "sign", "confirm",
    "authorize", "authorise", "propose", "pay",
)  # fmt: skip
# Verbs that give only when Ukraine benefits: "spend £350m on drones for Ukraine".
BENEFIT_VERBS = ("spend", "invest", "buy", "purchase", "procure")
# Verbs of receiving: the donor is named after them ("Ukraine received 5 tanks from ...").
RECEIVE_VERBS = ("receive", "get")

# Forms that are not derived by the rules of ``inflections``, by lemma (all its forms).
IRREGULAR_FORMS: dict[str, tuple[str, ...]] = {
    "send": ("send", "sends", "sending", "sent"),
    "give": ("give", "gives", "giving", "gave", "given"),
    "lend": ("lend", "lends", "lending", "lent"),
    "pay": ("pays", "paying", "paid"),  # "pay" alone: "pay tribute", "pay a visit"
    "spend": ("spend", "spends", "spending", "spent"),
    "buy": ("buy", "buys", "buying", "bought"),
    "get": ("get", "gets", "getting", "got"),
    "fund": ("fund", "funds", "funded"),  # "funding" is the noun
    "finance": ("finance", "finances", "financed"),  # "financing" is the noun
}
# Lemmas whose last consonant doubles before -ed and -ing ("committed", "shipping").
DOUBLING = frozenset(("commit", "transfer", "ship"))


def inflections(lemma: str) -> tuple[str, ...]:
    """A verb's forms: base, third person, past, present participle ("supply" → "supply",
    "supplies", "supplied", "supplying"); irregular verbs as ``IRREGULAR_FORMS`` lists them."""
    if lemma in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[lemma]
    if lemma in DOUBLING:
        return (lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing")
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


def forms_of(lemmas: tuple[str, ...]) -> tuple[str, ...]:
    """Every form of every lemma, in the order listed."""
    return tuple(form for lemma in lemmas for form in inflections(lemma))
