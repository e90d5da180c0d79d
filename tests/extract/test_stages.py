"""Allocations and deliveries of earlier pledges come out as stage reports, never pledges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tracker.extract import extract, to_contract

ON = date(2025, 9, 10)


def test_a_delivery_of_part_of_a_promise_is_a_stage_report() -> None:
    text = (
        "Britain has delivered the first 1,000 of the more than 5,000 air defence missiles "
        "it promised in July."
    )
    extraction = extract(text, ON)
    assert extraction.pledges == ()
    (report,) = extraction.stage_reports
    assert (report.donor, report.stage, report.quantity) == ("United Kingdom", "delivered", 1000)
    assert report.refers_to == "promised in July"
    assert report.promised is not None
    assert (report.promised.quantity, report.promised.qualifier) == (Decimal(5000), "at_least")
    assert report.item == "air defence missiles"


def test_a_disbursed_tranche_names_the_promised_sum() -> None:
    text = "The European Commission has disbursed the first €1.5bn tranche of the €18bn loan."
    extraction = extract(text, ON)
    # A disbursed tranche is a commitment of its own, as is the ceiling it is paid under.
    assert [(p.donor, p.amount) for p in extraction.pledges] == [
        ("European Union", Decimal(1500000000)),
        ("European Union", Decimal(18000000000)),
    ]
    (report,) = extraction.stage_reports
    assert (report.donor, report.stage) == ("European Union", "delivered")
    assert (report.amount, report.currency) == (Decimal(1500000000), "EUR")
    assert report.promised is not None
    assert (report.promised.amount, report.promised.currency) == (Decimal(18000000000), "EUR")


def test_a_promise_to_deliver_stays_a_pledge() -> None:
    extraction = extract("Germany will deliver 5 tanks to Ukraine, Pistorius said.", ON)
    assert [(p.donor, p.quantity) for p in extraction.pledges] == [("Germany", Decimal(5))]
    assert extraction.stage_reports == ()


def test_a_delivery_that_names_no_earlier_promise_stays_as_it_was() -> None:
    extraction = extract("Paris has sent 12 Caesar howitzers to Ukraine.", ON)
    assert [(p.donor, p.quantity) for p in extraction.pledges] == [("France", Decimal(12))]
    assert extraction.stage_reports == ()


def test_stage_reports_are_in_the_contract() -> None:
    text = "The EU disbursed a second tranche of €4bn under the Ukraine Facility on Monday."
    contract = to_contract(extract(text, ON), {})
    (report,) = contract["stage_reports"]
    assert (report["stage"], report["amount"], report["currency"]) == (
        "delivered",
        4000000000,
        "EUR",
    )
    assert [(p["amount"], p["currency"]) for p in contract["pledges"]] == [(4000000000, "EUR")]


def test_a_disbursement_not_named_as_a_tranche_is_only_a_stage_report() -> None:
    text = "Canada has disbursed CAD 2.5 billion of its ERA contribution, Marchenko said."
    extraction = extract(text, ON)
    assert extraction.pledges == ()
    assert [r.amount for r in extraction.stage_reports] == [Decimal(2500000000)]


def test_tranches_worth_a_sum_each_are_one_pledge_per_tranche() -> None:
    text = (
        "The European Commission paid a sixth tranche of €1.5 billion to Ukraine. "
        "The Commission said this will unlock the payment of two further tranches worth "
        "€1.5 billion each."
    )
    pledges = extract(text, ON).pledges
    assert [(p.amount, p.notes) for p in pledges] == [
        (Decimal(1500000000), None),
        (Decimal(1500000000), "tranche 1 of 2"),
        (Decimal(1500000000), "tranche 2 of 2"),
    ]


def test_a_quoted_restatement_of_a_stated_sum_adds_nothing() -> None:
    text = (
        "The Commission has disbursed the first €4.5 billion of support under the Ukraine "
        "Facility. Von der Leyen said: “Today is a good day. The Commission has just paid to "
        "Ukraine a first tranche of 4.5 billion Euro from the Facility.”"
    )
    pledges = extract(text, ON).pledges
    assert [(p.amount, p.evidence_start) for p in pledges] == [(Decimal(4500000000), 0)]


def test_contents_of_a_running_total_are_no_pledges() -> None:
    text = (
        "Germany pledged €100m to Ukraine on Monday. Overall, since the start of the war, "
        "German support to Ukraine has amounted to €28 billion. This includes financial, "
        "humanitarian and military support."
    )
    pledges = extract(text, ON).pledges
    assert [p.amount for p in pledges] == [Decimal(100000000)]


def test_things_handed_over_before_are_not_pledged_again() -> None:
    text = (
        "The Defense Department is delivering the aircraft to Ukraine to augment the five "
        "transport helicopters sent earlier this year."
    )
    assert extract(text, ON).pledges == ()
    text = "Germany will send 5 more tanks to Ukraine, after the 14 tanks delivered last month."
    assert [p.quantity for p in extract(text, ON).pledges] == [Decimal(5)]


def test_a_promise_to_hand_over_a_named_thing_stays_a_pledge() -> None:
    (pledge,) = extract("Germany will deliver the IRIS-T systems to Ukraine.", ON).pledges
    assert (pledge.donor, pledge.category) == ("Germany", "air defence")
