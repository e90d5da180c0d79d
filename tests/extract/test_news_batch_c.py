"""The wordings of the six news articles 60-65 (a wire story with key points before its body,
a defence trade-press piece mixing contracts for a buyer's own forces with aid, a story on a
support tracker's tallies and rankings beside new announcements, a ministry release
translated into English, drone and IT coalitions' contributions, a regional paper's runs of
donors and sums in several currencies), each rule tried on several phrasings, and the six
articles' score held.

Judgement calls of their gold (``news/gold.json``): a key point restating the body is no
second pledge; a package pledged earlier and reported again counts once ("announced its 20th
package worth 18.3 billion crowns last month"), as does a contribution named as an earlier
one ("its second such contribution after €500 million in August"); a coalition's total of
its members' new money ("members pledged a further €1.4 billion") sums other pledges, no
pledge of its own; money for counted things bought with it ("£350 million for 100,000
drones", "18 howitzers under a 1.2 billion kroner agreement") is one pledge with both
figures; a tracker's figures, rankings and totals since 2022 are no pledges, nor are the
prices of systems, what a donor orders for its own army, what is already in service, losses
counted by open sources, and what Ukraine says it needs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.extract.readings import Readings
from tests.extract.test_dev_corpus import assert_score_holds
from tests.extract.test_news_articles import NEWS
from tracker.extract import extract
from tracker.extract.numbers import find_numbers

ON = date(2026, 12, 3)
read = Readings(ON)
# The six articles 60-65 (before the rules they brought: precision 0.63, recall 0.64).
FIRST, LAST = "60", "65~"
PRECISION_BASELINE = 0.96
RECALL_BASELINE = 0.91


def test_the_six_articles_60_to_65_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


SUMS = [("SEK {n} million", "SEK"), ("{n} million Danish kroner", "DKK"),
        ("EUR {n} million", "EUR"), ("£{n} million", "GBP"), ("US$ {n} million", "USD"),
        ("€{n} million", "EUR"),
        ("NOK {n} million", "NOK")]  # fmt: skip
DONORS = ["Sweden", "Denmark", "Germany", "the United Kingdom", "Finland", "Japan", "Norway"]
NAMES = {"the United Kingdom": "United Kingdom"}


@pytest.mark.parametrize(
    "lead",
    ["Other new contributions, as listed by the fund's secretariat:",
     "New pledges announced at the meeting:", "Fresh contributions to the fund include:",
     "Other pledges:"],
)  # fmt: skip
@given(
    donors=st.lists(st.sampled_from(DONORS), min_size=3, max_size=5, unique=True),
    sums=st.lists(st.sampled_from(SUMS), min_size=5, max_size=5),
    millions=st.lists(st.integers(min_value=2, max_value=900), min_size=5, max_size=5),
)
def test_a_run_of_donors_and_sums_after_new_contributions_is_each_donor_s_pledge(
    lead: str, donors: list[str], sums: list[tuple[str, str]], millions: list[int]
) -> None:
    pairs = [
        (donor, form.format(n=n), code)
        for donor, (form, code), n in zip(donors, sums, millions, strict=False)
    ]
    text = f"{lead} " + "; ".join(f"{donor}, {said}" for donor, said, _ in pairs) + "."
    assert read.figures(text) == [
        (NAMES.get(donor, donor), Decimal(n * 1_000_000), code)
        for (donor, _, code), n in zip(pairs, millions, strict=False)
    ]


@given(millions=st.lists(st.integers(min_value=2, max_value=900), min_size=3, max_size=3))
def test_a_run_of_totals_to_date_is_no_pledge(millions: list[int]) -> None:
    a, b, c = millions
    text = (
        f"Contributions since 2022: Germany, EUR {a} million; Norway, NOK {b} million;"
        f" Japan, ${c} million."
    )
    assert read.figures(text) == []


TALLIES = [
    "Germany remains the largest European donor with €{a} billion in allocated aid, followed by"
    " the United Kingdom with €{b} billion, the institute said.",
    "European governments allocated €{a} billion in new military aid in July, the tracker shows.",
    "Denmark has committed €{a} billion, according to the Kiel Institute's Ukraine Support"
    " Tracker.",
    "Japan, the largest donor outside Europe, has allocated €{a} billion, while Canada has"
    " allocated €{b} billion.",
    "According to the Kiel Institute, Denmark has committed €{a} billion to Ukraine.",
]


@pytest.mark.parametrize("tally", TALLIES)
@given(a=st.integers(min_value=2, max_value=90), b=st.integers(min_value=2, max_value=90))
def test_a_tracker_s_tally_or_a_ranking_of_donors_is_no_pledge(tally: str, a: int, b: int) -> None:
    assert read.figures(tally.format(a=a, b=b)) == []


@given(a=st.integers(min_value=2, max_value=90))
def test_the_largest_donor_giving_more_still_pledges(a: int) -> None:
    text = f"Germany, Ukraine's largest European donor, has pledged a further €{a} billion."
    assert read.figures(text) == [("Germany", Decimal(a * 1_000_000_000), "EUR")]
    text = f"Denmark pledged €{a} billion on Monday, a sum the Kiel Institute has not counted."
    assert read.figures(text) == [("Denmark", Decimal(a * 1_000_000_000), "EUR")]


@given(a=st.integers(min_value=2, max_value=90))
def test_a_ranked_donor_s_total_since_a_year_is_still_reported(a: int) -> None:
    text = (
        f"Germany has provided about {a} billion euros in military aid to Ukraine since 2022,"
        " making it the second-largest donor after the United States."
    )
    extraction = extract(text, ON)
    assert extraction.pledges == ()
    assert [r.amount for r in extraction.stage_reports] == [Decimal(a * 1_000_000_000)]


@pytest.mark.parametrize("than", ["less military aid than", "more air defence than",
                                  "fewer tanks than"])  # fmt: skip
def test_giving_less_than_another_is_a_comparison(than: str) -> None:
    assert read.figures(f"France and Italy together have allocated {than} Denmark.") == []


def test_a_delegation_s_leader_still_gives() -> None:
    text = "A German delegation, led by Chancellor Friedrich Merz, pledged €1 billion to Ukraine."
    assert read.figures(text) == [("Germany", Decimal(1_000_000_000), "EUR")]


@pytest.mark.parametrize("verb", ["are already in service", "are now in service",
                                  "have been in service"])  # fmt: skip
@given(n=st.integers(min_value=2, max_value=90))
def test_things_already_in_service_are_no_pledge(verb: str, n: int) -> None:
    text = f"{n} Skynex systems donated by Germany in 2024 {verb} with Ukrainian units."
    assert read.figures(text) == []


ARMIES = [("Poland's Armament Agency", "the Polish army", "Poland"),
          ("Germany's procurement office", "the German army", "Germany"),
          ("Sweden's FMV", "its own armed forces", "Sweden")]  # fmt: skip


@pytest.mark.parametrize(("buyer", "army", "country"), ARMIES)
@given(n=st.integers(min_value=2, max_value=900))
def test_a_purchase_for_the_buyer_s_own_army_is_no_pledge(
    buyer: str, army: str, country: str, n: int
) -> None:
    text = f"{buyer} signed a contract for {n} Piorun air defence launchers for {army}."
    assert read.figures(text) == []
    given_ = f"{country} will send {n} Piorun air defence launchers to Ukraine."
    assert read.figures(given_) == [(country, n, None)]


@pytest.mark.parametrize("region", ["Nordic countries", "Baltic states", "G7"])
@given(n=st.integers(min_value=2, max_value=90))
def test_a_sentence_opened_by_its_region_is_given_by_the_names_after(region: str, n: int) -> None:
    text = f"In the {region}, Denmark and Norway will jointly finance {n} Bohdana howitzers."
    assert [p.donor for p in extract(text, ON).pledges] == ["Denmark"]


@pytest.mark.parametrize("led", ["led by", "co-led by", "chaired by", "headed by"])
@given(n=st.integers(min_value=2, max_value=900))
def test_a_group_s_leaders_do_not_give_its_money(led: str, n: int) -> None:
    text = f"The IT coalition, {led} Estonia and Luxembourg, added €{n} million for Ukraine."
    assert read.figures(text) == []
    text = f"Luxembourg will contribute €{n} million to the IT coalition for Ukraine."
    assert read.figures(text) == [("Luxembourg", Decimal(n * 1_000_000), "EUR")]


@pytest.mark.parametrize(("donor", "code"), [("Sweden", "SEK"), ("Norway", "NOK"),
                                             ("Denmark", "DKK")])  # fmt: skip
@given(n=st.integers(min_value=2, max_value=900))
def test_kr_is_the_donor_s_crown(donor: str, code: str, n: int) -> None:
    assert read.figures(f"{donor} will give {n} million kr to Ukraine's energy fund.") == [
        (donor, Decimal(n * 1_000_000), code)
    ]


@pytest.mark.parametrize("model", ["RBS 70", "RBS 15"])
def test_a_model_number_is_no_count(model: str) -> None:
    assert find_numbers(f"{model} air defence systems") == []
    assert read.figures(f"Sweden will send 8 {model} launchers to Ukraine.") == [
        ("Sweden", 8, None)
    ]


@pytest.mark.parametrize("firms", ["transformer makers", "companies", "manufacturers", "firms"])
def test_firms_are_no_count(firms: str) -> None:
    text = f"Norway will give NOK 400 million for equipment from two {firms} in Bergen."
    assert read.figures(text) == [("Norway", Decimal(400_000_000), "NOK")]


@pytest.mark.parametrize("made", ["", " produced by Latvian companies,", " made in Latvia,"])
@given(n=st.integers(min_value=2, max_value=5000), m=st.integers(min_value=2, max_value=90))
def test_interceptors_worth_a_sum_are_one_pledge(made: str, n: int, m: int) -> None:
    text = f"Latvia will send {n:,} interceptor drones{made} worth €{m} million."
    (pledge,) = extract(text, ON).pledges
    assert (pledge.quantity, pledge.amount) == (n, Decimal(m * 1_000_000))


LISTED = [("155mm ammunition", "155mm ammunition"), ("anti-drone systems", "anti-drone systems"),
          ("Stinger missiles", "Stinger missiles")]  # fmt: skip


@given(
    named=st.lists(st.sampled_from(LISTED), min_size=2, max_size=2, unique=True),
    n=st.integers(min_value=2, max_value=90),
)
def test_a_list_naming_things_before_a_count_names_each(
    named: list[tuple[str, str]], n: int
) -> None:
    (first, one), (second, two) = named
    text = f"Lithuania will send {first}, {second} and {n} power generators, the minister said."
    assert [(p.item, p.quantity) for p in extract(text, ON).pledges] == [
        (one, None),
        (two, None),
        ("power generators", n),
    ]


@given(billions=st.integers(min_value=2, max_value=40))
def test_a_package_that_will_include_things_names_each(billions: int) -> None:
    text = (
        f"Sweden announced that its 21st package, in the amount of SEK {billions} billion, will"
        " include Archer artillery systems, CV90 combat vehicles and RBS 70 air defence systems."
    )
    assert [(p.item, p.amount) for p in extract(text, ON).pledges][:1] == [
        ("military aid", Decimal(billions * 1_000_000_000))
    ]
    assert len(extract(text, ON).pledges) == 4


@pytest.mark.parametrize(("pair", "others"), [("Denmark and Norway", "Norway"),
                                              ("Latvia and Estonia", "Estonia")])  # fmt: skip
@given(n=st.integers(min_value=2, max_value=900))
def test_a_line_labelled_by_two_donors_is_their_joint_sum(pair: str, others: str, n: int) -> None:
    text = f"- {pair}: jointly €{n} million for drone production under the Danish model;"
    (pledge,) = extract(text, ON).pledges
    assert (pledge.donor, pledge.amount, pledge.notes) == (
        pair.split()[0],
        Decimal(n * 1_000_000),
        f"jointly with {others}",
    )


@pytest.mark.parametrize("loss", ["the loss of", "the losses of", "the loss of at least"])
@given(n=st.integers(min_value=2, max_value=90))
def test_losses_counted_by_open_sources_are_no_pledge(loss: str, n: int) -> None:
    text = f"Oryx has documented {loss} {n} Leopard 2 tanks supplied by Germany and Poland."
    assert read.figures(text) == []
