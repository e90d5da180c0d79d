"""The wordings of the six news articles 54-59 (a live blog written newest first, an opinion
piece full of numbers that are no pledges, an agency story with long attributions and quotes,
Nordic and Baltic parliaments voting their governments' pledges, an Asian outlet's non-lethal
aid with counts in words, pledges cut, blocked, withdrawn and delayed beside new ones), each
rule tried on several phrasings, and the six articles' score held.

Judgement calls of their gold (``news/gold.json``): a figure cut or raised is pledged at its
new value, the old one is not recorded; a pledge withdrawn, vetoed or only proposed is no
pledge, nor is the delay of a delivery; a parliament approving its government's pledge
states that pledge once; a live blog's closing summary restates, it does not pledge again.
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
from tracker.extract.lexicon import REPEATED_SIZE_WORDS
from tracker.extract.numbers import find_numbers
from tracker.extract.triggers import FUND_KINDS

ON = date(2026, 11, 25)
read = Readings(ON)
# The six articles 54-59 (before the rules they brought: precision 0.78, recall 0.75).
FIRST, LAST = "54", "59~"
PRECISION_BASELINE = 0.94
RECALL_BASELINE = 0.85


def test_the_six_articles_54_to_59_hold_their_precision_and_recall() -> None:
    assert_score_holds(NEWS, PRECISION_BASELINE, RECALL_BASELINE, first=FIRST, last=LAST)


TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}  # fmt: skip
UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9}  # fmt: skip
TEENS = {"thirteen": 13, "fourteen": 14, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19}  # fmt: skip


@given(ten=st.sampled_from(sorted(TENS)), unit=st.sampled_from(sorted(UNITS)))
def test_a_count_in_hyphenated_words_is_its_value(ten: str, unit: str) -> None:
    value = TENS[ten] + UNITS[unit]
    assert [n.value for n in find_numbers(f"{ten}-{unit} generators")] == [value]
    text = f"Japan will donate {ten}-{unit} mobile power generators to Ukraine."
    assert read.figures(text) == [("Japan", value, None)]


@given(teen=st.sampled_from(sorted(TEENS)), donor=st.sampled_from(["Japan", "South Korea"]))
def test_a_teen_in_words_is_a_count(teen: str, donor: str) -> None:
    text = f"{donor} will send {teen} autotransformers to Ukraine's grid operator."
    assert read.figures(text) == [(donor, TEENS[teen], None)]


@given(unit=st.sampled_from(sorted(UNITS)), item=st.sampled_from(["tents", "generators", "trucks"]))
def test_hundreds_in_words_scale_the_count(unit: str, item: str) -> None:
    assert [n.value for n in find_numbers(f"{unit} hundred {item}")] == [UNITS[unit] * 100]
    assert read.figures(f"Seoul will also send {unit} hundred {item} to Ukraine.") == [
        ("South Korea", UNITS[unit] * 100, None)
    ]


@pytest.mark.parametrize(
    ("sign", "currency"), [("NZ$", "NZD"), ("A$", "AUD"), ("C$", "CAD"), ("US$", "USD")]
)
@given(millions=st.integers(min_value=1, max_value=900))
def test_a_dollar_sign_opened_by_letters_names_its_dollar(
    sign: str, currency: str, millions: int
) -> None:
    (phrase,) = find_numbers(f"{sign}{millions} million")
    assert (phrase.value, phrase.currency) == (Decimal(millions * 1_000_000), currency)
    text = f"New Zealand will give {sign}{millions} million to the Red Cross for Ukraine."
    assert read.figures(text) == [("New Zealand", Decimal(millions * 1_000_000), currency)]


RESTATEMENTS = [
    "German Defense Minister Boris Pistorius said Berlin's contribution of ${n} million would"
    " come on top of its budget.",
    "- Germany will pay for a ${n} million package, Pistorius said in Brussels.",
    "That's all for today: Germany is paying ${n} million for the package.",
]


@pytest.mark.parametrize("restated", RESTATEMENTS)
@given(n=st.integers(min_value=2, max_value=900))
def test_a_figure_stated_again_for_its_donor_is_no_new_pledge(restated: str, n: int) -> None:
    first = f"Germany will pay for a new ${n} million package of American weapons for Ukraine."
    expected = [("Germany", Decimal(n * 1_000_000), "USD")]
    assert read.figures(f"{first}\n{restated.format(n=n)}") == expected
    assert read.figures(f"{restated.format(n=n)}\n{first}") == expected


THINGS = [("IRIS-T air defence systems", "systems"), ("Leopard 2 tanks", "tanks"),
          ("F-16 jets", "jets"), ("patrol boats", "boats"), ("howitzers", "howitzers")]  # fmt: skip
SUMS = [("in military aid", "military"), ("in humanitarian aid", "humanitarian"),
        ("to rebuild Ukraine's power grid", "reconstruction")]  # fmt: skip


@given(
    n=st.integers(min_value=2, max_value=90),
    things=st.lists(st.sampled_from(THINGS), min_size=2, max_size=2, unique=True),
)
def test_the_same_count_of_another_thing_is_another_pledge(
    n: int, things: list[tuple[str, str]]
) -> None:
    """Four tanks after four air defence systems are two pledges, not a restatement."""
    (first, _unit), (second, _other) = things
    text = (
        f"Germany will send Ukraine {n} {first}, the ministry said on Monday. Berlin is also"
        f" preparing other help. Germany will send Ukraine {n} {second} by the end of the year."
    )
    assert [p.item for p in extract(text, ON).pledges] == [first, second]


@given(
    n=st.integers(min_value=2, max_value=900),
    sums=st.lists(st.sampled_from(SUMS), min_size=2, max_size=2, unique=True),
)
def test_the_same_sum_of_another_kind_is_another_pledge(
    n: int, sums: list[tuple[str, str]]
) -> None:
    """€500m of humanitarian aid and €500m to rebuild, in two sentences, are two pledges;
    a sum named only as a package restates either (above)."""
    (first, kind), (second, other) = sums
    text = (
        f"Norway pledged {n} million euros {first} to Ukraine on Monday. In a separate"
        f" decision, Norway pledged {n} million euros {second}."
    )
    assert [p.kind for p in extract(text, ON).pledges] == [kind, other]


@pytest.mark.parametrize("word", REPEATED_SIZE_WORDS)
def test_every_word_of_a_repeated_size_makes_a_new_pledge(word: str) -> None:
    first = "Germany will provide €500 million for air defence."
    again = {
        "each": "Germany will also disburse two tranches of €500 million each.",
        "apiece": "Germany will also disburse two tranches of €500 million apiece.",
        "again": "Next year Germany will again give €500 million.",
    }.get(word, f"Germany will give {word} €500 million for drones next year.")
    assert len(read.figures(f"{first} {again}")) >= 2, again


@pytest.mark.parametrize("time", ["so far", "to date", "thus far", "earlier", "previously"])
@given(new=st.integers(min_value=2, max_value=40), old=st.integers(min_value=41, max_value=900))
def test_things_handed_over_so_far_beside_new_ones_are_no_pledge(
    time: str, new: int, old: int
) -> None:
    text = (
        f"Australia would send {new} Bushmaster vehicles, on top of the {old} trucks"
        f" delivered {time}."
    )
    assert read.figures(text) == [("Australia", new, None)]


PARLIAMENTS = [("the Riksdag", "Sweden"), ("the Storting", "Norway"), ("the Folketing", "Denmark"),
               ("the Eduskunta", "Finland"), ("the Riigikogu", "Estonia"), ("the Saeima", "Latvia"),
               ("the Seimas", "Lithuania"), ("the Sejm", "Poland"), ("the Althing", "Iceland"),
               ("the Bundestag", "Germany")]  # fmt: skip


@pytest.mark.parametrize(("parliament", "country"), PARLIAMENTS)
@given(billions=st.integers(min_value=1, max_value=90))
def test_a_parliament_approving_a_sum_is_its_country(
    parliament: str, country: str, billions: int
) -> None:
    text = (
        f"{parliament[0].upper()}{parliament[1:]} on Wednesday approved the government's"
        f" framework of €{billions} billion in military support to Ukraine for 2027."
    )
    assert read.figures(text) == [(country, Decimal(billions * 1_000_000_000), "EUR")]


@pytest.mark.parametrize("kind", FUND_KINDS)
@given(billions=st.integers(min_value=2, max_value=20_000))
def test_a_fund_named_by_its_kind_gives_nothing(kind: str, billions: int) -> None:
    assert read.figures(f"Norway's {kind} fund is worth about {billions} billion kroner.") == []
    assert read.figures(f"The {kind} fund earned {billions} billion kroner last year.") == []
    text = f"Iceland will contribute {billions} million euros to a {kind} fund for Ukraine."
    assert read.figures(text) == [("Iceland", Decimal(billions * 1_000_000), "EUR")]


@pytest.mark.parametrize("verb", ["is", "was", "has", "had"])
def test_a_fund_that_is_a_subject_gives_nothing(verb: str) -> None:
    assert read.figures(f"Norway's fund {verb} about 20,000 billion kroner in assets.") == []
    assert read.figures("Norway will fund 20 drones for Ukraine.") == [("Norway", 20, None)]


@pytest.mark.parametrize(
    "bar", ["bars it from", "prohibits it from", "forbids it from", "has barred it from"]
)
def test_a_law_barring_a_donor_from_giving_is_no_pledge(bar: str) -> None:
    text = f"Japan, whose constitution {bar} supplying lethal weapons, is a major donor."
    assert read.figures(text) == []


@pytest.mark.parametrize("founded", ["set up", "created", "founded", "established", "launched"])
@given(count=st.integers(min_value=2, max_value=90_000))
def test_handed_over_since_the_giver_was_founded_is_a_running_total(
    founded: str, count: int
) -> None:
    text = (
        f"The coalition says it has delivered {count:,} drones to Ukraine since it was {founded}."
    )
    assert read.figures(f"Latvia will contribute €20m to the drone coalition. {text}") == [
        ("Latvia", Decimal(20_000_000), "EUR")
    ]


@pytest.mark.parametrize("programme", ["Nansen programme", "support programme", "aid program"])
@given(old=st.integers(min_value=5, max_value=40), new=st.integers(min_value=41, max_value=90))
def test_a_programme_raised_is_pledged_at_its_new_figure(
    programme: str, old: int, new: int
) -> None:
    expected = [("Norway", Decimal(new * 1_000_000_000), "NOK")]
    raised = f"Norway raised its {programme} for Ukraine to {new} billion kroner"
    assert read.figures(f"{raised}.") == expected
    assert read.figures(f"{raised}, up from {old} billion kroner.") == expected
    pledged = f"Norway pledged to raise its {programme} by {new - old} billion kroner to {new}"
    assert read.figures(f"{pledged} billion kroner next year.") == expected


@pytest.mark.parametrize(
    "between",
    ["It is the third such payment, after €1.5 billion in July.",
     "The money comes from the profits of 210 billion euros of frozen assets."],
)  # fmt: skip
@given(
    first=st.integers(min_value=100, max_value=900), second=st.integers(min_value=1, max_value=99)
)
def test_shares_naming_the_sum_pledged_before_are_its_parts(
    between: str, first: int, second: int
) -> None:
    total = first + second
    pledge = f"The EU will disburse €{total} million to buy air defence for Ukraine."
    shares = (
        f"Of the €{total} million, €{first} million is earmarked for air defence and"
        f" €{second} million for ammunition."
    )
    expected = [("European Union", Decimal(n * 1_000_000), "EUR") for n in (total, first, second)]
    assert read.figures(f"{pledge} {between} {shares}") == expected
    # shares of another sum are not read as this one's parts
    other = shares.replace(f"Of the €{total} million", f"Of the €{total + 7} million")
    assert read.figures(f"{pledge} {between} {other}") == expected[:1]


@pytest.mark.parametrize("year", ["next year's", "this year's", "last year's"])
@pytest.mark.parametrize("name", ["Nansen money", "budget", "Nansen frame", "envelope"])
def test_shares_of_a_year_s_sum_are_its_parts(year: str, name: str) -> None:
    pledge = "The Storting agreed to increase the Nansen programme to 85 billion kroner for 2027."
    shares = f"Of {year} {name}, 60 billion kroner is earmarked for military support."
    assert read.figures(f"{pledge} {shares}") == [
        ("Norway", Decimal(85_000_000_000), "NOK"),
        ("Norway", Decimal(60_000_000_000), "NOK"),
    ]
