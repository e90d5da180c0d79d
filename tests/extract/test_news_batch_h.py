"""The wordings of the five news articles 90-94 (a Finnish regional paper's story of a
package of vehicles built in town, beside its neighbours' pledges in euros and kroner; a wire
story of a Gaza pledging round with donors and sums in a run after semicolons, grants and
loans; a Commons question time with questions, answers and a written-style exchange; a
Manila report of typhoon aid in yen, won, A$, NZ$, yuan and tonnes of rice; a radio
transcript with timestamps, a speaker taking a figure back and a correction of an earlier
bulletin), each rule tried on several phrasings, and the five articles' score held.

Judgement calls of their gold (``news/gold.json``): the lead's "Twenty armoured personnel
carriers ... will go to Ukraine" is the package's part, "Besides the 20 Patria AMV vehicles"
restates it; each thing a package "contains" is a record, with no quantity where none is
given; vehicles "ordered" to replace the donated ones are for the donor's own forces; "could
prepare another package of up to 100 million euros" if a budget passes is a hypothetical; "30
drone detection systems, costing about 150,000 euros apiece" is a count whose unit price is
no pledge; a pledging round's total, the need estimated, the sum an agency "has received"
of its appeal and what donors pledged at a conference in 2014 are no pledges; "of which
half would be soft loans" names no figure of its own; "€1.2bn, of which €500m are grants and
€700m loans from the European Investment Bank" is the European Union's, total and parts; a
minister's "This year the Government are providing £4.5 billion" and "we will keep to at
least £3 billion a year" are pledges, a member's question ("will he commit today to another
£500 million ...?") none; a loan's instalment "paid in October" and guns "handed over" are
deliveries; "his Government promised 100,000 rounds ... in 2023" is a pledge reported as
made earlier; "£350 million for air defence, which will pay for 12 Raven launchers and 3,000
interceptor drones" is a sum and its two counted parts (three records); a purchase "together
with Norway" for Ukraine is one joint record; a recipient government's release of its own
disaster fund is no donor's pledge, a flash appeal a request, family food packs
"distributed" a delivery; "will donate 1,000 tonnes of rice" and "had offered 500 tonnes" are
pledges counted in tonnes (an in-kind gift has no other measure), "20 tonnes of hygiene
supplies" flown beside counted shelter kits none; a minister's "Last week I announced" in a
transcript gives for the government the article names most; a speaker's "40 million euros - sorry, I
should say 400 million euros" gives the second figure only; what "we said" in a correction
of an earlier bulletin was never pledged, and the corrected figure is recorded; "had
already given Sudan more than 270 million euros this year" is a running total.

First pass (before the rules below), by ``score_corpus(NEWS, first="90", last="94~")``:
32 of 38 extracted matched, of 51 gold pledges (precision 0.84, recall 0.63); after: 44 of
45, of 51 (0.98, 0.86). Still read otherwise: the lead's "Twenty armoured personnel carriers
... will go to Ukraine as part of Finland's 31st package" and "winter clothing" in a list;
"donors pledged $5.4 billion" at a conference in 2014 (a group's sum); "We have extended the
operation ... and set aside £265 million" (the verb too far from "We"); "An RAAF C-130 will
fly 1,500 shelter kits"; "Vietnam had offered 500 tonnes as well"; "the 3.5 billion euros
the Dutch set aside"; a corrected figure told alone ("The figure was 500 million kronor.").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tests.extract.readings import Readings
from tests.extract.test_dev_corpus import assert_score_holds
from tests.extract.test_news_articles import NEWS
from tracker.extract import extract

ON = date(2026, 12, 7)
read = Readings(ON)
FIRST, LAST = "90", "94~"
PRECISION_BASELINE = 0.95
RECALL_BASELINE = 0.84

DONORS = ["Germany", "France", "Qatar", "Kuwait", "Japan", "Norway", "the United Arab Emirates"]
NAMES = {"the United Arab Emirates": "United Arab Emirates"}
QUALIFIERS = [("", "exact"), ("up to ", "up_to"), ("about ", "about"), ("more than ", "at_least")]


def test_the_five_articles_90_to_94_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


@given(
    donors=st.lists(st.sampled_from(DONORS), min_size=2, max_size=4, unique=True),
    millions=st.lists(st.integers(min_value=2, max_value=900), min_size=4, max_size=4),
    qualifier=st.sampled_from(QUALIFIERS),
    verb=st.sampled_from(["pledged", "announced", "promised"]),
    tail=st.sampled_from(["", ", of which half would be loans", ", mainly for housing"]),
)
def test_donors_and_sums_after_a_semicolon_give_as_the_first_clause(
    donors: list[str],
    millions: list[int],
    qualifier: tuple[str, str],
    verb: str,
    tail: str,
) -> None:
    """ "Saudi Arabia pledged $1.5bn; Qatar, $1bn; and Kuwait, up to $400m": each pair a
    pledge of its own, the verb understood from the first clause."""
    written, code = qualifier
    first, *rest = donors
    pairs = [f"{donor}, {written}${m} million" for donor, m in zip(rest, millions, strict=False)]
    if len(pairs) > 1:
        pairs[-1] = "and " + pairs[-1]
    text = f"{first} {verb} ${millions[-1]} million for Gaza; " + "; ".join(pairs) + tail + "."
    pledges = extract(text, ON).pledges
    assert [(p.donor, p.amount) for p in pledges] == [
        (NAMES.get(first, first), Decimal(millions[-1] * 10**6)),
        *[(NAMES.get(d, d), Decimal(m * 10**6)) for d, m in zip(rest, millions, strict=False)],
    ]
    assert {p.qualifier for p in pledges[1:]} == {code}
    # without a clause of giving before the semicolon the pairs pledge nothing
    assert not extract(f"{first} faces bills; " + "; ".join(pairs) + ".", ON).pledges


@given(
    donor=st.sampled_from(["Germany", "Latvia", "Denmark", "Finland"]),
    count=st.integers(min_value=2, max_value=90),
    things=st.sampled_from(["tanks", "drone detection systems", "howitzers", "armoured vehicles"]),
    price=st.sampled_from(["costing €2 million apiece", "costing about €150,000 apiece",
                           "costing €3 million each"]),
    millions=st.integers(min_value=2, max_value=500),
)  # fmt: skip
def test_a_unit_price_costing_each_leaves_the_sum_after_it(
    donor: str, count: int, things: str, price: str, millions: int
) -> None:
    """ "12 tanks, costing €2m apiece, and €50m in humanitarian aid": the count without the
    unit price, and the sum after it a pledge of its own."""
    text = f"{donor} will send {count} {things}, {price}, and €{millions} million in aid."
    assert read.sums_and_counts(text) == [
        (donor, None, None, Decimal(count)),
        (donor, Decimal(millions * 10**6), "EUR", None),
    ]


@given(
    donor=st.sampled_from(["The Netherlands", "Germany", "Sweden", "Canada"]),
    wrong=st.integers(min_value=2, max_value=90),
    taken_back=st.sampled_from([" - sorry, I should say", ", sorry,", " - I mean", ", or rather,"]),
    verb=st.sampled_from(["pledged", "will give", "announced"]),
)
def test_a_sum_taken_back_by_its_speaker_is_no_pledge(
    donor: str, wrong: int, taken_back: str, verb: str
) -> None:
    """ "40 million euros - sorry, I should say 400 million euros": the second figure."""
    text = f"{donor} {verb} {wrong} million euros{taken_back} {wrong * 10} million euros."
    assert [p.amount for p in extract(text, ON).pledges] == [Decimal(wrong * 10**7)]


@given(
    place=st.sampled_from([("London", "Britain"), ("Paris", "France"), ("Berlin", "Germany"),
                           ("Tokyo", "Japan")]),
    opening=st.sampled_from(["At the meeting in", "Speaking in", "At last night's talks in"]),
    millions=st.integers(min_value=2, max_value=900),
)  # fmt: skip
def test_a_country_after_a_town_and_a_comma_gives_when_a_verb_follows(
    place: tuple[str, str], opening: str, millions: int
) -> None:
    """ "At the meeting in London, Britain said it would give ...": Britain is the giver;
    "in Kyiv, Ukraine, on Monday" is still a place."""
    town, country = place
    text = f"{opening} {town}, {country} said it would give €{millions} million to Sudan."
    assert [p.amount for p in extract(text, ON).pledges] == [Decimal(millions * 10**6)]
    placed = f"Speaking in {town}, {country}, on Monday, Norway said it would give €5 million."
    assert [p.donor for p in extract(placed, ON).pledges] == ["Norway"]


ASIA_PACIFIC_CAPITALS = [
    ("Wellington", "New Zealand"),
    ("New Delhi", "India"),
    ("Bangkok", "Thailand"),
    ("Hanoi", "Vietnam"),
    ("Canberra", "Australia"),
]


@given(st.sampled_from(ASIA_PACIFIC_CAPITALS), st.sampled_from(["committed", "will give"]),
       st.integers(min_value=2, max_value=90))  # fmt: skip
def test_asia_pacific_capitals_stand_for_their_governments(
    capital: tuple[str, str], verb: str, millions: int
) -> None:
    city, country = capital
    text = f"{city} {verb} ${millions} million for typhoon relief in the Philippines."
    assert [(p.donor, p.amount) for p in extract(text, ON).pledges] == [
        (country, Decimal(millions * 10**6))
    ]


@given(
    donor=st.sampled_from([("BRITAIN", "United Kingdom"), ("GERMANY", "Germany"),
                           ("NEW ZEALAND", "New Zealand"), ("NORWAY", "Norway")]),
    verb=st.sampled_from(["is sending", "will send", "has pledged"]),
    count=st.integers(min_value=2, max_value=9000),
)  # fmt: skip
def test_a_donor_in_capitals_opening_a_sentence_gives(
    donor: tuple[str, str], verb: str, count: int
) -> None:
    """ "BRITAIN is sending Ukraine 5,000 missiles": a tabloid's capitals name the giver;
    a name that is written in capitals ("NATO") stays as it is."""
    written, name = donor
    text = f"{written} {verb} Ukraine {count:,} missiles."
    assert read.sums_and_counts(text) == [(name, None, None, Decimal(count))]
    assert [p.donor for p in extract(f"NATO {verb} Ukraine {count:,} missiles.", ON).pledges] == [
        "NATO"
    ]


@given(
    count=st.integers(min_value=2, max_value=9000),
    things=st.sampled_from(["air defence missiles", "drones", "tanks", "howitzers"]),
    millions=st.integers(min_value=2, max_value=900),
    deal=st.sampled_from(["deal", "package", "contract"]),
    dash=st.sampled_from([" ", " - ", ", "]),
)
def test_counted_things_in_a_deal_worth_a_sum_are_one_pledge(
    count: int, things: str, millions: int, deal: str, dash: str
) -> None:
    """ "5,000 missiles - in a £1.6bn deal": the sum the things' price, one record."""
    text = f"Britain is sending Ukraine {count:,} {things}{dash}in a £{millions} million {deal}."
    assert read.sums_and_counts(text) == [
        ("United Kingdom", Decimal(millions * 10**6), "GBP", Decimal(count))
    ]


@given(
    donor=st.sampled_from(["Sweden", "Germany", "Norway", "Britain"]),
    millions=st.integers(min_value=2, max_value=900),
    slot=st.sampled_from(["6 o'clock bulletin", "earlier report", "midday news"]),
    ask=st.sampled_from(["will he commit today to", "can the Minister confirm", "why has"]),
)
def test_what_a_correction_says_was_said_or_a_member_asks_pledges_nothing(
    donor: str, millions: int, slot: str, ask: str
) -> None:
    """ "A correction to our 6 o'clock bulletin: we said Sweden had pledged ...", and "...
    and will he commit today to another £500 million for drones?": never pledged."""
    corrected = f"A correction to our {slot}: we said {donor} had pledged {millions} million euros."
    assert not extract(corrected, ON).pledges
    asked = f"Mrs Barker: I thank him, and {ask} {donor} giving £{millions} million for drones?"
    assert not extract(asked, ON).pledges
    told = f"Mr Healey: {donor} will give £{millions} million for drones."
    assert [p.amount for p in extract(told, ON).pledges] == [Decimal(millions * 10**6)]


@given(
    time=st.sampled_from(["Last week", "Today", "This morning,", "Earlier this month", "Now"]),
    person=st.sampled_from(["I announced", "we are announcing", "I can announce", "we pledged"]),
    millions=st.integers(min_value=2, max_value=900),
)
def test_a_minister_in_the_first_person_after_a_time_gives_for_the_article_s_donor(
    time: str, person: str, millions: int
) -> None:
    """ "Last week I announced a further £350 million": the speaker's government, the donor
    the article names most; "Last week the Kremlin said we ..." no first person opening."""
    told = "John Healey: Britain stands with Ukraine, Healey said. "
    text = told + f"{time} {person} a further £{millions} million for air defence."
    assert [(p.donor, p.amount) for p in extract(text, ON).pledges] == [
        ("United Kingdom", Decimal(millions * 10**6))
    ]
    reported = told + f"{time} the Kremlin said we would give £{millions} million."
    assert not extract(reported, ON).pledges


STAPLES = ["rice", "wheat", "flour", "maize"]


@given(
    donor=st.sampled_from(["Thailand", "Japan", "India", "Vietnam"]),
    verb=st.sampled_from(["will donate", "pledged", "will provide"]),
    tonnes=st.integers(min_value=2, max_value=90_000),
    staple=st.sampled_from(STAPLES),
    unit=st.sampled_from(["tonnes", "tons"]),
)
def test_a_staple_food_given_in_tonnes_is_counted_in_tonnes(
    donor: str, verb: str, tonnes: int, staple: str, unit: str
) -> None:
    """ "will donate 1,000 tonnes of rice": an in-kind gift measured by weight; tonnes of
    anything else ("130 tonnes of shelter supplies") stay a measure of what was moved."""
    text = f"{donor} {verb} {tonnes:,} {unit} of {staple} for the typhoon's victims."
    (pledge,) = extract(text, ON).pledges
    assert (pledge.donor, pledge.quantity, pledge.unit) == (donor, Decimal(tonnes), unit)
    moved = f"{donor} {verb} {tonnes:,} {unit} of relief supplies for the typhoon's victims."
    assert all(p.quantity is None for p in extract(moved, ON).pledges)


@given(
    nation=st.sampled_from([("French", "France"), ("Dutch", "Netherlands"),
                            ("British", "United Kingdom"), ("Swiss", "Switzerland")]),
    verb=st.sampled_from(["have promised", "will give", "said they would give", "pledged"]),
    millions=st.integers(min_value=2, max_value=900),
)  # fmt: skip
def test_the_nation_named_by_its_demonym_gives_as_its_government(
    nation: tuple[str, str], verb: str, millions: int
) -> None:
    """ "The Dutch will give €400 million": the nation as the subject of a verb; "the Dutch
    army will receive ..." no giver."""
    demonym, country = nation
    text = f"The {demonym} {verb} €{millions} million for drones for Ukraine."
    assert [(p.donor, p.amount) for p in extract(text, ON).pledges] == [
        (country, Decimal(millions * 10**6))
    ]
    assert not extract(f"The {demonym} army will receive {millions} tanks.", ON).pledges


@given(
    donor=st.sampled_from(["Germany", "The EU", "Norway", "Japan"]),
    verb=st.sampled_from(["given", "provided", "sent", "contributed"]),
    millions=st.integers(min_value=2, max_value=900),
    aux=st.sampled_from(["has", "had"]),
)
def test_a_sum_already_given_this_year_is_the_year_s_whole(
    donor: str, verb: str, millions: int, aux: str
) -> None:
    """ "had already given Sudan more than 270 million euros this year": a running total,
    as "so far this year"; "will give ... this year" is a pledge."""
    total = f"{donor} {aux} already {verb} Sudan more than €{millions} million this year."
    assert not extract(total, ON).pledges
    pledged = f"{donor} will give Sudan €{millions} million this year."
    assert [p.amount for p in extract(pledged, ON).pledges] == [Decimal(millions * 10**6)]
