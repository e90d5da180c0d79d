"""The extractor's records: built at once, still frozen dataclasses."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.extract.models import (
    ExtractedPledge,
    ExtractedPromisedFigure,
    ExtractedStageReport,
    filled_at_once,
)

_PLEDGE = {
    "donor": "Germany", "donor_kind": "country", "recipient": "Ukraine", "kind": "military",
    "item": "air defence systems", "quantity": Decimal(2), "unit": "system", "amount": None,
    "currency": None, "qualifier": "exact", "qualifier_text": None, "announced": None,
    "announced_precision": None, "stated_conversion": None,
    "evidence": "Germany will send two air defence systems.", "evidence_start": 0,
    "evidence_end": 42,
}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class _Plain:
    name: str
    count: int
    note: str | None = None
    size: Decimal = Decimal(1)


_Filled = filled_at_once(
    dataclasses.make_dataclass(
        "_Filled",
        [(f.name, f.type, f) for f in dataclasses.fields(_Plain)],
        frozen=True,
    )
)


@pytest.mark.parametrize("record", [ExtractedPledge, ExtractedStageReport, ExtractedPromisedFigure])
def test_a_record_takes_its_fields_in_order(record: type) -> None:
    names = [field.name for field in dataclasses.fields(record)]
    assert list(inspect.signature(record).parameters) == names


def test_a_pledge_built_at_once_is_the_dataclass_s_pledge() -> None:
    pledge = ExtractedPledge(**_PLEDGE)
    assert pledge == ExtractedPledge(*_PLEDGE.values())
    assert (pledge.category, pledge.notes, pledge.part_of, pledge.previous) == (None,) * 4
    assert dataclasses.asdict(pledge) == {
        **_PLEDGE, "category": None, "notes": None, "part_of": None, "updates": None,
        "previous": None,
    }  # fmt: skip
    assert dataclasses.replace(pledge, part_of=3).part_of == 3
    assert pickle.loads(pickle.dumps(pledge)) == pledge
    assert hash(pledge) == hash(ExtractedPledge(**_PLEDGE))


def test_a_pledge_stays_frozen_and_asks_for_its_fields() -> None:
    pledge = ExtractedPledge(**_PLEDGE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pledge.donor = "France"  # type: ignore[misc]
    with pytest.raises(TypeError, match="evidence_end"):
        ExtractedPledge(**{k: v for k, v in _PLEDGE.items() if k != "evidence_end"})


@given(
    name=st.text(max_size=5),
    count=st.integers(),
    note=st.none() | st.text(max_size=5),
    size=st.none() | st.decimals(allow_nan=False),
)
def test_filled_at_once_builds_what_the_dataclass_builds(
    name: str, count: int, note: str | None, size: Decimal | None
) -> None:
    given_args = {"name": name, "count": count, "note": note}
    if size is not None:
        given_args["size"] = size
    plain, filled = _Plain(**given_args), _Filled(**given_args)
    assert dataclasses.astuple(filled) == dataclasses.astuple(plain)
    assert repr(filled).replace("_Filled", "_Plain") == repr(plain)


def test_filled_at_once_refuses_a_record_that_checks_itself() -> None:
    @dataclasses.dataclass(frozen=True)
    class Checked:
        count: int

        def __post_init__(self) -> None:
            if self.count < 0:
                raise ValueError("negative")

    with pytest.raises(TypeError, match="__post_init__"):
        filled_at_once(Checked)
