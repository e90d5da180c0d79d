"""Requests of the recipient, kept apart from pledges."""

from __future__ import annotations

from datetime import date

from tracker.extract import extract


def _requests(text: str) -> list[str]:
    extraction = extract(text, date(2025, 7, 10))
    assert extraction.pledges == ()
    return [r.item for r in extraction.requests]


def test_call_for_a_list() -> None:
    text = "Zelenskyy called for more Patriot systems, artillery shells and long-range missiles."
    assert _requests(text) == ["Patriot systems", "artillery shells", "long-range missiles"]


def test_need_and_appeal() -> None:
    assert _requests("Ukraine urgently needs at least 10 more Patriot batteries.") == [
        "Patriot batteries"
    ]
    assert _requests("Kyiv appealed to its partners for winter equipment.") == ["winter equipment"]


def test_urging_others_to_give_is_a_request_not_a_pledge() -> None:
    assert _requests("Zelenskyy urged Germany to send Taurus cruise missiles.") == [
        "Taurus cruise missiles"
    ]


def test_other_countries_asking_are_not_requests_of_the_recipient() -> None:
    assert _requests("Merz called for a ceasefire and urged Trump to stay engaged.") == []


def test_request_evidence_is_the_whole_sentence() -> None:
    text = "Fighting continued. Zelenskyy asked for drones."
    request = extract(text).requests[0]
    assert request.evidence == "Zelenskyy asked for drones."
    assert text[request.evidence_start : request.evidence_end] == request.evidence
