"""Chart geometry for the dashboard's inline SVG, computed here and drawn by templates/charts.html.

No JavaScript and no chart library: each chart is a list of rectangles with a
label and a tooltip. Coordinates are Decimals rounded to a tenth of a pixel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.reference import KINDS

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Bar:
    """One rectangle: position, size, CSS class and the tooltip text."""

    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    css_class: str
    title: str


@dataclass
class Chart:
    """An SVG chart: its size, bars, text labels and an accessible description."""

    width: int
    height: int
    description: str
    bars: list[Bar] = field(default_factory=list)
    labels: list[tuple[Decimal, Decimal, str, str]] = field(
        default_factory=list
    )  # x, y, anchor, text

    @property
    def empty(self) -> bool:
        """Whether there is nothing to draw."""
        return not self.bars


def _scale(value: Decimal, largest: Decimal, length: int) -> Decimal:
    """`value` as a length in pixels where `largest` spans `length`."""
    if largest <= 0:
        return Decimal(0)
    return (value / largest * length).quantize(TENTH)


@dataclass(frozen=True)
class DonorKindTotals:
    """One donor's totals split by kind of support."""

    donor: str
    by_kind: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        """All kinds together."""
        return sum(self.by_kind.values(), Decimal(0))


def stacked_donor_bars(
    rows: Sequence[DonorKindTotals], format_value: Callable[[Decimal], str], *, width: int = 640
) -> Chart:
    """Horizontal bars, one per donor, stacked by kind (military, financial, ...)."""
    label_width, row_height, bar_height, value_width = 170, 28, 20, 90
    plot_width = width - label_width - value_width
    chart = Chart(width, max(row_height * len(rows) + 8, 40), "Top donors, stacked by kind")
    largest = max((r.total for r in rows), default=Decimal(0))
    for index, row in enumerate(rows):
        y = Decimal(index * row_height + 4)
        name = row.donor if len(row.donor) <= 24 else row.donor[:23] + "…"
        chart.labels.append((Decimal(label_width - 6), y + 15, "end", name))
        x = Decimal(label_width)
        for kind in KINDS:
            value = row.by_kind.get(kind, Decimal(0))
            if value <= 0:
                continue
            length = _scale(value, largest, plot_width)
            title = f"{row.donor}, {kind}: {format_value(value)}"
            chart.bars.append(Bar(x, y, length, Decimal(bar_height), f"bar-{kind}", title))
            x += length
        chart.labels.append((x + 6, y + 15, "start", format_value(row.total)))
    return chart


def monthly_bars(
    months: Sequence[tuple[str, Decimal]],
    format_value: Callable[[Decimal], str],
    *,
    width: int = 640,
    height: int = 220,
) -> Chart:
    """Vertical bars, one per month ("2025-07"), in date order."""
    top, bottom, left = 24, 28, 8
    plot_height = height - top - bottom
    chart = Chart(width, height, "Totals by month of announcement")
    if not months:
        return chart
    slot = Decimal(width - 2 * left) / len(months)
    bar_width = max((slot * Decimal("0.7")).quantize(TENTH), Decimal(1))
    largest = max(value for _, value in months)
    every = max(1, len(months) // 12)
    for index, (month, value) in enumerate(months):
        length = _scale(value, largest, plot_height)
        x = (left + slot * index + (slot - bar_width) / 2).quantize(TENTH)
        y = Decimal(top + plot_height) - length
        chart.bars.append(
            Bar(x, y, bar_width, length, "bar-month", f"{month}: {format_value(value)}")
        )
        if index % every == 0:
            middle = (x + bar_width / 2).quantize(TENTH)
            chart.labels.append((middle, Decimal(height - 8), "middle", month))
    peak_month, peak = max(months, key=lambda m: m[1])
    chart.labels.append(
        (Decimal(left), Decimal(14), "start", f"highest: {peak_month}, {format_value(peak)}")
    )
    return chart
