"""What `tracker import-article` prints of each pledge it found: the figure as the pages
write it, with its qualifier and unit, after the item."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from tracker.cli import stated_figure


def found(**fields: object) -> SimpleNamespace:
    """An extracted pledge's figure fields (none stated unless given)."""
    return SimpleNamespace(**{"amount": None, "currency": None, "quantity": None, "unit": None,
                              "qualifier": "exact", **fields})  # fmt: skip


def test_each_found_pledge_reads_as_the_pages_write_it() -> None:
    assert stated_figure(found(amount=Decimal("283000000"), currency="GBP",
                               qualifier="up_to")) == "up to £283,000,000.00"  # fmt: skip
    assert stated_figure(found(quantity=Decimal("5000"), unit="missile",
                               qualifier="at_least")) == "≥ 5,000 missiles"  # fmt: skip
    assert stated_figure(found(quantity=Decimal("1200"), unit="launcher")) == "1,200 launchers"
    assert stated_figure(found(unit="drone", qualifier="unknown")) == "an unknown number of drones"
    assert stated_figure(found(amount=Decimal("5"), currency="XTS")) == "XTS5.00"
