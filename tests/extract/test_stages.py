"""Allocations and deliveries of earlier pledges come out as stage reports, never pledges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract import extract, to_contract
from tracker.extract.numbers import NumberPhrase, find_numbers
from tracker.extract.patterns import fold_case
from tracker.extract.stages import (
    ALLOCATING_VERBS,
    CLAUSE_STARTS,
    CUMULATIVE_BEFORE_WORDS,
    CUMULATIVE_SUM_WORDS,
    CUMULATIVE_TIME_WORDS,
    HANDED_OVER_FORMS,
    INCREMENT_WORDS,
    LATER_ORDINALS,
    NOT_TIME_AFTER,
    NOT_TIME_BEFORE,
    PART_NOUNS,
    stage_wording,
)

ON = date(2025, 9, 10)


def test_a_delivery_of_part_of_a_promise_is_a_stage_report() -> None:
    text = (
        "Britain has delivered the first 1,000 of the more than 5,000 air defence missiles "
        "it promised in July."
    )
    extraction = extract(text, ON)
    assert extraction.pledges == ()
    (report,) = extraction.stage_reports
    assert (report.donor, report.stage, report.quantity) == ("United Kingdom", "delivered", 1000)
    assert report.refers_to == "promised in July"
    assert report.promised is not None
    assert (report.promised.quantity, report.promised.qualifier) == (Decimal(5000), "at_least")
    assert report.item == "air defence missiles"


@given(
    handed=st.integers(min_value=1, max_value=899),  # 1900 on reads as a year
    more=st.integers(min_value=1, max_value=899),
    item=st.sampled_from(["howitzers", "Caesar guns", "Leopard tanks", "air defence missiles"]),
    whose=st.sampled_from(["the", "its"]),
)
def test_a_part_of_a_small_count_is_of_the_item_not_of_the_count(
    handed: int, more: int, item: str, whose: str
) -> None:
    """In "30 of the 78 Caesar guns it promised" the item is "Caesar guns", 78 the promise."""
    promised = handed + more
    text = f"France has delivered {handed} of {whose} {promised} {item} it promised in 2024."
    (report,) = extract(text, ON).stage_reports
    assert (report.item, report.quantity) == (item, Decimal(handed))
    assert report.promised is not None and report.promised.quantity == Decimal(promised)


def test_a_pledge_of_part_of_a_fleet_counts_the_part() -> None:
    text = "France will send two 155 mm howitzers and 30 of its 100 Mirage 2000-5 jets."
    pledges = {(p.item, p.quantity) for p in extract(text, ON).pledges}
    assert pledges == {("155 mm howitzers", Decimal(2)), ("Mirage 2000-5 jets", Decimal(30))}


def test_a_disbursed_tranche_names_the_promised_sum() -> None:
    text = "The European Commission has disbursed the first €1.5bn tranche of the €18bn loan."
    extraction = extract(text, ON)
    # A disbursed tranche is a commitment of its own, as is the ceiling it is paid under.
    assert [(p.donor, p.amount) for p in extraction.pledges] == [
        ("European Union", Decimal(1500000000)),
        ("European Union", Decimal(18000000000)),
    ]
    (report,) = extraction.stage_reports
    assert (report.donor, report.stage) == ("European Union", "delivered")
    assert (report.amount, report.currency) == (Decimal(1500000000), "EUR")
    assert report.promised is not None
    assert (report.promised.amount, report.promised.currency) == (Decimal(18000000000), "EUR")


def test_a_promise_to_deliver_stays_a_pledge() -> None:
    extraction = extract("Germany will deliver 5 tanks to Ukraine, Pistorius said.", ON)
    assert [(p.donor, p.quantity) for p in extraction.pledges] == [("Germany", Decimal(5))]
    assert extraction.stage_reports == ()


def test_a_delivery_that_names_no_earlier_promise_stays_as_it_was() -> None:
    extraction = extract("Paris has sent 12 Caesar howitzers to Ukraine.", ON)
    assert [(p.donor, p.quantity) for p in extraction.pledges] == [("France", Decimal(12))]
    assert extraction.stage_reports == ()


def test_stage_reports_are_in_the_contract() -> None:
    text = "The EU disbursed a second tranche of €4bn under the Ukraine Facility on Monday."
    contract = to_contract(extract(text, ON), {})
    (report,) = contract["stage_reports"]
    assert (report["stage"], report["amount"], report["currency"]) == (
        "delivered",
        4000000000,
        "EUR",
    )
    assert [(p["amount"], p["currency"]) for p in contract["pledges"]] == [(4000000000, "EUR")]


def test_a_disbursement_not_named_as_a_tranche_is_only_a_stage_report() -> None:
    text = "Canada has disbursed CAD 2.5 billion of its ERA contribution, Marchenko said."
    extraction = extract(text, ON)
    assert extraction.pledges == ()
    assert [r.amount for r in extraction.stage_reports] == [Decimal(2500000000)]


def test_tranches_worth_a_sum_each_are_one_pledge_per_tranche() -> None:
    text = (
        "The European Commission paid a sixth tranche of €1.5 billion to Ukraine. "
        "The Commission said this will unlock the payment of two further tranches worth "
        "€1.5 billion each."
    )
    pledges = extract(text, ON).pledges
    assert [(p.amount, p.notes) for p in pledges] == [
        (Decimal(1500000000), None),
        (Decimal(1500000000), "tranche 1 of 2"),
        (Decimal(1500000000), "tranche 2 of 2"),
    ]


def test_a_quoted_restatement_of_a_stated_sum_adds_nothing() -> None:
    text = (
        "The Commission has disbursed the first €4.5 billion of support under the Ukraine "
        "Facility. Von der Leyen said: “Today is a good day. The Commission has just paid to "
        "Ukraine a first tranche of 4.5 billion Euro from the Facility.”"
    )
    pledges = extract(text, ON).pledges
    assert [(p.amount, p.evidence_start) for p in pledges] == [(Decimal(4500000000), 0)]


def test_contents_of_a_running_total_are_no_pledges() -> None:
    text = (
        "Germany pledged €100m to Ukraine on Monday. Overall, since the start of the war, "
        "German support to Ukraine has amounted to €28 billion. This includes financial, "
        "humanitarian and military support."
    )
    pledges = extract(text, ON).pledges
    assert [p.amount for p in pledges] == [Decimal(100000000)]


def test_things_handed_over_before_are_not_pledged_again() -> None:
    text = (
        "The Defense Department is delivering the aircraft to Ukraine to augment the five "
        "transport helicopters sent earlier this year."
    )
    assert extract(text, ON).pledges == ()
    text = "Germany will send 5 more tanks to Ukraine, after the 14 tanks delivered last month."
    assert [p.quantity for p in extract(text, ON).pledges] == [Decimal(5)]


def test_a_promise_to_hand_over_a_named_thing_stays_a_pledge() -> None:
    (pledge,) = extract("Germany will deliver the IRIS-T systems to Ukraine.", ON).pledges
    assert (pledge.donor, pledge.category) == ("Germany", "air defence")


@given(
    object_=st.sampled_from(["", " Ukraine", " Kyiv", " to Ukraine", " to Kyiv", " the country"]),
    when=st.sampled_from(["in July", "in March", "last year", "back in May", "in 2024"]),
    verb=st.sampled_from(["promised", "pledged", "committed"]),
    said=st.sampled_from(["", ", the Ministry of Defence said on Wednesday"]),
)
def test_the_time_of_the_promise_named_does_not_date_the_delivery(
    object_: str, when: str, verb: str, said: str
) -> None:
    """A delivery is dated by its own words or the publication, never by the date of the
    promise it points back to, wherever the recipient stands in that clause."""
    text = (
        f"Britain has delivered the first 1,000 of the more than 5,000 air defence missiles "
        f"it {verb}{object_} {when}{said}."
    )
    (report,) = extract(text, ON).stage_reports
    wednesday = date(2025, 9, 10)  # ON is a Wednesday: "on Wednesday" is that day
    assert (report.announced, report.announced_precision) == (wednesday, "day"), report
    assert report.refers_to == f"{verb}{object_} {when}"


@given(
    promise=st.sampled_from(["more than 5,000 air defence missiles pledged in July",
                             "5,000 air defence missiles it promised in July",
                             "5,000 air defence missiles it promised Kyiv last year"]),
    verb=st.sampled_from(["has delivered", "has so far delivered", "has sent", "has handed over"]),
    part=st.sampled_from(["1,000", "the first 1,000"]),
)  # fmt: skip
def test_a_promise_named_at_the_head_of_the_sentence_is_the_one_handed_over(
    promise: str, verb: str, part: str
) -> None:
    """ "Of the 5,000 missiles pledged in July, Britain has delivered 1,000": a delivery of
    that promise's item, dated by the article, not by the promise."""
    (report,) = extract(f"Of the {promise}, Britain {verb} {part}.", ON).stage_reports
    assert (report.donor, report.stage, report.quantity) == ("United Kingdom", "delivered", 1000)
    assert report.item == "air defence missiles"
    assert report.promised is not None and report.promised.quantity == Decimal(5000)
    assert (report.announced, report.announced_precision) == (ON, "day")


WORDING_CASES = [
    ("Britain has delivered the first 1,000 of the 5,000 missiles it promised in July.",
     "cumulative"),
    ("Britain has delivered 3,000 of the 5,000 missiles it promised in July so far.",
     "cumulative"),
    ("Britain has delivered 3,000 of the 5,000 missiles it promised in July to date.",
     "cumulative"),
    ("Britain has delivered a total of 3,000 of the 5,000 missiles it promised in July.",
     "cumulative"),
    ("Britain has delivered 3,000 in all of the 5,000 missiles it promised in July.",
     "cumulative"),
    ("The Commission has paid a first tranche of €1.5bn of the €18bn loan it promised in July.",
     "cumulative"),
    ("Britain has delivered another 1,000 of the 5,000 missiles it promised in July.",
     "increment"),
    ("Britain has delivered a further 1,000 of the 5,000 missiles it promised in July.",
     "increment"),
    ("Britain has delivered an additional 1,000 of the 5,000 missiles it promised in July.",
     "increment"),
    ("Britain has delivered 1,000 more of the 5,000 missiles it promised in July.",
     "increment"),
    ("The Commission has paid a second tranche of €1.5bn of the €18bn loan it promised in July.",
     "increment"),
    ("The Commission has paid the next €1.5bn tranche of the €18bn loan it promised in July.",
     "increment"),
    ("Britain has delivered a new batch of 1,000 of the 5,000 missiles it promised in July.",
     "increment"),
    ("The Commission has paid a further tranche of €1.5bn of the €18bn loan it promised.",
     "increment"),
    ("Britain has delivered 1,000 of the more than 5,000 missiles it promised in July.",
     "plain"),
    ("Britain has delivered 1,000 of the 5,000 missiles it promised in July.", "plain"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "wording"), WORDING_CASES)
def test_a_stage_report_says_how_its_figure_is_told(text: str, wording: str) -> None:
    """Increment ("another", "a further", "additional", "more", "second/next tranche"),
    cumulative ("the first N", "so far", "to date", "a total of", "in all") or neither."""
    (report,) = extract(text, ON).stage_reports
    assert report.wording == wording, report


@pytest.mark.parametrize("word", [*INCREMENT_WORDS, *LATER_ORDINALS])
def test_every_increment_word_is_read(word: str) -> None:
    figure = NumberPhrase(0, 0, Decimal(1000), None, False, "exact", None)
    text = fold_case(f"delivered {word} 1,000")
    start = text.index("1,000")
    assert stage_wording(text, 9, figure._replace(start=start, end=start + 5)) == "increment"


def wording_of(text: str) -> str:
    """The wording `stage_wording` reads for the first figure after "delivered" in `text`."""
    folded = fold_case(text)
    verb_end = folded.index("delivered") + len("delivered")
    (number,) = [n for n in find_numbers(text) if n.start >= verb_end][:1]
    return stage_wording(folded, verb_end, number)


@pytest.mark.parametrize("words", CUMULATIVE_TIME_WORDS)
def test_every_word_of_time_is_read_after_the_figure_before_the_verb_and_opening(
    words: str,
) -> None:
    assert wording_of(f"Britain has delivered 1,000 missiles {words} this year.") == "cumulative"
    assert wording_of(f"Britain has {words} delivered 1,000 missiles.") == "cumulative"
    assert wording_of(f"{words.capitalize()}, Britain has delivered 1,000.") == "cumulative"


@pytest.mark.parametrize("words", CUMULATIVE_SUM_WORDS)
def test_every_word_of_summing_is_read_closing_the_clause_and_opening(words: str) -> None:
    assert wording_of(f"Britain has delivered 1,000 missiles {words}.") == "cumulative"
    assert wording_of(f"Britain has delivered 1,000 missiles {words}, officials said.") == (
        "cumulative"
    )
    assert wording_of(f"{words.capitalize()}, Britain has delivered 1,000.") == "cumulative"
    assert wording_of(f"Britain has delivered 1,000 missiles {words} regions.") == "plain"


@pytest.mark.parametrize("words", CUMULATIVE_BEFORE_WORDS)
def test_every_word_before_the_figure_is_read(words: str) -> None:
    assert wording_of(f"Britain has delivered {words} 1,000 missiles.") == "cumulative"
    assert wording_of(f"Britain has delivered {words} more than 1,000 missiles.") == ("cumulative")


@pytest.mark.parametrize("word", NOT_TIME_AFTER)
def test_a_word_of_time_followed_by_another_meaning_is_not_read(word: str) -> None:
    assert wording_of(f"Britain has delivered 1,000 missiles, so far {word} it goes.") == "plain"


@pytest.mark.parametrize("word", NOT_TIME_BEFORE)
def test_a_word_of_time_after_another_meaning_is_not_read(word: str) -> None:
    assert wording_of(f"Britain has delivered 1,000 missiles {word} to date.") == "plain"


@pytest.mark.parametrize("word", CLAUSE_STARTS)
def test_a_word_of_time_in_another_clause_is_not_read(word: str) -> None:
    text = f"Britain has delivered 1,000 missiles {word} 3,000 shells so far."
    assert wording_of(text) == "plain"


@pytest.mark.parametrize("noun", PART_NOUNS)
def test_an_increment_word_before_a_part_that_names_the_figure_is_read(noun: str) -> None:
    assert wording_of(f"Britain has delivered a new {noun} of 1,000 missiles.") == "increment"
    assert wording_of(f"Britain has delivered another {noun} worth €1m.") == "increment"


P = "of the 5,000 missiles it promised in July"
NEAR_MISSES = [
    f"Britain has delivered 1,000 {P} in all regions of the front.",
    f"Britain has delivered 1,000 {P}, in all regions.",
    f"Britain has delivered 1,000 first aid kits {P}.",
    f"Firstly, Britain has delivered 1,000 {P}.",
    f"Britain has delivered 1,000 {P}, the first of them in August.",
    f"Britain has delivered 1,000 {P} for the first time.",
    f"Britain has delivered 1,000 {P}, so far as officials know.",
    f"Britain has delivered 1,000 {P} in total secrecy.",
    f"Britain has delivered 1,000 {P}, altogether different from the shells.",
    f"Britain has delivered 1,000 {P} to the first brigade.",
    f"Britain has delivered 1,000 {P}, and 3,000 shells so far.",
    f"Britain has delivered 1,000 {P}, first to Kharkiv.",
    f"Britain has delivered 1,000 {P}, bringing the total to 3,000.",
    f"In all regions, Britain has delivered 1,000 {P}.",
    f"Overall demand is high: Britain has delivered 1,000 {P}.",
]
INCREMENT_NEAR_MISSES = [
    "Britain has delivered new equipment worth €1m of the €5m package it promised in July.",
    f"Britain has delivered last week 1,000 {P}.",
    f"Britain has delivered in the last month 1,000 {P}.",
    f"Britain has delivered 1,000 missiles more capable than older ones, {P}.",
    f"Britain has delivered 1,000 more-advanced missiles {P}.",
    f"Britain has delivered 1,000 extra-long-range missiles {P}.",
    f"Britain has delivered at the last minute 1,000 {P}.",
    "Britain has delivered 1,000 missiles; the next tranche of the 5,000 is due in May.",
]
CUMULATIVE = [
    f"So far, Britain has delivered 3,000 {P}.",
    f"So far this year, Britain has delivered 3,000 {P}.",
    f"Britain has so far delivered 3,000 {P}.",
    f"In all, Britain has delivered 3,000 {P}.",
    f"Britain has delivered 3,000 {P} so far.",
    f"Britain has delivered 3,000 missiles so far this year {P}.",
    f"Britain has delivered 3,000 {P} in total.",
    f"Britain has delivered 3,000 {P} altogether, officials said.",
    f"Britain has delivered its first 1,000 {P}.",
    f"Britain has delivered a total of more than 3,000 {P}.",
    "The Commission has paid €1.5bn as the first tranche of the €18bn loan it promised.",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_of_cumulative_wording_are_plain(text: str) -> None:
    """Words of summing or time, or "first", that are not about the figure handed over."""
    (report,) = extract(text, ON).stage_reports
    assert report.wording == "plain", report


@pytest.mark.parametrize("text", INCREMENT_NEAR_MISSES)
def test_near_misses_of_increment_wording_are_plain(text: str) -> None:
    """Increment words and later ordinals that are not about the figure handed over."""
    (report,) = extract(text, ON).stage_reports
    assert report.wording == "plain", report


@pytest.mark.parametrize("text", CUMULATIVE)
def test_cumulative_wording_in_relation_to_the_figure_or_its_verb(text: str) -> None:
    (report,) = extract(text, ON).stage_reports
    assert report.wording == "cumulative", report


TAILS = st.sampled_from([
    "", ", in all regions", " in total secrecy", ", so far as officials know",
    ", the first of them in August", " for the first time", ", and 3,000 shells so far",
    ", altogether different from the shells", " to the first brigade",
])  # fmt: skip
HEADS = st.sampled_from(["", "Firstly, ", "In all regions, ", "Overall demand is high: "])
FIGURES = st.sampled_from([
    ("another 1,000", "increment"), ("a further 1,000", "increment"), ("1,000", "plain"),
    ("the first 1,000", "cumulative"), ("a total of 3,000", "cumulative"),
])  # fmt: skip


@given(head=HEADS, figure=FIGURES, tail=TAILS)
def test_words_away_from_the_figure_never_change_its_wording(
    head: str, figure: tuple[str, str], tail: str
) -> None:
    """Phrases that hold cumulative words but are not about the figure, before the sentence
    or after the figure's clause, leave the wording its figure's words give."""
    told, wording = figure
    text = f"{head}Britain has delivered {told} {P}{tail}."
    (report,) = extract(text, ON).stage_reports
    assert report.wording == wording, text


def test_the_wording_stays_out_of_the_contract() -> None:
    """The contract's stage reports keep their keys: the wording is the importer's."""
    text = "Britain has delivered another 1,000 of the 5,000 missiles it promised in July."
    (report,) = to_contract(extract(text, ON), {})["stage_reports"]
    assert "wording" not in report


# Running totals of a handing over or an allocation, with no other word pointing back to the
# promise: the whole handed over (or allocated) to date, a stage report told as cumulative.
RUNNING_TOTALS = [
    ("To date, Britain has delivered 3,000 air defence missiles to Ukraine.", "delivered", 3000),
    ("Britain has to date delivered 3,000 air defence missiles to Ukraine.", "delivered", 3000),
    ("Britain has so far delivered 3,000 air defence missiles to Ukraine.", "delivered", 3000),
    ("Britain delivered in total 3,000 air defence missiles to Ukraine.", "delivered", 3000),
    ("Britain has delivered a total of 3,000 air defence missiles to Ukraine.", "delivered",
     3000),
    ("Britain has delivered 3,000 air defence missiles to Ukraine in total.", "delivered", 3000),
    ("Britain has delivered 3,000 air defence missiles to Ukraine to date.", "delivered", 3000),
    ("Britain has delivered to date more than 3,000 missiles to Ukraine.", "delivered", 3000),
    ("To date, Norway has handed over 20 howitzers to Ukraine.", "delivered", 20),
    ("Sweden has handed over a total of 20 howitzers to Ukraine.", "delivered", 20),
    ("So far this year, Germany has disbursed €1.2 billion to Ukraine.", "delivered",
     1200000000),
    ("Until now, the European Commission has paid €4.5 billion to Ukraine.", "delivered",
     4500000000),
    ("The EU has allocated €1.5 billion to Ukraine so far this year.", "allocated", 1500000000),
    ("Germany has allocated so far this year €1.2 billion to Ukraine.", "allocated",
     1200000000),
]  # fmt: skip


@pytest.mark.parametrize(("text", "stage", "figure"), RUNNING_TOTALS)
def test_a_running_total_handed_over_is_a_cumulative_stage_report(
    text: str, stage: str, figure: int
) -> None:
    """Not a new pledge (counted twice) and not passed over as a running total."""
    extraction = extract(text, ON)
    assert extraction.pledges == ()
    (report,) = extraction.stage_reports
    assert (report.stage, report.quantity or report.amount, report.wording) == (
        stage, figure, "cumulative",
    )  # fmt: skip


# Near misses: a word of summing or time that tells no running total handed over.
NOT_RUNNING_TOTALS = [
    # a promise to hand over, not a handing over done
    ("To date no decision has been made on whether Britain will send 3,000 missiles to "
     "Ukraine.", []),
    ("So far, Britain plans to send 3,000 missiles to Ukraine.", [3000]),
    ("Britain will deliver a total of 3,000 missiles to Ukraine.", [3000]),
    # a package, not a sum of what was handed over
    ("Britain will send the total package of 3,000 missiles to Ukraine.", [3000]),
    ("Britain has delivered the total package of 3,000 missiles to Ukraine.", [3000]),
    # a handing over under way or an allocation announced with a word of summing
    ("Britain is sending a total of 14 tanks to Ukraine.", [14]),
    ("Denmark is allocating a total of DKK 1 billion to Ukraine.", [1000000000]),
    ("The EU has allocated a total of €5 billion to Ukraine.", [5000000000]),
    # the words mean something else
    ("Britain has delivered 3,000 missiles to Ukraine in all regions.", [3000]),
    ("Britain has delivered 3,000 missiles to Ukraine, so far as officials know.", [3000]),
    ("Britain has delivered 3,000 missiles to Ukraine for the first time.", [3000]),
    # a giving verb that hands nothing over
    ("Britain pledged a total of 3,000 missiles to Ukraine.", [3000]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "pledged"), NOT_RUNNING_TOTALS)
def test_near_misses_of_a_running_total_give_no_stage_report(text: str, pledged: list[int]) -> None:
    extraction = extract(text, ON)
    assert extraction.stage_reports == ()
    assert [p.quantity or p.amount for p in extraction.pledges] == pledged


DONORS = st.sampled_from([
    ("Britain", "United Kingdom"), ("Germany", "Germany"), ("The Netherlands", "Netherlands"),
    ("Norway", "Norway"), ("Canada", "Canada"),
])  # fmt: skip
# (the verb after "has", whether it hands over, its form after "is")
VERBS = st.sampled_from([
    ("delivered", True, "delivering"), ("sent", True, "sending"), ("shipped", True, "shipping"),
    ("transferred", True, "transferring"), ("disbursed", True, "disbursing"),
    ("handed over", True, "handing over"), ("allocated", False, "allocating"),
])  # fmt: skip
TIME_WORDS = st.sampled_from([*CUMULATIVE_TIME_WORDS, "so far this year"])
# Where the word of time stands: {d} donor, {v} verb, {f} figure, {t} word of time.
POSITIONS = st.sampled_from([
    "{T}, {d} has {v} {f} to Ukraine.", "{d} has {t} {v} {f} to Ukraine.",
    "{d} has {v} {f} to Ukraine {t}.", "{d} has {v} {t} {f} to Ukraine.",
    "{d} has {v} {f} to Ukraine {t}, officials said.",
])  # fmt: skip
RUN_FIGURES = st.sampled_from([
    ("3,000 air defence missiles", Decimal(3000), None),
    ("more than 20 howitzers", Decimal(20), None),
    ("€1.2 billion", None, Decimal(1200000000)),
    ("$2 billion worth of ammunition", None, Decimal(2000000000)),
    ("£500 million in military aid", None, Decimal(500000000)),
])  # fmt: skip


@given(donor=DONORS, verb=VERBS, time=TIME_WORDS, position=POSITIONS, figure=RUN_FIGURES)
def test_a_running_total_is_read_in_every_phrasing(
    donor: tuple[str, str],
    verb: tuple[str, bool, str],
    time: str,
    position: str,
    figure: tuple[str, Decimal | None, Decimal | None],
) -> None:
    """Donor × verb × where the word of time stands × figure: one cumulative stage report
    of the figure (delivered, or allocated), no pledge."""
    (named, name), (told, hands_over, _), (words, quantity, amount) = donor, verb, figure
    text = position.format(d=named, v=told, f=words, t=time, T=time.capitalize())
    extraction = extract(text, ON)
    assert extraction.pledges == (), text
    (report,) = extraction.stage_reports
    assert (report.donor, report.stage, report.quantity, report.amount, report.wording) == (
        name, "delivered" if hands_over else "allocated", quantity, amount, "cumulative",
    ), text  # fmt: skip


@given(donor=DONORS, verb=VERBS, figure=RUN_FIGURES,
       words=st.sampled_from(["a total of {f} to Ukraine", "in total {f} to Ukraine",
                              "{f} to Ukraine in all", "{f} to Ukraine altogether"]))  # fmt: skip
def test_a_sum_handed_over_is_a_running_total_only_when_done(
    donor: tuple[str, str],
    verb: tuple[str, bool, str],
    figure: tuple[str, Decimal | None, Decimal | None],
    words: str,
) -> None:
    """A word of summing tells a running total after a done handing over ("has delivered a
    total of 3,000"); with a handing over under way or an allocation it announces a sum
    ("is sending a total of 14 tanks", "has allocated a total of €5bn"): no stage report."""
    (named, name), (told, hands_over, progressive), (told_figure, quantity, amount) = (
        donor, verb, figure,
    )  # fmt: skip
    told_words = words.format(f=told_figure)
    done = f"{named} has {told} {told_words}."
    under_way = f"{named} is {progressive} {told_words}."
    reports = extract(done, ON).stage_reports
    if hands_over:
        (report,) = reports
        assert (report.donor, report.quantity, report.amount, report.wording) == (
            name, quantity, amount, "cumulative",
        ), done  # fmt: skip
    else:
        assert reports == (), done
    assert extract(under_way, ON).stage_reports == (), under_way


@pytest.mark.parametrize("verb", [*HANDED_OVER_FORMS, *ALLOCATING_VERBS])
def test_every_form_of_a_running_total_is_read(verb: str) -> None:
    verb = verb.replace("\\s+", " ")
    (report,) = extract(f"So far, Germany has {verb} €1.2 billion to Ukraine.", ON).stage_reports
    assert report.wording == "cumulative"


SENDERS = [("Britain", "United Kingdom"), ("Germany", "Germany"), ("Norway", "Norway")]
AFTERWORDS = [
    "the largest of the year",
    "one of the biggest packages of the war",
    "to keep drones out of the sky",
    "in the middle of the winter",
]


@given(
    sender=st.sampled_from(SENDERS),
    millions=st.integers(min_value=2, max_value=900),
    verb=st.sampled_from(["is sending", "is paying", "will send"]),
    afterwords=st.sampled_from(AFTERWORDS),
)
def test_of_the_after_the_sum_points_back_only_after_a_part(
    sender: tuple[str, str], millions: int, verb: str, afterwords: str
) -> None:
    """ "of the" points back to an earlier promise only after the part handed over ("1,000 of
    the 5,000", "12 billion crowns of its support"), not in words after the sum that name no
    part ("the largest of the year", "out of the sky"): such a sum is a pledge."""
    name, donor = sender
    result = extract(f"{name} {verb} €{millions} million to Ukraine, {afterwords}.", ON)
    assert [(p.donor, p.amount) for p in result.pledges] == [(donor, Decimal(millions) * 10**6)]
    assert result.stage_reports == ()
    part = extract(f"{name} has sent {millions} of the {millions + 5} howitzers it promised.", ON)
    assert [(r.stage, r.quantity) for r in part.stage_reports] == [("delivered", millions)]
    assert part.pledges == ()
