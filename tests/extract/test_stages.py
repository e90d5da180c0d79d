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
    assert extraction.pledges == ()
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
    assert contract["pledges"] == []
