"""The JSON contract: numbers, dates, conversions and extra keys."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from tracker.extract import extract, to_contract
from tracker.extract.contract import json_number


def test_json_numbers_are_exact() -> None:
    assert json_number(Decimal("283000000")) == 283000000
    assert json_number(Decimal("11730000000.00")) == 11730000000
    assert json_number(Decimal("2.5")) == "2.5"
    assert json_number(None) is None


def test_contract_shape_is_json_serialisable() -> None:
    text = "The UK will provide up to £283m ($384m) in aid on Thursday."
    contract = to_contract(extract(text, date(2025, 7, 10)), {"title": "T", "published": "x"})
    assert contract["source"] == {"title": "T", "published": "x"}
    pledge = contract["pledges"][0]
    assert pledge["amount"] == 283000000
    assert pledge["stated_conversion"] == {"amount": 384000000, "currency": "USD"}
    assert pledge["announced"] == "2025-07-10"
    assert text[pledge["evidence_start"] : pledge["evidence_end"]] == pledge["evidence"]
    assert json.loads(json.dumps(contract)) == contract
    assert contract["requests"] == []
    assert contract["stage_reports"] == []
