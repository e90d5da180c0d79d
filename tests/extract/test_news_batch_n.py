"""The wordings of the five news articles E0-E4 (a joint press conference's transcript, two
ministers answering journalists, figures repeated and sentences broken off; a wire story on the
Czech-led ammunition initiative, with rounds financed, crowns and euros paid in and deliveries
to date; an investigation of pledged against delivered, with a list of promises, their dates
and what arrived; a breaking story updated through the day, with update and correction notes;
a refugee forum's pledges, multi-year and yearly, in francs and crowns, beside resettlement
places), each rule tried on several phrasings, and the five articles' score held.

Judgement calls of their gold (``news/gold.json``): the figure a correction note names as
wrong is none, the corrected one the pledge; a package a correction names as "the value of
Finland's 30th package announced in October" is that earlier pledge; what "has arrived", was
"delivered" or "disbursed" of a promise is a stage of it, and the promise (dated in a list, "Of
the €2 billion President Emmanuel Macron promised in June") a pledge reported as made earlier;
the sums of a period ("Donors announced €6.2 billion in new military commitments in October
and November alone") and an investigation's total of the commitments it counted are sums of
other pledges; a conference's sum ("the $2.6 billion pledged by donors at the humanitarian
conference") and the initiative's financing of 800,000 rounds are groups' pledges; a
programme's budget for a year ("which has a budget of 85 billion crowns for 2026") is an
envelope, as in A1; resettlement places are people, no pledge; a yearly sum ("720 million
Swedish crowns per year in 2027 and 2028") is recorded as first stated; a share of GDP
promised is a pledge without a figure; a company's transport "worth an estimated $12 million"
is its pledge in kind. One gold correction after the first pass: the minister's "We gave Patriot
launchers and missiles in 2023 and 2024" is a gift reported as made earlier (annotation rule
1), recorded as two pledges without a figure (the first pass read them, unmatched).
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
from tracker.extract.stages import EARLIER_GIFT_VERBS

ON = date(2026, 12, 4)
read = Readings(ON)
# The five articles E0-E4 (before the rules they brought: precision 0.68, recall 0.57, 34 of
# 50 extracted, of 60 gold pledges; 0.72 and 0.58, 36 of 50, of 62, with the gold's
# correction; after them 0.90 and 0.84, 52 of 58, of 62).
FIRST, LAST = "E0", "E4~"
PRECISION_BASELINE = 0.89
RECALL_BASELINE = 0.83

DONORS = ["Germany", "Norway", "Canada", "Japan", "Sweden", "Poland", "Italy"]
MILLIONS = st.integers(min_value=2, max_value=900)
MONTHS = ["January", "March", "June", "September", "November"]


def test_the_five_articles_e0_to_e4_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


@given(
    donor=st.sampled_from(DONORS),
    form=st.sampled_from(["will put in", "would put in", "is putting in", "puts in"]),
    qualifier=st.sampled_from(["", "another ", "a further ", "about "]),
    millions=MILLIONS,
    currency=st.sampled_from([("€{n} million", "EUR"), ("{n} million dollars", "USD"),
                              ("EUR {n} million", "EUR")]),
)  # fmt: skip
def test_putting_in_a_sum_pledges_it(
    donor: str, form: str, qualifier: str, millions: int, currency: tuple[str, str]
) -> None:
    """ "The Czech government itself will put in 1.5 billion crowns", "Germany said it would
    put in 500 million dollars": a sum put in is given; "put in place" gives nothing."""
    written, code = currency
    text = f"{donor} {form} {qualifier}{written.format(n=millions)} next year, officials said."
    assert read.sums(text) == [(donor, Decimal(millions * 10**6), code)]
    assert read.sums(f"{donor} {form} place {millions} new air defence systems.") == []


@given(
    donor=st.sampled_from(DONORS),
    places=st.integers(min_value=100, max_value=90_000),
    noun=st.sampled_from(["resettlement places", "places", "reception places"]),
    verb=st.sampled_from(["would offer", "will provide", "pledged"]),
    millions=MILLIONS,
)
def test_places_offered_to_people_are_no_pledge(
    donor: str, places: int, noun: str, verb: str, millions: int
) -> None:
    """ "Denmark would offer 500 resettlement places a year": places are people taken in, no
    thing given; a sum beside them stays."""
    assert read.sums(f"{donor} {verb} {places:,} {noun} for refugees in 2027.") == []
    text = f"{donor} {verb} {places:,} {noun} and €{millions} million for refugees in 2027."
    assert read.sums(text) == [(donor, Decimal(millions * 10**6), "EUR")]


@given(
    donor=st.sampled_from(DONORS),
    count=st.integers(min_value=2, max_value=5_000),
    earlier=st.integers(min_value=2, max_value=5_000),
    things=st.sampled_from(["armoured vehicles", "generators", "drones"]),
    comparison=st.sampled_from([
        ", short of the {n:,} the agency sought",
        ", more than the {n:,} it sent last year",
        ", against {n:,} last time",
        ", fewer than the {n:,} Kyiv asked for",
    ]),
)  # fmt: skip
def test_the_count_a_pledge_is_compared_with_is_none(
    donor: str, count: int, earlier: int, things: str, comparison: str
) -> None:
    """ "95,000 resettlement places, short of the 120,000 the agency sought": a count, as a
    sum, that the pledge is compared with is no pledge."""
    text = f"{donor} will send {count:,} {things}{comparison.format(n=earlier)}."
    assert [(p.donor, p.quantity) for p in extract(text, ON).pledges] == [(donor, Decimal(count))]


@given(
    donor=st.sampled_from(DONORS),
    millions=MILLIONS,
    lead=st.sampled_from([
        "Methodology: we counted commitments of {s} or more announced in 2026.",
        "We list only pledges of {s} or more.",
        "We counted only packages of {s} and above, officials said.",
    ]),
)  # fmt: skip
def test_a_threshold_is_no_sum_given(donor: str, millions: int, lead: str) -> None:
    """ "we counted commitments of €100 million or more": a threshold, no sum pledged (in an
    article that names one donor most, "we" would otherwise speak for it)."""
    text = (
        f"{donor} pledged €25 million for demining. {donor} said more would follow. "
        + lead.format(s=f"€{millions} million")
    )
    assert read.sums(text) == [(donor, Decimal(25 * 10**6), "EUR")]


@given(
    donor=st.sampled_from(["Germany", "Norway", "European Union", "United Kingdom", "Canada"]),
    day=st.integers(min_value=1, max_value=28),
    month=st.sampled_from(MONTHS),
    day_first=st.booleans(),
    promised=st.integers(min_value=2, max_value=20),
    delivered=st.integers(min_value=1, max_value=19),
    verb=st.sampled_from(["delivered", "disbursed", "arrived", "received"]),
)
def test_a_dated_list_line_pledges_its_first_sum_not_what_arrived(
    donor: str, day: int, month: str, day_first: bool, promised: int, delivered: int, verb: str
) -> None:
    """ "- Germany, 14 February: €9 billion in military aid for 2026; delivered €6.8 billion;
    24% outstanding": the label may carry the day of the promise, and what the clause after a
    semicolon tells handed over is a stage of it, no pledge."""
    when = f"{day} {month}" if day_first else f"{month} {day}"
    text = (
        f"What was promised, and what has arrived:\n\n"
        f"- {donor}, {when}: €{promised} billion in military aid for 2026; {verb} "
        f"€{delivered}.5 billion; 20% outstanding\n"
    )
    assert read.sums(text) == [(donor, Decimal(promised * 10**9), "EUR")]


@given(
    donor=st.sampled_from(["France", "Germany", "the EU", "Japan"]),
    promised=st.integers(min_value=2, max_value=20),
    part=st.integers(min_value=100, max_value=999),
    month=st.sampled_from(MONTHS),
    verb=st.sampled_from(["promised", "pledged", "committed"]),
    rest=st.sampled_from([
        "only €{p} million has arrived",
        "just €{p} million has been delivered so far",
        "€{p} million had been disbursed by the end of October",
        "about €{p} million has been received",
    ]),
)  # fmt: skip
def test_what_arrived_of_a_promise_named_first_is_no_pledge(
    donor: str, promised: int, part: int, month: str, verb: str, rest: str
) -> None:
    """ "Of the €2 billion President Emmanuel Macron promised in June, only €700 million has
    arrived": the promise is the donor's pledge, what arrived of it a stage."""
    text = f"Of the €{promised} billion {donor} {verb} in {month}, {rest.format(p=part)}."
    name = "European Union" if donor == "the EU" else donor
    assert read.sums(text) == [(name, Decimal(promised * 10**9), "EUR")]


@given(
    first=st.sampled_from(["Germany", "Norway", "Canada"]),
    second=st.sampled_from(["Sweden", "Poland", "Japan"]),
    ordinal=st.sampled_from(["21st ", "new ", "latest ", ""]),
    millions=MILLIONS,
    count=st.integers(min_value=2, max_value=90),
)
def test_a_package_named_as_another_donor_s_is_its_own(
    first: str, second: str, ordinal: str, millions: int, count: int
) -> None:
    """ "Sweden's 21st package, worth 18.4 billion crowns, includes Archer howitzers" after
    another donor's pledge: the package and what it includes are Sweden's, no parts of the
    package told before."""
    text = (
        f"{first} pledged €500 million for air defence on Monday. {second}'s {ordinal}"
        f"package, worth €{millions} million, includes {count} armoured vehicles."
    )
    assert [(p.donor, p.amount, p.quantity) for p in extract(text, ON).pledges] == [
        (first, Decimal(500 * 10**6), None),
        (second, Decimal(millions * 10**6), None),
        (second, None, Decimal(count)),
    ]


@given(
    country=st.sampled_from(["Netherlands", "Norway", "Denmark", "Finland"]),
    millions=MILLIONS,
    opening=st.sampled_from(
        ["The cabinet", "This morning the cabinet", "Earlier this week the cabinet"]
    ),
    verb=st.sampled_from(["approved", "agreed on"]),
)
def test_the_cabinet_is_the_country_the_article_names_most(
    country: str, millions: int, opening: str, verb: str
) -> None:
    """ "The cabinet approved a new package ... worth 650 million euros" in a minister's
    words, with no donor named before it: the country the article names most, as for "the
    government"."""
    article = (
        "Transcript: press conference of the Minister of Defence\n\n"
        "MODERATOR: Good afternoon.\n\nMINISTER: Thank you. Last night more than 600 drones "
        f"were fired at Ukrainian cities. {opening} {verb} a new package of military support "
        f"for Ukraine worth {millions} million euros. {country} stands with Ukraine, and "
        f"{country} will keep its promises."
    )
    assert read.sums(article) == [(country, Decimal(millions * 10**6), "EUR")]


@given(
    donor=st.sampled_from(DONORS),
    total=st.integers(min_value=500, max_value=900),
    first=st.integers(min_value=100, max_value=240),
    second=st.integers(min_value=10, max_value=99),
    opener=st.sampled_from(["Another", "A further"]),
    verb=st.sampled_from(["is for", "goes to", "will go to"]),
)
def test_another_sum_after_a_package_is_one_more_part(
    donor: str, total: int, first: int, second: int, opener: str, verb: str
) -> None:
    """ "Of that amount, 250 million euros goes to long-range drones that Ukrainian companies
    build and that we pay for directly. Another 180 million euros is for radars": each a part
    of the package (what is paid for is bought, not handed over)."""
    text = (
        f"{donor} approved a new package worth {total} million euros. Of that amount, {first} "
        f"million euros goes to long-range drones that we pay for directly. {opener} {second} "
        f"million euros {verb} radars and air defence ammunition."
    )
    assert read.sums(text) == [
        (donor, Decimal(total * 10**6), "EUR"),
        (donor, Decimal(first * 10**6), "EUR"),
        (donor, Decimal(second * 10**6), "EUR"),
    ]


@given(
    country=st.sampled_from(["Netherlands", "Norway", "Finland"]),
    partner=st.sampled_from(["Denmark", "Sweden", "Germany and Poland"]),
    lead=st.sampled_from(["Together with", "Jointly with", "Along with"]),
    comma=st.sampled_from(["", ","]),
    count=st.integers(min_value=2, max_value=60),
)
def test_we_after_partners_is_the_country_the_article_names_most(
    country: str, partner: str, lead: str, comma: str, count: int
) -> None:
    """ "Together with Denmark we will finance 12 more Bohdana self-propelled howitzers" in a
    minister's words: "we" is the country the article names most, the partner no place."""
    text = (
        f"The {country} will give 30 million euros to the energy fund. The {country} stands "
        f"with Ukraine. {lead} {partner}{comma} we will finance {count} more Bohdana "
        "self-propelled howitzers, made in Ukraine."
    )
    assert [(p.donor, p.quantity) for p in extract(text, ON).pledges][1:] == [
        (country, Decimal(count))
    ]


@given(
    donor=st.sampled_from(DONORS),
    lead=st.sampled_from(["heating", "warming", "charging", "water"]),
    count=st.integers(min_value=2, max_value=400),
    verb=st.sampled_from(["will donate", "is sending", "pledged"]),
)
def test_points_set_up_are_things_given(donor: str, lead: str, count: int, verb: str) -> None:
    """ "Lithuania will donate 40 generators and 25 heating points": places set up and given;
    points of a score or a percentage stay none."""
    text = f"{donor} {verb} 40 generators and {count} {lead} points for Kyiv."
    assert [(p.donor, p.quantity) for p in extract(text, ON).pledges] == [
        (donor, Decimal(40)),
        (donor, Decimal(count)),
    ]
    assert read.sums(f"Support for {donor}'s aid rose by {count} points.") == []


@given(
    name=st.sampled_from(["The Nordic-Baltic Eight", "The NB8 countries", "The NB8"]),
    millions=MILLIONS,
    verb=st.sampled_from(["agreed in September to jointly finance", "will pay for"]),
)
def test_the_nordic_baltic_eight_give_as_a_group(name: str, millions: int, verb: str) -> None:
    """ "The Nordic-Baltic Eight group of countries agreed ... to jointly finance a 500 million
    dollar package": the group is a donor, its members those of the NB8."""
    text = f"{name} {verb} a {millions} million dollar package of US weapons for Ukraine."
    assert read.sums(text) == [("Nordic-Baltic Eight", Decimal(millions * 10**6), "USD")]


@given(
    donor=st.sampled_from(["Portugal", "Germany", "Britain", "Japan"]),
    millions=MILLIONS,
    what=st.sampled_from([" for 2026", " package", "", " in military aid"]),
    verb=st.sampled_from(["announced", "pledged", "promised", "first announced"]),
    month=st.sampled_from(MONTHS),
    rest=st.sampled_from([
        "has been fully contracted but only half has been paid",
        "has yet to arrive",
        "will be spent on drones",
    ]),
)  # fmt: skip
def test_a_sum_owned_by_its_donor_and_set_off_by_its_promise_is_a_pledge(
    donor: str, millions: int, what: str, verb: str, month: str, rest: str
) -> None:
    """ "Portugal's €220 million for 2026, announced in March, has been fully contracted": the
    donor's pledge, reported as made before; what the rest tells of it adds none."""
    text = f"{donor}'s €{millions} million{what}, {verb} in {month}, {rest}."
    name = "United Kingdom" if donor == "Britain" else donor
    assert read.sums(text) == [(name, Decimal(millions * 10**6), "EUR")]
    assert (
        read.sums(f"Ukraine's €{millions} million budget gap, announced in {month}, remains.") == []
    )


@given(
    donor=st.sampled_from(["The Netherlands", "The United States", "Germany", "Sweden"]),
    millions=MILLIONS,
    verb=st.sampled_from(["gave", "contributed", "had pledged"]),
    aside=st.sampled_from(["", ", its largest donor by far"]),
    negation=st.sampled_from(["did not pledge", "made no new pledge", "has not yet committed"]),
)
def test_what_a_donor_gave_before_beside_no_pledge_now_is_none(
    donor: str, millions: int, verb: str, aside: str, negation: str
) -> None:
    """ "The Netherlands, which gave 165 million euros last time, did not pledge": the earlier
    figure is no pledge; one pledged now beside it stays."""
    text = f"{donor}, which {verb} €{millions} million last time{aside}, {negation}."
    assert read.sums(text) == []
    name = donor.removeprefix("The ")
    pledged = f"{donor}, which {verb} €{millions} million last time, pledged €5 million."
    assert read.sums(pledged) == [(name, Decimal(5 * 10**6), "EUR")]


@given(
    donor=st.sampled_from(["The Netherlands", "Germany", "Sweden", "The United States"]),
    before=MILLIONS,
    now=st.one_of(st.none(), MILLIONS),  # None: the same sum as before
    gave=st.sampled_from(EARLIER_GIFT_VERBS).map(lambda verb: verb.replace("given", "had given")),
    time=st.sampled_from(["last year", "last time", "in 2023", "a year ago"]),
    verb=st.sampled_from(["pledged", "promised", "will give", "has committed", "announced"]),
)
def test_an_earlier_gift_beside_a_pledge_now_is_none_whatever_its_sum(
    donor: str, before: int, now: int | None, gave: str, time: str, verb: str
) -> None:
    """ "Germany, which gave €5 million last year, pledged €5 million": the figure of the
    relative clause set in a time before now is no pledge, the one pledged now is, though
    the two are equal, and "10 more" after it counts its things; "..., did not pledge, but
    Norway pledged €5 million": Norway's is. Without a pledge now beside it ("..., a figure
    it has kept"), the earlier gift is read, as article 47's gold records one."""
    pledged = now or before
    text = f"{donor}, which {gave} €{before} million {time}, {verb} €{pledged} million."
    assert read.sums(text) == [(donor.removeprefix("The "), Decimal(pledged * 10**6), "EUR")]
    other = f"{donor}, which {gave} €{before} million {time}, did not pledge, but Norway"
    assert read.sums(f"{other} pledged €{before} million.") == [
        ("Norway", Decimal(before * 10**6), "EUR")
    ]
    kept = f"{donor}, which {gave} €{before} million {time}, a figure it has kept."
    assert read.sums(kept) == [(donor.removeprefix("The "), Decimal(before * 10**6), "EUR")]
    more = f"{donor}, which {gave} {before} tanks {time}, will send {pledged} more."
    assert read.things(more) == [(donor.removeprefix("The "), "tanks", Decimal(pledged), None)]
    this_year = f"{donor}, which {gave} €{before} million in {ON.year}, {verb} €{pledged} million."
    assert (donor.removeprefix("The "), Decimal(before * 10**6), "EUR") in read.sums(this_year)


@given(
    donor=st.sampled_from(["Lithuania", "Estonia", "Denmark", "Latvia"]),
    share=st.sampled_from(["0.25%", "0.1%", "0.25 per cent"]),
    opening=st.sampled_from([
        "{d} has promised {s} of its GDP a year for military aid to Ukraine",
        "{d}'s parliament approved a plan in June to spend {s} of GDP on military aid for "
        "Ukraine every year",
        "{d} pledged {s} of GDP in military aid for Ukraine until 2027",
    ]),
)  # fmt: skip
def test_a_share_of_gdp_promised_is_a_pledge_without_a_figure(
    donor: str, share: str, opening: str
) -> None:
    """ "Lithuania's parliament approved a plan in June to spend 0.25% of GDP on military aid
    for Ukraine every year": a pledge without a figure, its item the share; a share given as
    a habit, or if all gave it, is none."""
    text = "Norway pledged €5 million for demining. " + opening.format(d=donor, s=share) + "."
    pledges = extract(text, ON).pledges
    assert [(p.donor, p.amount, p.quantity) for p in pledges] == [
        ("Norway", Decimal(5 * 10**6), None),
        (donor, None, None),
    ]
    assert pledges[1].item.endswith("GDP") and share in pledges[1].item
    assert read.sums(f"{donor} gives more than {share} of GDP to Ukraine every year.") == []
    assert read.sums(f"If every member gave {share} of its GDP, Ukraine would win.") == []
