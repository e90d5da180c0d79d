"""Recipients: the place, people or body a pledge's sentence names as what the sum is for,
the place an article is about when the sentence names none, and Ukraine only when neither
is named (annotation rule 6 of the development corpus: "The recipient is the one named").

Measured on the matched pledges of the gold (``recipient_agreement``): the news articles
01-C4 agreed in 735 of 888 before these rules (sums for Sudan, Gaza, Syria, Haiti, ... read
as Ukraine's), 852 of 888 after; the development corpus in 48 of 60, then 53 of 60.

Choices: a body named as the receiver of the money for its own work ("$20 million to
UNRWA", "to the Global Fund", "to the International Committee of the Red Cross") is the
recipient, as the gold records it and as the annotation rule reads, not the country it
serves; a channel ("through the World Food Programme") is none. A country is shown by the
name the United Nations uses as a recipient ("Türkiye"), its donor name unchanged.
Left disagreeing: bodies named with their country ("to Ukraine's state grid operator
Ukrenergo"), receivers only a pronoun points to ("give its neighbour"), regions inside a
country the gold records as the country, beyond a few ("Darfur", "Tigray", "Idlib"), and the
gold's own mixed readings (article 58 records "the International Committee of the Red Cross
for its work in Ukraine" as Ukraine's, article 34 "UNRWA for food and medicine in Gaza" as
UNRWA's).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.extract.test_dev_corpus import CORPUS, _matches
from tests.extract.test_news_articles import NEWS
from tracker.extract import decode_article, extract
from tracker.importers.article import ArticleMeta, import_article
from tracker.models import Pledge, Recipient
from tracker.reference import RECIPIENT_NAME_LENGTH

ON = date(2026, 11, 20)
# Recipient agreement on the matched pledges, news articles 01-C4 and the development corpus.
NEWS_AGREEMENT = (852, 888)
DEV_AGREEMENT = (53, 60)

DONORS = ["Germany", "Norway", "Japan", "Canada", "Sweden", "Italy", "Denmark"]
# Countries by the name the tracker shows, written without an article.
COUNTRIES = ["Sudan", "Haiti", "Afghanistan", "Myanmar", "Syria", "Libya", "Somalia", "Yemen",
             "Chad", "Mozambique", "Lebanon"]  # fmt: skip
# Places that receive: (as written, as recorded).
PLACES = [(c, c) for c in COUNTRIES] + [
    ("Gaza", "Gaza"),
    ("the Gaza Strip", "Gaza"),
    ("the West Bank", "West Bank"),
    ("the Horn of Africa", "Horn of Africa"),
    ("the Sahel", "Sahel"),
    ("Darfur", "Sudan"),  # a region read as its country
    ("Tigray", "Ethiopia"),
]
SUMS = st.sampled_from(["€{n} million", "${n} million", "£{n}m", "{n} million euros"])
VERBS = ["pledged", "will give", "announced", "said it would provide", "committed"]
MILLIONS = st.integers(min_value=2, max_value=900)
# "Germany pledged €5 million": a donor, a verb of giving and a sum.
GIVING = st.builds(
    lambda donor, verb, form, millions: f"{donor} {verb} {form.format(n=millions)}",
    st.sampled_from(DONORS),
    st.sampled_from(VERBS),
    SUMS,
    MILLIONS,
)


def _recipients(text: str) -> list[str]:
    """The recipient of each pledge the text states."""
    return [p.recipient for p in extract(text, ON).pledges]


def _assert_received(giving: str, where: str, recorded: str) -> None:
    """The sentence "<giving> <where>." pledges one sum, to ``recorded``."""
    sentence = f"{giving} {where}."
    assert _recipients(sentence) == [recorded], sentence


def recipient_agreement(corpus: Path, first: str = "", last: str = "~") -> tuple[int, int]:
    """(agreeing, matched): of the gold pledges an extracted pledge matches (as
    ``score_corpus`` matches them), those whose recipient is the gold's."""
    same = matched = 0
    for article in json.loads((corpus / "gold.json").read_text(encoding="utf-8")):
        if not first <= article["file"] <= last:
            continue
        text = decode_article((corpus / "articles" / article["file"]).read_bytes())
        published = date.fromisoformat(article["published"]) if article["published"] else None
        used = [False] * len(article["pledges"])
        for pledge in extract(text, published).pledges:
            found = {"donor": pledge.donor, "amount": pledge.amount, "currency": pledge.currency,
                     "quantity": pledge.quantity, "item": pledge.item}  # fmt: skip
            for index, gold in enumerate(article["pledges"]):
                if not used[index] and _matches(gold, found):
                    used[index] = True
                    matched += 1
                    same += (gold["recipient"] or "") == pledge.recipient
                    break
    return same, matched


def test_the_news_articles_hold_their_recipient_agreement() -> None:
    same, matched = recipient_agreement(NEWS, last="C4~")
    assert matched >= NEWS_AGREEMENT[1] and same >= NEWS_AGREEMENT[0], (same, matched)


def test_the_development_corpus_holds_its_recipient_agreement() -> None:
    if not (CORPUS / "gold.json").is_file():
        message = f"the development corpus is missing: expected {CORPUS}/gold.json"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    same, matched = recipient_agreement(CORPUS)
    assert matched >= DEV_AGREEMENT[1] and same >= DEV_AGREEMENT[0], (same, matched)


@given(
    giving=GIVING,
    place=st.sampled_from(PLACES),
    wording=st.sampled_from([
        "for {place}", "to {place}", "for people in need in {place}",
        "in humanitarian aid for {place}", "for food and medicine in {place}",
        "to support the health sector in {place}", "for shelter, water and health care in {place}",
        "for refugees in {place}", "to help civilians in {place}",
    ]),
)  # fmt: skip
def test_a_place_named_as_what_the_sum_is_for_is_its_recipient(
    giving: str, place: tuple[str, str], wording: str
) -> None:
    written, recorded = place
    _assert_received(giving, wording.format(place=written), recorded)


@given(
    donor=st.sampled_from(DONORS),
    form=SUMS,
    millions=MILLIONS,
    country=st.sampled_from(COUNTRIES),
    wording=st.sampled_from([
        "in response to the earthquake that struck {side} {country}",
        "after the floods in {side} {country}", "for flood-hit {country}",
        "for drought-stricken {country}", "for neighbouring {country}",
        "for {side} {country}", "to flood-hit areas of {side} {country}",
        "for parts of {country}",
    ]),
    side=st.sampled_from(["eastern", "northwest", "north-western", "southern", "western"]),
)  # fmt: skip
def test_a_disaster_s_place_or_a_qualified_place_is_the_recipient(
    donor: str, form: str, millions: int, country: str, wording: str, side: str
) -> None:
    """ "the earthquake that struck eastern Afghanistan", "flood-hit Libya", "northwest
    Syria": the words before the place qualify it; it still receives."""
    where = wording.format(side=side, country=country)
    sentence = f"{donor} pledged {form.format(n=millions)} in emergency aid {where}."
    assert _recipients(sentence) == [country], sentence


@given(
    donor=st.sampled_from(DONORS),
    millions=MILLIONS,
    places=st.lists(st.sampled_from(COUNTRIES), min_size=2, max_size=4, unique=True),
    last_joiner=st.sampled_from([" and ", ", and "]),
)
def test_several_places_named_are_joined(
    donor: str, millions: int, places: list[str], last_joiner: str
) -> None:
    named = ", ".join(places[:-1]) + last_joiner + places[-1]
    sentence = f"{donor} pledged €{millions} million in humanitarian aid for {named}."
    assert _recipients(sentence) == ["; ".join(places)], sentence


# Countries by the names the tracker shows them by, for long lists of receivers.
MANY = [*COUNTRIES, "Bangladesh", "Burkina Faso", "Central African Republic", "Colombia",
        "Democratic Republic of the Congo", "Ethiopia", "Kenya", "Madagascar", "Mali",
        "Niger", "Nigeria", "Pakistan", "Papua New Guinea", "South Sudan", "Uganda"]  # fmt: skip


@given(
    donor=st.sampled_from(DONORS),
    millions=MILLIONS,
    places=st.lists(st.sampled_from(MANY), min_size=2, max_size=len(MANY), unique=True),
)
def test_a_long_list_of_places_is_joined_as_far_as_a_stored_name_holds(
    donor: str, millions: int, places: list[str]
) -> None:
    """The recipient joins the places named in order, up to the length the app stores a
    recipient's name in (an import never fails on it)."""
    named = ", ".join(places[:-1]) + " and " + places[-1]
    (recipient,) = _recipients(f"{donor} pledged €{millions} million for {named}.")
    assert len(recipient) <= RECIPIENT_NAME_LENGTH
    kept = recipient.split("; ")
    assert kept == places[: len(kept)]
    assert len(kept) == len(places) or len(recipient) + 2 + len(places[len(kept)]) > (
        RECIPIENT_NAME_LENGTH
    )


@given(
    donor=st.sampled_from(DONORS),
    first=MILLIONS,
    second=MILLIONS,
    places=st.lists(st.sampled_from(COUNTRIES), min_size=2, max_size=2, unique=True),
    further=st.sampled_from(["", "a further ", "another "]),
)
def test_each_sum_goes_to_the_place_named_after_it(
    donor: str, first: int, second: int, places: list[str], further: str
) -> None:
    """ "€40 million for Sudan and €12 million for Chad": two recipients, one per sum; one
    place after both sums is both sums' ("€5m and €3m for Sudan")."""
    sentence = (
        f"{donor} announced €{first} million in new funding for {places[0]} and "
        f"{further}€{second} million for {places[1]}."
    )
    assert _recipients(sentence) == places, sentence
    shared = f"{donor} announced €{first} million and €{second} million for {places[0]}."
    assert set(_recipients(shared)) == {places[0]}, shared


@given(
    giving=GIVING,
    people=st.sampled_from([("Sudanese", "Sudan"), ("Afghan", "Afghanistan"),
                            ("Syrian", "Syria"), ("South Sudanese", "South Sudan")]),
    who=st.sampled_from(["refugees", "returnees", "families", "children"]),
    before=st.sampled_from(["", "the "]),
    where=st.sampled_from(["", " in Chad", " in Uganda and Kenya", " from Pakistan"]),
)  # fmt: skip
def test_a_people_named_as_receivers_is_its_country(
    giving: str, people: tuple[str, str], who: str, before: str, where: str
) -> None:
    """ "for Sudanese refugees in Chad": the people named first receives, not the country
    hosting it."""
    demonym, country = people
    _assert_received(giving, f"for {before}{demonym} {who}{where}", country)


ORGANISATIONS = [
    ("UNRWA", "UNRWA"),
    ("the Global Fund", "Global Fund to Fight AIDS, Tuberculosis and Malaria"),
    ("the World Health Organization", "World Health Organization"),
    ("the International Committee of the Red Cross", "International Committee of the Red Cross"),
    ("the ICRC", "International Committee of the Red Cross"),
]


@given(
    giving=GIVING,
    body=st.sampled_from(ORGANISATIONS),
    apposition=st.sampled_from(["", ", the U.N. agency that runs clinics,", ", a NATO partner,"]),
)  # fmt: skip
def test_a_body_given_money_for_its_work_is_the_recipient(
    giving: str, body: tuple[str, str], apposition: str
) -> None:
    """ "$20 million to UNRWA, the U.N. agency for Palestinian refugees": the body named
    receives; the organisations in its apposition are no further receivers."""
    written, recorded = body
    _assert_received(giving, f"to {written}{apposition} this year", recorded)


@given(
    donor=st.sampled_from(DONORS),
    millions=MILLIONS,
    written=st.sampled_from(["Turkey", "Türkiye", "Turkiye"]),
)
def test_turkey_receives_by_its_un_name_and_gives_by_its_usual_one(
    donor: str, millions: int, written: str
) -> None:
    sentence = f"{donor} pledged €{millions} million for the earthquakes in {written} and Syria."
    assert _recipients(sentence) == ["Türkiye; Syria"], sentence
    given_by = extract(f"{written} pledged ${millions} million for Syria.", ON).pledges
    assert [(p.donor, p.recipient) for p in given_by] == [("Turkey", "Syria")]


@given(
    donor=st.sampled_from(DONORS),
    millions=MILLIONS,
    meeting=st.sampled_from(["a donors' meeting", "the conference", "talks", "a summit"]),
    city=st.sampled_from(["Rome", "Paris", "London", "Berlin"]),
)
def test_where_a_meeting_is_held_is_no_recipient(
    donor: str, millions: int, meeting: str, city: str
) -> None:
    """ "for ... in Rome": a capital names its government, and a meeting's place receives
    nothing; the recipient stays the default."""
    sentence = f"{donor} pledged €{millions} million for {meeting} in {city}."
    assert _recipients(sentence) == ["Ukraine"], sentence


def _article(headline: str, lead: str, body: list[str]) -> str:
    return "\n\n".join([headline, f"GENEVA, Nov 20 - {lead}", *body]) + "\n"


@given(
    place=st.sampled_from(PLACES),
    headline=st.sampled_from([
        "Donors pledge ${total} billion for {place} at Geneva conference",
        "UN seeks ${total} billion for {place} as donors hold back",
        "Foreign aid pours in for {place} as the death toll climbs",
    ]),
    total=st.integers(min_value=1, max_value=9),
    donors=st.lists(st.sampled_from(DONORS), min_size=2, max_size=3, unique=True),
    millions=st.lists(MILLIONS, min_size=3, max_size=3),
)  # fmt: skip
def test_an_article_s_pledges_go_to_the_place_it_is_about(
    place: tuple[str, str], headline: str, total: int, donors: list[str], millions: list[int]
) -> None:
    """A pledge whose sentence names no receiver goes to the place the article's opening
    names ("Donors pledge $2.1 billion for Sudan"), not to the default recipient; one
    whose sentence names Ukraine stays Ukraine's."""
    written, recorded = place
    title = headline.format(total=total, place=written)
    lead = "The United Nations said the needs had never been greater."
    body = [f"{donor} pledged €{n} million, its foreign ministry said."
            for donor, n in zip(donors, millions, strict=False)]  # fmt: skip
    read = _recipients(_article(title, lead, body))  # (a headline's group sum included)
    assert len(read) >= len(donors) and set(read) == {recorded}, read
    ukraine = f"Separately, Canada pledged C${millions[-1]} million to Ukraine."
    assert _recipients(_article(title, lead, [*body, ukraine])) == [*read, "Ukraine"]


@given(
    place=st.sampled_from(COUNTRIES),
    opening=st.sampled_from([
        "Allies pledge more air defence for Ukraine",
        "Kyiv asks for more as winter nears",
        "Ukrainian officials welcome new aid",
    ]),
    donor=st.sampled_from(DONORS),
    millions=MILLIONS,
)  # fmt: skip
def test_an_article_that_opens_on_ukraine_keeps_ukraine(
    place: str, opening: str, donor: str, millions: int
) -> None:
    """An opening that names Ukraine first makes no other place the article's subject, even
    when a later opening sentence names one."""
    lead = f"Aid for {place} was also discussed at the meeting."
    text = _article(opening, lead, [f"{donor} pledged €{millions} million, officials said."])
    assert _recipients(text) == ["Ukraine"], text


@given(donor=st.sampled_from(DONORS), millions=MILLIONS)
def test_a_donor_named_in_the_opening_is_no_subject(donor: str, millions: int) -> None:
    """ "Attributed to Pentagon Press Secretary ...": a name after "to" in the opening that
    gives in the article is no receiver it is about."""
    text = (
        f"Attributed to {donor} Press Secretary Jane Doe:\n\n"
        f"{donor} will give €{millions} million in additional security assistance.\n"
    )
    assert _recipients(text) == ["Ukraine"], text


@given(donor=st.sampled_from(DONORS), first=MILLIONS, second=MILLIONS)
def test_a_sum_a_receiving_body_manages_keeps_its_donor(
    donor: str, first: int, second: int
) -> None:
    """ "A second grant ... will be managed by the World Health Organization": the body
    after "by" receives and manages; the donor is the one named before."""
    text = (
        f"{donor} pledged €{first} million for hospitals. A second grant, of €{second} million, "
        "is earmarked for clinics and will be managed by the World Health Organization."
    )
    assert [p.donor for p in extract(text, ON).pledges] == [donor, donor], text


def test_an_imported_pledge_for_a_place_the_app_does_not_know_stores_that_place(
    session: Session,
) -> None:
    """The import adds a recipient it does not know by the extractor's name, never a crash
    and never silently Ukraine; a second pledge to it reuses the row."""
    text = _article(
        "Donors pledge $2 billion for Sudan at Geneva conference",
        "Germany pledged €244 million and Norway pledged NOK 200 million.",
        ["Japan will give $20 million to UNRWA, the U.N. agency for Palestinian refugees."],
    )
    meta = ArticleMeta(title="Sudan conference", published=ON)
    result = import_article(session, text, meta)
    session.flush()
    rows = session.scalars(
        select(Pledge).where(Pledge.source_id == result.source.id).order_by(Pledge.id)
    ).all()
    assert [(p.donor.name, p.recipient.name) for p in rows] == [
        ("International donors", "Sudan"),  # the headline's group sum
        ("Germany", "Sudan"),
        ("Norway", "Sudan"),
        ("Japan", "UNRWA"),
    ]
    names = session.scalars(select(Recipient.name).where(Recipient.name == "Sudan")).all()
    assert names == ["Sudan"]
    many = ", ".join(MANY[:-1]) + " and " + MANY[-1]
    listed = f"Sweden pledged SEK 90 million in humanitarian aid for {many}.\n"
    (pledge,) = import_article(session, listed, ArticleMeta(title="list", published=ON)).pledges
    session.flush()
    assert pledge.recipient.name == "; ".join(MANY)[: len(pledge.recipient.name)]
