"""What the extraction tests read of ``extract()``'s output: tuples of a few fields of each
pledge (or stage report) a text states, in order, so a test compares them with a list.

``Readings(ON)`` reads texts as articles published on ``ON``; a test module makes one,
``read = Readings(ON)``, and asserts ``read.sums(text) == [("Germany", Decimal(...), "EUR")]``.
(``quality.py`` beside it is a script that scores and prints, no helper of the tests.)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tracker.extract import extract
from tracker.extract.models import ExtractedPledge


class Readings:
    """The readers of pledges of texts published on one day (``on``)."""

    def __init__(self, on: date) -> None:
        self.on = on

    def pledges(self, text: str) -> tuple[ExtractedPledge, ...]:
        """The pledges the text states."""
        return extract(text, self.on).pledges

    def sums(self, text: str) -> list[tuple[str, Decimal | None, str | None]]:
        """(donor, amount, currency) of each pledge the text states."""
        return [(p.donor, p.amount, p.currency) for p in self.pledges(text)]

    def counts(self, text: str) -> list[tuple[str, Decimal | None, str]]:
        """(donor, quantity, qualifier) of each pledge the text states."""
        return [(p.donor, p.quantity, p.qualifier) for p in self.pledges(text)]

    def figures(self, text: str) -> list[tuple[str, Decimal | None, str | None]]:
        """(donor, quantity or amount, currency) of each pledge the text states."""
        return [
            (p.donor, p.quantity if p.quantity is not None else p.amount, p.currency)
            for p in self.pledges(text)
        ]

    def sums_and_counts(
        self, text: str
    ) -> list[tuple[str, Decimal | None, str | None, Decimal | None]]:
        """(donor, amount, currency, quantity) of each pledge the text states."""
        return [(p.donor, p.amount, p.currency, p.quantity) for p in self.pledges(text)]

    def things(self, text: str) -> list[tuple[str, str, Decimal | None, Decimal | None]]:
        """(donor, item, quantity, amount) of each pledge the text states."""
        return [(p.donor, p.item, p.quantity, p.amount) for p in self.pledges(text)]

    def stages(self, text: str) -> list[tuple[str, str, str, Decimal | None, Decimal | None]]:
        """(donor, item, stage, quantity, promised quantity) of each stage report of the
        text (an allocation or delivery of an earlier pledge)."""
        return [
            (r.donor, r.item, r.stage, r.quantity, r.promised.quantity if r.promised else None)
            for r in extract(text, self.on).stage_reports
        ]
