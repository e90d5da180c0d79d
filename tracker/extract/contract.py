"""The JSON shape of `tracker extract`: source, pledges, requests and stage reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tracker.extract.models import (
    ExtractedPledge,
    ExtractedPromisedFigure,
    ExtractedRequest,
    ExtractedStageReport,
    Extraction,
)


def json_number(value: Decimal | None) -> int | str | None:
    """A whole Decimal as an int; a fractional one as an exact string."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def figure_to_dict(figure: ExtractedPromisedFigure | None) -> dict[str, Any] | None:
    """An earlier promise's figure (a stage report's promise, an update's previous figure)."""
    if figure is None:
        return None
    return {
        "quantity": json_number(figure.quantity),
        "unit": figure.unit,
        "amount": json_number(figure.amount),
        "currency": figure.currency,
        "qualifier": figure.qualifier,
    }


def pledge_to_dict(pledge: ExtractedPledge) -> dict[str, Any]:
    """One pledge in the contract's shape."""
    conversion = None
    if pledge.stated_conversion is not None:
        amount, currency = pledge.stated_conversion
        conversion = {"amount": json_number(amount), "currency": currency}
    return {
        "donor": pledge.donor,
        "donor_kind": pledge.donor_kind,
        "recipient": pledge.recipient,
        "kind": pledge.kind,
        "item": pledge.item,
        "category": pledge.category,
        "quantity": json_number(pledge.quantity),
        "unit": pledge.unit,
        "amount": json_number(pledge.amount),
        "currency": pledge.currency,
        "qualifier": pledge.qualifier,
        "qualifier_text": pledge.qualifier_text,
        "announced": pledge.announced.isoformat() if pledge.announced else None,
        "announced_precision": pledge.announced_precision,
        "stated_conversion": conversion,
        "evidence": pledge.evidence,
        "evidence_start": pledge.evidence_start,
        "evidence_end": pledge.evidence_end,
        "notes": pledge.notes,
        "updates": pledge.updates,
        "previous": figure_to_dict(pledge.previous),
    }


def request_to_dict(request: ExtractedRequest) -> dict[str, Any]:
    """One request in the contract's shape."""
    return {
        "requester": request.requester,
        "item": request.item,
        "evidence": request.evidence,
        "evidence_start": request.evidence_start,
        "evidence_end": request.evidence_end,
    }


def stage_report_to_dict(report: ExtractedStageReport) -> dict[str, Any]:
    """One allocation or delivery record in the contract's shape."""
    promised = figure_to_dict(report.promised)
    return {
        "donor": report.donor,
        "donor_kind": report.donor_kind,
        "recipient": report.recipient,
        "kind": report.kind,
        "item": report.item,
        "category": report.category,
        "stage": report.stage,
        "quantity": json_number(report.quantity),
        "unit": report.unit,
        "amount": json_number(report.amount),
        "currency": report.currency,
        "qualifier": report.qualifier,
        "qualifier_text": report.qualifier_text,
        "announced": report.announced.isoformat() if report.announced else None,
        "announced_precision": report.announced_precision,
        "refers_to": report.refers_to,
        "promised": promised,
        "evidence": report.evidence,
        "evidence_start": report.evidence_start,
        "evidence_end": report.evidence_end,
    }


def to_contract(extraction: Extraction, source_meta: dict[str, Any]) -> dict[str, Any]:
    """The extraction as the JSON-ready dict of the contract (see expected.json)."""
    return {
        "source": dict(source_meta),
        "pledges": [pledge_to_dict(p) for p in extraction.pledges],
        "requests": [request_to_dict(r) for r in extraction.requests],
        "stage_reports": [stage_report_to_dict(r) for r in extraction.stage_reports],
    }
