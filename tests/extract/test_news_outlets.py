"""Wordings of news outlets the extractor met in the articles 38-47 of ``tests/extract/news``:
a note naming the article's dollar, a quotation restating a pledge, and the rules after
them. Each row: a text → the pledges it states (donor, figure, currency)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.extract.readings import Readings
from tracker.extract import decode_article, extract
from tracker.extract.tables import DONOR_HEADS, RUNNING_HEADS, VALUE_HEADS, WHAT_HEADS

ON = date(2026, 12, 4)

Pledged = list[tuple[str, int | Decimal | None, str | None]]


# The (donor, figure, currency) of each pledge a text states, the figure being the quantity,
# else the amount.
pledged = Readings(ON).figures


# A note naming which dollar "$" is, anywhere in the text.
DOLLAR_NOTES: list[tuple[str, Pledged]] = [
    ("Australia will provide an additional $95 million package to Ukraine.\n\n"
     "All figures in Australian dollars.",
     [("Australia", 95000000, "AUD")]),
    ("(All amounts are in Canadian dollars.)\n\nCanada will give $20 million to Ukraine.",
     [("Canada", 20000000, "CAD")]),
    ("Dollar figures are given in New Zealand dollars. New Zealand will give $5m to the ICRC.",
     [("New Zealand", 5000000, "NZD")]),
    # the US dollar named as such keeps it; without a note "$" is the US dollar
    ("All figures in Australian dollars. Australia will give US$10 million to the fund.",
     [("Australia", 10000000, "USD")]),
    ("Australia will provide an additional $95 million package to Ukraine.",
     [("Australia", 95000000, "USD")]),
    # a sum in Australian dollars named in words is no note
    ("Australia will give 10 million Australian dollars, and Japan $20 million.",
     [("Australia", 10000000, "AUD"), ("Japan", 20000000, "USD")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), DOLLAR_NOTES)
def test_a_note_names_the_dollar(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@given(
    millions=st.integers(min_value=1, max_value=900),
    dollars=st.sampled_from([("Australian", "AUD"), ("Canadian", "CAD"), ("New Zealand", "NZD")]),
    note_first=st.booleans(),
)
def test_every_bare_dollar_takes_the_note_s_currency(
    millions: int, dollars: tuple[str, str], note_first: bool
) -> None:
    note = f"All figures in {dollars[0]} dollars."
    pledge = f"Japan will give ${millions} million to Ukraine."
    text = f"{note}\n{pledge}" if note_first else f"{pledge}\n{note}"
    assert pledged(text) == [("Japan", millions * 1_000_000, dollars[1])]


# A sentence that opens a quotation, after a label or not, restates a figure stated before.
QUOTED_AGAIN: list[tuple[str, Pledged]] = [
    ('Germany agreed to finance two more Patriot systems. "Germany has told us it will pay '
     'for two systems," a diplomat said.', [("Germany", 2, None)]),
    ('Norway will transfer two NASAMS batteries, the minister said.\n\nQuote: "Norway will '
     'transfer two more NASAMS batteries."', [("Norway", 2, None)]),
    # a new figure quoted is a pledge; so is the first statement of a figure in a quotation
    ('Germany agreed to finance two Patriot systems. "Germany will also send 40 Marders," '
     'a diplomat said.', [("Germany", 2, None), ("Germany", 40, None)]),
    ('"Germany will send 40 Marders," a diplomat said.', [("Germany", 40, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), QUOTED_AGAIN)
def test_a_quotation_restating_a_figure_is_no_new_pledge(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@pytest.mark.parametrize(
    "text", ["New Zealand pledged $5m to Ukraine.", "The New Zealand government pledged $5m."]
)
def test_a_country_named_as_its_demonym_is_the_country(text: str) -> None:
    assert pledged(text) == [("New Zealand", 5000000, "USD")]


# Tables in plain text: the header names the donor's column, what is given and its figure.
TABLE = (
    "NEW COMMITMENTS THIS WEEK\n\n"
    "Donor | What | Value | Announced\n"
    "---|---|---|---\n"
    "Germany | 2 Patriot systems | n/a | Oct 20\n"
    "Spain | Military aid package for 2027 | EUR 1bn | Oct 21\n"
    "Canada | 25 armoured vehicles | C$150m | Oct 22\n"
)
TABLES: list[tuple[str, Pledged]] = [
    # a row's things and their value are one pledge with both figures
    (TABLE, [("Germany", 2, None), ("Spain", 1000000000, "EUR"), ("Canada", 25, "CAD")]),
    # bare figures take the caption's unit; a column of totals is not read
    ("Pledges by country (millions of euros):\n\nCountry | New pledge | Total since 2024\n"
     "Netherlands | 150 | 550\nDenmark | 75 | 400\n",
     [("Netherlands", 150000000, "EUR"), ("Denmark", 75000000, "EUR")]),
    ("| Country | Pledge (€m) |\n|---|---|\n| Portugal | 20 |\n",
     [("Portugal", 20000000, "EUR")]),
    # only totals, no donor's column, or no header: no pledge
    ("Country | Total since 2022\nNetherlands | 550\n", []),
    ("Item | Value\nPatriot systems | EUR 1bn\n", []),
    ("Netherlands | 150 | 550\n", []),
    ("Military aid since 2022, by country:\nCountry | Amount\nGermany | EUR 28bn\n", []),
    ("Country | Deaths\nUkraine | 12,000\n", []),
    # the text's own figure for the donor, restated by a row, is one pledge
    ("Germany will send two more Patriot systems.\n\nDonor | What\nGermany | 2 Patriot systems\n",
     [("Germany", 2, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), TABLES)
def test_a_table_s_rows_are_read_by_its_header(text: str, expected: Pledged) -> None:
    assert sorted(pledged(text), key=str) == sorted(expected, key=str)


def test_a_row_s_evidence_is_the_row_as_written() -> None:
    pledges = extract(TABLE, ON).pledges
    spain = next(p for p in pledges if p.donor == "Spain")
    assert spain.evidence == "Spain | Military aid package for 2027 | EUR 1bn | Oct 21"
    assert TABLE[spain.evidence_start : spain.evidence_end] == spain.evidence


_DONORS = ["Germany", "Norway", "Spain", "Canada", "Japan", "Poland", "Finland"]


@given(
    rows=st.lists(
        st.tuples(st.sampled_from(_DONORS), st.integers(min_value=1, max_value=999)),
        min_size=1, max_size=6, unique_by=lambda row: row[0],
    ),
    unit=st.sampled_from([("(millions of euros)", "EUR"), ("(millions of dollars)", "USD"),
                          ("(£m)", "GBP")]),
    tabs=st.booleans(),
)  # fmt: skip
def test_every_row_of_a_generated_table_is_its_donor_s_pledge(
    rows: list[tuple[str, int]], unit: tuple[str, str], tabs: bool
) -> None:
    cell = "\t" if tabs else " | "
    lines = [f"Country{cell}Pledge{cell}Total to date"]
    lines += [f"{donor}{cell}{millions}{cell}{millions * 3}" for donor, millions in rows]
    text = decode_article((f"New pledges {unit[0]}:\n\n" + "\n".join(lines)).encode())
    assert sorted(pledged(text), key=str) == sorted(
        ((donor, millions * 1_000_000, unit[1]) for donor, millions in rows), key=str
    )


def test_cells_set_apart_by_tabs_are_kept_as_pipes() -> None:
    assert decode_article(b"Country\tPledge\tTotal\nNorway\t5\t9\nSecond\tline.") == (
        "Country | Pledge | Total\nNorway | 5 | 9\nSecond line."
    )


def test_a_model_number_with_a_point_is_part_of_its_name() -> None:
    # "LAV 6.0": the family's number, not a count of six
    assert pledged("Canada will send 25 LAV 6.0 armoured vehicles.") == [("Canada", 25, None)]


@pytest.mark.parametrize("donor_head", DONOR_HEADS)
@pytest.mark.parametrize("value_head", VALUE_HEADS)
def test_every_header_word_is_read(donor_head: str, value_head: str) -> None:
    text = f"{donor_head.title()} | {value_head.title()}\nNorway | NOK 5bn\n"
    assert pledged(text) == [("Norway", 5000000000, "NOK")]


@pytest.mark.parametrize("what_head", WHAT_HEADS)
def test_every_header_word_of_what_is_given_is_read(what_head: str) -> None:
    assert pledged(f"Donor | {what_head.title()}\nNorway | 2 NASAMS systems\n") == [
        ("Norway", 2, None)
    ]


@pytest.mark.parametrize("running_head", RUNNING_HEADS)
def test_a_column_of_totals_is_not_read(running_head: str) -> None:
    assert pledged(f"Donor | Pledge {running_head}\nNorway | NOK 5bn\n") == []


def qualified(text: str) -> list[tuple[str, int | Decimal | None, str]]:
    """The (donor, figure, qualifier) of each pledge ``text`` states."""
    return [(donor, figure, p.qualifier) for (donor, figure, _), p in
            zip(pledged(text), extract(text, ON).pledges, strict=True)]  # fmt: skip


# Names and words of an EU newsletter, a Ukrainian outlet, a government's list, a UN fund.
NAMES_AND_WORDS: list[tuple[str, Pledged]] = [
    ("EU ministers met today. The bloc will disburse €1.4 billion to buy ammunition for Kyiv.",
     [("European Union", 1400000000, "EUR")]),
    ("The 27-nation bloc approved €5bn for Ukraine.", [("European Union", 5000000000, "EUR")]),
    ("The Commission also said it will mobilize an additional €400 million for Ukraine's grid.",
     [("European Union", 400000000, "EUR")]),
    ("The UN's Central Emergency Response Fund allocated $40 million for Sudan.",
     [("United Nations", 40000000, "USD")]),
    ("CERF released $15 million for Haiti.", [("United Nations", 15000000, "USD")]),
    ("The Federal Ministry for Economic Cooperation and Development will add 45 million euros "
     "to the Ukraine Energy Support Fund.", [("Germany", 45000000, "EUR")]),
    ("The Federal Foreign Office will give 60 million euros to Ukraine.",
     [("Germany", 60000000, "EUR")]),
    # crises, emergencies and regions counted are no items
    ("The United Nations released $110 million to scale up aid in eight neglected crises.",
     [("United Nations", 110000000, "USD")]),
    # the bloc of another name is no donor of its own
    ("Russia's bloc partners sent nothing.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), NAMES_AND_WORDS)
def test_names_and_words_of_outlets(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@given(
    code=st.sampled_from(["NOK", "SEK", "DKK", "CHF", "CAD", "AUD", "PLN", "EUR", "USD"]),
    amount=st.integers(min_value=1, max_value=99),
    lead=st.sampled_from(["", "an extra ", "a further ", "another "]),
)
def test_add_before_a_sum_in_a_currency_code_gives(code: str, amount: int, lead: str) -> None:
    text = f"Norway will add {lead}{code} {amount}bn to its Nansen support program next year."
    assert pledged(text) == [("Norway", amount * 1_000_000_000, code)]


@pytest.mark.parametrize(("verb", "qualifier"), [("hand over", "exact"),
                                                 ("hand over more than", "at_least"),
                                                 ("send over", "at_least")])  # fmt: skip
def test_over_after_hand_is_no_qualifier(verb: str, qualifier: str) -> None:
    text = f"Germany confirmed that it will {verb} 4 IRIS-T SLM systems this year."
    assert qualified(text) == [("Germany", 4, qualifier)]


# Shares of the sum pledged before, named by the sum or as new money.
SHARES: list[tuple[str, Pledged]] = [
    ("The EU will disburse €1.4 billion for Kyiv. Of the €1.4 billion, €900 million is "
     "earmarked for air defense and €500 million for ammunition.",
     [("European Union", 1400000000, "EUR"), ("European Union", 900000000, "EUR"),
      ("European Union", 500000000, "EUR")]),
    ("Switzerland approved 1.2 billion Swiss francs for Ukraine. Of the new money, 300 million "
     "francs will go to Swiss companies.",
     [("Switzerland", 1200000000, "CHF"), ("Switzerland", 300000000, "CHF")]),
    ("Switzerland approved 1.2 billion Swiss francs for Ukraine. Of the 1.2 billion francs, "
     "300 million francs will go to Swiss companies.",
     [("Switzerland", 1200000000, "CHF"), ("Switzerland", 300000000, "CHF")]),
    # handed over, it is no part
    ("The EU will disburse €1.4 billion for Kyiv. Of the €1.4 billion, €900 million has been "
     "paid.", [("European Union", 1400000000, "EUR")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SHARES)
def test_shares_named_by_their_sum_are_parts(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


# Contracts and orders: what a donor orders for Ukraine is pledged, what it orders for its own
# forces is not.
CONTRACTS: list[tuple[str, Pledged]] = [
    ("The U.S. Army awarded a $1.9 billion contract to Raytheon for Patriot interceptors "
     "destined for Ukraine, the Pentagon said.", [("United States", 1900000000, "USD")]),
    ("Sweden said it had ordered 1,000 Carl-Gustaf rounds from Saab for Ukraine.",
     [("Sweden", 1000, None)]),
    ("Germany signed a contract with Rheinmetall for 180,000 shells for Ukraine. The contract "
     "is worth about 1.2 billion euros.",
     [("Germany", 180000, None), ("Germany", 1200000000, "EUR")]),
    ("Norway signed a deal with Kongsberg for Ukraine. The deal was worth €300m, Norway said.",
     [("Norway", 300000000, "EUR")]),
    # for the donor's own forces, or no word of Ukraine: no pledge
    ("The Army awarded Lockheed Martin a $4.5 billion contract to build interceptors for the "
     "U.S. military.", []),
    ("The Netherlands placed an order for 12 Skyranger systems for its own army; a spokesperson "
     "said the order had no link to Ukraine.", []),
    ("Rheinmetall won a contract from the Bundeswehr. The contract is worth 8.5 billion euros.",
     []),
    ("Germany ordered 500 drones for Ukraine's own army.", [("Germany", 500, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CONTRACTS)
def test_what_a_donor_orders_for_ukraine_is_pledged(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@pytest.mark.parametrize("source", ["Shmyhal", "Zelensky", "the minister", "Britain"])
def test_a_name_after_according_to_is_a_source(source: str) -> None:
    text = f"According to {source}, Germany confirmed that it will hand over 4 IRIS-T systems."
    assert pledged(text) == [("Germany", 4, None)]


# A sentence of giving that announces the list after it, one item a line.
GIVEN_LISTS: list[tuple[str, Pledged]] = [
    ("On 30 October, Germany decided to provide Ukraine with the following further equipment:\n"
     "- 2 IRIS-T SLM air defence systems with missiles\n"
     "- 20 Marder infantry fighting vehicles from industry stocks\n",
     [("Germany", 2, None), ("Germany", 20, None)]),
    # an unnamed government: the donor the article names most
    ("Germany is one of Ukraine's strongest supporters. Germany publishes its support.\n"
     "The federal government will provide Ukraine with the following equipment:\n"
     "- 300 reconnaissance drones\n", [("Germany", 300, None)]),
    ("Norway's package is as follows:\n- 12 howitzers\n", []),  # no verb of giving
    # what was handed over, or a total to date, is no list of pledges
    ("Since the start of the war, Germany has delivered the following:\n"
     "- 52 Marder infantry fighting vehicles (previously 40)\n", []),
    ("Germany has so far sent the following equipment:\n- 18 IRIS-T systems\n", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), GIVEN_LISTS)
def test_a_sentence_of_giving_opens_the_list_after_it(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


def test_a_package_being_prepared_is_not_announced() -> None:
    text = "The United States is preparing a new military aid package worth about $1.1 billion."
    assert pledged(text) == []
    contribute = "The Norwegian Government is preparing to contribute 1.5 billion NOK to the fund."
    assert pledged(contribute) == [("Norway", 1500000000, "NOK")]


VALUES: list[tuple[str, Pledged]] = [
    ("Germany will finance 10,000 shells for Ukraine. The value of these commitments is about "
     "1.1 billion euros.", [("Germany", 10000, None), ("Germany", 1100000000, "EUR")]),
    ("Norway pledged 10 tanks. The value of the package was NOK 2bn.",
     [("Norway", 10, None), ("Norway", 2000000000, "NOK")]),
    # the value of something else, or of no figure, is no pledge
    ("The value of the hryvnia is 41 per dollar.", []),
    ("Germany pledged 10 tanks. The value of these tanks is unknown.", [("Germany", 10, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), VALUES)
def test_the_value_of_what_was_pledged_is_its_worth(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Denmark, which gave all of its 19 F-16s, pledged another 2.5 billion kroner on Tuesday.",
     [("Denmark", 2500000000, "DKK")]),
    ("Norway has sent all its Leopard 1 tanks, the ministry said.", []),
    # promised, not done: still a pledge
    ("Germany will give all of its 10 remaining Gepards to Ukraine.", [("Germany", 10, None)]),
    ("Denmark gave 19 F-16s to Ukraine in 2023.", [("Denmark", 19, None)]),
])  # fmt: skip
def test_all_a_donor_had_handed_over_is_no_pledge(text: str, expected: Pledged) -> None:
    assert pledged(text) == expected


def test_all_handed_over_of_a_promise_is_still_its_stage() -> None:
    text = "The Netherlands has now delivered all its 24 F-16s it promised, the ministry said."
    extraction = extract(text, ON)
    assert extraction.pledges == ()
    assert [(r.stage, r.quantity) for r in extraction.stage_reports] == [("delivered", 24)]


PAID_AND_HANDED: list[tuple[str, Pledged]] = [
    ("Germany will pay €1bn for two Patriot systems for Ukraine.", [("Germany", 2, "EUR")]),
    ("Italy will hand Ukraine a second SAMP/T battery, the defence ministry said.",
     [("Italy", 1, None)]),
    ("Germany handed Kyiv 10 tanks last year.", [("Germany", 10, None)]),
    # for the donor's own forces, by the receiver, or paying no sum: nothing given
    ("Germany will pay €1bn for two Patriot systems for its own air force.", []),
    ("Ukraine will pay $5 billion for gas imports this winter.", []),
    ("Germany pays tribute to the fallen of Ukraine.", []),
    ("Zelensky handed Macron a flag.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PAID_AND_HANDED)
def test_a_sum_paid_for_ukraine_and_things_handed_to_it_are_given(
    text: str, expected: Pledged
) -> None:
    assert pledged(text) == expected


@given(millions=st.integers(min_value=1, max_value=999), count=st.integers(2, 60),
       code=st.sampled_from(["€", "£", "$", "NOK ", "C$"]))  # fmt: skip
def test_a_sum_paid_for_a_count_is_one_pledge_with_both(
    millions: int, count: int, code: str
) -> None:
    text = f"Norway will pay {code}{millions}m for {count} howitzers for Ukraine."
    assert [(p.amount, p.quantity) for p in extract(text, ON).pledges] == [
        (millions * 1_000_000, count)
    ]
