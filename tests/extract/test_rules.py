"""Pledge rules on single sentences: giving, not giving, negation, donors, kinds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tracker.extract import extract

ON = date(2025, 7, 10)


def _pledges(text: str) -> list[tuple]:
    return [
        (p.donor, p.item, p.quantity, p.amount, p.currency, p.qualifier, p.kind)
        for p in extract(text, ON).pledges
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 18 missiles and about 400 drones at Kyiv.",
        "Air defence shot down 14 drones and intercepted 3 missiles.",
        "Officials reported two deaths and 13 injured.",
        "100 official delegations were attending the conference.",
        "Germany did not pledge any new tanks.",
        "France has refused to send 20 jets.",
        "Italy has yet to deliver the 10 howitzers.",
        "Spain could send 50 armoured vehicles.",
        "Zelenskyy urged Britain to supply 100 drones.",
        "Russia has supplied 1,000 drones to its forces.",
        "Iran sent 200 Shahed drones to Russia.",
        "The Pentagon estimated that Russia lost 500 tanks.",
    ],
)
def test_sentences_without_pledges(text: str) -> None:
    assert _pledges(text) == []


def test_each_donor_of_a_joined_subject_pledges() -> None:
    assert _pledges("Germany, France and Italy each pledged €1bn in military aid.") == [
        (name, "military aid", None, Decimal(10**9), "EUR", "exact", "military")
        for name in ("Germany", "France", "Italy")
    ]


def test_past_perfect_is_a_pledge() -> None:
    assert _pledges("Norway had already pledged 5 billion kroner in humanitarian aid.") == [
        ("Norway", "humanitarian aid", None, Decimal(5 * 10**9), "NOK", "exact", "humanitarian")
    ]


def test_pronoun_subject_carries_the_last_donor() -> None:
    text = "Sweden's support is well known. It includes 20 howitzers."
    assert _pledges(text) == []  # "includes" is not a verb of giving
    # a package announced without a figure (an ordinal is none) is what "It includes" lists
    text = "Sweden announced its 18th support package. It includes 20 howitzers."
    assert _pledges(text) == [("Sweden", "howitzers", Decimal(20), None, None, "exact", "military")]
    text = "Sweden announced a new package on Monday. It will deliver 20 howitzers."
    assert _pledges(text) == [("Sweden", "howitzers", Decimal(20), None, None, "exact", "military")]


def test_passive_donor_after_from() -> None:
    assert _pledges("Ukraine will receive 12 F-16 jets from Denmark.") == [
        ("Denmark", "F-16 jets", Decimal(12), None, None, "exact", "military")
    ]


def test_worth_attaches_the_value_to_the_items() -> None:
    pledges = extract("Canada will send 50 armoured vehicles worth C$75 million.", ON).pledges
    assert len(pledges) == 1
    assert (pledges[0].quantity, pledges[0].amount, pledges[0].currency) == (
        Decimal(50), Decimal(75_000_000), "CAD",
    )  # fmt: skip


def test_money_with_abbreviated_scale_takes_the_articles_currency() -> None:
    text = "Germany gave €2bn last year. This year Berlin will provide a further 1.5bn in loans."
    pledges = extract(text, ON).pledges
    assert [(p.amount, p.currency, p.item) for p in pledges] == [
        (Decimal(2 * 10**9), "EUR", "aid"),
        (Decimal(1_500_000_000), "EUR", "loan"),
    ]


def test_unknown_quantity_keeps_its_words() -> None:
    pledges = extract("Britain will send more Storm Shadow missiles.", ON).pledges
    assert [(p.item, p.qualifier, p.qualifier_text, p.quantity) for p in pledges] == [
        ("Storm Shadow missiles", "unknown", "more", None)
    ]


def test_vague_support_without_an_item_is_not_a_pledge() -> None:
    assert _pledges("Japan pledged continued support for Ukraine.") == []


def test_another_recipient_is_named() -> None:
    pledges = extract("Germany will send 2 Patriot systems to Poland.", ON).pledges
    assert [p.recipient for p in pledges] == ["Poland"]


def test_model_numbers_stay_inside_the_item_name() -> None:
    assert _pledges("Britain is to give Ukraine 14 Challenger 2 tanks.") == [
        ("United Kingdom", "Challenger 2 tanks", Decimal(14), None, None, "exact", "military")
    ]


def test_a_quoted_promise_belongs_to_the_speaker() -> None:
    text = '"We will deliver 100 more drones," Lithuanian Defence Minister Laurynas Kasciunas said.'
    assert _pledges(text) == [
        ("Lithuania", "drones", Decimal(100), None, None, "exact", "military")
    ]


def test_another_single_system_counts_as_one() -> None:
    pledges = extract("The US would provide Ukraine with another Patriot battery.", ON).pledges
    assert [(p.item, p.quantity, p.unit, p.qualifier) for p in pledges] == [
        ("Patriot battery", Decimal(1), "system", "exact")
    ]


def test_cumulative_totals_are_not_new_pledges() -> None:
    assert _pledges("Allies have provided about $200 billion in aid since 2022.") == []


def test_passive_donors_joined_by_and() -> None:
    text = "Ukraine has received F-16 jets from Denmark and the Netherlands."
    assert [p[0] for p in _pledges(text)] == ["Denmark", "Netherlands"]
    # the first of them received is their arrival: no pledge
    first = "Ukraine has received the first batch of F-16 jets from Denmark and the Netherlands."
    assert _pledges(first) == []


def test_package_kind_reads_the_words_before_the_noun() -> None:
    text = "Sweden will donate its 28th military support package, worth 13.5 billion crowns."
    pledges = extract(text, ON).pledges
    assert [(p.kind, p.amount, p.currency) for p in pledges] == [
        ("military", Decimal(13_500_000_000), "SEK")
    ]


def test_package_contents_in_the_next_sentence_are_its_itemised_parts() -> None:
    text = (
        "Germany announced a €500m military aid package for Ukraine on Monday. "
        "The package includes €40m for repairs, 20 tanks and air defence equipment."
    )
    got = [(p.donor, p.amount, p.quantity) for p in extract(text, date(2025, 3, 5)).pledges]
    assert got == [
        ("Germany", Decimal(500000000), None),
        ("Germany", Decimal(40000000), None),  # a part of the total: recorded, not added
        ("Germany", None, Decimal(20)),
    ]


def test_a_package_in_a_relative_clause_belongs_to_the_clause_subject() -> None:
    text = "The tanks are part of a €1bn package that Berlin unveiled on Monday."
    (pledge,) = extract(text, date(2025, 3, 5)).pledges
    assert (pledge.donor, pledge.amount, pledge.announced) == (
        "Germany",
        Decimal(1000000000),
        date(2025, 3, 3),
    )


def test_recipients_other_than_ukraine_are_named() -> None:
    on = date(2024, 9, 25)
    cases = {
        "The United States announced $424 million in humanitarian assistance for people in "
        "need in Sudan.": "Sudan",
        "USAID is providing $100 million in response to the earthquakes in Türkiye and "
        "Syria.": "Türkiye; Syria",  # a recipient by its UN name (RECIPIENT_NAMES)
        "The UK will provide £8.5m to the Gaza Strip.": "Gaza",
    }
    for text, recipient in cases.items():
        (pledge,) = extract(text, on).pledges
        assert pledge.recipient == recipient, text


def test_a_place_that_receives_is_never_a_donor() -> None:
    assert extract("Gaza will receive 50 tents.", date(2024, 9, 25)).pledges == ()


def test_a_commitment_named_by_a_noun_belongs_to_the_donor_before() -> None:
    text = (
        "This minute sets out a new liability undertaken by the FCDO. "
        "The liability is a commitment to guarantee up to $3 billion of additional lending "
        "by the World Bank to the Government of Ukraine."
    )
    (pledge,) = extract(text, date(2023, 6, 21)).pledges
    assert (pledge.donor, pledge.amount, pledge.qualifier) == (
        "United Kingdom",
        3000000000,
        "up_to",
    )


def test_a_new_total_after_doubling_is_not_a_pledge() -> None:
    text = (
        "The Council adopted two assistance measures for Ukraine. The assistance measures will "
        "increase the budget announced in February with an additional €500 million, thereby "
        "doubling its initial amount to €1 billion."
    )
    got = [(p.donor, p.amount) for p in extract(text, date(2022, 3, 25)).pledges]
    assert got == [("European Union", 500000000)]


@pytest.mark.parametrize(
    ("text", "recipient"),
    [
        (
            "Norway is providing NOK 580 million to people in Ukraine and Moldova.",
            "Ukraine; Moldova",
        ),
        ("The EU will give €50m to Ukraine and Russia.", "Ukraine"),
        ("Canada will donate 80,000 rockets to Ukraine, the Canadian ministry said.", "Ukraine"),
    ],
)
def test_receivers_joined_to_ukraine(text: str, recipient: str) -> None:
    assert [p.recipient for p in extract(text, ON).pledges] == [recipient]


@pytest.mark.parametrize(
    "text",
    [
        "Hungary refused to back EU plans to send €500m to Ukraine.",
        "On Monday, the allies urged Britain to supply 100 drones.",
        "After talks in Rome, Italy did not pledge any new tanks.",
    ],
)
def test_words_before_a_donor_inside_the_sentence_deny_its_giving(text: str) -> None:
    assert _pledges(text) == []


@pytest.mark.parametrize(
    "text", ["Germany pledged 20 tanks.", "On Monday, Germany pledged 20 tanks."]
)
def test_a_donor_opening_its_clause_or_sentence_pledges(text: str) -> None:
    assert _pledges(text) == [("Germany", "tanks", Decimal(20), None, None, "exact", "military")]
