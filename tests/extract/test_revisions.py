"""Revisions of an earlier promise: the pledge at the new figure is marked as an update, with
the earlier figure when stated; the old figure and the amount added give no pledge."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tracker.extract import extract
from tracker.extract.contract import to_contract
from tracker.extract.lexicon import (
    COUNT_LEADS,
    PROMISE_NOUNS,
    PROMISED_WORDS,
    REVISION_VERBS,
    inflections,
)
from tracker.extract.models import ExtractedPledge

DAY = date(2025, 8, 4)


def pledges(text: str) -> list[ExtractedPledge]:
    """The pledges the extractor reads from one sentence."""
    return list(extract(text, DAY).pledges)


def figure(pledge: ExtractedPledge) -> tuple[Decimal | None, str | None]:
    """A pledge's sum and currency."""
    return pledge.amount, pledge.currency


@pytest.mark.parametrize(
    ("text", "new", "old"),
    [
        ("Germany raised its pledge to €2bn on Tuesday.", (2_000_000_000, "EUR"), None),
        (
            "Denmark raised its military aid package for Ukraine from DKK 1 billion to "
            "DKK 1.5 billion.",
            (1_500_000_000, "DKK"), (1_000_000_000, "DKK"),
        ),
        (
            "Norway has now committed a total of NOK 10 billion, up from NOK 7 billion.",
            (10_000_000_000, "NOK"), (7_000_000_000, "NOK"),
        ),
        (
            "Sweden topped up its aid package by SEK 2 billion, bringing its total to "
            "SEK 8 billion.",
            (8_000_000_000, "SEK"), (6_000_000_000, "SEK"),
        ),
        ("Britain cut its pledge by £100m to £400m.", (400_000_000, "GBP"), (500_000_000, "GBP")),
        ("Britain cut its promised contribution to £200m.", (200_000_000, "GBP"), None),
        (
            "The Netherlands increased the package from €500m to €750m, the ministry said.",
            (750_000_000, "EUR"), (500_000_000, "EUR"),
        ),
        ("Canada has raised its aid for Ukraine to $500m.", (500_000_000, "USD"), None),
        (
            "Spain raised its contribution to the fund to more than €1bn from €800m.",
            (1_000_000_000, "EUR"), (800_000_000, "EUR"),
        ),
    ],
)  # fmt: skip
def test_a_revision_is_one_pledge_at_the_new_figure_marked_as_an_update(
    text: str, new: tuple[int, str], old: tuple[int, str] | None
) -> None:
    (pledge,) = pledges(text)
    assert figure(pledge) == (Decimal(new[0]), new[1])
    assert pledge.updates is not None and pledge.updates in text
    if old is None:
        assert pledge.previous is None
    else:
        assert pledge.previous is not None
        assert (pledge.previous.amount, pledge.previous.currency) == (Decimal(old[0]), old[1])


@pytest.mark.parametrize(
    "text",
    [
        "Germany increased its pledge by €500m.",  # an amount added: a pledge of its own
        "Italy pledged up to €300m in aid to Ukraine.",
        "Germany increased defence spending to 2% of GDP.",
        "Germany increased defence spending to €90bn.",
        "Britain will provide 5,000 air defence missiles to Ukraine.",
    ],
)
def test_sentences_that_revise_no_figure_are_read_as_before(text: str) -> None:
    assert all(p.updates is None and p.previous is None for p in pledges(text))


@pytest.mark.parametrize("verb", [form for lemma in REVISION_VERBS for form in inflections(lemma)])
def test_every_form_of_every_revision_verb_is_read(verb: str) -> None:
    (pledge,) = pledges(f"Canada has {verb} its pledge to Ukraine to $500m, up from $300m.")
    assert pledge.updates is not None and pledge.updates.startswith(verb)


@pytest.mark.parametrize("noun", PROMISE_NOUNS)
def test_every_promise_noun_is_read(noun: str) -> None:
    (pledge,) = pledges(
        f"Canada has raised the {noun} it pledged to Ukraine to $500m, up from $300m."
    )
    assert pledge.updates == f"raised the {noun}" and pledge.amount == Decimal(500_000_000)
    assert pledge.previous is not None and pledge.previous.amount == Decimal(300_000_000)


def test_the_contract_carries_the_update_and_the_earlier_figure() -> None:
    text = "Denmark raised its aid pledge to Ukraine from DKK 1 billion to DKK 1.5 billion."
    (pledge,) = to_contract(extract(text, DAY), {})["pledges"]
    assert pledge["updates"] == "raised its aid"
    assert pledge["previous"] == {
        "quantity": None, "unit": None, "amount": 1_000_000_000, "currency": "DKK",
        "qualifier": "exact",
    }  # fmt: skip


SIGNS = {"€": "EUR", "£": "GBP", "$": "USD"}


@given(
    old=st.integers(1, 999),
    new=st.integers(1, 999),
    sign=st.sampled_from(sorted(SIGNS)),
    verb=st.sampled_from(("raised", "increased", "cut", "lowered", "boosted")),
)
def test_any_from_to_revision_gives_the_new_figure_and_the_old_one(
    old: int, new: int, sign: str, verb: str
) -> None:
    text = f"Japan has {verb} its aid pledge to Ukraine from {sign}{old}m to {sign}{new}m."
    assume(old != new)  # one figure: nothing tells the new from the old
    found = pledges(text)
    (pledge,) = found
    assert figure(pledge) == (Decimal(new * 1_000_000), SIGNS[sign])
    assert pledge.previous is not None
    assert pledge.previous.amount == Decimal(old * 1_000_000)


@pytest.mark.parametrize(
    ("text", "item", "new", "old"),
    [
        ("Britain increased its pledge of missiles to 500 from 300.", "missiles", 500, 300),
        ("Germany raised the number of tanks it will send to 14.", "tanks", 14, None),
        ("France doubled its promised howitzers from 6 to 12.", "howitzers", 12, 6),
        ("Canada raised its drone pledge to 2,000 from 800.", "drones", 2_000, 800),
        (
            "The Netherlands has raised the number of F-16 jets it will supply to Ukraine to 24, "
            "up from 18.",
            "F-16 jets", 24, 18,
        ),
        ("Britain cut the number of missiles it will deliver to 200.", "missiles", 200, None),
        ("Britain has now promised 500 missiles, up from 300.", "missiles", 500, 300),
        (
            "Poland increased the number of tanks it has pledged to Ukraine by 10 to 60.",
            "tanks", 60, 50,
        ),
    ],
)  # fmt: skip
def test_a_revised_count_is_one_pledge_of_the_items_at_the_new_count(
    text: str, item: str, new: int, old: int | None
) -> None:
    (pledge,) = pledges(text)
    assert (pledge.item, pledge.quantity, pledge.amount) == (item, Decimal(new), None)
    assert pledge.unit is not None and pledge.category is not None
    assert pledge.updates is not None and pledge.updates in text
    if old is None:
        assert pledge.previous is None
    else:
        assert pledge.previous is not None
        assert (pledge.previous.quantity, pledge.previous.amount) == (Decimal(old), None)
        assert pledge.previous.unit == pledge.unit


@pytest.mark.parametrize(
    "text",
    [
        "Russia increased the number of drones it launched to 500.",  # no promise, no giving
        "Germany could raise the number of tanks it will send to 14.",  # hedged
        "Germany has not raised the number of tanks it will send to 14.",  # denied
        "Germany increased the number of soldiers on its border to 5,000.",
        "Germany increased its planned defence budget to €90bn.",
        "Poland increased its pledge of tanks by 10.",  # no new count: a pledge of its own
    ],
)
def test_counts_that_revise_no_promised_count_are_no_update(text: str) -> None:
    assert all(p.updates is None and p.previous is None for p in pledges(text))


@pytest.mark.parametrize("lead", COUNT_LEADS)
def test_every_count_lead_is_read(lead: str) -> None:
    (pledge,) = pledges(f"Canada has raised the {lead} tanks it will send to 20, up from 14.")
    assert (pledge.item, pledge.quantity) == ("tanks", Decimal(20))
    assert pledge.previous is not None and pledge.previous.quantity == Decimal(14)


@pytest.mark.parametrize("word", PROMISED_WORDS)
def test_every_promised_word_is_read(word: str) -> None:
    (pledge,) = pledges(f"Canada has raised its {word} tanks to 20 from 14.")
    assert pledge.updates == f"raised its {word}" and pledge.quantity == Decimal(20)
    assert pledge.previous is not None and pledge.previous.quantity == Decimal(14)


def test_the_contract_carries_the_earlier_count() -> None:
    text = "Britain increased its pledge of air defence missiles to 500 from 300."
    (pledge,) = to_contract(extract(text, DAY), {})["pledges"]
    assert (pledge["quantity"], pledge["unit"], pledge["updates"]) == (
        500, "missile", "increased its pledge"
    )  # fmt: skip
    assert pledge["previous"] == {
        "quantity": 300, "unit": "missile", "amount": None, "currency": None,
        "qualifier": "exact",
    }  # fmt: skip


@given(
    old=st.integers(1, 9_999),
    new=st.integers(1, 9_999),
    verb=st.sampled_from(("raised", "increased", "cut", "doubled", "reduced")),
    items=st.sampled_from(("tanks", "howitzers", "air defence missiles", "drones")),
)
def test_any_from_to_count_revision_gives_the_new_count_and_the_old_one(
    old: int, new: int, verb: str, items: str
) -> None:
    text = f"Japan has {verb} the number of {items} it will send from {old:,} to {new:,}."
    assume(old != new)  # one figure: nothing tells the new from the old
    found = pledges(text)
    (pledge,) = found
    assert (pledge.quantity, pledge.amount) == (Decimal(new), None)
    assert pledge.previous is not None and pledge.previous.quantity == Decimal(old)
