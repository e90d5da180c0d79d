"""The wordings of the six news articles 66-71 (a financial-press story of IMF, World Bank and
bilateral budget support, an earthquake flash appeal beyond Ukraine, a donor conference's
list of donors with their sums in brackets, the Energy Support Fund with equipment counted
and priced in one sentence, translated Gulf, Turkish and Korean releases, pledges topped up
beside what has been disbursed so far), each rule tried on several phrasings, and the six
articles' score held.

Judgement calls of their gold (``news/gold.json``): a disbursed tranche and a facility's first
disbursement are pledges (as in the development corpus), a future tranche due "if Kyiv meets
its targets" is not; a pledge raised or topped up "by X to Y" is pledged at Y, one "doubled
to Y" too, and a pledge kept "at Y" is stated again; "in addition to its previous pledge of
USD 100 million" is a pledge reported as made earlier; "has so far disbursed", "of which ...
went to", a first payment that "arrived", a relative clause telling what a donor "has already
lent", a running total "by the end of October" and a sum of the conference's pledges are no
pledges; a sum "worth" two counted things is a record of its own beside each count, while a
sum "to build four power plants" is one record with its count; a UN pooled fund's release is
the United Nations'; relief flown by an air bridge, tonnes and people are no pledge; Türkiye is
written as the tracker shows it (Turkey).
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

ON = date(2026, 12, 10)
read = Readings(ON)
# The six articles 66-71 (before the rules they brought: precision 0.74, recall 0.75).
FIRST, LAST = "66", "71~"
PRECISION_BASELINE = 0.93
RECALL_BASELINE = 0.94


def test_the_six_articles_66_to_71_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


MILLIONS = st.integers(min_value=1, max_value=900)


@pytest.mark.parametrize("sign", ["Sfr", "SFr", "SFR", "Sfr "])
@given(millions=MILLIONS)
def test_the_swiss_franc_written_sfr_is_chf(sign: str, millions: int) -> None:
    (phrase,) = find_numbers(f"a {sign}{millions}mn guarantee")
    assert (phrase.value, phrase.currency) == (Decimal(millions * 1_000_000), "CHF")
    text = f"Switzerland approved a {sign}{millions}mn guarantee for Ukraine's gas network."
    assert read.figures(text) == [("Switzerland", Decimal(millions * 1_000_000), "CHF")]


CURRENCY_WORDS = [("yuan", "CNY"), ("renminbi", "CNY"), ("Kuwaiti dinars", "KWD"),
                  ("Saudi riyals", "SAR"), ("Qatari riyals", "QAR"), ("UAE dirhams", "AED"),
                  ("Turkish lira", "TRY"), ("Swiss franc", "CHF")]  # fmt: skip


@pytest.mark.parametrize(("words", "currency"), CURRENCY_WORDS)
@given(millions=MILLIONS)
def test_currencies_named_in_words(words: str, currency: str, millions: int) -> None:
    text = f"China's government will provide {millions} million {words} in emergency aid."
    assert read.figures(text) == [("China", Decimal(millions * 1_000_000), currency)]


@pytest.mark.parametrize("code", ["KWD", "SAR", "AED", "QAR"])
def test_gulf_currency_codes_before_a_sum(code: str) -> None:
    (phrase,) = find_numbers(f"a loan of {code} 15 million")
    assert (phrase.value, phrase.currency) == (Decimal(15_000_000), code)


AGENCIES = [
    ("The King Salman Humanitarian Aid and Relief Centre (KSrelief)", "Saudi Arabia"),
    ("KSrelief", "Saudi Arabia"), ("The Qatar Fund for Development", "Qatar"),
    ("The Kuwait Fund for Arab Economic Development", "Kuwait"),
    ("The Abu Dhabi Fund for Development", "United Arab Emirates"), ("AFAD", "Turkey"),
    ("TİKA", "Turkey"), ("JICA", "Japan"), ("KOICA", "South Korea"),
    ("The UAE", "United Arab Emirates"),
]  # fmt: skip


@pytest.mark.parametrize(("agency", "country"), AGENCIES)
@given(millions=MILLIONS)
def test_an_aid_agency_stands_for_its_country(agency: str, country: str, millions: int) -> None:
    text = f"{agency} signed an agreement in the amount of USD {millions} million with UNHCR."
    assert read.figures(text) == [(country, Decimal(millions * 1_000_000), "USD")]


@given(dollars=MILLIONS, yen=MILLIONS)
def test_a_country_before_dollars_names_a_currency_not_a_donor(dollars: int, yen: int) -> None:
    text = (
        f"Japan decided to extend Emergency Grant Aid of {dollars} million US dollars, and"
        f" will hand over tents worth about {yen} million yen."
    )
    assert read.figures(text) == [
        ("Japan", Decimal(dollars * 1_000_000), "USD"),
        ("Japan", Decimal(yen * 1_000_000), "JPY"),
    ]


@pytest.mark.parametrize("aid", ["emergency grant aid", "grant assistance", "grant funding"])
@given(first=MILLIONS, second=MILLIONS)
def test_grant_before_a_noun_is_no_verb(aid: str, first: int, second: int) -> None:
    """ "grant aid" is a noun: the donor after ", and" keeps its own sum."""
    text = (
        f"Japan announced ${first} million in {aid} through UNHCR, and South Korea"
        f" ${second} million."
    )
    assert read.figures(text) == [
        ("Japan", Decimal(first * 1_000_000), "USD"),
        ("South Korea", Decimal(second * 1_000_000), "USD"),
    ]


DONORS = ["Germany", "France", "Italy", "Spain", "Poland", "Norway", "Japan", "Canada"]
LISTED_BY = [
    "Among member states, {list} made the largest pledges.",
    "The largest pledges came from {list}.",
    "Pledges came from {list}, the conference's chair said.",
]


@pytest.mark.parametrize("sentence", LISTED_BY)
@given(
    donors=st.lists(st.sampled_from(DONORS), min_size=2, max_size=4, unique=True),
    millions=st.lists(MILLIONS, min_size=4, max_size=4, unique=True),
)
def test_sums_in_brackets_after_donors_are_theirs(
    sentence: str, donors: list[str], millions: list[int]
) -> None:
    pairs = [f"{donor} (€{sum_} million)" for donor, sum_ in zip(donors, millions, strict=False)]
    listed = ", ".join(pairs[:-1]) + " and " + pairs[-1]
    text = "Donors pledged aid for Syria in Brussels. " + sentence.format(list=listed)
    expected = {
        (donor, Decimal(sum_ * 1_000_000), "EUR")
        for donor, sum_ in zip(donors, millions, strict=False)
    }
    assert set(read.figures(text)) == expected


def test_a_conversion_in_brackets_is_no_donor_s_sum() -> None:
    text = "Germany pledged €300 million ($320 million) and France €120 million."
    assert read.figures(text) == [
        ("Germany", Decimal(300_000_000), "EUR"),
        ("France", Decimal(120_000_000), "EUR"),
    ]


@pytest.mark.parametrize("into", ["into the Danish model", "towards air defence for Ukraine",
                                  "into the drone coalition's fund for Ukraine"])  # fmt: skip
@given(tenths=st.integers(min_value=11, max_value=99))
def test_a_sum_put_into_a_scheme_is_given(into: str, tenths: int) -> None:
    """ "put an additional DKK 1.5 billion into ...": a decimal point no longer ends the
    search for what the sum is put into."""
    amount = Decimal(tenths) / 10
    text = f"Denmark said it would put an additional DKK {amount} billion {into} for Ukraine."
    assert read.figures(text) == [("Denmark", amount * 1_000_000_000, "DKK")]


@pytest.mark.parametrize("dateline", ["Dec 10 - ", "LONDON/BERLIN, Dec 10 - ", "KYIV, Nov 19 — ",
                                      ""])  # fmt: skip
@given(old=st.integers(min_value=10, max_value=400), more=st.integers(min_value=1, max_value=400))
def test_a_pledge_raised_after_a_dateline_is_its_new_figure(
    dateline: str, old: int, more: int
) -> None:
    new = old + more
    text = (
        f"{dateline}Britain increased its pledge to the drone coalition to £{new} million"
        f" from £{old} million on Wednesday."
    )
    assert read.figures(text) == [("United Kingdom", Decimal(new * 1_000_000), "GBP")]


@pytest.mark.parametrize(
    "extended", ["a further C${n}mn in loan guarantees", "an additional C${n}mn in loans",
                 "Emergency Grant Aid of C${n} million", "new credit lines of C${n}mn"]
)  # fmt: skip
@given(n=MILLIONS)
def test_a_loan_or_grant_extended(extended: str, n: int) -> None:
    text = f"Canada said it would extend {extended.format(n=n)} to Ukraine."
    assert read.figures(text) == [("Canada", Decimal(n * 1_000_000), "CAD")]


@given(
    first=st.integers(min_value=2, max_value=400),
    second=st.integers(min_value=2, max_value=400),
    millions=MILLIONS,
)
def test_a_worth_after_two_counts_is_a_sum_of_its_own(
    first: int, second: int, millions: int
) -> None:
    text = (
        f"Lithuania will supply {first} power transformers and {second} diesel generators worth"
        f" €{millions} million to Ukrenergo."
    )
    assert read.figures(text) == [
        ("Lithuania", first, None),
        ("Lithuania", second, None),
        ("Lithuania", Decimal(millions * 1_000_000), "EUR"),
    ]
    # one counted thing keeps its worth
    one = f"Lithuania will supply {second} diesel generators worth €{millions} million to Ukraine."
    assert [(p.quantity, p.amount) for p in extract(one, ON).pledges] == [
        (second, Decimal(millions * 1_000_000))
    ]


@pytest.mark.parametrize("verb", ["to build", "to buy", "to construct", "for the construction of"])
@given(count=st.integers(min_value=2, max_value=90), millions=MILLIONS)
def test_what_a_sum_builds_is_one_pledge_with_it(verb: str, count: int, millions: int) -> None:
    text = (
        f"Denmark allocated DKK {millions} million from its Ukraine Fund {verb} {count} small"
        " gas-fired power plants near Kyiv."
    )
    assert [(p.donor, p.amount, p.quantity) for p in extract(text, ON).pledges] == [
        ("Denmark", Decimal(millions * 1_000_000), count)
    ]


@given(small=st.integers(min_value=1, max_value=90), large=st.integers(min_value=2, max_value=9))
def test_shares_larger_than_the_sum_pledged_before_are_another_total_s(
    small: int, large: int
) -> None:
    text = (
        f"Japan announced ${small} million in emergency grant aid. Of the total, €{large}.2"
        " billion are grants and €1.6 billion loans, mostly from the World Bank."
    )
    assert read.figures(text) == [("Japan", Decimal(small * 1_000_000), "USD")]


@pytest.mark.parametrize(
    "after",
    ["once Syria clears ${n} million of arrears to the bank",
     "after Kyiv pays ${n} million in overdue arrears",
     "noting that only ${n} million of last year's pledges had been paid",
     "while ${n} million of the earlier commitments is still unspent"],
)  # fmt: skip
@given(n=st.integers(min_value=1, max_value=99))
def test_debts_and_shares_of_earlier_pledges_are_no_pledge(after: str, n: int) -> None:
    text = f"The World Bank said it would provide $1 billion over three years, {after.format(n=n)}."
    assert read.figures(text) == [("World Bank", Decimal(1_000_000_000), "USD")]


@pytest.mark.parametrize("already", ["lent", "disbursed", "paid", "given"])
@given(old=st.integers(min_value=2, max_value=9), new=st.integers(min_value=100, max_value=900))
def test_what_a_donor_has_already_given_in_a_relative_clause_is_no_pledge(
    already: str, old: int, new: int
) -> None:
    text = (
        f"Canada, which has already {already} C${old}bn under the G7 scheme, said it would"
        f" extend a further C${new}mn in loan guarantees for Ukrainian gas purchases."
    )
    assert read.figures(text) == [("Canada", Decimal(new * 1_000_000), "CAD")]


GUARANTORS = [("the UK", "United Kingdom"), ("Japan", "Japan"),
              ("the European Investment Bank", "European Investment Bank")]  # fmt: skip


@pytest.mark.parametrize("giver", GUARANTORS)
@given(financing=MILLIONS, guarantee=MILLIONS)
def test_a_guarantee_from_a_donor_named_after_it_is_theirs(
    giver: tuple[str, str], financing: int, guarantee: int
) -> None:
    name, donor = giver
    text = (
        f"The World Bank approved ${financing}mn in additional financing for its Peace project,"
        f" which pays the salaries of teachers, backed by a £{guarantee}mn guarantee from {name}."
    )
    assert read.figures(text) == [
        ("World Bank", Decimal(financing * 1_000_000), "USD"),
        (donor, Decimal(guarantee * 1_000_000), "GBP"),
    ]


@pytest.mark.parametrize("shelter", ["container homes", "mobile homes", "prefabricated homes",
                                     "modular homes"])  # fmt: skip
def test_shelter_homes_are_given_and_homes_destroyed_are_not(shelter: str) -> None:
    text = f"Türkiye will send 1,000 tents and 20 {shelter} to eastern Libya."
    assert [(p.donor, p.quantity, p.kind) for p in extract(text, ON).pledges] == [
        ("Turkey", 1000, "humanitarian"),
        ("Turkey", 20, "humanitarian"),
    ]
    assert read.figures("The strikes destroyed 200 homes in Kharkiv.") == []


@pytest.mark.parametrize(
    "arrived",
    ["A first payment of NOK {n} million from Norway's contribution arrived on Tuesday.",
     "The second tranche of NOK {n} million from Norway reached Ukraine's account on Friday.",
     "A payment of NOK {n} million from Norway was received by the fund on Monday."],
)  # fmt: skip
@given(n=MILLIONS)
def test_a_payment_told_arriving_is_no_pledge(arrived: str, n: int) -> None:
    pledge = "Norway will contribute NOK 500 million to the Energy Support Fund."
    assert read.figures(f"{pledge} {arrived.format(n=n)}") == [
        ("Norway", Decimal(500_000_000), "NOK")
    ]


@given(
    paid=st.integers(min_value=1, max_value=40),
    whole=st.integers(min_value=41, max_value=90),
    share=st.integers(min_value=1, max_value=40),
)
def test_a_share_of_a_figure_before_the_verb_is_no_pledge(
    paid: int, whole: int, share: int
) -> None:
    text = (
        f"Norway has so far disbursed NOK {paid} billion of the NOK {whole} billion it committed"
        f" for this year, of which NOK {share} billion went to military support."
    )
    assert read.figures(text) == []
    # a share of the verb's own figure is its part
    own = f"Norway pledged NOK {whole} billion, of which NOK {share} billion is for air defence."
    assert read.figures(own) == [
        ("Norway", Decimal(whole * 1_000_000_000), "NOK"),
        ("Norway", Decimal(share * 1_000_000_000), "NOK"),
    ]


@given(
    whole=st.integers(min_value=2, max_value=90),
    share=st.integers(min_value=100, max_value=900),
    verb=st.sampled_from(["announced", "confirmed"]),
    use=st.sampled_from(["will pay for equipment", "is for air defence", "will go to demining"]),
)
def test_a_share_still_to_be_spent_after_an_attribution_is_a_part(
    whole: int, share: int, verb: str, use: str
) -> None:
    """A share told after the verb of an attribution ("..., the minister announced, of which")
    is a part of the pledge before it while it is still to be spent; told as spent ("went to")
    it is a tally of the money."""
    lead = f"Norway gave the largest contribution, NOK {whole} billion, the minister {verb},"
    assert read.figures(f"{lead} of which NOK {share} million {use}.") == [
        ("Norway", Decimal(whole * 1_000_000_000), "NOK"),
        ("Norway", Decimal(share * 1_000_000), "NOK"),
    ]
    assert read.figures(f"{lead} of which NOK {share} million went to air defence.") == [
        ("Norway", Decimal(whole * 1_000_000_000), "NOK")
    ]
