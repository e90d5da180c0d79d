"""Actors named in a sentence: countries, aliases, demonyms, capitals, leaders, groups."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.extract.donors import country_display_name, find_mentions

ON = date(2025, 7, 10)


def _names(sentence: str, on: date | None = ON) -> list[tuple[str, str, bool]]:
    return [(m.name, m.kind, m.location) for m in find_mentions(sentence, on)]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Britain will send", "United Kingdom"),
        ("the U.K. said", "United Kingdom"),
        ("London will send", "United Kingdom"),
        ("Berlin pledged", "Germany"),
        ("Washington approved", "United States"),
        ("Oslo will give", "Norway"),
        ("The Norwegian government said", "Norway"),
        ("Czechia delivered", "Czech Republic"),
        ("South Korea sent", "South Korea"),
        ("Starmer said", "United Kingdom"),
        ("Macron said", "France"),
        ("Merz said", "Germany"),
        ("Meloni said", "Italy"),
        ("Trump’s pledge", "United States"),
    ],
)
def test_country_forms(sentence: str, name: str) -> None:
    assert _names(sentence)[0][:2] == (name, "country")


def test_leaders_follow_their_terms_of_office() -> None:
    assert _names("Scholz said", date(2024, 2, 1))[0][0] == "Germany"
    assert _names("Scholz said", ON) == []
    assert _names("Rutte said", date(2023, 1, 1))[0][:2] == ("Netherlands", "country")
    assert _names("Rutte said", ON)[0][:2] == ("NATO", "organisation")
    # with no date, a name that only ever stood for one holder stands for it
    assert _names("Biden said", None)[0][:2] == ("United States", "country")
    assert _names("Rutte said", None)[0][:2] == ("NATO", "organisation")  # the current term


def test_organisations_and_groups() -> None:
    assert _names("The EU and the EBRD and participants") == [
        ("European Union", "organisation", False),
        ("European Bank for Reconstruction and Development", "organisation", False),
        ("Conference participants", "group", False),
    ]
    assert _names("the “coalition of the willing” agreed")[0][:2] == (
        "Coalition of the willing",
        "group",
    )


def test_places_are_marked_as_locations() -> None:
    assert _names("At the Rome gathering") == [("Italy", "country", True)]
    assert _names("a conference in Italy") == [("Italy", "country", True)]


def test_demonyms_need_a_government_word() -> None:
    assert _names("German-made tanks and Russian frozen assets") == []
    assert _names("the Dutch government")[0][0] == "Netherlands"


def test_recipient_and_aggressor_are_not_donors() -> None:
    mentions = find_mentions("Kyiv, Zelenskyy, Russia and Putin", ON)
    assert [m.code for m in mentions] == ["UA", "UA", "RU", "RU"]
    assert not any(m.can_give for m in mentions)
    assert all(m.is_recipient_side for m in mentions[:2])


def test_display_names_prefer_the_common_alias() -> None:
    assert country_display_name("NL") == "Netherlands"
    assert country_display_name("MD") == "Moldova"
    assert country_display_name("PL") == "Poland"


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Ministry of Foreign AffairsNorway is providing aid", [("Norway", "country", False)]),
        ("News storyGermany will send", [("Germany", "country", False)]),
        ("McDonald and iPhone are no names", []),
    ],
)
def test_a_name_glued_to_the_word_before_is_found(
    sentence: str, names: list[tuple[str, str, bool]]
) -> None:
    assert _names(sentence) == names
