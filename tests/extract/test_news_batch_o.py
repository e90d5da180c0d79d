"""The wordings of the five news articles F0-F4 (a fact-check of a pledge that was never made,
quoting the claim, its versions and what was really announced; a development bank's press
release of loans, guarantees, grants and co-financing, with what they "mobilise"; a hurricane
appeal in Central America, with sums in Mexican and Colombian pesos, reais, yen and dollars
from governments, the UN and a regional bank; a newspaper's weekly aid tracker column, with new
pledges, revisions, deliveries and week-on-week tallies; a Spanish daily in translation, its
sums grouped by full stops and decimal commas, "mln zł" and "mld zł"), each rule tried on
several phrasings, and the five articles' score held.

Judgement calls of their gold (``news/gold.json``): a claim a fact-check quotes, false or not,
is no pledge, and neither is what a claim mixed up (a running total of deliveries); a
parliament's budget line for Ukraine is recorded as in article 99 ("sets aside €11.5 billion
for military support to Ukraine next year"), a tracker's tally of a donor's year ("€9.2
billion of new commitments in 2026") and a programme's allocation are sums of other pledges;
what a guarantee is "expected to mobilise" and a facility's target are no sums given; a
package's total, its loans, grants and guarantee, and the shares of a grant are each recorded;
a bank's "$250,000 in non-reimbursable aid for each of the two countries" is two pledges; a
revised pledge is recorded once, at its new figure, as in article 99; a country's own spending
on its disaster, damage estimates, appeals, tonnes shipped and rescuers sent are no pledges; a
credit line for the donor's own companies is none; a package approved without a published
value is a pledge without a figure.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tests.extract.readings import Readings
from tests.extract.test_dev_corpus import assert_score_holds
from tests.extract.test_news_articles import NEWS
from tracker.extract.numbers import find_numbers

ON = date(2026, 12, 8)
# The five articles F0-F4 (before the rules they brought: precision 0.67, recall 0.60, 38 of
# 57 extracted, of 63 gold pledges; after them 0.90 and 0.84, 53 of 59, of 63).
FIRST, LAST = "F0", "F4~"
PRECISION_BASELINE = 0.89
RECALL_BASELINE = 0.84

DONORS = ["Germany", "Norway", "Canada", "Japan", "Sweden", "Poland", "Italy"]
MILLIONS = st.integers(min_value=2, max_value=900)
read = Readings(ON)


def test_the_five_articles_f0_to_f4_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


PESO_COUNTRIES = [("Mexico", "MXN"), ("Colombia", "COP"), ("Argentina", "ARS"),
                  ("Chile", "CLP"), ("the Philippines", "PHP")]  # fmt: skip


@given(
    country=st.sampled_from(PESO_COUNTRIES),
    verb=st.sampled_from(["will send", "pledged", "approved", "would donate"]),
    millions=MILLIONS,
    recipient=st.sampled_from(["Honduras", "Guatemala", "Cuba", "Haiti"]),
)
def test_pesos_are_the_donor_s_own(
    country: tuple[str, str], verb: str, millions: int, recipient: str
) -> None:
    """ "Mexico said it would send humanitarian aid worth 85 million pesos to Honduras":
    pesos are the donor's, as crowns are; named with the country, they are that country's."""
    name, code = country
    donor = name.removeprefix("the ")
    text = f"{name[0].upper()}{name[1:]} {verb} {millions} million pesos in aid for {recipient}."
    assert read.sums(text) == [(donor, Decimal(millions * 10**6), code)]
    named = f"Spain {verb} {millions} million Mexican pesos in aid for {recipient}."
    assert read.sums(named) == [("Spain", Decimal(millions * 10**6), "MXN")]


@given(
    thousands=st.integers(min_value=1, max_value=99),
    tens=st.integers(min_value=0, max_value=99),
    scale=st.sampled_from(["million euros", "mln euro", "million zlotys"]),
)
def test_a_sum_grouped_by_a_full_stop_before_million_is_thousands_of_millions(
    thousands: int, tens: int, scale: str
) -> None:
    """ "1.130 million euros", "4.500 mln": Spanish and Italian count large sums in millions
    and group their thousands by full stops; an English decimal would drop its last nought.
    "1.125 million" keeps its decimals."""
    digits = f"{thousands}.{tens:02d}0"
    (sum_,) = find_numbers(f"Spain will send {digits} {scale} to Ukraine.")
    assert sum_.value == Decimal(thousands * 1000 + tens * 10) * 10**6
    (decimal,) = find_numbers(f"Spain will send {thousands}.{tens:02d}5 {scale} to Ukraine.")
    assert decimal.value == Decimal(f"{thousands}.{tens:02d}5") * 10**6


@given(
    country=st.sampled_from(["Spain", "Italy", "Poland", "Portugal"]),
    millions=MILLIONS,
    also=st.sampled_from(["", "also ", "on Tuesday "]),
    noun=st.sampled_from(["a contribution of", "a package worth", "aid worth"]),
)
def test_the_council_of_ministers_is_the_country_the_article_names_most(
    country: str, millions: int, also: str, noun: str
) -> None:
    """ "The Council of Ministers also approved a contribution of 25 million euros" in an
    article about Spain: the Spanish cabinet, as "the Foreign Office" is the British or the
    German one; in an article about the EU it stays the EU's council."""
    council = (
        f"The Council of Ministers {also}approved {noun} {millions} million euros for Ukraine."
    )
    article = f"{country} will send 20 armoured vehicles to Ukraine. {country} said so. {council}"
    assert read.sums(article)[-1] == (country, Decimal(millions * 10**6), "EUR")
    about_the_eu = f"The EU met on Monday. The EU said so. {council}"
    assert read.sums(about_the_eu) == [("European Union", Decimal(millions * 10**6), "EUR")]


@given(
    donor=st.sampled_from(["Taiwan", "Japan", "South Korea", "Norway"]),
    other=st.sampled_from(["Guatemala", "Ukraine", "Kyiv", "Germany"]),
    clause=st.sampled_from(["which {o} recognises diplomatically", "whose aid {o} welcomed",
                            "which {o} thanked last year", "who met {o}'s envoy"]),
    verb=st.sampled_from(["pledged", "will give", "announced"]),
    millions=MILLIONS,
)  # fmt: skip
def test_a_name_in_the_donor_s_relative_clause_gives_nothing(
    donor: str, other: str, clause: str, verb: str, millions: int
) -> None:
    """ "Taiwan, which Guatemala recognises diplomatically, pledged $1 million to Guatemala":
    the donor is the subject before the clause, not the name inside it."""
    text = f"{donor}, {clause.format(o=other)}, {verb} ${millions} million for flood relief."
    assert read.sums(text) == [(donor, Decimal(millions * 10**6), "USD")]


@given(
    donor=st.sampled_from(DONORS),
    millions=MILLIONS,
    claim=st.sampled_from([
        'CLAIM: {d} "pledged {s} in new weapons to Ukraine" last week.',
        'The claim that {d} will send {s} to Ukraine is false.',
        'Posts shared thousands of times say {d} pledged {s} to Ukraine.',
        'Some versions add that {d} "will give {s} to Ukraine before Christmas".',
        'Viral posts claim {d} has promised {s} to Ukraine.',
    ]),
)  # fmt: skip
def test_a_claim_a_fact_check_quotes_is_no_pledge(donor: str, millions: int, claim: str) -> None:
    """ "CLAIM: Germany 'pledged €10 billion ...'", "The claim that Germany will send 100
    Taurus missiles is also false": what a fact-check quotes as claimed is no pledge; what it
    says was announced is."""
    money = f"€{millions} million"
    fact = f"In fact, {donor} pledged €{millions + 1} million for air defence."
    assert read.sums(f"{claim.format(d=donor, s=money)} {fact}") == [
        (donor, Decimal((millions + 1) * 10**6), "EUR")
    ]


@given(
    donor=st.sampled_from(["Spain", "Germany", "Sweden"]),
    attribution=st.sampled_from([
        "According to sources of the Ministry consulted by this newspaper",
        "According to a senior official who briefed reporters on Tuesday evening",
        "according to two officials who spoke on condition of anonymity on Tuesday",
    ]),
    count=st.integers(min_value=10, max_value=90),  # (six, the tanks' count, would be theirs)
    rounds=st.integers(min_value=1_000, max_value=90_000),
)  # fmt: skip
def test_a_long_attribution_before_a_package_s_contents(
    donor: str, attribution: str, count: int, rounds: int
) -> None:
    """ "According to sources of the Ministry consulted by this newspaper, the 2027 package also
    includes 4 Hawk air defence launchers, ...": the items after a long attribution are the
    package's, as after a short one."""
    attribution = attribution[0].upper() + attribution[1:]
    text = (
        f"{donor} will send six tanks to Ukraine. {attribution}, the package also includes "
        f"{count} armoured vehicles and {rounds:,} rounds of artillery ammunition."
    )
    assert [(p.donor, p.quantity) for p in read.pledges(text)] == [
        (donor, 6),
        (donor, count),
        (donor, rounds),
    ]


@given(
    donor=st.sampled_from(["Germany", "Sweden", "Japan"]),
    verb=st.sampled_from(["stays", "remains", "ranks", "climbs to", "is"]),
    rank=st.sampled_from(["first", "second", "fourth", "top"]),
    billions=st.integers(min_value=2, max_value=30),
    others=st.sampled_from([", ahead of the United Kingdom (£4.5 billion)", ", behind Norway",
                            ""]),
)  # fmt: skip
def test_a_donor_s_place_in_a_table_is_no_pledge(
    donor: str, verb: str, rank: str, billions: int, others: str
) -> None:
    """ "Germany stays first with €9.2 billion of new commitments in 2026, ahead of the United
    Kingdom (£4.5 billion)": a tracker's tally of the year, and the donors ranked beside it."""
    table = f"{donor} {verb} {rank} with €{billions} billion of new commitments in 2026{others}."
    pledge = f"{donor} pledged €{billions + 1} billion on Tuesday."
    assert read.sums(f"{pledge} {table}") == [(donor, Decimal((billions + 1) * 10**9), "EUR")]


@given(
    donor=st.sampled_from(["Mexico", "Japan", "Spain"]),
    count=st.integers(min_value=2, max_value=9),
    vehicles=st.sampled_from(["navy ships", "planes", "aircraft", "trucks", "military planes"]),
    load=st.sampled_from(["carrying 450 tonnes of food", "loaded with tents",
                          "transporting medical supplies", "laden with water"]),
    millions=MILLIONS,
)  # fmt: skip
def test_vehicles_carrying_aid_are_no_gift(
    donor: str, count: int, vehicles: str, load: str, millions: int
) -> None:
    """ "Mexico would send humanitarian aid worth 85 million pesos to Honduras, including two
    navy ships carrying 450 tonnes of food": the ships carry the aid, no ships are given."""
    text = f"{donor} will send aid worth €{millions} million, including {count} {vehicles} {load}."
    assert [(p.donor, p.amount, p.quantity) for p in read.pledges(text)] == [
        (donor, Decimal(millions * 10**6), None)
    ]


@given(
    subject=st.sampled_from(["Contact group members", "The contact group",
                             "Members of the contact group"]),
    verb=st.sampled_from(["announced", "pledged", "committed"]),
    billions=st.integers(min_value=2, max_value=20),
)  # fmt: skip
def test_the_contact_group_is_the_ukraine_defence_contact_group(
    subject: str, verb: str, billions: int
) -> None:
    """ "Contact group members announced about €5 billion in new aid": the group's aggregate,
    as "the Ramstein group" is."""
    text = f"{subject} {verb} about €{billions} billion in new military aid on Wednesday."
    assert read.sums(text) == [("Ukraine Defence Contact Group", Decimal(billions * 10**9), "EUR")]


@given(
    donor=st.sampled_from(["Spain", "Germany", "Italy", "Japan"]),
    noun=st.sampled_from(["companies", "firms", "exporters", "businesses"]),
    millions=MILLIONS,
    grant=MILLIONS,
)
def test_a_sum_for_the_donor_s_own_firms_is_no_gift(
    donor: str, noun: str, millions: int, grant: int
) -> None:
    """ "COFIDES will open a line of credit of 100 million euros for Spanish companies that
    participate in the reconstruction of Ukraine": the donor's exporters are helped, Ukraine
    given nothing; a sum for Ukrainian firms is given."""
    demonym = {"Spain": "Spanish", "Germany": "German", "Italy": "Italian", "Japan": "Japanese"}
    own = f"for {demonym[donor]} {noun} taking part in the reconstruction of Ukraine"
    text = f"{donor} will open a credit line of €{millions} million {own}."
    assert read.sums(text) == []
    ukrainian = f"{donor} will give €{grant} million for Ukrainian {noun} hit by the war."
    assert read.sums(ukrainian) == [(donor, Decimal(grant * 10**6), "EUR")]


@given(
    donor=st.sampled_from(DONORS),
    first=MILLIONS,
    whole=st.integers(min_value=1, max_value=99),
    decimal=st.integers(min_value=1, max_value=9),
    written=st.sampled_from([("{n} million euros", "EUR"), ("NOK {n} million", "NOK"),
                             ("${n} million", "USD")]),
    to=st.sampled_from(["to the International Committee of the Red Cross", "for demining"]),
)  # fmt: skip
def test_a_second_sum_without_its_currency_is_in_the_first_s(
    donor: str, first: int, whole: int, decimal: int, written: tuple[str, str], to: str
) -> None:
    """ "10 million euros will go to the World Food Programme and 3,5 million to the
    International Committee of the Red Cross": the second sum, its currency left out, is in
    the first's (a decimal comma or point alike); "and 2 million rounds" stays a count."""
    form, code = written
    text = (
        f"{donor} will give {form.format(n=first)} to the World Food Programme and "
        f"{whole},{decimal} million {to}."
    )
    assert read.sums(text) == [
        (donor, Decimal(first * 10**6), code),
        (donor, Decimal(f"{whole}.{decimal}") * 10**6, code),
    ]
    counted = f"{donor} will give {form.format(n=first)} and {whole} million rounds to Ukraine."
    assert [(p.amount, p.quantity) for p in read.pledges(counted)] == [
        (Decimal(first * 10**6), None),
        (None, Decimal(whole * 10**6)),
    ]


@given(
    donor=st.sampled_from(["Belgium", "Germany", "Norway", "the Netherlands"]),
    signed=st.sampled_from(["signed a deal", "agreed a contract", "struck an agreement",
                            "signed a new agreement"]),
    count=st.integers(min_value=2, max_value=60),
    things=st.sampled_from(["F-16 jets", "IRIS-T systems", "armoured vehicles"]),
)  # fmt: skip
def test_a_deal_signed_for_ukraine_to_receive_is_the_signer_s_gift(
    donor: str, signed: str, count: int, things: str
) -> None:
    """ "Belgium signed a deal for Ukraine to receive 12 more F-16 jets by 2028": the signer
    gives, Ukraine receives."""
    text = f"{donor[0].upper()}{donor[1:]} {signed} for Ukraine to receive {count} {things}."
    assert [(p.donor, p.quantity) for p in read.pledges(text)] == [
        (donor.removeprefix("the "), count)
    ]


@given(
    donor=st.sampled_from(["Belgium", "Germany", "Canada"]),
    count=st.integers(min_value=2, max_value=40),
    earlier=st.integers(min_value=41, max_value=90),
    lead=st.sampled_from(["on top of the", "in addition to the"]),
    promised=st.sampled_from(["it promised in 2024", "it had pledged last year",
                              "it committed in March"]),
)  # fmt: skip
def test_a_bare_count_promised_before_counts_the_same_things(
    donor: str, count: int, earlier: int, lead: str, promised: str
) -> None:
    """ "12 more F-16 jets by 2028, on top of the 30 it promised in 2024": the earlier promise
    is a pledge reported as made earlier, of the same things; what it delivered is none."""
    text = f"{donor} will send {count} more F-16 jets, {lead} {earlier} {promised}."
    assert [(p.donor, p.item, p.quantity) for p in read.pledges(text)] == [
        (donor, "F-16 jets", count),
        (donor, "F-16 jets", earlier),
    ]
    delivered = f"{donor} will send {count} more F-16 jets, {lead} {earlier} it delivered."
    assert [p.quantity for p in read.pledges(delivered)] == [count]
