"""Dates resolved against the publication date, with a precision."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.extract.dates import date_near, find_dates

THURSDAY = date(2025, 7, 10)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("on Thursday", date(2025, 7, 10), "day"),
        ("on Wednesday", date(2025, 7, 9), "day"),
        ("on Friday", date(2025, 7, 4), "day"),
        ("last Thursday", date(2025, 7, 3), "day"),
        ("today", date(2025, 7, 10), "day"),
        ("yesterday", date(2025, 7, 9), "day"),
        ("earlier this week", date(2025, 7, 7), "week"),
        ("this week", date(2025, 7, 7), "week"),
        ("last week", date(2025, 6, 30), "week"),
        ("this month", date(2025, 7, 1), "month"),
        ("last month", date(2025, 6, 1), "month"),
        ("earlier this year", date(2025, 1, 1), "year"),
        ("last year", date(2024, 1, 1), "year"),
        ("on 10 July 2025", date(2025, 7, 10), "day"),
        ("on July 3", date(2025, 7, 3), "day"),
        ("on 3rd March", date(2025, 3, 3), "day"),
        ("in December", date(2024, 12, 1), "month"),
        ("in May 2023", date(2023, 5, 1), "month"),
        ("in 2023", date(2023, 1, 1), "year"),
    ],
)
def test_resolution(text: str, value: date, precision: str) -> None:
    found = find_dates(text, THURSDAY)
    assert [(d.value, d.precision) for d in found] == [(value, precision)]


def test_relative_dates_need_a_publication_date() -> None:
    assert find_dates("yesterday", None) == []
    assert [d.value for d in find_dates("on 1 May 2024", None)] == [date(2024, 5, 1)]


def test_periods_and_words_that_only_look_like_dates() -> None:
    assert find_dates("since February 2022", THURSDAY) == []
    assert find_dates("it may be sent", THURSDAY) == []


def test_date_near_prefers_the_nearest_and_defaults_to_publication() -> None:
    sentence = "On Monday Germany sent tanks, and yesterday Italy gave jets."
    assert date_near(sentence, sentence.index("gave"), THURSDAY) == (date(2025, 7, 9), "day")
    assert date_near(sentence, sentence.index("sent"), THURSDAY) == (date(2025, 7, 7), "day")
    assert date_near("Italy gave jets.", 6, THURSDAY) == (THURSDAY, "day")
    assert date_near("Italy gave jets.", 6, None) == (None, None)
