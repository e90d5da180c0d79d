"""The wordings of the five news articles C0-C4 (a wire story of air defence pledged at a
contact group before winter; a broadsheet's Sudan and Gaza aid in pounds, with its parts and a
charity's reproach; a Kyiv outlet's round-up of the day's aid, with key-point bullets; an
Australian outlet's Bushmasters and quake aid to Vanuatu in dollars that are Australian; a
health fund's replenishment summit, with cuts against the last round and private
foundations), each rule tried on several phrasings, and the five articles' score held.

Judgement calls of their gold (``news/gold.json``): a group's total is a pledge of that group
(DESIGN.md's "conference participants"; "donors at the conference pledged just over $1bn",
"The G7 countries agreed in 2024 to provide ... around $50 billion"); the figure a pledge is
compared with ("against 1.3 billion euros last time", "a cut of 15% from the 1 billion pounds
it gave in 2022", "less than the $15.7 billion raised three years ago") and a donor's earlier
figure beside "did not pledge" are none; "The money ... includes £30m for ..." names parts of
the sum before; the dollars of an Australian outlet are Australian; things "handed over" that
were "part of a 15 million euro package approved in August" are a delivery, and that package
a pledge reported as made before; a share of GDP promised is a pledge without a figure;
specialists offered are people, no pledge; "Japan has now disbursed the full $3.4 billion it
committed" records the commitment.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tests.extract.readings import Readings
from tests.extract.test_dev_corpus import _same_donor, assert_score_holds
from tests.extract.test_news_articles import NEWS
from tracker.extract import extract

ON = date(2026, 11, 20)
read = Readings(ON)
# The five articles C0-C4 (before the rules they brought: precision 0.65, recall 0.53, 31 of
# 48 extracted, of 59 gold pledges, with the group totals the gold records; after them 0.87
# and 0.78, 46 of 53, of 59).
FIRST, LAST = "C0", "C4~"
PRECISION_BASELINE = 0.86
RECALL_BASELINE = 0.76

DONORS = ["Germany", "Norway", "Canada", "Japan", "Sweden", "Poland", "Italy"]
MILLIONS = st.integers(min_value=2, max_value=900)


def test_the_five_articles_c0_to_c4_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


def test_donors_match_as_the_corpus_scoring_tool_matches_them() -> None:
    """A name in common, or for groups a word of more than three letters in common."""
    assert _same_donor("Norway; Denmark", "Norway")
    assert _same_donor("Donors at the conference", "International donors")
    assert _same_donor("the UK", "United Kingdom")
    assert not _same_donor("Norway", "Denmark")
    assert not _same_donor("G7", "EU member states")


@given(
    donor=st.sampled_from(DONORS),
    noun=st.sampled_from(["money", "funds", "pledge", "commitment"]),
    people=st.integers(min_value=1_000, max_value=999_999),
    total=st.integers(min_value=100, max_value=900),
    first=st.integers(min_value=2, max_value=49),
    second=st.integers(min_value=2, max_value=49),
)
def test_what_the_money_before_includes_are_its_parts(
    donor: str, noun: str, people: int, total: int, first: int, second: int
) -> None:
    """ "The money, which will feed 650,000 people, includes £30m for ..." names parts of the
    sum the sentence before pledged, the words set off by commas holding a figure's
    thousands."""
    text = (
        f"{donor} pledged €{total}m in humanitarian aid for Sudan. The {noun}, which officials "
        f"say will feed about {people:,} people over the next year, includes €{first}m for the "
        f"World Food Programme and €{second}m for emergency health care."
    )
    assert read.sums(text) == [
        (donor, Decimal(total * 10**6), "EUR"),
        (donor, Decimal(first * 10**6), "EUR"),
        (donor, Decimal(second * 10**6), "EUR"),
    ]


COMPARISONS = [
    ", against €{old} million last time",
    ", compared with €{old} million in the last round",
    ", a cut of 15% from the €{old} million it gave in 2022",
    ", an increase of 20 per cent on the €{old} million it gave last year",
    " - less than a quarter of the €{old} million the UN says it needs",
    ", far below the €{old} million the fund sought",
    ", more than the €{old} million it gave three years ago",
]


@given(
    donor=st.sampled_from(DONORS),
    verb=st.sampled_from(["pledged", "put forward", "committed", "announced"]),
    new=MILLIONS,
    old=MILLIONS,
    comparison=st.sampled_from(COMPARISONS),
)
def test_the_figure_a_pledge_is_compared_with_is_none(
    donor: str, verb: str, new: int, old: int, comparison: str
) -> None:
    text = f"{donor} {verb} €{new} million{comparison.format(old=old)}."
    assert read.sums(text) == [(donor, Decimal(new * 10**6), "EUR")]


@given(
    donor=st.sampled_from(DONORS),
    form=st.sampled_from(["put forward", "puts forward", "is putting forward"]),
    millions=MILLIONS,
)
def test_putting_forward_a_sum_pledges_it(donor: str, form: str, millions: int) -> None:
    text = f"{donor} {form} €{millions} million in new humanitarian funding for Sudan."
    assert read.sums(text) == [(donor, Decimal(millions * 10**6), "EUR")]


@given(
    first=st.sampled_from(["The United States", "Germany", "Japan"]),
    organisation=st.sampled_from(["the European Union", "the World Bank", "the EIB"]),
    last=st.sampled_from(["Canada", "Norway"]),
    verb=st.sampled_from(["contributed", "pledged", "will provide"]),
    amounts=st.tuples(MILLIONS, MILLIONS, MILLIONS),
    joiner=st.sampled_from([", and", " and"]),
)
def test_a_named_body_in_a_run_of_sums_gives_its_own(
    first: str,
    organisation: str,
    last: str,
    verb: str,
    amounts: tuple[int, int, int],
    joiner: str,
) -> None:
    """ "The United States contributed $20bn, the European Union €18.1bn, and Canada $5bn":
    the body with "the" before its name gives the sum after it, as a country does."""
    one, two, three = amounts
    text = (
        f"{first} {verb} ${one} million, {organisation} €{two} million{joiner} {last} "
        f"${three} million."
    )
    names = {"the European Union": "European Union", "the World Bank": "World Bank",
             "the EIB": "European Investment Bank"}  # fmt: skip
    assert read.sums(text) == [
        (first.removeprefix("The "), Decimal(one * 10**6), "USD"),
        (names[organisation], Decimal(two * 10**6), "EUR"),
        (last, Decimal(three * 10**6), "USD"),
    ]


@given(
    donor=st.sampled_from(DONORS),
    maker=st.sampled_from(
        ["the U.S. manufacturer", "a US company", "the German firm", "a French defence company"]
    ),
    set_off=st.booleans(),
    first=st.integers(min_value=2, max_value=9),
    second=st.integers(min_value=10, max_value=90),
)
def test_a_country_that_names_a_maker_gives_nothing(
    donor: str, maker: str, set_off: bool, first: int, second: int
) -> None:
    """ "to be built by the U.S. manufacturer, and would send 30 Gepard guns": the guns are
    the subject's, not the maker's country's."""
    built = f", built by {maker}," if set_off else f" to be built by {maker}"
    text = (
        f"{donor} said it would finance {first} Patriot systems{built} and would send "
        f"{second} Gepard anti-aircraft guns."
    )
    assert [(p.donor, p.quantity) for p in extract(text, ON).pledges] == [
        (donor, Decimal(first)),
        (donor, Decimal(second)),
    ]


@given(
    donor=st.sampled_from(DONORS),
    count=st.integers(min_value=2, max_value=500),
    people=st.sampled_from(
        ["British military logistics specialists", "disaster relief experts", "firefighters",
         "military advisers", "police officers", "volunteers", "peacekeepers"]
    ),
    verb=st.sampled_from(["will send", "has offered", "will provide"]),
)  # fmt: skip
def test_people_sent_are_no_pledge(donor: str, count: int, people: str, verb: str) -> None:
    text = f"{donor} {verb} {count} {people} to help the UN plan aid corridors."
    assert extract(text, ON).pledges == ()


HOMES = [("Australia", "AUD", "Canberra"), ("Canada", "CAD", "Ottawa"),
         ("New Zealand", "NZD", "Wellington")]  # fmt: skip


@given(
    home=st.sampled_from(HOMES),
    first=MILLIONS,
    second=MILLIONS,
    subject=st.sampled_from(["The federal government", "The government"]),
)
def test_an_outlet_s_own_dollar_is_its_donor_s(
    home: tuple[str, str, str], first: int, second: int, subject: str
) -> None:
    """An Australian outlet's "$95 million package" is in Australian dollars: every bare "$"
    sum is pledged by that one country and the article never names the US dollar; the
    government that opens the body is the donor the article names most."""
    country, code, capital = home
    article = (
        f"{country} to send more armoured vehicles to Ukraine\n\nBy defence correspondent\n\n"
        f"Posted Thu 26 Nov 2026 at 5:12pm\n\n{subject} will send another 50 armoured vehicles "
        f"to Ukraine as part of a ${first} million military assistance package, the defence "
        f"minister announced in {capital}.\n\n{country} would also provide an initial "
        f"${second} million in humanitarian assistance to Vanuatu, the foreign minister said."
    )
    pledges = extract(article, ON).pledges
    assert {p.donor for p in pledges} == {country}
    assert sorted((p.amount, p.currency) for p in pledges if p.amount) == sorted(
        [(Decimal(first * 10**6), code), (Decimal(second * 10**6), code)]
    )
    named = article.replace("the foreign minister said.", "about US$3 million, officials said.")
    assert {p.currency for p in extract(named, ON).pledges if p.amount} == {"USD"}
    other = article + f"\n\nGermany said it would give ${second} million."
    assert {p.currency for p in extract(other, ON).pledges if p.amount} == {"USD"}
