"""The wordings of the six news articles 78-83 (a corrected story whose headline, standfirst
and body repeat its figures, an explainer of questions and answers with bullet lists mixing a
new package with what has arrived, a wire story of numbers in words and ranges, a regional
paper's twin-town convoy of fire engines, ambulances and generators from councils, a wire
digest of short items with pledges beside denials and rumours, a minister's interview in the
first person), each rule tried on several phrasings, and the six articles' score held.

Judgement calls of their gold (``news/gold.json``): the corrected figure is the pledge and
neither the correction's wrong figure nor its own restatement ("It is €1.1 billion, not €1.7
billion") is one; a question ("Has Germany sent Taurus missiles?") pledges nothing; each line
of a bulleted package is a pledge of the package's donor, the lines of what "has been
delivered" are not; a year's total set beside other donors' ("Britain's military aid this year
totals about £4.5 billion") sums other pledges; a range is pledged at its lower bound with no
qualifier, "a dozen" counts 12 and "several hundred" counts nothing; a council is a donor
under its own name ("Eastbridge Borough Council"); what an appeal "has
raised" and a vehicle's resale value are no pledges; "reportedly considering", "has not
decided", "declined to confirm", "is not planning" and "may send ... if" are not pledges; a
minister's "we" is the country named at the top of the interview, "We promised 19 aircraft" is
a pledge reported as made earlier, "we have given about 70 billion kroner since 2022" is a
running total; a share of a package ("Most of it, about 3 billion kroner, goes to ...") is
recorded as its part.
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

ON = date(2026, 12, 5)
read = Readings(ON)
# The six articles 78-83 (before the rules they brought: precision 0.79, recall 0.53).
FIRST, LAST = "78", "83~"
PRECISION_BASELINE = 0.95
RECALL_BASELINE = 0.89


def test_the_six_articles_78_to_83_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


DONORS = ["Italy", "Germany", "Norway", "Japan", "Canada", "the Netherlands", "Poland"]
UNIT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "eight": 8, "nine": 9}  # fmt: skip
SCALES = {"million": 10**6, "billion": 10**9}
CURRENCIES = [("euros", "EUR"), ("dollars", "USD"), ("pounds", "GBP")]


@given(
    donor=st.sampled_from(DONORS),
    unit=st.sampled_from(sorted(UNIT_WORDS)),
    scale=st.sampled_from(sorted(SCALES)),
    currency=st.sampled_from(CURRENCIES),
    verb=st.sampled_from(["will provide", "pledged", "would also give Ukraine"]),
)
def test_hundreds_of_millions_in_words(
    donor: str, unit: str, scale: str, currency: tuple[str, str], verb: str
) -> None:
    """ "two hundred million euros" is one sum: every scale word multiplies."""
    words, code = currency
    value = Decimal(UNIT_WORDS[unit] * 100 * SCALES[scale])
    (phrase,) = find_numbers(f"{unit} hundred {scale} {words}")
    assert (phrase.value, phrase.currency) == (value, code)
    text = f"{donor} {verb} {unit} hundred {scale} {words} for the repair of power plants."
    (pledge,) = extract(text, ON).pledges
    assert (pledge.amount, pledge.currency, pledge.quantity) == (value, code, None)


@given(
    donor=st.sampled_from(DONORS),
    scale=st.sampled_from(sorted(SCALES)),
    currency=st.sampled_from(CURRENCIES),
    article=st.sampled_from(["a", "an"]),
)
def test_half_a_billion_is_a_sum(
    donor: str, scale: str, currency: tuple[str, str], article: str
) -> None:
    words, code = currency
    (phrase,) = find_numbers(f"half {article} {scale} {words}")
    assert (phrase.value, phrase.currency) == (Decimal(SCALES[scale]) / 2, code)
    (pledge,) = extract(f"{donor} pledged half a {scale} {words} for interceptors.", ON).pledges
    assert pledge.amount == Decimal(SCALES[scale]) / 2


@pytest.mark.parametrize("words", ["half an hour", "half a day", "half the sum"])
def test_half_without_a_scale_counts_nothing(words: str) -> None:
    assert all(phrase.value != Decimal("0.5") for phrase in find_numbers(words))


@given(donor=st.sampled_from(DONORS), tanks=st.integers(min_value=2, max_value=90))
def test_half_a_dozen_is_six(donor: str, tanks: int) -> None:
    text = f"{donor} will send {tanks} tanks and half a dozen howitzers to Ukraine."
    assert [p.quantity for p in extract(text, ON).pledges] == [Decimal(tanks), Decimal(6)]


MILLIONS = st.integers(min_value=1, max_value=900)
UNSTATED = [
    "Has {donor} pledged €{n} million to Ukraine?",
    "Will {donor} send {n} tanks to Ukraine?",
    "Did {donor} really provide {n} howitzers?",
    'He asked: "Would {donor} give €{n} million?"',
    "An earlier version of this article said {donor} had pledged €{n} million.",
    "A previous version of this story misstated that {donor} will provide €{n} million.",
    "This article has been corrected: it wrongly reported that {donor} pledged €{n} million.",
]


@pytest.mark.parametrize("unstated", UNSTATED)
@given(donor=st.sampled_from(DONORS), n=MILLIONS)
def test_a_question_or_a_correction_pledges_nothing(unstated: str, donor: str, n: int) -> None:
    """A question asks and a correction tells a wrong figure: only the pledge told beside
    them is read."""
    text = f"{donor} will provide €{n + 1} million in military aid. " + unstated.format(
        donor=donor, n=n
    )
    assert [p.amount for p in extract(text, ON).pledges] == [Decimal((n + 1) * 1_000_000)]


COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@given(
    donor=st.sampled_from(["Germany", "Norway", "Sweden", "Denmark"]),
    systems=st.sampled_from(sorted(COUNT_WORDS)),
    missiles=st.integers(min_value=10, max_value=900),
    millions=MILLIONS,
    bullet=st.sampled_from(["-", "•", "*"]),
)
def test_a_bulleted_package_announced_without_a_figure(
    donor: str, systems: str, missiles: int, millions: int, bullet: str
) -> None:
    """Lines after "It includes:" are the package's, for the donor the article names most,
    whatever their first letter; a line without a bullet after them ends the list."""
    text = (
        f"What did {donor} pledge this week?\n\n"
        "The defence minister announced a new package on Thursday. It includes:\n"
        f"{bullet} {systems} IRIS-T SLM air defence systems\n"
        f"{bullet} {missiles} IRIS-T missiles\n"
        f"{bullet} €{millions} million for long-range drones made in Ukraine\n\n"
        "The minister said the drones would be ordered within weeks.\n\n"
        f"{donor} is among Ukraine's largest backers.\n"
    )
    pledges = extract(text, ON).pledges
    assert [(p.donor, p.quantity, p.amount) for p in pledges] == [
        (donor, Decimal(COUNT_WORDS[systems]), None),
        (donor, Decimal(missiles), None),
        (donor, None, Decimal(millions * 1_000_000)),
    ]


SHARERS = [("Germany", "German"), ("Norway", "Norwegian"), ("Denmark", "Danish"),
           ("Canada", "Canadian")]  # fmt: skip


@given(
    first=st.sampled_from(SHARERS),
    second=st.sampled_from(["Belgium", "Sweden", "the Netherlands"]),
    millions=MILLIONS,
    buyer=st.sampled_from(["NATO", "the alliance"]),
)
def test_packages_told_of_before_the_verb_open_no_list(
    first: tuple[str, str], second: str, millions: int, buyer: str
) -> None:
    """The packages told of in "Each package is ... bought by NATO" are those just pledged: the
    contents the next sentence gives "the German package" stay Germany's, not the buyer's."""
    donor, adjective = first
    text = (
        f"{donor} will fund a ${millions} million package and {second} $300 million, NATO "
        f"said. Each package is drawn from Ukraine's list and bought by {buyer} from U.S. "
        f"stocks.\n\nThe {adjective} package will include Patriot interceptors and spare "
        "parts, the defence ministry said.\n"
    )
    contents = [(p.donor, p.item) for p in extract(text, ON).pledges if p.amount is None]
    assert contents == [(donor, "Patriot interceptors"), (donor, "spare parts")]


INTERVIEWED = [("Denmark", "kroner", "DKK"), ("Norway", "kroner", "NOK"),
               ("Sweden", "kronor", "SEK"), ("Germany", "euros", "EUR")]  # fmt: skip


@pytest.mark.parametrize(("donor", "words", "code"), INTERVIEWED)
@given(
    billions=st.integers(min_value=1, max_value=40),
    howitzers=st.integers(min_value=2, max_value=60),
    rounds=st.integers(min_value=1000, max_value=90000),
    decided=st.sampled_from(["We have decided to give", "We will give", "We are giving"]),
)
def test_a_minister_speaking_for_the_country_named_at_the_top(
    donor: str, words: str, code: str, billions: int, howitzers: int, rounds: int, decided: str
) -> None:
    text = (
        f"'We will not leave Ukraine alone': {donor}'s defence minister\n\n"
        f"{donor}'s defence minister spoke to our correspondent.\n\n"
        "Q: What is in the new package?\n\n"
        f"A: {decided} Ukraine a package worth {billions} billion {words}.\n\n"
        "Q: Anything from your own stocks?\n\n"
        f"A: Yes. We will send {howitzers} howitzers, and we are giving {rounds:,} rounds of"
        " 155mm ammunition from army stocks.\n"
    )
    assert read.figures(text) == [
        (donor, Decimal(billions * 1_000_000_000), code),
        (donor, Decimal(howitzers), None),
        (donor, Decimal(rounds), None),
    ]


TOWNS = ["Eastbridge", "Westbury", "Marlshire", "Stoke-on-Trent", "Ashford"]
COUNCILS = ["Borough", "Town", "City", "County", "District"]


@given(
    town=st.sampled_from(TOWNS),
    council=st.sampled_from(COUNCILS),
    engines=st.integers(min_value=2, max_value=9),
    ambulances=st.integers(min_value=2, max_value=9),
    pounds=st.integers(min_value=1, max_value=90),
)
def test_a_council_gives_under_its_own_name(
    town: str, council: str, engines: int, ambulances: int, pounds: int
) -> None:
    """A town's council is a donor; "Councillors" after it are that council; "the
    government" two sentences on is no council."""
    name = f"{town} {council} Council"
    text = (
        f"{name} agreed to donate {engines} fire engines, which were replaced by new"
        f" appliances in the spring, and will give £{pounds},000 to repair a pumping station in"
        " its twin town in Ukraine.\n\n"
        f"Councillors also voted to send {ambulances} ambulances.\n\n"
        "Nationally, the government announced a further £10 million for generators.\n"
    )
    assert [(p.donor, p.donor_kind, p.quantity, p.amount) for p in extract(text, ON).pledges] == [
        (name, "organisation", Decimal(engines), None),
        (name, "organisation", None, Decimal(pounds * 1000)),
        (name, "organisation", Decimal(ambulances), None),
    ]


@pytest.mark.parametrize(("country", "other"), [("Germany", "France"), ("Austria", "Italy")])
@given(millions=MILLIONS, other_millions=MILLIONS)
def test_the_foreign_office_of_the_country_the_article_speaks_of(
    country: str, other: str, millions: int, other_millions: int
) -> None:
    text = (
        f"What has {country} promised Ukraine?\n\n"
        f"{country} has been among Ukraine's largest backers.\n\n"
        f"The Foreign Office pledged an additional €{millions} million in humanitarian aid.\n\n"
        f"{other} will give €{other_millions} million.\n"
    )
    assert read.figures(text)[0] == (country, Decimal(millions * 1_000_000), "EUR")
    british = "Britain will send 10 tanks. " + text.split("\n\n")[2]
    assert [p.donor for p in extract(british, ON).pledges] == ["United Kingdom"] * 2


@pytest.mark.parametrize("donor", ["Denmark", "Norway", "Sweden"])
@given(
    tanks=st.integers(min_value=2, max_value=60),
    billions=st.integers(min_value=1, max_value=40),
    turn=st.sampled_from(["", "A: "]),
)
def test_parliament_unnamed_approves_for_the_donor_before(
    donor: str, tanks: int, billions: int, turn: str
) -> None:
    text = (
        f"{donor} will send {tanks} tanks.\n{turn}Parliament approved {billions} billion"
        " kroner for the Ukraine Fund in 2027 last month.\n"
    )
    (tanks_pledge, fund) = extract(text, ON).pledges
    assert (fund.donor, fund.amount) == (donor, Decimal(billions * 1_000_000_000))
    assert fund.currency == {"Denmark": "DKK", "Norway": "NOK", "Sweden": "SEK"}[donor]


@pytest.mark.parametrize(
    "clause", ["whose contents are classified", "which the minister described as modest"]
)
@given(donor=st.sampled_from(DONORS), low=MILLIONS)
def test_a_package_with_a_relative_clause_before_its_worth(
    donor: str, clause: str, low: int
) -> None:
    text = (
        f"{donor} will send a new military aid package to Ukraine. The package, {clause}, is"
        f" worth between €{low} million and €{low + 100} million, officials said."
    )
    assert [p.amount for p in extract(text, ON).pledges] == [Decimal(low * 1_000_000)]


@pytest.mark.parametrize("most", ["Most of it", "Part of it", "Half of that", "Some of the money"])
@given(donor=st.sampled_from(DONORS), total=st.integers(min_value=2, max_value=90))
def test_a_share_of_the_sum_before_set_off_by_commas(donor: str, most: str, total: int) -> None:
    """ "Most of it, about €3bn, goes to ...": a part of the sum pledged before."""
    text = (
        f"{donor} will give Ukraine €{total} billion in military aid. {most}, about"
        f" €{total - 1} billion, goes to air defence."
    )
    assert [(p.amount, p.qualifier) for p in extract(text, ON).pledges] == [
        (Decimal(total * 1_000_000_000), "exact"),
        (Decimal((total - 1) * 1_000_000_000), "about"),
    ]


@given(
    donor=st.sampled_from(DONORS),
    billions=st.integers(min_value=1, max_value=9),
    first=st.integers(min_value=2020, max_value=2030),
    between=st.sampled_from(["", " under a security agreement signed in May of that year"]),
)
def test_the_same_sum_stated_twice_is_two_pledges(
    donor: str, billions: int, first: int, between: str
) -> None:
    """ "€1 billion for 2024, and a further €1 billion for 2025": two commitments; a sum read
    by two words of giving is still one ("pledged a package worth €1 billion")."""
    text = (
        f"{donor} had pledged €{billions} billion for {first}{between}, and a further"
        f" €{billions} billion for {first + 1}."
    )
    value = Decimal(billions * 1_000_000_000)
    assert [p.amount for p in extract(text, ON).pledges] == [value, value]
    once = f"{donor} pledged a new aid package worth €{billions} billion."
    assert [p.amount for p in extract(once, ON).pledges] == [value]
