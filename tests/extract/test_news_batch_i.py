"""The wordings of the five news articles 95-99 (a Caribbean daily on donors to Haiti's gang
force and hunger appeal, with Gulf donors and development banks, grants beside loans; a
finance-desk story of a World Bank, EIB and EBRD package for Ukraine's grid whose risk donors'
guarantees carry; a defence-industry order book of contracts paid for by donors, with
options, production rates and deliveries scheduled by year; a Polish ministry release in
English translation, with decimal commas, "mln", "bln", "thous." and thousands grouped by a
space; a weekly newsletter, country by country, of pledges raised, cut, withdrawn, frozen and
put on hold), each rule tried on several phrasings, and the five articles' score held.

Judgement calls of their gold (``news/gold.json``): a sum "of which" two parts go to named
uses is a total with its two parts; a development bank's loan to a neighbouring country is a
pledge to that recipient; an agreement "worth" a sum signed by a donor's aid agency is its
pledge; what a government spends from its own budget, a contribution "under consideration"
between two figures, police and soldiers deployed, vehicles "paid for last year" that arrived,
an appeal's size and funded share are no pledges; a guarantee of part of a loan is the
guarantor's pledge beside the lender's loan ("Japan will guarantee $400mn of the loan"), and so
is a part "covered by a guarantee from the EU budget"; a grant a bank agrees "paid for by"
two donors is recorded once for the bank and the two; an IMF disbursement after a review is a
pledge, the facility it belongs to is not restated, and what "could follow" if investors sign
up is not one; a loan's terms, a damage assessment, lenders' commitments "since 2022" and a
scheme's disbursements "so far" are no pledges; a contract a donor signs with a maker for
counted things to be given is one record with the sum and the count ("up to 600 drones ...
worth up to €90 million": up to), while the option for more, the schedule of deliveries, a
production rate, a share price, a maker's sales and backlog, training for operators, an order
for the donor's own army and one "delivered in full" are not; a translated package "with a
value of approximately PLN 325 mln" is a pledge and each bullet of what it "includes among
others" a part; a state agency stands for its country ("The Government Strategic Reserves
Agency (RARS) will transfer"); "the German side" is Germany; "cannot hand over" denies; a
newsletter's raised or cut figure is the pledge at the new figure, one "put on hold", "froze"
or "withdrew" is none, a guarantee that "stands" and "reconfirmed its £3bn ..., first pledged
in January" are pledges reported as made before, "£2.4bn of it has already been spent" is
not, "NOK 1.2bn ..., the same NOK 1.2bn as this year" is one pledge, a loan "backed by
guarantees from Japan, the Netherlands and Britain" records the loan and, as article 04 does,
each guarantee without a figure, except the Netherlands' whose figure the newsletter stated
above (as article 33's lead is restated by its figures), and a correction's wrong and right
figures ("It is DKK 500m, not DKK 800m") pledge nothing; "spare parts for Krab howitzers and
Rosomak vehicles" is two records, as the development corpus records "munitions for air
defense systems, artillery, and multiple launch rocket systems" as three.
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

ON = date(2026, 12, 5)
read = Readings(ON)
# The five articles 95-99 (before the rules they brought: precision 0.73, recall 0.70, 37 of
# 51 extracted, of 53 gold pledges as first committed; 37 of 51, of 56, with the gold's later
# records of spare parts and of guarantees without figures).
FIRST, LAST = "95", "99~"
PRECISION_BASELINE = 0.92
RECALL_BASELINE = 0.90


def test_the_five_articles_95_to_99_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


DONORS = ["Germany", "Norway", "Canada", "Japan", "Sweden", "the Netherlands", "Poland"]
MILLIONS = st.integers(min_value=2, max_value=900)
COUNTS = st.integers(min_value=2, max_value=999)


@given(
    lender=st.sampled_from(["The Inter-American Development Bank", "The World Bank", "The IDB"]),
    sign=st.sampled_from(["US$", "$"]),
    first=MILLIONS,
    second=MILLIONS,
    verb=st.sampled_from(["lend", "provide", "give"]),
)
def test_a_dollar_sign_after_us_names_no_donor(
    lender: str, sign: str, first: int, second: int, verb: str
) -> None:
    """ "US$40 million" is a sum in dollars; "US" there is no donor for "it" to stand for."""
    text = (
        f"{lender} approved a {sign}{first} million grant for Haiti, and said it would {verb} "
        f"a further {sign}{second} million to the Dominican Republic."
    )
    pledges = extract(text, ON).pledges
    assert {p.donor for p in pledges} == {
        "World Bank" if "World" in lender else "Inter-American Development Bank"
    }
    assert [p.amount for p in pledges] == [Decimal(first * 10**6), Decimal(second * 10**6)]


SIGNED = ["signed", "placed", "awarded"]


@given(
    donor=st.sampled_from(DONORS),
    verb=st.sampled_from(SIGNED),
    millions=MILLIONS,
    maker=st.sampled_from(["Rheinmetall", "MBDA UK", "a Czech maker", "Saab"]),
    count=COUNTS,
    things=st.sampled_from(["interceptor drones", "rounds of 155mm ammunition", "howitzers"]),
)
def test_a_sum_s_order_with_a_maker_for_counted_things_is_their_price(
    donor: str, verb: str, millions: int, maker: str, count: int, things: str
) -> None:
    """ "signed a €300m order with Rheinmetall for 100,000 rounds for Ukraine": one record
    with the sum and the count, as a contract for them is."""
    article = "an" if verb == "awarded" else "a"
    text = (
        f"{donor} {verb} {article} €{millions} million order with {maker} for {count:,} "
        f"{things} for Ukraine."
    )
    if verb == "awarded":
        text = text.replace(f"awarded an €{millions}", f"awarded {maker} a €{millions}")
        text = text.replace(f"order with {maker} for", "order for")
    (pledge,) = extract(text, ON).pledges
    assert (pledge.amount, pledge.currency, pledge.quantity) == (
        Decimal(millions * 10**6), "EUR", Decimal(count)
    )  # fmt: skip


@given(donor=st.sampled_from(DONORS), count=COUNTS)
def test_an_order_for_the_donor_s_own_army_gives_nothing(donor: str, count: int) -> None:
    text = f"{donor} placed an order for {count} air defence systems for its own army."
    assert extract(text, ON).pledges == ()


PARKED = [
    "{donor} put on hold a €{n} million package of demining equipment for Ukraine.",
    "{donor} froze €{n} million of its contribution to the Energy Support Fund.",
    "{donor} cannot hand over €{n} million in military aid to Ukraine this year.",
    "{donor} has placed on hold its €{n} million pledge of drones for Ukraine.",
]


@given(parked=st.sampled_from(PARKED), donor=st.sampled_from(DONORS), n=MILLIONS, given_n=MILLIONS)
def test_a_promise_put_on_hold_frozen_or_refused_gives_nothing(
    parked: str, donor: str, n: int, given_n: int
) -> None:
    """Only the pledge told beside a parked or refused one is read."""
    donor = donor[0].upper() + donor[1:]  # opening a sentence
    text = f"{donor} will give €{given_n} million for air defence. " + parked.format(
        donor=donor, n=n
    )
    assert [p.amount for p in extract(text, ON).pledges] == [Decimal(given_n * 10**6)]


@given(
    donor=st.sampled_from(DONORS),
    n=MILLIONS,
    code=st.sampled_from(["NOK", "SEK", "EUR"]),
    when=st.sampled_from(["as this year", "as in 2026", "as last year"]),
)
def test_the_same_sum_again_is_compared_not_given_again(
    donor: str, n: int, code: str, when: str
) -> None:
    """ "NOK 1.2bn ... next year, the same NOK 1.2bn as this year": one pledge; two equal
    sums given for two things stay two."""
    text = f"{donor} will give {code} {n}m in aid next year, the same {code} {n}m {when}."
    assert read.figures(text) == [(donor.removeprefix("the "), Decimal(n * 10**6), code)]
    two = f"{donor} will give {code} {n}m for 2027, and a further {code} {n}m for 2028."
    assert len(extract(two, ON).pledges) == 2


@given(
    donor=st.sampled_from(["Britain", "Germany", "Norway"]),
    whole=st.integers(min_value=2, max_value=9),
    part=st.integers(min_value=1, max_value=9),
    done=st.sampled_from(["spent", "paid out", "disbursed", "delivered"]),
    time=st.sampled_from(["already ", "so far ", ""]),
)
def test_the_part_of_a_sum_already_spent_is_no_pledge(
    donor: str, whole: int, part: int, done: str, time: str
) -> None:
    """ "reconfirmed its £3bn ..., and said £2.4bn of it has already been spent": the sum
    reported as pledged before is read, its part spent is not."""
    text = (
        f"{donor} reconfirmed its €{whole}bn for this year, first pledged in January, and said "
        f"€{part}00m of it has {time}been {done}."
    )
    assert [p.amount for p in extract(text, ON).pledges] == [Decimal(whole * 10**9)]


DEMONYMS = {"German": "Germany", "Polish": "Poland", "Japanese": "Japan", "French": "France"}


@given(demonym=st.sampled_from(sorted(DEMONYMS)), n=MILLIONS)
def test_a_demonym_s_side_gives_for_its_country(demonym: str, n: int) -> None:
    text = f"The {demonym} side will also transfer EUR {n} mln for the repair of armoured vehicles."
    assert read.figures(text) == [(DEMONYMS[demonym], Decimal(n * 10**6), "EUR")]


@given(
    donor=st.sampled_from(DONORS),
    count=COUNTS,
    people=st.sampled_from(["Ukrainian operators", "instructors", "pilots", "drone operators"]),
)
def test_people_trained_are_no_items(donor: str, count: int, people: str) -> None:
    text = f"{donor} will also fund training for {count} {people}."
    assert extract(text, ON).pledges == ()


SPACES = [" ", "\u00a0", "\u202f", "\u2009"]


@given(
    thousands=st.integers(min_value=1, max_value=999),
    rest=st.integers(min_value=0, max_value=999),
    space=st.sampled_from(SPACES),
    millions=st.booleans(),
)
def test_thousands_grouped_by_a_space(
    thousands: int, rest: int, space: str, millions: bool
) -> None:
    """ "2 000 sleeping bags", "NOK 1 500 000": one number, as translations write it."""
    digits = f"{thousands}{space}{rest:03d}" + (f"{space}000" if millions else "")
    value = (thousands * 1000 + rest) * (1000 if millions else 1)
    (phrase,) = find_numbers(f"Poland will send {digits} sleeping bags.")
    assert phrase.value == Decimal(value)


@given(
    count=st.integers(min_value=2, max_value=99),
    calibre=st.sampled_from(["120 mm", "155 mm", "122mm", "120-mm"]),
    space=st.sampled_from(SPACES),
)
def test_a_calibre_after_a_count_is_no_group_of_thousands(
    count: int, calibre: str, space: str
) -> None:
    """ "12 120 mm mortars" counts twelve."""
    (pledge,) = extract(f"Poland will send {count}{space}{calibre} mortars to Ukraine.", ON).pledges
    assert pledge.quantity == Decimal(count)


@given(count=st.integers(min_value=1, max_value=999), people=st.booleans())
def test_thous_abbreviates_thousand(count: int, people: bool) -> None:
    things = "soldiers" if people else "rounds of artillery ammunition"
    (phrase,) = find_numbers(f"- {count} thous. {things},")
    assert phrase.value == Decimal(count * 1000)


@given(
    donor=st.sampled_from(["Poland", "Norway", "Germany"]),
    ordinal=st.integers(min_value=2, max_value=60),
    qualifier=st.sampled_from(["approximately ", "about ", ""]),
    n=MILLIONS,
    count=COUNTS,
)
def test_a_package_with_a_value_of_and_its_list(
    donor: str, ordinal: int, qualifier: str, n: int, count: int
) -> None:
    """A package signed by ministers unnamed, with an ordinal and no figure, then "The
    package, with a value of ..., includes among others:" and its bullets: the package's sum
    and each line, given by the donor the release names most."""
    text = (
        f"{donor}'s defence minister met his Ukrainian counterpart. During the meeting, the "
        f"heads of the ministries signed the {ordinal}th package of military aid for Ukraine."
        f"\n\nThe package, with a value of {qualifier}PLN {n} mln, includes among others:\n"
        f"- {count} thous. rounds of artillery ammunition,\n- 12 self-propelled mortars.\n\n"
        f"{donor} remains the main logistics hub for aid.\n"
    )
    assert read.figures(text) == [
        (donor, Decimal(n * 10**6), "PLN"),
        (donor, Decimal(count * 1000), None),
        (donor, Decimal(12), None),
    ]


@given(
    lender=st.sampled_from(["The EIB", "The World Bank", "The EBRD"]),
    n=MILLIONS,
    scale=st.sampled_from(["mn", "m", " million"]),
    what=st.sampled_from(["grant", "loan"]),
)
def test_agreed_a_grant_or_loan(lender: str, n: int, scale: str, what: str) -> None:
    text = f"{lender} also agreed a €{n}{scale} {what} for the protection of substations."
    assert [p.amount for p in extract(text, ON).pledges] == [Decimal(n * 10**6)]


@given(
    lender=st.sampled_from(["The EBRD", "The World Bank"]),
    loan=MILLIONS,
    guarantor=st.sampled_from(DONORS),
    verb=st.sampled_from(["providing", "contributing", "offering", "giving", "supplying"]),
    guarantee=MILLIONS,
)
def test_with_a_donor_giving_names_that_donor(
    lender: str, loan: int, guarantor: str, verb: str, guarantee: int
) -> None:
    """ "..., with Germany providing a €50mn first-loss guarantee": Germany's pledge, beside
    the lender's loan; "with" before a name that does nothing stays a place."""
    text = (
        f"{lender} said it would lend €{loan}mn to Naftogaz, with {guarantor} {verb} a "
        f"€{guarantee}mn first-loss guarantee."
    )
    assert [(p.donor, p.amount) for p in extract(text, ON).pledges][1:] == [
        (guarantor.removeprefix("the "), Decimal(guarantee * 10**6))
    ]


@given(
    speaker=st.sampled_from(
        [("Defence Minister Guido Crosetto", "Italy"), ("Pistorius", "Germany"),
         ("Defence Minister David McGuinty", "Canada"), ("Kosiniak-Kamysz", "Poland")]
    ),
    n=MILLIONS,
    lead=st.sampled_from(["It will instead give", "It will provide", "It also pledged"]),
)  # fmt: skip
def test_a_pronoun_with_no_donor_before_is_the_speaker_s(
    speaker: tuple[str, str], n: int, lead: str
) -> None:
    """ "It will instead give €60m ..., Defence Minister Guido Crosetto said": no donor in the
    sentence before, so the one who speaks; the sentence before still wins when it names one."""
    name, country = speaker
    text = f"Officials say no decision will be taken. {lead} €{n}m for air defence, {name} said."
    assert read.figures(text) == [(country, Decimal(n * 10**6), "EUR")]
    before = f"Norway changed its plans. {lead} €{n}m for air defence, {name} said."
    assert read.figures(before)[0][0] == "Norway"


@given(
    who=st.sampled_from(
        ["Foreign ministers meeting in the Council", "The Council", "EU foreign ministers",
         "Defence ministers meeting in the Council of the EU"]
    ),
    what=st.sampled_from(
        ["an assistance measure", "a new assistance measure", "a support measure"]
    ),
    n=MILLIONS,
)  # fmt: skip
def test_an_assistance_measure_adopted_by_the_council_is_the_eu_s(
    who: str, what: str, n: int
) -> None:
    """ "Foreign ministers meeting in the Council adopted an assistance measure of EUR 500
    million": the European Union gives; ministers "meeting in" it are no place."""
    text = f"{who} on Friday adopted {what} of EUR {n} million under the European Peace Facility."
    assert read.figures(text) == [("European Union", Decimal(n * 10**6), "EUR")]


@given(donor=st.sampled_from(DONORS), n=MILLIONS, bases=st.integers(min_value=2, max_value=9))
def test_bases_built_are_no_items(donor: str, n: int, bases: int) -> None:
    """ "US$60 million for logistics and the construction of two bases": one sum, no count."""
    donor = donor[0].upper() + donor[1:]
    text = f"{donor} pledged €{n} million for logistics and the construction of {bases} bases."
    assert [(p.amount, p.quantity) for p in extract(text, ON).pledges] == [
        (Decimal(n * 10**6), None)
    ]


@given(
    lender=st.sampled_from(["The World Bank", "The EIB"]),
    n=MILLIONS,
    guarantors=st.lists(
        st.sampled_from(["Japan", "Britain", "Canada", "Norway"]), min_size=1, max_size=3,
        unique=True,
    ),
)  # fmt: skip
def test_guarantees_without_figures_are_each_guarantor_s(
    lender: str, n: int, guarantors: list[str]
) -> None:
    """ "a $1.1bn loan ..., backed by guarantees from Japan, the Netherlands and Britain": the
    loan, and a guarantee without a figure from each guarantor; none for a guarantor whose
    guarantee the article states with its figure."""
    names = ", ".join(guarantors[:-1]) + (" and " if len(guarantors) > 1 else "") + guarantors[-1]
    text = f"{lender} approved a ${n}m loan to Ukrenergo, backed by guarantees from {names}."
    pledges = extract(text, ON).pledges
    country = {"Britain": "United Kingdom"}
    assert [(p.donor, p.amount) for p in pledges][1:] == [
        (country.get(g, g), None) for g in guarantors
    ]
    assert all(p.category == "guarantee" for p in pledges[1:])
    told = text + f" {guarantors[0]} guaranteed ${n // 2 + 1}m of the loan."
    donors = [(p.donor, p.amount is None) for p in extract(told, ON).pledges]
    assert (country.get(guarantors[0], guarantors[0]), True) not in donors


@given(
    donor=st.sampled_from(["Denmark", "Norway", "Sweden"]),
    count=COUNTS,
    participle=st.sampled_from(["announced in the spring", "pledged in March", "promised in 2025"]),
    done=st.sampled_from(["had now been delivered in full", "has been delivered", "were paid"]),
)
def test_a_promise_set_off_then_told_delivered_is_no_pledge(
    donor: str, count: int, participle: str, done: str
) -> None:
    """ "the country's own order of 18 howitzers from Ukrainian producers, announced in the
    spring, had now been delivered in full": a promise handed over, not made."""
    told = f"{donor}'s order of {count} howitzers from Ukrainian makers, {participle}, {done}."
    assert extract(f"Officials said {told}", ON).pledges == ()
    subject = f"The {count} howitzers, {participle}, {done}."
    assert extract(subject, ON).pledges == ()
    kept = f"{donor} will send {count} howitzers, {participle}, and 5 tanks."
    assert [p.quantity for p in extract(kept, ON).pledges] == [Decimal(count), Decimal(5)]


@given(
    bullet=st.sampled_from(["- ", "• ", "* "]),
    before=st.sampled_from(["Norway", "Canada"]),
    speaker=st.sampled_from([("Crosetto", "Italy"), ("Pistorius", "Germany")]),
    n=MILLIONS,
)
def test_a_bulleted_pronoun_takes_the_speaker_over_an_older_donor(
    bullet: str, before: str, speaker: tuple[str, str], n: int
) -> None:
    """In a newsletter's bullets, "- It will instead give €60m ..., Crosetto said" after a
    line naming no donor is the speaker's, not that of a donor named lines before."""
    name, country = speaker
    text = (
        f"{bullet}{before} will send 12 tanks to Ukraine.\n{bullet}Officials say no decision "
        f"will be taken.\n{bullet}It will instead give €{n}m for air defence, {name} said."
    )
    assert read.figures(text)[-1] == (country, Decimal(n * 10**6), "EUR")
    plain = f"{bullet}{before} will send 12 tanks.\n{bullet}It will also give €{n}m for drones."
    assert read.figures(plain)[-1] == (before, Decimal(n * 10**6), "EUR")
