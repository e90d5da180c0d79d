"""Items matched to the catalogue, and the kind of money pledges."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract import extract
from tracker.extract.items import guess_kind, match_item, money_item, suggests_a_kind


@pytest.mark.parametrize(
    ("words", "item", "category", "unit"),
    [
        ("air defence missiles", "air defence missiles", "air defence", "missile"),
        ("air defense missiles", "air defence missiles", "air defence", "missile"),
        ("Patriot systems", "Patriot systems", "air defence", "system"),
        ("Leopard 2 tanks", "Leopard 2 tanks", "armour", "vehicle"),
        ("Storm Shadow cruise missiles", "Storm Shadow cruise missiles", "missiles", "missile"),
        ("rounds of ammunition", "rounds of ammunition", "ammunition", "round"),
        ("shells", "artillery shells", "ammunition", "round"),
        ("defensive weapons", "defensive weapons", "other military", None),
    ],
)
def test_catalogue_matches(words: str, item: str, category: str, unit: str | None) -> None:
    match = match_item(words)
    assert match is not None
    assert (match.item, match.category, match.unit) == (item, category, unit)


def test_unmatched_items_keep_their_words_and_a_guessed_unit() -> None:
    match = match_item("mobile generators")
    assert match is not None
    assert (match.item, match.category, match.unit, match.kind) == (
        "mobile generators", None, "generator", "humanitarian",
    )  # fmt: skip


@pytest.mark.parametrize("words", ["people", "official delegations", "years", "civilians"])
def test_things_that_are_not_given(words: str) -> None:
    assert match_item(words) is None


@pytest.mark.parametrize(
    ("context", "item", "kind"),
    [
        ("in aid", "aid", "financial"),
        ("in loans", "loan", "financial"),
        ("loan guarantees", "loan guarantee", "financial"),
        ("in budget support", "budget support", "financial"),
        ("in humanitarian aid", "humanitarian aid", "humanitarian"),
        ("for artillery ammunition", "military aid", "military"),
        ("to rebuild schools", "reconstruction aid", "reconstruction"),
        ("to repair energy infrastructure", "energy infrastructure", "reconstruction"),
        ("in grants", "grant", "financial"),
    ],
)
def test_money_items(context: str, item: str, kind: str) -> None:
    match = money_item(context)
    assert (match.item, match.kind) == (item, kind)


def test_money_default_kind_comes_from_the_caller() -> None:
    assert money_item("to help Ukraine", "reconstruction").kind == "reconstruction"


def test_guess_kind() -> None:
    assert guess_kind("more howitzers", "x") == "military"
    assert guess_kind("food parcels", "x") == "humanitarian"
    assert guess_kind("a conference on rebuilding the country", "") == "reconstruction"
    assert guess_kind("a meeting", "") == ""


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "Germany will give Ukraine an additional IRIS-T air defence system and a Patriot "
            "system, the chancellor said.",
            ["IRIS-T air defence system", "Patriot system"],
        ),
        ("Poland is sending a Patriot battery and a field hospital.",
         ["Patriot battery", "field hospital"]),
        ("Germany will send a Patriot system, a radar and a generator to Ukraine.",
         ["Patriot system", "radar", "generator"]),
        ("Canada will send 10 armoured vehicles and a counter-drone system to Ukraine.",
         ["armoured vehicles", "counter-drone system"]),
        ("Germany will send Ukraine a Patriot system.", ["Patriot system"]),
        (
            "Germany pledged 5 tanks to Ukraine, including a Patriot system and a radar.",
            ["tanks", "Patriot system", "radar"],
        ),
    ],
)  # fmt: skip
def test_items_named_one_by_one_are_one_unit_each(text: str, items: list[str]) -> None:
    found = extract(text, date(2025, 8, 4)).pledges
    assert [p.item for p in found] == items
    assert all(p.quantity == 1 for p in found if p.item not in ("armoured vehicles", "tanks"))


@pytest.mark.parametrize(
    "text",
    [
        "Germany will send Ukraine 5 tanks and a clear signal.",
        "Germany will send a Patriot system and a message of support.",
    ],
)
def test_a_noun_after_and_a_that_is_not_given_is_no_pledge(text: str) -> None:
    assert len(extract(text, date(2025, 8, 4)).pledges) == 1


def test_food_assistance_is_humanitarian_aid() -> None:
    match = match_item("emergency food assistance")
    assert match is not None and (match.category, match.kind) == ("humanitarian", "humanitarian")


def test_support_to_an_organisation_to_provide_things_lists_the_things() -> None:
    text = (
        "Germany announced €20m in humanitarian aid for Ukraine on Monday. The aid includes "
        "support to the World Food Programme to provide emergency food assistance, including "
        "flour, to reach families in the east."
    )
    found = extract(text, date(2025, 8, 4)).pledges
    assert [(p.item, p.amount, p.kind) for p in found] == [
        ("humanitarian aid", 20_000_000, "humanitarian"),
        ("emergency food assistance", None, "humanitarian"),
    ]


def test_a_giving_that_goes_on_is_no_new_pledge() -> None:
    text = "Germany will continue to work with the World Food Programme to provide food aid."
    assert extract(text, date(2025, 8, 4)).pledges == ()


@pytest.mark.parametrize(
    "text",
    [
        'Germany would deliver "hundreds of" drones to Ukraine.',
        "Germany will send “more” drones to Ukraine.",
        "Germany will send ‘several’ drones to Ukraine.",
    ],
)
def test_a_quoted_word_of_quantity_is_read_as_written(text: str) -> None:
    (pledge,) = extract(text, date(2025, 8, 4)).pledges
    assert (pledge.item, pledge.quantity, pledge.qualifier) == ("drones", None, "unknown")
    assert pledge.qualifier_text in ("hundreds of", "more", "several")


# Words of each kind, words near them that are none, and what may stand between.
_KIND_PIECES = (
    "howitzers", "howitzer", "food", "foods", "rebuilding", "rebuild", "energy", "grid",
    "mine", "clearance", "mobile", "homes", "meeting", "the", "-", "\n", " ", "  ", ",",
    "é", "Tents", "ARMOURED", "air", "defence",
)  # fmt: skip


@given(st.lists(st.lists(st.sampled_from(_KIND_PIECES), max_size=8).map("".join), max_size=4))
def test_lines_suggest_a_kind_when_one_of_them_does(lines: list[str]) -> None:
    # (a conference's sentences are tested together first)
    for line in lines:
        assert suggests_a_kind(line) == (guess_kind(line, "") != "")
    if any(guess_kind(line, "") for line in lines):
        assert suggests_a_kind("\n".join(lines))
