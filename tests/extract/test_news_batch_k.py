"""The wordings of the five news articles B0-B4 (a US politics story on a supplemental
appropriations bill, its USAI money, drawdown authority, replenishment of US stocks and a
drawdown package; a defence blog's delivery tracker with visually confirmed arrivals, running
counts, a rumour denied and the month's new pledges in a list; a humanitarian outlet on Gulf
and Arab funds for Gaza and Lebanon in riyals, dirhams and dinars, earmarked, committed,
disbursed and channelled through UNRWA; a live thread of timed posts from a reconstruction
summit, terse, with repeats, a correction and tallies; a business-wire release of a radar
maker and an export-credit agency, a framework agreement, a call-off paid by a donor, options,
a buyer credit and a ministry's own donation), each rule tried on several phrasings, and the
five articles' score held.

Judgement calls of their gold (``news/gold.json``): an appropriations bill's USAI money,
drawdown authority ("up to"), budget support for a named government and money for named
recipients (Israel, Taiwan) are pledges, while replenishing the donor's own stocks and a
worldwide humanitarian account the bill does not divide are not; a package officials "expect"
to be announced is none, the one confirmed is, with each thing of its list ("155mm and 105mm
artillery rounds" two records); an earlier package named as the last one before ("the first
drawdown since a $250 million package in January 2025") is a pledge reported as made before;
"at least 31 of the 49 promised" and "50 of 50" are running counts, a denied rumour and "has
not promised" are none, "pledged one more" counts one of the thing named before, a list line
"paid for by Canada" is the labelled donor's and the payer's; a fund's first-year
disbursement "of that" and a share "of it" going to one use are parts, a total "disbursed ...
since the ceasefire" is none, a grant "committed at the Cairo conference in 2024 ... fully
disbursed" is a delivery told; a thread's repeat ("Repeat for those just joining: ..."), its
correction, a tally and the closing "more than €10bn in commitments" are none, export finance
cover "for British firms" is no aid to Ukraine, and "part of the CHF 5bn they committed to
Ukraine up to 2036" is the programme a pledge belongs to, not a pledge of its own (as article
42's "part of a 5 billion-franc program running to 2036"); a maker's framework agreement with the
recipient's ministry and its options are sales, not pledges, a call-off "financed by a grant
from the Government of Denmark" is Denmark's with its sum and count, a state-backed buyer
credit "of up to EUR 400 million" is the state's loan, a replacement order for the donor's own
stocks and a contract "all of which have been delivered" are none.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from tests.extract.readings import Readings
from tests.extract.test_dev_corpus import assert_score_holds
from tests.extract.test_news_articles import NEWS
from tracker.extract import extract

ON = date(2026, 12, 5)
read = Readings(ON)
# The five articles B0-B4 (before the rules they brought: precision 0.78, recall 0.52, 30 of
# 38 extracted, of 57 gold pledges as first annotated; 30 of 38, of 56, once B3's CHF 5bn
# programme was made a non-pledge as article 42's is; after them 1.00 and 0.875, 49 of 49,
# of 56; 50 of 50 with "pledged one more" of a thing named with its ordinal, 51 of 51, 1.00
# and 0.91, with a buyer credit "agreed").
FIRST, LAST = "B0", "B4~"
PRECISION_BASELINE = 0.98
RECALL_BASELINE = 0.90


def test_the_five_articles_b0_to_b4_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


DONORS = ["Canada", "Norway", "Japan", "Spain", "Switzerland", "Denmark", "the Netherlands"]
MILLIONS = st.integers(min_value=2, max_value=900)
CURRENCIES = [("€", "EUR"), ("£", "GBP"), ("C$", "CAD"), ("$", "USD")]
TIMES = ["11:12", "09:05", "[14:31]", "16:40 GMT —", "10:20 CET"]


def _label(donor: str) -> str:
    """A donor as a post's label writes it ("the Netherlands" → "Netherlands"), and as the
    extractor names it."""
    return donor.removeprefix("the ")


def _two_sums(donor: str, first: int, second: int, code: str) -> list[tuple]:
    """What ``read.figures`` gives for two sums in millions of one donor."""
    return [(donor, Decimal(first * 10**6), code), (donor, Decimal(second * 10**6), code)]


@given(
    time=st.sampled_from(TIMES),
    donor=st.sampled_from(DONORS),
    speaker=st.sampled_from(["", "'s PM", "'s FM", "'s Frederiksen", "'s PM Carney"]),
    sign=st.sampled_from(CURRENCIES),
    total=MILLIONS,
    part=MILLIONS,
    use=st.sampled_from(["reconstruction", "housing repairs", "schools and hospitals"]),
)
def test_a_timed_post_s_label_names_its_donor(
    time: str,
    donor: str,
    speaker: str,
    sign: tuple[str, str],
    total: int,
    part: int,
    use: str,
) -> None:
    """ "11:12 Canada's PM Carney: C$350m for reconstruction, incl. C$100m for demining.":
    the label's donor gives the sums, its part "incl." too; what the sum is for is no thing."""
    assume(part < total)  # (a part is smaller than its whole)
    symbol, code = sign
    text = (
        f"{time} {_label(donor)}{speaker}: {symbol}{total}m for {use}, "
        f"incl. {symbol}{part}m for demining."
    )
    assert read.figures(text) == _two_sums(_label(donor), total, part, code)


@given(
    donor=st.sampled_from(DONORS),
    first=MILLIONS,
    second=MILLIONS,
    quoted=st.booleans(),
    fund=st.sampled_from(["the Ukraine Energy Support Fund", "the World Bank's trust fund"]),
)
def test_also_after_a_labelled_post_is_its_donor_s(
    donor: str, first: int, second: int, quoted: bool, fund: str
) -> None:
    assume(first != second)
    further = f"a further €{second}m"
    said = f'"{further}"' if quoted else further
    text = f"11:47 {_label(donor)}: €{first}m in loans for housing repairs. Also {said} to {fund}."
    assert read.figures(text) == _two_sums(_label(donor), first, second, "EUR")
    # a sentence with its own donor keeps it; a line without a label lends none
    own = f"11:47 {_label(donor)}: €{first}m in loans. Also, Poland will give €{second}m."
    assert read.figures(own) == [
        (_label(donor), Decimal(first * 10**6), "EUR"),
        ("Poland", Decimal(second * 10**6), "EUR"),
    ]
    assert read.figures(f"11:47 Lunch break. Also {said} to {fund}.") == []


def test_a_thread_s_repeat_and_correction_pledge_nothing() -> None:
    for line in [
        "12:03 Repeat for those just joining: UK £250m energy, Canada C$350m, EU €2.2bn.",
        "10:05 Correction to 09:58: the €600m in grants is part of the €2.2bn.",
        "16:32 Closing statement from Meloni: more than €10bn in commitments over 2 days.",
    ]:
        assert read.figures(line) == []


@given(
    donor=st.sampled_from(["Canada", "Norway", "Britain"]),
    count=st.integers(min_value=2, max_value=90_000),
    label=st.sampled_from(["Czech Republic", "Estonia", "Germany"]),
)
def test_a_list_line_paid_for_by_a_donor_is_no_handing_over(
    donor: str, count: int, label: str
) -> None:
    line = f"- {label}: {count:,} rounds of 122mm rocket artillery ammunition, paid for by {donor}."
    assert read.figures(line) == [(label, Decimal(count), None)]
    paid = f"- {label}: {count:,} rounds of 122mm rocket artillery ammunition, paid in May."
    assert read.figures(paid) == []


@given(
    donor=st.sampled_from(["The UAE", "Qatar", "Kuwait", "Saudi Arabia"]),
    verb=st.sampled_from(["has disbursed", "has provided", "has given"]),
    since=st.sampled_from(["the ceasefire", "the earthquake", "the floods", "the truce"]),
    n=MILLIONS,
)
def test_what_was_given_since_an_event_is_a_running_total(
    donor: str, verb: str, since: str, n: int
) -> None:
    assert (
        read.figures(f"{donor} {verb} ${n} million in humanitarian aid to Gaza since {since}.")
        == []
    )


DONE = [
    ", all of which have been delivered",
    ", all of which have now arrived",
    ", both of which were delivered in May",
]


@given(
    donor=st.sampled_from(DONORS),
    done=st.sampled_from(DONE),
    count=st.integers(min_value=2, max_value=90),
    n=MILLIONS,
)
def test_a_promise_told_delivered_in_full_pledges_nothing(
    donor: str, done: str, count: int, n: int
) -> None:
    subject = donor[0].upper() + donor[1:]
    told = f"Earlier this year, {donor} financed {count} radars for Ukraine under a €{n}m contract"
    assert read.figures(f"{told}{done}.") == []
    assert read.figures(f"{told}, to be delivered next year.") != []
    completing = f"{subject}'s last two F-16s were confirmed on Monday, completing its delivery"
    assert read.figures(f"{completing} of {count} aircraft.") == []


@given(
    fund=st.sampled_from(
        [
            (
                "The Arab Fund for Economic and Social Development",
                "Arab Fund for Economic and Social Development",
            ),
            (
                "The OPEC Fund for International Development",
                "OPEC Fund for International Development",
            ),
        ]
    ),  # fmt: skip
    recipient=st.sampled_from(["Lebanon", "Jordan", "Syria"]),
    n=MILLIONS,
)
def test_an_arab_development_fund_is_the_lender_not_its_borrower(
    fund: tuple[str, str], recipient: str, n: int
) -> None:
    written, name = fund
    text = f"{written} approved a ${n} million concessional loan to {recipient} for roads."
    (pledge,) = extract(text, ON).pledges
    assert (pledge.donor, pledge.recipient, pledge.amount) == (name, recipient, n * 10**6)


@given(
    subject=st.sampled_from(["the bill", "the legislation", "Congress"]),
    verb=st.sampled_from(["appropriates", "appropriated"]),
    n=MILLIONS,
)
def test_a_bill_appropriating_money_gives_it(subject: str, verb: str, n: int) -> None:
    lead = "The United States Senate passed a bill for Ukraine on Thursday."
    told = f"On the economic side, {subject} {verb} ${n} million in budget support for Ukraine."
    text = f"{lead} {told}"
    assert read.figures(text) == [("United States", Decimal(n * 10**6), "USD")]


@given(
    receiver=st.sampled_from(["Israel", "Moldova", "Jordan"]),
    first=MILLIONS,
    second=MILLIONS,
    opening=st.sampled_from(["For {r}, the bill includes", "The bill sets aside, for {r},"]),
)
def test_a_name_a_sum_is_for_is_no_subject_for_it(
    receiver: str, first: int, second: int, opening: str
) -> None:
    """ "For Israel, the bill includes $4bn. It also provides $2bn for Taiwan": "It" is the
    giver told before, not Israel."""
    lead = "The United States will give $5 billion to Ukraine."
    middle = opening.format(r=receiver) + f" ${first} million for missile defence."
    text = f"{lead} {middle} It also provides ${second} million for Taiwan."
    donors = {p.donor for p in extract(text, ON).pledges if p.amount == second * 10**6}
    assert donors == {"United States"}


@given(country=st.sampled_from(["Saudi Arabia", "Jordan", "Morocco"]), n=MILLIONS, m=MILLIONS)
def test_the_kingdom_is_the_country_named_before(country: str, n: int, m: int) -> None:
    assume(n != m)  # (a sum told again is a restatement)
    text = (
        f"{country} pledged ${n} million for housing in Gaza. "
        f"The kingdom has also committed ${m} million to Lebanon's reconstruction fund."
    )
    assert read.figures(text) == _two_sums(country, n, m, "USD")


MODELS = ["AIM-9M missiles", "M777 howitzers", "F-16 jets", "AIM-120 missiles", "RIM-7 missiles"]


@given(
    first=st.sampled_from(MODELS),
    second=st.sampled_from(["Javelin missiles", "Stinger missiles", "Bradley vehicles"]),
    count=st.integers(min_value=2, max_value=400),
    use=st.sampled_from(["", " for air defense", " for the navy"]),
    joint=st.sampled_from([", ", "; "]),
)
def test_a_model_s_digits_in_a_list_count_nothing(
    first: str, second: str, count: int, use: str, joint: str
) -> None:
    """ "It includes 40 Bradleys; AIM-9M missiles for air defense; and Javelin missiles": the
    model named without a count is one record of its own, its use no part of its name."""
    lead = "The United States announced a $300 million package."
    text = f"{lead} It includes {count} Humvees{joint}{first}{use}{joint}and {second}."
    items = [(p.item, p.quantity) for p in extract(text, ON).pledges if p.amount is None]
    assert items == [("Humvees", count), (first, None), (second, None)]


@given(
    speaker=st.sampled_from(["The Qatar Fund for Development said", "Officials said", ""]),
    total=st.integers(min_value=100, max_value=900),
    share=st.integers(min_value=2, max_value=99),
    pronoun=st.sampled_from(["it", "that", "this"]),
    verb=st.sampled_from(["would go to", "will go to", "would be disbursed for", "is to go to"]),
)
def test_a_share_of_the_sum_before_told_after_its_figure_is_a_part(
    speaker: str, total: int, share: int, pronoun: str, verb: str
) -> None:
    pledge = f"Qatar said it would give ${total} million to the UN's reconstruction trust fund."
    told = f"{speaker} ${share} million of {pronoun} {verb} rubble removal.".lstrip()
    assert read.figures(f"{pledge} {told}") == _two_sums("Qatar", total, share, "USD")
    spent = f"{speaker} ${share} million of {pronoun} has been spent.".lstrip()
    assert read.figures(f"{pledge} {spent}") == [("Qatar", Decimal(total * 10**6), "USD")]


@given(
    donor=st.sampled_from(["Kuwait", "Norway", "Japan"]),
    subject=st.sampled_from(
        [
            "A second grant, of KWD {n} million,",
            "Another KWD {n} million",
            "A further KWD {n} million",
        ]
    ),
    verb=st.sampled_from(["is earmarked for", "will be provided for", "is allocated to"]),
    first=MILLIONS,
    n=MILLIONS,
)
def test_a_further_sum_given_in_the_passive_is_the_donor_s_before(
    donor: str, subject: str, verb: str, first: int, n: int
) -> None:
    assume(first != n)
    text = (
        f"{donor} pledged KWD {first} million to UNRWA for schools. "
        f"{subject.format(n=n)} {verb} the rehabilitation of hospitals."
    )
    assert read.figures(text) == _two_sums(donor, first, n, "KWD")


@given(
    listing=st.sampled_from(["Nasdaq Stockholm", "Euronext Oslo", "Nasdaq Copenhagen"]),
    count=st.integers(min_value=2, max_value=90),
)
def test_a_company_s_stock_listing_names_no_donor(listing: str, count: int) -> None:
    """ "Nordhavn Defence AB (Nasdaq Stockholm: NDEF B) has signed a framework agreement with
    the Ministry of Defence of Ukraine": a sale, its exchange's city no giver."""
    text = (
        f"Nordhavn Defence AB ({listing}: NDEF B) said it has signed a framework agreement with "
        f"the Ministry of Defence of Ukraine for the supply of up to {count} radars."
    )
    assert read.figures(text) == []


@given(
    ordinal=st.sampled_from(["eleventh", "third", "12th", "second"]),
    thing=st.sampled_from(["IRIS-T SLM fire unit", "Patriot system", "Leopard 2 tank"]),
    done=st.sampled_from(["has been handed over", "arrived in May", "was delivered last week"]),
    count=st.sampled_from([("one", 1), ("two", 2), ("3", 3)]),
    when=st.sampled_from(["", " for the first quarter of 2027", " next year"]),
)
def test_more_of_a_thing_named_with_its_ordinal_counts_it(
    ordinal: str, thing: str, done: str, count: tuple[str, int], when: str
) -> None:
    """ "the eleventh IRIS-T SLM fire unit has been handed over, and Berlin has pledged one
    more": the thing the ordinal names, at the count of "more"; a count without "more" is
    none."""
    words, value = count
    told = f"The ministry said the {ordinal} {thing} {done}, and Germany has pledged"
    pledges = extract(f"{told} {words} more{when}.", ON).pledges
    assert [(p.donor, p.item, p.quantity) for p in pledges] == [("Germany", thing, value)]
    assert extract(f"{told} {words}{when}.", ON).pledges == ()


@given(
    lender=st.sampled_from(["Sweden", "The Swedish Export Credit Corporation", "Japan"]),
    what=st.sampled_from(
        [
            "a buyer credit of up to EUR {n} million",
            "a EUR {n} million concessional loan",
            "a new loan of EUR {n} million",
        ]
    ),  # fmt: skip
    n=MILLIONS,
)
def test_a_credit_or_loan_agreed_is_given(lender: str, what: str, n: int) -> None:
    """ "have agreed a buyer credit of up to EUR 400 million to the Ministry of Finance of
    Ukraine": an agreement on a sum lent, a word or two before its noun."""
    text = f"{lender} has agreed {what.format(n=n)} to the Ministry of Finance of Ukraine."
    (pledge,) = extract(text, ON).pledges
    donor = "Japan" if lender == "Japan" else "Sweden"
    assert (pledge.donor, pledge.amount, pledge.currency) == (donor, n * 10**6, "EUR")
    assert extract(f"{lender} has agreed a common position on {n} sanctions.", ON).pledges == ()
