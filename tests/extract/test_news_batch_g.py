"""The wordings of the six news articles 84-89 (a wire exclusive told by people familiar
with the matter, an approved package beside a draft one; a long feature recounting a donor's
two years of pledges month by month beside its running totals; an EU Council story of a
Peace Facility measure, a Ukraine Facility payment, sanctions and member states' national
pledges in a list; a winter-aid story of generators, transformers and boiler stations beside
tonnes delivered; an Indian report of aid in rupees counted in crore and lakh; a tabloid
story of capitals, exclamations and a subhead list), each rule tried on several phrasings,
and the six articles' score held.

Judgement calls of their gold (``news/gold.json``): a package "still being drafted", one
"under discussion" or "which could reach" a figure, and "may also join" pledge nothing; a
purchase for the donor's own army is no pledge; a feature's "In April, Ottawa committed
C$2.4 billion" is a pledge reported as made earlier, "had provided more than C$9 billion in
total" and "total commitment now stands at" are running totals; "pledged four more Leopard 2
tanks, adding to the four already promised" records the four new ones once; a sum that pays
for counted things is one record with both ("more than 800 SkyRanger drones ... worth C$95
million"), while a sum "including" several kinds of counted things is a package whose
parts are recorded beside it; a Ukraine Facility payment is a pledge, what the facility "has
paid out" since it began is a total, and sanctions are no aid; a member state's line of a
bulleted list is its own pledge, and "including F-16 fighter jets" a part with no number;
a UN agency is a donor under its own name ("UNHCR"); generators "promised last winter ...
still arriving" are a delivery; "sanctioned" in Indian English approves a sum ("The Centre
has also sanctioned Rs 10 crore"), a state government is a donor under its state's name,
"had earlier provided Rs 200 crore" for a project is a pledge reported as made earlier,
"extended humanitarian aid worth over Rs 1,000 crore ... in the last five years" a total,
and what a Red Cross society "collected from the public" no pledge; a tabloid's headline,
subhead list and lead state one deal once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tests.extract.test_dev_corpus import assert_score_holds
from tests.extract.test_news_articles import NEWS
from tracker.extract import extract
from tracker.extract.numbers import find_numbers

ON = date(2026, 12, 5)
# The six articles 84-89 (before the rules they brought: precision 0.79, recall 0.61).
FIRST, LAST = "84", "89~"
PRECISION_BASELINE = 0.85
RECALL_BASELINE = 0.68


def test_the_six_articles_84_to_89_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


SOUTH_ASIAN_SCALES = {"lakh": 10**5, "lakhs": 10**5, "crore": 10**7, "crores": 10**7}
SOUTH_ASIAN_SIGNS = [("Rs", "INR"), ("Rs.", "INR"), ("₹", "INR"), ("Tk", "BDT"), ("Tk.", "BDT")]


@given(
    sign=st.sampled_from(SOUTH_ASIAN_SIGNS),
    space=st.sampled_from(["", " "]),
    whole=st.integers(min_value=1, max_value=999),
    tenths=st.integers(min_value=0, max_value=9),
    scale=st.sampled_from(sorted(SOUTH_ASIAN_SCALES)),
)
def test_rupees_and_taka_in_crore_and_lakh(
    sign: tuple[str, str], space: str, whole: int, tenths: int, scale: str
) -> None:
    """ "Rs 50 crore" is 500 million rupees, "Tk. 7.5 lakh" 750,000 taka."""
    written, code = sign
    digits = f"{whole}.{tenths}" if tenths else str(whole)
    (phrase,) = find_numbers(f"{written}{space}{digits} {scale} for relief")
    assert phrase.currency == code
    assert phrase.value == Decimal(digits) * SOUTH_ASIAN_SCALES[scale]


@given(
    donor=st.sampled_from(["India", "Bangladesh", "Japan", "Brazil", "South Africa"]),
    verb=st.sampled_from(["announced", "pledged", "will provide", "has approved"]),
    whole=st.integers(min_value=2, max_value=900),
    words=st.sampled_from([("rupees", "INR"), ("taka", "BDT"), ("reais", "BRL"), ("rand", "ZAR")]),
    scale=st.sampled_from([("crore", 10**7), ("lakh", 10**5), ("million", 10**6)]),
)
def test_a_sum_in_rupees_taka_reais_or_rand_is_pledged(
    donor: str, verb: str, whole: int, words: tuple[str, str], scale: tuple[str, int]
) -> None:
    currency, code = words
    scale_word, factor = scale
    text = f"{donor} {verb} {whole} {scale_word} {currency} in humanitarian aid for Myanmar."
    (pledge,) = extract(text, ON).pledges
    assert (pledge.amount, pledge.currency) == (Decimal(whole * factor), code)


@given(
    word=st.sampled_from(["others", "years", "members", "partners", "workers", "desk"]),
    count=st.integers(min_value=2, max_value=900),
)
def test_a_word_ending_in_rs_or_tk_before_a_number_is_no_sign(word: str, count: int) -> None:
    """Only "Rs" and "Tk" standing as words of their own are currency signs."""
    (phrase,) = find_numbers(f"{word} {count} tanks")
    assert (phrase.value, phrase.currency) == (Decimal(count), None)


@given(
    donor=st.sampled_from(["India", "The government", "Bangladesh"]),
    crore=st.integers(min_value=1, max_value=900),
    purpose=st.sampled_from(["flood relief in Sri Lanka", "schools in Myanmar", "field hospitals"]),
)
def test_sanctioned_before_a_sum_approves_it(donor: str, crore: int, purpose: str) -> None:
    """ "has sanctioned Rs 10 crore" approves a sum; "sanctioned 45 companies" punishes."""
    text = f"India sent relief. {donor} has also sanctioned Rs {crore} crore for {purpose}."
    (pledge,) = extract(text, ON).pledges
    assert (pledge.donor, pledge.amount, pledge.currency) == (
        "India" if donor == "The government" else donor,
        Decimal(crore * 10**7),
        "INR",
    )
    punished = f"The European Union sanctioned {crore} individuals and companies."
    assert not extract(punished, ON).pledges


@given(
    donor=st.sampled_from(["Canada", "Germany", "Norway", "Japan"]),
    total=st.sampled_from(["total", "overall", "cumulative", "combined"]),
    noun=st.sampled_from(["commitment", "contribution", "donation"]),
    billions=st.integers(min_value=2, max_value=90),
)
def test_a_total_commitment_sums_pledges_made(
    donor: str, total: str, noun: str, billions: int
) -> None:
    text = f"{donor}'s {total} {noun} now stands at more than €{billions} billion."
    assert not extract(text, ON).pledges
    pledged = f"{donor} announced a {noun} of €{billions} billion for Ukraine."
    assert [p.amount for p in extract(pledged, ON).pledges] == [Decimal(billions * 10**9)]


@given(
    donor=st.sampled_from(["Canada", "Germany", "Norway", "Japan"]),
    subject=st.sampled_from(
        ["the defence minister", "the foreign minister", "the finance minister", "the agency"]
    ),
    millions=st.integers(min_value=2, max_value=900),
)
def test_a_minister_or_agency_named_by_office_gives_for_the_donor_before(
    donor: str, subject: str, millions: int
) -> None:
    text = f"{donor} sent tanks. By June, {subject} had announced €{millions} million in aid."
    amounts = [(p.donor, p.amount) for p in extract(text, ON).pledges if p.amount is not None]
    assert amounts == [(donor, Decimal(millions * 10**6))]
