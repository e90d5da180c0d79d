"""Sums a speaker reports of others: pledges named as a whole, passive sums and their agents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tracker.extract import extract

ON = date(2025, 7, 10)
CONFERENCE = "Leaders met in Rome on Thursday for the Ukraine Recovery Conference. "
SPEAKERS = st.sampled_from(
    ["Meloni", "Italian Prime Minister Giorgia Meloni", "The Italian prime minister",
     "Italian Prime Minister Giorgia Meloni, who hosted the two-day meeting,"]
)  # fmt: skip
SUMS = st.sampled_from([("10 billion euros", Decimal(10**10)), ("€2.5bn", Decimal("2.5e9"))])


def pledges(text: str) -> list[tuple[str, str, Decimal | None, str]]:
    """(donor, donor kind, amount, qualifier) of each pledge read."""
    return [(p.donor, p.donor_kind, p.amount, p.qualifier) for p in extract(text, ON).pledges]


@given(
    speaker=SPEAKERS,
    said=st.sampled_from(["said", "told delegates that", "told reporters"]),
    noun=st.sampled_from(
        ["pledges", "commitments", "pledges made so far", "pledges made at the conference"]
    ),
    verb=st.sampled_from(["exceeded", "topped", "surpassed"]),
    money=SUMS,
)  # fmt: skip
def test_pledges_named_as_a_whole_are_the_participants_not_the_speakers(
    speaker: str, said: str, noun: str, verb: str, money: tuple[str, Decimal]
) -> None:
    words, amount = money
    text = f"{CONFERENCE}{speaker} {said} {noun} {verb} {words}."
    assert pledges(text) == [("Conference participants", "group", amount, "at_least")]


@given(
    speaker=SPEAKERS,
    agent=st.sampled_from(["participants", "Germany", "Germany and France"]),
    money=SUMS,
)
def test_pledges_named_as_a_whole_with_their_givers_are_those_givers(
    speaker: str, agent: str, money: tuple[str, Decimal]
) -> None:
    words, amount = money
    text = f"{CONFERENCE}{speaker} said commitments from {agent} totalled {words}."
    first = "Conference participants" if agent == "participants" else "Germany"
    assert [(p[0], p[2]) for p in pledges(text)] == [(first, amount)]


@given(noun=st.sampled_from(["pledges", "commitments"]), money=SUMS)
def test_pledges_named_as_a_whole_outside_a_conference_name_no_donor(
    noun: str, money: tuple[str, Decimal]
) -> None:
    """Whose pledges they are is not said: the speaker's country is not their donor."""
    text = f"The Italian prime minister said {noun} to the fund had topped {money[0]}."
    assert pledges(text) == []


@given(speaker=SPEAKERS, money=SUMS, aux=st.sampled_from(["had been", "has been", "was"]))
def test_a_passive_agent_gives_though_a_speaker_is_named_before(
    speaker: str, money: tuple[str, Decimal], aux: str
) -> None:
    words, amount = money
    text = f"{CONFERENCE}{speaker} said more than {words} {aux} pledged by Germany."
    assert pledges(text) == [("Germany", "country", amount, "at_least")]


@given(
    speaker=st.sampled_from(["Downing Street", "The UK government", "Britain's defence ministry"]),
    lead=st.sampled_from(["a further", "an additional", ""]),
    conversion=st.sampled_from(["", " ($384m)"]),
    verb=st.sampled_from(["would also be made available", "will be provided", "would be given"]),
)
def test_a_sum_the_speaker_says_will_be_given_is_the_speakers(
    speaker: str, lead: str, conversion: str, verb: str
) -> None:
    text = f"{speaker} said {lead} £283m{conversion} in aid {verb}.".replace("  ", " ")
    assert pledges(text) == [("United Kingdom", "country", Decimal(283_000_000), "exact")]


@given(
    speaker=SPEAKERS,
    givers=st.sampled_from(
        ["countries", "countries and businesses at the conference", "donors at the conference",
         "international donors", "governments and investors", "international partners",
         "Western allies"]
    ),
    aux=st.sampled_from(["had", "have", "have already"]),
    money=SUMS,
)  # fmt: skip
def test_givers_named_only_as_a_kind_are_the_conferences_participants(
    speaker: str, givers: str, aux: str, money: tuple[str, Decimal]
) -> None:
    """Whoever reports it, a sum pledged by "countries" or "donors" at a conference is its
    participants' (one group), never the speaker's country; outside a conference no one's."""
    words, amount = money
    said = f"{speaker} said {givers} {aux} pledged more than {words}."
    assert pledges(CONFERENCE + said) == [("Conference participants", "group", amount, "at_least")]
    assert [p[0] for p in pledges(said)] in ([], ["International donors"], ["Allies"])
