"""The wordings of the five news articles A0-A4 (a television bulletin's transcript with
anchors paraphrasing ministers and figures spoken in words; a think tank's table of
commitments and allocations, with shares of GDP and sums per head beside new pledges; a
regional paper's convoy of fire engines, ambulances, buses and generators given by a region,
cities, companies and charities, with the national government's matching sum; a Nairobi
paper on drought appeals for Somalia and Ethiopia in dollars, pounds, euros and shillings; a
German press review in English translation, with "Mio.", "Mrd.", "rund" and decimal commas),
each rule tried on several phrasings, and the five articles' score held.

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

from hypothesis import given
from hypothesis import strategies as st

from tests.extract.readings import Readings
from tests.extract.test_dev_corpus import assert_score_holds
from tests.extract.test_news_articles import NEWS
from tracker.extract import extract
from tracker.extract.numbers import find_numbers

ON = date(2026, 12, 8)
read = Readings(ON)
# The five articles A0-A4 (before the rules they brought: precision 0.58, recall 0.37, 23 of
# 40 extracted, of 63 gold pledges; after them 50 of 52, of 63: 0.96 and 0.79). The allies'
# two aggregates ("allies had promised more than forty billion dollars", "European allies
# together promised rund 80 Mrd. Euro") are recorded as the groups' pledges, as DESIGN.md keeps
# them; with the other group sums the extractor reads, 52 of 57, of 65: 0.91 and 0.80.
FIRST, LAST = "A0", "A4~"
PRECISION_BASELINE = 0.90
RECALL_BASELINE = 0.78
MILLIONS = st.integers(min_value=2, max_value=900)
DONORS = {"Germany": "Germany", "Britain": "United Kingdom", "Norway": "Norway",
          "Japan": "Japan", "The Netherlands": "Netherlands", "Canada": "Canada"}  # fmt: skip


def test_the_five_articles_a0_to_a4_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


NAMED_BODIES = {
    "The European Union": "European Union", "The EU": "European Union",
    "The World Bank": "World Bank", "The European Investment Bank": "European Investment Bank",
    "The IMF": "International Monetary Fund",
}  # fmt: skip


@given(body=st.sampled_from(sorted(NAMED_BODIES)), n=MILLIONS, verb=st.sampled_from(
    ["pledged", "will provide", "approved", "committed"]))  # fmt: skip
def test_named_bodies_keep_their_pledges(body: str, n: int, verb: str) -> None:
    text = f"{body} {verb} €{n} million for Ukraine's energy grid."
    assert read.figures(text) == [(NAMED_BODIES[body], Decimal(n * 10**6), "EUR")]


@given(n=st.integers(min_value=2, max_value=90), verb=st.sampled_from(["pledged", "promised"]))
def test_a_conference_s_participants_keep_their_aggregate(n: int, verb: str) -> None:
    """ "participants had already pledged over 10 billion euros": the conference's aggregate,
    kept apart from the members' own pledges."""
    text = f"Meloni said participants had already {verb} over {n} billion euros to help Ukraine."
    assert [(p.donor, p.amount) for p in extract(text, ON).pledges] == [
        ("Conference participants", Decimal(n * 10**9))
    ]


UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9}  # fmt: skip
BELOW_HUNDRED = {**UNITS, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "forty": 40,
                 "fifty": 50, "sixty": 60, "seventy-five": 75, "ninety-nine": 99}  # fmt: skip
CURRENCY_WORDS = {"dollars": "USD", "euros": "EUR", "pounds": "GBP", "Canadian dollars": "CAD"}
SCALE_WORDS = {"million": 10**6, "billion": 10**9}


@given(
    whole=st.sampled_from(sorted(BELOW_HUNDRED)),
    decimals=st.lists(st.sampled_from(["zero", *UNITS]), min_size=1, max_size=2),
    scale=st.sampled_from(sorted(SCALE_WORDS)),
    currency=st.sampled_from(sorted(CURRENCY_WORDS)),
)
def test_a_sum_spoken_with_a_point(
    whole: str, decimals: list[str], scale: str, currency: str
) -> None:
    """ "two point five billion dollars", as a transcript gives what was said on air."""
    digits = "".join(str(UNITS.get(d, 0)) for d in decimals)
    (phrase,) = find_numbers(f"Japan has promised {whole} point {' '.join(decimals)} {scale} "
                             f"{currency} for the grid.")  # fmt: skip
    value = Decimal(f"{BELOW_HUNDRED[whole]}.{digits}") * SCALE_WORDS[scale]
    assert (phrase.value, phrase.currency) == (value, CURRENCY_WORDS[currency])


@given(
    hundreds=st.sampled_from(sorted(UNITS)),
    rest=st.sampled_from(sorted(BELOW_HUNDRED)),
    joined=st.sampled_from([" and ", " "]),
    scale=st.sampled_from(["", " million", " thousand"]),
    donor=st.sampled_from(sorted(DONORS)),
)
def test_hundreds_spoken_with_their_rest(
    hundreds: str, rest: str, joined: str, scale: str, donor: str
) -> None:
    """ "two hundred and fifty million euros", "one hundred and twenty missiles"."""
    value = (UNITS[hundreds] * 100 + BELOW_HUNDRED[rest]) * {"": 1, " million": 10**6,
                                                             " thousand": 1000}[scale]  # fmt: skip
    if scale == " million":
        text = f"{donor} announced {hundreds} hundred{joined}{rest}{scale} euros for drones."
        assert read.figures(text) == [(DONORS[donor], Decimal(value), "EUR")]
    else:
        text = f"{donor} will send {hundreds} hundred{joined}{rest}{scale} missiles to Ukraine."
        assert read.figures(text) == [(DONORS[donor], Decimal(value), None)]


@given(
    whole=st.integers(min_value=1, max_value=99),
    decimal=st.integers(min_value=1, max_value=9),
    scale=st.sampled_from([("Mio.", 10**6), ("Mrd.", 10**9)]),
    qualifier=st.sampled_from([("rund ", "about"), ("", "exact")]),
)
def test_german_scales_decimal_commas_and_rund_as_translations_keep_them(
    whole: int, decimal: int, scale: tuple[str, int], qualifier: tuple[str, str]
) -> None:
    """ "the Bund will send a package worth 1,9 Mrd. Euro", "rund 650 Mio. Euro": one sum,
    about when "rund", and the abbreviation's full stop ends no sentence."""
    word, factor = scale
    text = (
        f"The Bund will provide {qualifier[0]}{whole},{decimal} {word} Euro for air defence. "
        "The paper says more may follow."
    )
    (pledge,) = extract(text, ON).pledges
    assert (pledge.donor, pledge.amount, pledge.currency, pledge.qualifier) == (
        "Germany", Decimal(f"{whole}.{decimal}") * factor, "EUR", qualifier[1]
    )  # fmt: skip


@given(
    thousands=st.integers(min_value=1, max_value=999),
    rest=st.integers(min_value=0, max_value=999),
    millions=st.booleans(),
)
def test_counts_grouped_by_full_stops(thousands: int, rest: int, millions: bool) -> None:
    """ "180.000 rounds", "1.200.000 doses": thousands, as German writes counts; a sum with a
    scale or a currency keeps its decimals ("1.500 billion", "$1.500")."""
    digits = f"{thousands}.{rest:03d}" + (".000" if millions else "")
    value = (thousands * 1000 + rest) * (1000 if millions else 1)
    (count,) = find_numbers(f"The Bund has ordered {digits} rounds for Ukraine.")
    assert count.value == Decimal(value)
    if not millions:
        (sum_,) = find_numbers(f"Germany pledged ${thousands}.{rest:03d} billion.")
        assert sum_.value == Decimal(f"{thousands}.{rest:03d}") * 10**9


@given(
    n=MILLIONS,
    code=st.sampled_from(["KES", "UGX", "TZS", "ETB"]),
    giver=st.sampled_from(sorted(DONORS)),
)
def test_east_african_currencies(n: int, code: str, giver: str) -> None:
    text = f"{giver} gave {code} {n} million to the Red Cross for drought relief in Somalia."
    assert read.figures(text) == [(DONORS[giver], Decimal(n * 10**6), code)]


CHANNELS = ["through the Qatar Fund for Development", "via the World Bank", "through UNICEF",
            "through the Kuwait Fund"]  # fmt: skip


@given(
    first=st.sampled_from(["Qatar", "Kuwait", "Saudi Arabia"]),
    channel=st.sampled_from(CHANNELS),
    second=st.sampled_from(["the United Arab Emirates", "Japan", "Norway"]),
    sums=st.tuples(MILLIONS, MILLIONS),
)
def test_a_channel_before_and_is_no_giver_of_the_next_clause(
    first: str, channel: str, second: str, sums: tuple[int, int]
) -> None:
    """ "Qatar committed US$20 million through the Qatar Fund for Development, and the United
    Arab Emirates pledged US$25 million": the Emirates' sum."""
    a, b = sums
    text = f"{first} committed US${a} million {channel}, and {second} pledged US${b} million."
    assert [d for d, _, _ in read.figures(text)] == [first, second.removeprefix("the ")]


@given(
    hosts=st.sampled_from(
        ["Kenya and the United Kingdom", "Ethiopia and Britain", "the United Kingdom and Kenya"]
    ),  # fmt: skip
    n=MILLIONS,
)
def test_the_same_donor_named_again_closes_the_list_of_givers(hosts: str, n: int) -> None:
    """ "co-hosted by the governments of Kenya and the United Kingdom, Britain pledged £62
    million": Britain's, not a list of Kenya, the United Kingdom and Britain."""
    text = f"At an event co-hosted in Nairobi by the governments of {hosts}, Britain pledged £{n}m."
    assert read.figures(text) == [("United Kingdom", Decimal(n * 10**6), "GBP")]


LAENDER = {"Bavaria": "Bavaria", "North Rhine-Westphalia": "North Rhine-Westphalia",
           "Baden-Württemberg": "Baden-Württemberg", "Saxony": "Saxony", "Hessen": "Hesse",
           "Lower Saxony": "Lower Saxony", "Thuringia": "Thuringia"}  # fmt: skip
GIVEN_IN_KIND = ["fire engines", "ambulances", "school buses", "generators", "fire trucks"]


@given(
    land=st.sampled_from(sorted(LAENDER)),
    things=st.lists(st.sampled_from(GIVEN_IN_KIND), min_size=1, max_size=3, unique=True),
    counts=st.lists(st.integers(min_value=2, max_value=99), min_size=3, max_size=3),
    verb=st.sampled_from(["is sending", "will send", "has pledged", "will donate"]),
)
def test_a_german_land_gives_under_its_own_name(
    land: str, things: list[str], counts: list[int], verb: str
) -> None:
    """ "Baden-Württemberg is sending 14 fire engines and 6 ambulances": each count the
    Land's; a fire engine is a thing given, no firing."""
    listed = [f"{count} {thing}" for count, thing in zip(counts, things, strict=False)]
    said = ", ".join(listed[:-1]) + (" and " if len(listed) > 1 else "") + listed[-1]
    text = f"{land} {verb} {said} to Ukraine."
    assert read.figures(text) == [(LAENDER[land], Decimal(c), None) for c in counts[: len(things)]]


@given(land=st.sampled_from(sorted(LAENDER)), n=MILLIONS)
def test_a_land_as_a_place_gives_nothing(land: str, n: int) -> None:
    text = f"Rheinmetall will build a plant in {land} for €{n} million."
    assert extract(text, ON).pledges == ()


@given(
    town=st.sampled_from(["Rzeszów", "Eastbridge", "Lublin", "Przemyśl"]),
    kind=st.sampled_from(["city", "town", "county", "borough"]),
    n=st.integers(min_value=10, max_value=999),
)
def test_a_town_s_council_gives_under_the_council_s_name(town: str, kind: str, n: int) -> None:
    """ "Rzeszów's city council has pledged another PLN 800,000": Rzeszów City Council."""
    text = f"{town}'s {kind} council has pledged another PLN {n},000 for winter clothing."
    assert read.figures(text) == [(f"{town} {kind.title()} Council", Decimal(n * 1000), "PLN")]


CAPITAL_OF = {"Warsaw": "Poland", "London": "United Kingdom", "Berlin": "Germany",
              "Oslo": "Norway", "Tokyo": "Japan"}  # fmt: skip


@given(capital=st.sampled_from(sorted(CAPITAL_OF)), n=MILLIONS,
       verb=st.sampled_from(["give", "provide", "send"]))  # fmt: skip
def test_the_government_in_a_capital_is_its_country(capital: str, n: int, verb: str) -> None:
    """ "The government in Warsaw said it would give ...": Poland; "in Warsaw" alone stays
    a place."""
    text = f"The government in {capital} said on Thursday it would {verb} €{n} million."
    assert read.figures(text) == [(CAPITAL_OF[capital], Decimal(n * 10**6), "EUR")]
    assert extract(f"Aid for Ukraine was stored in {capital}.", ON).pledges == ()


@given(
    giver=st.sampled_from(["Britain", "Marlshire County Council", "Norway"]),
    n=MILLIONS,
    what=st.sampled_from(
        ["public donations to the appeal", "donations from the public", "what towns give"]
    ),  # fmt: skip
)
def test_matching_donations_up_to_a_sum_is_a_pledge(giver: str, n: int, what: str) -> None:
    """ "Britain will match public donations pound for pound, up to £10 million"."""
    text = f"{giver} will match {what} pound for pound, up to £{n} million."
    (pledge,) = extract(text, ON).pledges
    assert (pledge.amount, pledge.qualifier) == (Decimal(n * 10**6), "up_to")


@given(
    donor=st.sampled_from(["Sweden", "Norway", "Denmark"]),
    things=st.lists(
        st.sampled_from(["long-range drones", "demining equipment", "air defence",
                         "Archer artillery systems", "artillery ammunition"]),  # fmt: skip
        min_size=2, max_size=3, unique=True,
    ),
    money=st.sampled_from(["funding for", "financing of", "money for"]),
    n=MILLIONS,
)  # fmt: skip
def test_money_for_things_in_a_list_names_the_things(
    donor: str, things: list[str], money: str, n: int
) -> None:
    """ "includes Archer artillery systems, air defence and funding for long-range drones":
    each thing a record, the last too."""
    listed = [*things[:-1], f"{money} {things[-1]}"]
    said = f"{', '.join(listed[:-1])} and {listed[-1]}"
    text = f"{donor}'s package is worth SEK {n}m and includes {said}."
    items = [p.item for p in extract(text, ON).pledges][1:]
    assert len(items) == len(things)
    assert things[-1].split()[-1] in items[-1]


PRICED = [
    "He put the cost at {q}{sum}.",
    "The cost was put at {q}{sum}.",
    "Officials estimated the price at {q}{sum}.",
    "The bill is estimated at {q}{sum}.",
]


@given(
    priced=st.sampled_from(PRICED),
    donor=st.sampled_from(sorted(DONORS)),
    count=st.integers(min_value=2, max_value=60000),
    n=MILLIONS,
    qualifier=st.sampled_from([("", "exact"), ("about ", "about"), ("up to ", "up_to")]),
)
def test_a_price_told_after_a_count_is_its_price(
    priced: str, donor: str, count: int, n: int, qualifier: tuple[str, str]
) -> None:
    """ "Britain would pay for 50,000 more drones. He put the cost at £350m": one record with
    both figures; a cost of something else, or after two things counted, prices nothing."""
    count_said = f"{donor} will send {count:,} drones to Ukraine."
    text = f"{count_said} {priced.format(q=qualifier[0], sum=f'€{n} million')}"
    (pledge,) = extract(text, ON).pledges
    assert (pledge.quantity, pledge.amount, pledge.currency, pledge.qualifier) == (
        Decimal(count), Decimal(n * 10**6), "EUR", qualifier[1]
    )  # fmt: skip
    two = f"{donor} will send {count:,} drones and 12 tanks. He put the cost at €{n} million."
    assert [p.amount for p in extract(two, ON).pledges] == [None, None]
    war = f"{count_said} Officials put the cost of the war at €{n} million a day."
    assert [p.amount for p in extract(war, ON).pledges] == [None]


@given(
    donor=st.sampled_from(sorted(DONORS)),
    n=MILLIONS,
    into=st.sampled_from(["into NATO's PURL initiative", "to the Energy Support Fund", ""]),
)
def test_pay_before_a_sum_gives_it(donor: str, n: int, into: str) -> None:
    """ "the Bund will pay 500 Mio. Euro into NATO's PURL initiative"; "pay tribute to 300
    soldiers" gives nothing."""
    text = f"{donor} will pay €{n} million {into}".rstrip() + "."
    assert read.figures(text) == [(DONORS[donor], Decimal(n * 10**6), "EUR")]
    assert extract(f"{donor} will pay tribute to {n} soldiers.", ON).pledges == ()


@given(
    donor=st.sampled_from(["Japan", "Norway", "Canada"]),
    whole=st.integers(min_value=3, max_value=9),
    part=st.integers(min_value=1, max_value=2),
    what=st.sampled_from([("are grants", "grant"), ("is a loan", "loan"), ("are loans", "loan")]),
    lead=st.sampled_from(["The other ", "The remaining ", ""]),
)
def test_a_part_named_by_what_it_is_after_a_pledge(
    donor: str, whole: int, part: int, what: tuple[str, str], lead: str
) -> None:
    """ "Japan has promised $2.5bn ... The other $700m are grants": the pledge and its part,
    a grant."""
    text = f"{donor} pledged ${whole} billion for the grid. {lead}${part}00 million {what[0]}."
    pledges = extract(text, ON).pledges
    assert [(p.donor, p.amount) for p in pledges] == [
        (donor, Decimal(whole * 10**9)),
        (donor, Decimal(part * 10**8)),
    ]
    assert pledges[1].category == what[1]


@given(
    partners=st.sampled_from(["Sweden and Norway", "Germany", "the Netherlands and Belgium"]),
    n=MILLIONS,
)
def test_partners_after_with_opening_a_sentence_are_no_subject(partners: str, n: int) -> None:
    """ "With Sweden and Norway we will pay 1.5 billion kroner jointly": not Sweden's alone;
    "With Germany providing a guarantee, ..." still names Germany's guarantee."""
    text = f"With {partners} we will pay €{n} million jointly for a radar."
    assert all(p.donor not in partners for p in extract(text, ON).pledges)
    providing = f"With Germany providing a €{n}m guarantee, the World Bank will lend $900m."
    assert [p.donor for p in extract(providing, ON).pledges] == ["Germany", "World Bank"]


@given(
    country=st.sampled_from(["Kenya", "Ethiopia", "Poland", "Germany"]),
    n=MILLIONS,
    verb=st.sampled_from(["release", "give", "provide"]),
)
def test_a_country_s_own_government_spends_at_home(country: str, n: int, verb: str) -> None:
    """ "Kenya's own government said it would release KES 2 billion ... in the 23 arid
    counties": no pledge; the government named without "own" still gives."""
    own = f"{country}'s own government said it would {verb} €{n} million for food and water."
    assert extract(own, ON).pledges == ()
    plain = f"{country}'s government said it would {verb} €{n} million for Somalia."
    assert [p.amount for p in extract(plain, ON).pledges] == [Decimal(n * 10**6)]


@given(
    town=st.sampled_from(["Rzeszów", "Eastbridge", "Lublin"]),
    noun=st.sampled_from(["city", "town", "council"]),
    count=st.integers(min_value=2, max_value=40),
    n=st.integers(min_value=10, max_value=999),
)
def test_the_city_giving_after_its_council_is_the_council(
    town: str, noun: str, count: int, n: int
) -> None:
    """ "Rzeszów's city council has pledged PLN 800,000. ... the city would also give two
    school buses": the council's; a city that receives gives nothing."""
    council = f"{town} City Council"
    said = f"{town}'s city council has pledged PLN {n},000. The mayor said the {noun} would"
    assert [p.donor for p in extract(f"{said} also give {count} school buses.", ON).pledges] == [
        council,
        council,
    ]
    assert len(extract(f"{said} also receive {count} generators.", ON).pledges) == 1


@given(
    giver=st.sampled_from(["The government in Warsaw", "Britain", "Marlshire County Council"]),
    raisers=st.sampled_from(["local governments in the province", "the public", "charities"]),
    n=MILLIONS,
)
def test_matching_money_raised_by_others_up_to_a_sum(giver: str, raisers: str, n: int) -> None:
    """ "it would match the money raised by local governments ..., up to PLN 5 million": the
    matcher's pledge; a sum an appeal raised is no pledge."""
    matched = f"the money raised by {raisers}, zloty for zloty"
    text = f"{giver} said it would match {matched}, up to PLN {n} million."
    (pledge,) = extract(text, ON).pledges
    assert (pledge.amount, pledge.currency, pledge.qualifier) == (
        Decimal(n * 10**6),
        "PLN",
        "up_to",
    )
    assert extract(f"The appeal raised £{n} million.", ON).pledges == ()
