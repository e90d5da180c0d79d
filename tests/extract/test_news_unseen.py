"""Wordings of news the extractor met only in unseen articles: development banks, factbox
labels written as names are, and the rules after them. Each row: a text → the pledges it
states (donor, figure), the figure being the quantity, else the amount."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract import extract

ON = date(2025, 7, 10)

Pledged = list[tuple[str, int | Decimal | None]]


def pledged(text: str) -> Pledged:
    """The (donor, figure) of each pledge ``text`` states."""
    return [
        (p.donor, p.quantity if p.quantity is not None else p.amount)
        for p in extract(text, ON).pledges
    ]


# Lenders the reference data names besides the World Bank and the IMF.
DEVELOPMENT_BANKS: list[tuple[str, Pledged]] = [
    ("Separately, the International Finance Corporation, the World Bank's private-sector arm, "
     "said it would lend up to $150 million to Ukrainian farmers.",
     [("International Finance Corporation", 150000000)]),
    ("The IFC, the World Bank's private-sector arm, said it would lend up to $150m.",
     [("International Finance Corporation", 150000000)]),
    ("The Council of Europe Development Bank approved a €100 million loan to Ukraine.",
     [("Council of Europe Development Bank", 100000000)]),
    ("The Nordic Investment Bank will lend €50 million to Ukraine for energy repairs.",
     [("Nordic Investment Bank", 50000000)]),
    ("The Asian Development Bank pledged $20 million in grants for Ukraine.",
     [("Asian Development Bank", 20000000)]),
    ("MIGA will guarantee $30 million of investment in Ukraine.",
     [("Multilateral Investment Guarantee Agency", 30000000)]),
    # the Council is still the EU's; a bank's own need or its past lending is no pledge
    ("The Council approved €5 billion for Ukraine.", [("European Union", 5000000000)]),
    ("The IFC has so far provided $2 billion to Ukraine.", []),
    ("Ukraine asked the Asian Development Bank for $100 million.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DEVELOPMENT_BANKS)
def test_a_development_bank_is_a_lender(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


# A factbox line whose label is a donor's name as names are written: only at a line's start,
# and only for a known donor.
NAME_LABELS: list[tuple[str, Pledged]] = [
    ("* Germany: Two more IRIS-T systems and 50,000 rounds, announced Nov. 4.",
     [("Germany", 2), ("Germany", 50000)]),
    ("Germany: 20 tanks and ammunition worth 5 million euros",
     [("Germany", 20), ("Germany", 5000000)]),
    ("- The Netherlands: The government approved €500 million for air defence.",
     [("Netherlands", 500000000)]),
    ("Czech Republic: Prague will deliver a further 180,000 shells this year.",
     [("Czech Republic", 180000)]),
    ("Intro line.\n• Norway: 8 howitzers, announced on Monday.", [("Norway", 8)]),
    # not at a line's start, not a donor, handed over, no figure first: nothing pledged
    ("The minister said it again. Norway: 20 tanks, announced Monday.", []),
    ("Ukraine: 25 more Patriot systems needed.", []),
    ("Russia: 100 missiles fired at Kyiv overnight.", []),
    ("Key Figures: 25 systems a year.", []),
    ("Germany: 1,000 shells delivered so far.", []),
    ("Germany: the chancellor spoke about 20 tanks.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), NAME_LABELS)
def test_a_label_written_as_a_name_names_the_line_s_donor(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@given(
    bullet=st.sampled_from(["* ", "- ", "• ", ""]),
    label=st.sampled_from(["Germany", "United Kingdom", "The Netherlands", "South Korea"]),
    count=st.integers(2, 5000),
    item=st.sampled_from(["howitzers", "armoured vehicles", "drones"]),
)
def test_a_name_label_gives_the_counts_its_line_opens_with(
    bullet: str, label: str, count: int, item: str
) -> None:
    donor = label.removeprefix("The ")
    assert pledged(f"{bullet}{label}: {count:,} {item}, announced on Monday.") == [(donor, count)]


# Giving taken up again with a sum ("resume its funding with $35 million") gives that sum;
# without one, or by someone who cannot give, nothing.
RESUMED: list[tuple[str, Pledged]] = [
    ("Japan will resume its funding with $35 million, the foreign ministry in Tokyo said, "
     "after suspending it in January.", [("Japan", 35000000)]),
    ("Germany will resume its support with €50 million.", [("Germany", 50000000)]),
    ("Sweden resumed its contributions with SEK 200 million.", [("Sweden", 200000000)]),
    ("Russia resumed its attacks with 100 drones overnight.", []),
    ("The talks resumed on Monday with 40 delegations.", []),
    ("Germany has not resumed its funding with €50 million.", []),
    ("Germany could resume its funding with €50 million.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), RESUMED)
def test_resumed_giving_with_a_sum_pledges_it(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


# Received "from" a facility named after its receiver: paid by who says so, or by the
# facility's owner; received from a donor, that donor, as before.
RECEIVED_FROM: list[tuple[str, Pledged]] = [
    ("The European Commission said Ukraine would receive 3.5 billion euros from the Ukraine "
     "Facility in the coming weeks.", [("European Union", 3500000000)]),
    ("The EU said Ukraine will receive €4.5bn from the Ukraine Facility.",
     [("European Union", 4500000000)]),
    ("Ukraine received €2bn from the EU's Ukraine Facility last year.",
     [("European Union", 2000000000)]),
    ("Ukraine will receive $1 billion from the IMF's Extended Fund Facility.",
     [("International Monetary Fund", 1000000000)]),
    ("Ukraine will receive $1 billion from Japan.", [("Japan", 1000000000)]),
    # from a receiver, or a facility nobody in the text owns: nothing
    ("Moldova will receive €50m from Ukraine.", []),
    ("Ukraine will receive €4.5bn from the Ukraine Facility.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), RECEIVED_FROM)
def test_received_from_a_facility_is_given_by_its_owner(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


# A figure after the receiver's possessive is what the donor lends or gives it when it
# names a facility, loan or package the verb gives; the receiver's own figures, and a
# part given "under" or "toward" it, are not.
RECEIVER_S_FIGURES: list[tuple[str, Pledged]] = [
    ("The IMF board approved Ukraine's $15.6 bln extended fund facility on Friday.",
     [("International Monetary Fund", 15600000000)]),
    ("The IMF approved Ukraine's $15.6 billion loan programme.",
     [("International Monetary Fund", 15600000000)]),
    ("The World Bank signed Kyiv's $500m credit line.", [("World Bank", 500000000)]),
    ("Japan will fund part of Ukraine's $37bn deficit.", []),
    ("Japan will cover Ukraine's $37 billion budget gap.", []),
    ("The IMF approved a $400 million disbursement under Ukraine's $15.6 bln extended fund "
     "facility.", [("International Monetary Fund", 400000000)]),
    ("Germany will give €5m toward Kyiv's €100m energy package.", [("Germany", 5000000)]),
    ("Canada will lend C$5 bln, its share of the G7's $50 bln ERA scheme.",
     [("Canada", 5000000000)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), RECEIVER_S_FIGURES)
def test_a_facility_in_the_receiver_s_possessive_is_the_donor_s(
    text: str, expected: Pledged
) -> None:
    assert pledged(text) == expected


# A span of days is a date, never a count or a range of sums, whichever way it is written.
DAY_SPANS: list[tuple[str, Pledged]] = [
    ("Germany pledged 20 tanks to Ukraine on 9-10 June.", [("Germany", 20)]),
    ("At the meeting on 9-10 June, Germany pledged €5 million to Ukraine.",
     [("Germany", 5000000)]),
    ("Germany pledged €5 million to Ukraine between 9 and 10 June.", [("Germany", 5000000)]),
    ("Germany pledged on 9-10 June €5 million to Ukraine.", [("Germany", 5000000)]),
    ("On 9–10 June, Germany pledged 20 tanks to Ukraine.", [("Germany", 20)]),
    ("Germany will deliver IRIS-T systems on June 9-10.", [("Germany", None)]),
    ("Germany will send howitzers between 9 and 10 June, the minister said.",
     [("Germany", None)]),
    # a range of counts is still its lower bound
    ("Germany will deliver 9-12 howitzers.", [("Germany", 9)]),
    ("Germany will deliver between 9 and 12 howitzers.", [("Germany", 9)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DAY_SPANS)
def test_a_span_of_days_is_a_date_never_a_count(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@given(
    first=st.integers(1, 27),
    month=st.sampled_from(["June", "July", "October"]),
    dash=st.sampled_from(["-", "–"]),
    words=st.sampled_from(["on ", "", "between "]),
)
def test_a_span_of_days_before_a_month_dates_the_pledge(
    first: int, month: str, dash: str, words: str
) -> None:
    span = f"{first} and {first + 1}" if words == "between " else f"{first}{dash}{first + 1}"
    (pledge,) = extract(f"Norway pledged 12 howitzers {words}{span} {month}.", ON).pledges
    assert pledge.quantity == 12
    assert pledge.announced is not None and pledge.announced.day == first + 1


# Emoji and other symbols beside names and figures do not break a sentence's reading.
SYMBOLS = ["🇩🇪", "🚀", "✅", "➡️", "💶", "🇺🇦", "★", "▶"]


@given(
    before=st.sampled_from(SYMBOLS),
    after=st.sampled_from(SYMBOLS),
    glued=st.booleans(),
)
def test_symbols_beside_names_and_figures_are_read_past(
    before: str, after: str, glued: bool
) -> None:
    space = "" if glued else " "
    text = f"{before}{space}Germany pledged €5 million{space}{after} to Ukraine on Tuesday."
    assert pledged(text) == [("Germany", 5000000)]


# A donor's share told with "is": the figures after it are the donor's pledges.
SHARES_TOLD: list[tuple[str, Pledged]] = [
    ("* JAPAN'S SHARE OF G7 ERA LOANS IS $4.5 BLN, FIRST TRANCHE OF $1 BLN DUE IN AUGUST",
     [("Japan", 4500000000), ("Japan", 1000000000)]),
    ("Japan's share of the loans is $4.5 billion.", [("Japan", 4500000000)]),
    ("Norway's contribution will be NOK 2bn.", [("Norway", 2000000000)]),
    ("GERMANY'S SHARE AMOUNTS TO EUR 1.2 BLN", [("Germany", 1200000000)]),
    # the receiver's, a non-donor's, a percentage, something handed over, no figure: nothing
    ("Ukraine's share of the budget is $4bn.", []),
    ("Russia's share of the market is $4bn.", []),
    ("Germany's share of EU GDP is 25%.", []),
    ("Germany's share of the package was delivered in May.", []),
    ("Germany's share of the costs is unclear.", []),
    ("The share of Germany is €5bn.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SHARES_TOLD)
def test_a_donor_s_share_told_with_is_is_its_pledge(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


# A factbox label's donor named again as "The government, which ...,": what the relative
# clause denies is said of the donor, not of the verb after it.
LABEL_RELATIVES: list[tuple[str, Pledged]] = [
    ("* SWITZERLAND: The government, which does not export weapons to countries at war, "
     "approved 5 billion Swiss francs for Ukraine's reconstruction until 2036.",
     [("Switzerland", 5000000000)]),
    ("* SWITZERLAND: The government, which is neutral, approved 5 billion Swiss francs.",
     [("Switzerland", 5000000000)]),
    ("Germany: The government, which is neutral, will send 20 tanks.", [("Germany", 20)]),
    # the verb itself denied, or another subject's relative: nothing
    ("* SWITZERLAND: The government, which approved a budget, does not plan to send 5 tanks.",
     []),
    ("* SWITZERLAND: The initiative, which has delivered 5 tanks, is ending.", []),
    ("* NORWAY: The government, which has sent tanks, could give NOK 5bn.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), LABEL_RELATIVES)
def test_a_relative_after_the_label_s_government_is_said_of_the_donor(
    text: str, expected: Pledged
) -> None:
    assert pledged(text) == expected
