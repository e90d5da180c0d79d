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
# The width of one character of chart text in SVG units (15px text, see style.css), a
# little over the average so that estimated labels never run past the chart's edge.
CHAR_WIDTH = Decimal("8.6")
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Bar:
    """One rectangle: position, size, CSS class, the tooltip text and, when it has one, the
    page of the pledges it sums."""

    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    css_class: str
    title: str
    link: str = ""


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


def text_width(text: str) -> Decimal:
    """How wide `text` is drawn, estimated generously."""
    return CHAR_WIDTH * len(text)


def fit(text: str, room: Decimal) -> str:
    """`text` shortened with "…" so that it fits in `room` units (whole when it fits)."""
    if text_width(text) <= room:
        return text
    keep = max(1, int(room / CHAR_WIDTH) - 1)
    return text[:keep].rstrip() + "…"


def month_ticks(months: Sequence[str], room: Decimal) -> list[tuple[int, str]]:
    """(index, label) of the months to label so that labels never overlap: every month,
    or every 2nd, quarter, half-year, year …, aligned on the calendar (January, April …);
    yearly ticks read "2025", others "Jul 2025"."""
    if not months:
        return []
    label_room = text_width("Jul 2025") + CHAR_WIDTH * 2
    fits = max(1, int(room / label_room))
    per_month = room / len(months)
    step = next(
        (s for s in MONTH_STEPS if len(months) / s <= fits and per_month * s >= label_room),
        MONTH_STEPS[-1],
    )
    ticks: list[tuple[int, str]] = []
    for index, month in enumerate(months):
        year, _, number = month.partition("-")
        if not number.isdigit():
            continue
        aligned = (int(year) * 12 + int(number) - 1) % step == 0
        full = f"{MONTH_NAMES[int(number) - 1]} {year}"
        if not ticks and index == 0:  # the first bar always says where the axis starts
            ticks.append((index, year if aligned and step >= 12 else full))
        # Months without pledges have no bar: labels never come closer than one label's room.
        elif aligned and (not ticks or (index - ticks[-1][0]) * per_month >= label_room):
            ticks.append((index, year if step >= 12 else full))
    return ticks


def _scale(value: Decimal, largest: Decimal, length: int) -> Decimal:
    """`value` as a length in pixels where `largest` spans `length`."""
    if largest <= 0:
        return Decimal(0)
    return (value / largest * length).quantize(TENTH)


@dataclass(frozen=True)
class DonorKindTotals:
    """One donor's totals split by kind of support; `links`: the pledges behind each part."""

    donor: str
    by_kind: dict[str, Decimal]
    links: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        """All kinds together."""
        return sum(self.by_kind.values(), Decimal(0))


def stacked_donor_bars(
    rows: Sequence[DonorKindTotals], format_value: Callable[[Decimal], str], *, width: int = 640
) -> Chart:
    """Horizontal bars, one per donor, stacked by kind (military, financial, ...)."""
    row_height, bar_height = 28, 20
    values = [format_value(r.total) for r in rows]
    value_width = int(max((text_width(v) for v in values), default=Decimal(0))) + 12
    longest = max((text_width(r.donor) for r in rows), default=Decimal(0))
    label_width = int(min(longest + 12, Decimal(width) * Decimal("0.4")))
    plot_width = width - label_width - value_width
    chart = Chart(width, max(row_height * len(rows) + 8, 40), "Top donors, stacked by kind")
    largest = max((r.total for r in rows), default=Decimal(0))
    for index, row in enumerate(rows):
        y = Decimal(index * row_height + 4)
        name = fit(row.donor, Decimal(label_width - 10))
        chart.labels.append((Decimal(label_width - 6), y + 15, "end", name))
        x = Decimal(label_width)
        for kind in KINDS:
            value = row.by_kind.get(kind, Decimal(0))
            if value <= 0:
                continue
            length = _scale(value, largest, plot_width)
            title = f"{row.donor}, {kind}: {format_value(value)}"
            link = row.links.get(kind, "")
            chart.bars.append(Bar(x, y, length, Decimal(bar_height), f"bar-{kind}", title, link))
            x += length
        chart.labels.append((x + 6, y + 15, "start", values[index]))
    return chart


def monthly_bars(
    months: Sequence[tuple[str, Decimal]],
    format_value: Callable[[Decimal], str],
    *,
    width: int = 640,
    height: int = 220,
    links: dict[str, str] | None = None,
) -> Chart:
    """Vertical bars, one per month ("2025-07"), in date order; `links`: the pledges behind
    each month's bar."""
    top, bottom, left = 24, 28, 8
    plot_height = height - top - bottom
    chart = Chart(width, height, "Totals by month of announcement")
    if not months:
        return chart
    slot = Decimal(width - 2 * left) / len(months)
    bar_width = max((slot * Decimal("0.7")).quantize(TENTH), Decimal(1))
    largest = max(value for _, value in months)
    ticks = dict(month_ticks([m for m, _ in months], Decimal(width - 2 * left)))
    for index, (month, value) in enumerate(months):
        length = _scale(value, largest, plot_height)
        x = (left + slot * index + (slot - bar_width) / 2).quantize(TENTH)
        y = Decimal(top + plot_height) - length
        chart.bars.append(
            Bar(
                x,
                y,
                bar_width,
                length,
                "bar-month",
                f"{month}: {format_value(value)}",
                (links or {}).get(month, ""),
            )
        )
        if index in ticks:
            chart.labels.append(_tick(x + bar_width / 2, Decimal(height - 8), ticks[index], width))
    peak_month, peak = max(months, key=lambda m: m[1])
    headline = fit(f"highest: {peak_month}, {format_value(peak)}", Decimal(width - 2 * left))
    chart.labels.append((Decimal(left), Decimal(14), "start", headline))
    return chart


def _tick(middle: Decimal, y: Decimal, text: str, width: int) -> tuple[Decimal, Decimal, str, str]:
    """A month label centred under its bar, or held inside the chart at either edge."""
    half = text_width(text) / 2
    if middle - half < 0:
        return (Decimal(0), y, "start", text)
    if middle + half > width:
        return (Decimal(width), y, "end", text)
    return (middle.quantize(TENTH), y, "middle", text)
