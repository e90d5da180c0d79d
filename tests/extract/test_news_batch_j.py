"""The wordings of the five news articles A0-A4 (a television bulletin's transcript with
anchors paraphrasing ministers and figures spoken in words; a think tank's table of
commitments and allocations, with shares of GDP and sums per head beside new pledges; a
regional paper's convoy of fire engines, ambulances, buses and generators given by a region,
cities, companies and charities, with the national government's matching sum; a Nairobi
paper on drought appeals for Somalia and Ethiopia in dollars, pounds, euros and shillings; a
German press review in English translation, with "Mio.", "Mrd.", "rund" and decimal commas),
and the sums of givers named only as a kind ("International donors pledged $2bn", "Allies
have promised ...", "G7 countries will provide ..."), each rule tried on several phrasings,
and the five articles' score held.

Judgement calls of their gold (``news/gold.json``): a package's total said in the anchor's
lead and its two parts said by the correspondent are three records; a sum "put at" in the
sentence after a count of drones ordered is that count's price, one record; a loan "Britain's
guarantee would cover part of" records the guarantee without a figure, as article 99 does; a
correction's wrong figure and a country's total "since the invasion" are no pledges; a think
tank's table of commitments and allocations since 2022, shares of GDP, sums per head, a
month's total of "European donors", the unallocated share and what large economies "would
commit" are no pledges, while each bullet of new commitments is one, and a package that
"includes" three things without figures records each; a region, a city, a town, a company and
a charity give under their own names, a vehicle without a number ("a minibus") has no
quantity, a collection of blankets "hoped" to fill lorries and a town "collecting money" for a
bus pledge nothing, and the national government's matching "up to PLN 5 million" is a pledge;
what a government spends at home ("Kenya's own government said it would release KES 2
billion ... in the 23 arid counties") is no pledge, as article 95's is not, while a company's
foundation giving to the Red Cross is one, and so is a pledge "made at a similar event in
February"; a state development bank signing a grant for its ministry is its country ("KfW"),
as are the federal government ("the Bund") and an agency (THW) beside a charity (the German
Red Cross, both named for its generators and blankets); a budget line for the next year is a
pledge (as in article 77), this year's figure beside it and what was spent last year are not.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.extract.test_dev_corpus import assert_score_holds
from tests.extract.test_news_articles import NEWS
from tracker.extract import extract
from tracker.extract.lexicon import UNNAMED_GIVERS
from tracker.reference import GROUPS

ON = date(2026, 12, 8)
# The five articles A0-A4 (before the rules they brought: precision 0.58, recall 0.37, 23 of
# 40 extracted, of 63 gold pledges).
FIRST, LAST = "A0", "A4~"
PRECISION_BASELINE = 0.64
RECALL_BASELINE = 0.36
MILLIONS = st.integers(min_value=2, max_value=900)
DONORS = {"Germany": "Germany", "Britain": "United Kingdom", "Norway": "Norway",
          "Japan": "Japan", "The Netherlands": "Netherlands", "Canada": "Canada"}  # fmt: skip


def _pledged(text: str) -> list[tuple[str, Decimal | None, str | None]]:
    """(donor, quantity or amount, currency) of each pledge the text states."""
    return [
        (p.donor, p.quantity if p.quantity is not None else p.amount, p.currency)
        for p in extract(text, ON).pledges
    ]


def test_the_five_articles_a0_to_a4_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


def test_every_unnamed_giver_is_a_reference_group() -> None:
    assert set(UNNAMED_GIVERS) <= {group.name for group in GROUPS}


COLLECTIVES = [
    "International donors", "Donors", "Allies", "Western allies", "Western partners",
    "International partners", "Ukraine's allies", "European donors", "G7 countries",
    "The G7", "Donors at the conference", "European allies",
]  # fmt: skip
COLLECTIVE_VERBS = ["pledged", "have promised", "will provide", "committed", "together pledged"]


COLLECTIVE_SUMS = st.builds(
    "{} {} {}{}{} {}".format,
    st.sampled_from(COLLECTIVES),
    st.sampled_from(COLLECTIVE_VERBS),
    st.sampled_from(["$", "€", "£"]),
    MILLIONS,
    st.sampled_from(["bn", " billion", "m", " million"]),
    st.sampled_from(["in military aid", "for Ukraine's reconstruction", "for Sudan", ""]),
)


@settings(deadline=None)
@given(sentence=COLLECTIVE_SUMS)
def test_a_sum_given_by_givers_named_only_as_a_kind_is_no_pledge(sentence: str) -> None:
    """ "International donors pledged $2bn", "Allies have promised ...", "G7 countries will
    provide ...": the sum of others' promises, no giver of its own."""
    text = sentence.rstrip() + "."
    assert extract(text, ON).pledges == ()


@settings(deadline=None)
@given(
    who=st.sampled_from(COLLECTIVES),
    donor=st.sampled_from(sorted(DONORS)),
    n=MILLIONS,
    own=MILLIONS,
)
def test_a_named_donor_beside_a_collective_keeps_its_pledge(
    who: str, donor: str, n: int, own: int
) -> None:
    text = f"{who} pledged ${n}bn for Ukraine on Monday. {donor} pledged ${own}m for drones."
    assert _pledged(text) == [(DONORS[donor], Decimal(own * 10**6), "USD")]


NAMED_BODIES = {
    "The European Union": "European Union", "The EU": "European Union",
    "The World Bank": "World Bank", "The European Investment Bank": "European Investment Bank",
    "The IMF": "International Monetary Fund",
}  # fmt: skip


@settings(deadline=None)
@given(body=st.sampled_from(sorted(NAMED_BODIES)), n=MILLIONS, verb=st.sampled_from(
    ["pledged", "will provide", "approved", "committed"]))  # fmt: skip
def test_named_bodies_keep_their_pledges(body: str, n: int, verb: str) -> None:
    text = f"{body} {verb} €{n} million for Ukraine's energy grid."
    assert _pledged(text) == [(NAMED_BODIES[body], Decimal(n * 10**6), "EUR")]


@settings(deadline=None)
@given(n=st.integers(min_value=2, max_value=90), verb=st.sampled_from(["pledged", "promised"]))
def test_a_conference_s_participants_keep_their_aggregate(n: int, verb: str) -> None:
    """ "participants had already pledged over 10 billion euros": the conference's aggregate,
    kept apart from the members' own pledges."""
    text = f"Meloni said participants had already {verb} over {n} billion euros to help Ukraine."
    assert [(p.donor, p.amount) for p in extract(text, ON).pledges] == [
        ("Conference participants", Decimal(n * 10**9))
    ]
